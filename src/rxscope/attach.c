// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * attach.c - hook selection for rxscope. Probes what the kernel offers, resolves the
 * driver profile, builds per hook point the list of candidate hooks (fentry -> kprobe ->
 * tp_btf -> raw_tp), then loads and attaches the skeleton with exactly one flavour per
 * point, falling back when the kernel refuses one. A point with no usable hook is left
 * out and its stages are reported unavailable; that is never an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>
#include <limits.h>
#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "clock.h"
#include "hist.h"
#include "slow.h"
#include "rxscope.skel.h"

bool rxs_verbose;

/* ---- what the kernel offers ------------------------------------------------------------ */

static struct btf *vmlinux_btf(void)
{
	static struct btf *btf;
	static bool tried;

	if (!tried) {
		tried = true;
		btf = btf__load_vmlinux_btf();
	}
	return btf;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Load, then attach, an empty fentry program: the only sure test that fentry works. */
static bool probe_fentry(void)
{
	static const char *const targets[] = { "bpf_fentry_test1", "ip_rcv" };
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = vmlinux_btf();
	int id = -1, fd, link;
	size_t i;

	if (!btf)
		return false;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]) && id < 0; i++)
		id = btf__find_by_name_kind(btf, targets[i], BTF_KIND_FUNC);
	if (id < 0)
		return false;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "rxs_probe", "GPL", insns, 2, &opts);
	if (fd < 0)
		return false;
	link = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	if (link >= 0)
		close(link);
	close(fd);
	return link >= 0;
}

/*
 * Does a fentry program that calls bpf_get_func_arg() load? The helper (and
 * bpf_get_func_ret()) came in 5.17; before, the verifier knows no such function.
 */
static bool probe_func_arg(void)
{
	struct bpf_insn insns[] = {
		/* *(u64 *)(r10 - 8) = 0; r2 = 0; r3 = r10 - 8; call; r0 = 0; exit */
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = BPF_REG_3,
		  .src_reg = BPF_REG_10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = BPF_REG_3, .imm = -8 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_func_arg },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = vmlinux_btf();
	int id, fd;

	if (!btf)
		return false;
	id = btf__find_by_name_kind(btf, "ip_rcv", BTF_KIND_FUNC);
	if (id < 0)
		return false;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "rxs_probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static const char *tracefs_dir(void)
{
	if (file_exists("/sys/kernel/tracing/events"))
		return "/sys/kernel/tracing";
	if (file_exists("/sys/kernel/debug/tracing/events"))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

/* Is there BTF for any module (a file besides vmlinux in /sys/kernel/btf)? */
static bool module_btf_exists(void)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	d = opendir("/sys/kernel/btf");
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.' && strcmp(de->d_name, "vmlinux");
	closedir(d);
	return found;
}

void rxs_features_probe(struct rxs_features *f)
{
	const char *tfs = tracefs_dir();
	char path[PATH_MAX];

	const char *off = getenv("RXSCOPE_DISABLE");

	memset(f, 0, sizeof(*f));
	f->btf = file_exists("/sys/kernel/btf/vmlinux") && vmlinux_btf();
	f->tp_btf = f->btf;
	f->fentry = f->btf && probe_fentry();
	f->func_arg = f->fentry && probe_func_arg();
	f->module_btf = module_btf_exists();
	f->tracefs = tfs != NULL;
	f->kprobe = file_exists("/sys/bus/event_source/devices/kprobe/type");
	if (!f->kprobe && tfs) {
		snprintf(path, sizeof(path), "%s/kprobe_events", tfs);
		f->kprobe = file_exists(path);
	}
	if (off && strstr(off, "fentry"))
		f->fentry = false;
	if (off && strstr(off, "kprobe"))
		f->kprobe = false;
	if (off && strstr(off, "tp_btf"))
		f->tp_btf = false;
	f->raw_tp = !(off && strstr(off, "raw_tp"));
}

int rxs_check_access(char *err, size_t errlen)
{
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rxs_probe", 4, 4, 1, NULL);
	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen,
			 "missing privilege: failed to create a BPF map: %s (rxscope needs root, "
			 "or CAP_BPF and CAP_PERFMON)", strerror(e));
		return e == EPERM || e == EACCES ? -EPERM : -ENOTSUP;
	}
	close(fd);
	if (!file_exists("/sys/kernel/btf/vmlinux") || !vmlinux_btf()) {
		snprintf(err, errlen,
			 "missing kernel feature: BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
		return -ENOTSUP;
	}
	return 0;
}

/* Is @func in the BTF of vmlinux or of module @mod ("" for none)? */
static bool btf_has_func(const char *func, const char *mod)
{
	struct btf *base = vmlinux_btf(), *mbtf;
	char path[PATH_MAX];
	bool found;

	if (!base)
		return false;
	if (btf__find_by_name_kind(base, func, BTF_KIND_FUNC) >= 0)
		return true;
	if (!mod || !*mod)
		return false;
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", mod);
	mbtf = btf__parse_split(path, base);
	if (!mbtf)
		return false;
	found = btf__find_by_name_kind(mbtf, func, BTF_KIND_FUNC) >= 0;
	btf__free(mbtf);
	return found;
}

/* Is @func a text symbol in /proc/kallsyms (a kprobe target)? */
static bool ksym_exists(const char *func)
{
	char line[512], name[256], type;
	unsigned long long addr;
	bool found = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if ((type == 't' || type == 'T') && !strcmp(name, func))
			found = true;
	}
	fclose(f);
	return found;
}

/* A tracepoint for tp_btf needs its btf_trace_<name> type in vmlinux BTF. */
static bool tp_btf_exists(const char *tp)
{
	struct btf *btf = vmlinux_btf();
	char name[128];

	if (!btf)
		return false;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0;
}

/* A raw tracepoint exists when the tracepoint does: BTF or tracefs tells. */
static bool raw_tp_exists(const char *cat, const char *tp)
{
	const char *tfs = tracefs_dir();
	char path[PATH_MAX];

	if (tp_btf_exists(tp))
		return true;
	if (!tfs)
		return false;
	snprintf(path, sizeof(path), "%s/events/%s/%s", tfs, cat, tp);
	return file_exists(path);
}

/* ---- names ------------------------------------------------------------------------------ */

const char *rxs_hook_kind_name(enum rxs_hook_kind k)
{
	switch (k) {
	case RXS_HOOK_FENTRY:
		return "fentry";
	case RXS_HOOK_KPROBE:
		return "kprobe";
	case RXS_HOOK_TP_BTF:
		return "tp_btf";
	case RXS_HOOK_RAW_TP:
		return "raw_tp";
	default:
		return "none";
	}
}

static const char *const point_names[RXS_P_NR] = {
#define POINT_NAME(id, name, per_packet) [RXS_P_##id] = name,
	RXS_POINTS(POINT_NAME)
#undef POINT_NAME
};

const char *rxs_point_name(enum rxs_point p)
{
	return p < RXS_P_NR ? point_names[p] : "?";
}

/* The tracepoints behind each point's tp_btf/raw_tp flavour (category, name). */
struct tp_ref {
	const char *cat, *name;
};

static const struct tp_ref point_tps[RXS_P_NR][3] = {
	[RXS_P_ISR] = { { "irq", "irq_handler_entry" }, { "irq", "irq_handler_exit" } },
	[RXS_P_SOFTIRQ] = { { "irq", "softirq_raise" }, { "irq", "softirq_entry" },
			    { "irq", "softirq_exit" } },
	[RXS_P_POLL_EXIT] = { { "napi", "napi_poll" } },
	[RXS_P_GRO] = { { "net", "napi_gro_receive_entry" } },
	[RXS_P_NETIF_RX] = { { "net", "netif_receive_skb" } },
	[RXS_P_SKB_FREE] = { { "skb", "kfree_skb" } },
};

/*
 * The socket dequeue's best hook: fentry on skb_consume_udp, which udp_recvmsg calls once
 * per datagram it hands out (an entry hook with the skb, cheaper than the fexit on
 * __skb_recv_udp that reads the dequeued skb from its return value).
 */
#define SOCK_CONSUME_FN "skb_consume_udp"

static bool sock_consume(const struct rxs_hook *h)
{
	return h->kind == RXS_HOOK_FENTRY && !strcmp(h->func, SOCK_CONSUME_FN);
}

/*
 * The BPF programs of one point in one flavour (bpf/rxscope.bpf.c), taken from the
 * skeleton so that a missing program is a compile error. @fl says, per program, whether
 * it is a kretprobe (PF_RET) and whether its section names its target function
 * (PF_FIXED: the hook's function is not set on it). Returns how many (0: the point has
 * no program of that flavour).
 */
#define PROGS_MAX RXS_POINT_PROGS
#define PF_RET		1
#define PF_FIXED	2
static int point_progs(const struct rxscope_bpf *skel, enum rxs_point p,
		       const struct rxs_hook *h, struct bpf_program *out[PROGS_MAX],
		       int fl[PROGS_MAX])
{
	enum rxs_hook_kind k = h->kind;
	int n = 0;

#define PROG(name, flags)				\
	do {						\
		out[n] = skel->progs.name;		\
		fl[n++] = flags;			\
	} while (0)
	switch (k) {
	case RXS_HOOK_FENTRY:
		switch (p) {
		case RXS_P_ISR: PROG(fentry_isr, 0); PROG(fexit_isr, 0); break;
		case RXS_P_POLL_ENTRY: PROG(fentry_poll, 0); PROG(fexit_poll, 0); break;
		case RXS_P_GRO: PROG(fentry_gro, 0); break;
		case RXS_P_IP_RCV: PROG(fentry_ip_rcv, 0); break;
		case RXS_P_UDP_QUEUE: PROG(fentry_udp_queue, 0); break;
		case RXS_P_SOCK_DEQ:
			if (sock_consume(h))
				PROG(fentry_sock_consume, PF_FIXED);
			else
				PROG(fexit_sock_dequeue, 0);
			break;
		case RXS_P_NF_PRE: PROG(fentry_nf_hook, 0); PROG(fexit_nf_hook, 0); break;
		case RXS_P_ROUTE:
			PROG(fentry_route, PF_FIXED);
			PROG(fexit_route, PF_FIXED);
			PROG(fentry_route_hint, PF_FIXED);
			PROG(fexit_route_hint, PF_FIXED);
			break;
		case RXS_P_IP_LOCAL_DELIVER: PROG(fentry_ip_local_deliver, 0); break;
		case RXS_P_TAP:
			PROG(fentry_packet_rcv, PF_FIXED);
			PROG(fexit_packet_rcv, PF_FIXED);
			PROG(fentry_tpacket_rcv, PF_FIXED);
			PROG(fexit_tpacket_rcv, PF_FIXED);
			break;
		case RXS_P_BACKLOG: PROG(fentry_backlog, 0); break;
		case RXS_P_RPS_IPI: PROG(fentry_rps_ipi, 0); break;
		default: break;
		}
		break;
	case RXS_HOOK_KPROBE:
		switch (p) {
		case RXS_P_ISR: PROG(kprobe_isr, 0); PROG(kretprobe_isr, PF_RET); break;
		case RXS_P_POLL_ENTRY: PROG(kprobe_poll, 0); PROG(kretprobe_poll, PF_RET); break;
		case RXS_P_GRO: PROG(kprobe_gro, 0); break;
		case RXS_P_IP_RCV: PROG(kprobe_ip_rcv, 0); break;
		case RXS_P_UDP_QUEUE: PROG(kprobe_udp_queue, 0); break;
		case RXS_P_SOCK_DEQ: PROG(kretprobe_sock_dequeue, PF_RET); break;
		case RXS_P_IP_LOCAL_DELIVER: PROG(kprobe_ip_local_deliver, 0); break;
		case RXS_P_ROUTE: PROG(kprobe_route, 0); PROG(kretprobe_route, PF_RET); break;
		case RXS_P_BACKLOG: PROG(kprobe_backlog, 0); break;
		case RXS_P_RPS_IPI: PROG(kprobe_rps_ipi, 0); break;
		default: break;
		}
		break;
	case RXS_HOOK_TP_BTF:
		switch (p) {
		case RXS_P_ISR: PROG(tpbtf_irq_entry, 0); PROG(tpbtf_irq_exit, 0); break;
		case RXS_P_SOFTIRQ:
			PROG(tpbtf_softirq_raise, 0);
			PROG(tpbtf_softirq_entry, 0);
			PROG(tpbtf_softirq_exit, 0);
			break;
		case RXS_P_POLL_EXIT: PROG(tpbtf_napi_poll, 0); break;
		case RXS_P_GRO: PROG(tpbtf_gro, 0); break;
		case RXS_P_NETIF_RX: PROG(tpbtf_netif_receive, 0); break;
		case RXS_P_SKB_FREE: PROG(tpbtf_kfree_skb, 0); break;
		default: break;
		}
		break;
	case RXS_HOOK_RAW_TP:
		switch (p) {
		case RXS_P_ISR: PROG(rawtp_irq_entry, 0); PROG(rawtp_irq_exit, 0); break;
		case RXS_P_SOFTIRQ:
			PROG(rawtp_softirq_raise, 0);
			PROG(rawtp_softirq_entry, 0);
			PROG(rawtp_softirq_exit, 0);
			break;
		case RXS_P_POLL_EXIT: PROG(rawtp_napi_poll, 0); break;
		case RXS_P_GRO: PROG(rawtp_gro, 0); break;
		case RXS_P_NETIF_RX: PROG(rawtp_netif_receive, 0); break;
		case RXS_P_SKB_FREE: PROG(rawtp_kfree_skb, 0); break;
		default: break;
		}
		break;
	default:
		break;
	}
#undef PROG
	return n;
}

/*
 * The programs of the hook chosen for point @p. A candidate whose flavour has no program
 * for its point is a bug of the candidate lists, not the kernel's refusal: it fails loudly.
 */
static int chosen_progs(const struct rxs_tracer *t, enum rxs_point p,
			struct bpf_program *out[PROGS_MAX], int fl[PROGS_MAX])
{
	const struct rxs_hook *h = &t->plan.cands[p][t->plan.chosen[p]];
	int n = point_progs(t->skel, p, h, out, fl);

	if (!n) {
		fprintf(stderr, "rxscope: internal error: no %s program for hook point %s\n",
			rxs_hook_kind_name(h->kind), rxs_point_name(p));
		return -EINVAL;
	}
	return n;
}

/* ---- driver profiles --------------------------------------------------------------------- */

static const struct rxs_driver_profile profiles[] = {
	{ .name = "rxscope_igb", .module = "rxscope_igb", .isr = "rxscope_igb_msix_ring",
	  .poll = "rxscope_igb_poll", .isr_arg = RXS_ISR_ARG_RXSCOPE_Q_VECTOR },
	{ .name = "igb", .module = "igb", .isr = "igb_msix_ring", .poll = "igb_poll",
	  .isr_arg = RXS_ISR_ARG_IGB_Q_VECTOR },
	{ .name = "generic", .module = "", .isr_arg = RXS_ISR_ARG_UNKNOWN },
};

const struct rxs_driver_profile *rxs_driver_profile(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

int rxs_driver_resolve(const char *want, const char *dev, char *out, size_t len,
		       char *err, size_t errlen)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *pick = "generic";
	ssize_t n;

	if (strcmp(want, "auto")) {
		if (!rxs_driver_profile(want)) {
			snprintf(err, errlen,
				 "unknown driver '%s' (want auto, rxscope_igb, igb or generic)",
				 want);
			return -EINVAL;
		}
		snprintf(out, len, "%s", want);
		return 0;
	}
	if (dev && *dev) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", dev);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (rxs_driver_profile(basename(link)))
				pick = rxs_driver_profile(basename(link))->name;
		}
	} else if (file_exists("/sys/module/rxscope_igb")) {
		pick = "rxscope_igb";
	} else if (file_exists("/sys/module/igb/drivers")) {
		pick = "igb";
	}
	snprintf(out, len, "%s", pick);
	return 0;
}

/*
 * The irqs of @dev from /proc/interrupts: names "DEV-..." (per-queue vectors) are taken;
 * a plain "DEV" (the link vector of igb) only when there is nothing else.
 */
static int find_irqs(const char *dev, int *irqs, int max)
{
	int n = 0, nexact = 0, exact[RXS_MAX_IRQS];
	size_t dlen = strlen(dev);
	char line[4096];
	FILE *f;

	if (!dlen)
		return 0;
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *p, *end;
		long irq = strtol(line, &end, 10);

		if (!colon || end == line || end != colon)
			continue;
		for (p = strstr(colon, dev); p; p = strstr(p + 1, dev)) {
			char before = p[-1], after = p[dlen];

			if (before != ' ' && before != ',')
				continue;
			if (after == '-' && n < max)
				irqs[n++] = irq;
			else if ((after == '\n' || after == ' ' || after == ',' || !after) &&
				 nexact < RXS_MAX_IRQS)
				exact[nexact++] = irq;
			else
				continue;
			break;
		}
	}
	fclose(f);
	if (n == 0)
		for (; n < nexact && n < max; n++)
			irqs[n] = exact[n];
	return n;
}

static void add_cand(struct rxs_plan *plan, enum rxs_point p, enum rxs_hook_kind k,
		     const char *func)
{
	struct rxs_hook *h;

	if (plan->ncands[p] >= RXS_MAX_CANDS)
		return;
	h = &plan->cands[p][plan->ncands[p]++];
	h->kind = k;
	snprintf(h->func, sizeof(h->func), "%s", func ? func : "");
}


/* Append a reason to the point's notes ("; " between two). */
static void __attribute__((format(printf, 3, 4)))
why(struct rxs_plan *plan, enum rxs_point p, const char *fmt, ...)
{
	size_t n = strlen(plan->why[p]);
	va_list ap;

	if (n && n + 2 < sizeof(plan->why[p])) {
		snprintf(plan->why[p] + n, sizeof(plan->why[p]) - n, "; ");
		n += 2;
	}
	if (n + 1 >= sizeof(plan->why[p]))
		return;
	va_start(ap, fmt);
	vsnprintf(plan->why[p] + n, sizeof(plan->why[p]) - n, fmt, ap);
	va_end(ap);
}

static const char *disabled(const char *kind)
{
	const char *off = getenv("RXSCOPE_DISABLE");

	return off && strstr(off, kind) ? "turned off by RXSCOPE_DISABLE" : NULL;
}

/* Why fentry cannot hook @fn (of module @mod, "" for vmlinux) on this kernel. */
static void why_no_fentry(struct rxs_plan *plan, enum rxs_point p, const char *fn,
			  const char *mod, const struct rxs_features *f)
{
	char path[PATH_MAX];

	if (!f->btf)
		why(plan, p, "fentry on %s: the kernel has no BTF", fn);
	else if (disabled("fentry"))
		why(plan, p, "fentry on %s: %s", fn, disabled("fentry"));
	else if (!f->fentry)
		why(plan, p, "fentry on %s: the kernel refuses fentry programs", fn);
	else if (mod && *mod && !f->module_btf)
		why(plan, p, "fentry on %s: kernel < 5.11 has no module BTF (no "
		    "/sys/kernel/btf/%s)", fn, mod);
	else if (mod && *mod &&
		 (snprintf(path, sizeof(path), "/sys/kernel/btf/%s", mod), !file_exists(path)))
		why(plan, p, "fentry on %s: module %s is not loaded, or has no BTF", fn, mod);
	else
		why(plan, p, "fentry on %s: not in the kernel's BTF", fn);
}

/* Add the function hooks for the first of @funcs that the kernel has. */
static void add_func_cands(struct rxs_plan *plan, enum rxs_point p, const char *mod,
			   const struct rxs_features *f, const char *const *funcs)
{
	const char *const *fn;

	for (fn = funcs; *fn; fn++) {
		if (f->fentry && btf_has_func(*fn, mod)) {
			add_cand(plan, p, RXS_HOOK_FENTRY, *fn);
			break;
		}
	}
	if (!*fn)
		why_no_fentry(plan, p, funcs[0], mod, f);
	for (fn = funcs; *fn; fn++) {
		if (f->kprobe && ksym_exists(*fn)) {
			add_cand(plan, p, RXS_HOOK_KPROBE, *fn);
			break;
		}
	}
	if (*fn)
		return;
	if (!f->kprobe)
		why(plan, p, "kprobe on %s: %s", funcs[0],
		    disabled("kprobe") ? disabled("kprobe") : "the kernel has no kprobes");
	else
		why(plan, p, "kprobe on %s%s: no such function in /proc/kallsyms", funcs[0],
		    funcs[1] ? " (or its other names)" : "");
}

/* The first tracepoint of point @p that the kernel lacks, or NULL. */
static const struct tp_ref *tp_missing(enum rxs_point p, bool btf)
{
	int i;

	for (i = 0; i < 3 && point_tps[p][i].name; i++)
		if (btf ? !tp_btf_exists(point_tps[p][i].name) :
			  !raw_tp_exists(point_tps[p][i].cat, point_tps[p][i].name))
			return &point_tps[p][i];
	return NULL;
}

static bool tps_exist(enum rxs_point p, bool btf)
{
	return !tp_missing(p, btf);
}

static void add_tp_cands(struct rxs_plan *plan, enum rxs_point p,
			 const struct rxs_features *f)
{
	const struct tp_ref *m;

	if (f->tp_btf && tps_exist(p, true))
		add_cand(plan, p, RXS_HOOK_TP_BTF, NULL);
	if (f->raw_tp && tps_exist(p, false)) {
		add_cand(plan, p, RXS_HOOK_RAW_TP, NULL);
		return;
	}
	m = tp_missing(p, false);
	if (m)
		why(plan, p, "tracepoint %s:%s: not in this kernel", m->cat, m->name);
}

/*
 * The number of arguments of function @fn in vmlinux BTF (the fexit program
 * finds the return value after them), or @dflt.
 */
static unsigned int func_nargs(const char *fn, unsigned int dflt)
{
	struct btf *btf = vmlinux_btf();
	const struct btf_type *t;
	int id;

	if (!btf)
		return dflt;
	id = btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC);
	if (id < 0)
		return dflt;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	return t && btf_is_func_proto(t) ? btf_vlen(t) : dflt;
}

/*
 * RXSCOPE_POINTS, a comma list of hook point names, keeps only those points: the
 * benchmark's way to measure one stage with nothing else attached. Unset: all points.
 */
static bool point_listed(enum rxs_point p)
{
	const char *list = getenv("RXSCOPE_POINTS"), *at;
	size_t n = strlen(point_names[p]);

	if (!list || !*list)
		return true;
	for (at = strstr(list, point_names[p]); at; at = strstr(at + 1, point_names[p]))
		if ((at == list || at[-1] == ',') && (at[n] == ',' || !at[n]))
			return true;
	return false;
}

/*
 * The points of --detail nf. nf_hook_slow needs fentry (its exit needs the arguments);
 * routing and ip_local_deliver fall back to kprobes.
 */
static void add_detail_nf_cands(struct rxs_plan *plan, unsigned int detail,
				const struct rxs_features *f)
{
	const char *const deliver[] = { "ip_local_deliver", NULL };
	const char *const route[] = { "ip_route_input_noref", NULL };

	if (!(detail & RXS_DETAIL_NF)) {
		why(plan, RXS_P_NF_PRE, "not asked for (--detail nf)");
		why(plan, RXS_P_ROUTE, "not asked for (--detail nf)");
		why(plan, RXS_P_IP_LOCAL_DELIVER, "not asked for (--detail nf)");
		return;
	}
	/* fentry on both ways a route is decided; a kprobe on the lookup only */
	if (f->fentry && btf_has_func(route[0], "") && btf_has_func("ip_route_use_hint", ""))
		add_cand(plan, RXS_P_ROUTE, RXS_HOOK_FENTRY, "ip_route_input_noref/use_hint");
	else
		why_no_fentry(plan, RXS_P_ROUTE, "ip_route_use_hint", "", f);
	if (f->kprobe && ksym_exists(route[0]))
		add_cand(plan, RXS_P_ROUTE, RXS_HOOK_KPROBE, route[0]);
	else
		why(plan, RXS_P_ROUTE, "kprobe on %s: %s", route[0], f->kprobe ?
		    "no such function in /proc/kallsyms" : "the kernel has no kprobes");
	if (f->fentry && btf_has_func("nf_hook_slow", ""))
		add_cand(plan, RXS_P_NF_PRE, RXS_HOOK_FENTRY, "nf_hook_slow");
	else
		why_no_fentry(plan, RXS_P_NF_PRE, "nf_hook_slow", "", f);
	add_func_cands(plan, RXS_P_IP_LOCAL_DELIVER, "", f, deliver);
}

/* AF_PACKET taps: fentry and fexit on both receive functions of packet sockets. */
static void add_tap_cands(struct rxs_plan *plan, const struct rxs_features *f)
{
	if (f->fentry && btf_has_func("packet_rcv", "") && btf_has_func("tpacket_rcv", ""))
		add_cand(plan, RXS_P_TAP, RXS_HOOK_FENTRY, "(t)packet_rcv");
	else
		why_no_fentry(plan, RXS_P_TAP, "packet_rcv", "", f);
}

void rxs_plan_build(struct rxs_plan *plan, const char *driver, const char *dev, int ifindex,
		    unsigned int detail, const struct rxs_features *f)
{
	const struct rxs_driver_profile *prof = rxs_driver_profile(driver);
	const char *isr[2] = { prof ? prof->isr : NULL, NULL };
	const char *poll[2] = { prof ? prof->poll : NULL, NULL };
	const char *const gro[] = { "napi_gro_receive", "gro_receive_skb", NULL };
	/* ip_rcv_core runs for ip_rcv and for the listified ip_list_rcv (GRO batches) */
	const char *const ip[] = { "ip_rcv_core", "ip_rcv", NULL };
	const char *const udp[] = { "udp_queue_rcv_skb", "__udp_enqueue_schedule_skb", NULL };
	const char *const deq[] = { "__skb_recv_udp", NULL };
	/* RPS: the enqueue to a CPU's backlog, and the IPIs that start it */
	const char *const backlog[] = { "enqueue_to_backlog", NULL };
	const char *const rps_ipi[] = { "net_rps_send_ipi", NULL };
	const char *mod = prof ? prof->module : "";
	int p;

	memset(plan, 0, sizeof(*plan));
	plan->profile = prof;
	snprintf(plan->driver, sizeof(plan->driver), "%s", driver);
	snprintf(plan->dev, sizeof(plan->dev), "%s", dev ? dev : "");
	plan->ifindex = ifindex;
	plan->nirqs = find_irqs(plan->dev, plan->irqs, RXS_MAX_IRQS);

	plan->func_arg = f->func_arg;
	plan->dequeue_nargs = func_nargs(deq[0], 4);
	if (isr[0])
		add_func_cands(plan, RXS_P_ISR, mod, f, isr);
	if (plan->nirqs)
		add_tp_cands(plan, RXS_P_ISR, f);
	else
		why(plan, RXS_P_ISR, "irq tracepoints: no irq of %s in /proc/interrupts",
		    plan->dev[0] ? plan->dev : "the device (give --dev)");
	add_tp_cands(plan, RXS_P_SOFTIRQ, f);
	if (poll[0])
		add_func_cands(plan, RXS_P_POLL_ENTRY, mod, f, poll);
	else
		why(plan, RXS_P_POLL_ENTRY, "the %s profile names no driver poll function",
		    driver);
	add_tp_cands(plan, RXS_P_POLL_EXIT, f);
	add_func_cands(plan, RXS_P_GRO, "", f, gro);
	add_tp_cands(plan, RXS_P_GRO, f);
	add_tp_cands(plan, RXS_P_NETIF_RX, f);
	add_tap_cands(plan, f);
	add_func_cands(plan, RXS_P_IP_RCV, "", f, ip);
	add_detail_nf_cands(plan, detail, f);
	add_func_cands(plan, RXS_P_UDP_QUEUE, "", f, udp);
	if (f->fentry && btf_has_func(SOCK_CONSUME_FN, ""))
		add_cand(plan, RXS_P_SOCK_DEQ, RXS_HOOK_FENTRY, SOCK_CONSUME_FN);
	add_func_cands(plan, RXS_P_SOCK_DEQ, "", f, deq);
	add_tp_cands(plan, RXS_P_SKB_FREE, f);
	add_func_cands(plan, RXS_P_BACKLOG, "", f, backlog);
	add_func_cands(plan, RXS_P_RPS_IPI, "", f, rps_ipi);
	plan->softnet_var = vmlinux_btf() &&
		btf__find_by_name_kind(vmlinux_btf(), "softnet_data", BTF_KIND_VAR) >= 0;
	for (p = 0; p < RXS_P_NR; p++) {
		plan->chosen[p] = plan->ncands[p] && point_listed(p) ? 0 : -1;
		if (plan->ncands[p] && !point_listed(p))
			why(plan, p, "left out by RXSCOPE_POINTS");
	}
}

static const struct rxs_hook *chosen(const struct rxs_plan *plan, enum rxs_point p)
{
	return plan->chosen[p] >= 0 ? &plan->cands[p][plan->chosen[p]] : NULL;
}

static bool on(const struct rxs_plan *plan, enum rxs_point p)
{
	return chosen(plan, p) != NULL;
}

/* The poll exit comes with the poll entry hook (fexit/kretprobe) when there is one. */
static bool poll_exit_needed(const struct rxs_plan *plan)
{
	return !on(plan, RXS_P_POLL_ENTRY);
}

/*
 * The hook string of one end of point @p: @end 0 is where it starts (entry, raise), 1
 * where it ends (fexit, kretprobe, the second tracepoint of the point).
 */
static void hook_str(const struct rxs_plan *plan, enum rxs_point p, int end, char *buf,
		     size_t len)
{
	const struct rxs_hook *h;
	const char *kind;
	int tp = 0;

	if (p == RXS_P_POLL_EXIT && !poll_exit_needed(plan)) {
		p = RXS_P_POLL_ENTRY;
		end = 1;
	}
	if (p == RXS_P_NF_LOCAL_IN)
		p = RXS_P_NF_PRE;
	h = chosen(plan, p);
	if (!h) {
		snprintf(buf, len, "%s", "");
		return;
	}
	kind = rxs_hook_kind_name(h->kind);
	if (end && (p == RXS_P_ISR || p == RXS_P_POLL_ENTRY || p == RXS_P_ROUTE)) {
		if (h->kind == RXS_HOOK_FENTRY)
			kind = "fexit";
		else if (h->kind == RXS_HOOK_KPROBE)
			kind = "kretprobe";
		tp = 1;
	}
	if (((p == RXS_P_SOCK_DEQ && !sock_consume(h)) ||
	     ((p == RXS_P_NF_PRE || p == RXS_P_TAP) && end)) && h->kind == RXS_HOOK_FENTRY)
		kind = "fexit";
	if (p == RXS_P_SOCK_DEQ && h->kind == RXS_HOOK_KPROBE)
		kind = "kretprobe";
	if (end && p == RXS_P_SOFTIRQ)
		tp = 1;
	if (!point_tps[p][tp].name)
		tp = 0;
	if (h->func[0])
		snprintf(buf, len, "%s:%s", kind, h->func);
	else
		snprintf(buf, len, "%s:%s", kind, point_tps[p][tp].name);
}

void rxs_plan_hook_str(const struct rxs_plan *plan, enum rxs_point p, char *buf, size_t len)
{
	hook_str(plan, p, 0, buf, len);
}

static bool point_on(const struct rxs_plan *plan, enum rxs_point p)
{
	/* LOCAL_IN's calls come to the same nf_hook_slow programs as PRE_ROUTING's */
	if (p == RXS_P_NF_LOCAL_IN)
		return on(plan, RXS_P_NF_PRE);
	if (p == RXS_P_POLL_EXIT)
		return on(plan, RXS_P_POLL_ENTRY) || on(plan, RXS_P_POLL_EXIT);
	return on(plan, p);
}

void rxs_plan_stage_why(const struct rxs_plan *plan, int stage, char *buf, size_t len)
{
	const struct rxs_stage_def *sd = rxs_stage_def(stage);
	enum rxs_point ps[2] = { sd->from, sd->to };
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 2; i++) {
		enum rxs_point p = ps[i];

		if (point_on(plan, p) || (i == 1 && ps[1] == ps[0]))
			continue;
		if (p == RXS_P_NF_LOCAL_IN)
			p = RXS_P_NF_PRE;
		n += snprintf(buf + n, n < len ? len - n : 0, "%sno %s hook: %s", n ? "; " : "",
			      rxs_point_name(p), plan->why[p][0] ? plan->why[p] : "none offered");
		/* the poll's exit also comes with the poll entry hook */
		if (p == RXS_P_POLL_EXIT && n < len)
			n += snprintf(buf + n, len - n, "; no poll_entry hook: %s",
				      plan->why[RXS_P_POLL_ENTRY][0] ?
				      plan->why[RXS_P_POLL_ENTRY] : "none offered");
	}
	if (!n && sd->per_packet && !on(plan, RXS_P_GRO) && !on(plan, RXS_P_NETIF_RX))
		snprintf(buf, len, "no gro or netif_receive_skb hook to start following packets");
	if (!n && stage == RXS_H_BACKLOG_LEN && !plan->softnet_var)
		snprintf(buf, len, "the kernel's BTF has no per-CPU variable softnet_data");
}

void rxs_plan_fill_stages(const struct rxs_plan *plan, struct rxs_recording *r)
{
	bool tracked = on(plan, RXS_P_GRO) || on(plan, RXS_P_NETIF_RX);
	char a[47], b[47];
	int i;

	for (i = 0; i < RXS_H_NR; i++) {
		struct rxs_stage *s = &r->stages[i];
		const struct rxs_stage_def *sd = rxs_stage_def(i);
		enum rxs_point p0 = sd->from, p1 = sd->to;

		snprintf(s->name, sizeof(s->name), "%s", rxs_stage_name(i));
		snprintf(s->unit, sizeof(s->unit), "%s", rxs_stage_unit(i));
		s->available = point_on(plan, p0) && point_on(plan, p1) &&
			       (!sd->per_packet || tracked) &&
			       (i != RXS_H_BACKLOG_LEN || plan->softnet_var);
		if (!s->available) {
			snprintf(s->hook, sizeof(s->hook), "%s", "");
			continue;
		}
		hook_str(plan, p0, sd->from_end, a, sizeof(a));
		hook_str(plan, p1, sd->to_end, b, sizeof(b));
		/* a stage at one end of one point (a count per event) has one hook */
		if (p0 == p1 && sd->from_end == sd->to_end)
			snprintf(s->hook, sizeof(s->hook), "%s", b);
		else
			snprintf(s->hook, sizeof(s->hook), "%s>%s", a, b);
	}
}

/* ---- load and attach ------------------------------------------------------------------ */

static void demote(struct rxs_plan *plan, enum rxs_point p)
{
	const struct rxs_hook *h = chosen(plan, p);

	if (!h)
		return;
	if (rxs_verbose)
		fprintf(stderr, "note: %s hook %s%s%s refused by the kernel, falling back\n",
			rxs_point_name(p), rxs_hook_kind_name(h->kind), h->func[0] ? ":" : "",
			h->func);
	why(plan, p, "%s%s%s: refused by the kernel (-v shows the verifier's log)",
	    rxs_hook_kind_name(h->kind), h->func[0] ? " on " : "", h->func);
	plan->chosen[p]++;
	if (plan->chosen[p] >= plan->ncands[p])
		plan->chosen[p] = -1;
}

/*
 * A failed load does not say which program the kernel refused: give up the most
 * demanding flavour in use (fentry, then kprobe, then tp_btf) on every point.
 * Returns false when there is nothing left to give up.
 */
static bool demote_most_demanding(struct rxs_plan *plan)
{
	static const enum rxs_hook_kind order[] = { RXS_HOOK_FENTRY, RXS_HOOK_KPROBE,
						    RXS_HOOK_TP_BTF, RXS_HOOK_RAW_TP };
	size_t i;
	int p;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		bool any = false;

		for (p = 0; p < RXS_P_NR; p++) {
			if (chosen(plan, p) && chosen(plan, p)->kind == order[i]) {
				demote(plan, p);
				any = true;
			}
		}
		if (any)
			return true;
	}
	return false;
}

static bool point_wanted(const struct rxs_plan *plan, enum rxs_point p)
{
	return on(plan, p) && (p != RXS_P_POLL_EXIT || poll_exit_needed(plan));
}

static __u32 hooked_mask(const struct rxs_plan *plan)
{
	__u32 m = 0;
	int p;

	for (p = 0; p < RXS_P_NR; p++)
		if (point_on(plan, p))
			m |= 1U << p;
	return m;
}

/* An environment switch of the benchmark: set and not "0". */
static bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

/* Open the skeleton, keep only the chosen programs, load. */
static int open_and_load(struct rxs_tracer *t, const struct rxs_filters *flt)
{
	struct rxs_plan *plan = &t->plan;
	struct bpf_program *prog, *progs[PROGS_MAX];
	int p, i, n, err, fl[PROGS_MAX];

	t->skel = rxscope_bpf__open();
	if (!t->skel)
		return -errno;
	t->skel->rodata->targ_ifindex = flt->ifindex;
	t->skel->rodata->targ_port = flt->port;
	t->skel->rodata->targ_cpu = flt->cpu;
	t->skel->rodata->isr_needs_filter = on(plan, RXS_P_ISR) &&
		chosen(plan, RXS_P_ISR)->kind >= RXS_HOOK_TP_BTF;
	t->skel->rodata->hooked = hooked_mask(plan);
	t->skel->rodata->claim_at_softirq = !on(plan, RXS_P_POLL_ENTRY);
	t->skel->rodata->func_arg_helpers = plan->func_arg;
	t->skel->rodata->dequeue_nargs = plan->dequeue_nargs;
	/* --by: without it the split's maps shrink to one entry each (never used) */
	t->skel->rodata->by_mode = flt->by;
	if (flt->by == RXS_BY_NONE) {
		bpf_map__set_max_entries(t->skel->maps.by_hists, 1);
		bpf_map__set_max_entries(t->skel->maps.by_pkts, 1);
	}
	if (getenv("RXSCOPE_EMPTY") && !strcmp(getenv("RXSCOPE_EMPTY"), "packet"))
		t->skel->rodata->empty_pkt = true;
	else
		t->skel->rodata->empty_progs = env_flag("RXSCOPE_EMPTY");
	if (on(plan, RXS_P_ISR) && chosen(plan, RXS_P_ISR)->kind <= RXS_HOOK_KPROBE &&
	    plan->profile)
		t->skel->rodata->isr_arg = plan->profile->isr_arg;
	err = rxs_slow_rodata(t->skel, flt->slow_ns, flt->slow_rate);
	if (err)
		return err;

	bpf_object__for_each_program(prog, t->skel->obj)
		bpf_program__set_autoload(prog, false);
	for (p = 0; p < RXS_P_NR; p++) {
		const struct rxs_hook *h = chosen(plan, p);

		if (!point_wanted(plan, p))
			continue;
		n = chosen_progs(t, p, progs, fl);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			bpf_program__set_autoload(progs[i], true);
			if (h->kind == RXS_HOOK_FENTRY && !(fl[i] & PF_FIXED)) {
				err = bpf_program__set_attach_target(progs[i], 0, h->func);
				if (err)
					return err;
			}
		}
	}
	return rxscope_bpf__load(t->skel);
}

bool rxs_point_per_packet(enum rxs_point p)
{
	static const bool per_packet[RXS_P_NR] = {
#define POINT_PER_PACKET(id, name, pp) [RXS_P_##id] = pp,
		RXS_POINTS(POINT_PER_PACKET)
#undef POINT_PER_PACKET
	};

	return p < RXS_P_NR && per_packet[p];
}

/* Attach the programs of point @p; 0 or a negative errno. */
static int attach_point(struct rxs_tracer *t, enum rxs_point p)
{
	const struct rxs_hook *h = chosen(&t->plan, p);
	bool pkt = rxs_point_per_packet(p);
	struct bpf_program *progs[PROGS_MAX];
	struct bpf_link *link;
	int i, n, fl[PROGS_MAX];

	n = chosen_progs(t, p, progs, fl);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (pkt ? t->pkt_links[p][i] != NULL :
			  t->nlinks >= (int)(sizeof(t->links) / sizeof(t->links[0])))
			return -E2BIG;
		if (h->kind == RXS_HOOK_KPROBE)
			link = bpf_program__attach_kprobe(progs[i], fl[i] & PF_RET, h->func);
		else
			link = bpf_program__attach(progs[i]);
		if (!link)
			return -errno;
		if (pkt)
			t->pkt_links[p][i] = link;
		else
			t->links[t->nlinks++] = link;
	}
	return 0;
}

/* Detach the per-packet links. */
static void detach_packets(struct rxs_tracer *t)
{
	int p, i;

	for (p = 0; p < RXS_P_NR; p++) {
		for (i = 0; i < RXS_POINT_PROGS; i++) {
			bpf_link__destroy(t->pkt_links[p][i]);
			t->pkt_links[p][i] = NULL;
		}
	}
}

static void *detach_thread(void *arg)
{
	struct rxs_detach_job *job = arg;

	bpf_link__destroy(job->link);
	job->done = rxs_now_sec();
	return NULL;
}

/* Wait for the detaching threads; note when the last of them was done. */
void rxs_tracer_packets_join(struct rxs_tracer *t)
{
	double last = 0;
	int n = t->ndetachers;

	while (t->ndetachers > 0) {
		t->ndetachers--;
		pthread_join(t->detachers[t->ndetachers], NULL);
		if (t->jobs[t->ndetachers].done > last)
			last = t->jobs[t->ndetachers].done;
	}
	if (n && t->detach_start > 0 && last >= t->detach_start) {
		t->detach_wait_s += last - t->detach_start;
		t->detach_waits++;
	}
	t->detach_start = 0;
}

/*
 * Hand each per-packet link to a thread of its own that destroys it; in place when that
 * fails. The kernel takes a hook out of the path at once, but then waits for RCU grace
 * periods (up to seconds under TCG) before the destroy returns: one thread for all the
 * links kept the later ones in the path for one wait each of the earlier ones.
 */
static void detach_packets_async(struct rxs_tracer *t)
{
	const int cap = (int)(sizeof(t->detachers) / sizeof(t->detachers[0]));
	pthread_attr_t attr;
	bool have_attr;
	int p, i;

	if (t->ndetachers)
		rxs_tracer_packets_join(t);
	t->detach_start = rxs_now_sec();
	have_attr = !pthread_attr_init(&attr);
	if (have_attr)
		pthread_attr_setstacksize(&attr, 64 * 1024);
	for (p = 0; p < RXS_P_NR; p++) {
		for (i = 0; i < RXS_POINT_PROGS; i++) {
			struct bpf_link *link = t->pkt_links[p][i];

			if (!link)
				continue;
			t->pkt_links[p][i] = NULL;
			if (t->ndetachers == cap) {
				bpf_link__destroy(link);
				continue;
			}
			t->jobs[t->ndetachers].link = link;
			t->jobs[t->ndetachers].done = 0;
			if (pthread_create(&t->detachers[t->ndetachers],
					   have_attr ? &attr : NULL, detach_thread,
					   &t->jobs[t->ndetachers]))
				bpf_link__destroy(link);
			else
				t->ndetachers++;
		}
	}
	if (have_attr)
		pthread_attr_destroy(&attr);
}

int rxs_tracer_packets(struct rxs_tracer *t, bool on)
{
	int p, ret = 0;

	if (!on) {
		detach_packets_async(t);
		return 0;
	}
	/* a program still linked to a hook cannot be linked again (EBUSY) */
	rxs_tracer_packets_join(t);
	detach_packets(t);
	/* last point first, as at the start; only the per-packet points come and go */
	for (p = RXS_P_NR - 1; p >= 0 && !ret; p--)
		if (rxs_point_per_packet(p) && point_wanted(&t->plan, p))
			ret = attach_point(t, p);
	return ret;
}

void rxs_tracer_follow(struct rxs_tracer *t, bool on)
{
	__atomic_store_n(&t->skel->data->follow_new, on, __ATOMIC_RELEASE);
}

static int fill_irq_filter(struct rxs_tracer *t)
{
	__u8 one = 1;
	int i, fd = bpf_map__fd(t->skel->maps.irq_filter);

	for (i = 0; i < t->plan.nirqs; i++) {
		__u32 irq = t->plan.irqs[i];

		if (bpf_map_update_elem(fd, &irq, &one, BPF_ANY))
			return -errno;
	}
	return 0;
}

static void release(struct rxs_tracer *t)
{
	rxs_tracer_packets_join(t);
	detach_packets(t);
	while (t->nlinks > 0)
		bpf_link__destroy(t->links[--t->nlinks]);
	rxscope_bpf__destroy(t->skel);
	t->skel = NULL;
}

/* how many points the plan still hooks */
static int points_wanted(const struct rxs_plan *plan)
{
	int p, n = 0;

	for (p = 0; p < RXS_P_NR; p++)
		n += point_wanted(plan, p);
	return n;
}

int rxs_tracer_start(struct rxs_tracer *t, const struct rxs_filters *flt, char *err,
		     size_t errlen)
{
	int attempt, p, ret = 0, refused = 0;

	t->skel = NULL;
	t->nlinks = 0;
	t->ndetachers = 0;
	t->detach_start = 0;
	t->detach_wait_s = 0;
	t->detach_waits = 0;
	memset(t->pkt_links, 0, sizeof(t->pkt_links));
	if (!points_wanted(&t->plan)) {
		snprintf(err, errlen, "this kernel offers none of the hooks rxscope uses (see "
			 "rxscope probe)");
		return -EOPNOTSUPP;
	}
	for (attempt = 0; attempt < 4 * RXS_P_NR; attempt++) {
		ret = open_and_load(t, flt);
		if (ret) {
			release(t);
			refused++;
			if (demote_most_demanding(&t->plan))
				continue;
			snprintf(err, errlen, "failed to load BPF programs: %s", strerror(-ret));
			return ret;
		}
		/* every flavour refused: an empty load succeeds, but it traces nothing */
		if (!points_wanted(&t->plan)) {
			release(t);
			snprintf(err, errlen, "the kernel refused every BPF program rxscope has "
				 "for it (the verifier log is in the output of -v)");
			return -EOPNOTSUPP;
		}
		if (refused)
			fprintf(stderr, "warning: the kernel refused some BPF programs; their "
				"stages use other hooks or are unavailable (-v shows why)\n");
		refused = 0;
		ret = fill_irq_filter(t);
		if (ret) {
			snprintf(err, errlen, "failed to fill irq filter map: %s", strerror(-ret));
			release(t);
			return ret;
		}
		/*
		 * Last point first: the ISR hooks come last, so that every NAPI cycle
		 * they stamp has its poll, GRO and later hooks already attached.
		 */
		for (p = RXS_P_NR - 1; p >= 0; p--) {
			if (!point_wanted(&t->plan, p))
				continue;
			ret = attach_point(t, p);
			if (ret)
				break;
		}
		if (!ret)
			return 0;
		release(t);
		demote(&t->plan, p);
	}
	snprintf(err, errlen, "failed to attach BPF programs: %s", strerror(-ret));
	return ret ? ret : -EINVAL;
}

void rxs_tracer_stop(struct rxs_tracer *t)
{
	release(t);
}
