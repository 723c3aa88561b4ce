/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * clock.h - the one monotonic clock reading that rxscope, rxgen and rxsink share
 * (CLOCK_MONOTONIC, as BPF's bpf_ktime_get_ns() reads it).
 */
#ifndef RXS_CLOCK_H
#define RXS_CLOCK_H

#include <time.h>

static inline unsigned long long rxs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline double rxs_now_sec(void)
{
	return rxs_now_ns() / 1e9;
}

#endif /* RXS_CLOCK_H */
