/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * export_html.h - one self-contained HTML page per recording (`report --format html`)
 * and per comparison (`compare --format html`): inline SVG and CSS written by rxscope
 * itself, no script, no request of any kind (a Content-Security-Policy of default-src
 * 'none' says so to the browser). The page is well-formed XML as well as HTML, so that
 * xmllint can check it. What it shows is described in docs/reading-the-report.md.
 */
#ifndef RXS_EXPORT_HTML_H
#define RXS_EXPORT_HTML_H

#include <stdbool.h>
#include <stdio.h>
#include "compare.h"
#include "recording.h"

/*
 * A chart axis: values lo..hi map to pixels p0..p1 (p1 < p0 for a y axis), linearly or
 * by log10. Log axes span whole decades.
 */
struct rxs_axis {
	double lo, hi;
	double p0, p1;
	bool log;
};

/* A log axis of whole decades covering [vmin, vmax] (vmin clamped to at least @floor). */
void rxs_axis_log(struct rxs_axis *a, double vmin, double vmax, double floor, double p0,
		  double p1);
/* A linear axis from 0 to a 1-2-5 step multiple covering @vmax. */
void rxs_axis_lin(struct rxs_axis *a, double vmax, double p0, double p1);
/* The pixel of value @v, clamped to the axis range. Never NaN. */
double rxs_axis_px(const struct rxs_axis *a, double v);
/* The tick values (decades, or 1-2-5 steps), at most @max; returns how many. */
int rxs_axis_ticks(const struct rxs_axis *a, double *out, int max);

/* The report page of @r; @title names the file it came from. 0 or a negative errno. */
int rxs_html_report(FILE *f, const struct rxs_recording *r, const char *title);

/* The compare page: both sides' pooled distributions per stage, the verdicts. */
int rxs_html_compare(FILE *f, const struct rxs_cmp_side *base, const struct rxs_cmp_side *cand,
		     const struct rxs_compare_opts *o, const struct rxs_cmp_result *res);

/*
 * `rxscope report FILE --format html [-o OUT]`: the page to OUT (atomically) or stdout.
 * Returns 0, or 2 with a message naming the file when FILE is bad or OUT not writable.
 */
int rxs_html_report_cmd(const char *path, const char *out);
/* `rxscope compare BASE NEW --format html [-o OUT]`: exit code 0, 1 (a stage regressed)
 * or 2, as compare's other formats. */
int rxs_html_compare_cmd(const char *baseline, const char *candidate,
			 const struct rxs_compare_opts *o, const char *out);

#endif /* RXS_EXPORT_HTML_H */
