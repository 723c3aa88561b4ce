// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_slow.c - --slow: the threshold parser and its errors, the set of the worst packets,
 * a BPF record turned into stages, the timeline line and the report table, the JSON field
 * "slow" written and read back, its reader's errors, files without it, and compare, which
 * ignores it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "compare.h"
#include "report.h"
#include "slow.h"
#include "synth.h"
#include "tmpdir.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/unit/data"
#endif

static void parses(const char *s, __u64 want)
{
	char err[160] = "";
	__u64 ns = 0;

	if (rxs_slow_parse_threshold(s, &ns, err, sizeof(err)))
		fail_msg("'%s' refused: %s", s, err);
	assert_int_equal(ns, want);
}

static void refuses(const char *s, const char *why)
{
	char err[160] = "";
	__u64 ns = 12345;

	assert_int_equal(rxs_slow_parse_threshold(s, &ns, err, sizeof(err)), -EINVAL);
	if (!strstr(err, why))
		fail_msg("'%s': error '%s' does not say '%s'", s, err, why);
	assert_int_equal(ns, 12345);	/* untouched */
}

static void test_parse(void **state)
{
	(void)state;
	parses("500us", 500000);
	parses("1.5ms", 1500000);
	parses("200000ns", 200000);
	parses("1s", 1000000000);
	parses("0.25s", 250000000);
	parses(".5us", 500);
	parses("3600s", 3600000000000ULL);
	refuses("500", "no unit");
	refuses("500x", "unknown unit 'x'");
	refuses("500 us", "unknown unit ' us'");
	refuses("500USEC", "unknown unit");
	refuses("", "want a positive number");
	refuses("us", "want a positive number");
	refuses("-5us", "want a positive number");
	refuses("0us", "zero");
	refuses("0.1ns", "fraction");
	refuses("3601s", "above one hour");
	refuses("1e400s", "not a number");
}

static struct rxs_slow_pkt pkt(__u64 total, double t)
{
	struct rxs_slow_pkt p;

	memset(&p, 0, sizeof(p));
	for (int i = 0; i < RXS_H_NR; i++)
		p.ns[i] = RXS_SLOW_UNKNOWN;
	p.ns[RXS_H_TOTAL] = total;
	p.ns[RXS_H_IRQ_TO_RX] = total - 100;
	p.t_s = t;
	return p;
}

static void test_keep_worst(void **state)
{
	static const __u64 totals[] = { 700, 300, 900, 100, 800, 900, 200, 1000 };
	struct rxs_slow_set *set = rxs_slow_set_new(50, 10, 4);

	(void)state;
	assert_non_null(set);
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		struct rxs_slow_pkt p = pkt(totals[i], (double)i);

		rxs_slow_set_add(set, &p);
	}
	assert_int_equal(set->seen, 8);
	assert_int_equal(set->n, 4);
	assert_int_equal(set->pkts[0].ns[RXS_H_TOTAL], 1000);
	assert_int_equal(set->pkts[1].ns[RXS_H_TOTAL], 900);
	assert_true(set->pkts[1].t_s == 2.0);	/* of two ties, the earlier first */
	assert_int_equal(set->pkts[2].ns[RXS_H_TOTAL], 900);
	assert_true(set->pkts[2].t_s == 5.0);
	assert_int_equal(set->pkts[3].ns[RXS_H_TOTAL], 800);
	free(set);
}

/* A record as the BPF side sends it: ISR at 10 s + 1 ms, the stamps after it. */
static struct rxs_slow_event event(void)
{
	struct rxs_slow_event e;
	__u64 isr = 10001000000ULL;

	memset(&e, 0, sizeof(e));
	e.ts[RXS_P_ISR] = isr;
	e.ts[RXS_P_GRO] = isr + 800000;
	e.ts[RXS_P_NETIF_RX] = isr + 802000;
	e.ts[RXS_P_IP_RCV] = isr + 806000;
	e.ts[RXS_P_UDP_QUEUE] = isr + 811000;
	e.saddr = inet_addr("10.0.2.2");
	e.daddr = inet_addr("10.0.2.15");
	e.sport = 40001;
	e.dport = 9000;
	e.queue = 1;
	e.napi_id = 8194;
	e.isr_cpu = 1;
	e.rx_cpu = 1;
	e.udp_cpu = 0;
	return e;
}

static void test_from_event(void **state)
{
	struct rxs_slow_event e = event();
	struct rxs_slow_pkt p;

	(void)state;
	rxs_slow_from_event(&p, &e, 10000000000ULL);
	assert_true(p.t_s > 0.000999 && p.t_s < 0.001001);
	assert_int_equal(p.ns[RXS_H_IRQ_TO_RX], 800000);
	assert_int_equal(p.ns[RXS_H_GRO], 2000);
	assert_int_equal(p.ns[RXS_H_L2_TO_IP], 4000);
	assert_int_equal(p.ns[RXS_H_IP_TO_UDP], 5000);
	assert_int_equal(p.ns[RXS_H_TOTAL], 811000);
	/* the socket stage ends after udp_queue; the per-IRQ stages are not per packet */
	assert_true(p.ns[RXS_H_SOCKET] == RXS_SLOW_UNKNOWN);
	assert_true(p.ns[RXS_H_POLL] == RXS_SLOW_UNKNOWN);
	assert_true(p.ns[RXS_H_HARDIRQ] == RXS_SLOW_UNKNOWN);
	assert_int_equal(p.queue, 1);
	assert_int_equal(p.isr_cpu, 1);
	assert_int_equal(p.udp_cpu, 0);
	assert_true(p.ns[RXS_H_TAPS] == RXS_SLOW_UNKNOWN);	/* no tap ran */

	/* a packet that started at netif_receive_skb: no GRO stamp, so no irq_to_rx or gro */
	e.ts[RXS_P_GRO] = 0;
	rxs_slow_from_event(&p, &e, 10000000000ULL);
	assert_true(p.ns[RXS_H_IRQ_TO_RX] == RXS_SLOW_UNKNOWN);
	assert_true(p.ns[RXS_H_GRO] == RXS_SLOW_UNKNOWN);
	assert_int_equal(p.ns[RXS_H_L2_TO_IP], 4000);
	assert_int_equal(p.ns[RXS_H_TOTAL], 811000);
}

/* What @fn prints to a memory stream, as a string to free(). */
static char *captured(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void print_line(FILE *f, const void *p)
{
	rxs_slow_print_line(f, p);
}

static void test_line(void **state)
{
	struct rxs_slow_event e = event();
	struct rxs_slow_pkt p;
	char *s;

	(void)state;
	rxs_slow_from_event(&p, &e, 10000000000ULL);
	s = captured(print_line, &p);
	assert_string_equal(s, "slow   0.001000s 10.0.2.2:40001 > 10.0.2.15:9000 queue 1 "
			    "cpu 1>1>0 total 811us: irq_to_rx 800us | gro 2.00us | "
			    "l2_to_ip 4.00us | ip_to_udp 5.00us\n");
	free(s);
	/* moved by RPS: the first CPUs unknown; AF_PACKET taps took 1.5 us in l2_to_ip */
	e.isr_cpu = -1;
	e.rx_cpu = -1;
	e.taps_ns = 1500;
	e.queue = -1;
	rxs_slow_from_event(&p, &e, 10000000000ULL);
	assert_int_equal(p.ns[RXS_H_TAPS], 1500);
	s = captured(print_line, &p);
	assert_string_equal(s, "slow   0.001000s 10.0.2.2:40001 > 10.0.2.15:9000 queue - "
			    "cpu ?>?>0 total 811us: irq_to_rx 800us | gro 2.00us | "
			    "l2_to_ip 4.00us | taps 1.50us | ip_to_udp 5.00us\n");
	free(s);
}

/* A recording with a "slow" field of three packets. */
static void slow_recording(struct rxs_recording *r)
{
	struct rxs_slow_event e = event();
	__u64 udp = e.ts[RXS_P_UDP_QUEUE];

	synth_recording(r, 2, 200, NULL, 7);
	r->slow = rxs_slow_set_new(500000, 100, 5);
	assert_non_null(r->slow);
	for (int i = 0; i < 3; i++) {
		struct rxs_slow_pkt p;

		e.ts[RXS_P_UDP_QUEUE] = udp + 100000 * i;
		e.sport = 40000 + i;
		rxs_slow_from_event(&p, &e, 10000000000ULL);
		rxs_slow_set_add(r->slow, &p);
	}
	r->slow->seen = 42;
	r->cpus[0].bpf.slow_records = 40;
	r->cpus[1].bpf.slow_records = 2;
	r->cpus[1].bpf.slow_ratelimited = 17;
	r->cpus[0].bpf.slow_ringbuf_full = 3;
}

static void test_json_round_trip(void **state)
{
	struct rxs_recording a, b;
	char err[512];

	(void)state;
	slow_recording(&a);
	assert_int_equal(rxs_export_write(&a, path_of("slow.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	if (rxs_json_read(path_of("slow.json"), &b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_non_null(b.slow);
	assert_int_equal(b.slow->threshold_ns, 500000);
	assert_int_equal(b.slow->rate, 100);
	assert_int_equal(b.slow->keep, 5);
	assert_int_equal(b.slow->seen, 42);
	assert_int_equal(b.slow->n, 3);
	for (int k = 0; k < 3; k++) {
		const struct rxs_slow_pkt *p = &a.slow->pkts[k], *q = &b.slow->pkts[k];

		assert_true(p->t_s == q->t_s);
		assert_memory_equal(p->ns, q->ns, sizeof(p->ns));
		assert_int_equal(p->saddr, q->saddr);
		assert_int_equal(p->daddr, q->daddr);
		assert_int_equal(p->sport, q->sport);
		assert_int_equal(p->dport, q->dport);
		assert_int_equal(p->queue, q->queue);
		assert_int_equal(p->napi_id, q->napi_id);
		assert_int_equal(p->isr_cpu, q->isr_cpu);
		assert_int_equal(p->rx_cpu, q->rx_cpu);
		assert_int_equal(p->udp_cpu, q->udp_cpu);
	}
	/* slowest first: the third packet (udp_queue 200 us later) */
	assert_int_equal(b.slow->pkts[0].sport, 40002);
	assert_int_equal(b.slow->pkts[0].ns[RXS_H_TOTAL], 1011000);
	/* the counters went through the per-CPU table */
	assert_int_equal(b.cpus[1].bpf.slow_ratelimited, 17);
	assert_int_equal(b.cpus[0].bpf.slow_ringbuf_full, 3);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

static void report_print(FILE *f, const void *r)
{
	rxs_report_print(f, r, 0);
}

static void test_report_table(void **state)
{
	struct rxs_recording a;
	char *s;

	(void)state;
	slow_recording(&a);
	s = captured(report_print, &a);
	assert_non_null(strstr(s, "\nslow packets: 42 sent, 17 not sent (rate limit), 3 not "
			       "sent (ring buffer full)\n"));
	assert_non_null(strstr(s, "slowest packets (total > 500us; 3 kept of 42 received; "
			       "rate limit 100/s per CPU):\n"));
	assert_non_null(strstr(s, "       T_S     TOTAL irq_to_rx       gro  l2_to_ip "
			       "ip_to_udp QUEUE CPU:ISR>RX>UDP  FLOW\n"));
	assert_non_null(strstr(s, "     0.001    1.01ms     800us    2.00us    4.00us     "
			       "205us     1          1>1>0  10.0.2.2:40002 > 10.0.2.15:9000\n"));
	free(s);
	/* without --slow: no such section */
	rxs_recording_free(&a);
	synth_recording(&a, 2, 200, NULL, 7);
	s = captured(report_print, &a);
	assert_null(strstr(s, "slow"));
	free(s);
	rxs_recording_free(&a);
}

static void test_old_file(void **state)
{
	struct rxs_recording b;
	char err[512];

	(void)state;
	if (rxs_json_read(DATA_DIR "/recording-before-series.json", &b, err, sizeof(err)))
		fail_msg("%s", err);
	assert_null(b.slow);
	for (int c = 0; c < b.ncpus; c++) {
		assert_int_equal(b.cpus[c].bpf.slow_records, 0);
		assert_int_equal(b.cpus[c].bpf.slow_ratelimited, 0);
		assert_int_equal(b.cpus[c].bpf.slow_ringbuf_full, 0);
	}
	rxs_recording_free(&b);
}

/* Write a recording, replace @from by @to in its text, read it: the error names @want. */
static void bad_file(const char *from, const char *to, const char *want)
{
	struct rxs_recording a, b;
	char err[512] = "", *buf = NULL, *at;
	size_t len = 0;
	FILE *f;

	slow_recording(&a);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(rxs_json_write(f, &a), 0);
	fclose(f);
	at = strstr(buf, from);
	if (!at)
		fail_msg("'%s' not in the file", from);
	f = fopen(path_of("bad.json"), "w");
	assert_non_null(f);
	fprintf(f, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	fclose(f);
	assert_int_equal(rxs_json_read(path_of("bad.json"), &b, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_non_null(strstr(err, "bad.json"));
	free(buf);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

static void test_bad_fields(void **state)
{
	(void)state;
	bad_file("\"threshold_ns\": 500000", "\"threshold_ns\": 0",
		 "slow.threshold_ns: 0 outside 1..");
	bad_file("\"keep\": 5", "\"keep\": 2", "slow.packets: 3 packets, more than keep 2");
	bad_file("\"received\": 42", "\"received\": 1",
		 "slow.packets: 3 packets, more than received 1");
	bad_file("\"saddr\": \"10.0.2.2\"", "\"saddr\": \"10.0.2\"",
		 "slow.packets[0].saddr: expected an IPv4 address");
	bad_file("\"dport\": 9000", "\"dport\": 90000", "slow.packets[0].dport: 90000 outside");
	bad_file("\"queue\": 1", "\"queue\": -2", "slow.packets[0].queue: -2 outside");
	bad_file("\"irq_to_rx\": 800000", "\"hardirq\": 800000",
		 "slow.packets[0].stages.hardirq: not a per-packet stage");
	bad_file("\"irq_to_rx\": 800000", "\"irq_to_rx\": -1",
		 "slow.packets[0].stages.irq_to_rx: expected a non-negative integer");
	bad_file("\"total\": 1011000", "\"totl\": 1011000",
		 "slow.packets[0].stages.totl: not a per-packet stage");
	bad_file("\"rate_per_cpu\": 100", "\"rate_per_cpu\": \"100\"",
		 "slow.rate_per_cpu: expected an integer");
	bad_file("\"slow\": {", "\"slow\": [ ], \"x\": {", "slow: expected object");
}

static void test_compare_ignores(void **state)
{
	struct rxs_recording a;
	struct rxs_cmp_side base = { 0 }, cand = { 0 };
	struct rxs_compare_opts o;
	struct rxs_cmp_result res;
	char err[512];

	(void)state;
	slow_recording(&a);
	assert_int_equal(rxs_export_write(&a, path_of("with-slow.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	free(a.slow);
	a.slow = NULL;
	assert_int_equal(rxs_export_write(&a, path_of("without.json"), RXS_FMT_JSON, err,
					  sizeof(err)), 0);
	rxs_recording_free(&a);
	rxs_compare_opts_init(&o);
	if (rxs_cmp_side_load(path_of("without.json"), &base, err, sizeof(err)) ||
	    rxs_cmp_side_load(path_of("with-slow.json"), &cand, err, sizeof(err)))
		fail_msg("%s", err);
	memset(&res, 0, sizeof(res));
	if (rxs_compare(&base, &cand, &o, &res, err, sizeof(err)))
		fail_msg("%s", err);
	/* the same histograms: nothing regressed */
	assert_int_not_equal(rxs_compare_exit_code(&o, &res), 1);
	rxs_cmp_side_free(&base);
	rxs_cmp_side_free(&cand);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_keep_worst),
		cmocka_unit_test(test_from_event),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_report_table),
		cmocka_unit_test(test_old_file),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_compare_ignores),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
