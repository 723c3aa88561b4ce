// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * split.c - `--by queue` / `--by cpu`: the per-packet stages split by RX queue or CPU.
 * Collecting the BPF maps, deltas, the report's tables, CSV rows, Prometheus families
 * (docs/usage.md, docs/format.md, docs/prometheus.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "export.h"
#include "export_prom.h"
#include "hist.h"
#include "split.h"

const char *rxs_by_name(int by)
{
	switch (by) {
	case RXS_BY_NONE:
		return "none";
	case RXS_BY_QUEUE:
		return "queue";
	case RXS_BY_CPU:
		return "cpu";
	}
	return "?";
}

int rxs_by_parse(const char *s)
{
	if (!strcmp(s, "queue"))
		return RXS_BY_QUEUE;
	if (!strcmp(s, "cpu"))
		return RXS_BY_CPU;
	return -1;
}

char *rxs_split_group_name(int g, char *buf, size_t len)
{
	if (g == RXS_BY_OTHER)
		snprintf(buf, len, "other");
	else
		snprintf(buf, len, "%d", g);
	return buf;
}

bool rxs_split_group_used(const struct rxs_split *s, int g)
{
	if (s->pkts[g])
		return true;
	for (int i = 0; i < RXS_H_NR; i++)
		if (s->hist[g][i].count)
			return true;
	return false;
}

struct rxs_split *rxs_split_new(int by)
{
	struct rxs_split *s = calloc(1, sizeof(*s));

	if (s)
		s->by = by;
	return s;
}

void rxs_split_free(struct rxs_recording *r)
{
	free(r->split);
	r->split = NULL;
}

int rxs_split_delta(struct rxs_recording *out, const struct rxs_recording *now,
		    const struct rxs_recording *before)
{
	const struct rxs_split *a = now->split, *b = before->split;
	struct rxs_split *o;

	rxs_split_free(out);
	if (!a)
		return 0;
	o = rxs_split_new(a->by);
	if (!o)
		return -ENOMEM;
	for (int g = 0; g < RXS_BY_GROUPS; g++) {
		__u64 pb = b ? b->pkts[g] : 0;

		o->pkts[g] = a->pkts[g] > pb ? a->pkts[g] - pb : 0;
		for (int i = 0; i < RXS_H_NR; i++) {
			if (b)
				rxs_hist_delta(&o->hist[g][i], &a->hist[g][i], &b->hist[g][i]);
			else
				o->hist[g][i] = a->hist[g][i];
		}
	}
	out->split = o;
	return 0;
}

int rxs_split_collect(struct rxs_recording *r, int by, int hist_fd, int pkts_fd, int ncpus)
{
	struct rxs_hist *h = calloc(ncpus, sizeof(*h));
	__u64 *n = calloc(ncpus, sizeof(*n));
	struct rxs_split *s = rxs_split_new(by);
	int ret = 0;

	if (!h || !n || !s) {
		ret = -ENOMEM;
		goto out;
	}
	for (__u32 g = 0; g < RXS_BY_GROUPS; g++) {
		if (bpf_map_lookup_elem(pkts_fd, &g, n)) {
			ret = -errno;
			goto out;
		}
		for (int c = 0; c < ncpus; c++)
			s->pkts[g] += n[c];
		for (int id = 0; id < RXS_H_NR; id++) {
			int ppi = rxs_pp_index(id);
			__u32 key;

			if (ppi < 0)
				continue;
			key = g * RXS_PP_NR + ppi;
			if (bpf_map_lookup_elem(hist_fd, &key, h)) {
				ret = -errno;
				goto out;
			}
			for (int c = 0; c < ncpus; c++)
				rxs_hist_merge(&s->hist[g][id], &h[c]);
		}
	}
	rxs_split_free(r);
	r->split = s;
	s = NULL;
out:
	free(s);
	free(h);
	free(n);
	return ret;
}

int rxs_split_clear(int hist_fd, int pkts_fd, int ncpus)
{
	void *zero = calloc(ncpus, sizeof(struct rxs_hist));
	int ret = 0;

	if (!zero)
		return -ENOMEM;
	for (__u32 k = 0; k < RXS_BY_GROUPS * RXS_PP_NR && !ret; k++)
		if (bpf_map_update_elem(hist_fd, &k, zero, BPF_EXIST))
			ret = -errno;
	for (__u32 k = 0; k < RXS_BY_GROUPS && !ret; k++)
		if (bpf_map_update_elem(pkts_fd, &k, zero, BPF_EXIST))
			ret = -errno;
	free(zero);
	return ret;
}

/* The column title of the group: "QUEUE" or "CPU". */
static const char *group_title(const struct rxs_split *s)
{
	return s->by == RXS_BY_QUEUE ? "QUEUE" : "CPU";
}

void rxs_split_report(FILE *f, const struct rxs_recording *r)
{
	const struct rxs_split *s = r->split;
	__u64 total = 0, most = 0;
	int used = 0;
	char g[16], v[16];

	if (!s)
		return;
	for (int i = 0; i < RXS_BY_GROUPS; i++) {
		total += s->pkts[i];
		if (s->pkts[i] > most)
			most = s->pkts[i];
		used += s->pkts[i] > 0;
	}
	/* within 100 columns, as trace's tables */
	fprintf(f, "by %s: packets followed per %s\n", rxs_by_name(s->by),
		s->by == RXS_BY_QUEUE ? "RX queue (other: queue >= 16, or none recorded)" :
		"CPU where each was first seen (other: CPU >= 16)");
	fprintf(f, "%-6s %10s %7s\n", group_title(s), "PACKETS", "SHARE");
	for (int i = 0; i < RXS_BY_GROUPS; i++) {
		int bar;

		if (!rxs_split_group_used(s, i))
			continue;
		bar = most ? (int)(40 * s->pkts[i] / most) : 0;
		fprintf(f, "%-6s %10llu %6.1f%%  %.*s\n", rxs_split_group_name(i, g, sizeof(g)),
			(unsigned long long)s->pkts[i],
			total ? 100.0 * (double)s->pkts[i] / (double)total : 0.0, bar,
			"########################################");
	}
	if (used > 1)
		fprintf(f, "spread: %d %ss; the busiest has %.1f%% of the packets (even: %.1f%%)\n",
			used, rxs_by_name(s->by), 100.0 * (double)most / (double)total,
			100.0 / used);
	fprintf(f, "\nby %s: per-packet stages per %s\n", rxs_by_name(s->by),
		s->by == RXS_BY_QUEUE ? "RX queue" : "CPU that ran the stage's end");
	fprintf(f, "%-6s %-24s %10s %8s %8s\n", group_title(s), "STAGE", "COUNT", "P50", "P99");
	for (int i = 0; i < RXS_BY_GROUPS; i++) {
		if (!rxs_split_group_used(s, i))
			continue;
		rxs_split_group_name(i, g, sizeof(g));
		for (int o = 0; o < RXS_H_NR; o++) {
			int id = rxs_stage_at_rank(o);
			const struct rxs_hist *h = &s->hist[i][id];
			char p99[16];

			/* stages that saw nothing (no tap, no netfilter rule) make no rows */
			if (!rxs_stage_def(id)->per_packet || !r->stages[id].available ||
			    !r->stages[id].hist.count)
				continue;
			fprintf(f, "%-6s %-24s %10llu %8s %8s\n", g, r->stages[id].name,
				(unsigned long long)h->count,
				h->count ? rxs_fmt_value(v, sizeof(v), rxs_hist_quantile(h, 0.5),
							 r->stages[id].unit) : "-",
				h->count ? rxs_fmt_value(p99, sizeof(p99),
							 rxs_hist_quantile(h, 0.99),
							 r->stages[id].unit) : "-");
		}
	}
}

void rxs_split_csv(FILE *f, const struct rxs_recording *r)
{
	const struct rxs_split *s = r->split;
	char g[16];

	if (!s)
		return;
	for (int i = 0; i < RXS_BY_GROUPS; i++) {
		if (!rxs_split_group_used(s, i))
			continue;
		rxs_split_group_name(i, g, sizeof(g));
		for (int id = 0; id < RXS_H_NR; id++) {
			const struct rxs_stage *st = &r->stages[id];
			const struct rxs_hist *h = &s->hist[i][id];
			__u64 cum = 0;

			for (int b = 0; b < (int)RXS_HIST_BUCKETS; b++) {
				__u64 hi;

				if (!h->slots[b])
					continue;
				cum += h->slots[b];
				hi = b == (int)RXS_HIST_BUCKETS - 1 ? h->max : rxs_hist_slot_hi(b) - 1;
				fprintf(f, "%s,%s,\"", st->name, st->unit);
				for (const char *c = st->hook; *c; c++)
					fprintf(f, *c == '"' ? "\"\"" : "%c", *c);
				fprintf(f, "\",%d,%d,%llu,%llu,%llu,%llu,%s\n", st->available ? 1 : 0,
					b, (unsigned long long)rxs_hist_slot_lo(b),
					(unsigned long long)hi, (unsigned long long)h->slots[b],
					(unsigned long long)cum, g);
			}
		}
	}
}

void rxs_split_prom(FILE *f, const struct rxs_recording *r, const char *lbl, int emin,
		    int emax)
{
	const struct rxs_split *s = r->split;
	const char *by, *sep = *lbl ? "," : "";
	char metric[64], g[16];

	if (!s)
		return;
	by = rxs_by_name(s->by);
	snprintf(metric, sizeof(metric), "rxscope_packets_by_%s_total", by);
	fprintf(f, "# HELP %s Packets followed, by the %s where each was first seen.\n",
		metric, s->by == RXS_BY_QUEUE ? "RX queue" : "CPU");
	fprintf(f, "# TYPE %s counter\n", metric);
	for (int i = 0; i < RXS_BY_GROUPS; i++)
		if (rxs_split_group_used(s, i))
			fprintf(f, "%s{%s%s%s=\"%s\"} %llu\n", metric, lbl, sep, by,
				rxs_split_group_name(i, g, sizeof(g)),
				(unsigned long long)s->pkts[i]);
	snprintf(metric, sizeof(metric), "rxscope_stage_latency_by_%s_seconds", by);
	fprintf(f, "# HELP %s Per-packet stage latency, by %s.\n", metric,
		s->by == RXS_BY_QUEUE ? "RX queue" : "the CPU that ran the stage's end");
	fprintf(f, "# TYPE %s histogram\n", metric);
	for (int i = 0; i < RXS_BY_GROUPS; i++) {
		if (!rxs_split_group_used(s, i))
			continue;
		rxs_split_group_name(i, g, sizeof(g));
		for (int id = 0; id < RXS_H_NR; id++) {
			const struct rxs_hist *h = &s->hist[i][id];
			char sl[256];

			if (!rxs_stage_def(id)->per_packet || !r->stages[id].available ||
			    strcmp(r->stages[id].unit, "ns"))
				continue;
			snprintf(sl, sizeof(sl), "%s%sstage=\"%s\",%s=\"%s\"", lbl, sep,
				 r->stages[id].name, by, g);
			for (int e = emin; e <= emax; e++) {
				unsigned long long bound = (1ULL << e) - 1;

				fprintf(f, "%s_bucket{%s,le=\"%.12g\"} %llu\n", metric, sl,
					(double)bound * 1e-9, rxs_prom_cumulative(h, bound));
			}
			fprintf(f, "%s_bucket{%s,le=\"+Inf\"} %llu\n", metric, sl,
				(unsigned long long)h->count);
			fprintf(f, "%s_sum{%s} %.12g\n", metric, sl, (double)h->sum * 1e-9);
			fprintf(f, "%s_count{%s} %llu\n", metric, sl,
				(unsigned long long)h->count);
		}
	}
}
