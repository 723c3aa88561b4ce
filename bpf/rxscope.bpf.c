// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rxscope.bpf.c - the BPF side of rxscope: every program that times a stage of
 * the receive path, in every hook flavour we may fall back to (fentry/fexit,
 * kprobe/kretprobe, tp_btf, raw_tp). Userspace (src/rxscope/attach.c) keeps one flavour
 * per hook point and turns the others' autoload off before load.
 *
 * Everything aggregates in the kernel: per-CPU log-linear histograms (one per
 * enum rxs_hist_id), per-CPU counters and per-CPU drop-reason counts. Packets
 * are followed by skb address in the direct-mapped table `tracks`; a start that
 * finds its slot taken by a live packet is counted as an eviction, an end event
 * without a start as unmatched.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "rxscope.h"

#define NET_RX_VEC	3	/* NET_RX_SOFTIRQ */
#define ETH_P_IP_BE	0x0008	/* htons(ETH_P_IP) on little-endian */
#define IPPROTO_UDP_NR	17

/* Filters, set by userspace before load. 0 / -1 mean "any". */
const volatile int targ_ifindex = 0;
const volatile int targ_port = 0;
const volatile int targ_cpu = -1;
/*
 * The generic ISR hooks (irq tracepoints) only count the irqs listed in
 * irq_filter.
 */
const volatile bool isr_needs_filter = false;
/*
 * What the driver ISR's data argument points to (the driver profile's enum
 * rxs_isr_arg), so that its NAPI cycle is keyed by napi; unknown: per CPU.
 */
const volatile int isr_arg = RXS_ISR_ARG_UNKNOWN;
/*
 * No poll entry hook (generic profile): a NET_RX run claims the CPU's pending ISR
 * stamp when it starts, instead of a poll.
 */
const volatile bool claim_at_softirq = false;
/* Bit (1 << enum rxs_point) set for each hook point that userspace attached. */
const volatile __u32 hooked = 0;
/*
 * The benchmark's floor: every program returns at once, so that what remains
 * is the cost of the hooks themselves (trampolines, tracepoint calls). The
 * verifier drops the rest of each program as dead code.
 */
const volatile bool empty_progs = false;
/* ... only the per-packet programs: the floor of the hooks inside the poll */
const volatile bool empty_pkt = false;

/*
 * Whether new packets are followed: --sample clears it at the end of a window,
 * before it detaches the per-packet hooks, and sets it once they are all
 * attached again, so that every followed packet had every hook on its way.
 */
volatile bool follow_new = true;

/*
 * bpf_get_func_arg() and bpf_get_func_ret() (5.17): without them, fentry and
 * fexit programs copy their argument, or the return value, out of the
 * trampoline's argument array themselves: the return value follows the
 * dequeue_nargs arguments of __skb_recv_udp(). Set by userspace; the verifier
 * drops the branch a kernel cannot run.
 */
const volatile bool func_arg_helpers = true;
const volatile __u32 dequeue_nargs = 4;

static __always_inline bool has(enum rxs_point p)
{
	return hooked & (1U << p);
}

/* The per-CPU state of the NAPI cycle and softirq run in progress. */
struct cpu_state {
	__u64 isr_entry_ts;	/* current ISR invocation */
	__u64 isr_napi;		/* its napi, 0 if unknown */
	__u64 isr_pending_ts;	/* first ISR not yet claimed by a poll */
	__u64 cur_isr_ts;	/* ISR time of the NAPI cycle now polling */
	__u64 raise_ts;		/* first NET_RX raise not yet run */
	__u64 softirq_ts;	/* NET_RX run in progress */
	__u64 poll_ts;		/* driver poll in progress */
	void *poll_napi;	/* kretprobe: the napi of this poll */
	__u32 poll_budget;	/* kretprobe: its budget */
	__u32 polled;		/* this NET_RX run reached a poll */
	__u32 carry;		/* generic: a poll used its budget, cycle goes on */
	__u64 tap_skb;		/* the followed packet an AF_PACKET tap is handling */
	__u64 tap_ts;		/* since when */
	__u64 nf_ns;		/* time in netfilter hooks on this CPU, all packets */
	__u64 nf_ts;		/* the outermost nf_hook_slow call in progress */
	__u32 nf_depth;		/* nf_hook_slow calls in progress (nested) */
	__u32 pad;
	__u64 route_skb;	/* the followed packet being routed */
	__u64 route_ts;		/* since when */
	__u32 cur_isr_cpu;	/* --slow: the CPU of cur_isr_ts's ISR + 1; 0: this CPU */
	__u32 pad2;
	__u64 arg[3];		/* tp_arg0(): a pointer argument, read back as a number */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RXS_H_NR);
	__type(key, __u32);
	__type(value, struct rxs_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rxs_cpu_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RXS_MAX_DROP_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drop_reasons SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_state);
} cpu_states SEC(".maps");

/*
 * The ISR time of a NAPI cycle, claimed once a poll of that cycle has started,
 * in a direct-mapped table keyed by napi address (driver profiles): a slot is
 * one multiplication and one load away, where a hash map costs a helper call,
 * hashing and a lock per ISR and per poll. Two NAPIs in one slot (unlikely with
 * a handful of them in 4096 slots) only cost stamps: the tag keeps a stamp from
 * dating the other's packets, which then count as unmatched.
 */
struct napi_stamp {
	__u64 napi;	/* tag: the napi address, 0 for a free slot */
	__u64 ts;
	__u32 claimed;
	__u32 cpu;	/* --slow: the CPU of the ISR that stamped it + 1; 0: the poll's */
};

#define NAPI_SLOT_BITS	12
static struct napi_stamp napi_stamps[1U << NAPI_SLOT_BITS];

static __always_inline struct napi_stamp *napi_slot(__u64 napi)
{
	__u64 i = (napi * 0x9E3779B97F4A7C15ULL) >> (64 - NAPI_SLOT_BITS);

	return &napi_stamps[i & ((1U << NAPI_SLOT_BITS) - 1)];
}

/* irq numbers of the traced device, for the generic (tracepoint) ISR hooks. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} irq_filter SEC(".maps");

static __always_inline struct cpu_state *state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_states, &zero);
}

static __always_inline struct rxs_cpu_counters *cnt(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline bool cpu_ok(void)
{
	return targ_cpu < 0 || bpf_get_smp_processor_id() == (__u32)targ_cpu;
}

/* The bucket of @v, clamped below RXS_HIST_BUCKETS. */
static __always_inline __u64 hist_slot_of(__u64 v)
{
	__u64 slot;

	/*
	 * Clamp and index with one register: the 6.1 verifier loses the bound when the
	 * compiler checks one zero-extended copy of the slot and indexes with another.
	 */
	slot = rxs_hist_slot(v);
	barrier_var(slot);
	if (slot >= RXS_HIST_BUCKETS)
		slot = RXS_HIST_BUCKETS - 1;
	barrier_var(slot);
	return slot;
}

/* Count @v, whose bucket is @slot (hist_slot_of()), in @h. */
static __always_inline void hist_update_at(struct rxs_hist *h, __u64 slot, __u64 v)
{
	h->slots[slot]++;
	h->count++;
	h->sum += v;
	if (h->count == 1 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/**
 * hist_add - count @v in the per-CPU histogram @id.
 * @id: enum rxs_hist_id
 * @v: the value (ns, or packets for RXS_H_POLL_PKTS)
 *
 * Per-CPU values, and a program does not nest with itself on one CPU, so plain
 * increments do not lose counts.
 */
/* Count @v, whose bucket @slot the caller computed, in the per-CPU histogram @id. */
static __always_inline void hist_add_at(__u32 id, __u64 slot, __u64 v)
{
	struct rxs_hist *h = bpf_map_lookup_elem(&hists, &id);

	if (h)
		hist_update_at(h, slot, v);
}

static __always_inline void hist_add(__u32 id, __u64 v)
{
	hist_add_at(id, hist_slot_of(v), v);
}

static __always_inline void hist_delta(__u32 id, __u64 start, __u64 now)
{
	if (start && now >= start)
		hist_add(id, now - start);
}

/* ---- --slow: records of the slowest packets ------------------------------ */

/*
 * Everything of --slow is here, but for one-line hooks that note the ISR's CPU
 * (on_isr_entry, on_poll_entry) and the check in on_udp_queue. Each is behind
 * `slow_ns`, a constant: without --slow the verifier drops them. Nothing is
 * added to struct rxs_track, which every per-packet hook reads.
 */

/* The threshold of the in-kernel total (ns); 0: --slow is off. */
const volatile __u64 slow_ns = 0;
/*
 * The rate limit, per CPU (a GCRA token bucket): each record costs slow_cost_ns
 * of credit (1 s / rate), and up to slow_tau_ns may be borrowed ahead (a burst
 * of one second's worth).
 */
const volatile __u64 slow_cost_ns = 0;
const volatile __u64 slow_tau_ns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RXS_SLOW_RINGBUF);	/* userspace shrinks it without --slow */
} slow_events SEC(".maps");

/* Per CPU: the theoretical arrival time of the next record (GCRA). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} slow_tat SEC(".maps");

/* May this CPU send a record at @now? Takes the credit if so. */
static __always_inline bool slow_admit(__u64 now)
{
	__u32 zero = 0;
	__u64 *tat = bpf_map_lookup_elem(&slow_tat, &zero), t;

	if (!tat)
		return false;
	t = *tat > now ? *tat : now;
	if (t - now > slow_tau_ns)
		return false;
	*tat = t + slow_cost_ns;
	return true;
}

/**
 * slow_check - at udp_queue_rcv_skb, send a record of the followed packet @t
 * if its total exceeds the threshold.
 * @t: its tracking slot (every stamp but udp_ts set as far as known)
 * @key: the skb's address
 * @now: the time at udp_queue_rcv_skb
 * @c: this CPU's counters
 *
 * The flow and queue are read from the skb only here, for the few packets that
 * are slow: the network and transport header offsets are set by ip_rcv. The
 * CPUs of the ISR and of the packet's start are known while this CPU is still
 * in the poll of the packet's NAPI cycle (no RPS, no backlog): its cpu_state
 * holds the cycle's stamp then.
 */
static __always_inline void slow_check(struct rxs_track *t, __u64 key, __u64 now,
				       struct rxs_cpu_counters *c)
{
	struct sk_buff *skb = (struct sk_buff *)key;
	struct rxs_slow_event *e;
	struct cpu_state *s;
	unsigned char *head;
	__u16 nh, th, qm;
	__u32 cpu;

	if (!t->isr_ts || now < t->isr_ts || now - t->isr_ts <= slow_ns)
		return;
	if (!slow_admit(now)) {
		c->slow_ratelimited++;
		return;
	}
	e = bpf_ringbuf_reserve(&slow_events, sizeof(*e), 0);
	if (!e) {
		c->slow_ringbuf_full++;
		return;
	}
	cpu = bpf_get_smp_processor_id();
	__builtin_memset(e->ts, 0, sizeof(e->ts));
	e->ts[RXS_P_ISR] = t->isr_ts;
	e->ts[RXS_P_GRO] = t->gro_ts;
	e->ts[RXS_P_NETIF_RX] = t->nrs_ts;
	e->ts[RXS_P_IP_RCV] = t->ip_ts;
	e->ts[RXS_P_UDP_QUEUE] = now;
	e->udp_cpu = cpu;
	e->isr_cpu = -1;
	e->rx_cpu = -1;
	s = state();
	if (s && s->cur_isr_ts == t->isr_ts) {
		e->rx_cpu = cpu;
		e->isr_cpu = s->cur_isr_cpu ? (int)s->cur_isr_cpu - 1 : (int)cpu;
	}
	e->taps_ns = t->tap_ns;
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	th = BPF_CORE_READ(skb, transport_header);
	if (bpf_probe_read_kernel(&e->saddr, 8, head + nh + 12))
		e->saddr = e->daddr = 0;
	if (bpf_probe_read_kernel(&e->sport, 4, head + th))
		e->sport = e->dport = 0;
	e->sport = (e->sport >> 8) | ((e->sport & 0xff) << 8);
	e->dport = (e->dport >> 8) | ((e->dport & 0xff) << 8);
	qm = BPF_CORE_READ(skb, queue_mapping);
	e->queue = qm ? qm - 1 : -1;
	e->napi_id = 0;
	if (bpf_core_field_exists(skb->napi_id))
		e->napi_id = BPF_CORE_READ(skb, napi_id);
	bpf_ringbuf_submit(e, 0);
	c->slow_records++;
}

/* ---- end of --slow ------------------------------------------------------- */

/* ---- hardirq: the driver's ISR ------------------------------------------- */

/* Only the napi member matters; CO-RE finds its offset in the module's BTF. */
struct igb_q_vector___rxs {
	struct napi_struct napi;
} __attribute__((preserve_access_index));

struct rxscope_igb_q_vector___rxs {
	struct napi_struct napi;
} __attribute__((preserve_access_index));

/*
 * Does the ISR know its napi? Only with the queue vector's type in the
 * module's BTF (none before 5.11): else the per-CPU pending stamp is used.
 */
static __always_inline bool isr_keyed(void)
{
	return (isr_arg == RXS_ISR_ARG_IGB_Q_VECTOR &&
		bpf_core_type_exists(struct igb_q_vector___rxs)) ||
	       (isr_arg == RXS_ISR_ARG_RXSCOPE_Q_VECTOR &&
		bpf_core_type_exists(struct rxscope_igb_q_vector___rxs));
}

/*
 * The napi of the queue vector @data that the driver ISR got, or 0 if unknown.
 */
static __always_inline __u64 isr_napi(void *data)
{
	if (isr_arg == RXS_ISR_ARG_IGB_Q_VECTOR &&
	    bpf_core_type_exists(struct igb_q_vector___rxs))
		return (__u64)&((struct igb_q_vector___rxs *)data)->napi;
	if (isr_arg == RXS_ISR_ARG_RXSCOPE_Q_VECTOR &&
	    bpf_core_type_exists(struct rxscope_igb_q_vector___rxs))
		return (__u64)&((struct rxscope_igb_q_vector___rxs *)data)
			->napi;
	return 0;
}

/**
 * on_isr_entry - a driver ISR starts.
 * @data: its queue vector (driver profiles) or NULL (irq tracepoints)
 *
 * The first ISR of a NAPI cycle stamps the cycle: in napi_stamps when the napi
 * is known, else in the CPU's pending slot that the next poll on this CPU
 * claims.
 */
static __always_inline int on_isr_entry(void *data)
{
	struct cpu_state *s;
	__u64 now, napi;

	if (empty_progs || !cpu_ok())
		return 0;
	s = state();
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	napi = data ? isr_napi(data) : 0;
	s->isr_entry_ts = now;
	s->isr_napi = napi;
	if (napi) {
		struct napi_stamp *st = napi_slot(napi);

		/*
		 * a claimed stamp belongs to the cycle that is ending: start
		 * the next
		 */
		if (st->napi != napi || st->claimed) {
			st->napi = napi;
			st->ts = now;
			st->claimed = 0;
			if (slow_ns)
				st->cpu = bpf_get_smp_processor_id() + 1;
		}
	} else if (!s->isr_pending_ts)
		s->isr_pending_ts = now;
	return 0;
}

/**
 * on_isr_exit - a driver ISR returns.
 *
 * An ISR that left its NAPI unscheduled (the instance is disabled, or a poll on
 * another CPU already completed it) starts no cycle: drop its unclaimed stamp,
 * so that it cannot date the next cycle's packets.
 */
static __always_inline int on_isr_exit(void)
{
	struct rxs_cpu_counters *c;
	struct napi_stamp *st;
	struct cpu_state *s;
	__u64 napi;

	if (empty_progs)
		return 0;
	c = cnt();
	s = state();
	if (!s || !c || !s->isr_entry_ts)
		return 0;
	hist_delta(RXS_H_HARDIRQ, s->isr_entry_ts, bpf_ktime_get_ns());
	s->isr_entry_ts = 0;
	c->hardirqs++;
	napi = s->isr_napi;
	s->isr_napi = 0;
	if (!napi)
		return 0;
	st = napi_slot(napi);
	if (st->napi == napi && !st->claimed &&
	    !(BPF_CORE_READ((struct napi_struct *)napi, state) &
	      (1ULL << NAPI_STATE_SCHED)))
		st->napi = 0;
	return 0;
}

static __always_inline bool irq_wanted(int irq)
{
	__u32 key = irq;

	if (empty_progs)
		return false;
	return !isr_needs_filter || bpf_map_lookup_elem(&irq_filter, &key);
}

SEC("fentry")
int BPF_PROG(fentry_isr, int irq, void *data)
{
	return on_isr_entry(data);
}

SEC("fexit")
int BPF_PROG(fexit_isr, int irq, void *data, int ret)
{
	return on_isr_exit();
}

SEC("kprobe")
int BPF_KPROBE(kprobe_isr, int irq, void *data)
{
	return on_isr_entry(data);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_isr)
{
	return on_isr_exit();
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(tpbtf_irq_entry, int irq, void *action)
{
	return irq_wanted(irq) ? on_isr_entry(NULL) : 0;
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(tpbtf_irq_exit, int irq, void *action, int ret)
{
	return irq_wanted(irq) ? on_isr_exit() : 0;
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(rawtp_irq_entry, int irq, void *action)
{
	return irq_wanted(irq) ? on_isr_entry(NULL) : 0;
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(rawtp_irq_exit, int irq, void *action, int ret)
{
	return irq_wanted(irq) ? on_isr_exit() : 0;
}

/* ---- NET_RX softirq: raise -> entry -> exit ------------------------------ */

static __always_inline int on_softirq_raise(unsigned int vec)
{
	struct rxs_cpu_counters *c;
	struct cpu_state *s;

	if (empty_progs || vec != NET_RX_VEC || !cpu_ok())
		return 0;
	s = state();
	c = cnt();
	if (!s || !c)
		return 0;
	if (!s->raise_ts)
		s->raise_ts = bpf_ktime_get_ns();
	c->netrx_raised++;
	return 0;
}

/*
 * ksoftirqd/N runs the softirqs that irq exit left over; everything else is
 * inline.
 */
static __always_inline bool comm_is_ksoftirqd(const char *comm)
{
	return comm[0] == 'k' && comm[1] == 's' && comm[2] == 'o' &&
	       comm[3] == 'f' && comm[4] == 't' && comm[5] == 'i' &&
	       comm[6] == 'r' && comm[7] == 'q' && comm[8] == 'd';
}

/*
 * The task's name is read in place where the kernel has
 * bpf_get_current_task_btf() (5.11): nine loads, where bpf_get_current_comm()
 * copies the whole name on every NET_RX run. The verifier drops the branch that
 * the running kernel cannot take.
 */
static __always_inline bool in_ksoftirqd(void)
{
	char comm[16];

	if (bpf_core_enum_value_exists(enum bpf_func_id,
				       BPF_FUNC_get_current_task_btf))
		return comm_is_ksoftirqd(bpf_get_current_task_btf()->comm);
	if (bpf_get_current_comm(comm, sizeof(comm)))
		return false;
	return comm_is_ksoftirqd(comm);
}

static __always_inline int on_softirq_entry(unsigned int vec)
{
	struct rxs_cpu_counters *c;
	struct cpu_state *s;
	bool ksoftirqd;
	__u64 now;

	if (empty_progs || vec != NET_RX_VEC || !cpu_ok())
		return 0;
	s = state();
	c = cnt();
	if (!s || !c)
		return 0;
	now = bpf_ktime_get_ns();
	ksoftirqd = in_ksoftirqd();
	if (ksoftirqd)
		c->netrx_runs_ksoftirqd++;
	else
		c->netrx_runs_inline++;
	if (s->raise_ts && now >= s->raise_ts) {
		/* one bucket for both histograms */
		__u64 v = now - s->raise_ts, slot = hist_slot_of(v);

		hist_add_at(ksoftirqd ? RXS_H_IRQ_TO_SOFTIRQ_KSOFTIRQD :
				       RXS_H_IRQ_TO_SOFTIRQ_INLINE, slot, v);
		hist_add_at(RXS_H_IRQ_TO_SOFTIRQ, slot, v);
	}
	s->raise_ts = 0;
	if (claim_at_softirq) {
		/* the run polls the NAPIs that the pending ISRs scheduled */
		if (s->isr_pending_ts)
			s->cur_isr_ts = s->isr_pending_ts;
		else if (!s->carry)
			s->cur_isr_ts = 0;
		s->isr_pending_ts = 0;
		s->carry = 0;
	}
	s->softirq_ts = now;
	s->polled = 0;
	return 0;
}

static __always_inline int on_softirq_exit(unsigned int vec)
{
	struct cpu_state *s;

	if (empty_progs || vec != NET_RX_VEC)
		return 0;
	s = state();
	if (!s)
		return 0;
	s->softirq_ts = 0;
	/*
	 * generic: the run polled what the ISRs during it scheduled, unless a
	 * poll used its budget. A stamp left pending would date the next cycle
	 * too early; without one, its packets count as unmatched instead.
	 */
	if (claim_at_softirq && !s->carry)
		s->isr_pending_ts = 0;
	return 0;
}

SEC("tp_btf/softirq_raise")
int BPF_PROG(tpbtf_softirq_raise, unsigned int vec)
{
	return on_softirq_raise(vec);
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(tpbtf_softirq_entry, unsigned int vec)
{
	return on_softirq_entry(vec);
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(tpbtf_softirq_exit, unsigned int vec)
{
	return on_softirq_exit(vec);
}

SEC("raw_tp/softirq_raise")
int BPF_PROG(rawtp_softirq_raise, unsigned int vec)
{
	return on_softirq_raise(vec);
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(rawtp_softirq_entry, unsigned int vec)
{
	return on_softirq_entry(vec);
}

SEC("raw_tp/softirq_exit")
int BPF_PROG(rawtp_softirq_exit, unsigned int vec)
{
	return on_softirq_exit(vec);
}

/* ---- NAPI poll ----------------------------------------------------------- */

/*
 * The address of a BTF-typed argument (skb, napi) as a number, for the hashes
 * of the direct-mapped tables: the verifier allows no arithmetic on such
 * pointers. fentry programs read their
 * argument with bpf_get_func_arg() (inlined); tp_btf programs copy it.
 */
static __always_inline __u64 fentry_arg(void *ctx, __u32 n)
{
	__u64 v = 0;

	if (func_arg_helpers)
		bpf_get_func_arg(ctx, n, &v);
	else
		bpf_probe_read_kernel(&v, sizeof(v), (__u64 *)ctx + n);
	return v;
}

/*
 * A tp_btf program's first argument as a number: stored to the CPU's state (a
 * map value) and loaded back, which the verifier lets root do and which costs
 * two memory accesses where bpf_probe_read_kernel() costs a helper call. Each
 * program has its own slot (@which, enum tp_slot): a program does not nest
 * with itself on a CPU, but may interrupt another one.
 */
enum tp_slot { TP_GRO, TP_NETIF_RX, TP_KFREE };

static __always_inline __u64 tp_arg0(void *ctx, enum tp_slot which)
{
	struct cpu_state *s = state();
	__u64 v = 0;

	if (!s) {
		bpf_probe_read_kernel(&v, sizeof(v), ctx);
		return v;
	}
	*(volatile __u64 *)&s->arg[which] = ((__u64 *)ctx)[0];
	return *(volatile __u64 *)&s->arg[which];
}

/* @typed: @napi is a BTF pointer (fentry, tp_btf), read with plain loads */
static __always_inline bool napi_wanted(struct napi_struct *napi, bool typed)
{
	if (!targ_ifindex)
		return true;
	if (typed)
		return napi->dev->ifindex == targ_ifindex;
	return BPF_CORE_READ(napi, dev, ifindex) == targ_ifindex;
}

/**
 * on_poll_entry - a driver poll starts.
 * @key: the address of its NAPI instance, as a number
 * @napi: the same, as a pointer (@typed as in napi_wanted())
 *
 * The first poll of a NAPI cycle claims the cycle's ISR stamp in napi_stamps
 * (written by the ISR when it knows the napi, else taken from the CPU's pending
 * slot); later polls of the same cycle (repolled) find it there again.
 */
static __always_inline int on_poll_entry(__u64 key, struct napi_struct *napi,
					 bool typed)
{
	struct napi_stamp *st;
	struct cpu_state *s;
	bool found;
	__u64 now;

	if (empty_progs || !cpu_ok() || !napi_wanted(napi, typed))
		return 0;
	s = state();
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	st = napi_slot(key);
	found = st->napi == key;
	if (!found && !isr_keyed() && s->isr_pending_ts) {
		st->napi = key;
		st->ts = s->isr_pending_ts;
		if (slow_ns)
			st->cpu = 0;	/* a pending stamp is this CPU's */
		s->isr_pending_ts = 0;
		found = true;
	}
	if (found)
		st->claimed = 1;
	s->cur_isr_ts = found ? st->ts : 0;
	if (slow_ns)
		s->cur_isr_cpu = found ? st->cpu : 0;
	if (s->softirq_ts && !s->polled)
		hist_delta(RXS_H_SOFTIRQ_TO_POLL, s->softirq_ts, now);
	s->polled = 1;
	s->poll_ts = now;
	return 0;
}

/**
 * on_poll_exit - a poll returned @work packets of @budget.
 * @key: the address of its NAPI instance, as a number (@timed only)
 * @napi: the same, as a pointer (@typed as in napi_wanted())
 * @work: packets it handled
 * @budget: its budget
 * @timed: whether a poll entry hook ran (fentry/kprobe); the tracepoint has
 * exit only
 */
static __always_inline int on_poll_exit(__u64 key, struct napi_struct *napi,
					int work, int budget, bool timed,
					bool typed)
{
	struct rxs_cpu_counters *c;
	struct napi_stamp *st;
	struct cpu_state *s;

	if (empty_progs || !cpu_ok() || !napi_wanted(napi, typed))
		return 0;
	s = state();
	c = cnt();
	if (!s || !c)
		return 0;
	if (timed) {
		hist_delta(RXS_H_POLL, s->poll_ts, bpf_ktime_get_ns());
		s->poll_ts = 0;
	}
	if (work >= 0)
		hist_add(RXS_H_POLL_PKTS, work);
	c->polls++;
	if (work >= budget && budget > 0)
		c->polls_budget_exhausted++;
	if (timed) {
		/*
		 * The NAPI cycle is over when the poll left NAPI unscheduled
		 * (napi_complete_done succeeded). Still scheduled: budget used
		 * up, or a missed event made the kernel reschedule it without a
		 * new interrupt. Keep an unclaimed stamp in any case: the ISR
		 * of the next cycle, which fired once the driver unmasked the
		 * queue and before the poll returned.
		 */
		__u64 sched = 1ULL << NAPI_STATE_SCHED;
		__u64 nstate = typed ? napi->state : BPF_CORE_READ(napi, state);

		st = napi_slot(key);
		if (st->napi == key && st->claimed && !(nstate & sched))
			st->napi = 0;
		s->cur_isr_ts = 0;
	} else if (work >= budget && budget > 0) {
		/* repolled in the next NET_RX run, same cycle */
		s->carry = 1;
	}
	return 0;
}

SEC("fentry")
int BPF_PROG(fentry_poll, struct napi_struct *napi, int budget)
{
	return on_poll_entry(fentry_arg(ctx, 0), napi, true);
}

SEC("fexit")
int BPF_PROG(fexit_poll, struct napi_struct *napi, int budget, int ret)
{
	return on_poll_exit(fentry_arg(ctx, 0), napi, ret, budget, true, true);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_poll, struct napi_struct *napi, int budget)
{
	struct cpu_state *s;

	if (empty_progs)
		return 0;
	s = state();
	if (s) {
		s->poll_napi = napi;
		s->poll_budget = budget;
	}
	return on_poll_entry((__u64)napi, napi, false);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_poll, int ret)
{
	struct cpu_state *s = empty_progs ? NULL : state();

	if (!s || !s->poll_napi)
		return 0;
	on_poll_exit((__u64)s->poll_napi, s->poll_napi, ret, s->poll_budget,
		     true, false);
	s->poll_napi = 0;
	return 0;
}

SEC("tp_btf/napi_poll")
int BPF_PROG(tpbtf_napi_poll, struct napi_struct *napi, int work, int budget)
{
	return on_poll_exit(0, napi, work, budget, false, true);
}

SEC("raw_tp/napi_poll")
int BPF_PROG(rawtp_napi_poll, struct napi_struct *napi, int work, int budget)
{
	return on_poll_exit(0, napi, work, budget, false, false);
}

/* ---- --by: the per-packet stages by RX queue or by CPU ------------------ */

/*
 * enum rxs_by, set by userspace before load. RXS_BY_NONE (the default) leaves
 * every branch below dead code, which the verifier drops: no cost without --by.
 * Userspace shrinks the two maps to one entry then.
 */
const volatile int by_mode = RXS_BY_NONE;

/* [group * RXS_PP_NR + per-packet ordinal of the stage] (rxs_pp_index()) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RXS_BY_GROUPS * RXS_PP_NR);
	__type(key, __u32);
	__type(value, struct rxs_hist);
} by_hists SEC(".maps");

/* followed packets per group, counted when each starts being followed */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RXS_BY_GROUPS);
	__type(key, __u32);
	__type(value, __u64);
} by_pkts SEC(".maps");

static __always_inline __u32 by_clamp(__u32 v)
{
	return v < RXS_BY_MAX ? v : RXS_BY_OTHER;
}

/*
 * The group of a packet that starts being followed now: its RX queue (the
 * driver's skb_record_rx_queue() stores queue + 1 in queue_mapping; 0 means
 * none was recorded), or this CPU. Counted in by_pkts.
 */
static __always_inline __u32 by_start(__u64 skb)
{
	__u32 g, key;
	__u64 *n;

	if (by_mode == RXS_BY_QUEUE) {
		__u16 qm = BPF_CORE_READ((struct sk_buff *)skb, queue_mapping);

		g = qm ? by_clamp(qm - 1) : RXS_BY_OTHER;
	} else {
		g = by_clamp(bpf_get_smp_processor_id());
	}
	key = g;
	n = bpf_map_lookup_elem(&by_pkts, &key);
	if (n)
		(*n)++;
	return g;
}

/*
 * Add value @v, in bucket @slot, of per-packet stage @id to the histogram of
 * @group. The caller computes the bucket once for both histograms: computing it
 * again from @v, whose bounds the first computation narrowed, leads the 6.1
 * verifier down branches that cannot happen, where it loses the slot's bound.
 */
static __always_inline void by_add(__u32 id, __u32 group, __u64 slot, __u64 v)
{
	int ppi = rxs_pp_index(id);
	struct rxs_hist *h;
	__u32 key;

	if (ppi < 0)
		return;
	if (by_mode == RXS_BY_CPU)
		group = by_clamp(bpf_get_smp_processor_id());
	if (group > RXS_BY_OTHER)
		group = RXS_BY_OTHER;
	key = group * RXS_PP_NR + ppi;
	h = bpf_map_lookup_elem(&by_hists, &key);
	if (h)
		hist_update_at(h, slot, v);
}

/* ---- per packet: GRO -> netif_receive -> ip_rcv -> UDP queue -> recvmsg */

/*
 * The followed packets, direct-mapped by skb address (see struct rxs_track).
 * A global array: a slot is a constant offset from the .bss base, with no map
 * lookup, and userspace sees it through the mmapped .bss.
 */
struct rxs_track tracks[RXS_TRACK_SLOTS];

/*
 * skbs come from a slab in 256-byte objects: the bits above 8 tell neighbours
 * apart and keep the slots of one slab page together (fewer TLB and cache
 * misses than a multiplicative hash); the bits of the 16 MB region are folded
 * in, so that distant regions do not fall on the same slots.
 */
static __always_inline __u32 track_index(__u64 skb)
{
	__u64 i = (skb >> 8) ^ (skb >> (8 + RXS_TRACK_BITS));

	return i & (RXS_TRACK_SLOTS - 1);
}

static __always_inline struct rxs_track *track_slot(__u64 skb)
{
	return &tracks[track_index(skb)];
}

/*
 * --by queue: the group of the packet in each slot of `tracks`, apart from it so
 * that the table is the same without --by (only --by touches this array).
 */
static __u8 track_group[RXS_TRACK_SLOTS];

/* Value @v of per-packet stage @id of the followed packet @key: whole path, and --by. */
static __always_inline void pkt_add(__u32 id, __u64 key, __u64 v)
{
	__u64 slot;

	if (by_mode == RXS_BY_NONE) {
		hist_add(id, v);
		return;
	}
	slot = hist_slot_of(v);
	hist_add_at(id, slot, v);
	by_add(id, track_group[track_index(key)], slot, v);
}

/* A per-packet stage of the followed packet @key ends: whole path, and --by. */
static __always_inline void pkt_delta(__u32 id, __u64 key, __u64 start,
				      __u64 now)
{
	if (start && now >= start)
		pkt_add(id, key, now - start);
}

/* The first bytes of an IPv4 header without options, and the UDP ports. */
struct ip_udp_hdr {
	__u8 vihl;
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag;
	__u8 ttl;
	__u8 proto;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
};

/*
 * The headers at @data, read through a pointer that bpf_rdonly_cast() (6.2+)
 * typed: plain loads, which the JIT guards against faults, instead of
 * bpf_probe_read_kernel() calls. Is it UDP, to the port asked for?
 */
static __always_inline bool ip_udp_wanted(unsigned char *data)
{
	struct iphdr *ip = bpf_core_cast(data, struct iphdr);
	struct udphdr *uh;
	__u8 vihl;

	if (ip->protocol != IPPROTO_UDP_NR)
		return false;
	if (!targ_port)
		return true;
	/* only the first fragment has the UDP header: offset bits, big-endian */
	if (ip->frag_off & 0xff1f)
		return false;
	vihl = *(__u8 *)ip;
	uh = bpf_core_cast(data + (vihl & 0xf) * 4, struct udphdr);
	return bpf_ntohs(uh->dest) == (__u16)targ_port;
}

/**
 * skb_wanted - is @skb an IPv4 UDP packet that passes the interface and port
 * filters? Only those are followed: the path ends at the UDP socket.
 * @skb: the packet; skb->data is at the IP header (the driver pulled the
 * Ethernet header)
 * @typed: @skb is a BTF pointer (fentry, tp_btf): its fields are read with
 * plain loads instead of bpf_probe_read_kernel() calls
 *
 * The headers: through bpf_rdonly_cast() when @typed and the kernel has it
 * (ip_udp_wanted()), else one probe read copies the IP header and the UDP
 * ports at once.
 */
static __always_inline bool skb_wanted(struct sk_buff *skb, bool typed)
{
	struct ip_udp_hdr h;
	unsigned char *data;
	__u16 proto, dport;

	if (typed) {
		if (targ_ifindex && skb->dev->ifindex != targ_ifindex)
			return false;
		proto = skb->protocol;
		data = skb->data;
	} else {
		if (targ_ifindex &&
		    BPF_CORE_READ(skb, dev, ifindex) != targ_ifindex)
			return false;
		proto = BPF_CORE_READ(skb, protocol);
		data = BPF_CORE_READ(skb, data);
	}
	if (proto != ETH_P_IP_BE)
		return false;	/* IPv4 UDP only */
	if (typed && bpf_ksym_exists(bpf_rdonly_cast))
		return ip_udp_wanted(data);
	if (bpf_probe_read_kernel(&h, sizeof(h), data) ||
	    h.proto != IPPROTO_UDP_NR)
		return false;
	if (!targ_port)
		return true;
	/* only the first fragment has the UDP header: offset bits, big-endian */
	if (h.frag & 0xff1f)
		return false;
	dport = h.dport;
	if ((h.vihl & 0xf) != 5 &&
	    bpf_probe_read_kernel(&dport, 2, data + (h.vihl & 0xf) * 4 + 2))
		return false;
	return ((dport >> 8) | ((dport & 0xff) << 8)) == (__u16)targ_port;
}

/*
 * The ISR time of the NAPI cycle the current packet belongs to, 0 if unknown.
 */
static __always_inline __u64 cycle_isr_ts(struct cpu_state *s)
{
	return s->cur_isr_ts ? s->cur_isr_ts : s->isr_pending_ts;
}

/**
 * track_start - begin following @skb at @now (its first per-packet hook).
 * @skb: the packet
 * @now: the time of this event
 * @gro: true at napi_gro_receive, false at netif_receive_skb
 *
 * A slot that still follows another packet, started less than the stale time
 * ago, is taken over and counted as an eviction. An entry of the same address
 * belongs to an skb freed unseen, and is simply restarted.
 */
static __always_inline void track_start(__u64 skb, __u64 now, bool gro)
{
	struct rxs_track *t = track_slot(skb);
	struct rxs_cpu_counters *c = cnt();
	struct cpu_state *s = state();
	__u64 isr_ts, begun;

	if (!c || !s)
		return;
	begun = t->gro_ts ? t->gro_ts : t->nrs_ts;
	if (t->skb && t->skb != skb && begun + RXS_STALE_NS > now)
		c->track_evictions++;
	isr_ts = cycle_isr_ts(s);
	t->skb = skb;
	t->isr_ts = isr_ts;
	t->ip_ts = 0;
	t->udp_ts = 0;
	t->mid_ts = 0;
	t->tap_ns = 0;
	t->bl_ts = 0;
	if (by_mode != RXS_BY_NONE)
		track_group[track_index(skb)] = by_start(skb);
	if (gro) {
		t->gro_ts = now;
		t->nrs_ts = 0;
		c->pkts[RXS_F_GRO]++;
		if (!isr_ts && has(RXS_P_ISR))
			c->unmatched++;
		pkt_delta(RXS_H_IRQ_TO_RX, skb, isr_ts, now);
	} else {
		t->gro_ts = 0;
		t->nrs_ts = now;
		c->pkts[RXS_F_NETIF_RECEIVE]++;
	}
}

/*
 * The per-packet handlers take @key, the skb's address as a number; those that
 * filter also take @skb, the pointer whose fields skb_wanted() reads (@typed as
 * there). At GRO the filter comes first, so that a tp_btf program copies the
 * address only of the packets it follows.
 */
/* Is @skb, at the GRO hook, a packet to follow now? Checked before its key is read. */
static __always_inline bool gro_wanted(struct sk_buff *skb, bool typed)
{
	return !(empty_progs || empty_pkt) && follow_new && cpu_ok() &&
	       skb_wanted(skb, typed);
}

/* A packet that gro_wanted() accepted starts being followed. */
static __always_inline int on_gro(__u64 key)
{
	track_start(key, bpf_ktime_get_ns(), true);
	return 0;
}

static __always_inline int on_netif_receive(__u64 key, struct sk_buff *skb,
					    bool typed)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	__u64 now;

	if ((empty_progs || empty_pkt))
		return 0;
	/* the clock is read only for followed packets: most skbs are not */
	t = track_slot(key);
	if (t->skb != key || t->nrs_ts) {
		/*
		 * Not via GRO (backlog, netif_rx, or no GRO hook), or a stale
		 * entry of an earlier skb at this address: start here.
		 */
		if (follow_new && cpu_ok() && skb_wanted(skb, typed))
			track_start(key, bpf_ktime_get_ns(), false);
		return 0;
	}
	c = cnt();
	if (!c)
		return 0;
	now = bpf_ktime_get_ns();
	/* through a backlog (RPS): gro ended at the enqueue, on the CPU that queued it */
	if (t->bl_ts)
		pkt_delta(RXS_H_BACKLOG, key, t->bl_ts, now);
	else
		pkt_delta(RXS_H_GRO, key, t->gro_ts, now);
	t->nrs_ts = now;
	c->pkts[RXS_F_NETIF_RECEIVE]++;
	return 0;
}

/*
 * --detail nf: udp_lookup is the time from ip_local_deliver to the UDP queue,
 * less the time this CPU spent in netfilter hooks in between (the packet's
 * LOCAL_IN chain).
 */
static __always_inline void mark_ip_path(struct rxs_track *t, __u64 now)
{
	struct cpu_state *s = has(RXS_P_NF_PRE) ? state() : NULL;

	t->mid_ts = now;
	t->mid_nf = s ? (__u32)s->nf_ns : 0;
}

static __always_inline void hist_ip_path(__u32 id, __u64 key, struct rxs_track *t,
					 __u64 now)
{
	struct cpu_state *s = has(RXS_P_NF_PRE) ? state() : NULL;
	__u64 d = now - t->mid_ts;
	__u32 nf = s ? (__u32)s->nf_ns - t->mid_nf : 0;

	if (t->mid_ts && now >= t->mid_ts)
		pkt_add(id, key, d > nf ? d - nf : 0);
}

static __always_inline int on_ip_rcv(__u64 key)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	__u64 now;

	if ((empty_progs || empty_pkt))
		return 0;
	t = track_slot(key);
	if (t->skb != key)
		return 0;
	if (t->ip_ts || t->udp_ts) {
		t->skb = 0;	/* stale: an earlier skb at this address */
		return 0;
	}
	c = cnt();
	if (!c)
		return 0;
	now = bpf_ktime_get_ns();
	if (!t->nrs_ts)
		c->unmatched++;
	pkt_delta(RXS_H_L2_TO_IP, key, t->nrs_ts, now);
	/* the taps ran inside l2_to_ip: their time per tapped packet */
	if (has(RXS_P_TAP) && t->tap_ns)
		pkt_add(RXS_H_TAPS, key, t->tap_ns);
	t->ip_ts = now;
	c->pkts[RXS_F_IP_RCV]++;
	return 0;
}

static __always_inline int on_udp_queue(__u64 key)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	__u64 now;

	if ((empty_progs || empty_pkt))
		return 0;
	t = track_slot(key);
	if (t->skb != key)
		return 0;
	if (t->udp_ts) {
		t->skb = 0;	/* stale */
		return 0;
	}
	c = cnt();
	if (!c)
		return 0;
	now = bpf_ktime_get_ns();
	if (!t->ip_ts && has(RXS_P_IP_RCV))
		c->unmatched++;
	pkt_delta(RXS_H_IP_TO_UDP, key, t->ip_ts, now);
	if (has(RXS_P_IP_LOCAL_DELIVER) && t->mid_ts)
		hist_ip_path(RXS_H_UDP_LOOKUP, key, t, now);
	pkt_delta(RXS_H_TOTAL, key, t->isr_ts, now);
	if (slow_ns)
		slow_check(t, key, now, c);
	t->udp_ts = now;
	c->pkts[RXS_F_UDP_QUEUE]++;
	return 0;
}

static __always_inline int on_socket_dequeue(__u64 key)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;

	if (!key)
		return 0;
	t = track_slot(key);
	if (t->skb != key)
		return 0;
	c = cnt();
	if (!c)
		return 0;
	if (!t->udp_ts && has(RXS_P_UDP_QUEUE))
		c->unmatched++;
	pkt_delta(RXS_H_SOCKET, key, t->udp_ts, bpf_ktime_get_ns());
	c->pkts[RXS_F_SOCKET]++;
	t->skb = 0;
	return 0;
}

/* ---- --detail nf: netfilter and routing inside ip_to_udp ----------------- */

/*
 * nf_hook_slow(skb, state, index) runs a chain's hooks over one packet; it is
 * called only when some hook is registered for the chain. Every call's time
 * adds to the CPU's netfilter time; a followed IPv4 packet's PRE_ROUTING call is
 * its nf_prerouting, its LOCAL_IN call its nf_local_in. A packet that a chain
 * drops is freed inside the call, and counted by kfree_skb (reason
 * NETFILTER_DROP). A call nested in another (a hook that sends) is left to the
 * outer one.
 */
SEC("fentry")
int BPF_PROG(fentry_nf_hook)
{
	struct cpu_state *s;

	if (empty_progs || empty_pkt)
		return 0;
	s = state();
	if (s && !s->nf_depth++)
		s->nf_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_nf_hook_done(__u64 key, struct nf_hook_state *st)
{
	struct cpu_state *s;
	struct rxs_track *t;
	__u64 d;
	__u8 hook;

	if (empty_progs || empty_pkt)
		return 0;
	s = state();
	if (!s || !s->nf_depth || --s->nf_depth)
		return 0;
	d = bpf_ktime_get_ns() - s->nf_ts;
	s->nf_ns += d;
	t = track_slot(key);
	if (t->skb != key || !t->ip_ts || t->udp_ts || st->pf != NFPROTO_IPV4)
		return 0;
	hook = st->hook;
	if (hook == NF_INET_PRE_ROUTING)
		pkt_add(RXS_H_NF_PREROUTING, key, d);
	else if (hook == NF_INET_LOCAL_IN)
		pkt_add(RXS_H_NF_LOCAL_IN, key, d);
	return 0;
}

SEC("fexit")
int BPF_PROG(fexit_nf_hook, struct sk_buff *skb, struct nf_hook_state *st)
{
	return on_nf_hook_done(fentry_arg(ctx, 0), st);
}

/*
 * The routing decision: ip_route_input_noref(skb, ...), from ip_rcv_finish or,
 * for list receive, per packet after the whole batch passed PRE_ROUTING, where a
 * packet of the same flow as the one before takes ip_route_use_hint(skb, ...)
 * instead. A packet whose socket's early demux already set the route is not
 * routed here. Routing does not nest on a CPU.
 */
static __always_inline int on_route_entry(__u64 key)
{
	struct rxs_track *t;
	struct cpu_state *s;

	if (empty_progs || empty_pkt)
		return 0;
	t = track_slot(key);
	if (t->skb != key || !t->ip_ts || t->udp_ts)
		return 0;
	s = state();
	if (!s)
		return 0;
	s->route_skb = key;
	s->route_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_route_exit(void)
{
	struct cpu_state *s = (empty_progs || empty_pkt) ? NULL : state();
	struct rxs_track *t;
	__u64 key;

	if (!s || !s->route_skb)
		return 0;
	key = s->route_skb;
	s->route_skb = 0;
	t = track_slot(key);
	if (t->skb == key)
		pkt_delta(RXS_H_ROUTE, key, s->route_ts, bpf_ktime_get_ns());
	return 0;
}

SEC("fentry/ip_route_input_noref")
int BPF_PROG(fentry_route, struct sk_buff *skb)
{
	return on_route_entry(fentry_arg(ctx, 0));
}

SEC("fexit/ip_route_input_noref")
int BPF_PROG(fexit_route)
{
	return on_route_exit();
}

/* list receive: a packet of the same flow as the one before reuses its route */
SEC("fentry/ip_route_use_hint")
int BPF_PROG(fentry_route_hint, struct sk_buff *skb)
{
	return on_route_entry(fentry_arg(ctx, 0));
}

SEC("fexit/ip_route_use_hint")
int BPF_PROG(fexit_route_hint)
{
	return on_route_exit();
}

SEC("kprobe")
int BPF_KPROBE(kprobe_route, struct sk_buff *skb)
{
	return on_route_entry((__u64)skb);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_route)
{
	return on_route_exit();
}

/* Routed to this host: udp_lookup starts. */
static __always_inline int on_ip_local_deliver(__u64 key)
{
	struct rxs_track *t;

	if (empty_progs || empty_pkt)
		return 0;
	t = track_slot(key);
	if (t->skb != key || !t->ip_ts || t->udp_ts)
		return 0;
	mark_ip_path(t, bpf_ktime_get_ns());
	return 0;
}

SEC("fentry")
int BPF_PROG(fentry_ip_local_deliver, struct sk_buff *skb)
{
	return on_ip_local_deliver(fentry_arg(ctx, 0));
}

SEC("kprobe")
int BPF_KPROBE(kprobe_ip_local_deliver, struct sk_buff *skb)
{
	return on_ip_local_deliver((__u64)skb);
}

/* ---- taps: AF_PACKET sockets get their copy inside l2_to_ip --------------- */

/*
 * packet_rcv and tpacket_rcv (skb, dev, pt, orig_dev) run for every packet a
 * packet socket sees, in either direction, and only while one is open: the
 * first test is the tag of one slot. They do not nest on a CPU.
 */
static __always_inline int on_tap_entry(__u64 key)
{
	struct rxs_track *t;
	struct cpu_state *s;

	if (empty_progs || empty_pkt)
		return 0;
	t = track_slot(key);
	if (t->skb != key || t->ip_ts)
		return 0;
	s = state();
	if (!s)
		return 0;
	s->tap_skb = key;
	s->tap_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_tap_exit(__u64 key)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	struct cpu_state *s;
	__u64 d;

	if (empty_progs || empty_pkt)
		return 0;
	s = state();
	if (!s || s->tap_skb != key || !key)
		return 0;
	s->tap_skb = 0;
	t = track_slot(key);
	c = cnt();
	if (t->skb != key || !c)
		return 0;
	/* at least 1 ns, so that tap_ns says whether a tap ran */
	d = bpf_ktime_get_ns() - s->tap_ts;
	d = d < 1 ? 1 : d > 0x7fffffffULL ? 0x7fffffffULL : d;
	if (!t->tap_ns)
		c->tapped_pkts++;
	t->tap_ns += (__u32)d;
	c->tap_deliveries++;
	return 0;
}

SEC("fentry/packet_rcv")
int BPF_PROG(fentry_packet_rcv, struct sk_buff *skb)
{
	return on_tap_entry(fentry_arg(ctx, 0));
}

SEC("fexit/packet_rcv")
int BPF_PROG(fexit_packet_rcv, struct sk_buff *skb)
{
	return on_tap_exit(fentry_arg(ctx, 0));
}

SEC("fentry/tpacket_rcv")
int BPF_PROG(fentry_tpacket_rcv, struct sk_buff *skb)
{
	return on_tap_entry(fentry_arg(ctx, 0));
}

SEC("fexit/tpacket_rcv")
int BPF_PROG(fexit_tpacket_rcv, struct sk_buff *skb)
{
	return on_tap_exit(fentry_arg(ctx, 0));
}

/*
 * kfree_skb fires for every skb dropped on the system: the first test is the
 * tag of one slot, and only a followed packet costs more.
 */
static __always_inline int on_kfree_skb(__u64 key, int reason)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	__u32 r = reason;
	__u64 *slot;

	if ((empty_progs || empty_pkt))
		return 0;
	t = track_slot(key);
	if (t->skb != key)
		return 0;
	t->skb = 0;
	c = cnt();
	if (c)
		c->drops++;
	if (r >= RXS_MAX_DROP_REASONS)
		r = RXS_MAX_DROP_REASONS - 1;
	slot = bpf_map_lookup_elem(&drop_reasons, &r);
	if (slot)
		(*slot)++;
	return 0;
}

/*
 * GRO entry: napi_gro_receive(napi, skb) up to 6.14, gro_receive_skb(gro, skb)
 * after.
 */
SEC("fentry")
int BPF_PROG(fentry_gro, void *napi, struct sk_buff *skb)
{
	return gro_wanted(skb, true) ? on_gro(fentry_arg(ctx, 1)) : 0;
}

SEC("kprobe")
int BPF_KPROBE(kprobe_gro, void *napi, struct sk_buff *skb)
{
	return gro_wanted(skb, false) ? on_gro((__u64)skb) : 0;
}

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(tpbtf_gro, struct sk_buff *skb)
{
	return gro_wanted(skb, true) ? on_gro(tp_arg0(ctx, TP_GRO)) : 0;
}

SEC("raw_tp/napi_gro_receive_entry")
int BPF_PROG(rawtp_gro, struct sk_buff *skb)
{
	return gro_wanted(skb, false) ? on_gro((__u64)skb) : 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(tpbtf_netif_receive, struct sk_buff *skb)
{
	return (empty_progs || empty_pkt) ? 0 : on_netif_receive(tp_arg0(ctx, TP_NETIF_RX), skb, true);
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(rawtp_netif_receive, struct sk_buff *skb)
{
	return on_netif_receive((__u64)skb, skb, false);
}

SEC("fentry")
int BPF_PROG(fentry_ip_rcv, struct sk_buff *skb)
{
	return on_ip_rcv(fentry_arg(ctx, 0));
}

SEC("kprobe")
int BPF_KPROBE(kprobe_ip_rcv, struct sk_buff *skb)
{
	return on_ip_rcv((__u64)skb);
}

/* udp_queue_rcv_skb(sk, skb) or __udp_enqueue_schedule_skb(sk, skb) */
SEC("fentry")
int BPF_PROG(fentry_udp_queue, struct sock *sk, struct sk_buff *skb)
{
	return on_udp_queue(fentry_arg(ctx, 1));
}

SEC("kprobe")
int BPF_KPROBE(kprobe_udp_queue, struct sock *sk, struct sk_buff *skb)
{
	return on_udp_queue((__u64)skb);
}

/*
 * The dequeue by recvmsg. Best: fentry on skb_consume_udp(sk, skb, len), which
 * udp_recvmsg (and udpv6_recvmsg, for IPv4 datagrams on a dual-stack socket)
 * calls once it has copied a datagram out: an entry hook, the skb in its
 * arguments, where the fallback, fexit on __skb_recv_udp(), costs a trampoline
 * that calls the function and an exit program that reads its return value.
 * (The skb:skb_copy_datagram_iovec tracepoint is no substitute: udp_recvmsg
 * copies linear skbs with copy_linear_skb(), which does not fire it.)
 */
SEC("fentry/skb_consume_udp")
int BPF_PROG(fentry_sock_consume, struct sock *sk, struct sk_buff *skb)
{
	return (empty_progs || empty_pkt) ? 0 : on_socket_dequeue(fentry_arg(ctx, 1));
}

/* __skb_recv_udp() returns the dequeued skb; its argument list differs between kernels. */
SEC("fexit")
int fexit_sock_dequeue(void *ctx)
{
	__u64 ret = 0;

	if (empty_progs || empty_pkt)
		return 0;
	if (func_arg_helpers) {
		if (bpf_get_func_ret(ctx, &ret))
			return 0;
	} else if (bpf_probe_read_kernel(&ret, sizeof(ret),
					 (__u64 *)ctx + (dequeue_nargs & 7))) {
		return 0;
	}
	return on_socket_dequeue(ret);
}

SEC("kretprobe")
int BPF_KRETPROBE(kretprobe_sock_dequeue, struct sk_buff *skb)
{
	return (empty_progs || empty_pkt) ? 0 : on_socket_dequeue((__u64)skb);
}

/*
 * kfree_skb(skb, location, reason, ...): the reason argument exists since 5.17,
 * with enum skb_drop_reason. Before, the verifier refuses to read a third
 * argument, so the read is left out (CO-RE) and every drop is "not specified".
 */
static __always_inline int kfree_reason(void *ctx)
{
	if (!bpf_core_enum_value_exists(enum skb_drop_reason,
					SKB_DROP_REASON_NOT_SPECIFIED))
		return 0;
	return (int)((__u64 *)ctx)[2];
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(tpbtf_kfree_skb, struct sk_buff *skb)
{
	return (empty_progs || empty_pkt) ? 0 :
		on_kfree_skb(tp_arg0(ctx, TP_KFREE), kfree_reason(ctx));
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(rawtp_kfree_skb, struct sk_buff *skb)
{
	return on_kfree_skb((__u64)skb, kfree_reason(ctx));
}

/* ==== RPS: the backlog of another CPU ========================================
 *
 * With RPS, the CPU that received a packet (GRO, on the NIC's queue) queues it
 * to the backlog of the CPU that rps_cpus picks, enqueue_to_backlog(), and
 * wakes that CPU with an IPI, net_rps_send_ipi(); there process_backlog() hands
 * it to __netif_receive_skb(), whose netif_receive_skb tracepoint ends the
 * backlog stage. netif_rx() queues to the local backlog the same way. Neither
 * function runs without RPS or netif_rx, so these hooks cost nothing then.
 */

/* Per-CPU in BTF since 5.x (not in Debian's 5.10): else backlog_len counts nothing. */
extern const struct softnet_data softnet_data __ksym __weak;

/**
 * on_backlog_enqueue - @skb is queued to the backlog of @cpu.
 * @key: the skb's address, as a number
 * @typed: @skb is a BTF pointer (fentry), read with plain loads
 *
 * Counts every enqueue of the traced device, with the length of the target's
 * input queue (what netdev_max_backlog limits) before this packet. A followed
 * packet ends its gro stage here and starts its backlog stage.
 */
static __always_inline int on_backlog_enqueue(__u64 key, struct sk_buff *skb,
					      int cpu, bool typed)
{
	struct rxs_cpu_counters *c;
	struct rxs_track *t;
	__u64 now;

	if (empty_progs || empty_pkt || !cpu_ok())
		return 0;
	if (targ_ifindex &&
	    (typed ? skb->dev->ifindex : BPF_CORE_READ(skb, dev, ifindex)) !=
	    targ_ifindex)
		return 0;
	c = cnt();
	if (!c)
		return 0;
	c->backlog_enqueues++;
	if (bpf_ksym_exists(&softnet_data)) {
		struct softnet_data *sd = bpf_per_cpu_ptr(&softnet_data, cpu);

		if (sd)
			hist_add(RXS_H_BACKLOG_LEN,
				 BPF_CORE_READ(sd, input_pkt_queue.qlen));
	}
	t = track_slot(key);
	/* not followed, or the entry of an earlier skb at this address */
	if (t->skb != key || t->nrs_ts || t->bl_ts)
		return 0;
	now = bpf_ktime_get_ns();
	pkt_delta(RXS_H_GRO, key, t->gro_ts, now);
	t->bl_ts = now;
	return 0;
}

/*
 * net_rps_send_ipi(remsd) sends one IPI to each softnet_data of the list
 * (rps_ipi_next), the CPUs whose backlog this CPU started.
 */
static __always_inline int on_rps_ipi(struct softnet_data *remsd)
{
	struct rxs_cpu_counters *c;
	__u32 n = 0;
	int i;

	if (empty_progs || !cpu_ok())
		return 0;
	c = cnt();
	if (!c)
		return 0;
	for (i = 0; i < 64 && remsd; i++) {
		n++;
		remsd = BPF_CORE_READ(remsd, rps_ipi_next);
	}
	c->rps_ipis += n;
	return 0;
}

SEC("fentry")
int BPF_PROG(fentry_backlog, struct sk_buff *skb, int cpu)
{
	return on_backlog_enqueue(fentry_arg(ctx, 0), skb, cpu, true);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_backlog, struct sk_buff *skb, int cpu)
{
	return on_backlog_enqueue((__u64)skb, skb, cpu, false);
}

SEC("fentry")
int BPF_PROG(fentry_rps_ipi, struct softnet_data *remsd)
{
	return on_rps_ipi(remsd);
}

SEC("kprobe")
int BPF_KPROBE(kprobe_rps_ipi, struct softnet_data *remsd)
{
	return on_rps_ipi(remsd);
}

/* ==== end of RPS ============================================================== */

char LICENSE[] SEC("license") = "Dual BSD/GPL";
