/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * recording.h - the collector's in-memory picture of one recording: what `trace` fills
 * from the BPF maps, what `record` writes, what `report` and `compare` read back.
 */
#ifndef RXS_RECORDING_H
#define RXS_RECORDING_H

#include <stdbool.h>
#include <linux/types.h>
#include "rxscope.h"

#define RXS_SCHEMA		"rxscope/1"

struct rxs_slow_set;		/* slow.h */
#define RXS_SOFTNET_MAX_COLS	32
#define RXS_MAX_CPUS		1024

struct rxs_stage {
	char name[40];		/* "hardirq", "irq_to_rx", ... (see rxs_stage_name()) */
	char unit[8];		/* "ns" or "packets" */
	char hook[96];		/* "fentry:rxscope_igb_poll>fexit:rxscope_igb_poll"... */
	bool available;		/* false: the kernel offered no hook; hist is empty */
	struct rxs_hist hist;	/* merged over CPUs */
};

struct rxs_cpu_stat {
	int cpu;
	struct rxs_cpu_counters bpf;		/* what the BPF side counted */
	int softnet_ncols;			/* columns /proc/net/softnet_stat had */
	__u64 softnet[RXS_SOFTNET_MAX_COLS];	/* deltas over the recording */
};

/*
 * One interval of a recording's time series (record -i SEC): what happened in it, as
 * deltas of the totals, not cumulative values.
 */
struct rxs_interval {
	double t_s;			/* end of the interval, seconds since the start */
	double dur_s;			/* its length in seconds */
	struct rxs_hist hist[RXS_H_NR];	/* what each stage's histogram gained */
	struct rxs_cpu_counters bpf;	/* the BPF counters, summed over CPUs */
	__u64 sn_processed;		/* softnet_stat columns, summed over CPUs */
	__u64 sn_dropped;
	__u64 sn_time_squeeze;
};

struct rxs_split;	/* split.h */

/* A series holds at most this many intervals; beyond, neighbours merge in pairs. */
#define RXS_SERIES_MAX		1024

struct rxs_recording {
	char kernel[128];	/* uname -r of the traced kernel */
	char driver[32];	/* rxscope_igb, igb or generic */
	char dev[32];		/* interface filter, "" for any */
	int port;		/* UDP port filter, 0 for any */
	double duration_s;
	long long start_unix;	/* seconds since the epoch */
	int ncpus;
	struct rxs_stage stages[RXS_H_NR];
	struct rxs_cpu_stat *cpus;	/* ncpus entries, owned */
	__u64 drop_reasons[RXS_MAX_DROP_REASONS];
	char drop_reason_names[RXS_MAX_DROP_REASONS][48];	/* "" if unknown */
	__u64 tracking_swept;	/* followed packets whose end no hook saw: removed by the
				 * collector after RXS_STALE_S untouched (0 in files
				 * without it) */
	int sample_pct;		/* per-packet hooks attached this % of the time (100:
				 * every packet; 100 in files without it) */
	int nseries;			/* 0: no time series */
	struct rxs_interval *series;	/* nseries entries, owned */
	struct rxs_split *split;	/* --by queue|cpu: the per-packet stages split (owned);
					 * NULL without --by */
	struct rxs_slow_set *slow;	/* record --slow: the worst packets, owned (free());
					 * NULL without */
};

/*
 * An empty recording of @ncpus CPUs (clamped to 0..RXS_MAX_CPUS; 0 CPUs when the table
 * cannot be allocated): the stages' names and units, sample_pct 100, nothing else.
 */
void rxs_recording_init(struct rxs_recording *r, int ncpus);
/* Free what @r owns (the CPU table and the series); @r can be initialised again. */
void rxs_recording_free(struct rxs_recording *r);

/*
 * The totals of @r in the shape of an interval (counters summed over CPUs), with t_s =
 * dur_s = @r->duration_s: the cumulative snapshot that rxs_interval_delta() subtracts.
 */
void rxs_interval_from(struct rxs_interval *out, const struct rxs_recording *r);
/* @out = @after - @before (hists via rxs_hist_delta(), counters clamped at 0); t_s is
 * @after's, dur_s the time between the two. */
void rxs_interval_delta(struct rxs_interval *out, const struct rxs_interval *after,
			const struct rxs_interval *before);
/* @dst += @src: hists merge, counters add, the time span grows to cover both. */
void rxs_interval_merge(struct rxs_interval *dst, const struct rxs_interval *src);
/*
 * Append @iv to @r's series. When RXS_SERIES_MAX intervals are held, neighbouring pairs
 * merge first (the resolution halves, memory stays bounded). 0 or -ENOMEM.
 */
int rxs_series_append(struct rxs_recording *r, const struct rxs_interval *iv);
void rxs_series_free(struct rxs_recording *r);
/*
 * rxs_recording_delta() - what happened between two readings of the same session's
 * cumulative maps: @out (initialised here; free with rxs_recording_free()) takes @now's
 * names, hooks and filters; histograms, counters, drops, the sweep count and the softnet
 * counter columns are @now - @before (histograms by rxs_hist_delta()); softnet gauges keep
 * @now's value; the duration is the difference and the start @before's end. CPUs are
 * matched by index (both readings have the same CPUs). Returns 0 or -ENOMEM.
 */
int rxs_recording_delta(struct rxs_recording *out, const struct rxs_recording *now,
			const struct rxs_recording *before);

#endif /* RXS_RECORDING_H */
