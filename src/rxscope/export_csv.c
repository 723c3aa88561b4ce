// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * export_csv.c - the CSV form of a recording: one row per stage and non-empty bucket,
 * with the bucket's bounds and the running total (docs/format.md).
 */
#include <errno.h>
#include <inttypes.h>
#include "export_csv.h"
#include "hist.h"
#include "split.h"

/*
 * Hooks are written by us ("tp_btf:napi_gro_receive_entry>tp_btf:netif_receive_skb"), but
 * quote defensively.
 */
static void csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int rxs_csv_write(FILE *f, const struct rxs_recording *r)
{
	/* --by: a last column names the group; the whole-path rows say "all" */
	fprintf(f, "stage,unit,hook,available,slot,lower,upper,count,cumulative%s%s\n",
		r->split ? "," : "", r->split ? rxs_by_name(r->split->by) : "");
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage *s = &r->stages[i];
		__u64 cum = 0;

		for (int b = 0; b < (int)RXS_HIST_BUCKETS; b++) {
			__u64 hi;

			if (!s->hist.slots[b])
				continue;
			cum += s->hist.slots[b];
			/* upper is inclusive; the open-ended last bucket ends at max */
			hi = b == (int)RXS_HIST_BUCKETS - 1 ? s->hist.max
							   : rxs_hist_slot_hi(b) - 1;
			fprintf(f, "%s,%s,", s->name, s->unit);
			csv_str(f, s->hook);
			fprintf(f, ",%d,%d,%llu,%llu,%llu,%llu%s\n", s->available ? 1 : 0, b,
				(unsigned long long)rxs_hist_slot_lo(b), (unsigned long long)hi,
				(unsigned long long)s->hist.slots[b], (unsigned long long)cum,
				r->split ? ",all" : "");
		}
	}
	rxs_split_csv(f, r);
	/* the failed write's errno (ENOSPC, EROFS...) says more than EIO */
	return ferror(f) ? (errno ? -errno : -EIO) : 0;
}
