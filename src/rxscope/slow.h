/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * slow.h - `--slow THRESHOLD`: the slowest packets, one by one. The BPF side sends a
 * record (struct rxs_slow_event) for each followed packet whose in-kernel total exceeds
 * the threshold, rate-limited; `trace` prints each as a one-line timeline, `record` keeps
 * the worst N in the file's "slow" field, `report` shows them as a table.
 *
 * slow.c holds what needs no BPF (parsing, the kept set, printing, JSON); slow_bpf.c the
 * rodata, the ring buffer and its consumer.
 */
#ifndef RXS_SLOW_H
#define RXS_SLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "rxscope.h"

#define RXS_SLOW_KEEP_DEFAULT	100	/* record: the worst packets kept in the file */
#define RXS_SLOW_KEEP_MAX	10000
#define RXS_SLOW_RATE_MAX	1000000	/* --slow-rate: records per second per CPU */
#define RXS_SLOW_UNKNOWN	(~0ULL)	/* a stage the packet's hooks did not time */

/* One slow packet, as the collector keeps it. */
struct rxs_slow_pkt {
	double t_s;			/* its ISR entry, seconds since the recording's start */
	__u64 ns[RXS_H_NR];		/* per-packet stages (ns); RXS_SLOW_UNKNOWN if untimed
					 * and for every other stage */
	__u32 saddr, daddr;		/* IPv4, network order */
	__u16 sport, dport;		/* host order */
	int queue;			/* RX queue, -1 if unknown */
	__u32 napi_id;			/* 0 if unknown */
	int isr_cpu, rx_cpu, udp_cpu;	/* -1: unknown (isr_cpu, rx_cpu) */
};

/* The worst packets of a recording: its optional "slow" field. */
struct rxs_slow_set {
	__u64 threshold_ns;		/* --slow */
	__u32 rate;			/* --slow-rate: records per second per CPU */
	int keep;			/* at most this many packets are kept */
	__u64 seen;			/* records the collector received */
	int n;				/* packets kept, the slowest (total) first */
	struct rxs_slow_pkt pkts[];	/* keep entries allocated */
};

/*
 * Parse a threshold with its unit: "500us", "1.5ms", "200000ns", "1s". Returns 0 and
 * the value in ns, or -EINVAL with @err saying what is wrong (no number, no unit, an
 * unknown unit, zero, more than an hour, or below 1 ns).
 */
int rxs_slow_parse_threshold(const char *s, __u64 *ns, char *err, size_t errlen);

/* A set for @keep packets, empty. NULL when out of memory. free() it. */
struct rxs_slow_set *rxs_slow_set_new(__u64 threshold_ns, __u32 rate, int keep);
/*
 * Count @p as seen and keep it if it is among the @set->keep slowest by total (ties: the
 * earlier stays). Keeps pkts[] sorted, slowest first.
 */
void rxs_slow_set_add(struct rxs_slow_set *set, const struct rxs_slow_pkt *p);

/*
 * Turn a BPF record into a packet: the per-packet stages from the times of their hook
 * points (RXS_STAGES' from and to), t_s relative to @t0_ns (the recording's start on the
 * same clock).
 */
void rxs_slow_from_event(struct rxs_slow_pkt *p, const struct rxs_slow_event *e,
			 __u64 t0_ns);

/* The one-line timeline of @p, with a newline (trace --slow). */
void rxs_slow_print_line(FILE *f, const struct rxs_slow_pkt *p);

/*
 * report: the slowest packets as a table, and the --slow counters of @cpus. Prints
 * nothing when @set is NULL and the counters are 0.
 */
struct rxs_cpu_stat;
void rxs_slow_report(FILE *f, const struct rxs_slow_set *set, const struct rxs_cpu_stat *cpus,
		     int ncpus);

/* JSON: @set as the object of the "slow" field (json-c), and back. */
struct json_object;
struct json_object *rxs_slow_json(const struct rxs_slow_set *set);
/*
 * Read the "slow" object @o of file @file into a new set (*@out, free() it). Returns 0,
 * or -EINVAL/-ENOMEM with @err naming the file and the field ("slow.packets[3].stages").
 */
int rxs_slow_json_read(struct json_object *o, const char *file, struct rxs_slow_set **out,
		       char *err, size_t errlen);

/* ---- the live part (slow_bpf.c) ------------------------------------------------------- */

struct rxscope_bpf;
struct rxs_recording;

/*
 * Before load: the threshold (@threshold_ns; 0 leaves --slow off) and the rate limit
 * (@rate records per second per CPU, 0 for the default) into rodata, and the ring
 * buffer's size (a page when off). 0 or a negative errno.
 */
int rxs_slow_rodata(struct rxscope_bpf *skel, __u64 threshold_ns, __u32 rate);

/*
 * After attach: consume the ring buffer. @print: write each record's timeline to @out as
 * it arrives (trace); @keep > 0: keep the worst @keep for the recording (record). @t0_ns:
 * the recording's start (CLOCK_MONOTONIC ns). 0 or a negative errno (message in @err).
 * Without --slow (threshold 0) it does nothing and returns 0.
 */
int rxs_slow_start(struct rxscope_bpf *skel, __u64 threshold_ns, __u32 rate, bool print,
		   FILE *out, int keep, __u64 t0_ns, char *err, size_t errlen);
/* Is the consumer running? */
bool rxs_slow_active(void);
/* Wait up to @timeout_ms for records and handle those that came. */
void rxs_slow_poll(int timeout_ms);
/*
 * record: hand the kept set to @r (r->slow, which it then owns) and start an empty one
 * from @t0_ns (the next piece's start). Handles what is in the ring first.
 */
void rxs_slow_take(struct rxs_recording *r, __u64 t0_ns);
/* Records the collector received since the start. */
unsigned long long rxs_slow_received(void);
void rxs_slow_stop(void);

#endif /* RXS_SLOW_H */
