/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * synth.h - synthetic recordings for the data-side unit tests: every stage filled from a
 * seeded random distribution, with per-CPU counters and softnet deltas.
 */
#ifndef RXS_TEST_SYNTH_H
#define RXS_TEST_SYNTH_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "export.h"
#include "hist.h"

struct synth_rng {
	__u64 s;
};

static inline __u64 synth_next(struct synth_rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static inline double synth_unit(struct synth_rng *r)
{
	return ((synth_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* a log-normal value with median @median and shape @sigma */
static inline __u64 synth_lognormal(struct synth_rng *r, double median, double sigma)
{
	double u = synth_unit(r), z;

	z = sqrt(-2 * log(u)) * cos(2 * M_PI * synth_unit(r));
	return (__u64)(median * exp(sigma * z));
}

/*
 * A recording of @ncpus CPUs where stage i has @n events whose median is
 * (1000 + 300 * i) ns times @scale[i] (scale NULL: 1), seeded by @seed.
 */
static inline void synth_recording(struct rxs_recording *r, int ncpus, __u64 n,
				   const double *scale, __u64 seed)
{
	struct synth_rng g = { seed * 2654435761ULL + 88172645463325252ULL };

	rxs_recording_init(r, ncpus);
	snprintf(r->kernel, sizeof(r->kernel), "6.12.57+deb12-amd64");
	snprintf(r->driver, sizeof(r->driver), "rxscope_igb");
	snprintf(r->dev, sizeof(r->dev), "eth0");
	r->port = 9000;
	r->duration_s = 10.5;
	r->start_unix = 1763788800;
	for (int i = 0; i < RXS_H_NR; i++) {
		struct rxs_stage *s = &r->stages[i];
		double med = (1000.0 + 300.0 * i) * (scale ? scale[i] : 1.0);

		snprintf(s->hook, sizeof(s->hook), "tracepoint:test:stage%d", i);
		s->available = true;
		for (__u64 k = 0; k < n; k++) {
			if (!strcmp(rxs_stage_unit(i), "packets"))
				rxs_hist_add(&s->hist, 1 + synth_next(&g) % 64);
			else
				rxs_hist_add(&s->hist, synth_lognormal(&g, med, 0.5));
		}
	}
	for (int c = 0; c < ncpus; c++) {
		struct rxs_cpu_stat *cs = &r->cpus[c];

		cs->bpf.hardirqs = 100 + c;
		cs->bpf.netrx_raised = 100 + c;
		cs->bpf.netrx_runs_inline = 90;
		cs->bpf.netrx_runs_ksoftirqd = 10 + c;
		cs->bpf.polls = 120;
		cs->bpf.polls_budget_exhausted = 3;
		for (int k = 0; k < RXS_F_NR; k++)
			cs->bpf.pkts[k] = 5000 - 10 * k + c;
		cs->bpf.drops = 7;
		cs->bpf.track_evictions = 1;
		cs->bpf.unmatched = 2;
		cs->softnet_ncols = 15;
		for (int k = 0; k < 15; k++)
			cs->softnet[k] = 0;
		cs->softnet[0] = 5000 + c;
		cs->softnet[2] = 4;
		cs->softnet[12] = c;
	}
	r->drop_reasons[2] = 5;
	snprintf(r->drop_reason_names[2], sizeof(r->drop_reason_names[2]), "NOT_SPECIFIED");
	r->drop_reasons[RXS_MAX_DROP_REASONS - 1] = 9;
	r->drop_reason_names[RXS_MAX_DROP_REASONS - 1][0] = '\0';
	r->tracking_swept = 7;
}

#endif /* RXS_TEST_SYNTH_H */
