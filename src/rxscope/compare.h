/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * compare.h - `rxscope compare BASELINE NEW`: are the new recordings' stage latencies
 * worse than the baseline's by more than noise and a threshold explain? The method and
 * its false-positive reasoning are in docs/compare.md.
 *
 * Command line (wired in cli.c):
 *   rxscope compare BASELINE NEW [--quantile p99] [--max-regression 15%]
 *                   [--stage NAME]... [--format text|json|junit|markdown]
 *                   [--confidence 0.99] [--min-count N] [--inconclusive ok|fail]
 *   BASELINE and NEW each name one JSON recording, a directory (every *.json in it is one
 *   run), or a comma-separated list of files; several runs per side are repeated runs.
 *   --quantile      p50, p90, p99, p99.9 (or a fraction such as 0.999); default p99
 *   --max-regression  the change of that quantile that counts as a regression, in percent:
 *                   "15%", or a bare number above 1 ("15"); a bare number in (0, 1] is
 *                   refused as ambiguous (0.15 could mean 15% or 0.15%); default 15%
 *   --stage         a stage to judge (repeatable, or comma-separated); default: every
 *                   latency stage available; count stages (poll_pkts) only when named
 *   --format        text (default), json, junit (one test case per stage), markdown
 *   --confidence    confidence of the interval on the quantile ratio; default 0.99
 *   --min-count     fewest events per side for a verdict (also at least 10 events above
 *                   the quantile, i.e. 10 / (1 - q)); default 50
 *   --inconclusive  the exit code when no stage regressed but some could not be decided:
 *                   fail (default, exit 4) or ok (exit 0)
 * Verdicts per stage: regressed, improved, ok (a regression of the threshold's size is
 * ruled out), inconclusive (with the reason and, from the spread of the runs, how many
 * runs per side would decide), and for count stages changed / ok / inconclusive.
 * Exit codes: 0 no stage regressed and every judged stage decided, 1 at least one
 * regressed (or a judged count stage changed), 2 bad input (the message names the file
 * and the field), 4 none regressed but at least one inconclusive (0 with --inconclusive ok).
 */
#ifndef RXS_COMPARE_H
#define RXS_COMPARE_H

#include <stdbool.h>
#include <stdio.h>
#include "exitcode.h"
#include "recording.h"

enum rxs_cmp_format { RXS_CMP_TEXT, RXS_CMP_JSON, RXS_CMP_JUNIT, RXS_CMP_MARKDOWN };

enum rxs_verdict {
	RXS_V_OK,		/* a change of the threshold's size (latency: a slow-down) is
				 * ruled out: the interval lies below 1 + threshold */
	RXS_V_REGRESSED,	/* slower: the interval lies above 1 and reaches 1 + threshold */
	RXS_V_IMPROVED,		/* faster: the interval lies below 1 and reaches 1 - threshold */
	RXS_V_INCONCLUSIVE,	/* neither: too few events, too few runs, too wide a spread */
	RXS_V_CHANGED,		/* a count stage (no better or worse) that moved either way */
	RXS_V_NOT_JUDGED,	/* a count stage not named in --stage: shown, not judged */
	RXS_V_NO_DATA,		/* empty on both sides: shown, not judged */
};

/* the runs advice: with the advised runs, a change of the threshold's size is found and
 * no change is judged ok this often (aimed above the 9 in 10 the tests check, because the
 * spread it starts from is itself an estimate) */
#define RXS_CMP_POWER		0.95
/* the largest number of runs per side the advice names; beyond it, "more than" */
#define RXS_CMP_MAX_RUNS	200

struct rxs_compare_opts {
	double quantile;		/* 0 < q < 1, default 0.99 */
	double max_regression;		/* fraction, default 0.15 */
	double confidence;		/* default 0.99 */
	unsigned long min_count;	/* default 50 */
	bool stage_sel[RXS_H_NR];	/* which stages --stage named */
	bool any_stage_sel;		/* false: all stages */
	enum rxs_cmp_format format;
	bool inconclusive_ok;		/* --inconclusive ok: exit 0 instead of 4 */
	bool paired;			/* --paired: run i of one side is paired with run i of
					 * the other (same file name), e.g. an A/B check's ABBA
					 * order; the interval is on the pairs' differences */
	unsigned int bootstrap_iters;	/* default 2000; fixed seed, so output is repeatable */
};

/* One side: the runs it holds. */
struct rxs_cmp_side {
	int nruns;
	struct rxs_recording *runs;	/* owned */
	char **paths;			/* owned, the file of each run */
	char label[256];		/* what the user passed */
};

struct rxs_cmp_stage {
	int id;
	bool judged;			/* given a verdict (not "not judged", "no data") */
	bool is_count;			/* unit is not ns: never better or worse */
	bool selected;			/* --stage names it, or no --stage was given */
	enum rxs_verdict verdict;
	char reason[200];		/* why this verdict, in words */
	int runs_base, runs_new;	/* runs with data on each side */
	int runs_needed;		/* advice: runs per side that would decide at the
					 * threshold (0: no advice, -1: more than
					 * RXS_CMP_MAX_RUNS) */
	__u64 count_base, count_new;
	double base_q[3], new_q[3];	/* p50, p99, p99.9 of the pooled runs */
	double base_sel, new_sel;	/* the --quantile value of the pooled runs */
	double change;			/* new_sel / base_sel - 1 */
	double ci_lo, ci_hi;		/* confidence interval of new_sel / base_sel */
	double os_lo, os_hi;		/* its order-statistic part (sampling noise only) */
	const char *method;		/* "order-statistic", or with 2+ runs per side
					 * "welch-runs+bootstrap-runs+order-statistic" */
};

struct rxs_cmp_result {
	struct rxs_cmp_stage stages[RXS_H_NR];
	int nstages;
	int regressed, improved, inconclusive, ok, changed, not_judged;
};

void rxs_compare_opts_init(struct rxs_compare_opts *o);
/* Student's t with P(|T| <= t) = conf at df (>= 1, may be fractional) degrees of freedom */
double rxs_t_two_sided(double conf, double df);
/* "p99", "p99.9", "0.99" -> 0.99 etc.; 0 or -EINVAL */
int rxs_compare_parse_quantile(const char *s, double *q);
/*
 * "15%" or "15" -> 0.15, "0.5%" -> 0.005, "0" -> 0; 0, or -EINVAL (not a percentage),
 * or -EDOM for a bare number in (0, 1], which reads as a fraction as well as a percent
 */
int rxs_compare_parse_percent(const char *s, double *frac);
/* "ok" -> true, "fail" -> false; 0 or -EINVAL */
int rxs_compare_parse_inconclusive(const char *s, bool *ok);
/*
 * Runs per side at which an interval on the log ratio with these per-run variances (of
 * the log quantile, on each side) decides a change of @frac: Welch's interval at @conf
 * excludes 0 for a true shift of log(1 + @frac), and excludes log(1 + @frac) for no
 * shift, each with probability @power. At least 2; -1 above RXS_CMP_MAX_RUNS.
 */
int rxs_cmp_runs_needed(double var_base, double var_new, double frac, double conf,
			double power);
/*
 * The same for a paired design (compare --paired): @var_diff is the variance of one
 * pair's log ratio; the answer is the number of pairs (runs per side), the interval being
 * Student's on K pairs with K - 1 degrees of freedom.
 */
int rxs_cmp_pairs_needed(double var_diff, double frac, double conf, double power);
/*
 * Paired interval on the ratio of the runs' q-quantiles: pair i is run i of each side,
 * its value log(Qnew_i / Qbase_i); Student's interval on the mean of the K values. Pairs
 * with an empty run or a zero quantile are left out. False with fewer than 2 pairs; else
 * the interval on the ratio and, in @var_diff, the pairs' variance. @base and @cand must
 * hold the same number of runs.
 */
bool rxs_cmp_paired_ci(const struct rxs_cmp_side *base, const struct rxs_cmp_side *cand,
		       int stage, double q, double conf, double *lo, double *hi,
		       double *var_diff);
/* "text", "json", "junit", "markdown" (or "md"); 0 or -EINVAL */
int rxs_compare_parse_format(const char *s, enum rxs_cmp_format *f);
/* "poll" or "poll,gro": marks o->stage_sel; 0 or -EINVAL with @err naming the stage */
int rxs_compare_parse_stages(const char *s, struct rxs_compare_opts *o, char *err,
			     size_t errlen);

/* Load one side from a file, a directory or a comma list. 0, or -errno with @err. */
int rxs_cmp_side_load(const char *spec, struct rxs_cmp_side *side, char *err, size_t errlen);
void rxs_cmp_side_free(struct rxs_cmp_side *side);

/*
 * Check that the two sides can be compared (same stage sets and units in every run, no
 * side empty where the other has data) and judge each stage. 0, or -EINVAL with @err
 * naming the file and field.
 */
int rxs_compare(const struct rxs_cmp_side *base, const struct rxs_cmp_side *cand,
		const struct rxs_compare_opts *o, struct rxs_cmp_result *res, char *err,
		size_t errlen);
/* Print @res in o->format. */
void rxs_compare_print(FILE *f, const struct rxs_cmp_side *base,
		       const struct rxs_cmp_side *cand, const struct rxs_compare_opts *o,
		       const struct rxs_cmp_result *res);
const char *rxs_verdict_name(enum rxs_verdict v);

/* The exit code for @res: 1 regressed or changed, 4 inconclusive (0 with
 * o->inconclusive_ok), else 0 */
int rxs_compare_exit_code(const struct rxs_compare_opts *o, const struct rxs_cmp_result *res);

/* The verb: load, compare, print to stdout. Returns the exit code 0, 1, 2 or 4. */
int rxs_compare_cmd(const char *baseline, const char *candidate,
		    const struct rxs_compare_opts *o);

#endif /* RXS_COMPARE_H */
