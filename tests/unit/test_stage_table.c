// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_stage_table.c - the stage table of bpf/rxscope.h drives every output. This test and
 * the objects it links are built with tests/unit/extra_stage.h forced in, which adds one
 * stage and one counter to the tables and nothing else: the names, the report's rows, the
 * JSON, CSV and Prometheus writers, the JSON reader and compare must all carry them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compare.h"
#include "export.h"
#include "hist.h"
#include "report.h"
#include "synth.h"
#include "tmpdir.h"
#include "export_json.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif

static char *slurp(const char *path)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static struct rxs_recording *make_recording(__u64 seed, double throwaway_scale)
{
	static double scale[RXS_H_NR];
	struct rxs_recording *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	for (int i = 0; i < RXS_H_NR; i++)
		scale[i] = 1.0;
	scale[RXS_H_THROWAWAY] = throwaway_scale;
	synth_recording(r, 2, 400, scale, seed);
	r->cpus[0].bpf.throwaways = 41;
	r->cpus[1].bpf.throwaways = 1;
	return r;
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(RXS_H_THROWAWAY, RXS_H_NR - 1);
	assert_string_equal(rxs_stage_name(RXS_H_THROWAWAY), "throwaway");
	assert_string_equal(rxs_stage_unit(RXS_H_THROWAWAY), "ns");
	assert_int_equal(rxs_stage_from_name("throwaway"), RXS_H_THROWAWAY);
	assert_int_equal(rxs_stage_def(RXS_H_THROWAWAY)->from, RXS_P_IP_RCV);
	assert_int_equal(rxs_stage_def(RXS_H_THROWAWAY)->to, RXS_P_UDP_QUEUE);
	assert_true(rxs_stage_def(RXS_H_THROWAWAY)->per_packet);
	assert_int_equal(rxs_stage_at_rank(RXS_H_NR - 1), RXS_H_THROWAWAY);
	assert_string_equal(rxs_counter_defs[rxs_counter_count - 1].name, "throwaways");
}

/* every rank from 0 to RXS_H_NR - 1 names a different stage */
static void test_ranks(void **state)
{
	bool seen[RXS_H_NR] = { false };

	(void)state;
	for (int k = 0; k < RXS_H_NR; k++) {
		enum rxs_hist_id id = rxs_stage_at_rank(k);

		assert_true(id >= 0 && id < RXS_H_NR);
		assert_false(seen[id]);
		seen[id] = true;
	}
}

static void test_outputs(void **state)
{
	struct rxs_recording *a = make_recording(7, 1.0), *b = calloc(1, sizeof(*b));
	char err[256], *txt;
	FILE *f;

	(void)state;
	assert_non_null(b);
	assert_int_equal(rxs_export_write(a, path_of("t.json"), RXS_FMT_JSON, err, sizeof(err)),
			 0);
	txt = slurp(path_of("t.json"));
	assert_non_null(strstr(txt, "\"throwaway\""));
	assert_non_null(strstr(txt, "\"throwaways\""));

	assert_int_equal(rxs_json_read(path_of("t.json"), b, err, sizeof(err)), 0);
	assert_true(b->stages[RXS_H_THROWAWAY].available);
	assert_memory_equal(&a->stages[RXS_H_THROWAWAY].hist, &b->stages[RXS_H_THROWAWAY].hist,
			    sizeof(a->stages[RXS_H_THROWAWAY].hist));
	assert_int_equal(b->cpus[0].bpf.throwaways, 41);

	assert_int_equal(rxs_export_write(a, path_of("t.csv"), RXS_FMT_CSV, err, sizeof(err)),
			 0);
	assert_non_null(strstr(slurp(path_of("t.csv")), "throwaway"));

	assert_int_equal(rxs_export_write(a, path_of("t.prom"), RXS_FMT_PROM, err, sizeof(err)),
			 0);
	txt = slurp(path_of("t.prom"));
	assert_non_null(strstr(txt, "stage=\"throwaway\""));
	assert_non_null(strstr(txt, "rxscope_cpu_throwaways_total{cpu=\"0\"} 41"));

	f = fopen(path_of("t.txt"), "w");
	assert_non_null(f);
	rxs_report_stages(f, a, 0);
	fclose(f);
	txt = slurp(path_of("t.txt"));
	/* the last row of the report, after socket */
	assert_non_null(strstr(txt, "\nthrowaway "));
	assert_true(strstr(txt, "\nthrowaway ") > strstr(txt, "\nsocket "));
	rxs_recording_free(a);
	rxs_recording_free(b);
	free(a);
	free(b);
}

/* a recording made before the stage existed reads, with the stage unavailable */
static void test_old_file(void **state)
{
	struct rxs_recording *b = calloc(1, sizeof(*b));
	char err[256];

	(void)state;
	assert_non_null(b);
	err[0] = '\0';
	if (rxs_json_read(DATA_DIR "/recording-before-series.json", b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_false(b->stages[RXS_H_THROWAWAY].available);
	assert_int_equal(b->stages[RXS_H_THROWAWAY].hist.count, 0);
	/* and the real stages and counters added since, the RPS backlog's */
	assert_false(b->stages[RXS_H_BACKLOG].available);
	assert_false(b->stages[RXS_H_BACKLOG_LEN].available);
	assert_int_equal(b->cpus[0].bpf.backlog_enqueues, 0);
	assert_int_equal(b->cpus[0].bpf.rps_ipis, 0);
	assert_true(b->stages[RXS_H_POLL].available);
	rxs_recording_free(b);
	free(b);
}

/* compare judges the new stage like any other: tripled there, regressed there only */
static void test_compare(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_side sb, sn;
	struct rxs_cmp_result *res = calloc(1, sizeof(*res));
	char err[256], name[320], file[32];

	(void)state;
	assert_non_null(res);
	snprintf(name, sizeof(name), "mkdir -p '%s/base' '%s/new'", dir, dir);
	assert_int_equal(system(name), 0);
	for (int k = 0; k < 5; k++) {
		struct rxs_recording *x = make_recording(100 + k, 1.0);
		struct rxs_recording *y = make_recording(200 + k, 3.0);

		snprintf(file, sizeof(file), "base/r%d.json", k);
		assert_int_equal(rxs_export_write(x, path_of(file), RXS_FMT_JSON, err,
						  sizeof(err)), 0);
		snprintf(file, sizeof(file), "new/r%d.json", k);
		assert_int_equal(rxs_export_write(y, path_of(file), RXS_FMT_JSON, err,
						  sizeof(err)), 0);
		rxs_recording_free(x);
		rxs_recording_free(y);
		free(x);
		free(y);
	}
	rxs_compare_opts_init(&o);
	snprintf(name, sizeof(name), "%s", path_of("base"));
	assert_int_equal(rxs_cmp_side_load(name, &sb, err, sizeof(err)), 0);
	snprintf(name, sizeof(name), "%s", path_of("new"));
	assert_int_equal(rxs_cmp_side_load(name, &sn, err, sizeof(err)), 0);
	assert_int_equal(rxs_compare(&sb, &sn, &o, res, err, sizeof(err)), 0);
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];

		if (s->id == RXS_H_THROWAWAY)
			assert_int_equal(s->verdict, RXS_V_REGRESSED);
		else
			assert_int_not_equal(s->verdict, RXS_V_REGRESSED);
	}
	assert_int_equal(res->regressed, 1);
	rxs_cmp_side_free(&sb);
	rxs_cmp_side_free(&sn);
	free(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ranks),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_old_file),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
