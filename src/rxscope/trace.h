/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * trace.h - the verbs `trace` and `record` (trace.c), returning the process exit code
 * (cli.h); and the tracing session of trace.c as `serve` uses it: attach once, read the
 * per-CPU maps into a recording as often as wanted, sweep the tracking table, detach.
 */
#ifndef RXS_TRACE_H
#define RXS_TRACE_H

#include "attach.h"
#include "cli.h"
#include "export_prom.h"

int rxs_trace_cmd(const struct rxs_cli *cli);

/* libbpf output: warnings and errors always, debug only with -v. */
void rxs_libbpf_setup(bool verbose);

/* The tracing session of trace.c (opaque). */
struct session;

#define RXS_MAX_PROGS	64

/*
 * Check access, resolve the driver profile of @cli, build the hook plan and attach, as
 * trace does. Prints what failed and returns NULL with the exit code in *@exit_code.
 */
struct session *rxs_session_open(const struct rxs_cli *cli, int *exit_code);
/* A recording starts now: duration, start time, sweep count, softnet baseline. */
void rxs_session_start_recording(struct session *s);
/*
 * Read the BPF maps (totals since the start) into @r, which is initialised here (free it
 * with rxs_recording_free(), also on error). Returns 0, or a negative errno when a map
 * cannot be read.
 */
int rxs_session_collect(struct session *s, struct rxs_recording *r);
/* Free the tracking slots of packets that left unseen (at most once a second). */
void rxs_session_sweep(struct session *s);
/* Cost of every attached program into @out (at most @max); returns how many. */
int rxs_session_prog_stats(const struct session *s, struct rxs_prog_stat *out, int max);
/* Possible CPUs (the per-CPU map stride), uname -r, the resolved profile, the hook plan. */
int rxs_session_ncpus(const struct session *s);
const char *rxs_session_kernel(const struct session *s);
const char *rxs_session_driver(const struct session *s);
const struct rxs_plan *rxs_session_plan(const struct session *s);
/* Detach and free. */
void rxs_session_close(struct session *s);

#endif /* RXS_TRACE_H */
