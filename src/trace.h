/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * trace.h - the verbs that run the tracer: `trace` and `record` (trace.c), and `probe`
 * (probe.c). Each returns the process exit code (cli.h).
 */
#ifndef RXS_TRACE_H
#define RXS_TRACE_H

#include "cli.h"

int rxs_trace_cmd(const struct rxs_cli *cli);
int rxs_probe_cmd(const struct rxs_cli *cli);

/* libbpf output: warnings and errors always, debug only with -v. */
void rxs_libbpf_setup(bool verbose);

#endif /* RXS_TRACE_H */
