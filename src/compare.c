// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * compare.c - `rxscope compare`: loading the runs of each side, checking that they are
 * comparable, the noise-aware verdict per stage (docs/compare.md), and the text, JSON,
 * JUnit and markdown outputs.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "compare.h"
#include "export.h"
#include "hist.h"

static const double show_q[3] = { 0.5, 0.99, 0.999 };

void rxs_compare_opts_init(struct rxs_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->quantile = 0.99;
	o->max_regression = 0.15;
	o->confidence = 0.99;
	o->min_count = 50;
	o->format = RXS_CMP_TEXT;
	o->bootstrap_iters = 2000;
}

int rxs_compare_parse_quantile(const char *s, double *q)
{
	char *end;
	double v;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == 'p' || s[0] == 'P') {
		v = strtod(s + 1, &end);
		if (end == s + 1 || *end || !(v > 0 && v < 100))
			return -EINVAL;
		*q = v / 100.0;
		return 0;
	}
	v = strtod(s, &end);
	if (end == s || *end || !(v > 0 && v < 1))
		return -EINVAL;
	*q = v;
	return 0;
}

int rxs_compare_parse_percent(const char *s, double *frac)
{
	char *end;
	double v;

	if (!s || !*s)
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%")) || !(v >= 0 && v < 10000))
		return -EINVAL;
	*frac = v / 100.0;
	return 0;
}

int rxs_compare_parse_format(const char *s, enum rxs_cmp_format *f)
{
	static const struct {
		const char *n;
		enum rxs_cmp_format f;
	} t[] = { { "text", RXS_CMP_TEXT }, { "json", RXS_CMP_JSON }, { "junit", RXS_CMP_JUNIT },
		  { "markdown", RXS_CMP_MARKDOWN }, { "md", RXS_CMP_MARKDOWN } };

	for (size_t i = 0; s && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].n) == 0) {
			*f = t[i].f;
			return 0;
		}
	return -EINVAL;
}

int rxs_compare_parse_stages(const char *s, struct rxs_compare_opts *o, char *err,
			     size_t errlen)
{
	char *copy = strdup(s ? s : ""), *tok, *save;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = rxs_stage_from_name(tok);

		if (id < 0) {
			snprintf(err, errlen, "unknown stage \"%s\" (see `rxscope probe` for "
				 "the stage names)", tok);
			ret = -EINVAL;
			break;
		}
		o->stage_sel[id] = true;
		o->any_stage_sel = true;
	}
	free(copy);
	return ret;
}

/* ---- loading ---------------------------------------------------------------------- */

static int add_run(struct rxs_cmp_side *side, const char *path, char *err, size_t errlen)
{
	struct rxs_recording *runs;
	char **paths;
	int ret;

	runs = realloc(side->runs, (side->nruns + 1) * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	side->runs = runs;
	paths = realloc(side->paths, (side->nruns + 1) * sizeof(*paths));
	if (!paths)
		return -ENOMEM;
	side->paths = paths;
	ret = rxs_json_read(path, &side->runs[side->nruns], err, errlen);
	if (ret) {
		rxs_recording_free(&side->runs[side->nruns]);
		return ret;
	}
	side->paths[side->nruns] = strdup(path);
	side->nruns++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct rxs_cmp_side *side, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	int n = 0, ret = 0;

	if (!d) {
		ret = -errno;
		snprintf(err, errlen, "failed to open directory %s: %s", dir, strerror(-ret));
		return ret;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char **nn;

		if (l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn) {
			ret = -ENOMEM;
			break;
		}
		names = nn;
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0) {
			ret = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (!ret && n == 0) {
		snprintf(err, errlen, "%s: no *.json recordings in this directory", dir);
		ret = -ENOENT;
	}
	/* sorted, so that the output and the bootstrap do not depend on readdir order */
	if (!ret)
		qsort(names, n, sizeof(*names), cmp_str);
	for (int i = 0; !ret && i < n; i++)
		ret = add_run(side, names[i], err, errlen);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int rxs_cmp_side_load(const char *spec, struct rxs_cmp_side *side, char *err, size_t errlen)
{
	char *copy, *tok, *save;
	int ret = 0;

	memset(side, 0, sizeof(*side));
	snprintf(side->label, sizeof(side->label), "%s", spec);
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		struct stat st;

		if (stat(tok, &st)) {
			ret = -errno;
			snprintf(err, errlen, "failed to open %s: %s", tok, strerror(-ret));
		} else if (S_ISDIR(st.st_mode)) {
			ret = add_dir(side, tok, err, errlen);
		} else {
			ret = add_run(side, tok, err, errlen);
		}
	}
	free(copy);
	if (!ret && side->nruns == 0) {
		snprintf(err, errlen, "\"%s\": no recordings", spec);
		ret = -ENOENT;
	}
	return ret;
}

void rxs_cmp_side_free(struct rxs_cmp_side *side)
{
	for (int i = 0; i < side->nruns; i++) {
		rxs_recording_free(&side->runs[i]);
		free(side->paths[i]);
	}
	free(side->runs);
	free(side->paths);
	memset(side, 0, sizeof(*side));
}

/* ---- statistics ------------------------------------------------------------------- */

/* the z with P(|Z| <= z) = @conf for a standard normal, by bisection on erfc */
static double z_two_sided(double conf)
{
	double lo = 0, hi = 10;

	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / M_SQRT2) > 1 - conf)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* P(|T| <= t) for Student's t with @df degrees of freedom (df may be fractional, as
 * Welch's is): Simpson's rule on the density, which is smooth and even */
static double t_central(double t, double df)
{
	const int n = 1000;	/* even */
	double norm = exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * M_PI));
	double h = t / n, sum = 0;

	for (int i = 0; i <= n; i++) {
		double w = (i == 0 || i == n) ? 1 : (i & 1 ? 4 : 2), x = i * h;

		sum += w * exp(-(df + 1) / 2 * log1p(x * x / df));
	}
	return 2 * norm * sum * h / 3;
}

/* the t with P(|T| <= t) = @conf for @df >= 1 degrees of freedom, by bisection */
double rxs_t_two_sided(double conf, double df)
{
	double lo = 0, hi = 1000;

	for (int i = 0; i < 45; i++) {
		double mid = (lo + hi) / 2;

		if (t_central(mid, df) < conf)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* mean and sample variance of the log of each run's q-quantile; returns the runs used */
static int run_log_quantiles(const struct rxs_cmp_side *s, int id, double q, double *mean,
			     double *var)
{
	double sum = 0, sq = 0;
	int k = 0;

	for (int i = 0; i < s->nruns; i++) {
		const struct rxs_hist *h = &s->runs[i].stages[id].hist;
		double v;

		if (!h->count)
			continue;	/* an empty run pools to nothing; it has no quantile */
		v = rxs_hist_quantile(h, q);
		if (v <= 0)
			continue;
		sum += log(v);
		sq += log(v) * log(v);
		k++;
	}
	if (k < 2)
		return k;
	*mean = sum / k;
	*var = (sq - sum * sum / k) / (k - 1);
	if (*var < 0)
		*var = 0;
	return k;
}

/*
 * Welch's interval on the ratio of the runs' typical q-quantile: each run gives one value,
 * log Q_i; the difference of the two sides' means of those logs, with Welch's standard
 * error and degrees of freedom, and Student's t. With few runs the t-quantile is large
 * (K = 3 per side: about 5.8 for 99%), which is the honest width for a spread that is
 * itself estimated from three numbers; a bootstrap over three runs cannot know that.
 * Returns false when a side has fewer than two runs with data.
 */
static bool welch_ci(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, int id,
		     double q, double conf, double *lo, double *hi)
{
	double mb, vb, mn, vn, se2, df, t, d;
	int kb = run_log_quantiles(b, id, q, &mb, &vb);
	int kn = run_log_quantiles(n, id, q, &mn, &vn);

	if (kb < 2 || kn < 2)
		return false;
	se2 = vb / kb + vn / kn;
	d = mn - mb;
	if (se2 <= 0) {		/* every run identical on both sides */
		*lo = *hi = exp(d);
		return true;
	}
	df = se2 * se2 / (vb * vb / ((double)kb * kb * (kb - 1)) +
			  vn * vn / ((double)kn * kn * (kn - 1)));
	if (df < 1)
		df = 1;
	t = rxs_t_two_sided(conf, df);
	*lo = exp(d - t * sqrt(se2));
	*hi = exp(d + t * sqrt(se2));
	return true;
}

/*
 * Distribution-free interval on the q-quantile of a histogram of n events: the rank of
 * the sample quantile is binomial(n, q), so ranks n*q -/+ z*sqrt(n*q*(1-q)) bracket the
 * true quantile with the normal approximation's confidence. Ranks map to values through
 * the buckets (which two equal distributions share, so quantisation adds no difference).
 */
static void quantile_ci(const struct rxs_hist *h, double q, double z, double *lo, double *hi)
{
	double n = (double)h->count, sd = sqrt(n * q * (1 - q));
	double rlo = floor(n * q - z * sd), rhi = ceil(n * q + z * sd) + 1;

	if (rlo < 1)
		rlo = 1;
	if (rhi > n)
		rhi = n;
	*lo = rxs_hist_quantile(h, rlo / n);
	*hi = rxs_hist_quantile(h, rhi / n);
}

static void pooled(const struct rxs_cmp_side *s, int id, struct rxs_hist *out)
{
	rxs_hist_init(out);
	for (int i = 0; i < s->nruns; i++)
		rxs_hist_merge(out, &s->runs[i].stages[id].hist);
}

static __u64 rng_next(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Bootstrap over runs: resample each side's runs with replacement, pool them, and take
 * the ratio of the pooled quantiles; the interval is the central @conf of those ratios.
 * It captures run-to-run spread (boot, placement, host noise) that no single run shows.
 */
static void bootstrap_ci(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, int id,
			 double q, double conf, unsigned iters, double *lo, double *hi)
{
	double *ratios = calloc(iters, sizeof(*ratios));
	struct rxs_hist hb, hn;
	__u64 seed = 0x2545f4914f6cdd1dULL + (__u64)id;
	unsigned k = 0;

	if (!ratios) {
		*lo = 0;
		*hi = INFINITY;
		return;
	}
	for (unsigned it = 0; it < iters; it++) {
		double qb, qn;

		rxs_hist_init(&hb);
		rxs_hist_init(&hn);
		for (int i = 0; i < b->nruns; i++)
			rxs_hist_merge(&hb, &b->runs[rng_next(&seed) % b->nruns].stages[id].hist);
		for (int i = 0; i < n->nruns; i++)
			rxs_hist_merge(&hn, &n->runs[rng_next(&seed) % n->nruns].stages[id].hist);
		if (!hb.count || !hn.count)
			continue;
		qb = rxs_hist_quantile(&hb, q);
		qn = rxs_hist_quantile(&hn, q);
		if (qb <= 0)
			continue;
		ratios[k++] = qn / qb;
	}
	if (k == 0) {
		*lo = 0;
		*hi = INFINITY;
		free(ratios);
		return;
	}
	qsort(ratios, k, sizeof(*ratios), cmp_double);
	*lo = ratios[(size_t)floor((1 - conf) / 2 * (k - 1))];
	*hi = ratios[(size_t)ceil((1 - (1 - conf) / 2) * (k - 1))];
	free(ratios);
}

/* the union of @st's interval and [lo, hi]: no noise source may hide behind another */
static void widen(struct rxs_cmp_stage *st, double lo, double hi)
{
	if (lo < st->ci_lo)
		st->ci_lo = lo;
	if (hi > st->ci_hi)
		st->ci_hi = hi;
}

static void judge(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		  const struct rxs_compare_opts *o, struct rxs_cmp_stage *st)
{
	struct rxs_hist hb, hn;
	double need = 10.0 / (1 - o->quantile);
	/* Bonferroni: each side's interval at 1 - (1-conf)/2 gives the ratio conf */
	double z = z_two_sided(1 - (1 - o->confidence) / 2);
	double blo, bhi, nlo, nhi;

	pooled(b, st->id, &hb);
	pooled(n, st->id, &hn);
	st->count_base = hb.count;
	st->count_new = hn.count;
	for (int i = 0; i < 3; i++) {
		st->base_q[i] = rxs_hist_quantile(&hb, show_q[i]);
		st->new_q[i] = rxs_hist_quantile(&hn, show_q[i]);
	}
	st->base_sel = rxs_hist_quantile(&hb, o->quantile);
	st->new_sel = rxs_hist_quantile(&hn, o->quantile);
	st->change = st->base_sel > 0 ? st->new_sel / st->base_sel - 1 : 0;
	st->method = "order-statistic";
	st->ci_lo = 0;
	st->ci_hi = INFINITY;
	if (!hb.count && !hn.count) {
		st->verdict = RXS_V_NO_DATA;
		return;
	}
	if ((double)hb.count < need || (double)hn.count < need ||
	    hb.count < o->min_count || hn.count < o->min_count || st->base_sel <= 0) {
		st->verdict = RXS_V_INSUFFICIENT;
		return;
	}
	quantile_ci(&hb, o->quantile, z, &blo, &bhi);
	quantile_ci(&hn, o->quantile, z, &nlo, &nhi);
	st->ci_lo = bhi > 0 ? nlo / bhi : 0;
	st->ci_hi = blo > 0 ? nhi / blo : INFINITY;
	if (b->nruns >= 2 && n->nruns >= 2) {
		double lo, hi;

		bootstrap_ci(b, n, st->id, o->quantile, o->confidence, o->bootstrap_iters,
			     &lo, &hi);
		widen(st, lo, hi);
		st->method = "bootstrap-runs+order-statistic";
		if (welch_ci(b, n, st->id, o->quantile, o->confidence, &lo, &hi)) {
			widen(st, lo, hi);
			st->method = "welch-runs+bootstrap-runs+order-statistic";
		}
	}
	if (st->change > o->max_regression && st->ci_lo > 1.0)
		st->verdict = RXS_V_REGRESSED;
	else if (st->change < -o->max_regression && st->ci_hi < 1.0)
		st->verdict = RXS_V_IMPROVED;
	else
		st->verdict = RXS_V_OK;
}

/* ---- validation ------------------------------------------------------------------- */

/* every run on both sides: the same available stages, with the same units */
static int check_sets(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, char *err,
		      size_t errlen)
{
	const struct rxs_recording *ref = &b->runs[0];
	const struct rxs_cmp_side *sides[2] = { b, n };

	for (int s = 0; s < 2; s++)
		for (int r = 0; r < sides[s]->nruns; r++) {
			const struct rxs_recording *x = &sides[s]->runs[r];

			for (int i = 0; i < RXS_H_NR; i++) {
				if (x->stages[i].available != ref->stages[i].available) {
					snprintf(err, errlen, "%s: stages[%s].available: %s here "
						 "but %s in %s (recordings from different stage "
						 "sets)", sides[s]->paths[r], rxs_stage_name(i),
						 x->stages[i].available ? "true" : "false",
						 ref->stages[i].available ? "true" : "false",
						 b->paths[0]);
					return -EINVAL;
				}
				if (strcmp(x->stages[i].unit, ref->stages[i].unit)) {
					snprintf(err, errlen, "%s: stages[%s].unit: \"%s\" here but "
						 "\"%s\" in %s", sides[s]->paths[r],
						 rxs_stage_name(i), x->stages[i].unit,
						 ref->stages[i].unit, b->paths[0]);
					return -EINVAL;
				}
			}
		}
	return 0;
}

/* a side whose runs are all empty for a stage that the other side has data for */
static int check_empty(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, int id,
		       bool selected, char *err, size_t errlen)
{
	__u64 cb = 0, cn = 0;

	for (int i = 0; i < b->nruns; i++)
		cb += b->runs[i].stages[id].hist.count;
	for (int i = 0; i < n->nruns; i++)
		cn += n->runs[i].stages[id].hist.count;
	if ((cb == 0) == (cn == 0) && !(cb == 0 && selected))
		return 0;
	snprintf(err, errlen, "%s: stages[%s].hist.count: empty histogram%s%s",
		 cb == 0 ? b->paths[0] : n->paths[0], rxs_stage_name(id),
		 (cb == 0) != (cn == 0) ? " while the other side has data in " : "",
		 (cb == 0) != (cn == 0) ? (cb == 0 ? n->paths[0] : b->paths[0]) : "");
	return -EINVAL;
}

int rxs_compare(const struct rxs_cmp_side *base, const struct rxs_cmp_side *cand,
		const struct rxs_compare_opts *o, struct rxs_cmp_result *res, char *err,
		size_t errlen)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (base->nruns == 0 || cand->nruns == 0) {
		snprintf(err, errlen, "nothing to compare: a side has no recordings");
		return -EINVAL;
	}
	ret = check_sets(base, cand, err, errlen);
	if (ret)
		return ret;
	for (int i = 0; i < RXS_H_NR; i++) {
		struct rxs_cmp_stage *st;

		if (o->any_stage_sel && !o->stage_sel[i])
			continue;
		if (!base->runs[0].stages[i].available) {
			if (o->any_stage_sel) {
				snprintf(err, errlen, "%s: stages[%s].available: false (the stage "
					 "--stage asks for was not traced)", base->paths[0],
					 rxs_stage_name(i));
				return -EINVAL;
			}
			continue;
		}
		ret = check_empty(base, cand, i, o->any_stage_sel, err, errlen);
		if (ret)
			return ret;
		st = &res->stages[res->nstages++];
		st->id = i;
		st->judged = true;
		judge(base, cand, o, st);
		res->regressed += st->verdict == RXS_V_REGRESSED;
		res->improved += st->verdict == RXS_V_IMPROVED;
		res->insufficient += st->verdict == RXS_V_INSUFFICIENT;
	}
	if (res->nstages == 0) {
		snprintf(err, errlen, "%s: stages: no available stage to compare",
			 base->paths[0]);
		return -EINVAL;
	}
	for (int i = 0; i < res->nstages; i++)
		if (res->stages[i].verdict != RXS_V_NO_DATA)
			return 0;
	snprintf(err, errlen, "%s: stages[*].hist.count: every compared histogram is empty "
		 "on both sides (no traffic was traced)", base->paths[0]);
	return -EINVAL;
}

/* ---- output ----------------------------------------------------------------------- */

const char *rxs_verdict_name(enum rxs_verdict v)
{
	switch (v) {
	case RXS_V_OK:
		return "ok";
	case RXS_V_REGRESSED:
		return "regressed";
	case RXS_V_IMPROVED:
		return "improved";
	case RXS_V_INSUFFICIENT:
		return "insufficient data";
	case RXS_V_NO_DATA:
		return "no data";
	}
	return "?";
}

static void qname(char *buf, size_t len, double q)
{
	snprintf(buf, len, "p%g", q * 100);
}

static const char *unit_of(const struct rxs_cmp_side *b, int id)
{
	return b->runs[0].stages[id].unit;
}

static void print_text(FILE *f, const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		       const struct rxs_compare_opts *o, const struct rxs_cmp_result *res,
		       bool md)
{
	char qn[16], v[6][16], ch[16], ci[32];

	qname(qn, sizeof(qn), o->quantile);
	if (md) {
		fprintf(f, "**rxscope compare**: baseline %d run(s) `%s`, new %d run(s) `%s`; "
			"judged on %s, max regression %.3g%%, confidence %.3g%%\n\n",
			b->nruns, b->label, n->nruns, n->label, qn, o->max_regression * 100,
			o->confidence * 100);
		fprintf(f, "| stage | base p50 | new p50 | base p99 | new p99 | base p99.9 | "
			"new p99.9 | %s change | CI (ratio) | verdict |\n", qn);
		fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	} else {
		fprintf(f, "baseline: %d run(s) from %s\nnew:      %d run(s) from %s\n"
			"judged on %s, max regression %.3g%%, confidence %.3g%%\n\n",
			b->nruns, b->label, n->nruns, n->label, qn, o->max_regression * 100,
			o->confidence * 100);
		fprintf(f, "%-24s %8s %8s %8s %8s %8s %8s %8s %-15s %s\n", "STAGE", "B.P50",
			"N.P50", "B.P99", "N.P99", "B.P99.9", "N.P99.9", "CHANGE", "CI(RATIO)",
			"VERDICT");
	}
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];
		const char *u = unit_of(b, s->id);

		for (int k = 0; k < 3; k++) {
			rxs_fmt_value(v[2 * k], sizeof(v[0]), s->base_q[k], u);
			rxs_fmt_value(v[2 * k + 1], sizeof(v[0]), s->new_q[k], u);
		}
		if (s->verdict == RXS_V_NO_DATA)
			snprintf(ch, sizeof(ch), "-");
		else
			snprintf(ch, sizeof(ch), "%+.1f%%", s->change * 100);
		if (isfinite(s->ci_hi))
			snprintf(ci, sizeof(ci), "[%.3f, %.3f]", s->ci_lo, s->ci_hi);
		else
			snprintf(ci, sizeof(ci), "-");
		if (md)
			fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%s |\n",
				rxs_stage_name(s->id), v[0], v[1], v[2], v[3], v[4], v[5], ch,
				ci, s->verdict == RXS_V_REGRESSED ? "**regressed**" :
				rxs_verdict_name(s->verdict), "");
		else
			fprintf(f, "%-24s %8s %8s %8s %8s %8s %8s %8s %-15s %s\n",
				rxs_stage_name(s->id), v[0], v[1], v[2], v[3], v[4], v[5], ch, ci,
				rxs_verdict_name(s->verdict));
	}
	fprintf(f, "\n%s%s%s: %d regressed, %d improved, %d with insufficient data, "
		"%d stage(s) compared\n", md ? "**" : "",
		res->regressed ? "REGRESSION" : "no regression", md ? "**" : "", res->regressed,
		res->improved, res->insufficient, res->nstages);
}

static void json_files(FILE *f, const struct rxs_cmp_side *s)
{
	fprintf(f, "[");
	for (int i = 0; i < s->nruns; i++) {
		fprintf(f, "%s\"", i ? ", " : "");
		for (const char *p = s->paths[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				fputc('\\', f);
			if ((unsigned char)*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
		fprintf(f, "\"");
	}
	fprintf(f, "]");
}

static void print_json(FILE *f, const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		       const struct rxs_compare_opts *o, const struct rxs_cmp_result *res)
{
	fprintf(f, "{\n  \"schema\": \"rxscope-compare/1\",\n  \"quantile\": %g,\n"
		"  \"max_regression\": %g,\n  \"confidence\": %g,\n", o->quantile,
		o->max_regression, o->confidence);
	fprintf(f, "  \"baseline\": { \"runs\": %d, \"files\": ", b->nruns);
	json_files(f, b);
	fprintf(f, " },\n  \"new\": { \"runs\": %d, \"files\": ", n->nruns);
	json_files(f, n);
	fprintf(f, " },\n  \"stages\": [\n");
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];

		fprintf(f, "    { \"name\": \"%s\", \"unit\": \"%s\", \"verdict\": \"%s\", "
			"\"method\": \"%s\",\n", rxs_stage_name(s->id), unit_of(b, s->id),
			rxs_verdict_name(s->verdict), s->method);
		fprintf(f, "      \"baseline\": { \"count\": %llu, \"p50\": %.1f, \"p99\": %.1f, "
			"\"p99.9\": %.1f, \"selected\": %.1f },\n",
			(unsigned long long)s->count_base, s->base_q[0], s->base_q[1],
			s->base_q[2], s->base_sel);
		fprintf(f, "      \"new\": { \"count\": %llu, \"p50\": %.1f, \"p99\": %.1f, "
			"\"p99.9\": %.1f, \"selected\": %.1f },\n",
			(unsigned long long)s->count_new, s->new_q[0], s->new_q[1], s->new_q[2],
			s->new_sel);
		fprintf(f, "      \"change\": %.6f, \"ci\": ", s->change);
		if (isfinite(s->ci_hi))
			fprintf(f, "[%.6f, %.6f] }", s->ci_lo, s->ci_hi);
		else
			fprintf(f, "null }");
		fprintf(f, "%s\n", i + 1 < res->nstages ? "," : "");
	}
	fprintf(f, "  ],\n  \"regressed\": %d,\n  \"improved\": %d,\n  \"insufficient\": %d,\n"
		"  \"verdict\": \"%s\"\n}\n", res->regressed, res->improved, res->insufficient,
		res->regressed ? "regressed" : "ok");
}

static void xml_attr(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void print_junit(FILE *f, const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
			const struct rxs_compare_opts *o, const struct rxs_cmp_result *res)
{
	char qn[16], msg[256], bv[16], nv[16];
	int skipped = 0;

	qname(qn, sizeof(qn), o->quantile);
	for (int i = 0; i < res->nstages; i++)
		skipped += res->stages[i].verdict == RXS_V_INSUFFICIENT ||
			   res->stages[i].verdict == RXS_V_NO_DATA;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"rxscope compare\" tests=\"%d\" failures=\"%d\">\n",
		res->nstages, res->regressed);
	fprintf(f, "  <testsuite name=\"rxscope.compare\" tests=\"%d\" failures=\"%d\" "
		"errors=\"0\" skipped=\"%d\">\n", res->nstages, res->regressed, skipped);
	fprintf(f, "    <properties>\n      <property name=\"baseline\" value=\"");
	xml_attr(f, b->label);
	fprintf(f, "\"/>\n      <property name=\"new\" value=\"");
	xml_attr(f, n->label);
	fprintf(f, "\"/>\n      <property name=\"quantile\" value=\"%s\"/>\n"
		"      <property name=\"max_regression\" value=\"%g%%\"/>\n    </properties>\n",
		qn, o->max_regression * 100);
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];
		const char *u = unit_of(b, s->id);

		rxs_fmt_value(bv, sizeof(bv), s->base_sel, u);
		rxs_fmt_value(nv, sizeof(nv), s->new_sel, u);
		if (s->verdict == RXS_V_INSUFFICIENT || s->verdict == RXS_V_NO_DATA)
			snprintf(msg, sizeof(msg), "%s %s -> %s (no interval): %s", qn, bv, nv,
				 rxs_verdict_name(s->verdict));
		else
			snprintf(msg, sizeof(msg), "%s %s -> %s (%+.1f%%, ratio CI [%.3f, %.3f]): %s",
				 qn, bv, nv, s->change * 100, s->ci_lo,
				 isfinite(s->ci_hi) ? s->ci_hi : 0.0,
				 rxs_verdict_name(s->verdict));
		fprintf(f, "    <testcase classname=\"rxscope.compare\" name=\"%s\">\n",
			rxs_stage_name(s->id));
		if (s->verdict == RXS_V_REGRESSED) {
			fprintf(f, "      <failure type=\"regression\" message=\"");
			xml_attr(f, msg);
			fprintf(f, "\"/>\n");
		} else if (s->verdict == RXS_V_INSUFFICIENT || s->verdict == RXS_V_NO_DATA) {
			fprintf(f, "      <skipped message=\"");
			xml_attr(f, msg);
			fprintf(f, "\"/>\n");
		} else {
			fprintf(f, "      <system-out>");
			xml_attr(f, msg);
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

void rxs_compare_print(FILE *f, const struct rxs_cmp_side *base,
		       const struct rxs_cmp_side *cand, const struct rxs_compare_opts *o,
		       const struct rxs_cmp_result *res)
{
	switch (o->format) {
	case RXS_CMP_TEXT:
		print_text(f, base, cand, o, res, false);
		break;
	case RXS_CMP_MARKDOWN:
		print_text(f, base, cand, o, res, true);
		break;
	case RXS_CMP_JSON:
		print_json(f, base, cand, o, res);
		break;
	case RXS_CMP_JUNIT:
		print_junit(f, base, cand, o, res);
		break;
	}
}

int rxs_compare_cmd(const char *baseline, const char *candidate,
		    const struct rxs_compare_opts *o)
{
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	char err[512];
	int code = 2;

	memset(&n, 0, sizeof(n));
	if (rxs_cmp_side_load(baseline, &b, err, sizeof(err)) ||
	    rxs_cmp_side_load(candidate, &n, err, sizeof(err)) ||
	    rxs_compare(&b, &n, o, &res, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		goto out;
	}
	rxs_compare_print(stdout, &b, &n, o, &res);
	fflush(stdout);
	code = res.regressed ? 1 : 0;
out:
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
	return code;
}
