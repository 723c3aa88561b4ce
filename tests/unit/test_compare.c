// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_compare.c - `rxscope compare` on synthetic recordings: same distribution -> ok,
 * shifted 30% -> regressed, tiny samples -> insufficient data, run-to-run noise, the
 * observed false-positive count, the output formats and every bad-input case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>
#include <cmocka.h>
#include "synth.h"
#include "tmpdir.h"
#include "compare.h"

/* Stages that count events (poll_pkts, backlog_len): compare shows them, judges none. */
static bool is_count(int id)
{
	return !strcmp(rxs_stage_unit(id), "packets");
}

static int n_count_stages(void)
{
	int n = 0;

	for (int i = 0; i < RXS_H_NR; i++)
		n += is_count(i);
	return n;
}

static const char *P(const char *name)
{
	static char p[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* write a recording: every stage scaled by @all, stage @only (or -1) by @one on top */
static void make_run(const char *name, __u64 n, double all, int only, double one,
		     __u64 seed)
{
	double scale[RXS_H_NR];
	struct rxs_recording r;
	char err[256], sub[256], cmd[300], *slash;

	for (int i = 0; i < RXS_H_NR; i++)
		scale[i] = all * (i == only ? one : 1.0);
	snprintf(sub, sizeof(sub), "%s", P(name));
	slash = strrchr(sub, '/');
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", sub);
	assert_int_equal(system(cmd), 0);
	synth_recording(&r, 2, n, scale, seed);
	if (rxs_export_write(&r, P(name), RXS_FMT_JSON, err, sizeof(err)))
		fail_msg("%s", err);
	rxs_recording_free(&r);
}

/* a side of @n runs in directory @set: run i scaled by sc[i] * @mult, 5000 events each */
static void make_set(const char *set, const double *sc, int n, double mult, __u64 seed)
{
	char name[64];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/run%d.json", set, i);
		make_run(name, 5000, sc[i] * mult, -1, 1.0, seed + i);
	}
}

static int run_compare(const char *b, const char *n, const struct rxs_compare_opts *o,
		       struct rxs_cmp_result *res, char **out, char *err, size_t errlen)
{
	struct rxs_cmp_side sb, sn;
	size_t len = 0;
	FILE *f;
	int ret;

	memset(&sn, 0, sizeof(sn));
	ret = rxs_cmp_side_load(b, &sb, err, errlen);
	if (!ret)
		ret = rxs_cmp_side_load(n, &sn, err, errlen);
	if (!ret)
		ret = rxs_compare(&sb, &sn, o, res, err, errlen);
	if (!ret && out) {
		f = open_memstream(out, &len);
		rxs_compare_print(f, &sb, &sn, o, res);
		fclose(f);
	}
	rxs_cmp_side_free(&sb);
	rxs_cmp_side_free(&sn);
	return ret;
}

static const struct rxs_cmp_stage *stage(const struct rxs_cmp_result *res, int id)
{
	for (int i = 0; i < res->nstages; i++)
		if (res->stages[i].id == id)
			return &res->stages[i];
	fail_msg("stage %d not in the result", id);
	return NULL;
}

static void test_parsers(void **state)
{
	struct rxs_compare_opts o;
	enum rxs_cmp_format f;
	double v;
	char err[128];

	(void)state;
	rxs_compare_opts_init(&o);
	assert_int_equal(rxs_compare_parse_quantile("p99", &v), 0);
	assert_true(fabs(v - 0.99) < 1e-12);
	assert_int_equal(rxs_compare_parse_quantile("p99.9", &v), 0);
	assert_true(fabs(v - 0.999) < 1e-12);
	assert_int_equal(rxs_compare_parse_quantile("0.5", &v), 0);
	assert_int_equal(rxs_compare_parse_quantile("p100", &v), -EINVAL);
	assert_int_equal(rxs_compare_parse_quantile("p", &v), -EINVAL);
	assert_int_equal(rxs_compare_parse_quantile("1.5", &v), -EINVAL);
	assert_int_equal(rxs_compare_parse_percent("15%", &v), 0);
	assert_true(fabs(v - 0.15) < 1e-12);
	assert_int_equal(rxs_compare_parse_percent("20", &v), 0);
	assert_true(fabs(v - 0.20) < 1e-12);
	assert_int_equal(rxs_compare_parse_percent("15%%", &v), -EINVAL);
	assert_int_equal(rxs_compare_parse_percent("-3%", &v), -EINVAL);
	/* a bare number in (0, 1] is both a fraction and a percentage: refused */
	assert_int_not_equal(rxs_compare_parse_percent("0.15", &v), 0);
	assert_int_not_equal(rxs_compare_parse_percent("1", &v), 0);
	assert_int_equal(rxs_compare_parse_percent("0.15%", &v), 0);
	assert_true(fabs(v - 0.0015) < 1e-12);
	assert_int_equal(rxs_compare_parse_percent("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(rxs_compare_parse_percent("1.5", &v), 0);
	assert_true(fabs(v - 0.015) < 1e-12);
	assert_int_equal(rxs_compare_parse_format("junit", &f), 0);
	assert_int_equal(f, RXS_CMP_JUNIT);
	assert_int_equal(rxs_compare_parse_format("md", &f), 0);
	assert_int_equal(f, RXS_CMP_MARKDOWN);
	assert_int_equal(rxs_compare_parse_format("xml", &f), -EINVAL);
	assert_int_equal(rxs_compare_parse_stages("poll,gro", &o, err, sizeof(err)), 0);
	assert_true(o.stage_sel[RXS_H_POLL] && o.stage_sel[RXS_H_GRO] && o.any_stage_sel);
	assert_false(o.stage_sel[RXS_H_TOTAL]);
	assert_int_equal(rxs_compare_parse_stages("poll,nope", &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown stage \"nope\""));
}

/* one run per side, same distribution: every latency stage ok (a 15% slow-down ruled out),
 * the count stage shown but not judged */
static void test_same_single(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("s1/a.json", 20000, 1.0, -1, 1.0, 11);
	make_run("s1/b.json", 20000, 1.0, -1, 1.0, 12);
	assert_int_equal(run_compare(P("s1/a.json"), P("s1/b.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.nstages, RXS_H_NR);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(res.improved, 0);
	assert_int_equal(res.inconclusive, 0);
	assert_int_equal(res.not_judged, n_count_stages());
	assert_int_equal(res.ok, RXS_H_NR - n_count_stages());
	for (int i = 0; i < res.nstages; i++) {
		const struct rxs_cmp_stage *st = &res.stages[i];

		assert_int_equal(st->verdict, is_count(st->id) ? RXS_V_NOT_JUDGED :
				 RXS_V_OK);
		assert_true(st->ci_lo <= 1.0 && st->ci_hi >= 1.0);
		if (st->verdict == RXS_V_OK)
			assert_true(st->ci_hi <= 1.15);
		assert_string_equal(st->method, "order-statistic");
	}
	assert_int_equal(rxs_compare_cmd(P("s1/a.json"), P("s1/b.json"), &o), 0);
}

/* a 30% shift of one stage is flagged; the others stay ok; exit code 1 */
static void test_shift_single(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];
	const struct rxs_cmp_stage *s;

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("s2/a.json", 20000, 1.0, -1, 1.0, 21);
	make_run("s2/b.json", 20000, 1.0, RXS_H_POLL, 1.3, 22);
	assert_int_equal(run_compare(P("s2/a.json"), P("s2/b.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	s = stage(&res, RXS_H_POLL);
	assert_int_equal(s->verdict, RXS_V_REGRESSED);
	assert_true(s->change > 0.2 && s->change < 0.4);
	assert_true(s->ci_lo > 1.0);
	assert_int_equal(res.regressed, 1);
	assert_int_equal(stage(&res, RXS_H_L2_TO_IP)->verdict, RXS_V_OK);
	assert_int_equal(rxs_compare_cmd(P("s2/a.json"), P("s2/b.json"), &o), 1);
	/* the same shift under a 60% threshold: a 60% slow-down is ruled out */
	o.max_regression = 0.60;
	assert_int_equal(run_compare(P("s2/a.json"), P("s2/b.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_OK);
	assert_int_equal(rxs_compare_cmd(P("s2/a.json"), P("s2/b.json"), &o), 0);
	/* and the reverse direction is an improvement */
	o.max_regression = 0.15;
	assert_int_equal(run_compare(P("s2/b.json"), P("s2/a.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_IMPROVED);
	assert_int_equal(res.regressed, 0);
}

/* a handful of events cannot support a p99 verdict, whatever the shift: inconclusive,
 * exit 4, or 0 with --inconclusive ok */
static void test_insufficient(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("s3/a.json", 40, 1.0, -1, 1.0, 31);
	make_run("s3/b.json", 40, 2.0, -1, 1.0, 32);
	assert_int_equal(run_compare(P("s3/a.json"), P("s3/b.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.inconclusive, RXS_H_NR - n_count_stages());
	assert_int_equal(res.not_judged, n_count_stages());
	assert_int_equal(res.regressed, 0);
	assert_non_null(strstr(stage(&res, RXS_H_POLL)->reason, "too few events for p99: 40 and "
			       "40, at least 1000 needed"));
	assert_int_equal(rxs_compare_cmd(P("s3/a.json"), P("s3/b.json"), &o), 4);
	o.inconclusive_ok = true;
	assert_int_equal(rxs_compare_cmd(P("s3/a.json"), P("s3/b.json"), &o), 0);
	o.inconclusive_ok = false;
	/* 2000 events are enough for p99 (needs 1000) but not for p99.9 (needs 10000) */
	make_run("s3/c.json", 2000, 1.0, -1, 1.0, 33);
	make_run("s3/d.json", 2000, 1.0, -1, 1.0, 34);
	o.quantile = 0.999;
	assert_int_equal(run_compare(P("s3/c.json"), P("s3/d.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.inconclusive, RXS_H_NR - n_count_stages());
	o.quantile = 0.99;
	assert_int_equal(run_compare(P("s3/c.json"), P("s3/d.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	for (int i = 0; i < res.nstages; i++)
		assert_null(strstr(res.stages[i].reason, "too few events for"));
}

/*
 * Several runs per side with run-to-run spread (each run's latencies scaled by up to
 * +-10%, as boots of a CI VM differ): the bootstrap widens the interval so that the
 * spread alone is not a regression, while a 30% shift of the new side still is.
 */
static void test_runs_with_spread(void **state)
{
	static const double base_sc[] = { 0.92, 1.0, 1.08, 0.96, 1.04 };
	static const double same_sc[] = { 1.06, 0.94, 1.02, 1.09, 0.97 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	rxs_compare_opts_init(&o);
	make_set("s4/base", base_sc, 5, 1.0, 40);
	make_set("s4/same", same_sc, 5, 1.0, 50);
	make_set("s4/slow", same_sc, 5, 1.3, 60);
	assert_int_equal(run_compare(P("s4/base"), P("s4/same"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(res.improved, 0);
	for (int i = 0; i < res.nstages; i++) {
		assert_string_equal(res.stages[i].method,
				    "welch-runs+bootstrap-runs+order-statistic");
		assert_true(res.stages[i].runs_needed >= 2);
	}
	assert_int_equal(run_compare(P("s4/base"), P("s4/slow"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	/* every latency stage regressed; poll_pkts (a count, not scaled by synth) is not
	 * judged unless asked for */
	assert_int_equal(res.regressed, RXS_H_NR - n_count_stages());
	assert_int_equal(stage(&res, RXS_H_POLL_PKTS)->verdict, RXS_V_NOT_JUDGED);
	/* a comma list is a side too */
	char list[600];

	snprintf(list, sizeof(list), "%s,%s", P("s4/same/run0.json"), P("s4/same/run1.json"));
	assert_int_equal(run_compare(P("s4/base"), list, &o, &res, NULL, err, sizeof(err)), 0);
	assert_int_equal(res.regressed, 0);
}

/* Student's t against printed tables (two-sided; df 1, 5, 6, 30, and a large df ~ normal) */
static void test_t_quantile(void **state)
{
	(void)state;
	assert_float_equal(rxs_t_two_sided(0.95, 1), 12.706, 0.01);
	assert_float_equal(rxs_t_two_sided(0.95, 5), 2.571, 0.002);
	assert_float_equal(rxs_t_two_sided(0.99, 6), 3.707, 0.002);
	assert_float_equal(rxs_t_two_sided(0.99, 30), 2.750, 0.002);
	assert_float_equal(rxs_t_two_sided(0.99, 1e6), 2.576, 0.002);
	assert_float_equal(rxs_t_two_sided(0.99, 1), 63.657, 0.01);
	assert_float_equal(rxs_t_two_sided(0.99, 2), 9.925, 0.002);
	assert_float_equal(rxs_t_two_sided(0.999, 1), 636.62, 0.1);
	/* fractional df (Welch) lies between its neighbours */
	assert_true(rxs_t_two_sided(0.99, 3.5) < rxs_t_two_sided(0.99, 3));
	assert_true(rxs_t_two_sided(0.99, 3.5) > rxs_t_two_sided(0.99, 4));
}

/*
 * Three runs per side whose run-to-run spread (+-20%) is as large as the difference of the
 * sides' means (-21%): three runs cannot tell that apart from the spread, and the interval
 * reaches across 1 and past 1.15: inconclusive (neither improved nor ok), with the reason
 * and the runs that would decide. The same spread around a 2.4x slow-down is still a
 * regression.
 */
static void test_few_runs_wide_spread(void **state)
{
	static const double base_sc[] = { 1.05, 1.25, 1.45 };
	static const double new_sc[] = { 0.85, 1.0, 1.1 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	make_set("s6/base", base_sc, 3, 1.0, 70);
	make_set("s6/new", new_sc, 3, 1.0, 80);
	make_set("s6/slow", new_sc, 3, 3.0, 90);
	assert_int_equal(run_compare(P("s6/base"), P("s6/new"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.improved, 0);
	assert_int_equal(res.regressed, 0);
	for (int i = 0; i < res.nstages; i++) {
		const struct rxs_cmp_stage *st = &res.stages[i];

		if (is_count(st->id))
			continue;
		assert_true(st->change < -0.15);
		assert_true(st->ci_lo < 1.0 && st->ci_hi > 1.15);
		assert_int_equal(st->verdict, RXS_V_INCONCLUSIVE);
		assert_non_null(strstr(st->reason, "with 3+3 runs"));
		assert_true(st->runs_needed == -1 || st->runs_needed > 3);
		assert_string_equal(st->method, "welch-runs+bootstrap-runs+order-statistic");
	}
	assert_int_equal(run_compare(P("s6/base"), P("s6/slow"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.regressed, RXS_H_NR - n_count_stages());
}

/*
 * The case that made "ok" a false promise: the poll stage's median 3.6 times higher on the
 * new side, but only two runs per side, and the runs of each side far apart. The interval
 * on the ratio reaches from below 1 to far above the threshold: the data can neither show
 * the slow-down nor rule it out. That must not be "ok".
 */
static void test_two_runs_big_shift_not_ok(void **state)
{
	static const double base_sc[] = { 0.7, 1.4 };
	static const double new_sc[] = { 3.6 * 0.55, 3.6 * 1.45 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];
	const struct rxs_cmp_stage *s;

	(void)state;
	rxs_compare_opts_init(&o);
	make_set("big/base", base_sc, 2, 1.0, 300);
	make_set("big/new", new_sc, 2, 1.0, 310);
	for (int k = 0; k < 2; k++) {
		o.quantile = k ? 0.99 : 0.5;
		assert_int_equal(run_compare(P("big/base"), P("big/new"), &o, &res, NULL, err,
					     sizeof(err)), 0);
		s = stage(&res, RXS_H_POLL);
		assert_true(s->change > 2.0);
		assert_true(s->ci_lo < 1.0 && s->ci_hi > 1.15);
		assert_int_not_equal(s->verdict, RXS_V_OK);
		assert_int_not_equal(s->verdict, RXS_V_IMPROVED);
		for (int i = 0; i < res.nstages; i++)
			if (!is_count(res.stages[i].id))
				assert_int_not_equal(res.stages[i].verdict, RXS_V_OK);
		/* and the exit code does not say "no regression" */
		assert_int_not_equal(rxs_compare_cmd(P("big/base"), P("big/new"), &o), 0);
	}
}

/* the text table: rows without data, very large changes, very large thresholds */
static void test_table_layout(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], *out = NULL, *line, *rest, *hdr;
	int verdict_col = -1, rows = 0;

	(void)state;
	rxs_compare_opts_init(&o);
	mkdir(P("tab"), 0755);
	/* gro empty on both sides (no data); poll 200 times slower on the new side */
	for (int side = 0; side < 2; side++) {
		struct rxs_recording r;
		double scale[RXS_H_NR];

		for (int i = 0; i < RXS_H_NR; i++)
			scale[i] = (side && i == RXS_H_POLL) ? 200.0 : 1.0;
		synth_recording(&r, 2, 5000, scale, 400 + side);
		memset(&r.stages[RXS_H_GRO].hist, 0, sizeof(r.stages[RXS_H_GRO].hist));
		assert_int_equal(rxs_export_write(&r, P(side ? "tab/b.json" : "tab/a.json"),
						  RXS_FMT_JSON, err, sizeof(err)), 0);
		rxs_recording_free(&r);
	}
	o.max_regression = 10.0;	/* 1000% */
	assert_int_equal(run_compare(P("tab/a.json"), P("tab/b.json"), &o, &res, &out, err,
				     sizeof(err)), 0);
	print_message("%s", out);
	assert_null(strstr(out, "e+"));		/* no exponents: 1e+03% */
	assert_non_null(strstr(out, "max regression 1000%"));
	hdr = strstr(out, "STAGE ");
	assert_non_null(hdr);
	/* the table: from the header to the first empty line */
	for (rest = hdr; (line = strsep(&rest, "\n")) && *line;) {
		char *v;

		if (verdict_col < 0) {
			verdict_col = (int)(strstr(line, "VERDICT") - line);
			continue;
		}
		/* every row's verdict starts under the header's VERDICT */
		v = line + verdict_col;
		assert_true((int)strlen(line) > verdict_col);
		assert_true(v[-1] == ' ' && v[0] != ' ');
		if (!strncmp(line, "gro ", 4)) {
			/* no data: no quantiles that look like measured zeros */
			assert_null(strstr(line, "0ns"));
			assert_non_null(strstr(line, "no data"));
		}
		rows++;
	}
	assert_int_equal(rows, RXS_H_NR);
	free(out);
}

/*
 * An in-memory side of @k runs of @n events: only stage @id has data, a log-normal of
 * median 100 us times @shift times the run's own factor exp(@sigma * Z) (run-to-run
 * noise); every stage is available. Freed with rxs_cmp_side_free().
 */
static void mem_side(struct rxs_cmp_side *s, int k, __u64 n, int id, double shift,
		     double sigma, struct synth_rng *g)
{
	memset(s, 0, sizeof(*s));
	s->runs = calloc(k, sizeof(*s->runs));
	s->paths = calloc(k, sizeof(*s->paths));
	assert_non_null(s->runs);
	assert_non_null(s->paths);
	snprintf(s->label, sizeof(s->label), "memory");
	for (int i = 0; i < k; i++) {
		struct rxs_recording *r = &s->runs[i];
		double z = sqrt(-2 * log(synth_unit(g))) * cos(2 * M_PI * synth_unit(g));
		double med = 100000.0 * shift * exp(sigma * z);

		rxs_recording_init(r, 1);
		for (int st = 0; st < RXS_H_NR; st++)
			r->stages[st].available = true;
		for (__u64 e = 0; e < n; e++)
			rxs_hist_add(&r->stages[id].hist, synth_lognormal(g, med, 0.5));
		s->paths[i] = strdup("memory");
		s->nruns++;
	}
}

/* the verdict on stage @id of a fresh pair of in-memory sides */
static enum rxs_verdict sim_verdict(int k, double shift, double sigma,
				    const struct rxs_compare_opts *o, struct synth_rng *g,
				    int *runs_needed)
{
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	char err[256];

	mem_side(&b, k, 2000, RXS_H_POLL, 1.0, sigma, g);
	mem_side(&n, k, 2000, RXS_H_POLL, shift, sigma, g);
	if (rxs_compare(&b, &n, o, &res, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(res.not_judged + res.ok + res.regressed + res.inconclusive +
			 res.improved, 1);
	if (runs_needed)
		*runs_needed = stage(&res, RXS_H_POLL)->runs_needed;
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
	return stage(&res, RXS_H_POLL)->verdict;
}

/*
 * The runs advice against a simulation. Runs whose medians spread by 6% (log-normal,
 * sigma 0.06) from run to run: a pilot of 30 runs per side estimates that spread, and
 * compare advises K. Then, in 60 fresh draws of K runs per side each, a shift of the
 * threshold's size (15%) must be judged "regressed" in at least 90% of them, and no shift
 * "ok" in at least 90%; with half of K, the shift must be missed more often (the advice is
 * not wildly more than needed).
 */
static void test_runs_advice_simulation(void **state)
{
	struct rxs_compare_opts o;
	struct synth_rng g = { 0x9e3779b97f4a7c15ULL };
	const int draws = 80;
	int k = 0, hit = 0, ok = 0, hit_half = 0;

	(void)state;
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	o.bootstrap_iters = 400;	/* the bootstrap is rarely the widest part; keeps the test quick */
	assert_int_equal(rxs_compare_parse_stages("poll", &o, NULL, 0), 0);
	sim_verdict(30, 1.0, 0.06, &o, &g, &k);
	print_message("advice from a pilot of 30+30 runs: K = %d per side\n", k);
	assert_true(k >= 4 && k <= 30);
	for (int d = 0; d < draws; d++) {
		hit += sim_verdict(k, 1.15, 0.06, &o, &g, NULL) == RXS_V_REGRESSED;
		ok += sim_verdict(k, 1.0, 0.06, &o, &g, NULL) == RXS_V_OK;
		hit_half += sim_verdict(k / 2, 1.15, 0.06, &o, &g, NULL) == RXS_V_REGRESSED;
	}
	print_message("K = %d: a 15%% shift regressed in %d of %d draws, no shift ok in %d; "
		      "K = %d: regressed in %d\n", k, hit, draws, ok, k / 2, hit_half);
	assert_true(hit >= draws * 9 / 10);
	assert_true(ok >= draws * 9 / 10);
	assert_true(hit_half < draws * 9 / 10);
}

/* the advice function alone: monotone in the spread, 2 for no spread, -1 beyond reach */
static void test_runs_needed(void **state)
{
	(void)state;
	assert_int_equal(rxs_cmp_runs_needed(0, 0, 0.15, 0.99, 0.9), 2);
	assert_true(rxs_cmp_runs_needed(0.001, 0.001, 0.15, 0.99, 0.9) <
		    rxs_cmp_runs_needed(0.004, 0.004, 0.15, 0.99, 0.9));
	assert_true(rxs_cmp_runs_needed(0.004, 0.004, 0.30, 0.99, 0.9) <
		    rxs_cmp_runs_needed(0.004, 0.004, 0.15, 0.99, 0.9));
	assert_true(rxs_cmp_runs_needed(0.004, 0.004, 0.15, 0.95, 0.9) <
		    rxs_cmp_runs_needed(0.004, 0.004, 0.15, 0.99, 0.9));
	assert_int_equal(rxs_cmp_runs_needed(1.0, 1.0, 0.15, 0.99, 0.9), -1);
	assert_int_equal(rxs_cmp_runs_needed(0.004, 0.004, 0, 0.99, 0.9), -1);
	/* by hand: v = 0.0076, K = 8 gives df 14, t 2.977: (2.977 + 1.282) * sqrt(v / 8) =
	 * 0.131 <= log(1.15) = 0.140, while K = 7 gives 0.143 */
	assert_int_equal(rxs_cmp_runs_needed(0.0038, 0.0038, 0.15, 0.99, 0.9), 8);
}

/*
 * Packets per poll is a count: when it moves, nothing got better or worse. It is shown
 * and not judged by default; when --stage names it, a move beyond the threshold either
 * way is "changed" (exit 1), never "regressed" or "improved".
 */
static void test_count_stage(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	struct synth_rng g = { 77 };
	char err[256];

	(void)state;
	for (int dir = 0; dir < 2; dir++) {
		rxs_compare_opts_init(&o);
		mem_side(&b, 1, 20000, RXS_H_POLL, 1.0, 0, &g);
		mem_side(&n, 1, 20000, RXS_H_POLL, 1.0, 0, &g);
		/* poll_pkts: 1..64 per poll in the baseline, half (or double) that in the new */
		for (int e = 0; e < 20000; e++) {
			__u64 v = 1 + synth_next(&g) % 64;

			rxs_hist_add(&b.runs[0].stages[RXS_H_POLL_PKTS].hist, v);
			rxs_hist_add(&n.runs[0].stages[RXS_H_POLL_PKTS].hist, dir ? v * 2 : (v + 1) / 2);
		}
		assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
		assert_int_equal(stage(&res, RXS_H_POLL_PKTS)->verdict, RXS_V_NOT_JUDGED);
		assert_false(stage(&res, RXS_H_POLL_PKTS)->judged);
		assert_int_equal(res.improved + res.regressed + res.changed, 0);
		assert_int_equal(rxs_compare_exit_code(&o, &res), 0);

		assert_int_equal(rxs_compare_parse_stages("poll,poll_pkts", &o, err, sizeof(err)), 0);
		assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
		assert_int_equal(stage(&res, RXS_H_POLL_PKTS)->verdict, RXS_V_CHANGED);
		assert_non_null(strstr(stage(&res, RXS_H_POLL_PKTS)->reason, dir ? "higher" : "lower"));
		assert_null(strstr(stage(&res, RXS_H_POLL_PKTS)->reason, "slower"));
		assert_null(strstr(stage(&res, RXS_H_POLL_PKTS)->reason, "faster"));
		assert_int_equal(res.changed, 1);
		assert_int_equal(res.improved + res.regressed, 0);
		assert_int_equal(rxs_compare_exit_code(&o, &res), 1);
		rxs_cmp_side_free(&n);

		/* the same counts on both sides: ok */
		mem_side(&n, 1, 20000, RXS_H_POLL, 1.0, 0, &g);
		rxs_hist_merge(&n.runs[0].stages[RXS_H_POLL_PKTS].hist,
			       &b.runs[0].stages[RXS_H_POLL_PKTS].hist);
		assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
		assert_int_equal(stage(&res, RXS_H_POLL_PKTS)->verdict, RXS_V_OK);
		rxs_cmp_side_free(&b);
		rxs_cmp_side_free(&n);
	}
}

/*
 * One run on one side, several on the other: the single run borrows the other side's
 * run-to-run spread, so that the spread is not taken as zero.
 */
static void test_one_run_borrows_spread(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	struct synth_rng g = { 4242 };
	char err[256];
	const struct rxs_cmp_stage *s;

	(void)state;
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	assert_int_equal(rxs_compare_parse_stages("poll", &o, err, sizeof(err)), 0);
	mem_side(&b, 8, 5000, RXS_H_POLL, 1.0, 0.15, &g);
	mem_side(&n, 1, 5000, RXS_H_POLL, 1.0, 0.15, &g);
	assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
	s = stage(&res, RXS_H_POLL);
	assert_string_equal(s->method, "welch-runs+order-statistic");
	/* 15% spread per run: one new run cannot rule out a 15% slow-down */
	assert_int_equal(s->verdict, RXS_V_INCONCLUSIVE);
	assert_true(s->ci_hi > 1.3 && s->ci_lo < 0.8);
	assert_true(s->runs_needed != 0);
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
}

/*
 * inconclusive in every output, and --inconclusive ok|fail in the exit code and JUnit: a
 * 30% shift seen in two runs per side that differ by 30% from each other
 */
static void test_inconclusive_outputs(void **state)
{
	static const double base_sc[] = { 0.85, 1.15 };
	static const double new_sc[] = { 1.3 * 0.85, 1.3 * 1.15 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], *out = NULL;
	json_object *root, *v;

	(void)state;
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	make_set("inc/base", base_sc, 2, 1.0, 300);
	make_set("inc/new", new_sc, 2, 1.0, 310);

	assert_int_equal(run_compare(P("inc/base"), P("inc/new"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_INCONCLUSIVE);
	assert_int_equal(res.regressed, 0);
	assert_non_null(strstr(out, "inconclusive\n"));
	assert_non_null(strstr(out, "poll: inconclusive: too few runs: with 2+2 runs the interval "
			       "reaches both 1 and 1.15; about "));
	assert_non_null(strstr(out, "runs per side would decide a 15% change at 99%"));
	assert_non_null(strstr(out, "INCONCLUSIVE: 0 regressed, "));
	assert_non_null(strstr(out, "exit 4; --inconclusive ok would make it 0)"));
	free(out);
	assert_int_equal(rxs_compare_cmd(P("inc/base"), P("inc/new"), &o), 4);

	o.format = RXS_CMP_JSON;
	assert_int_equal(run_compare(P("inc/base"), P("inc/new"), &o, &res, &out, err,
				     sizeof(err)), 0);
	root = json_tokener_parse(out);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "schema", &v));
	assert_string_equal(json_object_get_string(v), "rxscope-compare/2");
	assert_true(json_object_object_get_ex(root, "verdict", &v));
	assert_string_equal(json_object_get_string(v), "inconclusive");
	assert_true(json_object_object_get_ex(root, "exit", &v));
	assert_int_equal(json_object_get_int(v), 4);
	assert_true(json_object_object_get_ex(root, "inconclusive", &v));
	assert_int_equal(json_object_get_int(v), res.inconclusive);
	assert_true(json_object_object_get_ex(root, "stages", &v));
	{
		json_object *st = json_object_array_get_idx(v, RXS_H_POLL), *x;

		assert_true(json_object_object_get_ex(st, "verdict", &x));
		assert_string_equal(json_object_get_string(x), "inconclusive");
		assert_true(json_object_object_get_ex(st, "reason", &x));
		assert_non_null(strstr(json_object_get_string(x), "too few runs"));
		assert_true(json_object_object_get_ex(st, "runs_needed", &x));
		assert_int_equal(json_object_get_int(x), stage(&res, RXS_H_POLL)->runs_needed);
	}
	json_object_put(root);
	free(out);

	o.format = RXS_CMP_JUNIT;
	assert_int_equal(run_compare(P("inc/base"), P("inc/new"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_non_null(strstr(out, "<testcase classname=\"rxscope.compare\" name=\"poll\">\n"
			       "      <error type=\"inconclusive\" message=\"inconclusive: "));
	assert_null(strstr(out, "<failure"));
	free(out);
	o.inconclusive_ok = true;
	assert_int_equal(run_compare(P("inc/base"), P("inc/new"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_non_null(strstr(out, "<testcase classname=\"rxscope.compare\" name=\"poll\">\n"
			       "      <skipped message=\"inconclusive: "));
	assert_null(strstr(out, "<error"));
	free(out);
	assert_int_equal(rxs_compare_cmd(P("inc/base"), P("inc/new"), &o), 0);

	o.format = RXS_CMP_MARKDOWN;
	assert_int_equal(run_compare(P("inc/base"), P("inc/new"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_non_null(strstr(out, "| _inconclusive_ |"));
	assert_non_null(strstr(out, "- poll: inconclusive: too few runs"));
	assert_non_null(strstr(out, "**INCONCLUSIVE**"));
	free(out);
}

/* independent same-distribution pairs: count how many stage verdicts are false alarms */
static void test_false_positives(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], a[64], b[64];
	int flagged = 0, judged = 0;

	(void)state;
	rxs_compare_opts_init(&o);
	o.max_regression = 0.05;	/* a tight threshold, to exercise the interval */
	for (int k = 0; k < 30; k++) {
		snprintf(a, sizeof(a), "fp/a%d.json", k);
		snprintf(b, sizeof(b), "fp/b%d.json", k);
		make_run(a, 5000, 1.0, -1, 1.0, 1000 + 2 * k);
		make_run(b, 5000, 1.0, -1, 1.0, 1001 + 2 * k);
		assert_int_equal(run_compare(P(a), P(b), &o, &res, NULL, err, sizeof(err)), 0);
		flagged += res.regressed;
		judged += res.nstages - res.not_judged;
	}
	print_message("false positives: %d of %d stage comparisons\n", flagged, judged);
	assert_int_equal(flagged, 0);
}

/*
 * Paired runs (an A/B job's ABBA order): the machine's speed drifts by up to 2x from pair
 * to pair, alike for both runs of a pair. Unpaired, that drift is the runs' spread and
 * hides a 50% slow-down; paired, it cancels: no change is ok, 50% is regressed.
 */
static void test_paired_drift(void **state)
{
	static const double drift[] = { 0.7, 1.3, 1.0, 1.4, 0.8, 1.2, 0.75, 1.35 };
	static const double noise[] = { 1.02, 0.97, 1.01, 0.99, 1.03, 0.98, 1.0, 1.02 };
	double sc[8];
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	for (int i = 0; i < 8; i++)
		sc[i] = drift[i] * noise[i];
	make_set("pd/old", drift, 8, 1.0, 300);
	make_set("pd/same", sc, 8, 1.0, 400);
	make_set("pd/slow", sc, 8, 1.5, 500);
	rxs_compare_opts_init(&o);
	o.max_regression = 0.30;
	o.quantile = 0.5;
	/* unpaired: the drift leaves no change undecided and the slow-down unproven */
	assert_int_equal(run_compare(P("pd/old"), P("pd/same"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_INCONCLUSIVE);
	assert_int_equal(run_compare(P("pd/old"), P("pd/slow"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_not_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_REGRESSED);
	/* paired: decided both ways, on every latency stage */
	o.paired = true;
	assert_int_equal(run_compare(P("pd/old"), P("pd/same"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(res.improved, 0);
	assert_int_equal(res.ok, RXS_H_NR - n_count_stages());
	assert_string_equal(stage(&res, RXS_H_POLL)->method,
			    "paired-runs+paired-bootstrap+order-statistic");
	assert_true(stage(&res, RXS_H_POLL)->runs_needed >= 2);
	assert_true(stage(&res, RXS_H_POLL)->runs_needed <= 8);
	assert_int_equal(run_compare(P("pd/old"), P("pd/slow"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(res.regressed, RXS_H_NR - n_count_stages());
}

/* a slow-down on poll alone, paired: poll regressed, every other stage not */
static void test_paired_one_stage(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], a[64], b[64];

	(void)state;
	for (int i = 0; i < 6; i++) {
		double d = i % 2 ? 1.3 : 0.8;

		snprintf(a, sizeof(a), "p1/old/run-%02d.json", i + 1);
		snprintf(b, sizeof(b), "p1/new/run-%02d.json", i + 1);
		make_run(a, 5000, d, -1, 1.0, 600 + i);
		make_run(b, 5000, d, RXS_H_POLL, 1.6, 700 + i);
	}
	rxs_compare_opts_init(&o);
	o.paired = true;
	o.quantile = 0.5;
	o.max_regression = 0.30;
	assert_int_equal(run_compare(P("p1/old"), P("p1/new"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_REGRESSED);
	assert_int_equal(res.regressed, 1);
	assert_int_equal(stage(&res, RXS_H_L2_TO_IP)->verdict, RXS_V_OK);
}

/* pairs need as many runs on each side, with the same names; and the pairs' advice */
static void test_paired_bad_input(void **state)
{
	static const double one[] = { 1, 1, 1, 1 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], a[64];

	(void)state;
	make_set("pb/four", one, 4, 1.0, 800);
	make_set("pb/three", one, 3, 1.0, 810);
	make_set("pb/other", one, 4, 1.0, 820);
	make_run("pb/other/zz.json", 5000, 1.0, -1, 1.0, 830);
	snprintf(a, sizeof(a), "%s", P("pb/other/run3.json"));
	assert_int_equal(remove(a), 0);
	rxs_compare_opts_init(&o);
	o.paired = true;
	assert_int_equal(run_compare(P("pb/four"), P("pb/three"), &o, &res, NULL, err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--paired: 4 run(s)"));
	assert_int_equal(run_compare(P("pb/four"), P("pb/other"), &o, &res, NULL, err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "run3.json has no partner"));
	/* unpaired, both are fine */
	o.paired = false;
	assert_int_equal(run_compare(P("pb/four"), P("pb/three"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	/* the pairs' advice: K - 1 degrees of freedom need at least as many pairs as Welch's
	 * 2(K - 1) with the same total variance; none at zero spread */
	assert_int_equal(rxs_cmp_pairs_needed(0, 0.3, 0.99, 0.95), 2);
	assert_true(rxs_cmp_pairs_needed(0.008, 0.15, 0.99, 0.95) >=
		    rxs_cmp_runs_needed(0.004, 0.004, 0.15, 0.99, 0.95));
	assert_true(rxs_cmp_pairs_needed(0.002, 0.15, 0.99, 0.95) <
		    rxs_cmp_pairs_needed(0.008, 0.15, 0.99, 0.95));
	assert_int_equal(rxs_cmp_pairs_needed(1.0, 0.15, 0.99, 0.95), -1);
}

static void test_stage_select(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("s5/a.json", 20000, 1.0, -1, 1.0, 71);
	make_run("s5/b.json", 20000, 1.0, RXS_H_POLL, 1.3, 72);
	assert_int_equal(rxs_compare_parse_stages("l2_to_ip,gro", &o, err, sizeof(err)), 0);
	assert_int_equal(run_compare(P("s5/a.json"), P("s5/b.json"), &o, &res, NULL, err,
				     sizeof(err)), 0);
	/* the others are shown, not judged: poll's 30% does not count */
	assert_int_equal(res.nstages, RXS_H_NR);
	assert_int_equal(res.not_judged, RXS_H_NR - 2);
	assert_int_equal(res.ok, 2);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(stage(&res, RXS_H_POLL)->verdict, RXS_V_NOT_JUDGED);
	assert_false(stage(&res, RXS_H_POLL)->judged);
	assert_true(stage(&res, RXS_H_POLL)->change > 0.2);
	assert_int_equal(rxs_compare_cmd(P("s5/a.json"), P("s5/b.json"), &o), 0);
}

static void test_formats(void **state)
{
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512], want[160], *out = NULL;
	json_object *root, *v;

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("s6/a.json", 20000, 1.0, -1, 1.0, 81);
	make_run("s6/b.json", 20000, 1.0, RXS_H_POLL, 1.3, 82);

	assert_int_equal(run_compare(P("s6/a.json"), P("s6/b.json"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_non_null(strstr(out, "VERDICT"));
	snprintf(want, sizeof(want), "REGRESSION: 1 regressed, 0 inconclusive, 0 improved, %d ok, "
		 "%d not judged (%d stage(s); exit 1)", RXS_H_NR - 1 - n_count_stages(),
		 n_count_stages(), RXS_H_NR);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "regressed\n"));
	free(out);

	o.format = RXS_CMP_JSON;
	assert_int_equal(run_compare(P("s6/a.json"), P("s6/b.json"), &o, &res, &out, err,
				     sizeof(err)), 0);
	root = json_tokener_parse(out);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "verdict", &v));
	assert_string_equal(json_object_get_string(v), "regressed");
	assert_true(json_object_object_get_ex(root, "exit", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(root, "stages", &v));
	assert_int_equal(json_object_array_length(v), RXS_H_NR);
	{
		json_object *st = json_object_array_get_idx(v, RXS_H_POLL), *x;

		assert_true(json_object_object_get_ex(st, "reason", &x));
		assert_non_null(strstr(json_object_get_string(x), "slower"));
	}
	json_object_put(root);
	free(out);

	o.format = RXS_CMP_JUNIT;
	assert_int_equal(run_compare(P("s6/a.json"), P("s6/b.json"), &o, &res, &out, err,
				     sizeof(err)), 0);
	snprintf(want, sizeof(want), "<testsuite name=\"rxscope.compare\" tests=\"%d\" "
		 "failures=\"1\" errors=\"0\" skipped=\"%d\"", RXS_H_NR, n_count_stages());
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "<testcase classname=\"rxscope.compare\" name=\"poll\">\n"
			       "      <failure type=\"regression\""));
	/* one failure element in all */
	assert_null(strstr(strstr(out, "<failure") + 1, "<failure"));
	free(out);

	o.format = RXS_CMP_MARKDOWN;
	assert_int_equal(run_compare(P("s6/a.json"), P("s6/b.json"), &o, &res, &out, err,
				     sizeof(err)), 0);
	assert_non_null(strstr(out, "| stage | base p50 |"));
	assert_non_null(strstr(out, "| **regressed** |"));
	free(out);
}

/* edit a written recording with one textual replacement */
static void edit(const char *name, const char *from, const char *to)
{
	char *buf = NULL, *hit;
	size_t len = 0;
	FILE *f = fopen(P(name), "r"), *m = open_memstream(&buf, &len);
	int c;

	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	hit = strstr(buf, from);
	if (!hit)
		fail_msg("\"%s\" not in %s", from, name);
	f = fopen(P(name), "w");
	fwrite(buf, 1, hit - buf, f);
	fputs(to, f);
	fputs(hit + strlen(from), f);
	fclose(f);
	free(buf);
}

static void expect_bad(const char *b, const char *n, const struct rxs_compare_opts *o,
		       const char *want1, const char *want2)
{
	struct rxs_cmp_result res;
	char err[512] = "";

	assert_int_equal(run_compare(b, n, o, &res, NULL, err, sizeof(err)) < 0, 1);
	if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
		fail_msg("error \"%s\" lacks \"%s\" / \"%s\"", err, want1, want2 ? want2 : "");
	assert_int_equal(rxs_compare_cmd(b, n, o), 2);
}

static void test_bad_input(void **state)
{
	struct rxs_compare_opts o;

	(void)state;
	rxs_compare_opts_init(&o);
	make_run("bad/good.json", 2000, 1.0, -1, 1.0, 91);

	expect_bad(P("bad/good.json"), P("bad/missing.json"), &o, "failed to open",
		   "bad/missing.json");

	make_run("bad/corrupt.json", 2000, 1.0, -1, 1.0, 92);
	truncate(P("bad/corrupt.json"), 300);
	expect_bad(P("bad/good.json"), P("bad/corrupt.json"), &o, "corrupt.json",
		   "not valid JSON");

	make_run("bad/schema.json", 2000, 1.0, -1, 1.0, 93);
	edit("bad/schema.json", "rxscope/1", "rxscope/9");
	expect_bad(P("bad/schema.json"), P("bad/good.json"), &o, "schema.json: schema",
		   "unknown schema version");

	/* a stage traced in some recordings only (an older rxscope, another --detail) is
	 * shown without a verdict; the others are judged; --stage naming it is an error */
	make_run("bad/stageset.json", 2000, 1.0, -1, 1.0, 94);
	edit("bad/stageset.json", "\"available\": true", "\"available\": false");
	{
		struct rxs_cmp_result res;
		char err[512] = "";
		int judged = 0;

		assert_int_equal(run_compare(P("bad/good.json"), P("bad/stageset.json"), &o, &res,
					     NULL, err, sizeof(err)), 0);
		for (int i = 0; i < res.nstages; i++) {
			if (res.stages[i].id == RXS_H_HARDIRQ) {
				assert_int_equal(res.stages[i].verdict, RXS_V_NO_DATA);
				assert_non_null(strstr(res.stages[i].reason,
						       "traced in only some recordings"));
			} else {
				judged += res.stages[i].judged;
			}
		}
		/* all but hardirq and the count stages (poll_pkts, backlog_len) */
		assert_int_equal(judged, RXS_H_NR - 1 - n_count_stages());
		assert_int_equal(res.regressed, 0);
	}
	{
		struct rxs_compare_opts os = o;
		char serr[256];

		assert_int_equal(rxs_compare_parse_stages("hardirq", &os, serr, sizeof(serr)), 0);
		expect_bad(P("bad/good.json"), P("bad/stageset.json"), &os,
			   "stageset.json: stages[hardirq]", "not traced in every recording");
	}

	make_run("bad/unit.json", 2000, 1.0, -1, 1.0, 95);
	edit("bad/unit.json", "\"unit\": \"packets\"", "\"unit\": \"ns\"");
	expect_bad(P("bad/good.json"), P("bad/unit.json"), &o,
		   "unit.json: stages[poll_pkts].unit", "\"ns\" here but \"packets\"");

	/* an empty side where the other has data */
	{
		struct rxs_recording r;
		char err[256];

		synth_recording(&r, 2, 2000, NULL, 96);
		memset(&r.stages[RXS_H_GRO].hist, 0, sizeof(r.stages[RXS_H_GRO].hist));
		assert_int_equal(rxs_export_write(&r, P("bad/empty.json"), RXS_FMT_JSON, err,
						  sizeof(err)), 0);
		rxs_recording_free(&r);
	}
	expect_bad(P("bad/good.json"), P("bad/empty.json"), &o,
		   "empty.json: stages[gro].hist.count: empty histogram", "good.json");

	/* recordings in which nothing was traced */
	{
		struct rxs_recording r;
		char err[256];

		synth_recording(&r, 2, 0, NULL, 99);
		assert_int_equal(rxs_export_write(&r, P("bad/none.json"), RXS_FMT_JSON, err,
						  sizeof(err)), 0);
		rxs_recording_free(&r);
	}
	expect_bad(P("bad/none.json"), P("bad/none.json"), &o,
		   "none.json: stages[*].hist.count", "every compared histogram is empty");

	/* an empty directory, and a directory with a bad file in it */
	mkdir(P("bad/emptydir"), 0755);
	expect_bad(P("bad/emptydir"), P("bad/good.json"), &o, "emptydir",
		   "no *.json recordings");
	expect_bad(P("bad"), P("bad/good.json"), &o, "bad/corrupt.json", NULL);

	/* --stage naming a stage that was not traced */
	make_run("bad/u1.json", 2000, 1.0, -1, 1.0, 97);
	edit("bad/u1.json", "\"available\": true", "\"available\": false");
	make_run("bad/u2.json", 2000, 1.0, -1, 1.0, 98);
	edit("bad/u2.json", "\"available\": true", "\"available\": false");
	o.stage_sel[RXS_H_HARDIRQ] = true;
	o.any_stage_sel = true;
	expect_bad(P("bad/u1.json"), P("bad/u2.json"), &o, "u1.json: stages[hardirq].available",
		   "not traced");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_same_single),
		cmocka_unit_test(test_shift_single),
		cmocka_unit_test(test_insufficient),
		cmocka_unit_test(test_runs_with_spread),
		cmocka_unit_test(test_t_quantile),
		cmocka_unit_test(test_few_runs_wide_spread),
		cmocka_unit_test(test_false_positives),
		cmocka_unit_test(test_stage_select),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_two_runs_big_shift_not_ok),
		cmocka_unit_test(test_table_layout),
		cmocka_unit_test(test_runs_needed),
		cmocka_unit_test(test_runs_advice_simulation),
		cmocka_unit_test(test_count_stage),
		cmocka_unit_test(test_one_run_borrows_spread),
		cmocka_unit_test(test_inconclusive_outputs),
		cmocka_unit_test(test_paired_drift),
		cmocka_unit_test(test_paired_one_stage),
		cmocka_unit_test(test_paired_bad_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
