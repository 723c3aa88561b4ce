// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * test_report.c - the report tables: quantiles in readable units, unavailable stages,
 * the funnel's losses, softnet-vs-BPF warnings, and `report FILE` on good and bad files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "synth.h"
#include "report.h"
#include "softnet.h"

static char *render(const struct rxs_recording *r, unsigned int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	rxs_report_print(f, r, flags);
	fclose(f);
	return buf;
}

/* An interval of a session: the readings' difference, stage by stage and CPU by CPU. */
static void test_delta(void **state)
{
	struct rxs_recording a, b, d;

	(void)state;
	synth_recording(&a, 2, 500, NULL, 3);
	synth_recording(&b, 2, 800, NULL, 4);
	/* b = a + (b's events): the later reading of the same maps */
	for (int i = 0; i < RXS_H_NR; i++)
		rxs_hist_merge(&b.stages[i].hist, &a.stages[i].hist);
	b.cpus[1].bpf.polls = a.cpus[1].bpf.polls + 17;
	b.cpus[0].softnet[RXS_SN_PROCESSED] = a.cpus[0].softnet[RXS_SN_PROCESSED] + 40;
	b.cpus[0].softnet[RXS_SN_BACKLOG_LEN] = 5;
	b.drop_reasons[2] = a.drop_reasons[2] + 9;
	b.duration_s = a.duration_s + 2;
	assert_int_equal(rxs_recording_delta(&d, &b, &a), 0);
	for (int i = 0; i < RXS_H_NR; i++)
		assert_int_equal(d.stages[i].hist.count, 800);
	assert_int_equal(d.cpus[1].bpf.polls, 17);
	assert_int_equal(d.cpus[0].softnet[RXS_SN_PROCESSED], 40);
	assert_int_equal(d.cpus[0].softnet[RXS_SN_BACKLOG_LEN], 5);	/* a gauge */
	assert_int_equal(d.drop_reasons[2], 9);
	assert_true(d.duration_s > 1.99 && d.duration_s < 2.01);
	assert_string_equal(d.stages[RXS_H_GRO].hook, b.stages[RXS_H_GRO].hook);
	rxs_recording_free(&d);
	rxs_recording_free(&a);
	rxs_recording_free(&b);
}

/*
 * The backlog lines: BPF's enqueues and IPIs summed over CPUs, next to softnet_stat's
 * received_rps, dropped and flow_limit_count; none for a recording without the backlog
 * (a file from before it, or a kernel without its hook) where nothing was counted.
 */
static void test_backlog(void **state)
{
	struct rxs_recording r;
	char *out;

	(void)state;
	synth_recording(&r, 2, 50, NULL, 5);
	r.cpus[0].bpf.backlog_enqueues = 700;
	r.cpus[1].bpf.backlog_enqueues = 300;
	r.cpus[0].bpf.rps_ipis = 585;
	r.cpus[1].softnet[RXS_SN_RECEIVED_RPS] = 580;
	r.cpus[0].softnet[RXS_SN_RECEIVED_RPS] = 5;
	r.cpus[1].softnet[RXS_SN_DROPPED] = 3;
	r.cpus[1].softnet[RXS_SN_FLOW_LIMIT] = 2;
	out = render(&r, 0);
	assert_non_null(strstr(out, "\nbacklog: 1000 enqueued, 585 IPIs sent (RPS)\n"
			       "  softnet_stat: 585 received_rps, 3 dropped, 2 flow_limit\n"));
	free(out);
	/* no softnet_stat columns that far: the BPF line alone */
	for (int c = 0; c < r.ncpus; c++)
		r.cpus[c].softnet_ncols = 3;
	out = render(&r, 0);
	assert_non_null(strstr(out, "\nbacklog: 1000 enqueued, 585 IPIs sent (RPS)\n\n"));
	assert_null(strstr(out, "softnet_stat:"));
	free(out);
	/* unhooked and nothing counted: no line */
	r.stages[RXS_H_BACKLOG].available = false;
	r.stages[RXS_H_BACKLOG_LEN].available = false;
	for (int c = 0; c < r.ncpus; c++) {
		r.cpus[c].bpf.backlog_enqueues = 0;
		r.cpus[c].bpf.rps_ipis = 0;
	}
	out = render(&r, 0);
	assert_null(strstr(out, "backlog:"));
	free(out);
	rxs_recording_free(&r);
}

static void test_tables(void **state)
{
	struct rxs_recording r;
	char *out, want[128], v[16];

	(void)state;
	synth_recording(&r, 2, 1000, NULL, 7);
	r.stages[RXS_H_GRO].available = false;
	out = render(&r, false);
	/* the poll row carries its count and its p99 as the table formats it */
	snprintf(want, sizeof(want), "\npoll%31llu",
		 (unsigned long long)r.stages[RXS_H_POLL].hist.count);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, rxs_fmt_value(v, sizeof(v),
			rxs_hist_quantile(&r.stages[RXS_H_POLL].hist, 0.99), "ns")));
	assert_non_null(strstr(out, "poll_pkts [packets]"));
	assert_non_null(strstr(out, "unavailable"));
	/* synth: funnel 5000/4990/... per CPU plus the CPU number */
	assert_non_null(strstr(out, "funnel: gro 10001 -> netif_receive 9981"));
	assert_non_null(strstr(out, "20 lost between gro and netif_receive"));
	assert_non_null(strstr(out, "NOT_SPECIFIED"));
	assert_non_null(strstr(out, "WARNING: 2 followed packets lost to taken tracking slots"));
	/* softnet processed 5000+c < BPF netif_receive 4990+c: no warning; filter is set */
	assert_null(strstr(out, "WARNING: cpu"));
	assert_null(strstr(out, "distribution"));
	free(out);

	/* BPF saw more than the kernel processed: warn */
	r.cpus[1].softnet[RXS_SN_PROCESSED] = 100;
	r.cpus[0].softnet[RXS_SN_DROPPED] = 3;
	out = render(&r, true);
	assert_non_null(strstr(out, "WARNING: cpu 1: BPF saw 4991 packets"));
	assert_non_null(strstr(out, "WARNING: cpu 0: the kernel dropped 3 packets"));
	assert_non_null(strstr(out, "distribution"));
	free(out);

	/* no filter: a kernel count far above BPF's is suspicious */
	r.dev[0] = '\0';
	r.port = 0;
	r.cpus[1].softnet[RXS_SN_PROCESSED] = 9000;
	out = render(&r, false);
	assert_non_null(strstr(out, "WARNING: cpu 1: the kernel processed 9000 packets"));
	free(out);
	rxs_recording_free(&r);
}

/* A funnel point no hook reached is n/a, and no packets are called lost there. */
static void test_funnel_unhooked(void **state)
{
	struct rxs_recording r;
	char *out;

	(void)state;
	synth_recording(&r, 2, 1000, NULL, 7);
	/* every stage that starts or ends at ip_rcv (l2_to_ip, ip_to_udp, nf_prerouting) */
	for (int i = 0; i < RXS_H_NR; i++)
		if (rxs_stage_def(i)->from == RXS_P_IP_RCV || rxs_stage_def(i)->to == RXS_P_IP_RCV)
			r.stages[i].available = false;
	for (int c = 0; c < r.ncpus; c++)
		r.cpus[c].bpf.pkts[RXS_F_IP_RCV] = 0;
	out = render(&r, false);
	assert_non_null(strstr(out, "-> ip_rcv n/a ->"));
	assert_null(strstr(out, "lost between netif_receive and ip_rcv"));
	assert_null(strstr(out, "lost between ip_rcv"));
	free(out);

	/* hooked but empty: the loss is real and reported */
	r.stages[RXS_H_IP_TO_UDP].available = true;
	out = render(&r, false);
	assert_non_null(strstr(out, "-> ip_rcv 0 ->"));
	assert_non_null(strstr(out, "lost between netif_receive and ip_rcv"));
	free(out);
	rxs_recording_free(&r);
}

/*
 * Warnings only when something is wrong, and after the per-CPU table, never inside it;
 * a few packets of skew between the BPF and the softnet_stat readings are not wrong.
 */
static void test_warnings(void **state)
{
	struct rxs_recording r;
	char *out, *warn, *row;

	(void)state;
	synth_recording(&r, 2, 100, NULL, 5);
	for (int c = 0; c < r.ncpus; c++)
		r.cpus[c].bpf.track_evictions = 0;
	/* BPF counted 3 more than the kernel: the readings are not simultaneous */
	r.cpus[1].softnet[RXS_SN_PROCESSED] = r.cpus[1].bpf.pkts[RXS_F_NETIF_RECEIVE] - 3;
	out = render(&r, false);
	if (strstr(out, "WARNING"))
		print_error("%s", out);
	assert_null(strstr(out, "WARNING"));
	/* unmatched events are a count, not a warning */
	assert_non_null(strstr(out, " 4 events without a matching start"));
	free(out);

	/* far more than skew: warned, after the last CPU row */
	r.cpus[0].softnet[RXS_SN_PROCESSED] = 100;
	out = render(&r, false);
	warn = strstr(out, "WARNING: cpu 0: BPF saw 4990 packets");
	row = strstr(out, "\n   1 ");
	assert_non_null(warn);
	assert_non_null(row);
	assert_true(warn > row);
	assert_null(strstr(out, "WARNING: cpu 1"));
	free(out);
	rxs_recording_free(&r);
}

/*
 * Tables that explain themselves: the per-CPU column is named after what it counts,
 * total comes before socket with a line saying what it spans, the share of empty polls
 * is printed, and the port filter reads "port 9000" or "port any", never "port 0".
 */
static void test_explained(void **state)
{
	struct rxs_recording r;
	char *out, *tot, *sock;

	(void)state;
	synth_recording(&r, 2, 100, NULL, 9);
	rxs_hist_init(&r.stages[RXS_H_POLL_PKTS].hist);
	for (int i = 0; i < 40; i++)
		rxs_hist_add(&r.stages[RXS_H_POLL_PKTS].hist, i % 2 ? 1 : 0);
	rxs_hist_add(&r.stages[RXS_H_POLL_PKTS].hist, 5);
	out = render(&r, false);
	assert_non_null(strstr(out, " netif_receive |"));
	assert_null(strstr(out, "netif_rx "));
	tot = strstr(out, "\ntotal ");
	sock = strstr(out, "\nsocket ");
	assert_non_null(tot);
	assert_non_null(sock);
	assert_true(tot < sock);
	assert_non_null(strstr(out, "total: driver interrupt to UDP socket queue; socket (the "
			       "wait for recvmsg) is after it"));
	assert_non_null(strstr(out, "poll_pkts: 20 of 41 polls (49%) found no packet"));
	assert_non_null(strstr(out, ", port 9000,"));
	free(out);
	r.port = 0;
	out = render(&r, false);
	assert_non_null(strstr(out, ", port any,"));
	assert_null(strstr(out, "port 0"));
	free(out);
	for (int c = 0; c < r.ncpus; c++)
		for (int k = 0; k < (int)(sizeof(r.cpus[c].bpf) / 8); k++)
			((__u64 *)&r.cpus[c].bpf)[k] = 123456789;
	out = render(&r, RXS_REPORT_LIVE);
	/* trace's tables (no HOOK column): every line but the funnel's, which grows with its five counts */
	for (char *line = out, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, "funnel:", 7))
			assert_true((nl ? nl - line : (long)strlen(line)) <= 100);
	}
	free(out);
	rxs_recording_free(&r);
}

static void test_cmd(void **state)
{
	char path[] = "/tmp/rxs-test-report-XXXXXX", err[256];
	struct rxs_recording r;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	synth_recording(&r, 1, 100, NULL, 8);
	assert_int_equal(rxs_export_write(&r, path, RXS_FMT_JSON, err, sizeof(err)), 0);
	assert_int_equal(rxs_report_cmd(path, false), 0);
	assert_int_equal(rxs_report_cmd("/nonexistent/run.json", false), 2);
	unlink(path);
	rxs_recording_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_backlog),
		cmocka_unit_test(test_funnel_unhooked),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_explained),
		cmocka_unit_test(test_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
