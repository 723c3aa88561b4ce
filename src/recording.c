// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * recording.c - life cycle of struct rxs_recording: an empty recording with every stage
 * named, and freeing what it owns.
 */
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "recording.h"

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
}
