// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_hist.c - the histogram bucket math, quantile error bound against exact sample
 * quantiles of several generated distributions, per-CPU merging, and the bar chart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "hist.h"

static __u64 rng_state = 0x9e3779b97f4a7c15ULL;

static __u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double unit_rand(void)
{
	return ((rng() >> 11) + 0.5) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* every slot's lower bound maps back to it; bounds rise; width <= lo / 8 above 8 */
static void test_slot_bounds(void **state)
{
	(void)state;
	assert_int_equal(RXS_HIST_BUCKETS, 320);
	for (__u32 s = 0; s < RXS_HIST_BUCKETS; s++) {
		__u64 lo = rxs_hist_slot_lo(s);

		assert_int_equal(rxs_hist_slot(lo), s);
		if (s > 0) {
			assert_true(lo > rxs_hist_slot_lo(s - 1));
			assert_int_equal(rxs_hist_slot(lo - 1), s - 1);
		}
		if (s < RXS_HIST_BUCKETS - 1) {
			__u64 hi = rxs_hist_slot_hi(s);

			assert_int_equal(rxs_hist_slot(hi - 1), s);
			if (lo >= RXS_HIST_SUBS)
				assert_true((hi - lo) * 8 <= lo);
			else
				assert_int_equal(hi - lo, 1);
		}
	}
	assert_int_equal(rxs_hist_slot(0), 0);
	assert_int_equal(rxs_hist_slot(7), 7);
	assert_int_equal(rxs_hist_slot(8), 8);
	assert_int_equal(rxs_hist_slot(16), 16);
	assert_int_equal(rxs_hist_slot(17), 16);
	assert_int_equal(rxs_hist_slot(1ULL << 42), RXS_HIST_BUCKETS - 1);
	assert_int_equal(rxs_hist_slot(UINT64_MAX), RXS_HIST_BUCKETS - 1);
	assert_true(rxs_hist_slot_hi(RXS_HIST_BUCKETS - 1) == UINT64_MAX);
}

/* random values: rxs_hist_slot(v) is the one slot whose [lo, hi) holds v */
static void test_slot_random(void **state)
{
	(void)state;
	for (int i = 0; i < 200000; i++) {
		__u64 v = rng() >> (rng() % 64);
		__u32 s = rxs_hist_slot(v);

		assert_true(s < RXS_HIST_BUCKETS);
		assert_true(rxs_hist_slot_lo(s) <= v);
		if (s < RXS_HIST_BUCKETS - 1)
			assert_true(v < rxs_hist_slot_hi(s));
	}
}

enum dist { D_UNIFORM, D_EXP, D_LOGNORMAL, D_BIMODAL, D_CONST, D_SMALL, D_PARETO };

static __u64 draw(enum dist d)
{
	double u = unit_rand(), z;

	switch (d) {
	case D_UNIFORM:
		return 1000 + rng() % 99000;
	case D_EXP:
		return (__u64)(-log(u) * 20000.0);
	case D_LOGNORMAL:
		/* Box-Muller normal, exp() of it around 50 us */
		z = sqrt(-2 * log(u)) * cos(2 * M_PI * unit_rand());
		return (__u64)exp(log(50000.0) + 0.8 * z);
	case D_BIMODAL:
		return rng() % 10 ? 3000 + rng() % 500 : 2000000 + rng() % 400000;
	case D_CONST:
		return 12345;
	case D_SMALL:
		return rng() % 70;
	case D_PARETO:
		return (__u64)(1000.0 / pow(u, 1 / 1.2));
	}
	return 0;
}

static void check_dist(enum dist d, size_t n)
{
	static const double qs[] = { 0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1.0 };
	__u64 *v = calloc(n, sizeof(*v));
	struct rxs_hist h;

	assert_non_null(v);
	rxs_hist_init(&h);
	for (size_t i = 0; i < n; i++) {
		v[i] = draw(d);
		rxs_hist_add(&h, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(h.count, n);
	assert_int_equal(h.min, v[0]);
	assert_int_equal(h.max, v[n - 1]);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		size_t rank = (size_t)ceil(qs[i] * n);
		double exact, est;

		if (rank < 1)
			rank = 1;
		exact = (double)v[rank - 1];
		est = rxs_hist_quantile(&h, qs[i]);
		if (fabs(est - exact) > exact / 8.0) {
			fail_msg("dist %d q=%g: estimate %.1f vs exact %.1f (err %.3f)",
				 d, qs[i], est, exact, fabs(est - exact) / exact);
		}
	}
	/* the extremes are exact: min and max are kept */
	assert_true(rxs_hist_quantile(&h, 1.0) == (double)v[n - 1]);
	assert_true(rxs_hist_quantile(&h, 0.0) == (double)v[0]);
	free(v);
}

static void test_quantiles(void **state)
{
	(void)state;
	for (enum dist d = D_UNIFORM; d <= D_PARETO; d++) {
		check_dist(d, 100000);
		check_dist(d, 37);
		check_dist(d, 1);
	}
}

static void test_quantile_empty(void **state)
{
	struct rxs_hist h;

	(void)state;
	rxs_hist_init(&h);
	assert_true(rxs_hist_quantile(&h, 0.5) == 0.0);
	assert_true(rxs_hist_mean(&h) == 0.0);
}

/* splitting samples over CPUs and merging gives exactly the single-CPU histogram */
static void test_merge(void **state)
{
	enum { NCPU = 4 };
	struct rxs_hist all, cpu[NCPU], merged;

	(void)state;
	rxs_hist_init(&all);
	rxs_hist_init(&merged);
	for (int c = 0; c < NCPU; c++)
		rxs_hist_init(&cpu[c]);
	for (int i = 0; i < 50000; i++) {
		__u64 v = draw(D_LOGNORMAL);

		rxs_hist_add(&all, v);
		/* CPU 3 stays empty: an idle CPU must not reset min */
		rxs_hist_add(&cpu[rng() % 3], v);
	}
	for (int c = 0; c < NCPU; c++)
		rxs_hist_merge(&merged, &cpu[c]);
	assert_memory_equal(&all, &merged, sizeof(all));
	assert_int_equal(rxs_hist_slot_total(&merged), 50000);

	/* merging into a non-empty histogram whose min is larger */
	struct rxs_hist a, b;

	rxs_hist_init(&a);
	rxs_hist_init(&b);
	rxs_hist_add(&a, 500);
	rxs_hist_add(&b, 7);
	rxs_hist_add(&b, 90000);
	rxs_hist_merge(&a, &b);
	assert_int_equal(a.min, 7);
	assert_int_equal(a.max, 90000);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.sum, 90507);
}

/* a delta of two snapshots equals the histogram of what was added between them */
static void test_delta(void **state)
{
	struct rxs_hist before, after, added, d;

	(void)state;
	rxs_hist_init(&before);
	rxs_hist_init(&added);
	for (int i = 0; i < 1000; i++)
		rxs_hist_add(&before, 100 + rng() % 5000);
	after = before;
	for (int i = 0; i < 300; i++) {
		__u64 v = 200 + rng() % 3000;

		rxs_hist_add(&after, v);
		rxs_hist_add(&added, v);
	}
	rxs_hist_delta(&d, &after, &before);
	assert_int_equal(d.count, 300);
	assert_int_equal(d.sum, added.sum);
	assert_memory_equal(d.slots, added.slots, sizeof(d.slots));
	assert_int_equal(rxs_hist_slot_total(&d), d.count);
	/* extremes inside the old range: bucket bounds, in the same buckets as the exact ones */
	assert_int_equal(rxs_hist_slot(d.min), rxs_hist_slot(added.min));
	assert_int_equal(rxs_hist_slot(d.max), rxs_hist_slot(added.max));
	assert_true(d.min <= added.min && d.max >= added.max);

	/* a new maximum and minimum are exact */
	rxs_hist_add(&after, 1000000);
	rxs_hist_add(&after, 3);
	rxs_hist_delta(&d, &after, &before);
	assert_int_equal(d.count, 302);
	assert_int_equal(d.max, 1000000);
	assert_int_equal(d.min, 3);

	/* nothing added: empty, all zero */
	rxs_hist_delta(&d, &before, &before);
	assert_int_equal(d.count, 0);
	assert_int_equal(d.sum, 0);
	assert_int_equal(d.min, 0);
	assert_int_equal(d.max, 0);

	/* from an empty start: the whole histogram */
	rxs_hist_init(&d);
	rxs_hist_delta(&added, &before, &d);
	assert_memory_equal(&added, &before, sizeof(added));
}

static void test_bars(void **state)
{
	struct rxs_hist h;
	char *buf = NULL, *line, *save;
	size_t len = 0;
	unsigned long long total = 0;
	int rows = 0;
	FILE *f;

	(void)state;
	rxs_hist_init(&h);
	for (int i = 0; i < 10000; i++)
		rxs_hist_add(&h, draw(D_BIMODAL));
	rxs_hist_add(&h, 1ULL << 50);	/* the open-ended last row */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	rxs_print_hist_bars(f, &h, "ns", true);
	fclose(f);
	assert_non_null(strstr(buf, " 2048 -> 4095 "));
	assert_non_null(strstr(buf, "-> inf"));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long lo, cnt;
		char hi[32];

		assert_true(strlen(line) <= 80);
		if (sscanf(line, " %llu -> %31s : %llu", &lo, hi, &cnt) == 3) {
			rows++;
			total += cnt;
			assert_non_null(strchr(line, '|'));
		}
	}
	assert_int_equal(total, h.count);
	/* from [2048, 4095] to the open-ended row: rows 12..42 */
	assert_int_equal(rows, 31);
	free(buf);
}

/*
 * By default the rows read in the table's units, bpftrace-style half-open ranges:
 * [2.05us, 4.10us) instead of 2048 -> 4095; packets stay plain numbers.
 */
static void test_bars_readable(void **state)
{
	struct rxs_hist h;
	char *buf = NULL, *line, *save;
	size_t len = 0;
	unsigned long long total = 0;
	int rows = 0;
	FILE *f;

	(void)state;
	rxs_hist_init(&h);
	for (int i = 0; i < 10000; i++)
		rxs_hist_add(&h, draw(D_BIMODAL));
	rxs_hist_add(&h, 1ULL << 50);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	rxs_print_hist_bars(f, &h, "ns", false);
	fclose(f);
	assert_non_null(strstr(buf, "[2.05us, 4.10us)"));
	assert_non_null(strstr(buf, "[1.05ms, 2.10ms)"));
	assert_non_null(strstr(buf, "[2199s, inf)"));
	assert_null(strstr(buf, " -> "));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long cnt;
		char *colon = strstr(line, ") : ");

		assert_true(strlen(line) <= 80);
		if (line[strspn(line, " ")] == '[' && colon && sscanf(colon + 4, "%llu", &cnt) == 1) {
			rows++;
			total += cnt;
		}
	}
	assert_int_equal(total, h.count);
	assert_int_equal(rows, 31);
	free(buf);

	/* packets per poll: [0, 1) holds the empty polls */
	rxs_hist_init(&h);
	rxs_hist_add(&h, 0);
	rxs_hist_add(&h, 5);
	buf = NULL;
	f = open_memstream(&buf, &len);
	rxs_print_hist_bars(f, &h, "packets", false);
	fclose(f);
	assert_non_null(strstr(buf, "[0, 1)"));
	assert_non_null(strstr(buf, "[4, 8)"));
	free(buf);
}

static void test_names(void **state)
{
	char b[32];

	(void)state;
	for (int i = 0; i < RXS_H_NR; i++)
		assert_int_equal(rxs_stage_from_name(rxs_stage_name(i)), i);
	assert_int_equal(rxs_stage_from_name("nope"), -1);
	assert_string_equal(rxs_stage_unit(RXS_H_POLL_PKTS), "packets");
	assert_string_equal(rxs_stage_unit(RXS_H_TOTAL), "ns");
	assert_string_equal(rxs_fmt_value(b, sizeof(b), 512, "ns"), "512ns");
	assert_string_equal(rxs_fmt_value(b, sizeof(b), 1234, "ns"), "1.23us");
	assert_string_equal(rxs_fmt_value(b, sizeof(b), 45600000, "ns"), "45.6ms");
	assert_string_equal(rxs_fmt_value(b, sizeof(b), 2.5e9, "ns"), "2.50s");
	assert_string_equal(rxs_fmt_value(b, sizeof(b), 64, "packets"), "64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_bounds),
		cmocka_unit_test(test_slot_random),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_quantile_empty),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bars_readable),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
