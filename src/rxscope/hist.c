// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hist.c - userspace histogram math: bucket bounds (the inverse of rxs_hist_slot()),
 * merging per-CPU copies, quantiles, bar charts, and the stage name/unit table.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "hist.h"

#define RXS_UNIT_NS "ns"
#define RXS_UNIT_PACKETS "packets"

static const struct rxs_stage_def stage_defs[RXS_H_NR] = {
#define STAGE_DEF(id, nm, un, f, fe, t, te, pp, rk)					\
	[RXS_H_##id] = { .name = nm, .unit = RXS_UNIT_##un, .from = RXS_P_##f,		\
			 .from_end = fe, .to = RXS_P_##t, .to_end = te, .per_packet = pp,	\
			 .rank = rk },
	RXS_STAGES(STAGE_DEF)
#undef STAGE_DEF
};

const struct rxs_stage_def *rxs_stage_def(enum rxs_hist_id id)
{
	return &stage_defs[id];
}

enum rxs_hist_id rxs_stage_at_rank(int rank)
{
	for (int i = 0; i < RXS_H_NR; i++)
		if (stage_defs[i].rank == rank)
			return i;
	return rank;	/* a table without that rank: file order */
}

const char *rxs_stage_name(enum rxs_hist_id id)
{
	if ((int)id < 0 || id >= RXS_H_NR)
		return "?";
	return stage_defs[id].name;
}

const char *rxs_stage_unit(enum rxs_hist_id id)
{
	if ((int)id < 0 || id >= RXS_H_NR)
		return "?";
	return stage_defs[id].unit;
}

static const struct {
	const char *name;
	enum rxs_point point;
} funnel_defs[RXS_F_NR] = {
#define FUNNEL_DEF(id, nm, pt) [RXS_F_##id] = { nm, RXS_P_##pt },
	RXS_FUNNEL(FUNNEL_DEF)
#undef FUNNEL_DEF
};

const char *rxs_funnel_name(enum rxs_funnel id)
{
	if ((int)id < 0 || id >= RXS_F_NR)
		return "?";
	return funnel_defs[id].name;
}

enum rxs_point rxs_funnel_point(enum rxs_funnel id)
{
	return funnel_defs[id].point;
}

const struct rxs_counter_def rxs_counter_defs[] = {
#define COUNTER_DEF(field, req, hl) { #field, hl, req, offsetof(struct rxs_cpu_counters, field) },
	RXS_COUNTERS(COUNTER_DEF)
#undef COUNTER_DEF
};
const int rxs_counter_count = sizeof(rxs_counter_defs) / sizeof(rxs_counter_defs[0]);

__u64 rxs_counter_get(const struct rxs_cpu_counters *c, const struct rxs_counter_def *d)
{
	return *(const __u64 *)((const char *)c + d->off);
}

__u64 *rxs_counter_ptr(struct rxs_cpu_counters *c, const struct rxs_counter_def *d)
{
	return (__u64 *)((char *)c + d->off);
}

int rxs_stage_from_name(const char *name)
{
	for (int i = 0; i < RXS_H_NR; i++)
		if (strcmp(stage_defs[i].name, name) == 0)
			return i;
	return -1;
}

__u64 rxs_hist_slot_lo(__u32 slot)
{
	__u32 e, sub;

	if (slot < RXS_HIST_SUBS)
		return slot;
	if (slot >= RXS_HIST_BUCKETS)
		slot = RXS_HIST_BUCKETS - 1;
	/* inverse of: slot = (e - SUB_BITS + 1) * SUBS + sub */
	e = slot / RXS_HIST_SUBS + RXS_HIST_SUB_BITS - 1;
	sub = slot % RXS_HIST_SUBS;
	return (1ULL << e) + ((__u64)sub << (e - RXS_HIST_SUB_BITS));
}

__u64 rxs_hist_slot_hi(__u32 slot)
{
	if (slot >= RXS_HIST_BUCKETS - 1)
		return UINT64_MAX;
	return rxs_hist_slot_lo(slot + 1);
}

void rxs_hist_init(struct rxs_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void rxs_hist_add(struct rxs_hist *h, __u64 v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->slots[rxs_hist_slot(v)]++;
}

void rxs_hist_merge(struct rxs_hist *dst, const struct rxs_hist *src)
{
	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
		dst->slots[i] += src->slots[i];
}

void rxs_hist_delta(struct rxs_hist *out, const struct rxs_hist *after,
		    const struct rxs_hist *before)
{
	int first = -1, last = -1;

	rxs_hist_init(out);
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++) {
		out->slots[i] = after->slots[i] > before->slots[i] ?
				after->slots[i] - before->slots[i] : 0;
		out->count += out->slots[i];
		if (out->slots[i]) {
			if (first < 0)
				first = i;
			last = i;
		}
	}
	if (!out->count)
		return;
	out->sum = after->sum > before->sum ? after->sum - before->sum : 0;
	/* a new extreme happened in this interval and is exact; otherwise the bucket bound */
	if (!before->count || after->min < before->min)
		out->min = after->min;
	else
		out->min = rxs_hist_slot_lo(first);
	if (after->max > before->max)
		out->max = after->max;
	else if (last == (int)RXS_HIST_BUCKETS - 1)
		out->max = after->max;
	else
		out->max = rxs_hist_slot_hi(last) - 1;
	if (out->min < after->min)
		out->min = after->min;
	if (out->max > after->max)
		out->max = after->max;
	if (out->max < out->min)
		out->max = out->min;
}

__u64 rxs_hist_slot_total(const struct rxs_hist *h)
{
	__u64 n = 0;

	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
		n += h->slots[i];
	return n;
}

double rxs_hist_mean(const struct rxs_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

double rxs_hist_quantile(const struct rxs_hist *h, double q)
{
	__u64 total = rxs_hist_slot_total(h), rank, seen = 0;
	double lo, width, v;

	if (total == 0)
		return 0.0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	rank = (__u64)ceil(q * (double)total);
	/* the extremes are kept exactly */
	if (rank <= 1 && h->count)
		return (double)h->min;
	if (rank >= total && h->count)
		return (double)h->max;
	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++) {
		if (h->slots[i] == 0 || seen + h->slots[i] < rank) {
			seen += h->slots[i];
			continue;
		}
		lo = (double)rxs_hist_slot_lo(i);
		if (i == (int)RXS_HIST_BUCKETS - 1)
			width = h->max > lo ? (double)h->max - lo + 1 : 1;
		else
			width = (double)(rxs_hist_slot_hi(i) - rxs_hist_slot_lo(i));
		/* spread the bucket's values evenly over its width */
		v = lo + width * ((double)(rank - seen) - 0.5) / (double)h->slots[i];
		if (width <= 1)
			v = lo;
		if (h->count && v < (double)h->min)
			v = (double)h->min;
		if (h->count && v > (double)h->max)
			v = (double)h->max;
		return v;
	}
	return (double)h->max;
}

char *rxs_fmt_value(char *buf, size_t len, double v, const char *unit)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	int u = 0;

	if (strcmp(unit, "ns") != 0) {
		if (v == floor(v) && v < 1e15)
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.3g", v);
		return buf;
	}
	while (u < 3 && v >= 1000.0) {
		v /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f%s", v, units[u]);
	else if (v >= 100)
		snprintf(buf, len, "%.0f%s", v, units[u]);
	else if (v >= 10)
		snprintf(buf, len, "%.1f%s", v, units[u]);
	else
		snprintf(buf, len, "%.2f%s", v, units[u]);
	return buf;
}

#define BAR_WIDTH 30

/* Row r of the folded view covers [2^(r-1), 2^r) for r >= 1, and [0, 1) for r == 0. */
static __u64 row_lo(int r)
{
	return r == 0 ? 0 : 1ULL << (r - 1);
}

int rxs_hist_slot_row(int slot)
{
	__u64 lo = rxs_hist_slot_lo(slot);
	int r = 0;

	while (lo) {
		lo >>= 1;
		r++;
	}
	return r;
}

void rxs_print_hist_bars(FILE *f, const struct rxs_hist *h, const char *unit, bool raw)
{
	__u64 rows[RXS_HIST_MAX_EXP + 2] = { 0 }, peak = 0;
	int first = -1, last = -1;
	char lo_s[24], hi_s[24], label[64], bar[BAR_WIDTH + 1];

	for (int i = 0; i < (int)RXS_HIST_BUCKETS; i++)
		rows[rxs_hist_slot_row(i)] += h->slots[i];
	for (int r = 0; r < RXS_HIST_MAX_EXP + 2; r++) {
		if (!rows[r])
			continue;
		if (first < 0)
			first = r;
		last = r;
		if (rows[r] > peak)
			peak = rows[r];
	}
	if (first < 0) {
		fprintf(f, "%*s(no events)\n", 8, "");
		return;
	}
	if (raw)
		fprintf(f, "%30s : %-11s %s\n", unit, "count", "distribution");
	else
		fprintf(f, "%30s : %-11s %s\n", strcmp(unit, "ns") ? unit : "latency", "count",
			"distribution");
	for (int r = first; r <= last; r++) {
		int n = (int)((rows[r] * BAR_WIDTH + peak - 1) / peak);

		memset(bar, '*', n);
		bar[n] = '\0';
		if (raw) {
			snprintf(lo_s, sizeof(lo_s), "%llu", (unsigned long long)row_lo(r));
			if (r >= RXS_HIST_MAX_EXP)
				snprintf(hi_s, sizeof(hi_s), "inf");
			else
				snprintf(hi_s, sizeof(hi_s), "%llu",
					 (unsigned long long)(row_lo(r + 1) - 1));
			snprintf(label, sizeof(label), "%13s -> %-13s", lo_s, hi_s);
		} else {
			rxs_fmt_value(lo_s, sizeof(lo_s), (double)row_lo(r), unit);
			if (r >= RXS_HIST_MAX_EXP)
				snprintf(hi_s, sizeof(hi_s), "inf");
			else
				rxs_fmt_value(hi_s, sizeof(hi_s), (double)row_lo(r + 1), unit);
			snprintf(label, sizeof(label), "[%s, %s)", lo_s, hi_s);
		}
		fprintf(f, "%30s : %-11llu |%-*s|\n", label, (unsigned long long)rows[r],
			BAR_WIDTH, bar);
	}
}
