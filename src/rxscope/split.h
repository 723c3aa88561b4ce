/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * split.h - `--by queue` and `--by cpu`: the per-packet stages of a recording split by RX
 * queue or by CPU, next to the whole-path histograms (which stay as they are). What the
 * collector reads from the BPF maps, the difference of two readings, the report's
 * per-queue tables, and the CSV and Prometheus forms; the JSON form is in export_json.c.
 */
#ifndef RXS_SPLIT_H
#define RXS_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "recording.h"

/*
 * The split of one recording. Group g < RXS_BY_MAX is queue (or CPU) g; RXS_BY_OTHER
 * holds the higher ones and, by queue, the packets whose driver recorded no RX queue.
 * hist[g][id] is filled for the per-packet stages (per_packet in RXS_STAGES) only.
 */
struct rxs_split {
	int by;					/* RXS_BY_QUEUE or RXS_BY_CPU */
	__u64 pkts[RXS_BY_GROUPS];		/* packets followed, by where they started */
	struct rxs_hist hist[RXS_BY_GROUPS][RXS_H_NR];
};

/* "queue", "cpu" ("none" for RXS_BY_NONE, "?" otherwise). */
const char *rxs_by_name(int by);
/* "queue" or "cpu" -> enum rxs_by; -1 for anything else. */
int rxs_by_parse(const char *s);
/* The label of group @g: "0" .. "15", "other". Returns @buf. */
char *rxs_split_group_name(int g, char *buf, size_t len);
/* Whether group @g of @s has any packet or event (the groups the outputs show). */
bool rxs_split_group_used(const struct rxs_split *s, int g);

/* A zeroed split by @by (RXS_BY_QUEUE or RXS_BY_CPU), or NULL when out of memory. */
struct rxs_split *rxs_split_new(int by);
/* Free @r->split and set it to NULL (rxs_recording_free() calls it). */
void rxs_split_free(struct rxs_recording *r);
/*
 * @out->split = @now->split - @before->split (histograms by rxs_hist_delta(), counts
 * clamped at 0); none when @now has none. 0 or -ENOMEM.
 */
int rxs_split_delta(struct rxs_recording *out, const struct rxs_recording *now,
		    const struct rxs_recording *before);
/*
 * Read the maps by_hists (@hist_fd, RXS_BY_GROUPS * RXS_PP_NR per-CPU histograms) and
 * by_pkts (@pkts_fd) into a new @r->split, merged over @ncpus CPUs. 0 or a negative errno.
 */
int rxs_split_collect(struct rxs_recording *r, int by, int hist_fd, int pkts_fd, int ncpus);
/* Zero the two maps (record --split starts a piece). 0 or a negative errno. */
int rxs_split_clear(int hist_fd, int pkts_fd, int ncpus);

/*
 * The report's tables (nothing without a split): packets and share per group with a
 * bar, then count, p50 and p99 of each per-packet stage per group.
 */
void rxs_split_report(FILE *f, const struct rxs_recording *r);
/* The CSV rows of the split (same columns as the stage rows, the group last). */
void rxs_split_csv(FILE *f, const struct rxs_recording *r);
/*
 * The Prometheus families of the split: rxscope_stage_latency_by_<by>_seconds{stage,
 * <by>} histograms with le = 2^e - 1 ns for e = @emin .. @emax, and
 * rxscope_packets_by_<by>_total{<by>}. @lbl: labels put first ("" for none).
 */
void rxs_split_prom(FILE *f, const struct rxs_recording *r, const char *lbl, int emin,
		    int emax);

#endif /* RXS_SPLIT_H */
