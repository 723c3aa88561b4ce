/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * attach.h - hook selection: what this kernel offers (fentry, kprobe, tp_btf, raw_tp),
 * driver profiles (rxscope_igb, igb, generic) and `--driver auto`, the per-point choice of
 * hook flavour with fallback, and loading/attaching the BPF skeleton accordingly.
 */
#ifndef RXS_ATTACH_H
#define RXS_ATTACH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include "recording.h"

#define RXS_MAX_IRQS	64

/* What the running kernel lets us do, probed once. */
struct rxs_features {
	bool btf;		/* /sys/kernel/btf/vmlinux */
	bool fentry;		/* a fentry program loads and attaches */
	bool kprobe;		/* kprobe PMU or tracefs kprobe_events */
	bool tracefs;		/* tracefs events/ readable */
	bool tp_btf;		/* tp_btf programs allowed (BTF-typed tracepoints) */
	bool raw_tp;		/* raw tracepoints allowed (always, unless RXSCOPE_DISABLE) */
	bool func_arg;		/* bpf_get_func_arg()/bpf_get_func_ret() exist (5.17) */
	bool module_btf;	/* modules have BTF in /sys/kernel/btf/ (5.11) */
};

/* One way to hook a point: its flavour and the kernel function (fentry/kprobe). */
struct rxs_hook {
	enum rxs_hook_kind kind;
	char func[64];		/* fentry/kprobe target; "" for tracepoints */
};

#define RXS_MAX_CANDS	4

/* The candidates of every point, best first, and the one in use. */
/* What rxscope knows of a driver: where its functions are and how to read its ISR. */
struct rxs_driver_profile {
	const char *name;
	const char *module;		/* whose BTF holds the functions; "" for none */
	const char *isr;		/* the per-queue (MSI-X) ISR; NULL: irq tracepoints */
	const char *poll;		/* the NAPI poll; NULL: none */
	enum rxs_isr_arg isr_arg;	/* what the ISR's argument points to */
};

/* The profile called @name (rxscope_igb, igb, generic), or NULL. */
const struct rxs_driver_profile *rxs_driver_profile(const char *name);

struct rxs_plan {
	const struct rxs_driver_profile *profile;
	char driver[32];		/* resolved profile */
	char dev[32];
	int ifindex;
	int irqs[RXS_MAX_IRQS];		/* the device's irqs, for the generic ISR hook */
	int nirqs;
	struct rxs_hook cands[RXS_P_NR][RXS_MAX_CANDS];
	int ncands[RXS_P_NR];
	int chosen[RXS_P_NR];		/* index into cands, -1: unavailable */
	bool func_arg;			/* as in struct rxs_features */
	unsigned int dequeue_nargs;	/* arguments of the socket dequeue function */
	bool softnet_var;		/* vmlinux BTF has softnet_data (backlog_len) */
	/*
	 * Per point, why the better flavours are not in use, or why it has none:
	 * "fentry on igb_poll: no BTF for module igb (module BTF came in 5.11)".
	 */
	char why[RXS_P_NR][256];
};

/* Filters applied in the kernel. */
struct rxs_filters {
	int ifindex;	/* 0: any */
	int port;	/* 0: any */
	int cpu;	/* -1: any */
	int by;		/* enum rxs_by: split the per-packet stages by queue or CPU */
	unsigned long long slow_ns;	/* --slow threshold, 0: off (slow.h) */
	unsigned int slow_rate;		/* --slow-rate, 0: the default */
};

struct rxscope_bpf;
struct bpf_link;

/* The most BPF programs one hook point attaches (entry and exit of two functions). */
#define RXS_POINT_PROGS	4

/* A per-packet link that a thread destroys, and when it was done (monotonic s). */
struct rxs_detach_job {
	struct bpf_link *link;
	double done;
};

/* The loaded and attached tracer. */
struct rxs_tracer {
	struct rxscope_bpf *skel;
	struct bpf_link *links[64];	/* every point's links but the per-packet ones */
	int nlinks;
	/* the per-packet points' links (one program each), while attached */
	struct bpf_link *pkt_links[RXS_P_NR][RXS_POINT_PROGS];
	/* --sample: threads that detach a window's links, one each (the kernel takes its time) */
	pthread_t detachers[RXS_P_NR * RXS_POINT_PROGS];
	struct rxs_detach_job jobs[RXS_P_NR * RXS_POINT_PROGS];
	int ndetachers;
	/*
	 * --sample: when the last detach began (0: none pending), and the time from there
	 * until the kernel had released every link, summed over detach_waits detaches
	 */
	double detach_start, detach_wait_s;
	unsigned int detach_waits;
	struct rxs_plan plan;
};

/*
 * Probe the kernel. The environment variable RXSCOPE_DISABLE (a comma list of fentry,
 * kprobe, tp_btf) hides flavours the kernel has, to test the fallbacks.
 */
void rxs_features_probe(struct rxs_features *f);

/*
 * Can we use bpf() at all, and is there BTF? 0, or -EPERM (privilege) / -ENOTSUP (no BTF)
 * with a message in @err naming what is missing.
 */
int rxs_check_access(char *err, size_t errlen);

/* -v: libbpf's debug output, and a note for each hook the kernel refuses (set by trace.c). */
extern bool rxs_verbose;

const char *rxs_hook_kind_name(enum rxs_hook_kind k);
const char *rxs_point_name(enum rxs_point p);

/*
 * Resolve `--driver` (auto, rxscope_igb, igb, generic) for device @dev ("" for any):
 * auto takes the driver bound to @dev, else rxscope_igb or igb if loaded, else generic.
 * Returns 0, or -EINVAL with @err set (unknown driver name).
 */
int rxs_driver_resolve(const char *want, const char *dev, char *out, size_t len,
		       char *err, size_t errlen);

/*
 * Build the candidate list of every hook point for @driver on @dev and pick, per point,
 * the best candidate the kernel offers (@f). @detail (RXS_DETAIL_*) adds the optional
 * points. Never fails: a point without candidates is unavailable.
 */
void rxs_plan_build(struct rxs_plan *plan, const char *driver, const char *dev, int ifindex,
		    unsigned int detail, const struct rxs_features *f);

/*
 * Why stage @stage (enum rxs_hist_id) is unavailable in @plan: the reasons of the hook
 * points it misses, or "" when it is available.
 */
void rxs_plan_stage_why(const struct rxs_plan *plan, int stage, char *buf, size_t len);

/* The hook string of @p in the plan ("fentry:igb_poll", "tp_btf:napi_poll"), or "". */
void rxs_plan_hook_str(const struct rxs_plan *plan, enum rxs_point p, char *buf, size_t len);

/*
 * Fill r->stages[] from the plan: name, unit, hook (the hooks of the stage's two ends)
 * and whether it is available.
 */
void rxs_plan_fill_stages(const struct rxs_plan *plan, struct rxs_recording *r);

/*
 * Open, load and attach the skeleton for @plan. When the kernel refuses a flavour (load or
 * attach fails), fall back to the next candidate and retry; the plan is updated to what
 * was really attached. Returns 0, or a negative errno with @err set when nothing could be
 * loaded at all.
 */
int rxs_tracer_start(struct rxs_tracer *t, const struct rxs_filters *flt, char *err,
		     size_t errlen);
void rxs_tracer_stop(struct rxs_tracer *t);

/*
 * Is @p a per-packet hook point (GRO to the socket, and the drop hook)? Sampling attaches
 * these for part of the time; the per-IRQ points stay attached.
 */
bool rxs_point_per_packet(enum rxs_point p);

/*
 * Sampling: detach the per-packet points (@on false) or attach them again (@on true).
 * Detaching returns at once: a thread destroys the links, since the kernel may wait
 * for RCU grace periods (about 2 s under TCG) after the hooks are already out of the
 * path; attaching waits for that thread, since a program still linked cannot be linked
 * again. Returns 0 or a negative errno (the links that failed stay detached).
 */
int rxs_tracer_packets(struct rxs_tracer *t, bool on);

/* Wait until the links that rxs_tracer_packets() detached are gone from the kernel. */
void rxs_tracer_packets_join(struct rxs_tracer *t);

/* Let the BPF side follow new packets (@on) or only finish those it follows. */
void rxs_tracer_follow(struct rxs_tracer *t, bool on);

#endif /* RXS_ATTACH_H */
