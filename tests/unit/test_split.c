// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_split.c - `--by queue|cpu`: the split's JSON round trip and the reader's errors,
 * files without a split (old ones included), a real --by queue recording from the VM,
 * the delta of two readings, the report's tables, CSV rows, Prometheus families (through
 * promtool when installed), and compare ignoring the split.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include "compare.h"
#include "export_json.h"
#include "export_prom.h"
#include "report.h"
#include "split.h"
#include "synth.h"
#include "tmpdir.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif

/* @r with a split by @by: groups 0, 1 and other, each per-packet stage filled */
static void add_split(struct rxs_recording *r, int by, __u64 seed)
{
	struct synth_rng g = { seed * 2654435761ULL + 1 };
	static const int groups[] = { 0, 1, RXS_BY_OTHER };
	struct rxs_split *s = rxs_split_new(by);

	assert_non_null(s);
	for (size_t k = 0; k < 3; k++) {
		int gr = groups[k];

		s->pkts[gr] = 100 * (k + 1);
		for (int id = 0; id < RXS_H_NR; id++) {
			if (!rxs_stage_def(id)->per_packet)
				continue;
			for (__u64 n = 0; n < s->pkts[gr]; n++)
				rxs_hist_add(&s->hist[gr][id], synth_lognormal(&g, 2000 + 500 * k, 0.5));
		}
	}
	r->split = s;
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *m = open_memstream(&buf, &len);
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void test_json_round_trip(void **state)
{
	struct rxs_recording a, b;
	char err[512] = "";

	(void)state;
	for (int by = RXS_BY_QUEUE; by <= RXS_BY_CPU; by++) {
		synth_recording(&a, 2, 2000, NULL, 1);
		add_split(&a, by, 2);
		assert_int_equal(rxs_export_write(&a, path_of("by.json"), RXS_FMT_JSON, err,
						  sizeof(err)), 0);
		assert_int_equal(rxs_json_read(path_of("by.json"), &b, err, sizeof(err)), 0);
		assert_non_null(b.split);
		assert_int_equal(b.split->by, by);
		/* every group, used or not, and every stage's buckets, count, sum, min, max */
		assert_memory_equal(a.split, b.split, sizeof(*a.split));
		/* the whole path is untouched */
		for (int i = 0; i < RXS_H_NR; i++)
			assert_memory_equal(&a.stages[i].hist, &b.stages[i].hist,
					    sizeof(a.stages[i].hist));
		rxs_recording_free(&a);
		rxs_recording_free(&b);
	}
}

/* without --by: no "split" in the file, none read back; an old file reads without one */
static void test_json_without_split(void **state)
{
	struct rxs_recording a, b;
	char err[512] = "", *txt;

	(void)state;
	synth_recording(&a, 2, 100, NULL, 3);
	assert_int_equal(rxs_export_write(&a, path_of("plain.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	txt = slurp(path_of("plain.json"));
	assert_null(strstr(txt, "\"split\""));
	free(txt);
	assert_int_equal(rxs_json_read(path_of("plain.json"), &b, err, sizeof(err)), 0);
	assert_null(b.split);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
	assert_int_equal(rxs_json_read(DATA_DIR "/recording-before-series.json", &b, err,
				       sizeof(err)), 0);
	assert_null(b.split);
	rxs_recording_free(&b);
}

/* write a split file, apply one textual edit and expect an error naming @want */
static void expect_bad(const char *name, const char *from, const char *to, const char *want)
{
	struct rxs_recording a, b;
	char err[512] = "", *buf, *hit, *edited;
	FILE *f;

	synth_recording(&a, 1, 20, NULL, 4);
	add_split(&a, RXS_BY_QUEUE, 5);
	assert_int_equal(rxs_export_write(&a, path_of(name), RXS_FMT_JSON, err, sizeof(err)),
			 0);
	rxs_recording_free(&a);
	buf = slurp(path_of(name));
	hit = strstr(buf, from);
	if (!hit)
		fail_msg("test setup: \"%s\" not in the written JSON", from);
	edited = malloc(strlen(buf) + strlen(to) + 1);
	memcpy(edited, buf, hit - buf);
	strcpy(edited + (hit - buf), to);
	strcat(edited, hit + strlen(from));
	f = fopen(path_of(name), "w");
	fputs(edited, f);
	fclose(f);
	free(buf);
	free(edited);
	assert_int_equal(rxs_json_read(path_of(name), &b, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want) || !strstr(err, name))
		fail_msg("error \"%s\" does not contain \"%s\" and the file name", err, want);
	rxs_recording_free(&b);
}

static void test_json_errors(void **state)
{
	(void)state;
	expect_bad("by.json", "\"by\": \"queue\"", "\"by\": \"disk\"",
		   "split.by: unknown split \"disk\"");
	expect_bad("max.json", "\"max\": 16", "\"max\": 8",
		   "split.max: 8 groups differ from this rxscope's 16");
	expect_bad("group.json", "\"group\": \"1\"", "\"group\": \"16\"",
		   "split.groups[1].group: \"16\" is not a group");
	expect_bad("group2.json", "\"group\": \"1\"", "\"group\": \"01\"",
		   "split.groups[1].group: \"01\" is not a group");
	expect_bad("dup.json", "\"group\": \"1\"", "\"group\": \"0\"",
		   "split.groups[1].group: group \"0\" appears twice");
	expect_bad("pkts.json", "\"packets\": 100", "\"packets\": -100",
		   "split.groups[0].packets: negative value");
	expect_bad("stage.json", "\"irq_to_rx\": {", "\"poll\": {",
		   "split.groups[0].stages.poll: not a per-packet stage");
	expect_bad("stage2.json", "\"irq_to_rx\": {", "\"irq_to_rxx\": {",
		   "split.groups[0].stages.irq_to_rxx: unknown stage name");
	expect_bad("count.json", "\"irq_to_rx\": {\n            \"count\": 100",
		   "\"irq_to_rx\": {\n            \"count\": 101",
		   "split.groups[0].stages.irq_to_rx: count 101 but the buckets hold 100");
	expect_bad("type.json", "\"split\": {", "\"split\": 3, \"x\": {",
		   "split: expected object");
}

/*
 * A real --by queue recording from the VM (tests/unit/data/README.md): the queues' packets
 * add up to the packets followed, and each per-packet stage's queues to its whole path.
 */
static void test_real_recording(void **state)
{
	struct rxs_recording r;
	char err[512] = "";
	__u64 pkts = 0, netif = 0;

	(void)state;
	assert_int_equal(rxs_json_read(DATA_DIR "/recording-by-queue.json", &r, err,
				       sizeof(err)), 0);
	assert_non_null(r.split);
	assert_int_equal(r.split->by, RXS_BY_QUEUE);
	assert_int_equal(r.split->pkts[0], 750);
	assert_int_equal(r.split->pkts[1], 1250);
	for (int g = 0; g < RXS_BY_GROUPS; g++)
		pkts += r.split->pkts[g];
	for (int c = 0; c < r.ncpus; c++)
		netif += r.cpus[c].bpf.pkts[RXS_F_NETIF_RECEIVE];
	assert_int_equal(pkts, netif);
	for (int id = 0; id < RXS_H_NR; id++) {
		__u64 n = 0;

		for (int g = 0; g < RXS_BY_GROUPS; g++)
			n += r.split->hist[g][id].count;
		assert_int_equal(n, rxs_stage_def(id)->per_packet ? r.stages[id].hist.count : 0);
	}
	rxs_recording_free(&r);
}

/* trace's intervals: the split of two readings subtracts group by group */
static void test_delta(void **state)
{
	struct rxs_recording before, now, d;

	(void)state;
	synth_recording(&before, 2, 100, NULL, 6);
	add_split(&before, RXS_BY_CPU, 7);
	synth_recording(&now, 2, 100, NULL, 6);
	add_split(&now, RXS_BY_CPU, 7);
	now.duration_s += 1;
	/* 5 more packets on CPU 1, each with a gro event of 3000 ns */
	now.split->pkts[1] += 5;
	for (int k = 0; k < 5; k++)
		rxs_hist_add(&now.split->hist[1][RXS_H_GRO], 3000);
	assert_int_equal(rxs_recording_delta(&d, &now, &before), 0);
	assert_non_null(d.split);
	assert_int_equal(d.split->by, RXS_BY_CPU);
	assert_int_equal(d.split->pkts[0], 0);
	assert_int_equal(d.split->pkts[1], 5);
	assert_int_equal(d.split->pkts[RXS_BY_OTHER], 0);
	assert_int_equal(d.split->hist[1][RXS_H_GRO].count, 5);
	assert_int_equal(d.split->hist[1][RXS_H_GRO].sum, 15000);
	assert_int_equal(d.split->hist[0][RXS_H_GRO].count, 0);
	rxs_recording_free(&d);
	/* without a split on either side, none in the delta */
	rxs_split_free(&now);
	rxs_split_free(&before);
	assert_int_equal(rxs_recording_delta(&d, &now, &before), 0);
	assert_null(d.split);
	rxs_recording_free(&d);
	rxs_recording_free(&now);
	rxs_recording_free(&before);
}

static void test_report(void **state)
{
	struct rxs_recording r;
	char *txt = NULL, line[256];
	size_t len = 0;
	FILE *f;
	int rows = 0, groups = 0;

	(void)state;
	synth_recording(&r, 2, 100, NULL, 8);
	add_split(&r, RXS_BY_QUEUE, 9);
	f = open_memstream(&txt, &len);
	rxs_report_print(f, &r, 0);
	fclose(f);
	/* shares: 100, 200 and 300 of 600 packets */
	assert_non_null(strstr(txt, "by queue: packets followed per RX queue"));
	assert_non_null(strstr(txt, "\n0             100   16.7%  #############\n"));
	assert_non_null(strstr(txt, "\nother         300   50.0%  ########################################\n"));
	assert_non_null(strstr(txt, "spread: 3 queues; the busiest has 50.0% of the packets"));
	/* the split's lines fit in 100 columns, as trace's tables */
	for (char *l = strstr(txt, "by queue:"), *e; l && *l; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			break;
		if (e - l > 100)
			fail_msg("line wider than 100 columns: %.*s", (int)(e - l), l);
	}
	/* one row per group and per-packet stage */
	f = fmemopen(strstr(txt, "QUEUE  STAGE"), strlen(strstr(txt, "QUEUE  STAGE")), "r");
	while (fgets(line, sizeof(line), f)) {
		char g[16], st[40];
		unsigned long long n;

		if (sscanf(line, "%15s %39s %llu", g, st, &n) == 3) {
			rows++;
			if (!strcmp(st, "total")) {
				groups++;
				assert_int_equal(n, !strcmp(g, "0") ? 100 : !strcmp(g, "1") ?
						 200 : 300);
			}
		}
	}
	fclose(f);
	assert_int_equal(groups, 3);
	assert_int_equal(rows, 3 * RXS_PP_NR);
	free(txt);
	/* a stage that saw nothing on the whole path (no tap) has no rows */
	memset(&r.stages[RXS_H_TAPS].hist, 0, sizeof(r.stages[RXS_H_TAPS].hist));
	txt = NULL;
	f = open_memstream(&txt, &len);
	rxs_report_print(f, &r, 0);
	fclose(f);
	assert_null(strstr(strstr(txt, "QUEUE  STAGE"), " taps "));
	assert_non_null(strstr(strstr(txt, "QUEUE  STAGE"), " gro "));
	free(txt);
	/* no split: no such table */
	rxs_split_free(&r);
	txt = NULL;
	f = open_memstream(&txt, &len);
	rxs_report_print(f, &r, 0);
	fclose(f);
	assert_null(strstr(txt, "by queue"));
	free(txt);
	rxs_recording_free(&r);
}

static void test_csv(void **state)
{
	struct rxs_recording r;
	char err[512], line[512];
	int whole = 0, split = 0, rows_all = 0, rows_g = 0, other = 0;
	FILE *f;

	(void)state;
	synth_recording(&r, 2, 500, NULL, 10);
	add_split(&r, RXS_BY_QUEUE, 11);
	for (int i = 0; i < RXS_H_NR; i++)
		for (int b = 0; b < (int)RXS_HIST_BUCKETS; b++) {
			whole += r.stages[i].hist.slots[b] != 0;
			for (int g = 0; g < RXS_BY_GROUPS; g++)
				split += r.split->hist[g][i].slots[b] != 0;
		}
	assert_int_equal(rxs_export_write(&r, path_of("by.csv"), RXS_FMT_CSV, err, sizeof(err)),
			 0);
	f = fopen(path_of("by.csv"), "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "stage,unit,hook,available,slot,lower,upper,count,cumulative,"
			    "queue\n");
	while (fgets(line, sizeof(line), f)) {
		const char *last = strrchr(line, ',');

		if (!strcmp(last, ",all\n"))
			rows_all++;
		else
			rows_g++;
		other += !strcmp(last, ",other\n");
	}
	fclose(f);
	assert_int_equal(rows_all, whole);
	assert_int_equal(rows_g, split);
	assert_true(other > 0);
	/* without a split the columns are those of before */
	rxs_split_free(&r);
	assert_int_equal(rxs_export_write(&r, path_of("plain.csv"), RXS_FMT_CSV, err,
					  sizeof(err)), 0);
	f = fopen(path_of("plain.csv"), "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "stage,unit,hook,available,slot,lower,upper,count,cumulative\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_null(strstr(line, ",all"));
	fclose(f);
	rxs_recording_free(&r);
}

static bool have_promtool(void)
{
	return system("command -v promtool >/dev/null 2>&1") == 0;
}

/* the file (record --format prom) and a scrape (serve): the families, checked */
static void test_prom(void **state)
{
	struct rxs_prom_scrape x = { 0 };
	struct rxs_recording r;
	char err[512], line[512], cmd[1024];
	unsigned long long v, pkts_other = 0, count_gro1 = 0, inf_gro1 = 0;
	FILE *f;

	(void)state;
	synth_recording(&r, 2, 200, NULL, 12);
	add_split(&r, RXS_BY_CPU, 13);
	assert_int_equal(rxs_export_write(&r, path_of("by.prom"), RXS_FMT_PROM, err,
					  sizeof(err)), 0);
	f = fopen(path_of("by.prom"), "r");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "rxscope_packets_by_cpu_total{cpu=\"other\"} %llu", &v) == 1)
			pkts_other = v;
		if (sscanf(line, "rxscope_stage_latency_by_cpu_seconds_count{stage=\"gro\","
			   "cpu=\"1\"} %llu", &v) == 1)
			count_gro1 = v;
		if (sscanf(line, "rxscope_stage_latency_by_cpu_seconds_bucket{stage=\"gro\","
			   "cpu=\"1\",le=\"+Inf\"} %llu", &v) == 1)
			inf_gro1 = v;
	}
	fclose(f);
	assert_int_equal(pkts_other, 300);
	assert_int_equal(count_gro1, 200);
	assert_int_equal(inf_gro1, 200);
	f = fopen(path_of("scrape.prom"), "w");
	assert_int_equal(rxs_prom_write_scrape(f, &r, &x), 0);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "grep -q '^rxscope_stage_latency_by_cpu_seconds_count{dev=\"eth0\","
		 "driver=\"rxscope_igb\",stage=\"total\",cpu=\"0\"} 100$' '%s'",
		 path_of("scrape.prom"));
	assert_int_equal(system(cmd), 0);
	if (have_promtool()) {
		snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' && "
			 "promtool check metrics < '%s'", path_of("by.prom"),
			 path_of("scrape.prom"));
		assert_int_equal(system(cmd), 0);
	} else {
		print_message("promtool not installed: checked the structure only\n");
	}
	rxs_recording_free(&r);
}

/* compare judges the whole path: a split on one side only changes nothing */
static void test_compare_ignores_split(void **state)
{
	struct rxs_cmp_side base = { 0 }, cand = { 0 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	struct rxs_recording r;
	char err[512] = "";

	(void)state;
	assert_int_equal(rxs_json_read(DATA_DIR "/recording-by-queue.json", &r, err,
				       sizeof(err)), 0);
	rxs_split_free(&r);
	assert_int_equal(rxs_export_write(&r, path_of("nosplit.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	rxs_recording_free(&r);
	assert_int_equal(rxs_cmp_side_load(DATA_DIR "/recording-by-queue.json", &base, err,
					   sizeof(err)), 0);
	assert_int_equal(rxs_cmp_side_load(path_of("nosplit.json"), &cand, err, sizeof(err)), 0);
	rxs_compare_opts_init(&o);
	assert_int_equal(rxs_compare(&base, &cand, &o, &res, err, sizeof(err)), 0);
	assert_int_equal(res.regressed, 0);
	assert_int_equal(res.improved, 0);
	for (int i = 0; i < res.nstages; i++)
		if (res.stages[i].judged)
			assert_true(res.stages[i].change == 0);
	rxs_cmp_side_free(&base);
	rxs_cmp_side_free(&cand);
}

static void test_names(void **state)
{
	char b[16];

	(void)state;
	assert_int_equal(rxs_by_parse("queue"), RXS_BY_QUEUE);
	assert_int_equal(rxs_by_parse("cpu"), RXS_BY_CPU);
	assert_int_equal(rxs_by_parse("napi"), -1);
	assert_string_equal(rxs_by_name(RXS_BY_QUEUE), "queue");
	assert_string_equal(rxs_split_group_name(15, b, sizeof(b)), "15");
	assert_string_equal(rxs_split_group_name(RXS_BY_OTHER, b, sizeof(b)), "other");
	/* the per-packet stages, in table order, and nothing else */
	for (int id = 0, n = 0; id < RXS_H_NR; id++) {
		if (rxs_stage_def(id)->per_packet)
			assert_int_equal(rxs_pp_index(id), n++);
		else
			assert_int_equal(rxs_pp_index(id), -1);
		if (id == RXS_H_NR - 1)
			assert_int_equal(n, RXS_PP_NR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_without_split),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_real_recording),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_prom),
		cmocka_unit_test(test_compare_ignores_split),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
