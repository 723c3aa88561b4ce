/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * rxscope.h - the structures that the BPF programs and the collector share.
 * Fixed-width fields only, no pointers: both sides read the same map values.
 */
#ifndef RXSCOPE_H
#define RXSCOPE_H

/*
 * Log-linear histogram. Values below 2^RXS_HIST_SUB_BITS get a bucket each. Above that,
 * each power of two [2^e, 2^(e+1)) is split into RXS_HIST_SUBS linear sub-buckets of width
 * 2^(e - RXS_HIST_SUB_BITS), so a bucket's width is at most 1/8 of its lower bound: any
 * quantile read from the buckets has a relative error of at most 1/8.
 * Values at or above 2^RXS_HIST_MAX_EXP (about 73 minutes in ns) go to the last bucket.
 */
#define RXS_HIST_SUB_BITS	3
#define RXS_HIST_SUBS		(1U << RXS_HIST_SUB_BITS)
#define RXS_HIST_MAX_EXP	42
#define RXS_HIST_BUCKETS	((RXS_HIST_MAX_EXP - RXS_HIST_SUB_BITS + 1) * RXS_HIST_SUBS)

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/*
 * rxs_hist_slot - the bucket index of value @v, shared by the BPF programs and hist.c.
 * No loops, no division, no builtins: a branchy log2 written with shifts, which the
 * verifier accepts and which clang 14 compiles for the BPF target. The result is always
 * below RXS_HIST_BUCKETS (values at or above 2^RXS_HIST_MAX_EXP land in the last bucket).
 *
 *   v < 2^SUB_BITS:        slot = v
 *   2^e <= v < 2^(e+1):    slot = (e - SUB_BITS + 1) * SUBS + ((v >> (e - SUB_BITS)) & (SUBS - 1))
 */
static __always_inline __u32 rxs_hist_slot(__u64 v)
{
	__u64 x = v;
	__u32 e = 0, slot;

	if (v < RXS_HIST_SUBS)
		return (__u32)v;
	if (v >= (1ULL << RXS_HIST_MAX_EXP))
		return RXS_HIST_BUCKETS - 1;
	if (x >> 32) {
		x >>= 32;
		e += 32;
	}
	if (x >> 16) {
		x >>= 16;
		e += 16;
	}
	if (x >> 8) {
		x >>= 8;
		e += 8;
	}
	if (x >> 4) {
		x >>= 4;
		e += 4;
	}
	if (x >> 2) {
		x >>= 2;
		e += 2;
	}
	if (x >> 1)
		e += 1;
	/* here RXS_HIST_SUB_BITS <= e < RXS_HIST_MAX_EXP */
	slot = (e - RXS_HIST_SUB_BITS + 1) * RXS_HIST_SUBS +
	       (__u32)((v >> (e - RXS_HIST_SUB_BITS)) & (RXS_HIST_SUBS - 1));
	return slot < RXS_HIST_BUCKETS ? slot : RXS_HIST_BUCKETS - 1;
}

struct rxs_hist {
	__u64 count;
	__u64 sum;
	__u64 min;		/* valid only when count > 0 */
	__u64 max;
	__u64 slots[RXS_HIST_BUCKETS];
};

/*
 * The hook points of the receive path, in path order: X(ID, name, per_packet). Each point
 * is attached in one flavour (enum rxs_hook_kind) or not at all; userspace tells the BPF
 * side which ones it attached (rodata `hooked`). A per-packet point runs once per followed
 * packet (and is detached between --sample windows); the others once per interrupt,
 * softirq or NAPI poll, or only when a tap exists.
 */
#define RXS_POINTS(X)							\
	X(ISR, "isr", 0)		/* driver ISR entry and exit */	\
	X(SOFTIRQ, "softirq", 0)	/* softirq raise, entry and exit */ \
	X(POLL_ENTRY, "poll_entry", 0)	/* driver poll entry and exit */ \
	X(POLL_EXIT, "poll_exit", 0)	/* poll exit, work and budget (napi:napi_poll) */ \
	X(GRO, "gro", 1)		/* skb handed to GRO */		\
	X(BACKLOG, "backlog", 1)	/* enqueue_to_backlog (RPS, netif_rx) */ \
	X(RPS_IPI, "rps_ipi", 0)	/* net_rps_send_ipi: IPIs to the backlogs' CPUs */ \
	X(NETIF_RX, "netif_receive_skb", 1)				\
	X(TAP, "tap", 0)		/* AF_PACKET taps: packet_rcv, tpacket_rcv */ \
	X(IP_RCV, "ip_rcv", 1)						\
	X(NF_PRE, "nf_prerouting", 0)	/* nf_hook_slow, PRE_ROUTING calls */ \
	X(ROUTE, "route", 1)		/* ip_route_input_noref */	\
	X(IP_LOCAL_DELIVER, "ip_local_deliver", 1)			\
	X(NF_LOCAL_IN, "nf_local_in", 0) /* nf_hook_slow, LOCAL_IN calls: nf_prerouting's hooks */ \
	X(UDP_QUEUE, "udp_queue", 1)	/* udp_queue_rcv_skb */		\
	X(SOCK_DEQ, "sock_dequeue", 1)	/* dequeue by recvmsg */	\
	X(SKB_FREE, "skb_free", 1)	/* kfree_skb */

enum rxs_point {
#define RXS_POINT_ENUM(id, name, per_packet) RXS_P_##id,
	RXS_POINTS(RXS_POINT_ENUM)
#undef RXS_POINT_ENUM
	RXS_P_NR,
};

/*
 * The stage table: every stage once, in the order of the recording files. A line is
 *   X(ID, name, unit, from, from_end, to, to_end, per_packet, rank)
 * ID      the stage is RXS_H_<ID> (enum rxs_hist_id)
 * name    its name in every output (report, JSON, CSV, Prometheus, compare)
 * unit    NS (latency) or PACKETS (a count per event)
 * from/to the hook points that bound it (RXS_P_<from>, RXS_P_<to>), each with the end of
 *         the point that counts: 0 where it starts (entry, raise, its first tracepoint),
 *         1 where it ends (exit, softirq entry, its second tracepoint)
 * per_packet  1 when timed per followed packet, 0 per interrupt, softirq, NAPI poll or
 *         backlog enqueue
 * rank    its row in the report: the order of the path (total ends at the UDP queue, so
 *         it comes before socket)
 * Everything else (names, units, hook strings, report rows, every exporter's lists) is
 * generated from this table. Adding a stage: docs/hacking.md.
 */
#define RXS_STAGES(X)								\
	X(HARDIRQ, "hardirq", NS, ISR, 0, ISR, 1, 0, 0)				\
	X(IRQ_TO_SOFTIRQ, "irq_to_softirq", NS, SOFTIRQ, 0, SOFTIRQ, 1, 0, 1)	\
	X(IRQ_TO_SOFTIRQ_INLINE, "irq_to_softirq_inline", NS, SOFTIRQ, 0, SOFTIRQ, 1, 0, 2) \
	X(IRQ_TO_SOFTIRQ_KSOFTIRQD, "irq_to_softirq_ksoftirqd", NS, SOFTIRQ, 0, SOFTIRQ, 1, 0, 3) \
	X(SOFTIRQ_TO_POLL, "softirq_to_poll", NS, SOFTIRQ, 1, POLL_ENTRY, 0, 0, 4) \
	X(POLL, "poll", NS, POLL_ENTRY, 0, POLL_ENTRY, 1, 0, 5)			\
	X(POLL_PKTS, "poll_pkts", PACKETS, POLL_EXIT, 1, POLL_EXIT, 1, 0, 6)	\
	X(IRQ_TO_RX, "irq_to_rx", NS, ISR, 0, GRO, 0, 1, 7)			\
	X(GRO, "gro", NS, GRO, 0, NETIF_RX, 0, 1, 8)				\
	X(L2_TO_IP, "l2_to_ip", NS, NETIF_RX, 0, IP_RCV, 0, 1, 11)		\
	X(IP_TO_UDP, "ip_to_udp", NS, IP_RCV, 0, UDP_QUEUE, 0, 1, 13)		\
	X(SOCKET, "socket", NS, UDP_QUEUE, 0, SOCK_DEQ, 0, 1, 19)		\
	X(TOTAL, "total", NS, ISR, 0, UDP_QUEUE, 0, 1, 18)			\
	X(TAPS, "taps", NS, TAP, 0, TAP, 1, 1, 12)				\
	X(NF_PREROUTING, "nf_prerouting", NS, NF_PRE, 0, NF_PRE, 1, 1, 14)	\
	X(ROUTE, "route", NS, ROUTE, 0, ROUTE, 1, 1, 15)			\
	X(NF_LOCAL_IN, "nf_local_in", NS, NF_LOCAL_IN, 0, NF_LOCAL_IN, 1, 1, 16) \
	X(UDP_LOOKUP, "udp_lookup", NS, IP_LOCAL_DELIVER, 0, UDP_QUEUE, 0, 1, 17) \
	X(BACKLOG, "backlog", NS, BACKLOG, 0, NETIF_RX, 0, 1, 9)		\
	X(BACKLOG_LEN, "backlog_len", PACKETS, BACKLOG, 0, BACKLOG, 0, 0, 10)	\
	RXS_STAGES_EXTRA(X)

/* A build may add stages at the end of the table (a unit test proves the table with one). */
#ifndef RXS_STAGES_EXTRA
#define RXS_STAGES_EXTRA(X)
#endif

enum rxs_hist_id {
#define RXS_STAGE_ENUM(id, ...) RXS_H_##id,
	RXS_STAGES(RXS_STAGE_ENUM)
#undef RXS_STAGE_ENUM
	RXS_H_NR,
};

/*
 * The packet funnel: how many packets each per-packet point saw. X(ID, name, point).
 */
#define RXS_FUNNEL(X)						\
	X(GRO, "gro", GRO)	/* harvested by the driver, handed to GRO */ \
	X(NETIF_RECEIVE, "netif_receive", NETIF_RX)		\
	X(IP_RCV, "ip_rcv", IP_RCV)				\
	X(UDP_QUEUE, "udp_queue", UDP_QUEUE)			\
	X(SOCKET, "socket", SOCK_DEQ)	/* dequeued by recvmsg */

enum rxs_funnel {
#define RXS_FUNNEL_ENUM(id, name, point) RXS_F_##id,
	RXS_FUNNEL(RXS_FUNNEL_ENUM)
#undef RXS_FUNNEL_ENUM
	RXS_F_NR,
};

/*
 * Per-CPU counters, in the spirit of /proc/net/softnet_stat: X(field, required, help).
 * required: 1 for the counters of the first rxscope/1 files, which a file must have; a
 * counter added later is 0 and reads as 0 from files written before it existed. The
 * funnel (pkts[]) follows them in struct rxs_cpu_counters.
 */
#define RXS_COUNTERS(X)							\
	X(hardirqs, 1, "Driver interrupt handler runs.")		\
	X(netrx_raised, 1, "NET_RX softirqs raised.")			\
	X(netrx_runs_inline, 1, "NET_RX softirq runs on irq exit.")	\
	X(netrx_runs_ksoftirqd, 1, "NET_RX softirq runs in ksoftirqd.")	\
	X(polls, 1, "NAPI poll calls.")					\
	X(polls_budget_exhausted, 1, "NAPI polls that used their whole budget.") \
	X(drops, 1, "Followed packets freed by kfree_skb.")		\
	X(track_evictions, 1,						\
	  "Followed packets not timed because their tracking slot was taken.") \
	X(unmatched, 1, "Events with no matching start.")		\
	X(tapped_pkts, 0, "Followed packets delivered to at least one AF_PACKET tap.") \
	X(tap_deliveries, 0, "Deliveries of followed packets to AF_PACKET taps.") \
	X(backlog_enqueues, 0,						\
	  "Packets of the traced device queued to a CPU's backlog (RPS, netif_rx).") \
	X(rps_ipis, 0, "IPIs sent to start another CPU's backlog (RPS).") \
	X(slow_records, 0,						\
	  "Packets over the --slow threshold sent to the collector.")	\
	X(slow_ratelimited, 0,						\
	  "Packets over the --slow threshold not sent: rate limit.")	\
	X(slow_ringbuf_full, 0,						\
	  "Packets over the --slow threshold not sent: ring buffer full.") \
	RXS_COUNTERS_EXTRA(X)

#ifndef RXS_COUNTERS_EXTRA
#define RXS_COUNTERS_EXTRA(X)
#endif

struct rxs_cpu_counters {
#define RXS_COUNTER_FIELD(field, required, help) __u64 field;
	RXS_COUNTERS(RXS_COUNTER_FIELD)
#undef RXS_COUNTER_FIELD
	__u64 pkts[RXS_F_NR];		/* the funnel */
};

/* How the driver's ISR argument leads to its NAPI context (a driver profile's). */
enum rxs_isr_arg {
	RXS_ISR_ARG_UNKNOWN,		/* not read: stamps are keyed by CPU only */
	RXS_ISR_ARG_IGB_Q_VECTOR,	/* struct igb_q_vector of the in-tree igb */
	RXS_ISR_ARG_RXSCOPE_Q_VECTOR,	/* struct rxscope_igb_q_vector */
};

/*
 * One followed packet: a slot of the direct-mapped table `tracks` (.bss), picked by a hash
 * of the skb address and tagged with that address. A packet whose slot holds another skb
 * is not followed. Userspace reads the table (mmapped) only to sweep entries whose packet
 * left unseen.
 */
struct rxs_track {
	__u64 skb;		/* tag: the skb address, 0 for a free slot */
	__u64 isr_ts;		/* ISR entry of its NAPI cycle, 0 if unknown */
	__u64 gro_ts;		/* handed to GRO */
	__u64 nrs_ts;		/* netif_receive_skb */
	__u64 ip_ts;		/* ip_rcv */
	__u64 udp_ts;		/* udp_queue_rcv_skb */
	__u64 mid_ts;		/* --detail nf: ip_local_deliver (udp_lookup's start) */
	__u32 mid_nf;		/* the CPU's netfilter time then (low 32 bits, ns) */
	__u32 tap_ns;		/* time in AF_PACKET taps; 0: none */
	__u64 bl_ts;		/* queued to a CPU's backlog (RPS), 0 if not */
};

/* --detail: optional groups of hook points (a bit mask). */
#define RXS_DETAIL_NF		(1U << 0)	/* netfilter and routing split of ip_to_udp */

/* A followed packet that no hook saw for this long has left unseen (seconds). */
#define RXS_STALE_S		5ULL
#define RXS_STALE_NS		(RXS_STALE_S * 1000000000ULL)

#define RXS_TRACK_BITS		14
#define RXS_TRACK_SLOTS		(1U << RXS_TRACK_BITS)

/*
 * --slow: a followed packet whose total (ISR entry to udp_queue_rcv_skb) exceeds the
 * threshold sends one record through the ring buffer `slow_events`, at most
 * RXS_SLOW_RATE_DEFAULT records per second per CPU (--slow-rate) with a burst of one
 * second's worth. The times of its per-packet hook points are the raw material: userspace
 * turns them into the stages of RXS_STAGES.
 */
struct rxs_slow_event {
	__u64 ts[RXS_P_NR];	/* bpf_ktime_get_ns() at each per-packet point (RXS_P_ISR: its
				 * NAPI cycle's ISR entry), 0 where no hook saw it */
	__u32 saddr, daddr;	/* IPv4 addresses, network order */
	__u16 sport, dport;	/* UDP ports, host order */
	__s32 queue;		/* RX queue (skb->queue_mapping - 1), -1 if not recorded */
	__u32 napi_id;		/* skb->napi_id, 0 if none */
	__s32 isr_cpu;		/* CPU of its NAPI cycle's ISR, -1 if unknown */
	__s32 rx_cpu;		/* CPU where it entered the stack (GRO or netif_receive_skb),
				 * -1 if unknown: both are known while udp_queue_rcv_skb runs
				 * in the poll of that cycle (not after RPS or a backlog) */
	__u32 udp_cpu;		/* CPU of udp_queue_rcv_skb */
	__u32 taps_ns;		/* time in AF_PACKET taps (the stage taps), 0: none ran */
};

#define RXS_SLOW_RATE_DEFAULT	100		/* records per second per CPU */
#define RXS_SLOW_RINGBUF	(256 * 1024)	/* bytes, with --slow; a page without */

/* Drops by kfree_skb reason (enum skb_drop_reason); larger reasons count in the last slot. */
#define RXS_MAX_DROP_REASONS	128

/*
 * --by: the per-packet stages split by RX queue or by CPU, on top of the whole-path
 * histograms. Queues (or CPUs) 0 .. RXS_BY_MAX - 1 get a group each; a higher one, or a
 * packet without a recorded RX queue, counts in the group RXS_BY_OTHER.
 */
enum rxs_by {
	RXS_BY_NONE,
	RXS_BY_QUEUE,		/* skb->queue_mapping - 1 when the packet is first followed */
	RXS_BY_CPU,		/* the CPU that ran the stage's end */
};

#define RXS_BY_MAX		16
#define RXS_BY_OTHER		RXS_BY_MAX
#define RXS_BY_GROUPS		(RXS_BY_MAX + 1)

/* The number of per-packet stages, and the ordinal of stage @id among them (-1: none). */
#define RXS_PP_COUNT_(id, name, unit, from, fe, to, te, per_packet, rank) + (per_packet)
#define RXS_PP_NR		(0 RXS_STAGES(RXS_PP_COUNT_))
#define RXS_PP_BEFORE_(id_, name, unit, from, fe, to, te, per_packet, rank)	\
	+ ((RXS_H_##id_ < id) ? (per_packet) : 0)
#define RXS_PP_IS_(id_, name, unit, from, fe, to, te, per_packet, rank)	\
	|| (RXS_H_##id_ == id && (per_packet))

static __always_inline int rxs_pp_index(int id)
{
	if (!(0 RXS_STAGES(RXS_PP_IS_)))
		return -1;
	return 0 RXS_STAGES(RXS_PP_BEFORE_);
}

/* How a stage was hooked; userspace records this in every output. */
enum rxs_hook_kind {
	RXS_HOOK_NONE,		/* unavailable */
	RXS_HOOK_FENTRY,
	RXS_HOOK_KPROBE,
	RXS_HOOK_TP_BTF,
	RXS_HOOK_RAW_TP,
};

#endif /* RXSCOPE_H */
