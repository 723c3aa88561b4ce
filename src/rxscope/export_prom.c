// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_prom.c - the Prometheus text exposition of a recording, for node_exporter's
 * textfile collector: latency histograms in seconds with power-of-two `le` bounds,
 * packets-per-poll as its own histogram, per-CPU counters as _total (docs/format.md).
 */
#include <errno.h>
#include <string.h>
#include "export_prom.h"
#include "hist.h"
#include "softnet.h"
#include "split.h"

/* label values: escape backslash, double quote and newline */
static void label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

/*
 * One histogram series set. The `le` bounds are the powers of two from 2^3 to 2^42 (a
 * fixed set, so series stay comparable across scrapes); values are integers, so the
 * bucket "<= 2^k - 1" is exact. @scale turns the unit into the base unit (1e-9 for ns).
 */
static void prom_hist(FILE *f, const char *metric, const struct rxs_stage *s, double scale)
{
	__u64 cum = 0;
	int b = 0;

	for (int e = RXS_HIST_SUB_BITS; e <= RXS_HIST_MAX_EXP; e++) {
		__u64 bound = (1ULL << e) - 1;

		/* slots below 2^e are exactly those whose lower bound is below 2^e */
		while (b < (int)RXS_HIST_BUCKETS - 1 && rxs_hist_slot_lo(b) < (1ULL << e))
			cum += s->hist.slots[b++];
		if (e == RXS_HIST_MAX_EXP)
			continue;	/* the last slot also holds larger values: +Inf only */
		fprintf(f, "%s_bucket{stage=\"%s\",le=\"%.9g\"} %llu\n", metric, s->name,
			(double)bound * scale, (unsigned long long)cum);
	}
	fprintf(f, "%s_bucket{stage=\"%s\",le=\"+Inf\"} %llu\n", metric, s->name,
		(unsigned long long)s->hist.count);
	fprintf(f, "%s_sum{stage=\"%s\"} %.9g\n", metric, s->name, (double)s->hist.sum * scale);
	fprintf(f, "%s_count{stage=\"%s\"} %llu\n", metric, s->name,
		(unsigned long long)s->hist.count);
}

static void header(FILE *f, const char *metric, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", metric, help, metric, type);
}

/*
 * The per-CPU BPF counters (RXS_COUNTERS), one family each: rxscope_cpu_<name>_total.
 * @lbl: labels that go before the cpu label ("" for none).
 */
static void cpu_counters(FILE *f, const struct rxs_recording *r, const char *lbl)
{
	char metric[96];

	for (int k = 0; k < rxs_counter_count; k++) {
		const struct rxs_counter_def *d = &rxs_counter_defs[k];

		snprintf(metric, sizeof(metric), "rxscope_cpu_%s_total", d->name);
		header(f, metric, "counter", d->help);
		for (int i = 0; i < r->ncpus; i++)
			fprintf(f, "%s{%s%scpu=\"%d\"} %llu\n", metric, lbl, *lbl ? "," : "",
				r->cpus[i].cpu,
				(unsigned long long)rxs_counter_get(&r->cpus[i].bpf, d));
	}
}

/*
 * The kernel's softnet_stat columns that are counters, one family each by the column's
 * name, per CPU; @since ends the HELP text (what the counts are relative to).
 */
static void softnet_families(FILE *f, const struct rxs_recording *r, const char *since)
{
	for (int col = 0; col < RXS_SOFTNET_MAX_COLS; col++) {
		bool any = false;

		for (int i = 0; i < r->ncpus; i++)
			if (col < r->cpus[i].softnet_ncols)
				any = true;
		if (!any || !rxs_softnet_col_is_counter(col))
			continue;
		fprintf(f, "# HELP rxscope_softnet_%s_total /proc/net/softnet_stat column %d, "
			"%s.\n", rxs_softnet_col_name(col), col, since);
		fprintf(f, "# TYPE rxscope_softnet_%s_total counter\n", rxs_softnet_col_name(col));
		for (int i = 0; i < r->ncpus; i++)
			if (col < r->cpus[i].softnet_ncols)
				fprintf(f, "rxscope_softnet_%s_total{cpu=\"%d\"} %llu\n",
					rxs_softnet_col_name(col), r->cpus[i].cpu,
					(unsigned long long)r->cpus[i].softnet[col]);
	}
}

int rxs_prom_write(FILE *f, const struct rxs_recording *r)
{
	header(f, "rxscope_info", "gauge", "The traced kernel and driver; always 1.");
	fprintf(f, "rxscope_info{kernel=\"");
	label(f, r->kernel);
	fprintf(f, "\",driver=\"");
	label(f, r->driver);
	fprintf(f, "\",dev=\"");
	label(f, r->dev);
	fprintf(f, "\",port=\"%d\"} 1\n", r->port);
	header(f, "rxscope_duration_seconds", "gauge", "Length of the recording.");
	fprintf(f, "rxscope_duration_seconds %.6f\n", r->duration_s);
	header(f, "rxscope_stage_available", "gauge",
	       "1 when the stage could be hooked; the hook label says how.");
	for (int i = 0; i < RXS_H_NR; i++) {
		fprintf(f, "rxscope_stage_available{stage=\"%s\",hook=\"", r->stages[i].name);
		label(f, r->stages[i].hook);
		fprintf(f, "\"} %d\n", r->stages[i].available ? 1 : 0);
	}

	header(f, "rxscope_stage_latency_seconds", "histogram",
	       "Receive-path stage latency, per stage.");
	for (int i = 0; i < RXS_H_NR; i++)
		if (strcmp(r->stages[i].unit, "ns") == 0)
			prom_hist(f, "rxscope_stage_latency_seconds", &r->stages[i], 1e-9);
	header(f, "rxscope_stage_packets", "histogram",
	       "Count stages: packets per NAPI poll (poll_pkts), backlog length at each enqueue "
	       "(backlog_len).");
	for (int i = 0; i < RXS_H_NR; i++)
		if (strcmp(r->stages[i].unit, "ns") != 0)
			prom_hist(f, "rxscope_stage_packets", &r->stages[i], 1.0);

	/* --by: per queue or CPU, le bounds as above (2^3 - 1 .. 2^41 - 1 ns) */
	rxs_split_prom(f, r, "", RXS_HIST_SUB_BITS, RXS_HIST_MAX_EXP - 1);

	cpu_counters(f, r, "");

	header(f, "rxscope_funnel_packets_total", "counter",
	       "Packets seen at each per-packet hook of the receive path.");
	for (int i = 0; i < r->ncpus; i++)
		for (int k = 0; k < RXS_F_NR; k++)
			fprintf(f, "rxscope_funnel_packets_total{cpu=\"%d\",hook=\"%s\"} %llu\n",
				r->cpus[i].cpu, rxs_funnel_name(k),
				(unsigned long long)r->cpus[i].bpf.pkts[k]);

	header(f, "rxscope_drops_total", "counter", "Receive-path drops by kfree_skb reason.");
	for (int i = 0; i < RXS_MAX_DROP_REASONS; i++) {
		if (!r->drop_reasons[i])
			continue;
		fprintf(f, "rxscope_drops_total{reason=\"%d\",name=\"", i);
		label(f, r->drop_reason_names[i]);
		fprintf(f, "\"} %llu\n", (unsigned long long)r->drop_reasons[i]);
	}

	header(f, "rxscope_tracking_swept_total", "counter",
	       "Followed packets whose end no hook saw, removed from the tracking map after 5 s.");
	fprintf(f, "rxscope_tracking_swept_total %llu\n", (unsigned long long)r->tracking_swept);

	header(f, "rxscope_packet_sample_ratio", "gauge",
	       "Share of the time the per-packet hooks were attached (1: every packet).");
	fprintf(f, "rxscope_packet_sample_ratio %g\n", r->sample_pct / 100.0);

	/* the kernel's softnet_stat deltas: counter columns only, by their names */
	softnet_families(f, r, "change over the recording");
	/* the failed write's errno (ENOSPC, EROFS...) says more than EIO */
	return ferror(f) ? (errno ? -errno : -EIO) : 0;
}

/* --- `rxscope serve`: one scrape ------------------------------------------------------ */

unsigned long long rxs_prom_cumulative(const struct rxs_hist *h, unsigned long long bound)
{
	unsigned long long cum = 0;

	/* a slot counts when its every value is <= bound: its exclusive end <= bound + 1 */
	for (__u32 b = 0; b < RXS_HIST_BUCKETS - 1 && rxs_hist_slot_hi(b) <= bound + 1; b++)
		cum += h->slots[b];
	return cum;
}

/* The labels that every series of the traced path carries: dev="...",driver="..." */
static void path_labels(char *buf, size_t len, const struct rxs_recording *r)
{
	const char *dev = r->dev[0] ? r->dev : "any";
	size_t o = 0;

	o += snprintf(buf + o, len - o, "dev=\"");
	for (const char *s = dev; *s && o + 3 < len; s++) {
		if (*s == '\\' || *s == '"')
			buf[o++] = '\\';
		buf[o++] = *s == '\n' ? 'n' : *s;
	}
	snprintf(buf + o, len - o, "\",driver=\"%s\"", r->driver);
}

static void scrape_hist(FILE *f, const char *metric, const char *lbl, const struct rxs_hist *h,
			int emin, int emax, double scale)
{
	for (int e = emin; e <= emax; e++) {
		unsigned long long bound = (1ULL << e) - 1;

		fprintf(f, "%s_bucket{%s,le=\"%.12g\"} %llu\n", metric, lbl, (double)bound * scale,
			rxs_prom_cumulative(h, bound));
	}
	fprintf(f, "%s_bucket{%s,le=\"+Inf\"} %llu\n", metric, lbl,
		(unsigned long long)h->count);
	fprintf(f, "%s_sum{%s} %.12g\n", metric, lbl, (double)h->sum * scale);
	fprintf(f, "%s_count{%s} %llu\n", metric, lbl, (unsigned long long)h->count);
}

int rxs_prom_write_scrape(FILE *f, const struct rxs_recording *r,
			  const struct rxs_prom_scrape *x)
{
	static const char *const classes[6] = { "", "1xx", "2xx", "3xx", "4xx", "5xx" };
	char lbl[160], sl[224];

	path_labels(lbl, sizeof(lbl), r);
	header(f, "rxscope_info", "gauge",
	       "The traced kernel, driver profile, device and port filters; always 1.");
	fprintf(f, "rxscope_info{kernel=\"");
	label(f, r->kernel);
	fprintf(f, "\",%s,port=\"%s%.0d\"} 1\n", lbl, r->port ? "" : "any", r->port);
	header(f, "rxscope_start_time_seconds", "gauge",
	       "When rxscope serve attached its programs, in seconds since the epoch.");
	fprintf(f, "rxscope_start_time_seconds %lld\n", r->start_unix);

	header(f, "rxscope_stage_available", "gauge",
	       "1 when the stage could be hooked on this kernel, else 0.");
	for (int i = 0; i < RXS_H_NR; i++)
		fprintf(f, "rxscope_stage_available{stage=\"%s\"} %d\n", r->stages[i].name,
			r->stages[i].available ? 1 : 0);
	header(f, "rxscope_stage_hook_info", "gauge",
	       "The hooks that bound each available stage (start>end); always 1.");
	for (int i = 0; i < RXS_H_NR; i++) {
		if (!r->stages[i].available)
			continue;
		fprintf(f, "rxscope_stage_hook_info{stage=\"%s\",hook=\"", r->stages[i].name);
		label(f, r->stages[i].hook);
		fprintf(f, "\"} 1\n");
	}

	header(f, "rxscope_stage_latency_seconds", "histogram",
	       "Receive-path latency of each available stage since rxscope serve started.");
	for (int i = 0; i < RXS_H_NR; i++) {
		if (!r->stages[i].available || strcmp(r->stages[i].unit, "ns"))
			continue;
		snprintf(sl, sizeof(sl), "%s,stage=\"%s\"", lbl, r->stages[i].name);
		scrape_hist(f, "rxscope_stage_latency_seconds", sl, &r->stages[i].hist,
			    RXS_PROM_LAT_EXP_MIN, RXS_PROM_LAT_EXP_MAX, 1e-9);
	}
	if (r->stages[RXS_H_POLL_PKTS].available) {
		header(f, "rxscope_poll_packets", "histogram",
		       "Packets handled per NAPI poll since rxscope serve started.");
		scrape_hist(f, "rxscope_poll_packets", lbl, &r->stages[RXS_H_POLL_PKTS].hist, 0,
			    RXS_PROM_PKT_EXP_MAX, 1.0);
	}
	/* the target CPU's input queue at each backlog enqueue: 0, 1, 3, ... 4095 */
	if (r->stages[RXS_H_BACKLOG_LEN].available) {
		header(f, "rxscope_backlog_length", "histogram",
		       "Packets already in the target CPU's backlog at each enqueue (RPS, "
		       "netif_rx) since rxscope serve started.");
		scrape_hist(f, "rxscope_backlog_length", lbl,
			    &r->stages[RXS_H_BACKLOG_LEN].hist, 0, 12, 1.0);
	}

	rxs_split_prom(f, r, lbl, RXS_PROM_LAT_EXP_MIN, RXS_PROM_LAT_EXP_MAX);

	cpu_counters(f, r, lbl);

	header(f, "rxscope_funnel_packets_total", "counter",
	       "Packets seen at each per-packet hook of the receive path.");
	for (int i = 0; i < r->ncpus; i++)
		for (int k = 0; k < RXS_F_NR; k++)
			fprintf(f, "rxscope_funnel_packets_total{%s,cpu=\"%d\",hook=\"%s\"} %llu\n",
				lbl, r->cpus[i].cpu, rxs_funnel_name(k),
				(unsigned long long)r->cpus[i].bpf.pkts[k]);

	header(f, "rxscope_drops_total", "counter",
	       "Followed packets freed by kfree_skb, by the kernel's drop reason.");
	for (int i = 0; i < RXS_MAX_DROP_REASONS; i++) {
		if (!r->drop_reasons[i])
			continue;
		fprintf(f, "rxscope_drops_total{%s,reason=\"", lbl);
		if (r->drop_reason_names[i][0])
			label(f, r->drop_reason_names[i]);
		else
			fprintf(f, "%d", i);
		fprintf(f, "\"} %llu\n", (unsigned long long)r->drop_reasons[i]);
	}
	header(f, "rxscope_tracking_swept_total", "counter",
	       "Followed packets whose end no hook saw, removed from the tracking map.");
	fprintf(f, "rxscope_tracking_swept_total{%s} %llu\n", lbl,
		(unsigned long long)r->tracking_swept);

	softnet_families(f, r, "counted since rxscope serve started");

	header(f, "rxscope_bpf_stats_enabled", "gauge",
	       "1 when the kernel measures BPF run time (rxscope serve --stats).");
	fprintf(f, "rxscope_bpf_stats_enabled %d\n", x->bpf_stats ? 1 : 0);
	header(f, "rxscope_bpf_runs_total", "counter",
	       "Runs of each BPF program (counted only while BPF stats are enabled).");
	for (int i = 0; i < x->nprogs; i++)
		fprintf(f, "rxscope_bpf_runs_total{program=\"%s\"} %llu\n", x->progs[i].name,
			x->progs[i].run_cnt);
	header(f, "rxscope_bpf_run_seconds_total", "counter",
	       "Time spent in each BPF program (measured only while BPF stats are enabled).");
	for (int i = 0; i < x->nprogs; i++)
		fprintf(f, "rxscope_bpf_run_seconds_total{program=\"%s\"} %.9f\n",
			x->progs[i].name, x->progs[i].run_time_ns * 1e-9);
	header(f, "rxscope_bpf_missed_events_total", "counter",
	       "Events a BPF program missed (recursion and kprobe misses).");
	for (int i = 0; i < x->nprogs; i++)
		fprintf(f, "rxscope_bpf_missed_events_total{program=\"%s\"} %llu\n",
			x->progs[i].name, x->progs[i].missed);

	header(f, "rxscope_scrape_collect_seconds", "gauge",
	       "Time this scrape spent reading the BPF maps and /proc/net/softnet_stat.");
	fprintf(f, "rxscope_scrape_collect_seconds %.9f\n", x->collect_s);
	header(f, "rxscope_scrapes_total", "counter",
	       "GET /metrics requests answered before this one.");
	fprintf(f, "rxscope_scrapes_total %llu\n", x->scrapes);
	header(f, "rxscope_http_responses_total", "counter", "HTTP responses by status class.");
	for (int c = 2; c < 6; c++)
		fprintf(f, "rxscope_http_responses_total{code=\"%s\"} %llu\n", classes[c],
			x->http_status[c]);
	header(f, "rxscope_http_connections_total", "counter",
	       "HTTP connections: accepted, evicted (idle, to make room) and timed out.");
	fprintf(f, "rxscope_http_connections_total{event=\"accepted\"} %llu\n", x->conns_accepted);
	fprintf(f, "rxscope_http_connections_total{event=\"evicted\"} %llu\n", x->conns_evicted);
	fprintf(f, "rxscope_http_connections_total{event=\"timed_out\"} %llu\n",
		x->conns_timed_out);
	header(f, "rxscope_http_connections_open", "gauge", "HTTP connections open now.");
	fprintf(f, "rxscope_http_connections_open %d\n", x->conns_open);
	return ferror(f) ? -EIO : 0;
}
