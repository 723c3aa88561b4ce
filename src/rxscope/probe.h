/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * probe.h - the `probe` verb (probe.c): which hook flavours this kernel offers and which
 * the tracer gets.
 */
#ifndef RXS_PROBE_H
#define RXS_PROBE_H

struct rxs_cli;

/* Print the hook table and the stages' availability; returns the exit code (cli.h). */
int rxs_probe_cmd(const struct rxs_cli *cli);

#endif /* RXS_PROBE_H */
