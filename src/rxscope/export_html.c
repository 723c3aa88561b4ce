// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_html.c - the self-contained HTML pages: a recording's report (waterfall of the
 * packet's journey, per-stage distributions, heatmaps over time, counters) and the
 * compare page (both sides overlaid per stage, with the verdict). Inline SVG and CSS only.
 *
 * Colours: the Okabe-Ito palette for lines and bars, viridis for heatmap counts; both
 * stay distinguishable with the common colour-vision deficiencies, and every quantile
 * line also has its own dash pattern and a text label.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "atomic.h"
#include "exitcode.h"
#include "export.h"
#include "export_html.h"
#include "export_json.h"
#include "hist.h"
#include "report.h"
#include "version.h"

/* ---- axes ------------------------------------------------------------------------- */

void rxs_axis_log(struct rxs_axis *a, double vmin, double vmax, double floor_v, double p0,
		  double p1)
{
	if (!(floor_v > 0))
		floor_v = 1;
	if (!(vmin >= floor_v))
		vmin = floor_v;
	if (!(vmax > vmin))
		vmax = vmin;
	a->lo = pow(10, floor(log10(vmin) + 1e-9));
	a->hi = pow(10, ceil(log10(vmax) - 1e-9));
	if (a->hi <= a->lo)
		a->hi = a->lo * 10;
	a->p0 = p0;
	a->p1 = p1;
	a->log = true;
}

static double lin_step(double span)
{
	double mag, f;

	if (!(span > 0))
		return 1;
	mag = pow(10, floor(log10(span / 5)));
	f = span / 5 / mag;
	return mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}

void rxs_axis_lin(struct rxs_axis *a, double vmax, double p0, double p1)
{
	double step;

	if (!(vmax > 0) || !isfinite(vmax))
		vmax = 1;
	step = lin_step(vmax);
	a->lo = 0;
	a->hi = ceil(vmax / step - 1e-9) * step;
	if (a->hi <= 0)
		a->hi = step;
	a->p0 = p0;
	a->p1 = p1;
	a->log = false;
}

double rxs_axis_px(const struct rxs_axis *a, double v)
{
	double f;

	if (!isfinite(v))
		v = v > 0 ? a->hi : a->lo;
	if (v < a->lo)
		v = a->lo;
	if (v > a->hi)
		v = a->hi;
	if (a->log)
		f = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	else
		f = (v - a->lo) / (a->hi - a->lo);
	if (!isfinite(f))
		f = 0;
	return a->p0 + f * (a->p1 - a->p0);
}

int rxs_axis_ticks(const struct rxs_axis *a, double *out, int max)
{
	int n = 0;

	if (a->log) {
		/* the decades inside [lo, hi] (lo itself need not be one) */
		for (int e = (int)ceil(log10(a->lo) - 1e-9); n < max; e++) {
			double v = pow(10, e);

			if (v > a->hi * 1.0001)
				break;
			out[n++] = v;
		}
	} else {
		double step = lin_step(a->hi - a->lo);

		for (int i = 0; n < max; i++) {
			double v = a->lo + i * step;

			if (v > a->hi + step * 1e-6)
				break;
			out[n++] = v;
		}
	}
	return n;
}

/* ---- text helpers ----------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* control characters are not allowed in XML */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

/* A tick label: "100ns", "2.5us", "10ms", "1s" for ns; "1k", "10M" for counts. */
static char *fmt_tick(char *buf, size_t len, double v, const char *unit)
{
	static const char *const ns_units[] = { "ns", "us", "ms", "s" };
	static const char *const si[] = { "", "k", "M", "G", "T" };
	int u = 0;

	if (!strcmp(unit, "share")) {
		snprintf(buf, len, "%g%%", v * 100);
	} else if (!strcmp(unit, "ns")) {
		while (u < 3 && fabs(v) >= 1000) {
			v /= 1000;
			u++;
		}
		snprintf(buf, len, "%g%s", v, ns_units[u]);
	} else {
		while (u < 4 && fabs(v) >= 1000) {
			v /= 1000;
			u++;
		}
		snprintf(buf, len, "%g%s", v, si[u]);
	}
	return buf;
}

/* ---- colours ---------------------------------------------------------------------- */

/* Okabe-Ito */
#define C_BLUE		"#0072B2"
#define C_ORANGE	"#E69F00"
#define C_GREEN		"#009E73"
#define C_VERMILLION	"#D55E00"
#define C_SKY		"#56B4E9"
#define C_PURPLE	"#CC79A7"
#define C_GREY		"#777777"

static const struct {
	const char *name;
	double q;
	const char *colour;
	const char *dash;
} qmarks[] = {
	{ "p50", 0.5, C_BLUE, "" },
	{ "p90", 0.9, C_GREEN, "6 3" },
	{ "p99", 0.99, C_ORANGE, "2 2" },
	{ "p99.9", 0.999, C_VERMILLION, "8 2 2 2" },
};
#define N_QMARKS (int)(sizeof(qmarks) / sizeof(qmarks[0]))

/* viridis at t in [0, 1] */
static void viridis(double t, char *buf, size_t len)
{
	static const unsigned char stops[9][3] = {
		{ 0x44, 0x01, 0x54 }, { 0x47, 0x2d, 0x7b }, { 0x3b, 0x52, 0x8b },
		{ 0x2c, 0x72, 0x8e }, { 0x21, 0x91, 0x8c }, { 0x28, 0xae, 0x80 },
		{ 0x5e, 0xc9, 0x62 }, { 0xad, 0xdc, 0x30 }, { 0xfd, 0xe7, 0x25 },
	};
	double x;
	int i, c[3];

	if (!(t >= 0))
		t = 0;
	if (t > 1)
		t = 1;
	x = t * 8;
	i = (int)x;
	if (i > 7)
		i = 7;
	x -= i;
	for (int k = 0; k < 3; k++)
		c[k] = (int)lround(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * x);
	snprintf(buf, len, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* ---- page frame ------------------------------------------------------------------- */

static const char css[] =
	"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;"
	"max-width:1100px;padding:16px 24px;color:#222;background:#fff}"
	"h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;"
	"border-bottom:1px solid #ccc}h3{font-size:15px;margin:18px 0 4px}"
	"table{border-collapse:collapse;margin:4px 0}td,th{padding:2px 10px;text-align:right;"
	"border-bottom:1px solid #eee;font-variant-numeric:tabular-nums}"
	"th{background:#f4f4f4}td.l,th.l{text-align:left}"
	"#verdicts{font-size:12px}#verdicts td,#verdicts th{padding:2px 5px;white-space:nowrap}"
	".meta td{text-align:left}.hook{color:#555;font-family:monospace;font-size:12px}"
	"td.hook{word-break:break-all}"
	"pre{background:#f8f8f8;padding:8px;overflow-x:auto;font-size:12px}"
	"svg{display:block;margin:4px 0}svg text{font:11px sans-serif;fill:#333}"
	"svg .ttl{font-weight:bold;font-size:12px}"
	".note{color:#555;font-size:13px}.bad{color:" C_VERMILLION ";font-weight:bold}"
	".v-regressed{background:#fbe3d6}.v-improved{background:#d9ecf7}"
	".v-inconclusive{background:#f3efd0}"
	".v-inconclusive td.verdict,h3.v-inconclusive{font-style:italic}"
	".v-changed{background:#eadcf0}.v-not-judged,.v-no-data{color:#777}"
	".undecided{color:#8a6d00;font-weight:bold}"
	".legend span{display:inline-block;margin-right:14px}"
	".sw{display:inline-block;width:22px;height:10px;margin-right:4px;"
	"vertical-align:middle}";

static void page_open(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\"/>\n<title>", f);
	esc(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
}

static void page_close(FILE *f)
{
	fprintf(f, "<p class=\"note\">Written by rxscope %s. This page is self-contained: it "
		"loads nothing.</p>\n</body>\n</html>\n", RXS_VERSION);
}

/* ---- chart pieces ----------------------------------------------------------------- */

#define W	720	/* chart width */
#define ML	64	/* left margin (y labels) */
#define MR	16

static void svg_open(FILE *f, int w, int h, const char *label)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w, h);
	esc(f, label);
	fputs("\">\n", f);
}

/* x axis at pixel row @y with ticks and @title under it */
static void x_axis(FILE *f, const struct rxs_axis *a, double y, const char *unit,
		   const char *title)
{
	double t[32];
	int n = rxs_axis_ticks(a, t, 32);
	char lab[32];

	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
		a->p0, y, a->p1, y);
	for (int i = 0; i < n; i++) {
		double x = rxs_axis_px(a, t[i]);

		fprintf(f, "<g class=\"xtick\" data-v=\"%g\" data-px=\"%.2f\">"
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text></g>\n",
			t[i], x, x, y, x, y + 4, x, y + 16, fmt_tick(lab, sizeof(lab), t[i], unit));
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (a->p0 + a->p1) / 2,
		y + 30);
	esc(f, title);
	fputs("</text>\n", f);
}

/* y axis at pixel column @x with ticks, light grid lines to @x2, and a rotated title */
static void y_axis(FILE *f, const struct rxs_axis *a, double x, double x2, const char *unit,
		   const char *title)
{
	double t[32];
	int n = rxs_axis_ticks(a, t, 32);
	char lab[32];

	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
		x, a->p0, x, a->p1);
	for (int i = 0; i < n; i++) {
		double y = rxs_axis_px(a, t[i]);

		fprintf(f, "<g class=\"ytick\" data-v=\"%g\"><line x1=\"%.1f\" y1=\"%.1f\" "
			"x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/><text x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"end\">%s</text></g>\n", t[i], x, y, x2, y, x - 4, y + 4,
			fmt_tick(lab, sizeof(lab), t[i], unit));
	}
	fprintf(f, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
		"text-anchor=\"middle\">", x - 48, (a->p0 + a->p1) / 2);
	esc(f, title);
	fputs("</text>\n", f);
}

/* the value range a histogram's buckets cover: [lowest bound, highest bound) */
static void hist_range(const struct rxs_hist *h, double *lo, double *hi)
{
	int first = -1, last = -1;

	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
		if (h->slots[i]) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0) {
		*lo = 1;
		*hi = 10;
		return;
	}
	*lo = (double)rxs_hist_slot_lo(first);
	*hi = last == (int)RXS_HIST_BUCKETS - 1 ? (double)h->max + 1 :
		(double)rxs_hist_slot_hi(last);
}

/*
 * One distribution as bars (@fill, @opacity) or as a step outline (@fill NULL,
 * @stroke), on a log value axis and a log count axis.
 */
static void hist_shape(FILE *f, const struct rxs_hist *h, const struct rxs_axis *ax,
		       const struct rxs_axis *ay, const char *fill, const char *stroke,
		       const char *dash, double scale)
{
	double base = ay->p0;
	bool open = false;
	double last_x = 0;

	if (!h->count)
		return;
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++) {
		double lo, hi, x0, x1, y;

		if (!h->slots[i]) {
			if (open && !fill) {
				fprintf(f, " L%.1f %.1f\" fill=\"none\" stroke=\"%s\" "
					"stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>\n",
					last_x, base, stroke, dash);
				open = false;
			}
			continue;
		}
		lo = (double)rxs_hist_slot_lo(i);
		hi = i == (int)RXS_HIST_BUCKETS - 1 ? (double)h->max + 1 :
			(double)rxs_hist_slot_hi(i);
		x0 = rxs_axis_px(ax, lo < 1 ? ax->lo : lo);
		x1 = rxs_axis_px(ax, hi);
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		y = rxs_axis_px(ay, (double)h->slots[i] * scale);
		if (fill) {
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				"fill=\"%s\" fill-opacity=\"0.8\"><title>%llu in [%.0f, %.0f)"
				"</title></rect>\n", x0, y, x1 - x0, base - y, fill,
				(unsigned long long)h->slots[i], lo, hi);
			continue;
		}
		if (!open) {
			fprintf(f, "<path d=\"M%.1f %.1f", x0, base);
			open = true;
		}
		fprintf(f, " L%.1f %.1f L%.1f %.1f", x0, y, x1, y);
		last_x = x1;
	}
	if (open)
		fprintf(f, " L%.1f %.1f\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
			"stroke-dasharray=\"%s\"/>\n", last_x, base, stroke, dash);
}

/* a vertical marker at value @v with a label in row @row above the plot */
static void vmark(FILE *f, const struct rxs_axis *ax, double v, double top, double bottom,
		  const char *colour, const char *dash, const char *label, int row,
		  const char *unit)
{
	double x = rxs_axis_px(ax, v);
	char val[24];

	fprintf(f, "<line class=\"qmark\" data-q=\"%s\" data-v=\"%.17g\" x1=\"%.2f\" "
		"y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
		"stroke-dasharray=\"%s\"/>\n", label, v, x, top, x, bottom, colour, dash);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s ", x + 3,
		top - 4 - 12.0 * row, x > ax->p1 - 90 ? "end" : "start", colour, label);
	esc(f, rxs_fmt_value(val, sizeof(val), v, unit));
	fputs("</text>\n", f);
}

/* a legend entry: a short line in @colour and @dash, then @label */
static void line_key(FILE *f, const char *colour, const char *dash, const char *label)
{
	fprintf(f, "<span><svg width=\"26\" height=\"10\" "
		"style=\"display:inline;vertical-align:middle\"><line x1=\"0\" y1=\"5\" "
		"x2=\"26\" y2=\"5\" stroke=\"%s\" stroke-width=\"2\" "
		"stroke-dasharray=\"%s\"/></svg> %s</span>", colour, dash, label);
}

/* ---- the report ------------------------------------------------------------------- */

/*
 * The packet's journey: the per-packet stages end to end, from the driver's interrupt on.
 * Taken from the stage table: from each point, the available stage that ends at the
 * nearest later point (hook points are declared in path order), so a finer stage wins
 * over one that spans it (total; ip_to_udp when --detail nf split it). An available
 * per-packet stage that ends where a journey stage ends, but starts at a point no journey
 * stage starts from, follows that stage: backlog, which ends at netif_receive_skb as gro
 * does, after gro (with RPS, gro ends at the backlog enqueue).
 */
static int journey_stages(const struct rxs_recording *r, enum rxs_hist_id out[RXS_H_NR])
{
	enum rxs_hist_id path[RXS_H_NR];
	enum rxs_point at = RXS_P_ISR;
	int n = 0, np = 0;

	while (np < RXS_H_NR) {
		int best = -1;

		for (int i = 0; i < RXS_H_NR; i++) {
			const struct rxs_stage_def *d = rxs_stage_def(i);

			if (d->per_packet && r->stages[i].available && d->from == at && d->to > at &&
			    (best < 0 || d->to < rxs_stage_def(best)->to))
				best = i;
		}
		if (best < 0)
			break;
		path[np++] = best;
		at = rxs_stage_def(best)->to;
	}
	for (int k = 0; k < np; k++) {
		out[n++] = path[k];
		for (int i = 0; i < RXS_H_NR && n < RXS_H_NR; i++) {
			const struct rxs_stage_def *d = rxs_stage_def(i);
			bool from_path = false;

			if (!d->per_packet || !r->stages[i].available || (int)path[k] == i ||
			    d->to != rxs_stage_def(path[k])->to)
				continue;
			for (int j = 0; j < np; j++)
				from_path |= rxs_stage_def(path[j])->from == d->from;
			if (!from_path)
				out[n++] = i;
		}
	}
	return n;
}
static const enum rxs_hist_id inside_irq[] = {
	RXS_H_HARDIRQ, RXS_H_IRQ_TO_SOFTIRQ, RXS_H_SOFTIRQ_TO_POLL,
};
#define N_INSIDE (int)(sizeof(inside_irq) / sizeof(inside_irq[0]))

static bool has_data(const struct rxs_recording *r, int id)
{
	return r->stages[id].available && r->stages[id].hist.count > 0;
}

static void meta_table(FILE *f, const struct rxs_recording *r, const char *title)
{
	char when[64] = "?";
	time_t t = (time_t)r->start_unix;
	struct tm tm;

	if (r->start_unix > 0 && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fputs("<table class=\"meta\">\n<tr><th class=\"l\">recording</th><td>", f);
	esc(f, title);
	fputs("</td></tr>\n<tr><th class=\"l\">kernel</th><td>", f);
	esc(f, r->kernel[0] ? r->kernel : "?");
	fputs("</td></tr>\n<tr><th class=\"l\">driver</th><td>", f);
	esc(f, r->driver[0] ? r->driver : "?");
	fputs("</td></tr>\n<tr><th class=\"l\">device filter</th><td>", f);
	esc(f, r->dev[0] ? r->dev : "any");
	fputs("</td></tr>\n<tr><th class=\"l\">port filter</th><td>", f);
	if (r->port)
		fprintf(f, "%d", r->port);
	else
		fputs("any", f);
	fprintf(f, "</td></tr>\n<tr><th class=\"l\">duration</th><td>%.1f s, from %s</td></tr>\n"
		"<tr><th class=\"l\">CPUs</th><td>%d</td></tr>\n"
		"<tr><th class=\"l\">time series</th><td>%s</td></tr>\n"
		"<tr><th class=\"l\">rxscope</th><td>%s</td></tr>\n</table>\n",
		r->duration_s, when, r->ncpus,
		r->nseries ? "yes" : "no (record with -i SEC to keep one)", RXS_VERSION);
	if (r->sample_pct < 100)
		fprintf(f, "<p class=\"note\">Sampled: the per-packet hooks were attached %d%% "
			"of the time (--sample); the per-packet stages and the funnel count only "
			"those windows.</p>\n", r->sample_pct);
	if (r->nseries)
		fprintf(f, "<p class=\"note\">%d intervals in the time series.</p>\n", r->nseries);
}

/* one waterfall panel at quantile @q: journey stages end to end, total as one bar */
static void waterfall(FILE *f, const struct rxs_recording *r, int qi)
{
	const double q = qi == 0 ? 0.5 : qi == 1 ? 0.99 : 0.999;
	const char *qn = qi == 0 ? "p50" : qi == 1 ? "p99" : "p99.9";
	const char *col = qi == 0 ? C_BLUE : qi == 1 ? C_ORANGE : C_VERMILLION;
	enum rxs_hist_id journey[RXS_H_NR];
	int n_journey = journey_stages(r, journey);
	int rows = n_journey + N_INSIDE + 1, top = 26, rh = 20, h, biggest = -1;
	double v[RXS_H_NR] = { 0 }, sum = 0, vmax = 0, at = 0, big = -1;
	struct rxs_axis ax;
	char lab[24], buf[96];

	for (int i = 0; i < RXS_H_NR; i++)
		if (has_data(r, i))
			v[i] = rxs_hist_quantile(&r->stages[i].hist, q);
	for (int i = 0; i < n_journey; i++) {
		sum += v[journey[i]];
		if (has_data(r, journey[i]) && v[journey[i]] > big) {
			big = v[journey[i]];
			biggest = journey[i];
		}
	}
	vmax = sum;
	if (v[RXS_H_TOTAL] > vmax)
		vmax = v[RXS_H_TOTAL];
	for (int i = 0, s = 0; i < N_INSIDE; i++) {
		s += v[inside_irq[i]];
		if (s > vmax)
			vmax = s;
	}
	h = top + rows * rh + 44;
	rxs_axis_lin(&ax, vmax, 180, W - 70);	/* room for the last label */
	snprintf(buf, sizeof(buf), "waterfall at %s", qn);
	svg_open(f, W, h, buf);
	fprintf(f, "<text class=\"ttl\" x=\"4\" y=\"16\">at %s</text>\n", qn);
	for (int i = 0; i < rows; i++) {
		int id;
		double y = top + i * rh, x0, x1;
		bool inner = false;

		if (i < N_INSIDE) {
			id = inside_irq[i];
			inner = true;
		} else if (i < N_INSIDE + n_journey) {
			id = journey[i - N_INSIDE];
		} else {
			id = RXS_H_TOTAL;
		}
		if (i == N_INSIDE)
			at = 0;
		fprintf(f, "<text x=\"%d\" y=\"%.1f\"%s>%s%s</text>\n", inner ? 14 : 4, y + 14,
			id == biggest ? " font-weight=\"bold\"" : "", r->stages[id].name,
			inner ? " (in irq_to_rx)" : "");
		if (!has_data(r, id)) {
			fprintf(f, "<text x=\"184\" y=\"%.1f\" fill=\"#999\">%s</text>\n", y + 14,
				r->stages[id].available ? "no events" : "unavailable");
			continue;
		}
		if (id == RXS_H_TOTAL)
			at = 0;
		x0 = rxs_axis_px(&ax, at);
		x1 = rxs_axis_px(&ax, at + v[id]);
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
			"fill-opacity=\"%s\"%s><title>%s %s = ", x0, y + 3, x1 - x0, rh - 6,
			id == RXS_H_TOTAL ? C_GREY : col, inner ? "0.45" : "0.9",
			id == biggest ? " stroke=\"#000\" stroke-width=\"1.5\"" : "",
			r->stages[id].name, qn);
		esc(f, rxs_fmt_value(lab, sizeof(lab), v[id], "ns"));
		fputs("</title></rect>\n", f);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x1 + 4, y + 14);
		esc(f, lab);
		fputs("</text>\n", f);
		at += v[id];
	}
	x_axis(f, &ax, top + rows * rh + 2, "ns", "time since the interrupt (stacked)");
	fputs("</svg>\n", f);
}

static void stage_table(FILE *f, const struct rxs_recording *r)
{
	char v[24];

	fputs("<table id=\"quantiles\">\n<tr><th class=\"l\">stage</th><th>count</th>"
	      "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"
	      "<th class=\"l\">hook</th></tr>\n", f);
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage *s = &r->stages[i];

		fprintf(f, "<tr data-stage=\"%s\"><td class=\"l\">%s</td>", s->name, s->name);
		if (!s->available || !s->hist.count) {
			fprintf(f, "<td>%s</td><td>-</td><td>-</td><td>-</td><td>-</td><td>-</td>"
				"<td class=\"l hook\">%s</td></tr>\n", s->available ? "0" : "-",
				s->available ? "" : "unavailable");
			continue;
		}
		fprintf(f, "<td>%llu</td>", (unsigned long long)s->hist.count);
		for (int q = 0; q < N_QMARKS; q++)
			fprintf(f, "<td class=\"q\" data-q=\"%s\">%s</td>", qmarks[q].name,
				rxs_fmt_value(v, sizeof(v), rxs_hist_quantile(&s->hist,
									     qmarks[q].q),
					      s->unit));
		fprintf(f, "<td>%s</td><td class=\"l hook\">",
			rxs_fmt_value(v, sizeof(v), (double)s->hist.max, s->unit));
		esc(f, s->hook);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* A stage's distribution on a log value axis, its quantiles marked. */
static void dist_chart(FILE *f, const char *unit, const struct rxs_hist *a, const char *label)
{
	const int top = 58, ph = 150, h = top + ph + 44;
	struct rxs_axis ax, ay;
	double lo, hi;
	__u64 peak = 1;

	hist_range(a, &lo, &hi);
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
		if (a->slots[i] > peak)
			peak = a->slots[i];
	rxs_axis_log(&ax, lo, hi, 1, ML, W - MR);
	rxs_axis_log(&ay, 1, (double)peak, 1, top + ph, top);
	ay.lo = 0.5;	/* a bucket of one event keeps a visible bar */
	svg_open(f, W, h, label);
	y_axis(f, &ay, ML, W - MR, "count", "events per bucket");
	hist_shape(f, a, &ax, &ay, C_SKY, NULL, NULL, 1);
	if (a->count)
		for (int q = 0; q < N_QMARKS; q++)
			vmark(f, &ax, rxs_hist_quantile(a, qmarks[q].q), top, top + ph,
			      qmarks[q].colour, qmarks[q].dash, qmarks[q].name,
			      N_QMARKS - 1 - q, unit);
	x_axis(f, &ax, top + ph, unit, !strcmp(unit, "ns") ? "latency (log scale)" :
	       "packets per poll (log scale)");
	fputs("</svg>\n", f);
}

#define MAX_ROWS	(RXS_HIST_MAX_EXP + 2)

static void time_axis(struct rxs_axis *a, const struct rxs_recording *r)
{
	double end = r->series[r->nseries - 1].t_s;

	rxs_axis_lin(a, end > 0 ? end : 1, ML, W - MR);
}

/* At most this many heatmap columns: neighbouring intervals share one beyond it. */
#define HEAT_COLS	320

/* events of stage @id in intervals [k0, k1), per power-of-two row */
static void column_rows(const struct rxs_recording *r, int id, int k0, int k1, __u64 *rows)
{
	memset(rows, 0, MAX_ROWS * sizeof(*rows));
	for (int k = k0; k < k1; k++)
		for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
			rows[rxs_hist_slot_row(i)] += r->series[k].hist[id].slots[i];
}

/* a heatmap of stage @id: time x latency row, colour = events (log scale) */
static void heatmap(FILE *f, const struct rxs_recording *r, int id)
{
	int first = MAX_ROWS, last = -1, nrows, rh, top = 8, h;
	int g = (r->nseries + HEAT_COLS - 1) / HEAT_COLS;	/* intervals per column */
	__u64 peak = 0, rows[MAX_ROWS];
	struct rxs_axis ax;
	char colour[16], lab[24], lab2[24], buf[96];

	for (int k = 0; k < r->nseries; k += g) {
		column_rows(r, id, k, k + g < r->nseries ? k + g : r->nseries, rows);
		for (int j = 0; j < MAX_ROWS; j++) {
			if (!rows[j])
				continue;
			if (j < first)
				first = j;
			if (j > last)
				last = j;
			if (rows[j] > peak)
				peak = rows[j];
		}
	}
	if (last < 0)
		return;
	nrows = last - first + 1;
	rh = 160 / nrows;
	if (rh > 16)
		rh = 16;
	if (rh < 4)
		rh = 4;
	h = top + nrows * rh + 44;
	time_axis(&ax, r);
	/* rows are powers of two: the y axis is log2, labelled at decades */
	snprintf(buf, sizeof(buf), "heatmap of %s over time", r->stages[id].name);
	svg_open(f, W, h, buf);
	for (int k = 0; k < r->nseries; k += g) {
		int k1 = k + g < r->nseries ? k + g : r->nseries;
		const struct rxs_interval *a = &r->series[k], *b = &r->series[k1 - 1];
		double t0 = a->t_s - a->dur_s, t1 = b->t_s;
		double x0 = rxs_axis_px(&ax, t0), x1 = rxs_axis_px(&ax, t1);

		if (x1 - x0 < 1)
			x1 = x0 + 1;
		column_rows(r, id, k, k1, rows);
		for (int j = first; j <= last; j++) {
			double t;

			if (!rows[j])
				continue;
			t = peak > 1 ? log((double)rows[j]) / log((double)peak) : 1;
			viridis(0.08 + 0.92 * t, colour, sizeof(colour));
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
				"fill=\"%s\"><title>%.1f-%.1f s, %s-%s: %llu</title></rect>\n",
				x0, top + (last - j) * rh, x1 - x0, rh, colour, t0, t1,
				fmt_tick(lab, sizeof(lab), j ? ldexp(1, j - 1) : 0,
					 r->stages[id].unit),
				fmt_tick(lab2, sizeof(lab2), ldexp(1, j), r->stages[id].unit),
				(unsigned long long)rows[j]);
		}
	}
	/* y labels: the decades, at the row that holds each; the lowest row when none */
	for (int j = first, any = 0; j <= last; j++) {
		double lo = j ? ldexp(1, j - 1) : 0, hi = ldexp(1, j);
		double dec = lo > 0 ? pow(10, ceil(log10(lo) - 1e-9)) : 1;

		if (dec < hi || (j == last && !any)) {
			any = 1;
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
				ML - 4, top + (last - j) * rh + rh / 2 + 4,
				dec < hi ? fmt_tick(lab, sizeof(lab), dec, r->stages[id].unit) :
				rxs_fmt_value(lab, sizeof(lab), lo, r->stages[id].unit));
		}
	}
	fprintf(f, "<text transform=\"translate(12 %d) rotate(-90)\" text-anchor=\"middle\">"
		"%s</text>\n", top + nrows * rh / 2,
		strcmp(r->stages[id].unit, "ns") ? "packets" : "latency");
	x_axis(f, &ax, top + nrows * rh, "s", "time since the start (s)");
	fputs("</svg>\n", f);
	/* the colour key: 1 .. peak events on a log scale */
	if (g > 1)
		fprintf(f, "<p class=\"note\">events per column (%d intervals each) and band: ",
			g);
	else
		fputs("<p class=\"note\">events per interval and band: ", f);
	fputs("1 <svg width=\"160\" height=\"10\" "
	      "style=\"display:inline;vertical-align:middle\">", f);
	for (int k = 0; k < 16; k++) {
		viridis(0.08 + 0.92 * k / 15.0, colour, sizeof(colour));
		fprintf(f, "<rect x=\"%d\" y=\"0\" width=\"10\" height=\"10\" fill=\"%s\"/>",
			k * 10, colour);
	}
	fprintf(f, "</svg> %llu (log scale)</p>\n", (unsigned long long)peak);
}

/* packets per second at the funnel points, and drops, on the series' time axis */
static void rate_chart(FILE *f, const struct rxs_recording *r)
{
	const int top = 8, ph = 120, h = top + ph + 44;
	static const char *const cols[RXS_F_NR] = { C_BLUE, C_GREEN, C_PURPLE, C_ORANGE,
						    "#000000" };
	static const char *const dashes[RXS_F_NR] = { "", "6 3", "2 2", "8 2 2 2", "1 3" };
	double peak = 0;
	struct rxs_axis ax, ay;
	bool any[RXS_F_NR] = { false };

	for (int k = 0; k < r->nseries; k++) {
		const struct rxs_interval *iv = &r->series[k];

		for (int p = 0; p < RXS_F_NR; p++) {
			double rate = iv->dur_s > 0 ? iv->bpf.pkts[p] / iv->dur_s : 0;

			if (iv->bpf.pkts[p])
				any[p] = true;
			if (rate > peak)
				peak = rate;
		}
	}
	time_axis(&ax, r);
	rxs_axis_lin(&ay, peak, top + ph, top);
	svg_open(f, W, h, "packet rate over time");
	y_axis(f, &ay, ML, W - MR, "pps", "followed packets/s");
	for (int p = 0; p < RXS_F_NR; p++) {
		if (!any[p])
			continue;
		fputs("<path d=\"", f);
		for (int k = 0; k < r->nseries; k++) {
			const struct rxs_interval *iv = &r->series[k];
			double rate = iv->dur_s > 0 ? iv->bpf.pkts[p] / iv->dur_s : 0;

			fprintf(f, "%s%.1f %.1f L%.1f %.1f", k ? " L" : "M",
				rxs_axis_px(&ax, iv->t_s - iv->dur_s), rxs_axis_px(&ay, rate),
				rxs_axis_px(&ax, iv->t_s), rxs_axis_px(&ay, rate));
		}
		fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
			"stroke-dasharray=\"%s\"><title>%s</title></path>\n", cols[p], dashes[p],
			rxs_funnel_name(p));
	}
	x_axis(f, &ax, top + ph, "s", "time since the start (s)");
	fputs("</svg>\n<p class=\"legend\">", f);
	for (int p = 0; p < RXS_F_NR; p++)
		if (any[p])
			line_key(f, cols[p], dashes[p], rxs_funnel_name(p));
	fputs("</p>\n", f);
}

static void drops_chart(FILE *f, const struct rxs_recording *r)
{
	const int top = 8, ph = 70, h = top + ph + 44;
	double peak = 0;
	struct rxs_axis ax, ay;

	for (int k = 0; k < r->nseries; k++) {
		double d = (double)(r->series[k].bpf.drops + r->series[k].sn_dropped);

		if (d > peak)
			peak = d;
	}
	time_axis(&ax, r);
	rxs_axis_lin(&ay, peak, top + ph, top);
	svg_open(f, W, h, "drops over time");
	y_axis(f, &ay, ML, W - MR, "n", "drops");
	for (int k = 0; k < r->nseries; k++) {
		const struct rxs_interval *iv = &r->series[k];
		double d = (double)(iv->bpf.drops + iv->sn_dropped), x0, x1, y;

		if (!d)
			continue;
		x0 = rxs_axis_px(&ax, iv->t_s - iv->dur_s);
		x1 = rxs_axis_px(&ax, iv->t_s);
		y = rxs_axis_px(&ay, d);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\"><title>%.1f-%.1f s: %llu kfree_skb, %llu backlog</title>"
			"</rect>\n", x0, y, x1 - x0 > 1 ? x1 - x0 : 1, top + ph - y, C_VERMILLION,
			iv->t_s - iv->dur_s, iv->t_s, (unsigned long long)iv->bpf.drops,
			(unsigned long long)iv->sn_dropped);
	}
	if (peak == 0)
		fprintf(f, "<text x=\"%d\" y=\"%d\">no drops</text>\n", ML + 8, top + ph / 2);
	x_axis(f, &ax, top + ph, "s", "time since the start (s)");
	fputs("</svg>\n", f);
}

/* the text tables of `rxscope report`, escaped */
static void text_block(FILE *f, const struct rxs_recording *r,
		       void (*fn)(FILE *, const struct rxs_recording *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	fn(m, r);
	fclose(m);
	fputs("<pre>", f);
	esc(f, buf);
	fputs("</pre>\n", f);
	free(buf);
}

static void cpus_text(FILE *f, const struct rxs_recording *r)
{
	rxs_report_cpus(f, r);
}

int rxs_html_report(FILE *f, const struct rxs_recording *r, const char *title)
{
	char buf[160];
	bool any_unavail = false;

	snprintf(buf, sizeof(buf), "rxscope report: %s", title);
	page_open(f, buf);
	fputs("<h1>rxscope report</h1>\n", f);
	meta_table(f, r, title);

	fputs("<h2 id=\"journey\">The packet's journey</h2>\n<p class=\"note\">From the NIC's "
	      "interrupt to the socket: each per-packet stage starts where the one before it "
	      "ends, at the same quantile. The stage with the longest bar (outlined) owns the "
	      "most time at that quantile. The quantiles of stages do not add up to the "
	      "quantile of the whole: <b>total</b> (interrupt to UDP enqueue) is measured on "
	      "its own. The faint rows at the top are inside irq_to_rx, per NET_RX run.</p>\n",
	      f);
	for (int q = 0; q < 3; q++)
		waterfall(f, r, q);

	fputs("<h2 id=\"stages\">Stages</h2>\n", f);
	stage_table(f, r);
	fputs("<p class=\"legend\">", f);
	for (int q = 0; q < N_QMARKS; q++)
		line_key(f, qmarks[q].colour, qmarks[q].dash, qmarks[q].name);
	fputs("</p>\n", f);
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage *s = &r->stages[i];

		if (!s->available) {
			any_unavail = true;
			continue;
		}
		fprintf(f, "<h3 id=\"stage-%s\">%s</h3>\n<p class=\"hook\">hook: ", s->name,
			s->name);
		esc(f, s->hook);
		fprintf(f, " &#8212; %llu events</p>\n", (unsigned long long)s->hist.count);
		if (!s->hist.count) {
			fputs("<p class=\"note\">no events</p>\n", f);
			continue;
		}
		snprintf(buf, sizeof(buf), "distribution of %s", s->name);
		dist_chart(f, s->unit, &s->hist, buf);
	}
	if (any_unavail) {
		fputs("<p class=\"note\">Unavailable on this kernel:", f);
		for (int i = 0; i < RXS_H_NR; i++)
			if (!r->stages[i].available)
				fprintf(f, " %s", r->stages[i].name);
		fputs(".</p>\n", f);
	}

	fputs("<h2 id=\"time\">Latency over time</h2>\n", f);
	if (!r->nseries) {
		fputs("<p class=\"note\">This recording has no time series: "
		      "<code>rxscope record -i SEC</code> keeps one.</p>\n", f);
	} else {
		rate_chart(f, r);
		drops_chart(f, r);
		for (int i = 0; i < RXS_H_NR; i++) {
			if (!has_data(r, i))
				continue;
			fprintf(f, "<h3 id=\"heat-%s\">%s</h3>\n", r->stages[i].name,
				r->stages[i].name);
			heatmap(f, r, i);
		}
	}

	fputs("<h2 id=\"counters\">Counters</h2>\n<h3>Funnel and drops</h3>\n", f);
	text_block(f, r, rxs_report_funnel);
	fputs("<h3>Per CPU: BPF counters next to /proc/net/softnet_stat</h3>\n", f);
	text_block(f, r, cpus_text);
	fputs("<p class=\"note\">The tracer's own overhead is not part of a recording: "
	      "<code>rxscope trace --stats</code> prints it.</p>\n", f);
	page_close(f);
	return ferror(f) ? -EIO : 0;
}

/* ---- the compare page ------------------------------------------------------------- */

/* Where a verdict sorts: regressed first, then the undecided, changed counts, improved,
 * ok, not judged, no data. */
static int verdict_rank(enum rxs_verdict v)
{
	switch (v) {
	case RXS_V_REGRESSED:
		return 0;
	case RXS_V_CHANGED:
		return 2;
	case RXS_V_NOT_JUDGED:
		return 5;
	case RXS_V_IMPROVED:
		return 3;
	case RXS_V_OK:
		return 4;
	case RXS_V_NO_DATA:
		return 6;
	default:
		return 1;	/* inconclusive */
	}
}
#define MAX_RANK	6

/* the page's headline and the exit code of `compare` for the same result */
static const char *outcome(const struct rxs_compare_opts *o, const struct rxs_cmp_result *res,
			   int *code)
{
	*code = rxs_compare_exit_code(o, res);
	if (res->regressed)
		return "REGRESSION";
	if (*code == RXS_EXIT_REGRESSION)
		return "CHANGED";
	if (res->inconclusive)
		return "INCONCLUSIVE";
	return "no regression";
}

/* "not judged" -> "v-not-judged" */
static void verdict_class(char *buf, size_t len, enum rxs_verdict v)
{
	size_t n = (size_t)snprintf(buf, len, "v-%s", rxs_verdict_name(v));

	for (size_t i = 0; i < n && i < len; i++)
		if (buf[i] == ' ')
			buf[i] = '-';
}

static void pool(const struct rxs_cmp_side *side, int id, struct rxs_hist *h)
{
	rxs_hist_init(h);
	for (int i = 0; i < side->nruns; i++)
		rxs_hist_merge(h, &side->runs[i].stages[id].hist);
}

static const char *side_unit(const struct rxs_cmp_side *side, int id)
{
	return side->nruns ? side->runs[0].stages[id].unit : "ns";
}

/*
 * Both sides of one stage as shares of their events (so that sides of different sizes
 * compare), baseline as filled bars, new as a black outline; the judged quantile of each,
 * the threshold over the baseline's, and the interval of the new one.
 */
static void overlay_chart(FILE *f, const struct rxs_cmp_stage *st, const struct rxs_hist *b,
			  const struct rxs_hist *n, const char *unit, const char *qn,
			  double max_reg)
{
	const int top = 64, ph = 150, h = top + ph + 44;
	struct rxs_axis ax, ay;
	double lo, hi, lo2, hi2, pmin = 1, pmax = 0, sb, sn;
	char buf[96], lab[32];

	hist_range(b, &lo, &hi);
	hist_range(n, &lo2, &hi2);
	if (!b->count || (n->count && lo2 < lo))
		lo = lo2;
	if (!b->count || (n->count && hi2 > hi))
		hi = hi2;
	sb = b->count ? 1.0 / (double)b->count : 0;
	sn = n->count ? 1.0 / (double)n->count : 0;
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++) {
		double x = b->slots[i] * sb, y = n->slots[i] * sn;

		if (x > 0 && x < pmin)
			pmin = x;
		if (y > 0 && y < pmin)
			pmin = y;
		if (x > pmax)
			pmax = x;
		if (y > pmax)
			pmax = y;
	}
	rxs_axis_log(&ax, lo, hi, 1, ML, W - MR);
	rxs_axis_log(&ay, pmin, pmax > 0 ? pmax : 1, 1e-9, top + ph, top);
	ay.lo /= 2;	/* the rarest bucket keeps a visible bar */
	snprintf(buf, sizeof(buf), "baseline and new of %s", rxs_stage_name(st->id));
	svg_open(f, W, h, buf);
	y_axis(f, &ay, ML, W - MR, "share", "share of events");
	hist_shape(f, b, &ax, &ay, C_SKY, NULL, NULL, sb);
	hist_shape(f, n, &ax, &ay, NULL, "#000", "", sn);
	if (st->verdict != RXS_V_NO_DATA && st->base_sel > 0) {
		double thr = st->base_sel * (1 + max_reg);

		snprintf(lab, sizeof(lab), "baseline %s", qn);
		vmark(f, &ax, st->base_sel, top, top + ph, C_BLUE, "", lab, 3, unit);
		snprintf(lab, sizeof(lab), "new %s", qn);
		vmark(f, &ax, st->new_sel, top, top + ph, C_VERMILLION, "8 2 2 2", lab, 2, unit);
		snprintf(lab, sizeof(lab), "threshold +%.3g%%", max_reg * 100);
		vmark(f, &ax, thr, top, top + ph, C_ORANGE, "2 2", lab, 1, unit);
		if (isfinite(st->ci_lo) && isfinite(st->ci_hi) && st->ci_hi > 0) {
			double x0 = rxs_axis_px(&ax, st->base_sel * st->ci_lo);
			double x1 = rxs_axis_px(&ax, st->base_sel * st->ci_hi), y = top + 8;

			/* the interval: a thick bar with a whisker at each end */
			fprintf(f, "<g class=\"ci\" stroke=\"%s\"><line x1=\"%.1f\" y1=\"%.1f\" "
				"x2=\"%.1f\" y2=\"%.1f\" stroke-width=\"3\"/>", C_VERMILLION, x0,
				y, x1, y);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x0,
				y - 5, x0, y + 5);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x1,
				y - 5, x1, y + 5);
			fprintf(f, "<title>interval of the new %s: ratio [%.3f, %.3f]</title>"
				"</g>\n", qn, st->ci_lo, st->ci_hi);
		}
	}
	x_axis(f, &ax, top + ph, unit, !strcmp(unit, "ns") ? "latency (log scale)" :
	       "packets per poll (log scale)");
	fputs("</svg>\n", f);
}

static void side_row(FILE *f, const char *what, const struct rxs_cmp_side *s)
{
	fprintf(f, "<tr><th class=\"l\">%s</th><td>%d run(s) from ", what, s->nruns);
	esc(f, s->label);
	fputs(", kernel ", f);
	esc(f, s->nruns ? s->runs[0].kernel : "?");
	fputs(", driver ", f);
	esc(f, s->nruns ? s->runs[0].driver : "?");
	fputs("</td></tr>\n", f);
}

int rxs_html_compare(FILE *f, const struct rxs_cmp_side *base, const struct rxs_cmp_side *cand,
		     const struct rxs_compare_opts *o, const struct rxs_cmp_result *res)
{
	int order[RXS_H_NR], n = 0, code;
	char qn[16], cls[48], v[6][24], lab[24];
	const char *head;

	snprintf(qn, sizeof(qn), "%s", o->quantile == 0.5 ? "p50" : o->quantile == 0.9 ? "p90" :
		 o->quantile == 0.99 ? "p99" : o->quantile == 0.999 ? "p99.9" : "q");
	if (!strcmp(qn, "q"))
		snprintf(qn, sizeof(qn), "q%g", o->quantile);
	/* regressed first, then the undecided, improved, ok, no data; stable within each */
	for (int r = 0; r <= MAX_RANK; r++)
		for (int i = 0; i < res->nstages; i++)
			if (verdict_rank(res->stages[i].verdict) == r)
				order[n++] = i;
	head = outcome(o, res, &code);
	page_open(f, "rxscope compare");
	fprintf(f, "<h1>rxscope compare: <span class=\"%s\" id=\"outcome\">%s</span></h1>\n",
		code == RXS_EXIT_REGRESSION ? "bad" : res->inconclusive ? "undecided" : "", head);
	fprintf(f, "<p>%d regressed, %d inconclusive, %d improved, %d ok, %d count stage(s) "
		"changed, %d shown without a verdict; %d stage(s) in all.</p>\n",
		res->regressed, res->inconclusive, res->improved, res->ok, res->changed,
		res->not_judged, res->nstages);
	fputs("<table class=\"meta\">\n", f);
	side_row(f, "baseline", base);
	side_row(f, "new", cand);
	fprintf(f, "<tr><th class=\"l\">judged on</th><td>%s, max regression %.3g%%, "
		"confidence %.3g%%</td></tr>\n<tr><th class=\"l\">rxscope</th><td>%s</td></tr>\n"
		"</table>\n", qn, o->max_regression * 100, o->confidence * 100, RXS_VERSION);
	fputs("<p class=\"note\">Each chart shows what a verdict is made of: the judged "
	      "quantile of both sides, the threshold (the baseline's quantile plus the allowed "
	      "slow-down) and the confidence interval of the new quantile. The rule that turns "
	      "them into a verdict is in docs/compare.md.</p>\n", f);
	fprintf(f, "<table id=\"verdicts\">\n<tr><th class=\"l\">stage</th>"
		"<th class=\"l\">verdict</th><th>base p50</th><th>new p50</th><th>base p99</th>"
		"<th>new p99</th><th>base p99.9</th><th>new p99.9</th><th>%s change</th>"
		"<th>interval (ratio)</th><th>events base / new</th></tr>\n", qn);
	for (int k = 0; k < n; k++) {
		const struct rxs_cmp_stage *s = &res->stages[order[k]];
		const char *u = side_unit(base, s->id);

		for (int j = 0; j < 3; j++) {
			rxs_fmt_value(v[2 * j], sizeof(v[0]), s->base_q[j], u);
			rxs_fmt_value(v[2 * j + 1], sizeof(v[0]), s->new_q[j], u);
		}
		verdict_class(cls, sizeof(cls), s->verdict);
		fprintf(f, "<tr class=\"%s\" data-stage=\"%s\"><td class=\"l\"><a href=\"#cmp-%s\">"
			"%s</a></td><td class=\"l verdict\">%s</td>", cls, rxs_stage_name(s->id),
			rxs_stage_name(s->id), rxs_stage_name(s->id), rxs_verdict_name(s->verdict));
		for (int j = 0; j < 6; j++)
			fprintf(f, "<td>%s</td>", v[j]);
		if (s->verdict == RXS_V_NO_DATA)
			fputs("<td>-</td>", f);
		else
			fprintf(f, "<td>%+.1f%%</td>", s->change * 100);
		if (isfinite(s->ci_lo) && isfinite(s->ci_hi))
			fprintf(f, "<td>[%.3f, %.3f]</td>", s->ci_lo, s->ci_hi);
		else
			fputs("<td>-</td>", f);
		fprintf(f, "<td>%llu / %llu</td></tr>\n", (unsigned long long)s->count_base,
			(unsigned long long)s->count_new);
	}
	fputs("</table>\n<p class=\"legend\"><span><span class=\"sw\" style=\"background:"
	      C_SKY "\"></span>baseline</span><span><span class=\"sw\" style=\"border:2px "
	      "solid #000;height:6px\"></span>new</span></p>\n", f);
	for (int k = 0; k < n; k++) {
		const struct rxs_cmp_stage *s = &res->stages[order[k]];
		struct rxs_hist hb, hn;

		verdict_class(cls, sizeof(cls), s->verdict);
		fprintf(f, "<h3 id=\"cmp-%s\" class=\"%s\">%s: %s", rxs_stage_name(s->id), cls,
			rxs_stage_name(s->id), rxs_verdict_name(s->verdict));
		if (s->verdict != RXS_V_NO_DATA)
			fprintf(f, " (%s %s &#8594; ", qn, rxs_fmt_value(lab, sizeof(lab),
								      s->base_sel,
								      side_unit(base, s->id)));
		if (s->verdict != RXS_V_NO_DATA)
			fprintf(f, "%s, %+.1f%%)", rxs_fmt_value(lab, sizeof(lab), s->new_sel,
								side_unit(base, s->id)),
				s->change * 100);
		fputs("</h3>\n", f);
		if (s->reason[0]) {
			fputs("<p class=\"note reason\">", f);
			esc(f, s->reason);
			fputs("</p>\n", f);
		}
		pool(base, s->id, &hb);
		pool(cand, s->id, &hn);
		if (!hb.count && !hn.count) {
			fputs("<p class=\"note\">no events on either side</p>\n", f);
			continue;
		}
		overlay_chart(f, s, &hb, &hn, side_unit(base, s->id), qn, o->max_regression);
	}
	page_close(f);
	return ferror(f) ? -EIO : 0;
}

/* ---- the verbs -------------------------------------------------------------------- */

struct report_ctx {
	const struct rxs_recording *r;
	const char *title;
};

static int fill_report(FILE *f, void *ctx)
{
	const struct report_ctx *c = ctx;

	return rxs_html_report(f, c->r, c->title);
}

struct compare_ctx {
	const struct rxs_cmp_side *b, *n;
	const struct rxs_compare_opts *o;
	const struct rxs_cmp_result *res;
};

static int fill_compare(FILE *f, void *ctx)
{
	const struct compare_ctx *c = ctx;

	return rxs_html_compare(f, c->b, c->n, c->o, c->res);
}

/*
 * to @out atomically, or to stdout when @out is NULL or "-"; RXS_EXIT_OK, or
 * RXS_EXIT_USAGE with a message
 */
static int emit(const char *out, rxs_fill_fn fill, void *ctx)
{
	char err[512];
	int ret;

	if (!out || !strcmp(out, "-")) {
		ret = fill(stdout, ctx);
		if (fflush(stdout) || ret) {
			fprintf(stderr, "rxscope: failed to write the page to stdout\n");
			return RXS_EXIT_USAGE;
		}
		return RXS_EXIT_OK;
	}
	ret = rxs_write_atomic(out, fill, ctx, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_USAGE;
	}
	fprintf(stderr, "wrote %s\n", out);
	return RXS_EXIT_OK;
}

int rxs_html_report_cmd(const char *path, const char *out)
{
	struct rxs_recording r;
	const char *base = strrchr(path, '/');
	char err[512];
	int code;

	if (rxs_json_read(path, &r, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		rxs_recording_free(&r);
		return RXS_EXIT_USAGE;
	}
	code = emit(out, fill_report, &(struct report_ctx){ &r, base ? base + 1 : path });
	rxs_recording_free(&r);
	return code;
}

int rxs_html_compare_cmd(const char *baseline, const char *candidate,
			 const struct rxs_compare_opts *o, const char *out)
{
	struct rxs_cmp_side b, n;
	struct rxs_cmp_result res;
	char err[512];
	int code = RXS_EXIT_USAGE;

	memset(&b, 0, sizeof(b));
	memset(&n, 0, sizeof(n));
	if (rxs_cmp_side_load(baseline, &b, err, sizeof(err)) ||
	    rxs_cmp_side_load(candidate, &n, err, sizeof(err)) ||
	    rxs_compare(&b, &n, o, &res, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		goto out;
	}
	code = emit(out, fill_compare, &(struct compare_ctx){ &b, &n, o, &res });
	if (code == RXS_EXIT_OK)
		outcome(o, &res, &code);
out:
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
	return code;
}
