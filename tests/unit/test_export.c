// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_export.c - JSON write -> read round trip, the strict reader's error messages,
 * the atomic write, CSV rows, and Prometheus output (through promtool when installed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "synth.h"
#include "tmpdir.h"
#include "export_json.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif


static void write_text(const char *name, const char *text)
{
	FILE *f = fopen(path_of(name), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void assert_recordings_equal(const struct rxs_recording *a,
				    const struct rxs_recording *b)
{
	assert_string_equal(a->kernel, b->kernel);
	assert_string_equal(a->driver, b->driver);
	assert_string_equal(a->dev, b->dev);
	assert_int_equal(a->port, b->port);
	assert_true(a->duration_s == b->duration_s);
	assert_int_equal(a->start_unix, b->start_unix);
	assert_int_equal(a->ncpus, b->ncpus);
	for (int i = 0; i < RXS_H_NR; i++) {
		assert_string_equal(a->stages[i].name, b->stages[i].name);
		assert_string_equal(a->stages[i].unit, b->stages[i].unit);
		assert_string_equal(a->stages[i].hook, b->stages[i].hook);
		assert_int_equal(a->stages[i].available, b->stages[i].available);
		assert_memory_equal(&a->stages[i].hist, &b->stages[i].hist,
				    sizeof(a->stages[i].hist));
	}
	for (int c = 0; c < a->ncpus; c++)
		assert_memory_equal(&a->cpus[c], &b->cpus[c], sizeof(a->cpus[c]));
	assert_memory_equal(a->drop_reasons, b->drop_reasons, sizeof(a->drop_reasons));
	assert_memory_equal(a->drop_reason_names, b->drop_reason_names,
			    sizeof(a->drop_reason_names));
	assert_int_equal(a->tracking_swept, b->tracking_swept);
	assert_int_equal(a->sample_pct, b->sample_pct);
}

static void test_json_round_trip(void **state)
{
	struct rxs_recording a, b;
	char err[512] = "";

	(void)state;
	synth_recording(&a, 3, 20000, NULL, 1);
	a.stages[RXS_H_SOCKET].available = false;	/* an unavailable stage survives */
	memset(&a.stages[RXS_H_SOCKET].hist, 0, sizeof(a.stages[RXS_H_SOCKET].hist));
	a.stages[RXS_H_SOCKET].hook[0] = '\0';
	a.stages[RXS_H_TOTAL].hist.slots[RXS_HIST_BUCKETS - 1] += 1;	/* overflow slot */
	a.stages[RXS_H_TOTAL].hist.count += 1;
	a.stages[RXS_H_TOTAL].hist.max = 1ULL << 45;
	a.stages[RXS_H_TOTAL].hist.sum += 1ULL << 45;
	a.sample_pct = 25;	/* a --sample recording keeps its share */
	assert_int_equal(rxs_export_write(&a, path_of("rt.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	assert_int_equal(rxs_json_read(path_of("rt.json"), &b, err, sizeof(err)), 0);
	assert_recordings_equal(&a, &b);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

/* the write leaves exactly the target file: no temp file behind, readable mode */
static void test_atomic_write(void **state)
{
	struct rxs_recording a;
	char err[512] = "";
	struct stat st;
	DIR *d;
	struct dirent *e;
	int tmp_left = 0;

	(void)state;
	synth_recording(&a, 1, 100, NULL, 2);
	write_text("atomic.json", "old content");
	assert_int_equal(rxs_export_write(&a, path_of("atomic.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	assert_int_equal(stat(path_of("atomic.json"), &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(st.st_mode & 0777, 0644);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp"))
			tmp_left++;
	closedir(d);
	assert_int_equal(tmp_left, 0);
	/* a directory that does not exist: an error naming the path, no file */
	assert_true(rxs_export_write(&a, "/nonexistent-rxs/x.json", RXS_FMT_JSON, err,
				     sizeof(err)) < 0);
	assert_non_null(strstr(err, "failed to create /nonexistent-rxs/x.json"));
	rxs_recording_free(&a);
}

/* write a valid file, then apply one textual edit and expect an error naming @field */
static void expect_bad(const char *name, const char *from, const char *to, const char *want)
{
	struct rxs_recording a, b;
	char err[512] = "", *buf = NULL, *hit, *edited;
	size_t len = 0;
	FILE *f, *m;
	int c;

	synth_recording(&a, 2, 50, NULL, 3);
	assert_int_equal(rxs_export_write(&a, path_of(name), RXS_FMT_JSON, err, sizeof(err)),
			 0);
	rxs_recording_free(&a);
	f = fopen(path_of(name), "r");
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	hit = strstr(buf, from);
	if (!hit)
		fail_msg("test setup: \"%s\" not in the written JSON", from);
	edited = malloc(len + strlen(to) + 1);
	memcpy(edited, buf, hit - buf);
	strcpy(edited + (hit - buf), to);
	strcat(edited, hit + strlen(from));
	write_text(name, edited);
	free(buf);
	free(edited);
	assert_int_equal(rxs_json_read(path_of(name), &b, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want) || !strstr(err, name))
		fail_msg("error \"%s\" does not contain \"%s\" and the file name", err, want);
	rxs_recording_free(&b);
}

static void test_json_errors(void **state)
{
	struct rxs_recording b;
	char err[512];

	(void)state;
	assert_int_equal(rxs_json_read(path_of("missing.json"), &b, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "missing.json"));
	rxs_recording_free(&b);

	write_text("corrupt.json", "{ \"schema\": \"rxscope/1\", ");
	assert_int_equal(rxs_json_read(path_of("corrupt.json"), &b, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "corrupt.json: (document): not valid JSON"));
	rxs_recording_free(&b);

	write_text("array.json", "[1, 2]");
	assert_int_equal(rxs_json_read(path_of("array.json"), &b, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected a JSON object"));
	rxs_recording_free(&b);

	expect_bad("schema.json", "\"rxscope/1\"", "\"rxscope/2\"",
		   "schema: unknown schema version \"rxscope/2\"");
	expect_bad("noschema.json", "\"schema\"", "\"schemo\"", "schema: missing");
	expect_bad("stage.json", "\"name\": \"gro\"", "\"name\": \"grow\"",
		   "stages[8]: unknown stage name \"grow\"");
	expect_bad("dup.json", "\"name\": \"gro\"", "\"name\": \"poll\"",
		   "stages[8]: stage \"poll\" appears twice");
	expect_bad("unit.json", "\"unit\": \"ns\"", "\"unit\": \"ms\"",
		   "stages[0].unit: unknown unit \"ms\"");
	expect_bad("count.json", "\"count\": 50", "\"count\": 51",
		   "stages[0].hist: count 51 but the buckets hold 50");
	expect_bad("slot.json", "\"buckets\": [[", "\"buckets\": [[999",
		   "stages[0].hist.buckets[0]: slot 999");
	expect_bad("neg.json", "\"sum\": ", "\"sum\": -",
		   "stages[0].hist.sum: negative value");
	expect_bad("type.json", "\"available\": true", "\"available\": \"yes\"",
		   "stages[0].available: expected boolean, found string");
	expect_bad("ncpus.json", "\"ncpus\": 2", "\"ncpus\": 3", "cpus: 2 entries for ncpus 3");
	expect_bad("funnel.json", "\"ip_rcv\"", "\"ip_recv\"",
		   "cpus[0].bpf.funnel.ip_rcv: missing");
	expect_bad("layout.json", "\"sub_bits\": 3", "\"sub_bits\": 4",
		   "hist_layout: buckets 4/42/320 differ");
	expect_bad("trail.json", "\"drops\"", "\"drops\": [], \"x\": 1 } {\"drops\"",
		   "not valid JSON");
	expect_bad("swept.json", "\"tracking_swept\": ", "\"tracking_swept\": -",
		   "tracking_swept: negative value");
	expect_bad("swept2.json", "\"tracking_swept\": 7", "\"tracking_swept\": \"7\"",
		   "tracking_swept: expected int");
	expect_bad("sample0.json", "\"sample_pct\": 100", "\"sample_pct\": 0",
		   "sample_pct: 0 is not a percentage 1..100");
	expect_bad("sample101.json", "\"sample_pct\": 100", "\"sample_pct\": 101",
		   "sample_pct: 101 is not a percentage 1..100");
}

/*
 * tracking_swept and sample_pct came after rxscope/1's first files: a file without them
 * reads as 0 swept and 100% sampled
 */
static void test_json_without_swept(void **state)
{
	struct rxs_recording a, b;
	char err[512] = "", text[1 << 16], *key, *end;
	size_t n;
	FILE *f;

	(void)state;
	synth_recording(&a, 2, 50, NULL, 4);
	assert_int_equal(rxs_export_write(&a, path_of("old.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	f = fopen(path_of("old.json"), "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	assert_true(n < sizeof(text) - 1);
	text[n] = '\0';
	/* cut ', "tracking_swept": 7' (the key is written last, after "drops") */
	key = strstr(text, "\"tracking_swept\"");
	assert_non_null(key);
	end = key + strlen("\"tracking_swept\"");
	while (*end == ':' || *end == ' ' || (*end >= '0' && *end <= '9'))
		end++;
	while (key > text && key[-1] != ',')
		key--;
	assert_true(key > text);
	memmove(key - 1, end, strlen(end) + 1);
	assert_null(strstr(text, "tracking_swept"));
	/* and ', "sample_pct": 100', written after it */
	key = strstr(text, "\"sample_pct\"");
	assert_non_null(key);
	end = key + strlen("\"sample_pct\"");
	while (*end == ':' || *end == ' ' || (*end >= '0' && *end <= '9'))
		end++;
	while (key > text && key[-1] != ',')
		key--;
	memmove(key - 1, end, strlen(end) + 1);
	assert_null(strstr(text, "sample_pct"));
	write_text("old.json", text);
	assert_int_equal(rxs_json_read(path_of("old.json"), &b, err, sizeof(err)), 0);
	assert_int_equal(b.tracking_swept, 0);
	assert_int_equal(b.sample_pct, 100);	/* nor sample_pct: every packet */
	assert_int_equal(b.port, a.port);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

/* a series of @n intervals made the way record does: deltas of growing totals */
static void synth_series(struct rxs_recording *r, int n)
{
	struct rxs_recording cum;
	struct rxs_interval prev, now, d;

	synth_recording(&cum, r->ncpus, 10, NULL, 77);
	/* start from nothing, as a recording does */
	for (int i = 0; i < RXS_H_NR; i++)
		rxs_hist_init(&cum.stages[i].hist);
	memset(cum.cpus, 0, cum.ncpus * sizeof(*cum.cpus));
	cum.duration_s = 0;
	rxs_interval_from(&prev, &cum);
	for (int k = 0; k < n; k++) {
		cum.duration_s += 0.5 + 0.25 * (k % 3);
		for (int i = 0; i < RXS_H_NR; i++)
			for (int e = 0; e < (k + 1) * (i + 3); e++)
				rxs_hist_add(&cum.stages[i].hist, 100 + 37ULL * e * (k + 1) + i);
		for (int c = 0; c < cum.ncpus; c++) {
			cum.cpus[c].bpf.hardirqs += 10 + k;
			cum.cpus[c].bpf.pkts[RXS_F_SOCKET] += 100 * (k + 1);
			cum.cpus[c].bpf.drops += k;
			cum.cpus[c].softnet_ncols = 15;
			cum.cpus[c].softnet[0] += 101;
			cum.cpus[c].softnet[1] += k % 2;
		}
		rxs_interval_from(&now, &cum);
		rxs_interval_delta(&d, &now, &prev);
		assert_int_equal(rxs_series_append(r, &d), 0);
		prev = now;
	}
	rxs_recording_free(&cum);
}

static void test_json_series_round_trip(void **state)
{
	struct rxs_recording a, b;
	char err[512] = "";

	(void)state;
	synth_recording(&a, 2, 500, NULL, 5);
	synth_series(&a, 7);
	assert_int_equal(a.nseries, 7);
	/* deltas, not totals: the third interval holds only what came in it */
	assert_int_equal(a.series[2].hist[RXS_H_HARDIRQ].count, 3 * 3);
	assert_int_equal(a.series[2].bpf.hardirqs, 2 * 12);
	assert_int_equal(a.series[2].sn_processed, 2 * 101);
	assert_true(a.series[2].dur_s == 1.0);
	assert_int_equal(rxs_export_write(&a, path_of("series.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	assert_int_equal(rxs_json_read(path_of("series.json"), &b, err, sizeof(err)), 0);
	assert_recordings_equal(&a, &b);
	assert_int_equal(b.nseries, 7);
	for (int k = 0; k < 7; k++) {
		const struct rxs_interval *x = &a.series[k], *y = &b.series[k];

		assert_true(x->t_s == y->t_s && x->dur_s == y->dur_s);
		assert_memory_equal(&x->bpf, &y->bpf, sizeof(x->bpf));
		assert_int_equal(x->sn_processed, y->sn_processed);
		assert_int_equal(x->sn_dropped, y->sn_dropped);
		assert_int_equal(x->sn_time_squeeze, y->sn_time_squeeze);
		for (int i = 0; i < RXS_H_NR; i++)
			assert_memory_equal(&x->hist[i], &y->hist[i], sizeof(x->hist[i]));
	}
	rxs_recording_free(&a);
	rxs_recording_free(&b);
	/* without a series, the file has no "series" key at all */
	synth_recording(&a, 1, 50, NULL, 6);
	assert_int_equal(rxs_export_write(&a, path_of("noseries.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	assert_int_equal(rxs_json_read(path_of("noseries.json"), &b, err, sizeof(err)), 0);
	assert_int_equal(b.nseries, 0);
	assert_null(b.series);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

/* a real recording written before the series existed still reads, without a series */
static void test_json_old_file(void **state)
{
	struct rxs_recording b;
	char err[512] = "";

	(void)state;
	assert_int_equal(rxs_json_read(DATA_DIR "/recording-before-series.json", &b, err,
				       sizeof(err)), 0);
	assert_int_equal(b.nseries, 0);
	assert_true(b.stages[RXS_H_TOTAL].hist.count > 0);
	assert_int_equal(rxs_hist_slot_total(&b.stages[RXS_H_TOTAL].hist),
			 b.stages[RXS_H_TOTAL].hist.count);
	rxs_recording_free(&b);
}

/* a real recording made with record -i 1 in the VM: its intervals add up to its totals */
static void test_json_real_series(void **state)
{
	struct rxs_recording b;
	char err[512] = "";
	__u64 sock = 0, sock_total = 0;

	(void)state;
	assert_int_equal(rxs_json_read("tests/host/data/demo-series-6.12.json", &b, err,
				       sizeof(err)), 0);
	assert_true(b.nseries >= 5);
	for (int i = 0; i < RXS_H_NR; i++) {
		struct rxs_hist sum;

		rxs_hist_init(&sum);
		for (int k = 0; k < b.nseries; k++)
			rxs_hist_merge(&sum, &b.series[k].hist[i]);
		assert_int_equal(sum.count, b.stages[i].hist.count);
		assert_int_equal(sum.sum, b.stages[i].hist.sum);
		assert_memory_equal(sum.slots, b.stages[i].hist.slots, sizeof(sum.slots));
	}
	for (int k = 0; k < b.nseries; k++) {
		sock += b.series[k].bpf.pkts[RXS_F_SOCKET];
		assert_true(b.series[k].t_s <= b.duration_s + 1e-9);
	}
	for (int c = 0; c < b.ncpus; c++)
		sock_total += b.cpus[c].bpf.pkts[RXS_F_SOCKET];
	assert_int_equal(sock, sock_total);
	assert_int_equal(sock, 20000);
	rxs_recording_free(&b);
}

/* past RXS_SERIES_MAX intervals, neighbours merge: nothing is lost, time stays covered */
static void test_series_bounded(void **state)
{
	struct rxs_recording r;
	struct rxs_interval iv;
	__u64 total = 0;

	(void)state;
	rxs_recording_init(&r, 1);
	memset(&iv, 0, sizeof(iv));
	for (int k = 0; k <= RXS_SERIES_MAX; k++) {
		iv.t_s = k + 1;
		iv.dur_s = 1;
		iv.bpf.hardirqs = 1;
		rxs_hist_init(&iv.hist[RXS_H_POLL]);
		rxs_hist_add(&iv.hist[RXS_H_POLL], 1000 + k);
		assert_int_equal(rxs_series_append(&r, &iv), 0);
	}
	assert_int_equal(r.nseries, RXS_SERIES_MAX / 2 + 1);
	for (int k = 0; k < r.nseries; k++) {
		total += r.series[k].bpf.hardirqs;
		assert_int_equal(r.series[k].hist[RXS_H_POLL].count, r.series[k].bpf.hardirqs);
	}
	assert_int_equal(total, RXS_SERIES_MAX + 1);
	assert_true(r.series[0].t_s == 2 && r.series[0].dur_s == 2);
	assert_true(r.series[r.nseries - 1].t_s == RXS_SERIES_MAX + 1);
	assert_true(r.series[r.nseries - 2].t_s == RXS_SERIES_MAX);
	rxs_recording_free(&r);
	assert_null(r.series);
}

static void expect_bad_series(const char *name, const char *from, const char *to,
			      const char *want)
{
	struct rxs_recording a, b;
	char err[512] = "", *buf = NULL, *hit, *edited;
	size_t len = 0;
	FILE *f, *m;
	int c;

	synth_recording(&a, 1, 50, NULL, 8);
	synth_series(&a, 3);
	assert_int_equal(rxs_export_write(&a, path_of(name), RXS_FMT_JSON, err, sizeof(err)),
			 0);
	rxs_recording_free(&a);
	f = fopen(path_of(name), "r");
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	hit = strstr(strstr(buf, "\"series\""), from);
	if (!hit)
		fail_msg("test setup: \"%s\" not in the written series", from);
	edited = malloc(len + strlen(to) + 1);
	memcpy(edited, buf, hit - buf);
	strcpy(edited + (hit - buf), to);
	strcat(edited, hit + strlen(from));
	write_text(name, edited);
	free(buf);
	free(edited);
	assert_int_equal(rxs_json_read(path_of(name), &b, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want) || !strstr(err, name))
		fail_msg("error \"%s\" does not contain \"%s\" and the file name", err, want);
	rxs_recording_free(&b);
}

static void test_json_series_errors(void **state)
{
	(void)state;
	expect_bad_series("s1.json", "\"hardirq\": {", "\"hardirk\": {",
			  "series[0].stages.hardirk: unknown stage name");
	expect_bad_series("s2.json", "\"t_s\": 0.5", "\"t_s\": -1",
			  "series[0]: t_s -1, dur_s 0.5");
	expect_bad_series("s3.json", "\"count\": 3,", "\"count\": 4,",
			  "series[0].stages.hardirq: count 4 but the buckets hold 3");
	expect_bad_series("s4.json", "\"processed\": 101", "\"processed\": -1",
			  "series[0].softnet.processed: negative value");
	expect_bad_series("s5.json", "\"hardirqs\": 10,", "",
			  "series[0].bpf.hardirqs: missing");
	expect_bad_series("s6.json", "\"series\": [", "\"series\": 5, \"x\": [",
			  "series: expected array");
}

static int count_lines(const char *p, int *data_rows, unsigned long long *sum_first)
{
	char line[1024];
	FILE *f = fopen(p, "r");
	int n = 0;

	assert_non_null(f);
	*data_rows = 0;
	*sum_first = 0;
	while (fgets(line, sizeof(line), f)) {
		char stage[48];
		unsigned long long slot, lo, hi, cnt, cum;
		int avail;

		assert_true(strlen(line) < sizeof(line) - 1);
		n++;
		if (n == 1) {
			assert_string_equal(line, "stage,unit,hook,available,slot,lower,upper,"
					    "count,cumulative\n");
			continue;
		}
		assert_int_equal(sscanf(line, "%47[^,],%*[^,],\"%*[^\"]\",%d,%llu,%llu,%llu,"
					"%llu,%llu", stage, &avail, &slot, &lo, &hi, &cnt, &cum),
				 7);
		assert_true(lo <= hi);
		assert_int_equal(rxs_hist_slot(lo), slot);
		assert_int_equal(rxs_hist_slot(hi), slot);
		if (strcmp(stage, "hardirq") == 0)
			*sum_first += cnt;
		(*data_rows)++;
	}
	fclose(f);
	return n;
}

static void test_csv(void **state)
{
	struct rxs_recording a;
	char err[512];
	int rows, expect = 0;
	unsigned long long first;

	(void)state;
	synth_recording(&a, 2, 5000, NULL, 4);
	assert_int_equal(rxs_export_write(&a, path_of("r.csv"), RXS_FMT_CSV, err, sizeof(err)),
			 0);
	for (int i = 0; i < RXS_H_NR; i++)
		for (int b = 0; b < (int)RXS_HIST_BUCKETS; b++)
			expect += a.stages[i].hist.slots[b] != 0;
	count_lines(path_of("r.csv"), &rows, &first);
	assert_int_equal(rows, expect);
	assert_int_equal(first, a.stages[RXS_H_HARDIRQ].hist.count);
	rxs_recording_free(&a);
}

static bool have_promtool(void)
{
	return system("command -v promtool >/dev/null 2>&1") == 0;
}

static void test_prom(void **state)
{
	struct rxs_recording a;
	char err[512], line[512], cmd[512];
	unsigned long long prev = 0, inf = 0, count = 0, v;
	int buckets = 0;
	FILE *f;

	(void)state;
	synth_recording(&a, 2, 5000, NULL, 5);
	snprintf(a.kernel, sizeof(a.kernel), "6.12 \"quoted\" \\ name");
	assert_int_equal(rxs_export_write(&a, path_of("r.prom"), RXS_FMT_PROM, err,
					  sizeof(err)), 0);
	f = fopen(path_of("r.prom"), "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char le[32];

		if (sscanf(line, "rxscope_stage_latency_seconds_bucket{stage=\"poll\",le=\"%31[^\"]\"} %llu",
			   le, &v) == 2) {
			assert_true(v >= prev);	/* cumulative */
			prev = v;
			buckets++;
			if (strcmp(le, "+Inf") == 0)
				inf = v;
		}
		if (sscanf(line, "rxscope_stage_latency_seconds_count{stage=\"poll\"} %llu", &v) == 1)
			count = v;
	}
	fclose(f);
	assert_int_equal(buckets, RXS_HIST_MAX_EXP - RXS_HIST_SUB_BITS + 1);
	assert_int_equal(inf, a.stages[RXS_H_POLL].hist.count);
	assert_int_equal(count, a.stages[RXS_H_POLL].hist.count);
	if (have_promtool()) {
		snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s'", path_of("r.prom"));
		assert_int_equal(system(cmd), 0);
	} else {
		print_message("promtool not installed: checked the structure only\n");
	}
	rxs_recording_free(&a);
}

static void test_format_parse(void **state)
{
	enum rxs_format f;

	(void)state;
	assert_int_equal(rxs_format_parse("json", &f), 0);
	assert_int_equal(f, RXS_FMT_JSON);
	assert_int_equal(rxs_format_parse("prom", &f), 0);
	assert_int_equal(f, RXS_FMT_PROM);
	assert_int_equal(rxs_format_parse("csv", &f), 0);
	assert_int_equal(f, RXS_FMT_CSV);
	assert_int_equal(rxs_format_parse("xml", &f), -EINVAL);
	assert_int_equal(rxs_format_parse(NULL, &f), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_atomic_write),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_without_swept),
		cmocka_unit_test(test_json_series_round_trip),
		cmocka_unit_test(test_json_old_file),
		cmocka_unit_test(test_json_real_series),
		cmocka_unit_test(test_series_bounded),
		cmocka_unit_test(test_json_series_errors),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_prom),
		cmocka_unit_test(test_format_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
