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

/* The stage table: count, p50, p90, p99, p99.9, max (readable units), hook. */
void rxs_report_stages(FILE *f, const struct rxs_recording *r);
/* Funnel totals over CPUs, the losses between hooks, drops by reason, tracking losses. */
void rxs_report_funnel(FILE *f, const struct rxs_recording *r);
/*
 * Per-CPU: BPF counters next to the kernel's softnet_stat deltas. Prints a WARNING line
 * per CPU where they disagree (see report.c); returns the number of warnings.
 */
int rxs_report_cpus(FILE *f, const struct rxs_recording *r);
/* Everything above, plus bar histograms of every non-empty stage when @hist. */
void rxs_report_print(FILE *f, const struct rxs_recording *r, bool hist);

/* `rxscope report FILE [--hist]`: 0, or 2 when FILE is missing or invalid (message on
 * stderr naming the file and field). */
int rxs_report_cmd(const char *path, bool hist);

#endif /* RXS_REPORT_H */
