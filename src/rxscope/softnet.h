/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * softnet.h - /proc/net/softnet_stat: parsing any kernel's column count, per-CPU deltas,
 * and the `rxscope softnet` verb.
 *
 * Column layout (net/core/net-procfs.c, one row per online CPU, all %08x):
 *   0 processed  1 dropped  2 time_squeeze  3-7 zero (were fastroute)
 *   8 zero (was cpu_collision)  9 received_rps  10 flow_limit_count
 *   11 backlog_len (5.10+)  12 cpu index (5.10+)  13 input_qlen  14 process_qlen (6.9+)
 * So 6.1 prints 13 columns, 6.12 and 6.18 print 15, and older kernels 10 or 11. Columns
 * beyond those known are kept and named colN. backlog_len and the qlen columns are gauges
 * (a delta keeps the newer value); the cpu column is an id; the rest are u32 counters
 * (a delta is taken modulo 2^32).
 */
#ifndef RXS_SOFTNET_H
#define RXS_SOFTNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "recording.h"

#define RXS_SN_PROCESSED	0
#define RXS_SN_DROPPED		1
#define RXS_SN_TIME_SQUEEZE	2
#define RXS_SN_RECEIVED_RPS	9
#define RXS_SN_FLOW_LIMIT	10
#define RXS_SN_BACKLOG_LEN	11
#define RXS_SN_CPU		12
#define RXS_SN_INPUT_QLEN	13
#define RXS_SN_PROCESS_QLEN	14

struct rxs_softnet_row {
	int cpu;	/* from the cpu column, else the row number (wrong if CPUs are offline) */
	__u64 v[RXS_SOFTNET_MAX_COLS];
};

struct rxs_softnet {
	int ncols;	/* columns of every row (the file's rows must agree) */
	int nrows;
	bool has_cpu_col;
	struct rxs_softnet_row *rows;	/* owned; rxs_softnet_free() */
};

/* /proc/net/softnet_stat, or the file RXSCOPE_SOFTNET_PATH names (for tests). */
const char *rxs_softnet_path(void);

/* Parse @path (usually /proc/net/softnet_stat). 0, or -errno with @err set. */
int rxs_softnet_read(const char *path, struct rxs_softnet *snap, char *err, size_t errlen);
/* Parse from an open stream; @name is used in error messages. */
int rxs_softnet_parse(FILE *f, const char *name, struct rxs_softnet *snap, char *err,
		      size_t errlen);
void rxs_softnet_free(struct rxs_softnet *snap);

/*
 * @out = @after - @before, row matched by cpu. Counters subtract modulo 2^32, gauges and
 * the cpu column keep @after's value; a CPU missing from @before counts from zero.
 * Returns 0, or -EINVAL when the column counts differ.
 */
int rxs_softnet_delta(const struct rxs_softnet *before, const struct rxs_softnet *after,
		      struct rxs_softnet *out, char *err, size_t errlen);

/* "processed", "dropped", ..., "colN" beyond the known columns. */
const char *rxs_softnet_col_name(int col);
/* true for the monotonic counter columns (not gauges, not the cpu id, not the zeros). */
bool rxs_softnet_col_is_counter(int col);
/* true for the always-zero legacy columns 3..8 */
bool rxs_softnet_col_is_legacy(int col);

/* Copy @delta into @r->cpus[].softnet, matching rows to CPUs by cpu number. */
void rxs_softnet_fill(struct rxs_recording *r, const struct rxs_softnet *delta);

/*
 * `rxscope softnet [-i SEC] [-d SEC]`: print per-CPU deltas of /proc/net/softnet_stat
 * every @interval_s seconds, for @duration_s seconds (0: until SIGINT/SIGTERM).
 * Returns the exit code: 0; 2 when the file cannot be read or parsed at the start;
 * 5 (runtime failure) when a later reading fails or changes its column count.
 */
int rxs_softnet_cmd(double interval_s, double duration_s);

#endif /* RXS_SOFTNET_H */
