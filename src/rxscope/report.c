// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * report.c - the human-readable tables of a recording (stages, funnel, drops, per-CPU
 * softnet next to BPF counters) shared by `trace` (each interval) and `report FILE`.
 */
#include <stdlib.h>
#include <string.h>
#include "exitcode.h"
#include "export_json.h"
#include "hist.h"
#include "report.h"
#include "slow.h"
#include "softnet.h"
#include "split.h"

void rxs_report_stages(FILE *f, const struct rxs_recording *r, unsigned int flags)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };

	const struct rxs_hist *pp = &r->stages[RXS_H_POLL_PKTS].hist;
	bool hooks = !(flags & RXS_REPORT_LIVE);
	char v[16];

	fprintf(f, "%-24s %10s %8s %8s %8s %8s %8s%s\n", "STAGE", "COUNT", "P50", "P90",
		"P99", "P99.9", "MAX", hooks ? "  HOOK" : "");
	for (int o = 0; o < RXS_H_NR; o++) {
		/* rows in the order of the path (the stage table's rank) */
		const struct rxs_stage *s = &r->stages[rxs_stage_at_rank(o)];
		char name[40];

		if (strcmp(s->unit, "ns"))
			snprintf(name, sizeof(name), "%s [%s]", s->name, s->unit);
		else
			snprintf(name, sizeof(name), "%s", s->name);
		if (!s->available) {
			fprintf(f, "%-24s %10s %8s %8s %8s %8s %8s%s\n", name, "-", "-", "-",
				"-", "-", "-", hooks ? "  unavailable" : "");
			continue;
		}
		fprintf(f, "%-24s %10llu", name, (unsigned long long)s->hist.count);
		for (size_t q = 0; q < sizeof(qs) / sizeof(qs[0]); q++)
			fprintf(f, " %8s", s->hist.count ?
				rxs_fmt_value(v, sizeof(v), rxs_hist_quantile(&s->hist, qs[q]),
					      s->unit) : "-");
		fprintf(f, " %8s%s%s\n", s->hist.count ?
			rxs_fmt_value(v, sizeof(v), (double)s->hist.max, s->unit) : "-",
			hooks ? "  " : "", hooks ? s->hook : "");
	}
	if (r->stages[RXS_H_TOTAL].available)
		fprintf(f, "total: driver interrupt to UDP socket queue; socket (the wait for "
			"recvmsg) is after it\n");
	/* empty polls pull poll_pkts' median down to 0 or 1: say how many there were */
	if (r->stages[RXS_H_POLL_PKTS].available && pp->count && pp->slots[0])
		fprintf(f, "poll_pkts: %llu of %llu polls (%.0f%%) found no packet\n",
			(unsigned long long)pp->slots[0], (unsigned long long)pp->count,
			100.0 * (double)pp->slots[0] / (double)pp->count);
}

/*
 * A funnel step was hooked when a per-packet stage that starts or ends at its point was
 * available (or the step counted packets anyway). On a kernel that offers no hook for
 * ip_rcv, say, the funnel must not report every packet as lost there.
 */
static bool funnel_hooked(const struct rxs_recording *r, int step, __u64 count)
{
	enum rxs_point p = rxs_funnel_point(step);

	if (count)
		return true;
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage_def *d = rxs_stage_def(i);

		if (d->per_packet && (d->from == p || d->to == p) && r->stages[i].available)
			return true;
	}
	return false;
}

void rxs_report_funnel(FILE *f, const struct rxs_recording *r)
{
	__u64 fun[RXS_F_NR] = { 0 }, drops = 0, evict = 0, unmatched = 0;

	for (int c = 0; c < r->ncpus; c++) {
		for (int k = 0; k < RXS_F_NR; k++)
			fun[k] += r->cpus[c].bpf.pkts[k];
		drops += r->cpus[c].bpf.drops;
		evict += r->cpus[c].bpf.track_evictions;
		unmatched += r->cpus[c].bpf.unmatched;
	}
	fprintf(f, "funnel:");
	for (int k = 0; k < RXS_F_NR; k++) {
		if (funnel_hooked(r, k, fun[k]))
			fprintf(f, "%s %s %llu", k ? " ->" : "", rxs_funnel_name(k),
				(unsigned long long)fun[k]);
		else
			fprintf(f, "%s %s n/a", k ? " ->" : "", rxs_funnel_name(k));
	}
	fprintf(f, "\n");
	/* Losses between neighbouring points that were both hooked; n/a points are skipped. */
	for (int k = 1, prev = 0; k < RXS_F_NR; k++) {
		if (!funnel_hooked(r, k, fun[k]))
			continue;
		if (funnel_hooked(r, prev, fun[prev]) && fun[k] < fun[prev])
			fprintf(f, "  %llu lost between %s and %s\n",
				(unsigned long long)(fun[prev] - fun[k]),
				rxs_funnel_name(prev), rxs_funnel_name(k));
		prev = k;
	}
	fprintf(f, "drops (kfree_skb of followed packets): %llu\n", (unsigned long long)drops);
	for (int i = 0; i < RXS_MAX_DROP_REASONS; i++) {
		if (!r->drop_reasons[i])
			continue;
		fprintf(f, "  %-32s %10llu\n", r->drop_reason_names[i][0] ?
			r->drop_reason_names[i] : (i == RXS_MAX_DROP_REASONS - 1 ?
						   "(larger reason ids)" : "(unnamed)"),
			(unsigned long long)r->drop_reasons[i]);
		if (!r->drop_reason_names[i][0] && i < RXS_MAX_DROP_REASONS - 1)
			fprintf(f, "    (reason id %d)\n", i);
	}
	if (evict)
		fprintf(f, "WARNING: %llu followed packets lost to taken tracking slots (their "
			"stages are not timed)\n", (unsigned long long)evict);
	if (r->stages[RXS_H_TAPS].available) {
		__u64 tapped = 0, deliveries = 0;

		for (int c = 0; c < r->ncpus; c++) {
			tapped += r->cpus[c].bpf.tapped_pkts;
			deliveries += r->cpus[c].bpf.tap_deliveries;
		}
		if (tapped)
			fprintf(f, "taps: %llu followed packets went to AF_PACKET taps, %.2f taps "
				"per packet (%llu deliveries)\n", (unsigned long long)tapped,
				(double)deliveries / (double)tapped,
				(unsigned long long)deliveries);
		else
			fprintf(f, "taps: no followed packet went to an AF_PACKET tap\n");
	}
	/* expected in small numbers: packets already on their way when tracing started */
	if (unmatched)
		fprintf(f, "unmatched: %llu events without a matching start (packets already "
			"under way when tracing began)\n", (unsigned long long)unmatched);
	fprintf(f, "tracking: %llu entries swept after %llu s without a hook (packet end unseen)\n",
		(unsigned long long)r->tracking_swept, RXS_STALE_S);
	if (r->sample_pct < 100)
		fprintf(f, "sampled: packets followed %d%% of the time (--sample); per-packet "
			"stages and the funnel count only those windows\n", r->sample_pct);
	rxs_report_backlog(f, r);
}

/*
 * The CPUs' backlogs (RPS, netif_rx): what the BPF side counted, next to the kernel's
 * softnet_stat columns for them, summed over CPUs. Printed when the backlog was hooked or
 * anything was counted (a recording from before these counters has neither).
 */
void rxs_report_backlog(FILE *f, const struct rxs_recording *r)
{
	__u64 enq = 0, ipis = 0, rps = 0, dropped = 0, flow = 0;
	bool sn = false;

	for (int i = 0; i < r->ncpus; i++) {
		const struct rxs_cpu_stat *c = &r->cpus[i];

		enq += c->bpf.backlog_enqueues;
		ipis += c->bpf.rps_ipis;
		if (c->softnet_ncols > RXS_SN_FLOW_LIMIT) {
			sn = true;
			rps += c->softnet[RXS_SN_RECEIVED_RPS];
			dropped += c->softnet[RXS_SN_DROPPED];
			flow += c->softnet[RXS_SN_FLOW_LIMIT];
		}
	}
	if (!r->stages[RXS_H_BACKLOG].available && !enq && !ipis && !rps && !flow)
		return;
	fprintf(f, "backlog: %llu enqueued, %llu IPIs sent (RPS)\n", (unsigned long long)enq,
		(unsigned long long)ipis);
	if (sn)
		fprintf(f, "  softnet_stat: %llu received_rps, %llu dropped, %llu flow_limit\n",
			(unsigned long long)rps, (unsigned long long)dropped,
			(unsigned long long)flow);
}

/*
 * The kernel's softnet "processed" counts every packet that __netif_receive_skb handled
 * on that CPU; the BPF netif_receive count is a subset when a filter is set, and should
 * match it when none is. The two are read at slightly different moments (the softnet
 * baseline just after the programs are attached, the maps before the file), so a few
 * packets of difference either way are skew, not a fault: SKEW() of the count (5% + 20:
 * an interval's two readings, a few milliseconds apart at both ends, differed by 21 of
 * 553 at 4,000 packets/s in the demo). Warn when
 * BPF saw more than the kernel processed beyond that (hooks misfiring), when unfiltered
 * counts differ by more than 5% + 10 packets, and when the kernel dropped packets at the
 * backlog. The warnings follow the table, so that they do not break it.
 */
#define SKEW(n)	((n) / 20 + 20)

int rxs_report_cpus(FILE *f, const struct rxs_recording *r)
{
	bool filtered = r->dev[0] || r->port;
	char *warn = NULL;
	size_t wlen = 0;
	FILE *w = open_memstream(&warn, &wlen);
	int warnings = 0;

	if (!w)
		w = f;	/* out of memory: the warnings go in between, as they come */
	fprintf(f, "%4s %9s %9s %9s %9s %7s %13s | %10s %8s %8s\n", "CPU", "hardirqs",
		"rx_inline", "rx_ksoftd", "polls", "budget", "netif_receive", "processed",
		"dropped", "squeezed");
	for (int i = 0; i < r->ncpus; i++) {
		const struct rxs_cpu_stat *c = &r->cpus[i];
		__u64 bpf_rx = c->bpf.pkts[RXS_F_NETIF_RECEIVE];
		bool sn = c->softnet_ncols > RXS_SN_TIME_SQUEEZE;
		__u64 proc = sn ? c->softnet[RXS_SN_PROCESSED] : 0;

		fprintf(f, "%4d %9llu %9llu %9llu %9llu %7llu %13llu |", c->cpu,
			(unsigned long long)c->bpf.hardirqs,
			(unsigned long long)c->bpf.netrx_runs_inline,
			(unsigned long long)c->bpf.netrx_runs_ksoftirqd,
			(unsigned long long)c->bpf.polls,
			(unsigned long long)c->bpf.polls_budget_exhausted,
			(unsigned long long)bpf_rx);
		if (!sn) {
			fprintf(f, " %10s %8s %8s\n", "-", "-", "-");
			continue;
		}
		fprintf(f, " %10llu %8llu %8llu\n", (unsigned long long)proc,
			(unsigned long long)c->softnet[RXS_SN_DROPPED],
			(unsigned long long)c->softnet[RXS_SN_TIME_SQUEEZE]);
		if (bpf_rx > proc + SKEW(proc)) {
			fprintf(w, "WARNING: cpu %d: BPF saw %llu packets at netif_receive_skb, "
				"the kernel processed only %llu\n", c->cpu,
				(unsigned long long)bpf_rx, (unsigned long long)proc);
			warnings++;
		} else if (!filtered && proc > bpf_rx + proc / 20 + 10) {
			fprintf(w, "WARNING: cpu %d: the kernel processed %llu packets, BPF saw "
				"%llu at netif_receive_skb\n", c->cpu, (unsigned long long)proc,
				(unsigned long long)bpf_rx);
			warnings++;
		}
		if (c->softnet[RXS_SN_DROPPED]) {
			fprintf(w, "WARNING: cpu %d: the kernel dropped %llu packets at the "
				"backlog (netdev_max_backlog)\n", c->cpu,
				(unsigned long long)c->softnet[RXS_SN_DROPPED]);
			warnings++;
		}
	}
	if (w != f) {
		fclose(w);
		if (wlen)
			fprintf(f, "%s", warn);
		free(warn);
	}
	return warnings;
}

void rxs_report_print(FILE *f, const struct rxs_recording *r, unsigned int flags)
{
	char port[16];

	snprintf(port, sizeof(port), "%d", r->port);
	if (!(flags & RXS_REPORT_LIVE))
		fprintf(f, "kernel %s, driver %s, dev %s, port %s, %.1f s, %d CPUs\n\n",
			r->kernel[0] ? r->kernel : "?", r->driver[0] ? r->driver : "?",
			r->dev[0] ? r->dev : "any", r->port ? port : "any", r->duration_s,
			r->ncpus);
	rxs_report_stages(f, r, flags);
	fprintf(f, "\n");
	rxs_report_funnel(f, r);
	fprintf(f, "\n");
	rxs_report_cpus(f, r);
	if (r->split) {
		fprintf(f, "\n");
		rxs_split_report(f, r);
	}
	rxs_slow_report(f, r->slow, r->cpus, r->ncpus);
	if (!(flags & RXS_REPORT_HIST))
		return;
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage *s = &r->stages[i];

		if (!s->available || !s->hist.count)
			continue;
		fprintf(f, "\n%s (%s):\n", s->name, s->hook);
		rxs_print_hist_bars(f, &s->hist, s->unit, flags & RXS_REPORT_RAW_NS);
	}
}

int rxs_report_cmd(const char *path, unsigned int flags)
{
	struct rxs_recording r;
	char err[512];

	if (rxs_json_read(path, &r, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		rxs_recording_free(&r);
		return RXS_EXIT_USAGE;
	}
	rxs_report_print(stdout, &r, flags);
	rxs_recording_free(&r);
	return RXS_EXIT_OK;
}
