// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_compare.c - `rxscope compare`'s inputs. Input layout: 4 option bytes, then JSON
 * recordings separated by NUL bytes. Option byte 0 picks the quantile, 1 the output
 * format and --min-count, 2 how many recordings form the baseline (the rest are the new
 * side), 3 whether each side is given as a directory of runs, a comma list or one file.
 * The files live in a fresh directory per input. Both sides are loaded, compared and
 * printed in the chosen format; a verdict must be one of the known ones.
 */
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "compare.h"

#define MAX_RUNS 6

static char root[64];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static void put(const char *path, const uint8_t *d, size_t n)
{
	FILE *f = fopen(path, "w");

	FUZZ_CHECK(f, "create %s", path);
	if (n)
		fwrite(d, 1, n, f);
	fclose(f);
}

/* side = directory @dir of the runs, or a comma list of them, or the one file */
static void side_spec(char *spec, size_t len, const char *dir, int first, int n, int mode)
{
	size_t o = 0;

	if (mode == 0 || n == 0) {
		snprintf(spec, len, "%s", dir);
		return;
	}
	spec[0] = '\0';
	for (int i = 0; i < n && o < len; i++)
		o += snprintf(spec + o, len - o, "%s%s/r%d.json", i ? "," : "", dir, first + i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999, 0.75, 0.9999 };
	static const enum rxs_cmp_format fmts[] = { RXS_CMP_TEXT, RXS_CMP_JSON,
						    RXS_CMP_JUNIT, RXS_CMP_MARKDOWN };
	char bdir[96], ndir[96], bspec[1024], nspec[1024], path[128], err[512];
	struct rxs_cmp_side b, n;
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	const uint8_t *p, *end;
	int nruns = 0, nbase;

	if (size < 4)
		return 0;
	if (!root[0]) {
		snprintf(root, sizeof(root), "/dev/shm/rxs-fuzz-compare.%d", (int)getpid());
		mkdir(root, 0700);
	}
	snprintf(bdir, sizeof(bdir), "%s/base", root);
	snprintf(ndir, sizeof(ndir), "%s/new", root);
	nftw(bdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	nftw(ndir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	FUZZ_CHECK(!mkdir(bdir, 0700) && !mkdir(ndir, 0700), "mkdir: %s", strerror(errno));

	rxs_compare_opts_init(&o);
	o.quantile = qs[data[0] % 6];
	o.format = fmts[data[1] & 3];
	o.min_count = 1 + (data[1] >> 2) * 4;
	o.bootstrap_iters = 50;		/* keeps an input fast; the method is the same */
	p = data + 4;
	end = data + size;
	for (const uint8_t *q = p; nruns < MAX_RUNS; nruns++) {
		const uint8_t *nul = memchr(q, 0, end - q);

		if (!nul) {
			nruns++;
			break;
		}
		q = nul + 1;
	}
	if (nruns < 2)
		return 0;
	nbase = 1 + (data[2] & 3);
	if (nbase >= nruns)
		nbase = nruns - 1;
	for (int i = 0; i < nruns; i++) {
		const uint8_t *nul = memchr(p, 0, end - p);
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);

		snprintf(path, sizeof(path), "%s/r%d.json", i < nbase ? bdir : ndir, i);
		put(path, p, len);
		p = nul ? nul + 1 : end;
	}
	side_spec(bspec, sizeof(bspec), bdir, 0, nbase, data[3] & 1);
	side_spec(nspec, sizeof(nspec), ndir, nbase, nruns - nbase, (data[3] >> 1) & 1);

	memset(&b, 0, sizeof(b));
	memset(&n, 0, sizeof(n));
	if (rxs_cmp_side_load(bspec, &b, err, sizeof(err)) == 0 &&
	    rxs_cmp_side_load(nspec, &n, err, sizeof(err)) == 0 &&
	    rxs_compare(&b, &n, &o, &res, err, sizeof(err)) == 0) {
		for (int i = 0; i < res.nstages; i++)
			FUZZ_CHECK(res.stages[i].verdict <= RXS_V_NO_DATA, "verdict");
		rxs_compare_print(fuzz_null(), &b, &n, &o, &res);
	}
	rxs_cmp_side_free(&b);
	rxs_cmp_side_free(&n);
	return 0;
}
