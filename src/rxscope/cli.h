/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cli.h - the rxscope command line: one argp parser for every verb (trace, record, report,
 * compare, softnet, probe, serve).
 */
#ifndef RXS_CLI_H
#define RXS_CLI_H

#include <stdbool.h>
#include "compare.h"
#include "exitcode.h"
#include "export.h"
#include "serve.h"

enum rxs_verb {
	RXS_VERB_TRACE,
	RXS_VERB_RECORD,
	RXS_VERB_REPORT,
	RXS_VERB_COMPARE,
	RXS_VERB_SOFTNET,
	RXS_VERB_PROBE,
	RXS_VERB_SERVE,
};

#define RXS_MAX_FILES	64

struct rxs_cli {
	enum rxs_verb verb;
	/* selection (trace, record, probe) */
	char driver[32];	/* auto, rxscope_igb, igb, generic */
	char dev[32];		/* "" for any */
	int ifindex;		/* of dev, 0 for any */
	int port;		/* 0 for any */
	int cpu;		/* -1 for any */
	int sample_pct;		/* per-packet hooks attached this % of the time (100) */
	unsigned int detail;	/* --detail: RXS_DETAIL_* groups of optional hook points */
	int by;			/* enum rxs_by: --by queue|cpu, RXS_BY_NONE without */
	/* --slow (trace, record): slow.h */
	unsigned long long slow_ns;	/* threshold, 0: off */
	unsigned int slow_rate;		/* --slow-rate, records/s per CPU; 0: the default */
	int slow_keep;			/* record --slow-keep; 0: the default */
	/* timing */
	double interval_s;	/* 0: only at the end (record) */
	double duration_s;	/* 0: until SIGINT/SIGTERM */
	/* output */
	bool hist;
	bool raw_ns;		/* --hist rows in nanoseconds */
	bool stats;
	bool verbose;
	const char *ready_file;
	const char *output;	/* record -o */
	bool split;		/* record --split: one file per SIGUSR1-delimited piece */
	enum rxs_format format;	/* record --format */
	bool html;		/* report, compare --format html (to -o FILE or stdout) */
	/* report, compare: positional files */
	const char *files[RXS_MAX_FILES];
	int nfiles;
	/* compare: the options of compare.h */
	struct rxs_compare_opts cmp;
	/* serve: listen address and connection limits */
	struct rxs_serve_opts serve;
};

/* What rxs_cli_parse() decided. */
enum rxs_cli_result {
	RXS_CLI_RUN = 0,	/* @cli holds a verb and its options: run it */
	RXS_CLI_EXIT,		/* leave now with the exit code it gives */
};

/*
 * Parse argv into @cli. Returns RXS_CLI_RUN with *@exit_code RXS_EXIT_OK, or RXS_CLI_EXIT
 * with *@exit_code RXS_EXIT_OK (the top-level help or version was printed) or
 * RXS_EXIT_USAGE (no verb or an unknown verb; the message was printed). A bad option of a
 * verb, and a verb's -h, --usage or -V, print and end the process from inside argp
 * with RXS_EXIT_USAGE or RXS_EXIT_OK.
 */
enum rxs_cli_result rxs_cli_parse(int argc, char **argv, struct rxs_cli *cli,
				  int *exit_code);

/* Top-level usage (the verb list) to @f. */
void rxs_cli_usage(FILE *f);

#endif /* RXS_CLI_H */
