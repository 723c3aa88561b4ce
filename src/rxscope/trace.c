// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trace.c - the `trace` and `record` verbs: open -> set rodata filters -> load -> attach
 * (attach.c) -> poll loop -> read the per-CPU maps into a struct rxs_recording -> print
 * the tables (report.c) each interval, and for `record` write the file (export.c).
 * Also the --stats overhead report, the clean stop on SIGINT/SIGTERM, and record --split
 * (SIGUSR1 writes the piece recorded so far and starts the next).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "atomic.h"
#include "clock.h"
#include "attach.h"
#include "export.h"
#include "hist.h"
#include "report.h"
#include "slow.h"
#include "softnet.h"
#include "split.h"
#include "trace.h"
#include "rxscope.skel.h"

#define SOFTNET_PATH	rxs_softnet_path()

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t cut_requested;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!rxs_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void rxs_libbpf_setup(bool verbose)
{
	rxs_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		cut_requested = 1;
	else
		stop_requested = 1;
}

/*
 * Names of enum skb_drop_reason from kernel BTF, without the SKB_DROP_REASON_ prefix.
 * Read once: parsing vmlinux BTF takes tens of milliseconds.
 */
static void fill_drop_names(struct rxs_recording *r)
{
	static char names[RXS_MAX_DROP_REASONS][48];
	static const char prefix[] = "SKB_DROP_REASON_";
	static bool done;
	const struct btf_type *t;
	const struct btf_enum *e;
	struct btf *btf;
	int id, i;

	if (done)
		goto copy;
	done = true;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		goto copy;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0)
		goto out;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);

		if (e->val < 0 || e->val >= RXS_MAX_DROP_REASONS - 1 || !name)
			continue;
		if (!strncmp(name, prefix, sizeof(prefix) - 1))
			name += sizeof(prefix) - 1;
		snprintf(names[e->val], sizeof(names[0]), "%s", name);
	}
	snprintf(names[RXS_MAX_DROP_REASONS - 1], sizeof(names[0]), "OTHER");
out:
	btf__free(btf);
copy:
	memcpy(r->drop_reason_names, names, sizeof(names));
	_Static_assert(sizeof(names) == sizeof(r->drop_reason_names), "drop name table size");
}

struct session {
	const struct rxs_cli *cli;
	struct rxs_tracer tracer;
	int ncpus;			/* possible CPUs: the per-CPU map stride */
	double t_start;			/* monotonic start of the session */
	double t0;			/* monotonic start of this recording (piece) */
	long long start_unix;
	struct rxs_softnet sn0;
	bool have_sn0;
	char driver[32];
	char kernel[128];
	unsigned long long swept;	/* stale tracking entries removed */
	double last_sweep;
	unsigned int sweep_next;	/* the part of the table that the next sweep scans */
	int piece;			/* record --split: pieces written so far */
	/* --sample: the per-packet hooks' state and when it changes next */
	enum { PKT_ON, PKT_CLOSING, PKT_OFF } pkt;
	double pkt_next;
	unsigned int windows, detaches;	/* windows opened, and closed (or not opened) */
	double period_s;		/* one window per period_s seconds */
	double period;			/* start of the period of the last window planned */
	double follow_since;		/* when following began, 0 while it is off */
	double followed_s;		/* time spent following, in this recording */
	double attach_s, detach_s;	/* time spent attaching and detaching their hooks */
	/* record -i: the time series of this recording (piece) */
	struct rxs_recording series;	/* only nseries/series used */
	struct rxs_interval last;	/* the totals at the last snapshot */
	struct rxs_recording prev;	/* the previous reading: intervals are taken from it */
};

/*
 * --sample PCT: one window of SAMPLE_WINDOW_S in every SAMPLE_WINDOW_S * 100 / PCT
 * seconds. Attaching and detaching the per-packet hooks costs the kernel CPU time per
 * window, whatever its length (trampolines, text patching, RCU: about 0.45 s of the
 * guest's time per window under TCG, from make bench), so the windows are few and long
 * enough to make that small; the window's hooks stay SAMPLE_GRACE_S after it stops
 * following new packets.
 */
#define SAMPLE_WINDOW_S		3.0
#define SAMPLE_GRACE_S		0.05

/*
 * The period for --sample @pct: SAMPLE_WINDOW_S * 100 / @pct seconds, or
 * RXSCOPE_SAMPLE_PERIOD seconds (1 to 3600) for the benchmark, which compares periods.
 */
static double sample_period(int pct)
{
	const char *v = getenv("RXSCOPE_SAMPLE_PERIOD");
	double p, dflt = SAMPLE_WINDOW_S * 100.0 / (pct > 0 ? pct : 1);
	char *end;

	if (!v || !*v)
		return dflt;
	errno = 0;
	p = strtod(v, &end);
	if (errno || *end || !(p >= 1 && p <= 3600)) {
		fprintf(stderr, "warning: RXSCOPE_SAMPLE_PERIOD=%s is not 1 to 3600 seconds; "
			"using %.0f\n", v, dflt);
		return dflt;
	}
	return p;
}

/*
 * record -i: append what changed since the last snapshot of the totals @r (just
 * collected) to the series. A failed allocation only costs the series (with a warning).
 */
static void snapshot(struct session *s, const struct rxs_recording *r)
{
	static struct rxs_interval now, d;	/* large: not on the stack */

	if (s->cli->verb != RXS_VERB_RECORD || s->cli->interval_s <= 0)
		return;
	rxs_interval_from(&now, r);
	if (now.t_s <= s->last.t_s)
		return;
	rxs_interval_delta(&d, &now, &s->last);
	s->last = now;
	if (rxs_series_append(&s->series, &d)) {
		fprintf(stderr, "warning: out of memory: the recording's time series is dropped\n");
		rxs_series_free(&s->series);
	}
}

/*
 * Free the tracking slots of packets that left without a hook seeing them (for instance
 * UDP skbs freed after recvmsg when no dequeue hook is attached). The table is the
 * mmapped .bss of the BPF object. Every second one SWEEP_PARTS-th of it is scanned, so
 * that the collector's own CPU time stays small; a packet is swept between RXS_STALE_S
 * and RXS_STALE_S + SWEEP_PARTS seconds after it started. A slot is freed only if its tag
 * is still the one read here, so that a packet that the kernel started in it meanwhile
 * stays followed.
 */
#define SWEEP_PARTS	4

static void sweep_stale(struct session *s)
{
	struct rxs_track *tracks = s->tracer.skel->bss->tracks;
	__u32 i, n = RXS_TRACK_SLOTS / SWEEP_PARTS, first = s->sweep_next * n;
	__u64 now = rxs_now_ns();

	if (rxs_now_sec() - s->last_sweep < 1.0)
		return;
	s->last_sweep = rxs_now_sec();
	s->sweep_next = (s->sweep_next + 1) % SWEEP_PARTS;
	for (i = first; i < first + n; i++) {
		__u64 tag = __atomic_load_n(&tracks[i].skb, __ATOMIC_RELAXED);
		__u64 begun = tracks[i].gro_ts ? tracks[i].gro_ts : tracks[i].nrs_ts;

		if (!tag || begun + RXS_STALE_NS >= now)
			continue;
		if (__atomic_compare_exchange_n(&tracks[i].skb, &tag, 0, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			s->swept++;
	}
}

/* Free every tracking slot: no per-packet hook is attached, so nothing races. */
static void clear_tracks(struct session *s)
{
	struct rxs_track *tracks = s->tracer.skel->bss->tracks;
	__u32 i;

	/* most slots are free: reading them costs less than writing them all */
	for (i = 0; i < RXS_TRACK_SLOTS; i++)
		if (tracks[i].skb)
			tracks[i].skb = 0;
}

/* --sample: the length of a window, PCT% of the period */
static double window_s(const struct session *s)
{
	return s->period_s * s->cli->sample_pct / 100.0;
}

/* --sample: the next window, at a random place in the next period not yet over at @now */
static void plan_window(struct session *s, double now)
{
	double on_s = window_s(s);

	do
		s->period += s->period_s;
	while (s->period + s->period_s <= now);
	s->pkt_next = s->period + drand48() * (s->period_s - on_s);
}

/*
 * --sample PCT: the per-packet hooks are attached for PCT% of every period, at a random
 * place in it (so that the windows do not lock onto anything periodic in the load). A
 * window opens when all of them are attached, and closes in two steps: the BPF side
 * stops following new packets, and SAMPLE_GRACE_S later, when the packets started in the
 * window have reached their ends, the hooks go. Packets still unfinished then are dropped
 * from the table. The per-IRQ hooks stay attached throughout. When the hooks cannot be
 * attached again, it says so, and the per-packet stages stop there; the per-IRQ ones go on.
 */
static void sample_step(struct session *s)
{
	double now = rxs_now_sec(), on_s = window_s(s);
	int ret = 0;

	if (s->cli->sample_pct >= 100 || now < s->pkt_next)
		return;
	switch (s->pkt) {
	case PKT_ON:
		rxs_tracer_follow(&s->tracer, false);
		s->followed_s += now - s->follow_since;
		s->follow_since = 0;
		s->pkt = PKT_CLOSING;
		s->pkt_next = now + SAMPLE_GRACE_S;
		break;
	case PKT_CLOSING:
		ret = rxs_tracer_packets(&s->tracer, false);
		s->detaches++;
		s->detach_s += rxs_now_sec() - now;
		clear_tracks(s);
		s->pkt = PKT_OFF;
		plan_window(s, now);
		break;
	case PKT_OFF:
		ret = rxs_tracer_packets(&s->tracer, true);
		s->windows++;
		s->attach_s += rxs_now_sec() - now;
		if (ret)
			break;
		rxs_tracer_follow(&s->tracer, true);
		s->pkt = PKT_ON;
		/* the window counts from when its hooks are in place */
		s->follow_since = rxs_now_sec();
		s->pkt_next = s->follow_since + on_s;
		break;
	}
	if (ret) {
		/* keep what was recorded: the per-IRQ stages go on */
		fprintf(stderr, "warning: failed to attach the per-packet hooks again: "
			"%s; per-packet stages stop here\n", strerror(-ret));
		s->pkt_next = 1e300;
	}
}

/*
 * The state at the start: every hook attached and following. With --sample, the hooks
 * were attached only to check that the kernel takes them: they stop following and are
 * detached now, before the run starts (the ready file), waiting for the kernel to be done
 * with them, so that the run is from its start in the state it keeps between windows.
 */
static void sample_settle(struct session *s)
{
	s->pkt = PKT_ON;
	s->follow_since = rxs_now_sec();
	s->pkt_next = 1e300;
	if (s->cli->sample_pct >= 100)
		return;
	rxs_tracer_follow(&s->tracer, false);
	s->follow_since = 0;
	rxs_tracer_packets(&s->tracer, false);
	rxs_tracer_packets_join(&s->tracer);
	clear_tracks(s);
	s->pkt = PKT_OFF;
	s->period_s = sample_period(s->cli->sample_pct);
}

/* The first window, like every other, falls at a random place in its period. */
static void sample_init(struct session *s)
{
	if (s->cli->sample_pct >= 100)
		return;
	srand48(getpid() ^ (long)(s->t0 * 1e6));
	s->period = s->t0 - s->period_s;
	plan_window(s, s->t0);
}

/**
 * collect - read the BPF maps (totals since the start) into a fresh recording.
 * @s: the session
 * @r: initialised here; the caller frees it with rxs_recording_free()
 *
 * Returns 0, or a negative errno when a map cannot be read.
 */
static int collect(struct session *s, struct rxs_recording *r)
{
	struct rxscope_bpf *skel = s->tracer.skel;
	int hfd = bpf_map__fd(skel->maps.hists);
	int cfd = bpf_map__fd(skel->maps.counters);
	int dfd = bpf_map__fd(skel->maps.drop_reasons);
	struct rxs_cpu_counters *cnts = NULL;
	struct rxs_hist *hists = NULL;
	__u64 *drops = NULL;
	__u32 key;
	int i, ret = 0;

	rxs_recording_init(r, s->ncpus);
	if (r->ncpus != s->ncpus)
		return -ENOMEM;
	snprintf(r->kernel, sizeof(r->kernel), "%s", s->kernel);
	snprintf(r->driver, sizeof(r->driver), "%s", s->driver);
	snprintf(r->dev, sizeof(r->dev), "%s", s->cli->dev);
	r->port = s->cli->port;
	r->duration_s = rxs_now_sec() - s->t0;
	r->start_unix = s->start_unix;
	r->tracking_swept = s->swept;
	if (s->cli->sample_pct < 100) {
		/* the share really followed: windows may be late when (de)attaching is slow */
		double on = s->followed_s + (s->follow_since ? rxs_now_sec() - s->follow_since : 0);
		int pct = r->duration_s > 0 ? (int)(100 * on / r->duration_s + 0.5) : 100;

		r->sample_pct = pct < 1 ? 1 : pct > 100 ? 100 : pct;
	}
	rxs_plan_fill_stages(&s->tracer.plan, r);
	fill_drop_names(r);

	hists = calloc(s->ncpus, sizeof(*hists));
	cnts = calloc(s->ncpus, sizeof(*cnts));
	drops = calloc(s->ncpus, sizeof(*drops));
	if (!hists || !cnts || !drops) {
		ret = -ENOMEM;
		goto out;
	}
	for (key = 0; key < RXS_H_NR; key++) {
		if (bpf_map_lookup_elem(hfd, &key, hists)) {
			ret = -errno;
			goto out;
		}
		for (i = 0; i < s->ncpus; i++)
			rxs_hist_merge(&r->stages[key].hist, &hists[i]);
	}
	key = 0;
	if (bpf_map_lookup_elem(cfd, &key, cnts)) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < s->ncpus; i++)
		r->cpus[i].bpf = cnts[i];
	for (key = 0; key < RXS_MAX_DROP_REASONS; key++) {
		if (bpf_map_lookup_elem(dfd, &key, drops)) {
			ret = -errno;
			goto out;
		}
		for (i = 0; i < s->ncpus; i++)
			r->drop_reasons[key] += drops[i];
	}
	if (s->cli->by != RXS_BY_NONE) {
		ret = rxs_split_collect(r, s->cli->by, bpf_map__fd(skel->maps.by_hists),
					bpf_map__fd(skel->maps.by_pkts), s->ncpus);
		if (ret)
			goto out;
	}
	if (s->have_sn0) {
		struct rxs_softnet now = { 0 }, delta = { 0 };
		char err[256];

		if (!rxs_softnet_read(SOFTNET_PATH, &now, err, sizeof(err)) &&
		    !rxs_softnet_delta(&s->sn0, &now, &delta, err, sizeof(err)))
			rxs_softnet_fill(r, &delta);
		rxs_softnet_free(&now);
		rxs_softnet_free(&delta);
	}
out:
	free(hists);
	free(cnts);
	free(drops);
	return ret;
}

/* Print the hook of every stage, or why it is unavailable. */
static void print_hooks(FILE *f, const struct rxs_recording *r)
{
	int i;

	fprintf(f, "%-28s %s\n", "STAGE", "HOOK");
	for (i = 0; i < RXS_H_NR; i++)
		fprintf(f, "%-28s %s\n", r->stages[i].name,
			r->stages[i].available ? r->stages[i].hook : "unavailable");
}

/* The table flags of this run's printed tables. */
static unsigned int table_flags(const struct rxs_cli *cli)
{
	return RXS_REPORT_LIVE | (cli->hist ? RXS_REPORT_HIST : 0) |
	       (cli->raw_ns ? RXS_REPORT_RAW_NS : 0);
}

/* The path the current recording goes to: -o FILE, or with --split the next piece's. */
static void output_path(const struct session *s, char *buf, size_t len);

/*
 * One interval: read the maps, print what happened since the previous reading (not the
 * totals since the start), and keep this reading for the next interval. record --format
 * prom also rewrites its file with the totals so far, so that a textfile collector sees
 * fresh data during a long run.
 */
static void interval_tick(struct session *s, FILE *f)
{
	const struct rxs_cli *cli = s->cli;
	struct rxs_recording now, delta;
	char tbuf[32], path[4096], err[512];
	time_t t = time(NULL);
	int ret = collect(s, &now);

	if (!ret)
		ret = rxs_recording_delta(&delta, &now, &s->prev);
	else
		rxs_recording_init(&delta, 0);
	if (ret) {
		fprintf(stderr, "rxscope: failed to read BPF maps: %s\n", strerror(-ret));
		rxs_recording_free(&now);
		rxs_recording_free(&delta);
		return;
	}
	snapshot(s, &now);	/* record -i: the recording's time series */
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&t));
	fprintf(f, "\n%s  interval %.1f s (this interval only; totals at the end)\n", tbuf,
		delta.duration_s);
	rxs_report_print(f, &delta, table_flags(cli));
	fflush(f);
	if (cli->verb == RXS_VERB_RECORD && cli->format == RXS_FMT_PROM &&
	    strcmp(cli->output, "-")) {
		output_path(s, path, sizeof(path));
		if (rxs_export_write(&now, path, cli->format, err, sizeof(err)))
			fprintf(stderr, "rxscope: %s\n", err);
	}
	rxs_recording_free(&delta);
	rxs_recording_free(&s->prev);
	s->prev = now;
}

/* The end of trace: the totals since the start. */
static void print_totals(struct session *s, FILE *f)
{
	struct rxs_recording r;
	char tbuf[32];
	time_t now = time(NULL);
	int ret = collect(s, &r);

	if (ret) {
		fprintf(stderr, "rxscope: failed to read BPF maps: %s\n", strerror(-ret));
		rxs_recording_free(&r);
		return;
	}
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));
	fprintf(f, "\n%s  totals since start (%.1f s)\n", tbuf, r.duration_s);
	rxs_report_print(f, &r, table_flags(s->cli));
	fflush(f);
	rxs_recording_free(&r);
}

/* Misses that a kprobe link counted for program @prog_id (kernel 6.7+), else 0. */
static unsigned long long link_missed(const struct rxs_tracer *t, __u32 prog_id)
{
	unsigned long long missed = 0;
	int i;

	for (i = 0; i < t->nlinks; i++) {
		struct bpf_link_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_link_get_info_by_fd(bpf_link__fd(t->links[i]), &info, &len) ||
		    info.prog_id != prog_id || info.type != BPF_LINK_TYPE_PERF_EVENT)
			continue;
		if (info.perf_event.type == BPF_PERF_EVENT_KPROBE ||
		    info.perf_event.type == BPF_PERF_EVENT_KRETPROBE)
			missed += info.perf_event.kprobe.missed;
	}
	return missed;
}

/*
 * The kernel's run time and run count of every attached program of @t, and the events it
 * missed: recursion misses (a program that could not run because it, or for kprobes any
 * kprobe program, was already running on that CPU) plus a kprobe link's own missed count.
 * Fills at most @max entries of @out; returns how many.
 */
static int prog_stats(const struct rxs_tracer *t, struct rxs_prog_stat *out, int max)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		if (n >= max)
			break;
		if (!bpf_program__autoload(prog) || bpf_program__fd(prog) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", bpf_program__name(prog));
		out[n].run_cnt = info.run_cnt;
		out[n].run_time_ns = info.run_time_ns;
		out[n].missed = info.recursion_misses + link_missed(t, info.id);
		n++;
	}
	return n;
}

/* --stats: prog_stats() as a table. */
static void print_stats(FILE *f, const struct rxs_tracer *t, double secs)
{
	struct rxs_prog_stat st[RXS_MAX_PROGS];
	int n = prog_stats(t, st, RXS_MAX_PROGS);

	fprintf(f, "\nBPF overhead (kernel.bpf_stats_enabled, %.1f s):\n", secs);
	fprintf(f, "%-26s %12s %10s %10s\n", "PROGRAM", "EVENTS", "NS/EVENT", "MISSED");
	for (int i = 0; i < n; i++)
		fprintf(f, "%-26s %12llu %10.0f %10llu\n", st[i].name, st[i].run_cnt,
			st[i].run_cnt ? (double)st[i].run_time_ns / st[i].run_cnt : 0.0,
			st[i].missed);
}

/*
 * Zero the per-CPU histograms, counters and drop counts, so that what follows starts a new
 * piece. Called right after collect() read them: an event that lands between that read
 * and this write (microseconds) is lost, so pieces are best cut while the path is quiet.
 * Packets being followed stay in the tracking map and complete in the new piece.
 */
static int clear_maps(struct session *s)
{
	struct rxscope_bpf *skel = s->tracer.skel;
	int fds[3] = { bpf_map__fd(skel->maps.hists), bpf_map__fd(skel->maps.counters),
		       bpf_map__fd(skel->maps.drop_reasons) };
	__u32 nkeys[3] = { RXS_H_NR, 1, RXS_MAX_DROP_REASONS };
	/* one buffer of zeros, as large as the largest per-CPU value times the CPUs */
	size_t vmax = sizeof(struct rxs_hist) > sizeof(struct rxs_cpu_counters) ?
		      sizeof(struct rxs_hist) : sizeof(struct rxs_cpu_counters);
	void *zero = calloc(s->ncpus, vmax);
	int ret = 0;

	if (!zero)
		return -ENOMEM;
	for (int m = 0; m < 3 && !ret; m++) {
		for (__u32 key = 0; key < nkeys[m]; key++)
			if (bpf_map_update_elem(fds[m], &key, zero, BPF_EXIST)) {
				ret = -errno;
				break;
			}
	}
	free(zero);
	if (!ret && s->cli->by != RXS_BY_NONE)
		ret = rxs_split_clear(bpf_map__fd(skel->maps.by_hists),
				      bpf_map__fd(skel->maps.by_pkts), s->ncpus);
	return ret;
}

/* The softnet_stat reading that a recording's deltas start from (a warning if unreadable). */
static void softnet_baseline(struct session *s)
{
	char err[256];

	if (s->have_sn0)
		rxs_softnet_free(&s->sn0);
	s->have_sn0 = !rxs_softnet_read(SOFTNET_PATH, &s->sn0, err, sizeof(err));
	if (!s->have_sn0)
		fprintf(stderr, "warning: %s\n", err);
}

/* A recording starts now: its duration, start time, sweep count and softnet deltas. */
static void start_recording(struct session *s)
{
	s->t0 = rxs_now_sec();
	s->followed_s = 0;
	if (s->follow_since)
		s->follow_since = s->t0;
	s->start_unix = time(NULL);
	s->swept = 0;
	softnet_baseline(s);
	rxs_series_free(&s->series);
	memset(&s->last, 0, sizeof(s->last));
}

/* "dir/run.json" and piece 3 -> "dir/run-3.json"; without an extension "dir/run-3" */
static void piece_path(const char *output, int n, char *buf, size_t len)
{
	const char *slash = strrchr(output, '/'), *dot = strrchr(output, '.');

	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : output))
		snprintf(buf, len, "%s-%d", output, n);
	else
		snprintf(buf, len, "%.*s-%d%s", (int)(dot - output), output, n, dot);
}

static void output_path(const struct session *s, char *buf, size_t len)
{
	if (s->cli->split)
		piece_path(s->cli->output, s->piece + 1, buf, len);
	else
		snprintf(buf, len, "%s", s->cli->output);
}

/*
 * record: read the maps and write the recording to -o FILE, or with --split to the next
 * numbered piece. With @next_piece (a SIGUSR1 cut) the maps are cleared right after the
 * read and a new recording starts. Returns an exit code.
 */
static int write_recording(struct session *s, bool next_piece)
{
	const struct rxs_cli *cli = s->cli;
	struct rxs_recording rec;
	char path[4096], err[512];
	int ret = collect(s, &rec);

	if (!ret) {
		/* the last (partial) interval, then the series goes into this recording */
		snapshot(s, &rec);
		rec.series = s->series.series;
		rec.nseries = s->series.nseries;
		s->series.series = NULL;
		s->series.nseries = 0;
	}
	if (!ret && next_piece) {
		ret = clear_maps(s);
		if (!ret) {
			start_recording(s);
			/* the next interval starts from the cleared maps */
			rxs_recording_free(&s->prev);
			ret = collect(s, &s->prev);
		}
	}
	if (ret) {
		fprintf(stderr, "rxscope: failed to read or clear BPF maps: %s\n", strerror(-ret));
		rxs_recording_free(&rec);
		return RXS_EXIT_RUNTIME;
	}
	rxs_slow_take(&rec, (__u64)(s->t0 * 1e9));	/* --slow: this piece's worst */
	if (cli->interval_s > 0 || cli->hist) {
		fprintf(stderr, "\n%s (%.1f s)\n", cli->split ? "totals of this piece" :
			"totals since start", rec.duration_s);
		rxs_report_print(stderr, &rec, table_flags(cli));
	}
	output_path(s, path, sizeof(path));
	if (cli->split)
		s->piece++;
	ret = rxs_export_write(&rec, path, cli->format, err, sizeof(err));
	if (ret)
		fprintf(stderr, "rxscope: %s\n", err);
	else
		fprintf(stderr, "wrote %s (%s, %.1f s)\n", path, rxs_format_name(cli->format),
			rec.duration_s);
	rxs_recording_free(&rec);
	return ret ? RXS_EXIT_RUNTIME : RXS_EXIT_OK;
}

/*
 * The traced device or driver went away under the tracer (rmmod, hot unplug): the
 * interface of --dev no longer exists, or the driver module that was loaded at the start
 * is gone. Says so once on stderr; the run then ends with RXS_EXIT_RUNTIME.
 */
static bool target_lost(const struct rxs_cli *cli, const char *driver, bool had_module)
{
	char name[IF_NAMESIZE], path[96];
	struct stat st;

	if (cli->ifindex && !if_indextoname(cli->ifindex, name)) {
		fprintf(stderr, "rxscope: device %s (ifindex %d) is gone: its driver was unloaded "
			"or the device removed; stopping\n", cli->dev, cli->ifindex);
		return true;
	}
	snprintf(path, sizeof(path), "/sys/module/%s", driver);
	if (had_module && stat(path, &st)) {
		fprintf(stderr, "rxscope: driver module %s is gone (unloaded); stopping\n", driver);
		return true;
	}
	return false;
}

/* Sleep until @deadline (monotonic seconds) or a signal. */
static void sleep_until(double deadline)
{
	while (!stop_requested && !cut_requested) {
		double left = deadline - rxs_now_sec();
		struct timespec ts;

		if (left <= 0)
			return;
		if (left > 0.2)
			left = 0.2;
		if (rxs_slow_active()) {	/* --slow: wait on its ring buffer */
			rxs_slow_poll((int)(left * 1e3) + 1);
			continue;
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/*
 * Check access, resolve the driver profile, build the hook plan and attach: the start of
 * trace, record and serve. Prints what failed; returns 0 or an exit code (then nothing is
 * attached).
 */
static int session_init(struct session *s, const struct rxs_cli *cli)
{
	struct rxs_filters flt = { cli->ifindex, cli->port, cli->cpu, cli->by, cli->slow_ns,
				   cli->slow_rate };
	struct rxs_features feat;
	struct utsname uts;
	char err[512];
	int ret;

	s->cli = cli;
	ret = rxs_check_access(err, sizeof(err));
	if (ret) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_PRIV;
	}
	if (rxs_driver_resolve(cli->driver, cli->dev, s->driver, sizeof(s->driver), err,
			       sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_USAGE;
	}
	uname(&uts);
	snprintf(s->kernel, sizeof(s->kernel), "%s", uts.release);
	s->ncpus = libbpf_num_possible_cpus();
	if (s->ncpus <= 0) {
		fprintf(stderr, "rxscope: failed to count possible CPUs: %s\n",
			strerror(-s->ncpus));
		return RXS_EXIT_RUNTIME;
	}

	rxs_features_probe(&feat);
	rxs_plan_build(&s->tracer.plan, s->driver, cli->dev, cli->ifindex, cli->detail,
		       &feat);
	ret = rxs_tracer_start(&s->tracer, &flt, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_PRIV;
	}
	return RXS_EXIT_OK;
}

/* Detach, and free what the session holds (not @s itself). */
static void session_release(struct session *s)
{
	if (s->have_sn0)
		rxs_softnet_free(&s->sn0);
	rxs_series_free(&s->series);
	rxs_recording_free(&s->prev);
	rxs_tracer_stop(&s->tracer);
}

/* --- the verbs trace and record ------------------------------------------------------- */

/* A run of trace or record: the session, and what the run adds to it. */
struct trace_run {
	struct session s;
	FILE *out;		/* the tables: stdout for trace, stderr for record */
	bool record;
	bool had_module;	/* the traced driver was a loaded module at the start */
	bool lost;		/* the device or the driver module went away */
	int stats_fd;		/* --stats: keeps BPF run-time statistics on, or -1 */
};

/*
 * Check access, resolve the driver and attach (session_init()), and note whether the
 * driver is a loaded module, so that its unloading can be told. Returns 0 or an exit
 * code (then nothing is attached).
 */
static int trace_setup(struct trace_run *run, const struct rxs_cli *cli)
{
	const struct rxs_driver_profile *prof;
	char modpath[96];
	struct stat mst;
	int ret;

	run->record = cli->verb == RXS_VERB_RECORD;
	run->out = run->record ? stderr : stdout;
	run->stats_fd = -1;
	ret = session_init(&run->s, cli);
	if (ret)
		return ret;
	prof = rxs_driver_profile(run->s.driver);
	snprintf(modpath, sizeof(modpath), "/sys/module/%s", prof ? prof->module : "");
	run->had_module = prof && prof->module[0] && !stat(modpath, &mst);
	return RXS_EXIT_OK;
}

/* SIGINT and SIGTERM end the run; with @split (record --split) SIGUSR1 cuts a piece. */
static void trace_signals(bool split)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (split)
		sigaction(SIGUSR1, &sa, NULL);
}

/* The header line (kernel, driver, filters, CPUs), then the hooks of the first reading @r. */
static void print_header(FILE *f, const struct session *s, const struct rxs_recording *r)
{
	const struct rxs_cli *cli = s->cli;
	char port[16], cpu[16];

	snprintf(port, sizeof(port), "%d", cli->port);
	snprintf(cpu, sizeof(cpu), "%d", cli->cpu);
	fprintf(f, "rxscope %s: kernel %s, driver %s, dev %s, port %s, cpu %s, %d CPUs\n",
		cli->verb == RXS_VERB_RECORD ? "record" : "trace", s->kernel, s->driver,
		cli->dev[0] ? cli->dev : "any", cli->port ? port : "any",
		cli->cpu >= 0 ? cpu : "any", s->ncpus);
	print_hooks(f, r);
}

/* --slow: consume the ring buffer, printing (trace) or keeping the worst (record). */
static int trace_slow_start(struct trace_run *run)
{
	const struct rxs_cli *cli = run->s.cli;
	int keep = cli->slow_keep ? cli->slow_keep : RXS_SLOW_KEEP_DEFAULT;
	char err[256];

	if (rxs_slow_start(run->s.tracer.skel, cli->slow_ns, cli->slow_rate, !run->record,
			   run->out, run->record ? keep : 0, (__u64)(run->s.t0 * 1e9), err,
			   sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_RUNTIME;
	}
	return RXS_EXIT_OK;
}

/*
 * The start of the run, once attached: --stats switched on, the recording started, the
 * first reading (the header, and where the first interval starts from), the ready file,
 * then --sample's first window planned. Returns 0 or an exit code.
 */
static int trace_start(struct trace_run *run)
{
	struct session *s = &run->s;
	const struct rxs_cli *cli = s->cli;
	int ret;

	if (cli->stats) {
		run->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (run->stats_fd < 0)
			fprintf(stderr, "warning: failed to enable BPF run-time stats: %s\n",
				strerror(errno));
	}
	sample_settle(s);
	start_recording(s);
	s->t_start = s->t0;
	ret = trace_slow_start(run);
	if (ret)
		return ret;
	if (collect(s, &s->prev) == 0)
		print_header(run->out, s, &s->prev);
	if (cli->ready_file) {
		ret = rxs_write_atomic_text(cli->ready_file, "ready\n", NULL, 0);
		if (ret) {
			fprintf(stderr, "rxscope: failed to write ready file %s: %s\n",
				cli->ready_file, strerror(-ret));
			return RXS_EXIT_USAGE;
		}
	}
	fflush(run->out);	/* the hook list before the line on stderr */
	fprintf(stderr, "Tracing... %s\n", cli->duration_s > 0 ? "" : "Hit Ctrl-C to end.");
	sample_init(s);
	return RXS_EXIT_OK;
}

/* When the loop wakes next: the next interval or the end, a --sample step, or in 1 s. */
static double next_wake(const struct session *s, double next, double end)
{
	double wake = next < end ? next : end;

	if (wake > rxs_now_sec() + 1)
		wake = rxs_now_sec() + 1;
	if (s->cli->sample_pct < 100 && wake > s->pkt_next)
		wake = s->pkt_next;
	return wake;
}

/*
 * The run loop, until SIGINT/SIGTERM, the end of -d, or the loss of the device or driver
 * (run->lost): --sample's windows, the sweep of the tracking table, a piece written at
 * each SIGUSR1, a table every -i. Returns 0, or the exit code of a piece that could not
 * be written (the run then ends without its totals).
 */
static int trace_loop(struct trace_run *run)
{
	struct session *s = &run->s;
	const struct rxs_cli *cli = s->cli;
	double end = cli->duration_s > 0 ? s->t0 + cli->duration_s : 1e300;
	double next = cli->interval_s > 0 ? s->t0 + cli->interval_s : end;
	int ret;

	while (!stop_requested && rxs_now_sec() < end) {
		sleep_until(next_wake(s, next, end));
		sample_step(s);
		sweep_stale(s);
		if (target_lost(cli, s->driver, run->had_module)) {
			run->lost = true;
			break;
		}
		if (cut_requested && !stop_requested) {
			cut_requested = 0;
			ret = write_recording(s, true);
			if (ret != RXS_EXIT_OK)
				return ret;
			continue;
		}
		if (stop_requested || rxs_now_sec() >= end)
			break;
		if (rxs_now_sec() >= next) {
			interval_tick(s, run->out);
			next += cli->interval_s;
			/* late (a stopped or starved process): no burst of empty intervals */
			if (next <= rxs_now_sec())
				next = rxs_now_sec() + cli->interval_s;
		}
	}
	return RXS_EXIT_OK;
}

/* --sample: the windows opened, and what attaching and detaching their hooks cost. */
static void print_sample_cost(FILE *f, const struct session *s)
{
	const struct rxs_tracer *t = &s->tracer;

	fprintf(f, "--sample %d: %u windows of %.1f s every %.0f s; %.1f ms to attach the "
		"per-packet hooks, %.1f ms to hand them to the detaching threads, %.1f ms until "
		"the kernel had released them, per window\n", s->cli->sample_pct, s->windows,
		window_s(s), s->period_s,
		s->windows ? s->attach_s * 1e3 / s->windows : 0,
		s->detaches ? s->detach_s * 1e3 / s->detaches : 0,
		t->detach_waits ? t->detach_wait_s * 1e3 / t->detach_waits : 0);
}

/*
 * The end of the run: record writes the recording, trace prints the totals; then --stats
 * and --sample's figures. Returns the exit code (RXS_EXIT_RUNTIME when the traced device
 * or driver went away).
 */
static int trace_finish(struct trace_run *run)
{
	struct session *s = &run->s;
	const struct rxs_cli *cli = s->cli;
	int exit_code = RXS_EXIT_OK;

	if (run->record)
		exit_code = write_recording(s, false);
	else
		print_totals(s, run->out);
	if (!run->record && rxs_slow_active())
		fprintf(run->out, "--slow: %llu slow packets printed\n", rxs_slow_received());
	if (cli->stats && run->stats_fd >= 0)
		print_stats(run->out, &s->tracer, rxs_now_sec() - s->t_start);
	if (cli->sample_pct < 100)
		print_sample_cost(run->out, s);
	if (run->lost && exit_code == RXS_EXIT_OK)
		exit_code = RXS_EXIT_RUNTIME;
	return exit_code;
}

/* Switch --stats off again, detach, free. */
static void trace_teardown(struct trace_run *run)
{
	rxs_slow_stop();
	if (run->stats_fd >= 0)
		close(run->stats_fd);
	session_release(&run->s);
}

int rxs_trace_cmd(const struct rxs_cli *cli)
{
	struct trace_run run = { 0 };
	int exit_code;

	exit_code = trace_setup(&run, cli);
	if (exit_code != RXS_EXIT_OK)
		return exit_code;
	trace_signals(run.record && cli->split);
	exit_code = trace_start(&run);
	if (exit_code == RXS_EXIT_OK)
		exit_code = trace_loop(&run);
	if (exit_code == RXS_EXIT_OK)
		exit_code = trace_finish(&run);
	trace_teardown(&run);
	return exit_code;
}

/* --- the session for `serve` (trace.h) ----------------------------------------------- */

struct session *rxs_session_open(const struct rxs_cli *cli, int *exit_code)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s) {
		fprintf(stderr, "rxscope: out of memory\n");
		*exit_code = RXS_EXIT_PRIV;
		return NULL;
	}
	*exit_code = session_init(s, cli);
	if (*exit_code) {
		free(s);
		return NULL;
	}
	return s;
}

void rxs_session_start_recording(struct session *s)
{
	start_recording(s);
	s->t_start = s->t0;
}

int rxs_session_collect(struct session *s, struct rxs_recording *r)
{
	return collect(s, r);
}

void rxs_session_sweep(struct session *s)
{
	sweep_stale(s);
}

int rxs_session_prog_stats(const struct session *s, struct rxs_prog_stat *out, int max)
{
	return prog_stats(&s->tracer, out, max);
}

int rxs_session_ncpus(const struct session *s)
{
	return s->ncpus;
}

const char *rxs_session_kernel(const struct session *s)
{
	return s->kernel;
}

const char *rxs_session_driver(const struct session *s)
{
	return s->driver;
}

const struct rxs_plan *rxs_session_plan(const struct session *s)
{
	return &s->tracer.plan;
}

void rxs_session_close(struct session *s)
{
	session_release(s);
	free(s);
}
