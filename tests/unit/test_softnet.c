// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_softnet.c - the /proc/net/softnet_stat parser on files from several kernels
 * (tests/unit/data/, see its README for which are captures), deltas with u32 wrap and
 * gauges, malformed input, filling a recording, and the softnet verb on a file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>
#include "softnet.h"
#include "export.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif

static void load(const char *name, struct rxs_softnet *s)
{
	char path[256], err[256] = "";

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	if (rxs_softnet_read(path, s, err, sizeof(err)))
		fail_msg("could not read %s: %s", path, err);
}

static void test_host_6_18(void **state)
{
	struct rxs_softnet s;

	(void)state;
	load("softnet_stat-6.18.txt", &s);
	assert_int_equal(s.ncols, 15);
	assert_int_equal(s.nrows, 2);
	assert_true(s.has_cpu_col);
	assert_int_equal(s.rows[0].cpu, 0);
	assert_int_equal(s.rows[1].cpu, 1);
	assert_int_equal(s.rows[0].v[RXS_SN_PROCESSED], 0x18);
	assert_int_equal(s.rows[1].v[RXS_SN_PROCESSED], 0x1f43);
	assert_int_equal(s.rows[1].v[RXS_SN_DROPPED], 0);
	rxs_softnet_free(&s);
	assert_null(s.rows);
}

static void test_guest_6_12(void **state)
{
	struct rxs_softnet s;

	(void)state;
	load("softnet_stat-6.12.txt", &s);
	assert_int_equal(s.ncols, 15);
	assert_int_equal(s.nrows, 4);
	__u64 processed = 0;

	for (int i = 0; i < s.nrows; i++) {
		assert_int_equal(s.rows[i].cpu, i);
		assert_int_equal(s.rows[i].v[RXS_SN_CPU], i);
		processed += s.rows[i].v[RXS_SN_PROCESSED];
	}
	/* captured after rxgen sent exactly 3000 frames over 8 flows (RSS over 3 CPUs) */
	assert_int_equal(processed, 3000);
	assert_int_equal(s.rows[0].v[RXS_SN_TIME_SQUEEZE], 4);
	rxs_softnet_free(&s);
}

static void test_guest_6_1(void **state)
{
	struct rxs_softnet s;
	__u64 processed = 0;

	(void)state;
	load("softnet_stat-6.1.txt", &s);
	assert_int_equal(s.ncols, 13);
	assert_int_equal(s.nrows, 4);
	assert_true(s.has_cpu_col);
	for (int i = 0; i < s.nrows; i++) {
		assert_int_equal(s.rows[i].cpu, i);
		assert_int_equal(s.rows[i].v[RXS_SN_CPU], i);
		processed += s.rows[i].v[RXS_SN_PROCESSED];
	}
	/* captured after rxgen sent exactly 3000 frames over 8 flows (RSS over 4 CPUs) */
	assert_int_equal(processed, 3000);
	assert_int_equal(s.rows[0].v[RXS_SN_PROCESSED], 0x465);
	assert_int_equal(s.rows[0].v[RXS_SN_TIME_SQUEEZE], 2);
	rxs_softnet_free(&s);
}

static void test_layout_6_1(void **state)
{
	struct rxs_softnet s;

	(void)state;
	load("softnet_stat-6.1-layout-from-source.txt", &s);
	assert_int_equal(s.ncols, 13);
	assert_int_equal(s.nrows, 2);
	assert_true(s.has_cpu_col);
	/* CPU 1 offline: the second row is CPU 2, named by the cpu column */
	assert_int_equal(s.rows[1].cpu, 2);
	assert_int_equal(s.rows[0].v[RXS_SN_PROCESSED], 0x4b2c1);
	assert_int_equal(s.rows[0].v[RXS_SN_TIME_SQUEEZE], 3);
	assert_int_equal(s.rows[1].v[RXS_SN_RECEIVED_RPS], 0x11);
	rxs_softnet_free(&s);
}

static void test_layout_4_19(void **state)
{
	struct rxs_softnet s;

	(void)state;
	load("softnet_stat-4.19-layout-from-source.txt", &s);
	assert_int_equal(s.ncols, 11);
	assert_false(s.has_cpu_col);
	assert_int_equal(s.rows[1].cpu, 1);	/* row number */
	assert_int_equal(s.rows[1].v[RXS_SN_PROCESSED], 0xc4d);
	rxs_softnet_free(&s);
}

static int parse_str(const char *text, struct rxs_softnet *s, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = rxs_softnet_parse(f, "test-input", s, err, len);
	fclose(f);
	return ret;
}

static void test_delta(void **state)
{
	struct rxs_softnet a, b, d;
	char err[256];

	(void)state;
	/* 15 columns: processed wraps past 2^32, backlog_len and qlens are gauges */
	assert_int_equal(parse_str(
		"fffffff0 00000001 00000002 0 0 0 0 0 0 00000005 00000000 00000009 00000000 00000004 00000005\n"
		"00000100 00000000 00000000 0 0 0 0 0 0 00000000 00000000 00000000 00000001 00000000 00000000\n",
		&a, err, sizeof(err)), 0);
	assert_int_equal(parse_str(
		"00000010 00000003 00000002 0 0 0 0 0 0 00000007 00000001 00000002 00000000 00000001 00000001\n"
		"00000164 00000000 00000001 0 0 0 0 0 0 00000000 00000000 00000000 00000001 00000000 00000000\n"
		"00000050 00000000 00000000 0 0 0 0 0 0 00000000 00000000 00000000 00000002 00000000 00000000\n",
		&b, err, sizeof(err)), 0);
	assert_int_equal(rxs_softnet_delta(&a, &b, &d, err, sizeof(err)), 0);
	assert_int_equal(d.nrows, 3);
	assert_int_equal(d.rows[0].v[RXS_SN_PROCESSED], 0x20);
	assert_int_equal(d.rows[0].v[RXS_SN_DROPPED], 2);
	assert_int_equal(d.rows[0].v[RXS_SN_TIME_SQUEEZE], 0);
	assert_int_equal(d.rows[0].v[RXS_SN_RECEIVED_RPS], 2);
	assert_int_equal(d.rows[0].v[RXS_SN_FLOW_LIMIT], 1);
	assert_int_equal(d.rows[0].v[RXS_SN_BACKLOG_LEN], 2);	/* gauge: newer value */
	assert_int_equal(d.rows[0].v[RXS_SN_INPUT_QLEN], 1);
	assert_int_equal(d.rows[0].v[RXS_SN_CPU], 0);
	assert_int_equal(d.rows[1].v[RXS_SN_PROCESSED], 0x64);
	assert_int_equal(d.rows[1].v[RXS_SN_TIME_SQUEEZE], 1);
	/* CPU 2 came online: counts from zero */
	assert_int_equal(d.rows[2].cpu, 2);
	assert_int_equal(d.rows[2].v[RXS_SN_PROCESSED], 0x50);

	/* into a recording, matched by CPU number */
	struct rxs_recording r;

	rxs_recording_init(&r, 4);
	rxs_softnet_fill(&r, &d);
	assert_int_equal(r.cpus[1].softnet_ncols, 15);
	assert_int_equal(r.cpus[1].softnet[RXS_SN_PROCESSED], 0x64);
	assert_int_equal(r.cpus[2].softnet[RXS_SN_PROCESSED], 0x50);
	assert_int_equal(r.cpus[3].softnet_ncols, 0);
	rxs_recording_free(&r);
	rxs_softnet_free(&d);
	rxs_softnet_free(&b);

	/* a different column count between snapshots is an error */
	assert_int_equal(parse_str("00000001 00000002\n", &b, err, sizeof(err)), 0);
	assert_int_equal(rxs_softnet_delta(&a, &b, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "column count changed from 15 to 2"));
	rxs_softnet_free(&a);
	rxs_softnet_free(&b);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "test-input: no CPU rows" },
		{ "0000001 zz\n", "test-input: line 1: expected" },
		{ "00000001 00000002\n00000001\n", "test-input: line 2: 1 columns, line 1 had 2" },
		{ "00000001 0000000g\n", "line 1: expected" },
		{ "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		  "line 1: more than 32 columns" },
		{ "0 0 0 0 0 0 0 0 0 0 0 0 fffff\n", "line 1: cpu 1048575 out of range" },
	};
	struct rxs_softnet s;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_str(cases[i].text, &s, err, sizeof(err)), -EINVAL);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, err, cases[i].want);
		assert_null(s.rows);
	}
	assert_int_equal(rxs_softnet_read("/nonexistent/softnet_stat", &s, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "failed to open /nonexistent/softnet_stat"));
}

/*
 * Every column count a kernel may print, 1 to RXS_SOFTNET_MAX_COLS (6.1 prints 13, 6.9 and
 * later 15; more is a future kernel's), through parse, delta and fill: the CPU comes from
 * column 12 where there is one, counters subtract, gauges keep the newer value. One
 * column more is refused.
 */
static void test_every_column_count(void **state)
{
	char before[1024], after[1024], err[256];

	(void)state;
	for (int n = 1; n <= RXS_SOFTNET_MAX_COLS + 1; n++) {
		struct rxs_softnet b, a, d;
		struct rxs_recording r;
		size_t lb = 0, la = 0;

		for (int row = 0; row < 2; row++) {
			for (int c = 0; c < n; c++) {
				unsigned int vb = c == RXS_SN_CPU ? (unsigned int)row * 3 : 10u * c;
				unsigned int va = c == RXS_SN_CPU ? (unsigned int)row * 3 : 10u * c + 7;

				lb += snprintf(before + lb, sizeof(before) - lb, "%08x%s", vb,
					       c == n - 1 ? "\n" : " ");
				la += snprintf(after + la, sizeof(after) - la, "%08x%s", va,
					       c == n - 1 ? "\n" : " ");
			}
		}
		if (n > RXS_SOFTNET_MAX_COLS) {
			assert_int_equal(parse_str(before, &b, err, sizeof(err)), -EINVAL);
			assert_non_null(strstr(err, "more than 32 columns"));
			continue;
		}
		assert_int_equal(parse_str(before, &b, err, sizeof(err)), 0);
		assert_int_equal(parse_str(after, &a, err, sizeof(err)), 0);
		assert_int_equal(a.ncols, n);
		assert_int_equal(a.rows[1].cpu, n > RXS_SN_CPU ? 3 : 1);
		assert_int_equal(rxs_softnet_delta(&b, &a, &d, err, sizeof(err)), 0);
		for (int c = 0; c < n; c++) {
			__u64 want = rxs_softnet_col_is_counter(c) ? 7 : a.rows[1].v[c];

			if (d.rows[1].v[c] != want)
				fail_msg("%d columns: column %d delta %llu, want %llu", n, c,
					 (unsigned long long)d.rows[1].v[c], (unsigned long long)want);
		}
		rxs_recording_init(&r, 4);
		rxs_softnet_fill(&r, &d);
		assert_int_equal(r.cpus[0].softnet_ncols, n);
		assert_int_equal(r.cpus[n > RXS_SN_CPU ? 3 : 1].softnet_ncols, n);
		rxs_recording_free(&r);
		rxs_softnet_free(&b);
		rxs_softnet_free(&a);
		rxs_softnet_free(&d);
	}
}

static void test_col_names(void **state)
{
	(void)state;
	assert_string_equal(rxs_softnet_col_name(0), "processed");
	assert_string_equal(rxs_softnet_col_name(2), "time_squeeze");
	assert_string_equal(rxs_softnet_col_name(9), "received_rps");
	assert_string_equal(rxs_softnet_col_name(14), "process_qlen");
	assert_string_equal(rxs_softnet_col_name(20), "col20");
	assert_true(rxs_softnet_col_is_counter(RXS_SN_DROPPED));
	assert_false(rxs_softnet_col_is_counter(RXS_SN_BACKLOG_LEN));
	assert_false(rxs_softnet_col_is_counter(RXS_SN_CPU));
	assert_true(rxs_softnet_col_is_counter(20));
}

static void test_cmd(void **state)
{
	(void)state;
	setenv("RXSCOPE_SOFTNET_PATH", DATA_DIR "/softnet_stat-6.18.txt", 1);
	assert_int_equal(rxs_softnet_cmd(0.1, 0.25), 0);
	setenv("RXSCOPE_SOFTNET_PATH", "/nonexistent/softnet_stat", 1);
	assert_int_equal(rxs_softnet_cmd(0.1, 0.2), 2);
	/* readable at the start, changed later: a runtime failure (5), not bad input */
	{
		char path[] = "/tmp/rxs-softnet-XXXXXX";
		int fd = mkstemp(path);
		FILE *f;

		assert_true(fd >= 0);
		f = fdopen(fd, "w");
		fputs("00000001 00000002 00000003\n", f);
		fclose(f);
		setenv("RXSCOPE_SOFTNET_PATH", path, 1);
		/* the file loses a column between two readings */
		pid_t pid = fork();

		if (pid == 0) {
			usleep(50000);
			f = fopen(path, "w");
			fputs("00000001 00000002\n", f);
			fclose(f);
			_exit(0);
		}
		assert_int_equal(rxs_softnet_cmd(0.2, 0.5), 5);
		waitpid(pid, NULL, 0);
		unlink(path);
	}
	unsetenv("RXSCOPE_SOFTNET_PATH");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_6_18),
		cmocka_unit_test(test_guest_6_12),
		cmocka_unit_test(test_guest_6_1),
		cmocka_unit_test(test_layout_6_1),
		cmocka_unit_test(test_layout_4_19),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_every_column_count),
		cmocka_unit_test(test_col_names),
		cmocka_unit_test(test_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
