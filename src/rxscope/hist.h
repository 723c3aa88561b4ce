/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * hist.h - userspace side of the log-linear histogram of bpf/rxscope.h: bucket bounds,
 * adding and merging, quantiles, bcc-style bar charts, and the stage names and units.
 */
#ifndef RXS_HIST_H
#define RXS_HIST_H

#include <stdio.h>
#include <stdbool.h>
#include <linux/types.h>
#include "rxscope.h"

/* Lowest value that lands in @slot. */
__u64 rxs_hist_slot_lo(__u32 slot);
/* One past the highest value of @slot; UINT64_MAX for the last (open-ended) slot. */
__u64 rxs_hist_slot_hi(__u32 slot);

void rxs_hist_init(struct rxs_hist *h);
/* Add one value (what the BPF side does per event; used by tests and synthetic data). */
void rxs_hist_add(struct rxs_hist *h, __u64 v);
/* dst += src: counts, sums and slots add, min/max combine. */
void rxs_hist_merge(struct rxs_hist *dst, const struct rxs_hist *src);

/*
 * @out = @after - @before, for two snapshots of the same growing histogram (@before
 * taken first): what was added in between. Slots subtract (a slot that shrank, which a
 * cleared map could cause, counts 0) and count is their sum. min and max are exact when
 * the extreme fell in between, else the bounds of the first and last non-empty slot,
 * clamped to @after's [min, max].
 */
void rxs_hist_delta(struct rxs_hist *out, const struct rxs_hist *after,
		    const struct rxs_hist *before);

/*
 * The q-quantile (0 <= q <= 1) read from the buckets: the value of rank ceil(q * count)
 * (1-based, at least 1), interpolated inside its bucket and clamped to [min, max].
 * It lies in the same bucket as the exact sample quantile, so its relative error is below
 * 1/8. Returns 0 for an empty histogram.
 */
double rxs_hist_quantile(const struct rxs_hist *h, double q);
/* Mean, 0 when empty. */
double rxs_hist_mean(const struct rxs_hist *h);
/* Sum of slots[], which should equal count. */
__u64 rxs_hist_slot_total(const struct rxs_hist *h);

/*
 * bcc-style bar histogram, one row per power of two (the log-linear sub-buckets of that
 * power are folded together), from the first to the last non-empty row; 79 columns wide.
 * @unit names the values ("ns", "packets"). Rows are half-open ranges in readable units,
 * "[2.05us, 4.10us)" (bpftrace-style; rxs_fmt_value()), or with @raw bcc's
 * "2048 -> 4095" in the unit itself.
 */
void rxs_print_hist_bars(FILE *f, const struct rxs_hist *h, const char *unit, bool raw);

/* One row of the stage table (RXS_STAGES in bpf/rxscope.h). */
struct rxs_stage_def {
	const char *name;
	const char *unit;		/* "ns" or "packets" */
	enum rxs_point from, to;	/* the hook points that bound the stage */
	int from_end, to_end;		/* 0: where the point starts, 1: where it ends */
	bool per_packet;
	int rank;			/* row in the report */
};

/* The table row of stage @id (0 <= id < RXS_H_NR). */
const struct rxs_stage_def *rxs_stage_def(enum rxs_hist_id id);
/* The stage shown at report row @rank (0 <= rank < RXS_H_NR). */
enum rxs_hist_id rxs_stage_at_rank(int rank);
/* "hardirq", "irq_to_softirq", ... for RXS_H_* ids; "?" if out of range. */
const char *rxs_stage_name(enum rxs_hist_id id);
/* "ns" for the latency stages, "packets" for poll_pkts. */
const char *rxs_stage_unit(enum rxs_hist_id id);
/* The id of stage @name, or -1. */
int rxs_stage_from_name(const char *name);
/* "gro", "netif_receive", "ip_rcv", "udp_queue", "socket" for RXS_F_* ids. */
const char *rxs_funnel_name(enum rxs_funnel id);
/* The hook point whose packets funnel step @id counts. */
enum rxs_point rxs_funnel_point(enum rxs_funnel id);

/* The per-CPU BPF counters of RXS_COUNTERS, by name, in table order. */
struct rxs_counter_def {
	const char *name;
	const char *help;
	bool required;			/* in every file; else missing reads as 0 */
	size_t off;			/* in struct rxs_cpu_counters */
};
extern const struct rxs_counter_def rxs_counter_defs[];
extern const int rxs_counter_count;
/* The value of counter @d in @c. */
__u64 rxs_counter_get(const struct rxs_cpu_counters *c, const struct rxs_counter_def *d);
__u64 *rxs_counter_ptr(struct rxs_cpu_counters *c, const struct rxs_counter_def *d);

/*
 * Format @v (in @unit) for a table: ns values get ns/us/ms/s with 3 significant digits,
 * other units print as plain numbers. Returns @buf.
 */
char *rxs_fmt_value(char *buf, size_t len, double v, const char *unit);

/* The power-of-two row of bucket @slot: [2^(r-1), 2^r) for r >= 1, [0, 1) for r == 0. */
int rxs_hist_slot_row(int slot);

#endif /* RXS_HIST_H */
