// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * slow.c - `--slow`: the threshold parser, the set of the worst packets, the timeline line,
 * the report table and the JSON field "slow" (docs/format.md). No BPF here: the ring buffer
 * and its consumer are in slow_bpf.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <json-c/json.h>
#include "export_json.h"
#include "hist.h"
#include "recording.h"
#include "slow.h"

int rxs_slow_parse_threshold(const char *s, __u64 *ns, char *err, size_t errlen)
{
	static const struct { const char *name; double mult; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	const char *u;
	char *end;
	double v;
	size_t i;

	if (!s || !((*s >= '0' && *s <= '9') || *s == '.')) {
		snprintf(err, errlen, "want a positive number with a unit (ns, us, ms or s), "
			 "such as 500us");
		return -EINVAL;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v)) {
		snprintf(err, errlen, "not a number");
		return -EINVAL;
	}
	u = end;
	if (!*u) {
		snprintf(err, errlen, "no unit: write %s followed by ns, us, ms or s "
			 "(such as %sus)", s, s);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u, units[i].name))
			break;
	if (i == sizeof(units) / sizeof(units[0])) {
		snprintf(err, errlen, "unknown unit '%s': want ns, us, ms or s", u);
		return -EINVAL;
	}
	v *= units[i].mult;
	if (v > 3600e9) {
		snprintf(err, errlen, "above one hour");
		return -EINVAL;
	}
	if (!(v >= 1)) {
		snprintf(err, errlen, "%s, below 1 ns: want a threshold above 0",
			 v == 0 ? "zero" : "a fraction of a nanosecond");
		return -EINVAL;
	}
	*ns = (__u64)llround(v);
	return 0;
}

struct rxs_slow_set *rxs_slow_set_new(__u64 threshold_ns, __u32 rate, int keep)
{
	struct rxs_slow_set *set;

	if (keep < 1)
		keep = 1;
	set = calloc(1, sizeof(*set) + (size_t)keep * sizeof(set->pkts[0]));
	if (!set)
		return NULL;
	set->threshold_ns = threshold_ns;
	set->rate = rate;
	set->keep = keep;
	return set;
}

static __u64 total_of(const struct rxs_slow_pkt *p)
{
	return p->ns[RXS_H_TOTAL] == RXS_SLOW_UNKNOWN ? 0 : p->ns[RXS_H_TOTAL];
}

void rxs_slow_set_add(struct rxs_slow_set *set, const struct rxs_slow_pkt *p)
{
	__u64 tot = total_of(p);
	int i;

	set->seen++;
	if (set->n == set->keep && total_of(&set->pkts[set->n - 1]) >= tot)
		return;
	/* insertion from the end: the set is small and sorted, slowest first */
	i = set->n < set->keep ? set->n++ : set->n - 1;
	while (i > 0 && total_of(&set->pkts[i - 1]) < tot) {
		set->pkts[i] = set->pkts[i - 1];
		i--;
	}
	set->pkts[i] = *p;
}

void rxs_slow_from_event(struct rxs_slow_pkt *p, const struct rxs_slow_event *e,
			 __u64 t0_ns)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < RXS_H_NR; i++) {
		const struct rxs_stage_def *d = rxs_stage_def(i);
		__u64 a, b;

		p->ns[i] = RXS_SLOW_UNKNOWN;
		/* the per-packet stages run from a point's start to a point's start */
		if (!d->per_packet || d->from_end || d->to_end || d->from >= RXS_P_NR ||
		    d->to >= RXS_P_NR)
			continue;
		a = e->ts[d->from];
		b = e->ts[d->to];
		if (a && b && b >= a)
			p->ns[i] = b - a;
	}
	/* the taps' time is summed in the kernel, not a difference of two points */
	if (e->taps_ns)
		p->ns[RXS_H_TAPS] = e->taps_ns;
	p->t_s = e->ts[RXS_P_ISR] >= t0_ns ? (e->ts[RXS_P_ISR] - t0_ns) / 1e9 :
		 -((t0_ns - e->ts[RXS_P_ISR]) / 1e9);
	p->saddr = e->saddr;
	p->daddr = e->daddr;
	p->sport = e->sport;
	p->dport = e->dport;
	p->queue = e->queue;
	p->napi_id = e->napi_id;
	p->isr_cpu = e->isr_cpu;
	p->rx_cpu = e->rx_cpu;
	p->udp_cpu = e->udp_cpu;
}

static void addr_str(char *buf, size_t len, __u32 a)
{
	struct in_addr in = { .s_addr = a };

	if (!inet_ntop(AF_INET, &in, buf, len))
		snprintf(buf, len, "?");
}

/* "10.0.2.2:40000 > 10.0.2.15:9000" */
static void flow_str(char *buf, size_t len, const struct rxs_slow_pkt *p)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	addr_str(s, sizeof(s), p->saddr);
	addr_str(d, sizeof(d), p->daddr);
	snprintf(buf, len, "%s:%u > %s:%u", s, p->sport, d, p->dport);
}

/* "3", or "?" for -1 (unknown) */
static const char *cpu_str(char *buf, size_t len, int cpu)
{
	if (cpu < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%d", cpu);
	return buf;
}

/* "0>0>1": the CPUs of the ISR, of the packet's first hook and of udp_queue */
static void cpus_str(char *buf, size_t len, const struct rxs_slow_pkt *p)
{
	char a[12], b[12], c[12];

	snprintf(buf, len, "%s>%s>%s", cpu_str(a, sizeof(a), p->isr_cpu),
		 cpu_str(b, sizeof(b), p->rx_cpu), cpu_str(c, sizeof(c), p->udp_cpu));
}

/* The per-packet stages shown in a packet's breakdown: report order, total apart. */
static bool breakdown_stage(int id)
{
	const struct rxs_stage_def *d = rxs_stage_def(id);

	return d->per_packet && id != RXS_H_TOTAL && !strcmp(d->unit, "ns");
}

void rxs_slow_print_line(FILE *f, const struct rxs_slow_pkt *p)
{
	char flow[64], v[32], q[16], cpus[40];
	const char *sep = ": ";

	flow_str(flow, sizeof(flow), p);
	cpus_str(cpus, sizeof(cpus), p);
	snprintf(q, sizeof(q), p->queue >= 0 ? "%d" : "-", p->queue);
	fprintf(f, "slow %10.6fs %s queue %s cpu %s total %s", p->t_s, flow, q, cpus,
		rxs_fmt_value(v, sizeof(v), (double)total_of(p), "ns"));
	for (int r = 0; r < RXS_H_NR; r++) {
		int id = rxs_stage_at_rank(r);

		if (!breakdown_stage(id) || p->ns[id] == RXS_SLOW_UNKNOWN)
			continue;
		fprintf(f, "%s%s %s", sep, rxs_stage_name(id),
			rxs_fmt_value(v, sizeof(v), (double)p->ns[id], "ns"));
		sep = " | ";
	}
	fprintf(f, "\n");
}

void rxs_slow_report(FILE *f, const struct rxs_slow_set *set, const struct rxs_cpu_stat *cpus,
		     int ncpus)
{
	unsigned long long sent = 0, limited = 0, full = 0;
	bool col[RXS_H_NR] = { false };
	char v[32];

	for (int i = 0; i < ncpus; i++) {
		sent += cpus[i].bpf.slow_records;
		limited += cpus[i].bpf.slow_ratelimited;
		full += cpus[i].bpf.slow_ringbuf_full;
	}
	if (!set && !sent && !limited && !full)
		return;
	fprintf(f, "\nslow packets: %llu sent, %llu not sent (rate limit), %llu not sent "
		"(ring buffer full)\n", sent, limited, full);
	if (!set)
		return;
	fprintf(f, "slowest packets (total > %s; %d kept of %llu received; rate limit %u/s "
		"per CPU):\n", rxs_fmt_value(v, sizeof(v), (double)set->threshold_ns, "ns"),
		set->n, (unsigned long long)set->seen, set->rate);
	if (!set->n) {
		fprintf(f, "  none\n");
		return;
	}
	for (int k = 0; k < set->n; k++)
		for (int id = 0; id < RXS_H_NR; id++)
			if (breakdown_stage(id) && set->pkts[k].ns[id] != RXS_SLOW_UNKNOWN)
				col[id] = true;
	fprintf(f, "%10s %9s", "T_S", "TOTAL");
	for (int r = 0; r < RXS_H_NR; r++) {
		int id = rxs_stage_at_rank(r);

		if (col[id])
			fprintf(f, " %9s", rxs_stage_name(id));
	}
	fprintf(f, " %5s %14s  %s\n", "QUEUE", "CPU:ISR>RX>UDP", "FLOW");
	for (int k = 0; k < set->n; k++) {
		const struct rxs_slow_pkt *p = &set->pkts[k];
		char flow[64], cpu[40], q[16];

		fprintf(f, "%10.3f %9s", p->t_s,
			rxs_fmt_value(v, sizeof(v), (double)total_of(p), "ns"));
		for (int r = 0; r < RXS_H_NR; r++) {
			int id = rxs_stage_at_rank(r);

			if (!col[id])
				continue;
			if (p->ns[id] == RXS_SLOW_UNKNOWN)
				fprintf(f, " %9s", "-");
			else
				fprintf(f, " %9s",
					rxs_fmt_value(v, sizeof(v), (double)p->ns[id], "ns"));
		}
		flow_str(flow, sizeof(flow), p);
		snprintf(q, sizeof(q), p->queue >= 0 ? "%d" : "-", p->queue);
		cpus_str(cpu, sizeof(cpu), p);
		fprintf(f, " %5s %14s  %s\n", q, cpu, flow);
	}
}

/* ---- JSON ------------------------------------------------------------------------------ */

json_object *rxs_slow_json(const struct rxs_slow_set *set)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "threshold_ns", json_object_new_uint64(set->threshold_ns));
	json_object_object_add(o, "rate_per_cpu", json_object_new_int64(set->rate));
	json_object_object_add(o, "keep", json_object_new_int(set->keep));
	json_object_object_add(o, "received", json_object_new_uint64(set->seen));
	for (int k = 0; k < set->n; k++) {
		const struct rxs_slow_pkt *p = &set->pkts[k];
		json_object *po = json_object_new_object(), *st = json_object_new_object();
		char a[INET_ADDRSTRLEN], t[32];

		/* microseconds are enough, and print shorter than the double's 17 digits */
		snprintf(t, sizeof(t), "%.6f", p->t_s);
		json_object_object_add(po, "t_s", json_object_new_double_s(strtod(t, NULL), t));
		addr_str(a, sizeof(a), p->saddr);
		json_object_object_add(po, "saddr", json_object_new_string(a));
		json_object_object_add(po, "sport", json_object_new_int(p->sport));
		addr_str(a, sizeof(a), p->daddr);
		json_object_object_add(po, "daddr", json_object_new_string(a));
		json_object_object_add(po, "dport", json_object_new_int(p->dport));
		json_object_object_add(po, "queue", json_object_new_int(p->queue));
		json_object_object_add(po, "napi_id", json_object_new_int64(p->napi_id));
		json_object_object_add(po, "isr_cpu", json_object_new_int(p->isr_cpu));
		json_object_object_add(po, "rx_cpu", json_object_new_int(p->rx_cpu));
		json_object_object_add(po, "udp_cpu", json_object_new_int(p->udp_cpu));
		for (int id = 0; id < RXS_H_NR; id++)
			if (p->ns[id] != RXS_SLOW_UNKNOWN)
				json_object_object_add(st, rxs_stage_name(id),
						       json_object_new_uint64(p->ns[id]));
		json_object_object_add(po, "stages", st);
		json_object_array_add(arr, po);
	}
	json_object_object_add(o, "packets", arr);
	return o;
}


/* Integer member @key of @o in [lo, hi] into *@out. */
static int sget_int(struct rxs_json_rd *rd, json_object *o, const char *path, const char *key,
		    long long lo, long long hi, long long *out)
{
	char field[128];
	json_object *v;
	long long x;

	snprintf(field, sizeof(field), "%s.%s", path, key);
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return rxs_json_bad(rd, field, "missing");
	if (!json_object_is_type(v, json_type_int))
		return rxs_json_bad(rd, field, "expected an integer, found %s",
			    json_type_to_name(json_object_get_type(v)));
	errno = 0;
	x = json_object_get_int64(v);
	if (errno || x < lo || x > hi)
		return rxs_json_bad(rd, field, "%s outside %lld..%lld", json_object_get_string(v), lo, hi);
	*out = x;
	return 0;
}

static int sget_addr(struct rxs_json_rd *rd, json_object *o, const char *path, const char *key,
		     __u32 *out)
{
	char field[128];
	struct in_addr in;
	json_object *v;

	snprintf(field, sizeof(field), "%s.%s", path, key);
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return rxs_json_bad(rd, field, "missing");
	if (!json_object_is_type(v, json_type_string) ||
	    inet_pton(AF_INET, json_object_get_string(v), &in) != 1)
		return rxs_json_bad(rd, field, "expected an IPv4 address in a string");
	*out = in.s_addr;
	return 0;
}

static int read_pkt(struct rxs_json_rd *rd, json_object *o, size_t idx, struct rxs_slow_pkt *p)
{
	char path[64], field[160];
	json_object *v, *st;
	long long x = 0;
	int ret;

	snprintf(path, sizeof(path), "slow.packets[%zu]", idx);
	if (!json_object_is_type(o, json_type_object))
		return rxs_json_bad(rd, path, "expected object");
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < RXS_H_NR; i++)
		p->ns[i] = RXS_SLOW_UNKNOWN;
	snprintf(field, sizeof(field), "%s.t_s", path);
	if (!json_object_object_get_ex(o, "t_s", &v) || !v)
		return rxs_json_bad(rd, field, "missing");
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return rxs_json_bad(rd, field, "expected a number");
	p->t_s = json_object_get_double(v);
	if (!isfinite(p->t_s))
		return rxs_json_bad(rd, field, "not a finite number");
	if ((ret = sget_addr(rd, o, path, "saddr", &p->saddr)) ||
	    (ret = sget_addr(rd, o, path, "daddr", &p->daddr)))
		return ret;
	if ((ret = sget_int(rd, o, path, "sport", 0, 65535, &x)))
		return ret;
	p->sport = x;
	if ((ret = sget_int(rd, o, path, "dport", 0, 65535, &x)))
		return ret;
	p->dport = x;
	if ((ret = sget_int(rd, o, path, "queue", -1, 65535, &x)))
		return ret;
	p->queue = x;
	if ((ret = sget_int(rd, o, path, "napi_id", 0, UINT32_MAX, &x)))
		return ret;
	p->napi_id = x;
	if ((ret = sget_int(rd, o, path, "isr_cpu", -1, RXS_MAX_CPUS - 1, &x)))
		return ret;
	p->isr_cpu = x;
	if ((ret = sget_int(rd, o, path, "rx_cpu", -1, RXS_MAX_CPUS - 1, &x)))
		return ret;
	p->rx_cpu = x;
	if ((ret = sget_int(rd, o, path, "udp_cpu", 0, RXS_MAX_CPUS - 1, &x)))
		return ret;
	p->udp_cpu = x;
	snprintf(field, sizeof(field), "%s.stages", path);
	if (!json_object_object_get_ex(o, "stages", &st) || !st)
		return rxs_json_bad(rd, field, "missing");
	if (!json_object_is_type(st, json_type_object))
		return rxs_json_bad(rd, field, "expected object");
	json_object_object_foreach(st, key, val) {
		int id = rxs_stage_from_name(key);

		snprintf(field, sizeof(field), "%s.stages.%s", path, key);
		if (id < 0 || !rxs_stage_def(id)->per_packet)
			return rxs_json_bad(rd, field, "not a per-packet stage");
		if (!json_object_is_type(val, json_type_int) || json_object_get_int64(val) < 0)
			return rxs_json_bad(rd, field, "expected a non-negative integer (ns)");
		p->ns[id] = json_object_get_uint64(val);
		if (p->ns[id] == RXS_SLOW_UNKNOWN)
			return rxs_json_bad(rd, field, "out of range");
	}
	if (p->ns[RXS_H_TOTAL] == RXS_SLOW_UNKNOWN) {
		snprintf(field, sizeof(field), "%s.stages.total", path);
		return rxs_json_bad(rd, field, "missing");
	}
	return 0;
}

int rxs_slow_json_read(json_object *o, const char *file, struct rxs_slow_set **out,
		       char *err, size_t errlen)
{
	struct rxs_json_rd rd = { .file = file, .err = err, .errlen = errlen };
	long long thr = 0, rate = 0, keep = 0, seen = 0;
	struct rxs_slow_set *set;
	json_object *arr;
	size_t n;
	int ret;

	*out = NULL;
	if (!json_object_is_type(o, json_type_object))
		return rxs_json_bad(&rd, "slow", "expected object");
	if ((ret = sget_int(&rd, o, "slow", "threshold_ns", 1, INT64_MAX, &thr)) ||
	    (ret = sget_int(&rd, o, "slow", "rate_per_cpu", 1, RXS_SLOW_RATE_MAX, &rate)) ||
	    (ret = sget_int(&rd, o, "slow", "keep", 1, RXS_SLOW_KEEP_MAX, &keep)) ||
	    (ret = sget_int(&rd, o, "slow", "received", 0, INT64_MAX, &seen)))
		return ret;
	if (!json_object_object_get_ex(o, "packets", &arr) || !arr)
		return rxs_json_bad(&rd, "slow.packets", "missing");
	if (!json_object_is_type(arr, json_type_array))
		return rxs_json_bad(&rd, "slow.packets", "expected array");
	n = json_object_array_length(arr);
	if (n > (size_t)keep)
		return rxs_json_bad(&rd, "slow.packets", "%zu packets, more than keep %lld", n, keep);
	if ((long long)n > seen)
		return rxs_json_bad(&rd, "slow.packets", "%zu packets, more than received %lld", n,
			    seen);
	set = rxs_slow_set_new(thr, rate, keep);
	if (!set)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct rxs_slow_pkt p;

		ret = read_pkt(&rd, json_object_array_get_idx(arr, i), i, &p);
		if (ret) {
			free(set);
			return ret;
		}
		rxs_slow_set_add(set, &p);
	}
	set->seen = seen;
	*out = set;
	return 0;
}
