// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_serve.c - what `rxscope serve` is made of, without a kernel: the HTTP request parser
 * (a table of good and bad requests, every prefix of a good one, and a seeded random fuzz
 * of mutated requests that checks the parser's contract on each), the listen address
 * parser, and the scrape exposition (exact cumulative buckets at the exported bounds,
 * the bucket set, and `promtool check metrics` when promtool is installed).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "export_prom.h"
#include "http.h"
#include "synth.h"
#include "tmpdir.h"

static int parse(const char *s, struct rxs_http_req *req)
{
	return rxs_http_parse(s, strlen(s), req);
}

static void test_parse_good(void **state)
{
	static const char get[] = "GET /metrics HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
	struct rxs_http_req req;

	(void)state;
	assert_int_equal(parse(get, &req), (int)strlen(get));
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/metrics");
	assert_int_equal(req.minor, 1);
	assert_true(req.keep_alive);
	/* the query string is not part of the path; LF-only line ends are accepted */
	assert_true(parse("GET /metrics?a=b HTTP/1.1\nHost: a\n\n", &req) > 0);
	assert_string_equal(req.path, "/metrics");
	/* Connection: close, in a list, any case */
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\nconnection: Upgrade, CLOSE\r\n\r\n",
			  &req) > 0);
	assert_false(req.keep_alive);
	/* HTTP/1.0: no Host needed, never kept alive */
	assert_true(parse("GET /metrics HTTP/1.0\r\n\r\n", &req) > 0);
	assert_int_equal(req.minor, 0);
	assert_false(req.keep_alive);
	/* other methods parse; the server answers them 405 */
	assert_true(parse("POST /metrics HTTP/1.1\r\nHost: a\r\n\r\n", &req) > 0);
	assert_string_equal(req.method, "POST");
	/* a zero Content-Length is no body */
	assert_true(parse("GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
			  &req) > 0);
	/* empty lines before the request line are skipped, and counted as consumed */
	assert_int_equal(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", &req), 4 + 27);
}

static void test_parse_pipelined(void **state)
{
	static const char two[] = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
				  "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
	struct rxs_http_req req;
	int n;

	(void)state;
	n = parse(two, &req);
	assert_int_equal(n, 34);
	assert_string_equal(req.path, "/metrics");
	assert_int_equal(rxs_http_parse(two + n, strlen(two) - n, &req), (int)strlen(two) - n);
	assert_string_equal(req.path, "/x");
}

static void test_parse_bad(void **state)
{
	static const struct {
		const char *req;
		int want;
	} cases[] = {
		{ "GET /metrics\r\n\r\n", -400 },			/* no version */
		{ "GET /metrics\r\n", -400 },				/* HTTP/0.9, at once */
		{ "GET  /metrics HTTP/1.1\r\nHost: a\r\n\r\n", -400 },	/* two spaces */
		{ "GET /metrics HTTP/1.1 \r\nHost: a\r\n\r\n", -400 },	/* trailing space */
		{ "GET metrics HTTP/1.1\r\nHost: a\r\n\r\n", -400 },	/* not origin-form */
		{ "GET http://a/metrics HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET /metrics HTTP/2.0\r\nHost: a\r\n\r\n", -505 },
		{ "GET /metrics HTTP/1.2\r\nHost: a\r\n\r\n", -505 },
		{ "GET /metrics HTTP/1.x\r\nHost: a\r\n\r\n", -400 },
		{ "GET /metrics http/1.1\r\nHost: a\r\n\r\n", -400 },
		{ "GET /metrics HTTP/1.1\r\n\r\n", -400 },			/* no Host */
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400 },
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", -400 },
		{ "GET /metrics HTTP/1.1\r\nHost : a\r\n\r\n", -400 },	/* space before : */
		{ "GET /metrics HTTP/1.1\r\nNoColon\r\n\r\n", -400 },
		{ "GET /metrics HTTP/1.1\r\nHost: a\x01\r\n\r\n", -400 },	/* control char */
		{ "GET /metrics HTTP/1.1\r\nHost: a\rb\r\n\r\n", -400 },	/* bare CR */
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", -400 },
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", -400 },
		{ "GET /metrics HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", -501 },
		{ "G\xc3\xa9T /metrics HTTP/1.1\r\nHost: a\r\n\r\n", -400 }, /* no token */
		{ "\r\r\n", -400 },
		{ "AVERYLONGMETHODNAME / HTTP/1.1\r\nHost: a\r\n\r\n", -400 },
	};
	struct rxs_http_req req;
	char big[RXS_HTTP_MAX_REQUEST + 100], path[400];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = parse(cases[i].req, &req);

		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %d, want %d", i, cases[i].req, got,
				 cases[i].want);
	}
	/* a NUL inside the line (strlen() would stop at it) */
	assert_int_equal(rxs_http_parse("GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n", 30, &req), -400);
	/* a head that fills the buffer without ending: 431; shorter: wait for more */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(rxs_http_parse(big, sizeof(big), &req), -431);
	assert_int_equal(rxs_http_parse(big, RXS_HTTP_MAX_REQUEST - 1, &req), 0);
	/* a complete head whose end lies beyond the limit is still too large */
	memcpy(big + RXS_HTTP_MAX_REQUEST + 10, "\r\n\r\n", 4);
	assert_int_equal(rxs_http_parse(big, RXS_HTTP_MAX_REQUEST + 14, &req), -431);
	/* a path longer than the parser keeps */
	memset(path, 'p', sizeof(path));
	snprintf(big, sizeof(big), "GET /%.300s HTTP/1.1\r\nHost: a\r\n\r\n", path);
	assert_int_equal(parse(big, &req), -414);
}

/* Every proper prefix of a good request is "incomplete", never an error. */
static void test_parse_prefixes(void **state)
{
	static const char get[] =
		"\r\nGET /metrics?x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
	struct rxs_http_req req;

	(void)state;
	for (size_t n = 0; n < strlen(get); n++)
		if (rxs_http_parse(get, n, &req) != 0)
			fail_msg("prefix of %zu bytes: %d", n, rxs_http_parse(get, n, &req));
	assert_int_equal(parse(get, &req), (int)strlen(get));
}

/*
 * Fuzz: mutate good requests at random (flip, insert, delete, splice in junk, truncate)
 * and check the contract on each: the result is 0, a length within the input, or one of
 * the documented statuses; a success names a token method, an origin-form path and
 * HTTP/1.0 or 1.1; and the parser reads nothing beyond @len (the input is copied into a
 * buffer of exactly @len bytes, whose end a sanitizer build would catch).
 */
static void test_parse_fuzz(void **state)
{
	static const char *const seeds[] = {
		"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9941\r\nUser-Agent: Prometheus/2.42\r\n"
		"Accept: text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\nAccept-Encoding: gzip\r\n\r\n",
		"GET /metrics HTTP/1.0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n",
	};
	struct synth_rng g = { 0x5eed5eed12345ULL };
	struct rxs_http_req req;
	char buf[1024];
	int ok = 0, need = 0, bad = 0;

	(void)state;
	for (int it = 0; it < 200000; it++) {
		const char *seed = seeds[synth_next(&g) % 3];
		size_t len = strlen(seed), nmut = 1 + synth_next(&g) % 4;
		char *copy;
		int ret;

		memcpy(buf, seed, len);
		for (size_t m = 0; m < nmut; m++) {
			size_t pos = len ? synth_next(&g) % len : 0;

			switch (synth_next(&g) % 5) {
			case 0:		/* flip a byte */
				if (len)
					buf[pos] = (char)synth_next(&g);
				break;
			case 1:		/* insert a byte from the interesting set */
				if (len < sizeof(buf) - 1) {
					static const char set[] = " :\r\n\t/?\0\x7f\xff";

					memmove(buf + pos + 1, buf + pos, len - pos);
					buf[pos] = set[synth_next(&g) % (sizeof(set) - 1)];
					len++;
				}
				break;
			case 2:		/* delete a byte */
				if (len) {
					memmove(buf + pos, buf + pos + 1, len - pos - 1);
					len--;
				}
				break;
			case 3:		/* truncate */
				len = pos;
				break;
			default:	/* a run of random bytes */
				for (size_t k = pos; k < len && k < pos + 8; k++)
					buf[k] = (char)synth_next(&g);
				break;
			}
		}
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		ret = rxs_http_parse(copy, len, &req);
		free(copy);
		if (ret > 0) {
			assert_true((size_t)ret <= len);
			assert_true(req.method[0] != '\0');
			assert_true(req.path[0] == '/');
			assert_true(req.minor == 0 || req.minor == 1);
			assert_true(strlen(req.path) < sizeof(req.path));
			ok++;
		} else if (ret == 0) {
			need++;
		} else {
			assert_true(ret == -400 || ret == -414 || ret == -431 || ret == -501 ||
				    ret == -505);
			bad++;
		}
	}
	print_message("fuzz: %d parsed, %d incomplete, %d rejected\n", ok, need, bad);
	/* the mutations must reach every outcome, or the fuzz tests little */
	assert_true(ok > 1000 && need > 1000 && bad > 1000);
}

static void test_parse_addr(void **state)
{
	struct sockaddr_storage ss;
	unsigned int sl;
	char err[256];

	(void)state;
	assert_int_equal(rxs_http_parse_addr("127.0.0.1:9941", &ss, &sl, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9941);
	assert_int_equal(rxs_http_parse_addr("9941", &ss, &sl, err, sizeof(err)), 0);
	assert_int_equal(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(rxs_http_parse_addr("localhost:1", &ss, &sl, err, sizeof(err)), 0);
	assert_int_equal(rxs_http_parse_addr("[::1]:9941", &ss, &sl, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(rxs_http_parse_addr("0.0.0.0:0", &ss, &sl, err, sizeof(err)), 0);
	assert_int_equal(rxs_http_parse_addr(":9941", &ss, &sl, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "0.0.0.0:PORT"));
	assert_int_equal(rxs_http_parse_addr("1.2.3.4:65536", &ss, &sl, err, sizeof(err)), -EINVAL);
	assert_int_equal(rxs_http_parse_addr("1.2.3:80", &ss, &sl, err, sizeof(err)), -EINVAL);
	assert_int_equal(rxs_http_parse_addr("host.example:80", &ss, &sl, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(rxs_http_parse_addr("::1:80", &ss, &sl, err, sizeof(err)), -EINVAL);
	assert_int_equal(rxs_http_parse_addr("[::1]80", &ss, &sl, err, sizeof(err)), -EINVAL);
	assert_int_equal(rxs_http_parse_addr("1.2.3.4:", &ss, &sl, err, sizeof(err)), -EINVAL);
}

/* The exported cumulative counts are exact at every bound, even for values on the edges. */
static void test_cumulative_exact(void **state)
{
	struct rxs_hist h;
	__u64 vals[400];
	int n = 0;

	(void)state;
	rxs_hist_init(&h);
	for (int e = 0; e <= 36; e++) {
		__u64 p = 1ULL << e;

		vals[n++] = p - 1;
		vals[n++] = p;
		vals[n++] = p + 1;
		vals[n++] = p + p / 2;
	}
	for (int i = 0; i < n; i++)
		rxs_hist_add(&h, vals[i]);
	for (int e = 0; e <= RXS_PROM_LAT_EXP_MAX; e++) {
		unsigned long long bound = (1ULL << e) - 1, want = 0;

		for (int i = 0; i < n; i++)
			want += vals[i] <= bound;
		if (rxs_prom_cumulative(&h, bound) != want)
			fail_msg("le=2^%d-1: got %llu, want %llu", e,
				 rxs_prom_cumulative(&h, bound), want);
	}
}

static bool have_promtool(void)
{
	return system("command -v promtool >/dev/null 2>&1") == 0;
}

static void test_scrape_exposition(void **state)
{
	struct rxs_prog_stat progs[2] = {
		{ "fentry_igb_poll", 1000, 250000, 0 }, { "tpbtf_napi_poll", 5, 900, 2 },
	};
	struct rxs_prom_scrape x = { .progs = progs, .nprogs = 2, .bpf_stats = true,
				     .collect_s = 0.0012, .scrapes = 7 };
	struct rxs_recording r;
	char path[256], line[768], cmd[1200];
	unsigned long long prev = 0, inf = 0, v;
	int buckets = 0, helps = 0;
	FILE *f;

	(void)state;
	synth_recording(&r, 2, 5000, NULL, 9);
	snprintf(r.dev, sizeof(r.dev), "eth\"0");	/* escaped in labels */
	r.stages[RXS_H_SOCKET].available = false;
	r.drop_reasons[2] = 11;
	snprintf(r.drop_reason_names[2], sizeof(r.drop_reason_names[2]), "NO_SOCKET");
	r.drop_reasons[RXS_MAX_DROP_REASONS - 1] = 1;
	snprintf(path, sizeof(path), "%s/scrape.prom", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(rxs_prom_write_scrape(f, &r, &x), 0);
	fclose(f);

	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char le[32];

		helps += !strncmp(line, "# HELP ", 7);
		/* an unavailable stage exports no series at all */
		assert_null(strstr(line, "stage=\"socket\",le"));
		if (sscanf(line, "rxscope_stage_latency_seconds_bucket{dev=\"eth\\\"0\","
			   "driver=\"rxscope_igb\",stage=\"poll\",le=\"%31[^\"]\"} %llu",
			   le, &v) == 2) {
			assert_true(v >= prev);
			prev = v;
			buckets++;
			if (!strcmp(le, "+Inf"))
				inf = v;
			if (buckets == 1)
				assert_string_equal(le, "6.3e-08");
			if (buckets == RXS_PROM_LAT_EXP_MAX - RXS_PROM_LAT_EXP_MIN + 1)
				assert_string_equal(le, "34.359738367");
		}
	}
	fclose(f);
	/* 30 finite bounds and +Inf */
	assert_int_equal(buckets, RXS_PROM_LAT_EXP_MAX - RXS_PROM_LAT_EXP_MIN + 2);
	assert_int_equal(inf, r.stages[RXS_H_POLL].hist.count);
	assert_true(helps > 20);
	snprintf(cmd, sizeof(cmd),
		 "grep -q '^rxscope_drops_total{.*reason=\"NO_SOCKET\"} 11$' %s && "
		 "grep -q '^rxscope_bpf_run_seconds_total{program=\"fentry_igb_poll\"} "
		 "0.000250000$' %s && "
		 "grep -q '^rxscope_poll_packets_bucket{.*le=\"63\"}' %s", path, path, path);
	assert_int_equal(system(cmd), 0);
	/* the backlog length: 0 .. 4095, then +Inf with every enqueue */
	snprintf(cmd, sizeof(cmd),
		 "grep -q '^rxscope_backlog_length_bucket{.*le=\"4095\"}' %s && "
		 "grep -q '^rxscope_backlog_length_bucket{.*le=\"+Inf\"} %llu$' %s", path,
		 (unsigned long long)r.stages[RXS_H_BACKLOG_LEN].hist.count, path);
	assert_int_equal(system(cmd), 0);
	if (have_promtool()) {
		snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s'", path);
		assert_int_equal(system(cmd), 0);
	} else {
		print_message("promtool not installed: checked the structure only\n");
	}
	rxs_recording_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_pipelined),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_prefixes),
		cmocka_unit_test(test_parse_fuzz),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_cumulative_exact),
		cmocka_unit_test(test_scrape_exposition),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
