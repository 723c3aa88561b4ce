/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * report.h - printing a recording for people: the per-stage latency table, the packet
 * funnel and drop reasons, the per-CPU softnet table, optional bar histograms, and the
 * `rxscope report FILE [--hist]` verb.
 */
#ifndef RXS_REPORT_H
#define RXS_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "recording.h"

/* What rxs_report_print() and rxs_report_stages() show; flags may be or-ed. */
enum {
	RXS_REPORT_HIST = 1 << 0,	/* bar histograms of every non-empty stage */
	RXS_REPORT_LIVE = 1 << 1,	/* trace's tables: the session's header and hook list
					 * were printed at its start, so no header line and
					 * no HOOK column */
	RXS_REPORT_RAW_NS = 1 << 2,	/* histogram rows in nanoseconds, not us/ms */
};

/* The stage table: count, p50, p90, p99, p99.9, max (readable units), hook. */
void rxs_report_stages(FILE *f, const struct rxs_recording *r, unsigned int flags);
/* Funnel totals over CPUs, the losses between hooks, drops by reason, tracking losses. */
void rxs_report_funnel(FILE *f, const struct rxs_recording *r);
/*
 * The "backlog:" line (rxs_report_funnel ends with it): backlog enqueues and RPS IPIs as
 * BPF counted them, and softnet_stat's received_rps, dropped and flow_limit_count.
 */
void rxs_report_backlog(FILE *f, const struct rxs_recording *r);
/*
 * Per-CPU: BPF counters next to the kernel's softnet_stat deltas. Prints a WARNING line
 * per CPU where they disagree (see report.c); returns the number of warnings.
 */
int rxs_report_cpus(FILE *f, const struct rxs_recording *r);
/* Everything above (a header line first), plus what @flags ask for (RXS_REPORT_*). */
void rxs_report_print(FILE *f, const struct rxs_recording *r, unsigned int flags);

/* `rxscope report FILE [--hist]`: 0, or 2 when FILE is missing or invalid (message on
 * stderr naming the file and field). */
int rxs_report_cmd(const char *path, unsigned int flags);

#endif /* RXS_REPORT_H */
