// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_prom.c - the Prometheus text exposition of a recording, for node_exporter's
 * textfile collector: latency histograms in seconds with power-of-two `le` bounds,
 * packets-per-poll as its own histogram, per-CPU counters as _total (docs/format.md).
 */
#include <errno.h>
#include <string.h>
#include "export.h"
#include "hist.h"
#include "softnet.h"

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

#define CPU_COUNTER(f, r, name, help, field)						\
	do {										\
		header(f, "rxscope_cpu_" name "_total", "counter", help);		\
		for (int _i = 0; _i < (r)->ncpus; _i++)					\
			fprintf(f, "rxscope_cpu_" name "_total{cpu=\"%d\"} %llu\n",	\
				(r)->cpus[_i].cpu,					\
				(unsigned long long)(r)->cpus[_i].bpf.field);		\
	} while (0)

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
	header(f, "rxscope_stage_packets", "histogram", "Packets handled per NAPI poll.");
	for (int i = 0; i < RXS_H_NR; i++)
		if (strcmp(r->stages[i].unit, "ns") != 0)
			prom_hist(f, "rxscope_stage_packets", &r->stages[i], 1.0);

	CPU_COUNTER(f, r, "hardirqs", "Driver interrupt handler runs.", hardirqs);
	CPU_COUNTER(f, r, "netrx_raised", "NET_RX softirqs raised.", netrx_raised);
	CPU_COUNTER(f, r, "netrx_runs_inline", "NET_RX softirq runs on irq exit.",
		    netrx_runs_inline);
	CPU_COUNTER(f, r, "netrx_runs_ksoftirqd", "NET_RX softirq runs in ksoftirqd.",
		    netrx_runs_ksoftirqd);
	CPU_COUNTER(f, r, "polls", "NAPI poll calls.", polls);
	CPU_COUNTER(f, r, "polls_budget_exhausted", "NAPI polls that used their whole budget.",
		    polls_budget_exhausted);
	CPU_COUNTER(f, r, "drops", "Followed packets freed by kfree_skb.", drops);
	CPU_COUNTER(f, r, "track_evictions", "Followed packets lost to a full map.",
		    track_evictions);
	CPU_COUNTER(f, r, "unmatched", "Events with no matching start.", unmatched);

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
	for (int col = 0; col < RXS_SOFTNET_MAX_COLS; col++) {
		bool any = false;

		for (int i = 0; i < r->ncpus; i++)
			if (col < r->cpus[i].softnet_ncols)
				any = true;
		if (!any || !rxs_softnet_col_is_counter(col))
			continue;
		fprintf(f, "# HELP rxscope_softnet_%s_total /proc/net/softnet_stat column %d, "
			"change over the recording.\n", rxs_softnet_col_name(col), col);
		fprintf(f, "# TYPE rxscope_softnet_%s_total counter\n", rxs_softnet_col_name(col));
		for (int i = 0; i < r->ncpus; i++)
			if (col < r->cpus[i].softnet_ncols)
				fprintf(f, "rxscope_softnet_%s_total{cpu=\"%d\"} %llu\n",
					rxs_softnet_col_name(col), r->cpus[i].cpu,
					(unsigned long long)r->cpus[i].softnet[col]);
	}
	return ferror(f) ? -EIO : 0;
}
