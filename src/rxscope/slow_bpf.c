// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * slow_bpf.c - the live part of `--slow`: its rodata before load, and the consumer of the
 * ring buffer `slow_events`, which the run loop polls instead of sleeping. One consumer per
 * process (trace and record run one session).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "recording.h"
#include "slow.h"
#include "rxscope.skel.h"

static struct {
	struct ring_buffer *rb;
	bool print;
	FILE *out;
	int keep;			/* 0: nothing kept (trace) */
	__u64 threshold_ns;
	__u32 rate;
	__u64 t0_ns;			/* the current recording's start */
	struct rxs_slow_set *set;	/* the current recording's worst */
	unsigned long long received;
} slow;

int rxs_slow_rodata(struct rxscope_bpf *skel, __u64 threshold_ns, __u32 rate)
{
	if (!rate)
		rate = RXS_SLOW_RATE_DEFAULT;
	skel->rodata->slow_ns = threshold_ns;
	skel->rodata->slow_cost_ns = 1000000000ULL / rate;
	/* a burst of one second's worth: rate records in a row, then one per cost */
	skel->rodata->slow_tau_ns = (rate - 1) * (1000000000ULL / rate);
	/* without --slow the map is never written: one page is the smallest ring */
	return bpf_map__set_max_entries(skel->maps.slow_events,
					threshold_ns ? RXS_SLOW_RINGBUF : 4096);
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct rxs_slow_pkt p;

	(void)ctx;
	if (len < sizeof(struct rxs_slow_event))
		return 0;
	slow.received++;
	rxs_slow_from_event(&p, data, slow.t0_ns);
	if (slow.print)
		rxs_slow_print_line(slow.out, &p);
	if (slow.set)
		rxs_slow_set_add(slow.set, &p);
	return 0;
}

int rxs_slow_start(struct rxscope_bpf *skel, __u64 threshold_ns, __u32 rate, bool print,
		   FILE *out, int keep, __u64 t0_ns, char *err, size_t errlen)
{
	memset(&slow, 0, sizeof(slow));
	if (!threshold_ns)
		return 0;
	slow.print = print;
	slow.out = out;
	slow.keep = keep;
	slow.threshold_ns = threshold_ns;
	slow.rate = rate ? rate : RXS_SLOW_RATE_DEFAULT;
	slow.t0_ns = t0_ns;
	if (keep > 0) {
		slow.set = rxs_slow_set_new(threshold_ns, slow.rate, keep);
		if (!slow.set) {
			snprintf(err, errlen, "--slow: out of memory");
			return -ENOMEM;
		}
	}
	slow.rb = ring_buffer__new(bpf_map__fd(skel->maps.slow_events), on_event, NULL, NULL);
	if (!slow.rb) {
		int ret = -errno;

		snprintf(err, errlen, "--slow: failed to open the ring buffer: %s",
			 strerror(-ret));
		free(slow.set);
		slow.set = NULL;
		return ret;
	}
	return 0;
}

bool rxs_slow_active(void)
{
	return slow.rb != NULL;
}

void rxs_slow_poll(int timeout_ms)
{
	if (!slow.rb)
		return;
	ring_buffer__poll(slow.rb, timeout_ms);
	if (slow.print)
		fflush(slow.out);
}

void rxs_slow_take(struct rxs_recording *r, __u64 t0_ns)
{
	if (!slow.rb || !slow.set)
		return;
	ring_buffer__consume(slow.rb);
	free(r->slow);
	r->slow = slow.set;
	slow.set = rxs_slow_set_new(slow.threshold_ns, slow.rate, slow.keep);
	slow.t0_ns = t0_ns;
}

unsigned long long rxs_slow_received(void)
{
	if (slow.rb)
		ring_buffer__consume(slow.rb);
	return slow.received;
}

void rxs_slow_stop(void)
{
	ring_buffer__free(slow.rb);
	free(slow.set);
	memset(&slow, 0, sizeof(slow));
}
