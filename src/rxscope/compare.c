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
#include "export_json.h"
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
	if (end == s || !(v >= 0 && v < 10000))
		return -EINVAL;
	if (!strcmp(end, "%")) {
		*frac = v / 100.0;
		return 0;
	}
	if (*end)
		return -EINVAL;
	/* a bare 0.15 reads as 15% (a fraction, as --quantile and the JSON output write
	 * them) as well as 0.15%: refuse it rather than guess */
	if (v > 0 && v <= 1)
		return -EDOM;
	*frac = v / 100.0;
	return 0;
}

int rxs_compare_parse_inconclusive(const char *s, bool *ok)
{
	if (s && !strcmp(s, "ok")) {
		*ok = true;
		return 0;
	}
	if (s && !strcmp(s, "fail")) {
		*ok = false;
		return 0;
	}
	return -EINVAL;
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

/* the continued fraction of the regularized incomplete beta function (modified Lentz) */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa, del;

		aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
		d = 1 + aa * d;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-14)
			break;
	}
	return h;
}

/* I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1 */
static double beta_inc(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/* P(|T| <= t) for Student's t with @df degrees of freedom (df may be fractional, as
 * Welch's is): 1 - I_{df / (df + t^2)}(df / 2, 1 / 2) */
static double t_central(double t, double df)
{
	return 1 - beta_inc(df / 2, 0.5, df / (df + t * t));
}

/* the t with P(|T| <= t) = @conf for @df >= 1 degrees of freedom, by bisection */
double rxs_t_two_sided(double conf, double df)
{
	double lo = 0, hi = 1e6;

	for (int i = 0; i < 80; i++) {
		double mid = (lo + hi) / 2;

		if (t_central(mid, df) < conf)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* the log of each run's q-quantile: how many runs have one, their mean and (with two or
 * more) their sample variance */
struct run_logs {
	int k;
	double mean, var;
};

static struct run_logs run_log_quantiles(const struct rxs_cmp_side *s, int id, double q)
{
	struct run_logs r = { 0, 0, 0 };
	double sum = 0, sq = 0;

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
		r.k++;
	}
	if (r.k == 0)
		return r;
	r.mean = sum / r.k;
	if (r.k >= 2) {
		r.var = (sq - sum * sum / r.k) / (r.k - 1);
		if (r.var < 0)
			r.var = 0;
	}
	return r;
}

/*
 * Welch's interval on the ratio of the runs' typical q-quantile: each run gives one value,
 * log Q_i; the difference of the two sides' means of those logs, with Welch's standard
 * error and degrees of freedom, and Student's t. With few runs the t-quantile is large
 * (K = 3 per side: about 5.8 for 99%), which is the honest width for a spread that is
 * itself estimated from three numbers; a bootstrap over three runs cannot know that.
 * A side with one run borrows the other side's spread (its own is unknown, and assuming
 * none would be the one thing certainly wrong); the degrees of freedom are then those of
 * the other side. Returns false when neither side has two runs with data; else the
 * interval and, in @vb and @vn, the per-run variances used (for the runs advice).
 */
static bool welch_ci(struct run_logs b, struct run_logs n, double conf, double *lo,
		     double *hi, double *vb, double *vn)
{
	double se2, df, t, d;

	if (b.k < 1 || n.k < 1 || (b.k < 2 && n.k < 2))
		return false;
	if (b.k < 2)
		b.var = n.var;
	if (n.k < 2)
		n.var = b.var;
	*vb = b.var;
	*vn = n.var;
	se2 = b.var / b.k + n.var / n.k;
	d = n.mean - b.mean;
	if (se2 <= 0) {		/* every run identical on both sides */
		*lo = *hi = exp(d);
		return true;
	}
	if (b.k < 2 || n.k < 2)
		df = (b.k < 2 ? n.k : b.k) - 1;
	else
		df = se2 * se2 / (b.var * b.var / ((double)b.k * b.k * (b.k - 1)) +
				  n.var * n.var / ((double)n.k * n.k * (n.k - 1)));
	if (df < 1)
		df = 1;
	t = rxs_t_two_sided(conf, df);
	*lo = exp(d - t * sqrt(se2));
	*hi = exp(d + t * sqrt(se2));
	return true;
}

/*
 * does an interval with K runs per side and these variances decide (see below)? For
 * pairs (@paired), vb + vn is the variance of a pair's difference and df is K - 1.
 */
static bool decides(double vb, double vn, int k, double delta, double conf, double zp,
		    bool paired)
{
	double v = vb + vn, df = paired ? k - 1 : v * v * (k - 1) / (vb * vb + vn * vn), t;

	if (df < 1)
		df = 1;
	t = rxs_t_two_sided(conf, df);
	return (t + zp * sqrt(1 + t * t / (2 * df))) * sqrt(v / k) <= delta;
}

/*
 * The advice: the interval's centre is off the truth by a normal error of standard
 * deviation se = sqrt((vb + vn) / K), and the interval reaches t * se' either side of it,
 * se' being se as estimated from the runs. For no shift, "ok" needs centre + t * se'
 * below delta = log(1 + frac); for a shift of delta, "regressed" needs centre - t * se'
 * above 0. Both hold with probability @power when (t + z * sqrt(1 + t^2 / (2 df))) * se
 * <= delta, z the one-sided normal quantile of @power: centre - t * se' has variance
 * se^2 (1 + t^2 / (2 df)), the usual normal approximation of the noncentral t. t shrinks
 * with the degrees of freedom, so the smallest such K is found by bisection.
 */
static int runs_needed(double vb, double vn, double frac, double conf, double power,
		       bool paired)
{
	double delta = log1p(frac), zp = z_two_sided(2 * power - 1);
	int lo = 2, hi = RXS_CMP_MAX_RUNS;

	if (!(delta > 0))
		return -1;	/* a zero threshold can never rule a regression out */
	if (vb + vn <= 0)
		return 2;
	if (!decides(vb, vn, hi, delta, conf, zp, paired))
		return -1;
	if (decides(vb, vn, lo, delta, conf, zp, paired))
		return lo;
	while (hi - lo > 1) {	/* lo does not decide, hi does */
		int mid = (lo + hi) / 2;

		if (decides(vb, vn, mid, delta, conf, zp, paired))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int rxs_cmp_runs_needed(double vb, double vn, double frac, double conf, double power)
{
	return runs_needed(vb, vn, frac, conf, power, false);
}

int rxs_cmp_pairs_needed(double vd, double frac, double conf, double power)
{
	return runs_needed(vd / 2, vd / 2, frac, conf, power, true);
}

/*
 * Pairs share what varies between runs of one job: a drift of the machine's speed moves
 * both runs of a pair (neighbours in time), and cancels in their ratio. The interval is
 * then as wide as the pairs' ratios spread, not as the runs do.
 */
bool rxs_cmp_paired_ci(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, int id,
		       double q, double conf, double *lo, double *hi, double *vd)
{
	double sum = 0, sq = 0, mean, var = 0, t;
	int k = 0;

	for (int i = 0; i < b->nruns && i < n->nruns; i++) {
		const struct rxs_hist *hb = &b->runs[i].stages[id].hist;
		const struct rxs_hist *hn = &n->runs[i].stages[id].hist;
		double qb, qn, d;

		if (!hb->count || !hn->count)
			continue;
		qb = rxs_hist_quantile(hb, q);
		qn = rxs_hist_quantile(hn, q);
		if (qb <= 0 || qn <= 0)
			continue;
		d = log(qn / qb);
		sum += d;
		sq += d * d;
		k++;
	}
	if (k < 2)
		return false;
	mean = sum / k;
	var = (sq - sum * sum / k) / (k - 1);
	if (var < 0)
		var = 0;
	*vd = var;
	t = rxs_t_two_sided(conf, k - 1);
	*lo = exp(mean - t * sqrt(var / k));
	*hi = exp(mean + t * sqrt(var / k));
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
			 double q, double conf, unsigned iters, bool paired, double *lo,
			 double *hi)
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
		if (paired) {	/* resample pairs: both runs of a pair, or neither */
			for (int i = 0; i < b->nruns; i++) {
				int j = rng_next(&seed) % b->nruns;

				rxs_hist_merge(&hb, &b->runs[j].stages[id].hist);
				rxs_hist_merge(&hn, &n->runs[j].stages[id].hist);
			}
		} else {
			for (int i = 0; i < b->nruns; i++)
				rxs_hist_merge(&hb, &b->runs[rng_next(&seed) %
							     b->nruns].stages[id].hist);
			for (int i = 0; i < n->nruns; i++)
				rxs_hist_merge(&hn, &n->runs[rng_next(&seed) %
							     n->nruns].stages[id].hist);
		}
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

/* a ratio in at most 6 characters, without exponents: 0.863, 15.85, 154.9, 15489 */
static char *fmt_ratio(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "inf");
	else if (v < 9.9995)
		snprintf(buf, len, "%.3f", v);
	else if (v < 99.995)
		snprintf(buf, len, "%.2f", v);
	else if (v < 999.95)
		snprintf(buf, len, "%.1f", v);
	else if (v < 99999.5)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, ">99999");
	return buf;
}

/* a bound of the verdict (1 +/- threshold): 1.15, 0.85, 11 */
static char *fmt_bound(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.4g", v);
	return buf;
}

/* a percentage without exponent or trailing zeros: 15, 0.15, 1000, 99.9 */
static char *fmt_pct(char *buf, size_t len, double frac)
{
	char *p;

	snprintf(buf, len, "%.2f", frac * 100);
	p = buf + strlen(buf) - 1;
	while (p > buf && *p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	return buf;
}

/* why an interval that reaches both 1 and 1 + threshold decides nothing */
static void inconclusive_reason(const struct rxs_compare_opts *o, struct rxs_cmp_stage *st,
				double up)
{
	char t[24], c[24], lo[16], hi[16], adv[120] = "";
	bool events = st->os_lo <= 1.0 && st->os_hi > up;

	fmt_pct(t, sizeof(t), o->max_regression);
	fmt_pct(c, sizeof(c), o->confidence);
	if (st->runs_needed > 0)
		snprintf(adv, sizeof(adv), "; about %d runs per side would decide a %s%% change "
			 "at %s%%", st->runs_needed, t, c);
	else if (st->runs_needed < 0)
		snprintf(adv, sizeof(adv), "; more than %d runs per side would be needed to "
			 "decide a %s%% change at %s%%", RXS_CMP_MAX_RUNS, t, c);
	if (events) {
		fmt_ratio(lo, sizeof(lo), st->os_lo);
		fmt_ratio(hi, sizeof(hi), st->os_hi);
		snprintf(st->reason, sizeof(st->reason), "too few events: with %d+%d run(s) the "
			 "sampling noise alone spans [%s, %s]%s", st->runs_base, st->runs_new,
			 lo, hi, st->runs_needed ? adv : "; record longer runs, or 3 or more per side");
	} else if (st->runs_needed < 0) {
		snprintf(st->reason, sizeof(st->reason), "too wide a spread between runs: with "
			 "%d+%d runs the interval reaches both 1 and %s%s", st->runs_base,
			 st->runs_new, fmt_bound(hi, sizeof(hi), up), adv);
	} else {
		snprintf(st->reason, sizeof(st->reason), "too few runs: with %d+%d runs the "
			 "interval reaches both 1 and %s%s", st->runs_base, st->runs_new,
			 fmt_bound(hi, sizeof(hi), up), adv);
	}
}

/* the verdict from the interval [ci_lo, ci_hi] and the threshold (docs/compare.md) */
static void classify(const struct rxs_compare_opts *o, struct rxs_cmp_stage *st,
		     bool asked)
{
	double up = 1 + o->max_regression, down = 1 - o->max_regression;
	char t[24], u[16], d[16];

	fmt_pct(t, sizeof(t), o->max_regression);
	fmt_bound(u, sizeof(u), up);
	fmt_bound(d, sizeof(d), down);
	if (!st->selected) {
		st->verdict = RXS_V_NOT_JUDGED;
		snprintf(st->reason, sizeof(st->reason), "not named in --stage (shown for "
			 "information)");
		return;
	}
	if (st->is_count && !asked) {
		st->verdict = RXS_V_NOT_JUDGED;
		snprintf(st->reason, sizeof(st->reason), "a count (packets per poll), neither "
			 "better nor worse when it moves: judged only when --stage names it");
		return;
	}
	if (st->ci_lo > 1.0 && st->ci_hi > up) {
		st->verdict = st->is_count ? RXS_V_CHANGED : RXS_V_REGRESSED;
		snprintf(st->reason, sizeof(st->reason), st->ci_lo > up ?
			 "%s by more than %s%%: the whole interval lies above %s" :
			 "%s: the interval lies above 1, and a change of %s%% is not ruled "
			 "out (it reaches past %s)", st->is_count ? "higher" : "slower", t, u);
	} else if (st->ci_hi < 1.0 && st->ci_lo < down) {
		st->verdict = st->is_count ? RXS_V_CHANGED : RXS_V_IMPROVED;
		snprintf(st->reason, sizeof(st->reason), st->ci_hi < down ?
			 "%s by more than %s%%: the whole interval lies below %s" :
			 "%s: the interval lies below 1, and a change of %s%% is not ruled "
			 "out (it reaches below %s)", st->is_count ? "lower" : "faster", t, d);
	} else if (st->ci_hi <= up && (!st->is_count || st->ci_lo >= down)) {
		st->verdict = RXS_V_OK;
		if (st->is_count)
			snprintf(st->reason, sizeof(st->reason), "a change of %s%% either way is "
				 "ruled out: the interval lies inside [%s, %s]", t, d, u);
		else
			snprintf(st->reason, sizeof(st->reason), "a slow-down of %s%% is ruled "
				 "out: the interval lies below %s", t, u);
	} else {
		st->verdict = RXS_V_INCONCLUSIVE;
		if (st->is_count && st->ci_hi <= up)
			snprintf(st->reason, sizeof(st->reason), "the interval reaches from 1 "
				 "to below %s: a drop of %s%% is not ruled out", d, t);
		else
			inconclusive_reason(o, st, up);
	}
}

static void judge(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		  const struct rxs_compare_opts *o, struct rxs_cmp_stage *st)
{
	struct rxs_hist hb, hn;
	double need = ceil(10.0 / (1 - o->quantile));
	/* Bonferroni: each side's interval at 1 - (1-conf)/2 gives the ratio conf */
	double z = z_two_sided(1 - (1 - o->confidence) / 2);
	double blo, bhi, nlo, nhi, lo, hi, vb, vn;
	struct run_logs rb, rn;
	bool asked = o->any_stage_sel && o->stage_sel[st->id];
	char qn[16];

	snprintf(qn, sizeof(qn), "p%g", o->quantile * 100);
	if (need < o->min_count)
		need = o->min_count;
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
	st->ci_lo = st->os_lo = 0;
	st->ci_hi = st->os_hi = INFINITY;
	rb = run_log_quantiles(b, st->id, o->quantile);
	rn = run_log_quantiles(n, st->id, o->quantile);
	st->runs_base = rb.k;
	st->runs_new = rn.k;
	if (!hb.count && !hn.count) {
		st->verdict = RXS_V_NO_DATA;
		st->ci_lo = 0;
		snprintf(st->reason, sizeof(st->reason), "no events on either side");
		return;
	}
	if ((double)hb.count < need || (double)hn.count < need) {
		st->verdict = (st->is_count && !asked) || !st->selected ? RXS_V_NOT_JUDGED :
			      RXS_V_INCONCLUSIVE;
		snprintf(st->reason, sizeof(st->reason), "too few events for %s: %llu and %llu, "
			 "at least %.0f needed on each side", qn, (unsigned long long)hb.count,
			 (unsigned long long)hn.count, need);
		return;
	}
	if (st->base_sel <= 0) {
		st->verdict = (st->is_count && !asked) || !st->selected ? RXS_V_NOT_JUDGED :
			      RXS_V_INCONCLUSIVE;
		snprintf(st->reason, sizeof(st->reason), "the baseline's %s is 0: no ratio to "
			 "judge", qn);
		return;
	}
	quantile_ci(&hb, o->quantile, z, &blo, &bhi);
	quantile_ci(&hn, o->quantile, z, &nlo, &nhi);
	st->os_lo = st->ci_lo = bhi > 0 ? nlo / bhi : 0;
	st->os_hi = st->ci_hi = blo > 0 ? nhi / blo : INFINITY;
	if (b->nruns >= 2 && n->nruns >= 2) {
		bootstrap_ci(b, n, st->id, o->quantile, o->confidence, o->bootstrap_iters,
			     o->paired, &lo, &hi);
		widen(st, lo, hi);
		st->method = o->paired ? "paired-bootstrap+order-statistic" :
			     "bootstrap-runs+order-statistic";
	}
	if (o->paired && rxs_cmp_paired_ci(b, n, st->id, o->quantile, o->confidence, &lo, &hi,
					   &vb)) {
		widen(st, lo, hi);
		st->method = "paired-runs+paired-bootstrap+order-statistic";
		st->runs_needed = rxs_cmp_pairs_needed(vb, o->max_regression, o->confidence,
						       RXS_CMP_POWER);
	} else if (welch_ci(rb, rn, o->confidence, &lo, &hi, &vb, &vn)) {
		widen(st, lo, hi);
		st->method = b->nruns >= 2 && n->nruns >= 2 ?
			"welch-runs+bootstrap-runs+order-statistic" : "welch-runs+order-statistic";
		st->runs_needed = rxs_cmp_runs_needed(vb, vn, o->max_regression, o->confidence,
						      RXS_CMP_POWER);
	}
	classify(o, st, asked);
}

/* ---- validation ------------------------------------------------------------------- */

/*
 * In how many runs of both sides stage @id was traced (available), and the first run
 * that lacks it (NULL when none does).
 */
static int runs_with_stage(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, int id,
			   const char **lacking)
{
	const struct rxs_cmp_side *sides[2] = { b, n };
	int k = 0;

	*lacking = NULL;
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < sides[s]->nruns; r++) {
			if (sides[s]->runs[r].stages[id].available)
				k++;
			else if (!*lacking)
				*lacking = sides[s]->paths[r];
		}
	return k;
}

/* every run on both sides: a stage traced in two runs has the same unit in both */
static int check_sets(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, char *err,
		      size_t errlen)
{
	const struct rxs_recording *ref = &b->runs[0];
	const struct rxs_cmp_side *sides[2] = { b, n };

	for (int s = 0; s < 2; s++)
		for (int r = 0; r < sides[s]->nruns; r++) {
			const struct rxs_recording *x = &sides[s]->runs[r];

			for (int i = 0; i < RXS_H_NR; i++) {
				if (!x->stages[i].available || !ref->stages[i].available)
					continue;
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

/* --paired: as many runs on each side, run i of each with the same file name */
static int check_pairs(const struct rxs_cmp_side *b, const struct rxs_cmp_side *n, char *err,
		       size_t errlen)
{
	if (b->nruns != n->nruns) {
		snprintf(err, errlen, "--paired: %d run(s) in %s but %d in %s: pairs need as "
			 "many runs on each side", b->nruns, b->label, n->nruns, n->label);
		return -EINVAL;
	}
	for (int i = 0; i < b->nruns; i++) {
		const char *x = strrchr(b->paths[i], '/'), *y = strrchr(n->paths[i], '/');

		x = x ? x + 1 : b->paths[i];
		y = y ? y + 1 : n->paths[i];
		if (strcmp(x, y)) {
			snprintf(err, errlen, "--paired: %s has no partner of its name on the "
				 "other side (%s is there in its place): a pair is two runs of "
				 "the same file name", b->paths[i], n->paths[i]);
			return -EINVAL;
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
	if (o->paired) {
		ret = check_pairs(base, cand, err, errlen);
		if (ret)
			return ret;
	}
	for (int i = 0; i < RXS_H_NR; i++) {
		struct rxs_cmp_stage *st;
		bool selected = !o->any_stage_sel || o->stage_sel[i];

		const char *lacking;
		int with = runs_with_stage(base, cand, i, &lacking);

		if (!with) {
			if (o->any_stage_sel && selected) {
				snprintf(err, errlen, "%s: stages[%s].available: false (the stage "
					 "--stage asks for was not traced)", base->paths[0],
					 rxs_stage_name(i));
				return -EINVAL;
			}
			continue;
		}
		/*
		 * Traced in some recordings only: made by an rxscope from before the stage,
		 * with another --detail, or on a kernel without its hook. Shown, not judged.
		 */
		if (lacking) {
			if (o->any_stage_sel && selected) {
				snprintf(err, errlen, "%s: stages[%s]: not traced in every recording "
					 "(the stage --stage asks for is missing here)", lacking,
					 rxs_stage_name(i));
				return -EINVAL;
			}
			st = &res->stages[res->nstages++];
			st->id = i;
			st->selected = selected;
			st->verdict = RXS_V_NO_DATA;
			st->runs_base = st->runs_new = 0;
			st->method = "none";
			snprintf(st->reason, sizeof(st->reason), "traced in only some recordings "
				 "(%d of %d; not in %s): from an rxscope before the stage, another "
				 "--detail or another kernel", with, base->nruns + cand->nruns,
				 lacking);
			continue;
		}
		/* a stage --stage leaves out is shown for information, whatever its data */
		ret = selected ? check_empty(base, cand, i, o->any_stage_sel, err, errlen) : 0;
		if (ret)
			return ret;
		st = &res->stages[res->nstages++];
		st->id = i;
		st->is_count = strcmp(base->runs[0].stages[i].unit, "ns") != 0;
		st->selected = selected;
		judge(base, cand, o, st);
		st->judged = st->verdict != RXS_V_NOT_JUDGED && st->verdict != RXS_V_NO_DATA;
		res->regressed += st->verdict == RXS_V_REGRESSED;
		res->improved += st->verdict == RXS_V_IMPROVED;
		res->inconclusive += st->verdict == RXS_V_INCONCLUSIVE;
		res->ok += st->verdict == RXS_V_OK;
		res->changed += st->verdict == RXS_V_CHANGED;
		res->not_judged += st->verdict == RXS_V_NOT_JUDGED;
	}
	if (res->nstages == 0) {
		snprintf(err, errlen, "%s: stages: no available stage to compare",
			 base->paths[0]);
		return -EINVAL;
	}
	for (int i = 0; i < res->nstages; i++)
		if (res->stages[i].selected && res->stages[i].verdict != RXS_V_NO_DATA)
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
	case RXS_V_INCONCLUSIVE:
		return "inconclusive";
	case RXS_V_CHANGED:
		return "changed";
	case RXS_V_NOT_JUDGED:
		return "not judged";
	case RXS_V_NO_DATA:
		return "no data";
	}
	return "?";
}

int rxs_compare_exit_code(const struct rxs_compare_opts *o, const struct rxs_cmp_result *res)
{
	if (res->regressed || res->changed)
		return RXS_EXIT_REGRESSION;
	if (res->inconclusive && !o->inconclusive_ok)
		return RXS_EXIT_INCONCLUSIVE;
	return RXS_EXIT_OK;
}

/* "regressed", "inconclusive" or "ok": the comparison as a whole */
static const char *overall(const struct rxs_cmp_result *res)
{
	if (res->regressed || res->changed)
		return "regressed";
	return res->inconclusive ? "inconclusive" : "ok";
}

static void qname(char *buf, size_t len, double q)
{
	snprintf(buf, len, "p%g", q * 100);
}

static const char *unit_of(const struct rxs_cmp_side *b, int id)
{
	return b->runs[0].stages[id].unit;
}

/* the change of the judged quantile in at most 8 characters: +3.6%, +258%, x155 */
static char *fmt_change(char *buf, size_t len, const struct rxs_cmp_stage *s)
{
	double pct = s->change * 100;

	if (s->verdict == RXS_V_NO_DATA || s->base_sel <= 0 || !isfinite(pct))
		snprintf(buf, len, "-");
	else if (fabs(pct) < 99.95)
		snprintf(buf, len, "%+.1f%%", pct);
	else if (pct < 9999.5)
		snprintf(buf, len, "%+.0f%%", pct);
	else if (s->change + 1 < 999999.5)
		snprintf(buf, len, "x%.0f", s->change + 1);
	else
		snprintf(buf, len, ">x999999");
	return buf;
}

static char *fmt_ci(char *buf, size_t len, const struct rxs_cmp_stage *s)
{
	char lo[16], hi[16];

	if (!isfinite(s->ci_hi) && s->ci_lo <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%s, %s]", fmt_ratio(lo, sizeof(lo), s->ci_lo),
			 fmt_ratio(hi, sizeof(hi), s->ci_hi));
	return buf;
}

/* the three quantile pairs of a stage; "-" for a side without events */
static void fmt_quantiles(char v[6][16], const struct rxs_cmp_side *b,
			  const struct rxs_cmp_stage *s)
{
	const char *u = unit_of(b, s->id);

	for (int k = 0; k < 3; k++) {
		if (s->count_base)
			rxs_fmt_value(v[2 * k], sizeof(v[0]), s->base_q[k], u);
		else
			snprintf(v[2 * k], sizeof(v[0]), "-");
		if (s->count_new)
			rxs_fmt_value(v[2 * k + 1], sizeof(v[0]), s->new_q[k], u);
		else
			snprintf(v[2 * k + 1], sizeof(v[0]), "-");
	}
}

static void print_summary(FILE *f, const struct rxs_compare_opts *o,
			  const struct rxs_cmp_result *res, bool md)
{
	const char *word = res->regressed || res->changed ? "REGRESSION" :
			   res->inconclusive ? "INCONCLUSIVE" : "OK";
	int code = rxs_compare_exit_code(o, res);

	fprintf(f, "\n%s%s%s: %d regressed, %d inconclusive, %d improved, %d ok", md ? "**" : "",
		word, md ? "**" : "", res->regressed, res->inconclusive, res->improved, res->ok);
	if (res->changed)
		fprintf(f, ", %d changed", res->changed);
	if (res->not_judged)
		fprintf(f, ", %d not judged", res->not_judged);
	fprintf(f, " (%d stage(s); exit %d", res->nstages, code);
	if (res->inconclusive && !res->regressed && !res->changed)
		fprintf(f, o->inconclusive_ok ? ": --inconclusive ok" :
			"; --inconclusive ok would make it 0");
	fprintf(f, ")\n");
}

static void print_text(FILE *f, const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		       const struct rxs_compare_opts *o, const struct rxs_cmp_result *res,
		       bool md)
{
	char qn[16], v[6][16], ch[16], ci[40], t[24], c[24];
	bool why = false;

	qname(qn, sizeof(qn), o->quantile);
	fmt_pct(t, sizeof(t), o->max_regression);
	fmt_pct(c, sizeof(c), o->confidence);
	if (md) {
		fprintf(f, "**rxscope compare**: baseline %d run(s) `%s`, new %d run(s) `%s`; "
			"judged on %s, max regression %s%%, confidence %s%%\n\n",
			b->nruns, b->label, n->nruns, n->label, qn, t, c);
		fprintf(f, "| stage | base p50 | new p50 | base p99 | new p99 | base p99.9 | "
			"new p99.9 | %s change | CI (ratio) | verdict |\n", qn);
		fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	} else {
		fprintf(f, "baseline: %d run(s) from %s\nnew:      %d run(s) from %s\n"
			"judged on %s, max regression %s%%, confidence %s%%\n\n",
			b->nruns, b->label, n->nruns, n->label, qn, t, c);
		fprintf(f, "%-24s %8s %8s %8s %8s %8s %8s %8s %-16s %s\n", "STAGE", "B.P50",
			"N.P50", "B.P99", "N.P99", "B.P99.9", "N.P99.9", "CHANGE", "CI(RATIO)",
			"VERDICT");
	}
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];
		const char *vn = rxs_verdict_name(s->verdict);

		fmt_quantiles(v, b, s);
		fmt_change(ch, sizeof(ch), s);
		fmt_ci(ci, sizeof(ci), s);
		if (md)
			fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s%s%s |\n",
				rxs_stage_name(s->id), v[0], v[1], v[2], v[3], v[4], v[5], ch, ci,
				s->verdict == RXS_V_REGRESSED || s->verdict == RXS_V_CHANGED ? "**" :
				s->verdict == RXS_V_INCONCLUSIVE ? "_" : "", vn,
				s->verdict == RXS_V_REGRESSED || s->verdict == RXS_V_CHANGED ? "**" :
				s->verdict == RXS_V_INCONCLUSIVE ? "_" : "");
		else
			fprintf(f, "%-24s %8s %8s %8s %8s %8s %8s %8s %-16s %s\n",
				rxs_stage_name(s->id), v[0], v[1], v[2], v[3], v[4], v[5], ch, ci,
				vn);
	}
	/* the reasons of every verdict that is not a plain ok */
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];

		if (s->verdict == RXS_V_OK || s->verdict == RXS_V_NO_DATA || !s->selected)
			continue;
		fprintf(f, "%s%s%s: %s: %s\n", why ? "" : "\n", md ? "- " : "",
			rxs_stage_name(s->id), rxs_verdict_name(s->verdict), s->reason);
		why = true;
	}
	print_summary(f, o, res, md);
}

static void json_str(FILE *f, const char *p)
{
	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		if ((unsigned char)*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_files(FILE *f, const struct rxs_cmp_side *s)
{
	fprintf(f, "[");
	for (int i = 0; i < s->nruns; i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_str(f, s->paths[i]);
	}
	fprintf(f, "]");
}

static void print_json(FILE *f, const struct rxs_cmp_side *b, const struct rxs_cmp_side *n,
		       const struct rxs_compare_opts *o, const struct rxs_cmp_result *res)
{
	fprintf(f, "{\n  \"schema\": \"rxscope-compare/2\",\n  \"quantile\": %g,\n"
		"  \"max_regression\": %g,\n  \"confidence\": %g,\n  \"on_inconclusive\": \"%s\",\n",
		o->quantile, o->max_regression, o->confidence, o->inconclusive_ok ? "ok" : "fail");
	fprintf(f, "  \"baseline\": { \"runs\": %d, \"files\": ", b->nruns);
	json_files(f, b);
	fprintf(f, " },\n  \"new\": { \"runs\": %d, \"files\": ", n->nruns);
	json_files(f, n);
	fprintf(f, " },\n  \"stages\": [\n");
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];

		fprintf(f, "    { \"name\": \"%s\", \"unit\": \"%s\", \"verdict\": \"%s\", "
			"\"judged\": %s, \"method\": \"%s\",\n", rxs_stage_name(s->id),
			unit_of(b, s->id), rxs_verdict_name(s->verdict),
			s->judged ? "true" : "false", s->method);
		fprintf(f, "      \"reason\": ");
		json_str(f, s->reason);
		fprintf(f, ",\n      \"baseline\": { \"runs\": %d, \"count\": %llu, \"p50\": %.1f, "
			"\"p99\": %.1f, \"p99.9\": %.1f, \"selected\": %.1f },\n", s->runs_base,
			(unsigned long long)s->count_base, s->base_q[0], s->base_q[1],
			s->base_q[2], s->base_sel);
		fprintf(f, "      \"new\": { \"runs\": %d, \"count\": %llu, \"p50\": %.1f, "
			"\"p99\": %.1f, \"p99.9\": %.1f, \"selected\": %.1f },\n", s->runs_new,
			(unsigned long long)s->count_new, s->new_q[0], s->new_q[1], s->new_q[2],
			s->new_sel);
		fprintf(f, "      \"change\": %.6f, \"ci\": ", s->change);
		if (isfinite(s->ci_hi))
			fprintf(f, "[%.6f, %.6f]", s->ci_lo, s->ci_hi);
		else
			fprintf(f, "null");
		if (s->runs_needed)
			fprintf(f, ", \"runs_needed\": %d }", s->runs_needed);
		else
			fprintf(f, ", \"runs_needed\": null }");
		fprintf(f, "%s\n", i + 1 < res->nstages ? "," : "");
	}
	fprintf(f, "  ],\n  \"regressed\": %d,\n  \"improved\": %d,\n  \"inconclusive\": %d,\n"
		"  \"ok\": %d,\n  \"changed\": %d,\n  \"not_judged\": %d,\n  \"verdict\": \"%s\",\n"
		"  \"exit\": %d\n}\n", res->regressed, res->improved, res->inconclusive, res->ok,
		res->changed, res->not_judged, overall(res), rxs_compare_exit_code(o, res));
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
	char qn[16], msg[400], bv[16], nv[16], ch[16], ci[40], t[24];
	int skipped = 0, errors = o->inconclusive_ok ? 0 : res->inconclusive;

	qname(qn, sizeof(qn), o->quantile);
	fmt_pct(t, sizeof(t), o->max_regression);
	skipped = res->not_judged + (o->inconclusive_ok ? res->inconclusive : 0);
	for (int i = 0; i < res->nstages; i++)
		skipped += res->stages[i].verdict == RXS_V_NO_DATA;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"rxscope compare\" tests=\"%d\" failures=\"%d\" "
		"errors=\"%d\">\n", res->nstages, res->regressed + res->changed, errors);
	fprintf(f, "  <testsuite name=\"rxscope.compare\" tests=\"%d\" failures=\"%d\" "
		"errors=\"%d\" skipped=\"%d\">\n", res->nstages, res->regressed + res->changed,
		errors, skipped);
	fprintf(f, "    <properties>\n      <property name=\"baseline\" value=\"");
	xml_attr(f, b->label);
	fprintf(f, "\"/>\n      <property name=\"new\" value=\"");
	xml_attr(f, n->label);
	fprintf(f, "\"/>\n      <property name=\"quantile\" value=\"%s\"/>\n"
		"      <property name=\"max_regression\" value=\"%s%%\"/>\n"
		"      <property name=\"inconclusive\" value=\"%s\"/>\n    </properties>\n",
		qn, t, o->inconclusive_ok ? "ok" : "fail");
	for (int i = 0; i < res->nstages; i++) {
		const struct rxs_cmp_stage *s = &res->stages[i];
		const char *u = unit_of(b, s->id), *elem, *type = "";

		rxs_fmt_value(bv, sizeof(bv), s->base_sel, u);
		rxs_fmt_value(nv, sizeof(nv), s->new_sel, u);
		snprintf(msg, sizeof(msg), "%s: %s %s -> %s (%s, ratio CI %s): %s",
			 rxs_verdict_name(s->verdict), qn, s->count_base ? bv : "-",
			 s->count_new ? nv : "-", fmt_change(ch, sizeof(ch), s),
			 fmt_ci(ci, sizeof(ci), s), s->reason);
		switch (s->verdict) {
		case RXS_V_REGRESSED:
		case RXS_V_CHANGED:
			elem = "failure";
			type = s->verdict == RXS_V_REGRESSED ? "regression" : "change";
			break;
		case RXS_V_INCONCLUSIVE:
			elem = o->inconclusive_ok ? "skipped" : "error";
			type = "inconclusive";
			break;
		case RXS_V_NOT_JUDGED:
		case RXS_V_NO_DATA:
			elem = "skipped";
			break;
		default:
			elem = NULL;
		}
		fprintf(f, "    <testcase classname=\"rxscope.compare\" name=\"%s\">\n",
			rxs_stage_name(s->id));
		if (elem) {
			fprintf(f, "      <%s", elem);
			if (*type && strcmp(elem, "skipped"))
				fprintf(f, " type=\"%s\"", type);
			fprintf(f, " message=\"");
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
	int code = RXS_EXIT_USAGE;

	memset(&n, 0, sizeof(n));
	if (rxs_cmp_side_load(baseline, &b, err, sizeof(err)) ||
	    rxs_cmp_side_load(candidate, &n, err, sizeof(err)) ||
	    rxs_compare(&b, &n, o, &res, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		goto out;
	}
	rxs_compare_print(stdout, &b, &n, o, &res);
	fflush(stdout);
	code = rxs_compare_exit_code(o, &res);
out:
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
	return code;
}
