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

/* One histogram per stage (DESIGN.md, "Stage intervals"); the order is the file order. */
enum rxs_hist_id {
	RXS_H_HARDIRQ,			/* ISR entry -> ISR exit */
	RXS_H_IRQ_TO_SOFTIRQ,		/* softirq_raise(NET_RX) -> softirq_entry, all runs */
	RXS_H_IRQ_TO_SOFTIRQ_INLINE,	/* ... the runs on irq exit */
	RXS_H_IRQ_TO_SOFTIRQ_KSOFTIRQD,	/* ... the runs in ksoftirqd/N */
	RXS_H_SOFTIRQ_TO_POLL,		/* softirq_entry -> first poll entry of that run */
	RXS_H_POLL,			/* poll entry -> poll exit */
	RXS_H_POLL_PKTS,		/* packets per poll (unit: packets, not ns) */
	RXS_H_IRQ_TO_RX,		/* ISR entry of the NAPI cycle -> skb handed to GRO */
	RXS_H_GRO,			/* napi_gro_receive -> netif_receive_skb */
	RXS_H_L2_TO_IP,			/* netif_receive_skb -> ip_rcv */
	RXS_H_IP_TO_UDP,		/* ip_rcv -> udp_queue_rcv_skb */
	RXS_H_SOCKET,			/* udp_queue_rcv_skb -> dequeue in recvmsg */
	RXS_H_TOTAL,			/* ISR entry -> udp_queue_rcv_skb */
	RXS_H_NR,
};

/* The packet funnel: how many packets each per-packet hook saw. */
enum rxs_funnel {
	RXS_F_GRO,		/* harvested by the driver, handed to GRO */
	RXS_F_NETIF_RECEIVE,	/* netif_receive_skb */
	RXS_F_IP_RCV,		/* ip_rcv */
	RXS_F_UDP_QUEUE,	/* udp_queue_rcv_skb */
	RXS_F_SOCKET,		/* dequeued by recvmsg */
	RXS_F_NR,
};

/* Per-CPU counters, in the spirit of /proc/net/softnet_stat. */
struct rxs_cpu_counters {
	__u64 hardirqs;			/* driver ISR runs */
	__u64 netrx_raised;		/* softirq_raise(NET_RX) */
	__u64 netrx_runs_inline;	/* NET_RX runs on irq exit */
	__u64 netrx_runs_ksoftirqd;	/* NET_RX runs in ksoftirqd/N */
	__u64 polls;			/* NAPI poll calls */
	__u64 polls_budget_exhausted;	/* polls that used their whole budget */
	__u64 pkts[RXS_F_NR];		/* the funnel */
	__u64 drops;			/* kfree_skb of a followed skb */
	__u64 track_evictions;		/* followed skbs lost because the map was full */
	__u64 unmatched;		/* events with no matching start (not followed) */
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
};

/* A followed packet that no hook saw for this long has left unseen (seconds). */
#define RXS_STALE_S		5ULL
#define RXS_STALE_NS		(RXS_STALE_S * 1000000000ULL)

#define RXS_TRACK_BITS		14
#define RXS_TRACK_SLOTS		(1U << RXS_TRACK_BITS)

/* Drops by kfree_skb reason (enum skb_drop_reason); larger reasons count in the last slot. */
#define RXS_MAX_DROP_REASONS	128

/*
 * The hook points of the receive path. Each is attached in one flavour (enum rxs_hook_kind)
 * or not at all; userspace tells the BPF side which ones it attached (rodata `hooked`).
 */
enum rxs_point {
	RXS_P_ISR,		/* driver ISR entry and exit */
	RXS_P_SOFTIRQ,		/* softirq raise, entry and exit */
	RXS_P_POLL_ENTRY,	/* driver poll entry and exit (duration) */
	RXS_P_POLL_EXIT,	/* poll exit with work and budget (napi:napi_poll) */
	RXS_P_GRO,		/* skb handed to GRO */
	RXS_P_NETIF_RX,		/* netif_receive_skb */
	RXS_P_IP_RCV,		/* ip_rcv */
	RXS_P_UDP_QUEUE,	/* udp_queue_rcv_skb */
	RXS_P_SOCK_DEQ,		/* dequeue by recvmsg */
	RXS_P_SKB_FREE,		/* kfree_skb / consume_skb */
	RXS_P_NR,
};

/* How a stage was hooked; userspace records this in every output. */
enum rxs_hook_kind {
	RXS_HOOK_NONE,		/* unavailable */
	RXS_HOOK_FENTRY,
	RXS_HOOK_KPROBE,
	RXS_HOOK_TP_BTF,
	RXS_HOOK_RAW_TP,
	RXS_HOOK_TRACEPOINT,
};

#endif /* RXSCOPE_H */
