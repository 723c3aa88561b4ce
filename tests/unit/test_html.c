// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_html.c - the HTML pages: axes put values where they belong, the page is
 * well-formed (xmllint, from libxml2-utils, which make deps installs), tick marks and
 * quantile lines agree with the values they label, and empty, one-sample and extreme
 * recordings give no NaN, no infinity and no empty path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <ctype.h>
#include <strings.h>
#include <cmocka.h>
#include "synth.h"
#include "tmpdir.h"
#include "export_html.h"

/* the page of @r as a string (caller frees); also written to @name for xmllint */
static char *render(const struct rxs_recording *r, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len), *f;

	assert_non_null(m);
	assert_int_equal(rxs_html_report(m, r, name), 0);
	fclose(m);
	f = fopen(path_of(name), "w");
	assert_non_null(f);
	fputs(buf, f);
	fclose(f);
	return buf;
}

static void assert_well_formed(const char *name)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path_of(name));
	if (system(cmd) != 0)
		fail_msg("xmllint rejects %s (or xmllint is missing: make deps)", path_of(name));
}

/* no NaN or infinity printed anywhere, and no path without a line in it */
static void assert_sane(const char *html)
{
	const char *p;

	for (p = html; *p; p++) {
		if (!strncasecmp(p, "nan", 3) && (p == html || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[3]))
			fail_msg("NaN in the page near: %.60s", p > html + 30 ? p - 30 : html);
		if (!strncasecmp(p, "inf", 3) && !isalpha((unsigned char)p[3]) &&
		    (p == html || !isalpha((unsigned char)p[-1])))
			fail_msg("infinity in the page near: %.60s", p > html + 30 ? p - 30 : html);
	}
	for (p = strstr(html, " d=\""); p; p = strstr(p + 1, " d=\"")) {
		const char *end = strchr(p + 4, '"');

		assert_non_null(end);
		if (!memchr(p + 4, 'L', end - (p + 4)))
			fail_msg("a path without a line: %.40s", p);
	}
}

static void test_axes(void **state)
{
	struct rxs_axis a;
	double t[32];
	int n;

	(void)state;
	/* 150 ns .. 9 s: whole decades 100 ns .. 10 s over 800 px, 100 px a decade */
	rxs_axis_log(&a, 150, 9e9, 1, 0, 800);
	assert_true(a.lo == 100 && a.hi == 1e10);
	assert_true(fabs(rxs_axis_px(&a, 1e4) - 200) < 1e-9);
	assert_true(fabs(rxs_axis_px(&a, 1e9) - 700) < 1e-9);
	assert_true(fabs(rxs_axis_px(&a, sqrt(10) * 1000) - 150) < 1e-9);
	n = rxs_axis_ticks(&a, t, 32);
	assert_int_equal(n, 9);
	assert_true(t[0] == 100 && fabs(t[8] - 1e10) < 1);
	/* out of range and non-finite values clamp, never NaN */
	assert_true(rxs_axis_px(&a, 0) == 0);
	assert_true(rxs_axis_px(&a, -5) == 0);
	assert_true(rxs_axis_px(&a, NAN) == 0);
	assert_true(rxs_axis_px(&a, INFINITY) == 800);
	assert_true(rxs_axis_px(&a, 1e12) == 800);
	/* a y axis runs upwards */
	rxs_axis_log(&a, 1, 1e6, 1, 200, 0);
	assert_true(fabs(rxs_axis_px(&a, 1000) - 100) < 1e-9);
	/* degenerate: one value, or nothing */
	rxs_axis_log(&a, 1000, 1000, 1, 0, 100);
	assert_true(a.lo == 1000 && a.hi == 10000);
	rxs_axis_log(&a, 0, 0, 1, 0, 100);
	assert_true(a.lo == 1 && a.hi == 10);
	/* linear: 0 .. a 1-2-5 step multiple */
	rxs_axis_lin(&a, 8.2, 0, 100);
	assert_true(a.hi == 10);
	n = rxs_axis_ticks(&a, t, 32);
	assert_int_equal(n, 6);
	assert_true(t[1] == 2 && t[5] == 10);
	assert_true(fabs(rxs_axis_px(&a, 5) - 50) < 1e-9);
	rxs_axis_lin(&a, 151e3, 0, 100);
	assert_true(a.hi == 200e3);
	rxs_axis_lin(&a, 0, 0, 100);
	assert_true(a.hi > 0 && rxs_axis_px(&a, 0) == 0);
	rxs_axis_lin(&a, NAN, 0, 100);
	assert_true(isfinite(a.hi) && a.hi > 0);
}

/* a recording with a series, as record -i makes it */
static void with_series(struct rxs_recording *r, int n)
{
	struct rxs_interval iv;

	for (int k = 0; k < n; k++) {
		memset(&iv, 0, sizeof(iv));
		iv.t_s = k + 1;
		iv.dur_s = 1;
		for (int i = 0; i < RXS_H_NR; i++)
			for (int e = 0; e < 50 * (k + 1); e++)
				rxs_hist_add(&iv.hist[i], 500 + 97ULL * e * (i + 1));
		iv.bpf.pkts[RXS_F_GRO] = 1000 + k;
		iv.bpf.pkts[RXS_F_SOCKET] = 990 + k;
		iv.bpf.drops = k == 2 ? 10 : 0;
		assert_int_equal(rxs_series_append(r, &iv), 0);
	}
}

/*
 * In the first distribution chart: tick labels say their value, decades are evenly
 * spaced, and each quantile line sits where the ticks put its value.
 */
static void check_first_chart(const char *html, const struct rxs_hist *h)
{
	const char *svg = strstr(html, "aria-label=\"distribution of"), *end, *p;
	double tv[32], tp[32];
	int nt = 0, nq = 0;

	assert_non_null(svg);
	end = strstr(svg, "</svg>");
	assert_non_null(end);
	for (p = strstr(svg, "class=\"xtick\""); p && p < end;
	     p = strstr(p + 1, "class=\"xtick\"")) {
		assert_int_equal(sscanf(p, "class=\"xtick\" data-v=\"%lf\" data-px=\"%lf\"",
					&tv[nt], &tp[nt]), 2);
		nt++;
		assert_true(nt < 32);
	}
	assert_true(nt >= 2);
	for (int i = 1; i < nt; i++) {
		assert_true(fabs(tv[i] / tv[i - 1] - 10) < 1e-9);
		assert_true(fabs((tp[i] - tp[i - 1]) - (tp[1] - tp[0])) < 0.02);
	}
	for (p = strstr(svg, "class=\"qmark\""); p && p < end;
	     p = strstr(p + 1, "class=\"qmark\"")) {
		char q[8];
		double v, x, want, qq;

		assert_int_equal(sscanf(p, "class=\"qmark\" data-q=\"%7[^\"]\" data-v=\"%lf\" "
					"x1=\"%lf\"", q, &v, &x), 3);
		qq = !strcmp(q, "p50") ? .5 : !strcmp(q, "p90") ? .9 : !strcmp(q, "p99") ? .99 :
		     .999;
		assert_true(fabs(v - rxs_hist_quantile(h, qq)) <= 1e-9 * v);
		want = tp[0] + (log10(v) - log10(tv[0])) * (tp[1] - tp[0]);
		if (fabs(x - want) > 0.02)
			fail_msg("%s = %g drawn at x %.2f, the ticks put it at %.2f", q, v, x,
				 want);
		nq++;
	}
	assert_int_equal(nq, 4);
}

static void test_report_page(void **state)
{
	struct rxs_recording r;
	char *html;

	(void)state;
	synth_recording(&r, 2, 5000, NULL, 11);
	/* a hook that needs escaping, and an unavailable stage */
	snprintf(r.stages[RXS_H_GRO].hook, sizeof(r.stages[0].hook), "kprobe:a<b>&\"c\"");
	r.stages[RXS_H_SOCKET].available = false;
	rxs_hist_init(&r.stages[RXS_H_SOCKET].hist);
	with_series(&r, 5);
	html = render(&r, "report.html");
	assert_well_formed("report.html");
	assert_sane(html);
	assert_non_null(strstr(html, "kprobe:a&lt;b&gt;&amp;&quot;c&quot;"));
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "default-src 'none'"));
	/* every section is there: waterfall, table, distributions, heatmaps, counters */
	assert_non_null(strstr(html, "aria-label=\"waterfall at p99.9\""));
	assert_non_null(strstr(html, "id=\"quantiles\""));
	assert_non_null(strstr(html, "aria-label=\"heatmap of total over time\""));
	assert_non_null(strstr(html, "aria-label=\"packet rate over time\""));
	assert_non_null(strstr(html, "funnel: gro"));
	assert_null(strstr(html, "aria-label=\"distribution of socket\""));
	/* the journey: backlog (RPS) between gro and l2_to_ip, total last */
	{
		const char *w = strstr(html, "aria-label=\"waterfall at p50\"");
		const char *g, *b, *l, *t;

		assert_non_null(w);
		g = strstr(w, ">gro</text>");
		b = strstr(w, ">backlog</text>");
		l = strstr(w, ">l2_to_ip</text>");
		t = strstr(w, ">total</text>");
		assert_true(g && b && l && t && g < b && b < l && l < t);
	}
	check_first_chart(html, &r.stages[0].hist);
	free(html);
	rxs_recording_free(&r);
}

/* nothing recorded, one event, one empty interval: no NaN, no empty path, well-formed */
static void test_degenerate(void **state)
{
	struct rxs_recording r;
	struct rxs_interval iv;
	char *html;

	(void)state;
	rxs_recording_init(&r, 1);
	for (int i = 0; i < RXS_H_NR; i++)
		r.stages[i].available = true;
	html = render(&r, "empty.html");
	assert_well_formed("empty.html");
	assert_sane(html);
	assert_null(strstr(html, "aria-label=\"distribution of"));
	free(html);

	/* one sample in one stage, a series of one interval of zero length */
	rxs_hist_add(&r.stages[RXS_H_TOTAL].hist, 1234);
	memset(&iv, 0, sizeof(iv));
	rxs_hist_add(&iv.hist[RXS_H_TOTAL], 1234);
	assert_int_equal(rxs_series_append(&r, &iv), 0);
	html = render(&r, "one.html");
	assert_well_formed("one.html");
	assert_sane(html);
	assert_non_null(strstr(html, "aria-label=\"distribution of total\""));
	assert_non_null(strstr(html, "aria-label=\"heatmap of total over time\""));
	check_first_chart(html, &r.stages[RXS_H_TOTAL].hist);
	free(html);

	/* a value of 0 ns (below the log axis) */
	rxs_hist_add(&r.stages[RXS_H_TOTAL].hist, 0);
	html = render(&r, "zero.html");
	assert_well_formed("zero.html");
	assert_sane(html);
	free(html);
	rxs_recording_free(&r);
}

/* from 100 ns to 10 s and from 1 to 10^6 events per bucket: the axes cover and say so */
static void test_extremes(void **state)
{
	struct rxs_recording r;
	struct rxs_hist *h;
	char *html, *svg;

	(void)state;
	rxs_recording_init(&r, 1);
	r.stages[RXS_H_TOTAL].available = true;
	h = &r.stages[RXS_H_TOTAL].hist;
	for (int i = 0; i < 1000000; i++)
		rxs_hist_add(h, 5000);
	rxs_hist_add(h, 100);
	rxs_hist_add(h, 10000000000ULL);
	html = render(&r, "extreme.html");
	assert_well_formed("extreme.html");
	assert_sane(html);
	svg = strstr(html, "aria-label=\"distribution of total\"");
	assert_non_null(svg);
	*strstr(svg, "</svg>") = '\0';
	assert_non_null(strstr(svg, ">100ns</text>"));
	assert_non_null(strstr(svg, ">10s</text>"));
	assert_non_null(strstr(svg, ">1M</text>"));
	assert_non_null(strstr(svg, ">1</text>"));
	assert_non_null(strstr(svg, "latency (log scale)"));
	free(html);
	rxs_recording_free(&r);
}

/* a long series (the most a recording holds): at most 320 heatmap columns, a bounded page */
static void test_long_series(void **state)
{
	struct rxs_recording r;
	struct rxs_interval iv;
	char *html, *svg, *end;
	int rects = 0;

	(void)state;
	rxs_recording_init(&r, 1);
	r.stages[RXS_H_TOTAL].available = true;
	for (int k = 0; k < RXS_SERIES_MAX; k++) {
		memset(&iv, 0, sizeof(iv));
		iv.t_s = k + 1;
		iv.dur_s = 1;
		/* 200 ns .. 200 ms: 20 power-of-two rows */
		for (int e = 0; e < 20; e++)
			rxs_hist_add(&iv.hist[RXS_H_TOTAL], 200ULL << e);
		iv.bpf.pkts[RXS_F_GRO] = 20;
		rxs_hist_merge(&r.stages[RXS_H_TOTAL].hist, &iv.hist[RXS_H_TOTAL]);
		assert_int_equal(rxs_series_append(&r, &iv), 0);
	}
	html = render(&r, "long.html");
	assert_well_formed("long.html");
	assert_sane(html);
	assert_true(strlen(html) < 4 << 20);
	svg = strstr(html, "aria-label=\"heatmap of total over time\"");
	assert_non_null(svg);
	end = strstr(svg, "</svg>");
	for (char *p = strstr(svg, "<rect"); p && p < end; p = strstr(p + 1, "<rect"))
		rects++;
	assert_true(rects > 0 && rects <= 320 * 20);
	assert_non_null(strstr(end, "events per column (4 intervals each)"));
	free(html);
	rxs_recording_free(&r);
}

/* the compare page: regressed stage first, well-formed, an empty stage without a chart */
static void test_compare_page(void **state)
{
	struct rxs_recording r;
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	struct rxs_compare_opts o;
	double scale[RXS_H_NR];
	char err[512] = "", *html = NULL, *row;
	size_t len = 0;
	FILE *m, *f;

	(void)state;
	for (int i = 0; i < RXS_H_NR; i++)
		scale[i] = 1;
	mkdir(path_of("base"), 0755);
	mkdir(path_of("new"), 0755);
	synth_recording(&r, 1, 20000, scale, 3);
	rxs_hist_init(&r.stages[RXS_H_SOCKET].hist);	/* no data on either side */
	assert_int_equal(rxs_export_write(&r, path_of("base/run.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	rxs_recording_free(&r);
	scale[RXS_H_POLL] = 2;
	synth_recording(&r, 1, 20000, scale, 4);
	rxs_hist_init(&r.stages[RXS_H_SOCKET].hist);
	assert_int_equal(rxs_export_write(&r, path_of("new/run.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	rxs_recording_free(&r);
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	memset(&n, 0, sizeof(n));
	assert_int_equal(rxs_cmp_side_load(path_of("base"), &b, err, sizeof(err)), 0);
	assert_int_equal(rxs_cmp_side_load(path_of("new"), &n, err, sizeof(err)), 0);
	assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
	assert_true(res.regressed >= 1);
	m = open_memstream(&html, &len);
	assert_int_equal(rxs_html_compare(m, &b, &n, &o, &res), 0);
	fclose(m);
	f = fopen(path_of("compare.html"), "w");
	fputs(html, f);
	fclose(f);
	assert_well_formed("compare.html");
	assert_sane(html);
	assert_non_null(strstr(html, "id=\"outcome\">REGRESSION<"));
	row = strstr(html, "<tr class=\"v-");
	assert_non_null(row);
	assert_true(!strncmp(row, "<tr class=\"v-regressed\" data-stage=\"poll\"", 40));
	assert_non_null(strstr(html, "socket: no data"));
	assert_null(strstr(html, "aria-label=\"baseline and new of socket\""));
	assert_non_null(strstr(html, "aria-label=\"baseline and new of poll\""));
	assert_non_null(strstr(html, "threshold +15%"));
	free(html);
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
}

/* two real runs a side cannot decide the 50 us poll delay: the page says INCONCLUSIVE */
static void test_compare_inconclusive(void **state)
{
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	struct rxs_compare_opts o;
	char err[512] = "", *html = NULL, *row;
	size_t len = 0;
	FILE *m;

	(void)state;
	rxs_compare_opts_init(&o);
	o.quantile = 0.5;
	assert_int_equal(rxs_compare_parse_stages("poll", &o, err, sizeof(err)), 0);
	memset(&n, 0, sizeof(n));
	assert_int_equal(rxs_cmp_side_load("tests/host/data/ci-clean/run-1.json,"
					   "tests/host/data/ci-clean/run-2.json", &b, err,
					   sizeof(err)), 0);
	assert_int_equal(rxs_cmp_side_load("tests/host/data/ci-inject-50us/run-1.json,"
					   "tests/host/data/ci-inject-50us/run-2.json", &n, err,
					   sizeof(err)), 0);
	assert_int_equal(rxs_compare(&b, &n, &o, &res, err, sizeof(err)), 0);
	assert_int_equal(rxs_compare_exit_code(&o, &res), RXS_EXIT_INCONCLUSIVE);
	m = open_memstream(&html, &len);
	assert_int_equal(rxs_html_compare(m, &b, &n, &o, &res), 0);
	fclose(m);
	assert_sane(html);
	assert_non_null(strstr(html, "class=\"undecided\" id=\"outcome\">INCONCLUSIVE<"));
	row = strstr(html, "<tr class=\"v-");
	assert_non_null(row);
	assert_true(!strncmp(row, "<tr class=\"v-inconclusive\" data-stage=\"poll\"", 44));
	assert_non_null(strstr(html, "<p class=\"note reason\">"));
	assert_non_null(strstr(html, "runs per side would decide"));
	assert_non_null(strstr(html, "<tr class=\"v-not-judged\" data-stage=\"hardirq\""));
	free(html);
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axes),
		cmocka_unit_test(test_report_page),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_compare_page),
		cmocka_unit_test(test_long_series),
		cmocka_unit_test(test_compare_inconclusive),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
