// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_softnet.c - the /proc/net/softnet_stat parser, for any column count. The input is
 * two snapshots separated by a NUL byte (one snapshot, used twice, without it). Each is
 * parsed; accepted snapshots must be sane, their delta must keep counters within u32,
 * and the delta goes through rxs_softnet_fill() and the per-CPU report table as in
 * `rxscope record`.
 */
#include "fuzz.h"
#include "recording.h"
#include "export.h"
#include "report.h"
#include "softnet.h"

static int parse(const uint8_t *data, size_t size, struct rxs_softnet *s)
{
	char err[256] = "";
	FILE *f;
	int ret;

	if (!size) {	/* fmemopen refuses size 0: an empty file is parsed from /dev/null */
		f = fopen("/dev/null", "r");
	} else {
		f = fmemopen((void *)data, size, "r");
	}
	FUZZ_CHECK(f, "fmemopen");
	ret = rxs_softnet_parse(f, "fuzz", s, err, sizeof(err));
	fclose(f);
	if (ret) {
		FUZZ_CHECK(err[0], "rejected without a message");
		FUZZ_CHECK(!s->rows && !s->nrows, "rejected but rows left");
		return ret;
	}
	FUZZ_CHECK(s->ncols >= 1 && s->ncols <= RXS_SOFTNET_MAX_COLS, "ncols %d", s->ncols);
	FUZZ_CHECK(s->nrows >= 1 && s->nrows <= RXS_MAX_CPUS, "nrows %d", s->nrows);
	for (int i = 0; i < s->nrows; i++)
		FUZZ_CHECK(s->rows[i].cpu >= 0 && s->rows[i].cpu < RXS_MAX_CPUS, "cpu %d",
			   s->rows[i].cpu);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t la = nul ? (size_t)(nul - data) : size;
	const uint8_t *b = nul ? nul + 1 : data;
	size_t lb = nul ? size - la - 1 : size;
	struct rxs_softnet before, after, delta;
	struct rxs_recording r;
	char err[256];

	if (parse(data, la, &before))
		return 0;
	if (parse(b, lb, &after)) {
		rxs_softnet_free(&before);
		return 0;
	}
	if (rxs_softnet_delta(&before, &after, &delta, err, sizeof(err)) == 0) {
		FUZZ_CHECK(delta.nrows == after.nrows && delta.ncols == after.ncols, "shape");
		for (int i = 0; i < delta.nrows; i++)
			for (int c = 0; c < delta.ncols; c++)
				if (rxs_softnet_col_is_counter(c))
					FUZZ_CHECK(delta.rows[i].v[c] <= 0xffffffffULL,
						   "counter delta above u32");
		rxs_recording_init(&r, delta.nrows < 8 ? delta.nrows : 8);
		FUZZ_CHECK(r.cpus, "recording");
		for (int i = 0; i < r.ncpus; i++)
			r.cpus[i].cpu = delta.rows[i].cpu;
		rxs_softnet_fill(&r, &delta);
		rxs_report_cpus(fuzz_null(), &r);
		rxs_recording_free(&r);
		rxs_softnet_free(&delta);
	} else {
		FUZZ_CHECK(before.ncols != after.ncols, "delta refused: %s", err);
	}
	for (int c = 0; c < RXS_SOFTNET_MAX_COLS; c++)
		FUZZ_CHECK(rxs_softnet_col_name(c) && rxs_softnet_col_name(c)[0], "col name");
	rxs_softnet_free(&before);
	rxs_softnet_free(&after);
	return 0;
}
