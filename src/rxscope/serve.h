/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * serve.h - `rxscope serve`, the Prometheus exporter (serve.c): its options, their
 * defaults, and the verb.
 */
#ifndef RXS_SERVE_H
#define RXS_SERVE_H

/* This host only, unless told otherwise. The port is not a registered one. */
#define RXS_SERVE_LISTEN	"127.0.0.1:9941"
#define RXS_SERVE_MAX_CONNS	64
#define RXS_SERVE_IDLE_S	30.0

struct rxs_serve_opts {
	const char *listen;	/* --listen ADDR:PORT; NULL: RXS_SERVE_LISTEN */
	int max_conns;		/* --max-conns; 0: RXS_SERVE_MAX_CONNS */
	double idle_s;		/* --idle-timeout; 0: RXS_SERVE_IDLE_S */
};

struct rxs_cli;

/* Serve /metrics until SIGINT or SIGTERM; returns the exit code (cli.h). */
int rxs_serve_cmd(const struct rxs_cli *cli);

#endif /* RXS_SERVE_H */
