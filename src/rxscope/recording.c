// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * recording.c - life cycle of struct rxs_recording: an empty recording with every stage
 * named, freeing what it owns, the time series (deltas per interval, bounded), and the
 * difference of two readings of one session.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "recording.h"
#include "softnet.h"
#include "split.h"

void rxs_recording_init(struct rxs_recording *r, int ncpus)
{
	memset(r, 0, sizeof(*r));
	if (ncpus < 0)
		ncpus = 0;
	if (ncpus > RXS_MAX_CPUS)
		ncpus = RXS_MAX_CPUS;
	for (int i = 0; i < RXS_H_NR; i++) {
		snprintf(r->stages[i].name, sizeof(r->stages[i].name), "%s", rxs_stage_name(i));
		snprintf(r->stages[i].unit, sizeof(r->stages[i].unit), "%s", rxs_stage_unit(i));
	}
	r->sample_pct = 100;
	r->ncpus = ncpus;
	if (ncpus > 0) {
		r->cpus = calloc(ncpus, sizeof(*r->cpus));
		if (!r->cpus) {
			r->ncpus = 0;
			return;
		}
	}
	for (int i = 0; i < r->ncpus; i++)
		r->cpus[i].cpu = i;
}

void rxs_recording_free(struct rxs_recording *r)
{
	free(r->cpus);
	r->cpus = NULL;
	r->ncpus = 0;
	rxs_series_free(r);
	rxs_split_free(r);
	free(r->slow);
	r->slow = NULL;
}

/* the BPF counters as an array of __u64, for adding and subtracting field by field */
#define N_CNT (sizeof(struct rxs_cpu_counters) / sizeof(__u64))
_Static_assert(sizeof(struct rxs_cpu_counters) % sizeof(__u64) == 0, "counters are u64s");

static void cnt_add(struct rxs_cpu_counters *dst, const struct rxs_cpu_counters *src)
{
	__u64 *d = (__u64 *)dst;
	const __u64 *s = (const __u64 *)src;

	for (size_t i = 0; i < N_CNT; i++)
		d[i] += s[i];
}

static __u64 sub0(__u64 a, __u64 b)
{
	return a > b ? a - b : 0;
}

void rxs_interval_from(struct rxs_interval *out, const struct rxs_recording *r)
{
	memset(out, 0, sizeof(*out));
	out->t_s = r->duration_s;
	out->dur_s = r->duration_s;
	for (int i = 0; i < RXS_H_NR; i++)
		out->hist[i] = r->stages[i].hist;
	for (int c = 0; c < r->ncpus; c++) {
		const struct rxs_cpu_stat *cs = &r->cpus[c];

		cnt_add(&out->bpf, &cs->bpf);
		if (cs->softnet_ncols > RXS_SN_TIME_SQUEEZE) {
			out->sn_processed += cs->softnet[RXS_SN_PROCESSED];
			out->sn_dropped += cs->softnet[RXS_SN_DROPPED];
			out->sn_time_squeeze += cs->softnet[RXS_SN_TIME_SQUEEZE];
		}
	}
}

void rxs_interval_delta(struct rxs_interval *out, const struct rxs_interval *after,
			const struct rxs_interval *before)
{
	__u64 *d = (__u64 *)&out->bpf;
	const __u64 *a = (const __u64 *)&after->bpf, *b = (const __u64 *)&before->bpf;

	out->t_s = after->t_s;
	out->dur_s = after->t_s > before->t_s ? after->t_s - before->t_s : 0;
	for (int i = 0; i < RXS_H_NR; i++)
		rxs_hist_delta(&out->hist[i], &after->hist[i], &before->hist[i]);
	for (size_t i = 0; i < N_CNT; i++)
		d[i] = sub0(a[i], b[i]);
	out->sn_processed = sub0(after->sn_processed, before->sn_processed);
	out->sn_dropped = sub0(after->sn_dropped, before->sn_dropped);
	out->sn_time_squeeze = sub0(after->sn_time_squeeze, before->sn_time_squeeze);
}

void rxs_interval_merge(struct rxs_interval *dst, const struct rxs_interval *src)
{
	double start = dst->t_s - dst->dur_s, s2 = src->t_s - src->dur_s;

	if (s2 < start)
		start = s2;
	if (src->t_s > dst->t_s)
		dst->t_s = src->t_s;
	dst->dur_s = dst->t_s - start;
	for (int i = 0; i < RXS_H_NR; i++)
		rxs_hist_merge(&dst->hist[i], &src->hist[i]);
	cnt_add(&dst->bpf, &src->bpf);
	dst->sn_processed += src->sn_processed;
	dst->sn_dropped += src->sn_dropped;
	dst->sn_time_squeeze += src->sn_time_squeeze;
}

int rxs_series_append(struct rxs_recording *r, const struct rxs_interval *iv)
{
	if (r->nseries >= RXS_SERIES_MAX) {
		int n = 0;

		for (int i = 0; i + 1 < r->nseries; i += 2, n++) {
			r->series[n] = r->series[i];
			rxs_interval_merge(&r->series[n], &r->series[i + 1]);
		}
		if (r->nseries % 2)
			r->series[n++] = r->series[r->nseries - 1];
		r->nseries = n;
	}
	/* the capacity doubles whenever nseries reaches a power of two */
	if (!(r->nseries & (r->nseries - 1))) {
		int cap = r->nseries ? 2 * r->nseries : 1;
		struct rxs_interval *p;

		if (cap > RXS_SERIES_MAX)
			cap = RXS_SERIES_MAX;
		p = realloc(r->series, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		r->series = p;
	}
	r->series[r->nseries++] = *iv;
	return 0;
}

void rxs_series_free(struct rxs_recording *r)
{
	free(r->series);
	r->series = NULL;
	r->nseries = 0;
}

int rxs_recording_delta(struct rxs_recording *out, const struct rxs_recording *now,
			const struct rxs_recording *before)
{
	int ncpus = now->ncpus;

	rxs_recording_init(out, ncpus);
	if (out->ncpus != ncpus)
		return -ENOMEM;
	memcpy(out->kernel, now->kernel, sizeof(out->kernel));
	memcpy(out->driver, now->driver, sizeof(out->driver));
	memcpy(out->dev, now->dev, sizeof(out->dev));
	memcpy(out->drop_reason_names, now->drop_reason_names, sizeof(out->drop_reason_names));
	out->port = now->port;
	out->sample_pct = now->sample_pct;
	out->duration_s = now->duration_s - before->duration_s;
	if (out->duration_s < 0)
		out->duration_s = 0;
	out->start_unix = before->start_unix + (long long)before->duration_s;
	out->tracking_swept = sub0(now->tracking_swept, before->tracking_swept);
	for (int i = 0; i < RXS_H_NR; i++) {
		struct rxs_stage *o = &out->stages[i];

		memcpy(o->name, now->stages[i].name, sizeof(o->name));
		memcpy(o->unit, now->stages[i].unit, sizeof(o->unit));
		memcpy(o->hook, now->stages[i].hook, sizeof(o->hook));
		o->available = now->stages[i].available;
		rxs_hist_delta(&o->hist, &now->stages[i].hist, &before->stages[i].hist);
	}
	for (int i = 0; i < RXS_MAX_DROP_REASONS; i++)
		out->drop_reasons[i] = sub0(now->drop_reasons[i], before->drop_reasons[i]);
	for (int i = 0; i < ncpus; i++) {
		const struct rxs_cpu_stat *a = &now->cpus[i];
		const struct rxs_cpu_stat *b = i < before->ncpus ? &before->cpus[i] : NULL;
		const __u64 *av = (const __u64 *)&a->bpf, *bv = b ? (const __u64 *)&b->bpf : NULL;
		struct rxs_cpu_stat *o = &out->cpus[i];
		__u64 *ov = (__u64 *)&o->bpf;

		_Static_assert(sizeof(o->bpf) % sizeof(__u64) == 0, "counters are u64");
		o->cpu = a->cpu;
		for (size_t k = 0; k < sizeof(o->bpf) / sizeof(__u64); k++)
			ov[k] = sub0(av[k], bv ? bv[k] : 0);
		o->softnet_ncols = a->softnet_ncols;
		for (int c = 0; c < a->softnet_ncols; c++) {
			bool counter = rxs_softnet_col_is_counter(c);

			/* counters are u32 in the kernel: subtract modulo 2^32 */
			o->softnet[c] = counter && b && c < b->softnet_ncols ?
					(a->softnet[c] - b->softnet[c]) & 0xffffffffULL :
					a->softnet[c];
		}
	}
	return rxs_split_delta(out, now, before);
}
