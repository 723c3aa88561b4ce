/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export_prom.h - the Prometheus text exposition (export_prom.c): of a recording, for
 * node_exporter's textfile collector (rxs_export_write()), and of `rxscope serve`'s
 * scrapes (docs/prometheus.md).
 */
#ifndef RXS_EXPORT_PROM_H
#define RXS_EXPORT_PROM_H

#include <stdbool.h>
#include <stdio.h>
#include "recording.h"

/* Write @r as Prometheus text to @f (rxs_export_write()); 0 or a negative errno. */
int rxs_prom_write(FILE *f, const struct rxs_recording *r);

/* One BPF program's cost, from the kernel's bpf_prog_info (trace.c). */
struct rxs_prog_stat {
	char name[64];
	unsigned long long run_cnt;	/* 0 unless kernel.bpf_stats_enabled (or --stats) */
	unsigned long long run_time_ns;
	unsigned long long missed;	/* recursion misses + kprobe link misses */
};

/* What `rxscope serve` adds to a recording in each scrape (docs/prometheus.md). */
struct rxs_prom_scrape {
	const struct rxs_prog_stat *progs;
	int nprogs;
	bool bpf_stats;			/* run counts and times are being measured */
	double collect_s;		/* time this scrape spent reading the maps */
	unsigned long long scrapes;	/* GET /metrics answered before this one */
	unsigned long long http_status[6];	/* responses by class, [2] 2xx .. [5] 5xx */
	unsigned long long conns_accepted, conns_evicted, conns_timed_out;
	int conns_open;
};

/*
 * The latency histograms' fixed `le` bounds in `rxscope serve` output: 2^e - 1 ns for
 * e = RXS_PROM_LAT_EXP_MIN .. RXS_PROM_LAT_EXP_MAX (63 ns .. 34.4 s), each the upper
 * end of an in-kernel bucket, so every exported bucket is exact.
 */
#define RXS_PROM_LAT_EXP_MIN	6
#define RXS_PROM_LAT_EXP_MAX	35
/* packets per poll: 2^e - 1 for e = 0 .. RXS_PROM_PKT_EXP_MAX (0, 1, 3, ... 255) */
#define RXS_PROM_PKT_EXP_MAX	8

/*
 * The exposition of `rxscope serve`: @r holds totals since serve started (so counters
 * are real Prometheus counters), @x the tracer's and the server's own figures.
 * Returns 0 or a negative errno.
 */
int rxs_prom_write_scrape(FILE *f, const struct rxs_recording *r,
			  const struct rxs_prom_scrape *x);

/* How many events of @h are <= @bound (exact when @bound + 1 is a bucket boundary). */
unsigned long long rxs_prom_cumulative(const struct rxs_hist *h, unsigned long long bound);

#endif /* RXS_EXPORT_PROM_H */
