// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cli.c - the one argp parser of rxscope: a verb first, then that verb's options. Every
 * verb's help carries USAGE and EXAMPLES. Bad input prints usage and exits 2.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "atomic.h"
#include "cli.h"
#include "help.h"
#include "http.h"
#include "rxscope.h"
#include "slow.h"
#include "version.h"

const char *argp_program_version = "rxscope " RXS_VERSION;
const char *argp_program_bug_address = NULL;

enum {
	OPT_DRIVER = 1000,
	OPT_DEV,
	OPT_PORT,
	OPT_CPU,
	OPT_HIST,
	OPT_STATS,
	OPT_READY,
	OPT_FORMAT,
	OPT_QUANTILE,
	OPT_MAXREG,
	OPT_STAGE,
	OPT_CONFIDENCE,
	OPT_MINCOUNT,
	OPT_INCONCLUSIVE,
	OPT_PAIRED,
	OPT_SPLIT,
	OPT_SAMPLE,
	OPT_NS,
	OPT_DETAIL,
	OPT_BY,
	OPT_SLOW,
	OPT_SLOW_RATE,
	OPT_SLOW_KEEP,
};

#define SLOW_OPTS                                                                           \
	{ "slow", OPT_SLOW, "THRESHOLD", 0,                                                 \
	  "Report each followed packet whose in-kernel total exceeds THRESHOLD "            \
	  "(with a unit: ns, us, ms, s; such as 500us)", 0 },                               \
	{ "slow-rate", OPT_SLOW_RATE, "N", 0,                                               \
	  "With --slow: at most N reports per second per CPU (default 100); the others "   \
	  "are counted", 0 }

#define SEL_OPTS                                                                            \
	{ "driver", OPT_DRIVER, "NAME", 0,                                                  \
	  "Driver profile: auto (default), rxscope_igb, igb or generic", 0 },               \
	{ "dev", OPT_DEV, "IF", 0, "Only packets and NAPI polls of interface IF", 0 },      \
	{ "port", OPT_PORT, "N", 0, "Only UDP packets to destination port N", 0 },          \
	{ "cpu", OPT_CPU, "N", 0, "Only events on CPU N", 0 },                              \
	{ "sample", OPT_SAMPLE, "PCT", 0,                                                   \
	  "Follow packets PCT% of the time, 1-100 (default 100: every packet)", 0 },       \
	{ "detail", OPT_DETAIL, "LIST", 0,                                                  \
	  "Also hook the optional points of LIST (comma list): nf (netfilter and routing " \
	  "inside ip_to_udp)", 0 },                                                         \
	{ "by", OPT_BY, "queue|cpu", 0,                                                     \
	  "Also split the per-packet stages by RX queue or by CPU", 0 },                   \
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds (default: at Ctrl-C)", 0 },   \
	{ "stats", OPT_STATS, NULL, 0, "Print BPF run time per event for each program", 0 }, \
	{ "ready-file", OPT_READY, "PATH", 0, "Create PATH once every program is attached", 0 }, \
	{ "verbose", 'v', NULL, 0, "Show libbpf debug output and hook fallbacks", 0 }

static const struct argp_option trace_opts[] = {
	SEL_OPTS,
	{ "interval", 'i', "SEC", 0,
	  "Print each interval's own table every SEC seconds (default 1)", 0 },
	{ "hist", OPT_HIST, NULL, 0, "Add bar histograms of every stage", 0 },
	{ "ns", OPT_NS, NULL, 0, "Histogram rows in raw nanoseconds, not us/ms ranges", 0 },
	SLOW_OPTS,
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const struct argp_option record_opts[] = {
	SEL_OPTS,
	{ "output", 'o', "FILE", 0, "Write the recording to FILE (required; - for stdout)", 0 },
	{ "format", OPT_FORMAT, "FMT", 0, "json (default), csv or prom", 0 },
	{ "interval", 'i', "SEC", 0,
	  "Also print each interval's table every SEC seconds (and rewrite a prom FILE)", 0 },
	{ "hist", OPT_HIST, NULL, 0, "Add bar histograms to printed tables", 0 },
	{ "ns", OPT_NS, NULL, 0, "Histogram rows in raw nanoseconds, not us/ms ranges", 0 },
	{ "split", OPT_SPLIT, NULL, 0,
	  "On each SIGUSR1 write what was recorded since the last one to FILE-N "
	  "(N = 1, 2, ...), clear, and go on; the end writes the last piece", 0 },
	SLOW_OPTS,
	{ "slow-keep", OPT_SLOW_KEEP, "N", 0,
	  "With --slow: keep the N slowest packets in the file (default 100)", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const struct argp_option report_opts[] = {
	{ "hist", OPT_HIST, NULL, 0, "Add bar histograms of every stage", 0 },
	{ "ns", OPT_NS, NULL, 0, "Histogram rows in raw nanoseconds, not us/ms ranges", 0 },
	{ "format", OPT_FORMAT, "FMT", 0, "text (default) or html: one self-contained page", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE (atomically) instead of stdout", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const struct argp_option compare_opts[] = {
	{ "quantile", OPT_QUANTILE, "Q", 0, "Quantile to judge: p50, p90, p99 (default), p99.9", 0 },
	{ "max-regression", OPT_MAXREG, "PCT", 0,
	  "Slow-down that counts, with its % sign: 15% (default), 0.5%", 0 },
	{ "format", OPT_FORMAT, "FMT", 0, "text (default), json, junit, markdown or html", 0 },
	{ "output", 'o', "FILE", 0, "With --format html: write to FILE instead of stdout", 0 },
	{ "stage", OPT_STAGE, "LIST", 0, "Judge only these stages: a comma list, repeatable", 0 },
	{ "confidence", OPT_CONFIDENCE, "C", 0, "Confidence of the interval (default 0.99)", 0 },
	{ "min-count", OPT_MINCOUNT, "N", 0, "Fewest events per side for a verdict (default 50)", 0 },
	{ "inconclusive", OPT_INCONCLUSIVE, "ok|fail", 0,
	  "Exit code when none regressed but some stage is undecided: fail (default, 4) or ok (0)",
	  0 },
	{ "paired", OPT_PAIRED, NULL, 0,
	  "Pair run i of each side (same file name, as many runs; an A/B job's interleaved "
	  "runs) and judge the pairs' ratios", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const struct argp_option softnet_opts[] = {
	{ "interval", 'i', "SEC", 0, "Print deltas every SEC seconds (default 1)", 0 },
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds (default: at Ctrl-C)", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const struct argp_option probe_opts[] = {
	{ "driver", OPT_DRIVER, "NAME", 0,
	  "Driver profile: auto (default), rxscope_igb, igb or generic", 0 },
	{ "dev", OPT_DEV, "IF", 0, "Interface whose irqs the generic ISR hook follows", 0 },
	{ "detail", OPT_DETAIL, "LIST", 0, "Also show the optional points of LIST: nf", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf debug output", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

/* serve's own option keys, apart from the shared enum above */
#define OPT_LISTEN	2001
#define OPT_MAXCONNS	2002
#define OPT_IDLE	2003

/* trace's selection options, but no --sample; --stats and --ready-file say what they do here */
static const struct argp_option serve_opts[] = {
	{ "driver", OPT_DRIVER, "NAME", 0,
	  "Driver profile: auto (default), rxscope_igb, igb or generic", 0 },
	{ "dev", OPT_DEV, "IF", 0, "Only packets and NAPI polls of interface IF", 0 },
	{ "port", OPT_PORT, "N", 0, "Only UDP packets to destination port N", 0 },
	{ "cpu", OPT_CPU, "N", 0, "Only events on CPU N", 0 },
	{ "by", OPT_BY, "queue|cpu", 0,
	  "Also split the per-packet stages by RX queue or by CPU (a queue or cpu label)", 0 },
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds (default: at SIGINT/SIGTERM)", 0 },
	{ "stats", OPT_STATS, NULL, 0,
	  "Measure each BPF program's run time (rxscope_bpf_run_seconds_total)", 0 },
	{ "ready-file", OPT_READY, "PATH", 0,
	  "Once serving, write the bound ADDR:PORT to PATH", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf debug output and hook fallbacks", 0 },
	{ "listen", OPT_LISTEN, "ADDR:PORT", 0,
	  "Answer on ADDR:PORT (default " RXS_SERVE_LISTEN "; 0.0.0.0:PORT for every "
	  "interface, [::]:PORT for IPv6, port 0 for any free port)", 0 },
	{ "max-conns", OPT_MAXCONNS, "N", 0,
	  "Hold at most N connections; a new one replaces the longest idle (default 64)", 0 },
	{ "idle-timeout", OPT_IDLE, "SEC", 0,
	  "Close a connection that has not sent a whole request, or taken its response, "
	  "within SEC seconds (default 30)", 0 },
	{ "output", 'o', "FILE", 0,
	  "At the end, write the totals since start to FILE as a recording", 0 },
	{ "format", OPT_FORMAT, "FMT", 0, "Of -o FILE: json (default), csv or prom", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static const char serve_doc[] =
	"Export the receive path's metrics to Prometheus: GET /metrics over HTTP.\v"
	"USAGE: rxscope serve [--listen ADDR:PORT] [--max-conns N] [--idle-timeout SEC]\n"
	"                     [--driver NAME] [--dev IF] [--port N] [--cpu N] [-d SEC]\n"
	"                     [--by queue|cpu]\n"
	"                     [--stats] [--ready-file PATH] [-o FILE [--format FMT]] [-v]\n"
	"The programs stay attached; each scrape reads the per-CPU maps (totals since\n"
	"start).\n"
	"-o FILE: when it stops, the same totals are written to FILE as a recording.\n"
	"--ready-file PATH receives the bound address (ADDR:PORT) once serving.\n"
	"--stats also measures each program's run time (rxscope_bpf_run_seconds_total).\n"
	"SIGINT or SIGTERM stops it. Metrics: docs/prometheus.md.\n\n"
	"EXAMPLES:\n"
	"  rxscope serve                              # http://127.0.0.1:9941/metrics\n"
	"  rxscope serve --listen 0.0.0.0:9941 --dev eth0\n"
	"  curl -s http://127.0.0.1:9941/metrics | grep _count\n";

static int parse_long(const char *s, long lo, long hi, long *out);
static int parse_secs(const char *s, double *out);

/* serve's options (parse_opt hands over the keys it does not know). */
static error_t parse_serve_opt(int key, char *arg, struct argp_state *state)
{
	struct rxs_cli *cli = state->input;
	long v = 0;
	double d;

	switch (key) {
	case OPT_LISTEN: {
		struct sockaddr_storage ss;
		unsigned int sl;
		char err[256];

		if (rxs_http_parse_addr(arg, &ss, &sl, err, sizeof(err)))
			argp_error(state, "%s", err);
		cli->serve.listen = arg;
		break;
	}
	case OPT_MAXCONNS:
		if (parse_long(arg, 1, 4096, &v))
			argp_error(state, "invalid --max-conns '%s': want 1..4096", arg);
		cli->serve.max_conns = v;
		break;
	case OPT_IDLE:
		if (parse_secs(arg, &d) || d < 0.1 || d > 3600)
			argp_error(state, "invalid --idle-timeout '%s': want 0.1..3600 seconds",
				   arg);
		cli->serve.idle_s = d;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const char trace_doc[] =
	"Trace the receive path: per-stage latency tables every interval.\v"
	"USAGE: rxscope trace [--driver NAME] [--dev IF] [--port N] [--cpu N]\n"
	"                     [--sample PCT] [--detail nf] [--by queue|cpu] [-i SEC]\n"
	"                     [-d SEC] [--hist [--ns]] [--stats] [--ready-file PATH]\n"
	"                     [--slow THRESHOLD [--slow-rate N]] [-v]\n"
	"NAME: auto, rxscope_igb, igb or generic.\n"
	"Each interval's table holds that interval only; the last one holds the totals.\n"
	"--by queue|cpu adds the per-packet stages per RX queue (or CPU), and each\n"
	"queue's share of the packets.\n"
	"--slow: each followed packet slower than THRESHOLD from its ISR to the UDP\n"
	"queue prints one line as it comes: flow, queue, CPUs, time in each stage.\n\n"
	"EXAMPLES:\n"
	"  rxscope trace                      # all interfaces, Ctrl-C to stop\n"
	"  rxscope trace --dev eth0 -i 5      # eth0 only, tables every 5 s\n"
	"  rxscope trace --port 9000 -d 10 --hist --stats\n"
	"  rxscope trace --dev eth0 --detail nf   # netfilter and routing split out\n"
	"  rxscope trace --dev eth0 --slow 500us\n";

static const char record_doc[] =
	"Trace the receive path and write the recording to a file.\v"
	"USAGE: rxscope record -o FILE [--format json|csv|prom] [--driver NAME]\n"
	"                      [--dev IF] [--port N] [--cpu N] [--sample PCT] [-i SEC]\n"
	"                      [-d SEC] [--hist [--ns]] [--stats] [--ready-file PATH]\n"
	"                      [--detail nf] [--by queue|cpu] [--split]\n"
	"                      [--slow THRESHOLD [--slow-rate N] [--slow-keep N]] [-v]\n"
	"The file is written at the end (-d or Ctrl-C); tables go to stderr. With\n"
	"--format prom and -i, the file is also rewritten every interval (totals so\n"
	"far). --split: each SIGUSR1 writes the piece so far (run.json -> run-1.json,\n"
	"run-2.json, ...) and starts the next; programs stay attached between pieces.\n"
	"--slow: the file keeps the slowest packets over THRESHOLD (100, or\n"
	"--slow-keep N), each with its flow, queue, CPUs and stages.\n\n"
	"EXAMPLES:\n"
	"  rxscope record -o run.json -d 30\n"
	"  rxscope record -o run.prom --format prom --dev eth0 -d 10\n"
	"  rxscope record -o run.json --ready-file /tmp/ready -d 20 &\n"
	"  rxscope record -o run.json --split & ... kill -USR1 $!   # writes run-1.json\n"
	"  rxscope record -o run.json -d 60 --slow 1ms --slow-keep 20\n";

static const char report_doc[] =
	"Print the tables of a JSON recording, or write them as one HTML page.\v"
	"USAGE: rxscope report FILE [--hist [--ns]] [--format text|html] [-o OUT]\n"
	"The stage table (in path order: total ends at the UDP queue, before socket),\n"
	"the funnel and drops, the per-CPU table. poll_pkts counts every NAPI poll,\n"
	"empty ones included, so its p50 is 0 or 1 when about half the polls find\n"
	"nothing; the line under the table gives their share. Every column is described\n"
	"in docs/usage.md.\n"
	"--format html: waterfall, distributions, heatmaps over time (when the recording\n"
	"has a series: record -i SEC), counters; inline SVG, loads nothing.\n\n"
	"EXAMPLES:\n"
	"  rxscope report run.json\n"
	"  rxscope report run.json --hist\n"
	"  rxscope report run.json --format html -o report.html\n";

static const char compare_doc[] =
	"Compare two sets of recordings and judge each stage.\v"
	"USAGE: rxscope compare BASELINE NEW [--quantile p99]\n"
	"         [--max-regression 15%] [--format text|json|junit|markdown|html]\n"
	"         [-o OUT]\n"
	"         [--stage LIST] [--confidence 0.99] [--min-count 50]\n"
	"         [--inconclusive ok|fail] [--paired]\n"
	"BASELINE and NEW are each a JSON recording, a directory of them, or\n"
	"a comma list of files: several runs per side are repeated runs.\n"
	"Verdicts (docs/compare.md): regressed (slower, and a slow-down of\n"
	"--max-regression not ruled out), ok (such a slow-down ruled out),\n"
	"inconclusive (neither; the reason and the runs per side that would\n"
	"decide are printed), improved. poll_pkts is a count: judged\n"
	"(changed/ok) only when --stage names it.\n"
	"Exit status: 0 ok, 1 regression, 2 bad input, 4 inconclusive\n"
	"(0 with --inconclusive ok).\n\n"
	"EXAMPLES:\n"
	"  rxscope compare base.json run.json\n"
	"  rxscope compare baseline/ runs/ --quantile p99.9 --format junit\n"
	"  rxscope compare base/ runs/ --max-regression 30% --inconclusive ok\n"
	"  rxscope compare baseline/ runs/ --format html -o compare.html\n"
	"  rxscope compare ab/old ab/new --paired\n";

static const char softnet_doc[] =
	"Print /proc/net/softnet_stat per CPU, as deltas.\v"
	"USAGE: rxscope softnet [-i SEC] [-d SEC]\n\n"
	"EXAMPLES:\n"
	"  rxscope softnet\n"
	"  rxscope softnet -i 5 -d 60\n";

static const char probe_doc[] =
	"Show which hooks this kernel offers for each stage.\v"
	"USAGE: rxscope probe [--driver NAME] [--dev IF]\n\n"
	"EXAMPLES:\n"
	"  rxscope probe\n"
	"  rxscope probe --driver igb --dev eth0\n";

void rxs_cli_usage(FILE *f)
{
	fprintf(f,
		"USAGE: rxscope VERB [OPTIONS]\n\n"
		"Per-stage receive-path latency tracer.\n\n"
		"VERBS:\n"
		"  trace     trace and print per-stage tables\n"
		"  record    trace and write a recording (json, csv, prom)\n"
		"  report    print the tables of a recording\n"
		"  compare   judge a new recording against a baseline\n"
		"  softnet   /proc/net/softnet_stat per CPU, as deltas\n"
		"  probe     which hooks this kernel offers per stage\n"
		"  serve     export metrics to Prometheus (GET /metrics)\n\n"
		"EXAMPLES:\n"
		"  rxscope trace --dev eth0 -d 10\n"
		"  rxscope record -o run.json -d 30\n"
		"  rxscope compare base.json run.json\n\n"
		"'rxscope VERB --help' describes a verb's options.\n"
		"Exit status: 0 ok, 1 regression (compare), 2 usage error or bad input,\n"
		"3 missing privilege or kernel feature, 4 inconclusive (compare),\n"
		"5 runtime failure (a BPF map read, a file write).\n");
}

/* --detail: a comma list of optional point groups ("nf"); repeatable, the groups add up. */
static int parse_detail(const char *s, unsigned int *mask)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} groups[] = { { "nf", RXS_DETAIL_NF } };
	const char *at = s;

	do {
		size_t n = strcspn(at, ","), k;

		for (k = 0; k < sizeof(groups) / sizeof(groups[0]); k++)
			if (n == strlen(groups[k].name) && !strncmp(at, groups[k].name, n))
				break;
		if (k == sizeof(groups) / sizeof(groups[0]))
			return -EINVAL;
		*mask |= groups[k].bit;
		at += n;
	} while (*at++ == ',');
	return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_secs(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 1e7)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * RXSCOPE_DISABLE (docs/usage.md): a comma list of hook flavours the tracer treats as
 * absent. A word it does not know would silently disable nothing, so it is refused.
 * Returns 0, or -EINVAL with @err set.
 */
static int check_disable_env(char *err, size_t errlen)
{
	static const char *const known[] = { "fentry", "kprobe", "tp_btf", "raw_tp" };
	const char *env = getenv("RXSCOPE_DISABLE"), *p;

	for (p = env; p && *p;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (n == strlen(known[i]) && !strncmp(p, known[i], n))
				break;
		if (n && i == sizeof(known) / sizeof(known[0])) {
			snprintf(err, errlen, "RXSCOPE_DISABLE: unknown hook flavour '%.*s': want a "
				 "comma list of fentry, kprobe, tp_btf, raw_tp", (int)n, p);
			return -EINVAL;
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct rxs_cli *cli = state->input;
	char err[PATH_MAX + 128];
	long v = 0;
	double d;

	switch (key) {
	case OPT_DRIVER:
		if (strcmp(arg, "auto") && strcmp(arg, "rxscope_igb") && strcmp(arg, "igb") &&
		    strcmp(arg, "generic"))
			argp_error(state, "invalid --driver '%s': want auto, rxscope_igb, igb "
				   "or generic", arg);
		snprintf(cli->driver, sizeof(cli->driver), "%s", arg);
		break;
	case OPT_DEV:
		if (strlen(arg) >= IFNAMSIZ || !*arg)
			argp_error(state, "invalid --dev '%s': not an interface name", arg);
		snprintf(cli->dev, sizeof(cli->dev), "%s", arg);
		cli->ifindex = if_nametoindex(arg);
		if (!cli->ifindex)
			argp_error(state, "invalid --dev '%s': no such interface", arg);
		break;
	case OPT_PORT:
		if (parse_long(arg, 1, 65535, &v))
			argp_error(state, "invalid --port '%s': want 1..65535", arg);
		cli->port = v;
		break;
	case OPT_CPU:
		if (parse_long(arg, 0, sysconf(_SC_NPROCESSORS_CONF) - 1, &v))
			argp_error(state, "invalid --cpu '%s': want 0..%ld", arg,
				   sysconf(_SC_NPROCESSORS_CONF) - 1);
		cli->cpu = v;
		break;
	case OPT_SAMPLE: {
		char num[16];
		size_t n = strlen(arg);

		/* "10" or "10%" */
		if (n && n < sizeof(num) && arg[n - 1] == '%')
			n--;
		snprintf(num, sizeof(num), "%.*s", (int)n, arg);
		if (n >= sizeof(num) || parse_long(num, 1, 100, &v))
			argp_error(state, "invalid --sample '%s': want a percentage 1..100", arg);
		cli->sample_pct = v;
		break;
	}
	case OPT_DETAIL:
		if (parse_detail(arg, &cli->detail))
			argp_error(state, "invalid --detail '%s': want a comma list of: nf", arg);
		break;
	case 'i':
		if (parse_secs(arg, &d) || d < 0.01)
			argp_error(state, "invalid interval '%s': want seconds >= 0.01", arg);
		cli->interval_s = d;
		break;
	case 'd':
		if (parse_secs(arg, &d))
			argp_error(state, "invalid duration '%s': want seconds >= 0", arg);
		cli->duration_s = d;
		break;
	case OPT_HIST:
		cli->hist = true;
		break;
	case OPT_BY:
		cli->by = !strcmp(arg, "queue") ? RXS_BY_QUEUE :
			  !strcmp(arg, "cpu") ? RXS_BY_CPU : -1;
		if (cli->by < 0)
			argp_error(state, "invalid --by '%s': want queue or cpu", arg);
		break;
	case OPT_NS:
		cli->raw_ns = true;
		break;
	case OPT_SLOW: {
		char why[160];
		__u64 ns;

		if (rxs_slow_parse_threshold(arg, &ns, why, sizeof(why)))
			argp_error(state, "invalid --slow '%s': %s", arg, why);
		cli->slow_ns = ns;
		break;
	}
	case OPT_SLOW_RATE:
		if (parse_long(arg, 1, RXS_SLOW_RATE_MAX, &v))
			argp_error(state, "invalid --slow-rate '%s': want 1..%d reports per "
				   "second per CPU", arg, RXS_SLOW_RATE_MAX);
		cli->slow_rate = v;
		break;
	case OPT_SLOW_KEEP:
		if (parse_long(arg, 1, RXS_SLOW_KEEP_MAX, &v))
			argp_error(state, "invalid --slow-keep '%s': want 1..%d packets", arg,
				   RXS_SLOW_KEEP_MAX);
		cli->slow_keep = v;
		break;
	case OPT_STATS:
		cli->stats = true;
		break;
	case OPT_READY:
		cli->ready_file = arg;
		break;
	case 'v':
		cli->verbose = true;
		break;
	case 'o':
		cli->output = arg;
		break;
	case OPT_SPLIT:
		cli->split = true;
		break;
	case OPT_FORMAT:
		if (cli->verb == RXS_VERB_REPORT) {
			if (strcmp(arg, "text") && strcmp(arg, "html"))
				argp_error(state, "invalid --format '%s': want text or html", arg);
			cli->html = !strcmp(arg, "html");
		} else if (cli->verb == RXS_VERB_COMPARE && !strcmp(arg, "html")) {
			cli->html = true;
		} else if (cli->verb == RXS_VERB_COMPARE) {
			cli->html = false;
			if (rxs_compare_parse_format(arg, &cli->cmp.format))
				argp_error(state, "invalid --format '%s': want text, json, junit, "
					   "markdown or html", arg);
		} else if (rxs_format_parse(arg, &cli->format)) {
			argp_error(state, "invalid --format '%s': want json, csv or prom", arg);
		}
		break;
	case OPT_QUANTILE:
		if (rxs_compare_parse_quantile(arg, &cli->cmp.quantile))
			argp_error(state, "invalid --quantile '%s': want p50, p90, p99, p99.9 "
				   "or a fraction", arg);
		break;
	case OPT_MAXREG: {
		int r = rxs_compare_parse_percent(arg, &cli->cmp.max_regression);

		if (r == -EDOM)
			argp_error(state, "ambiguous --max-regression '%s': %g%% or %s%%? Write "
				   "the percent sign", arg, strtod(arg, NULL) * 100, arg);
		else if (r)
			argp_error(state, "invalid --max-regression '%s': want a percentage "
				   "such as 15%%", arg);
		break;
	}
	case OPT_PAIRED:
		cli->cmp.paired = true;
		break;
	case OPT_INCONCLUSIVE:
		if (rxs_compare_parse_inconclusive(arg, &cli->cmp.inconclusive_ok))
			argp_error(state, "invalid --inconclusive '%s': want ok or fail", arg);
		break;
	case OPT_STAGE: {
		char err[256];

		if (rxs_compare_parse_stages(arg, &cli->cmp, err, sizeof(err)))
			argp_error(state, "invalid --stage '%s': %s", arg, err);
		break;
	}
	case OPT_CONFIDENCE: {
		char *end;

		cli->cmp.confidence = strtod(arg, &end);
		if (end == arg || *end || !(cli->cmp.confidence > 0.5) ||
		    !(cli->cmp.confidence < 1))
			argp_error(state, "invalid --confidence '%s': want 0.5 < C < 1", arg);
		break;
	}
	case OPT_MINCOUNT:
		if (parse_long(arg, 1, LONG_MAX, &v))
			argp_error(state, "invalid --min-count '%s': want a positive count", arg);
		cli->cmp.min_count = v;
		break;
	case ARGP_KEY_ARG:
		if (cli->verb != RXS_VERB_REPORT && cli->verb != RXS_VERB_COMPARE)
			argp_error(state, "unexpected argument '%s'", arg);
		if (cli->nfiles >= RXS_MAX_FILES)
			argp_error(state, "too many files (at most %d)", RXS_MAX_FILES);
		cli->files[cli->nfiles++] = arg;
		break;
	case ARGP_KEY_END:
		if (cli->verb == RXS_VERB_REPORT && cli->nfiles != 1)
			argp_error(state, "report wants exactly one FILE");
		if (cli->verb == RXS_VERB_COMPARE && cli->nfiles != 2)
			argp_error(state, "compare wants exactly BASELINE and NEW");
		if (cli->verb == RXS_VERB_RECORD && !cli->output)
			argp_error(state, "record wants -o FILE");
		if ((cli->verb == RXS_VERB_REPORT || cli->verb == RXS_VERB_COMPARE) &&
		    cli->output && !cli->html)
			argp_error(state, "-o FILE goes with --format html");
		if ((cli->slow_rate || cli->slow_keep) && !cli->slow_ns)
			argp_error(state, "--%s goes with --slow THRESHOLD",
				   cli->slow_rate ? "slow-rate" : "slow-keep");
		if (cli->split && !strcmp(cli->output, "-"))
			argp_error(state, "--split writes numbered files; it cannot write to -o -");
		/* before anything is attached: a path that cannot be written loses the run */
		if (cli->output && strcmp(cli->output, "-") &&
		    rxs_check_writable(cli->output, err, sizeof(err)))
			argp_failure(state, RXS_EXIT_USAGE, 0, "invalid -o: %s", err);
		if (cli->ready_file && rxs_check_writable(cli->ready_file, err, sizeof(err)))
			argp_failure(state, RXS_EXIT_USAGE, 0, "invalid --ready-file: %s", err);
		if ((cli->verb == RXS_VERB_TRACE || cli->verb == RXS_VERB_RECORD ||
		     cli->verb == RXS_VERB_PROBE || cli->verb == RXS_VERB_SERVE) &&
		    check_disable_env(err, sizeof(err)))
			argp_failure(state, RXS_EXIT_USAGE, 0, "%s", err);
		break;
	default:
		if (rxs_help_key(key, state, state->root_argp->doc, argp_program_version))
			break;
		return parse_serve_opt(key, arg, state);
	}
	return 0;
}

struct verb_def {
	const char *name;
	enum rxs_verb verb;
	const struct argp_option *opts;
	const char *args_doc;
	const char *doc;
};

static const struct verb_def verbs[] = {
	{ "trace", RXS_VERB_TRACE, trace_opts, NULL, trace_doc },
	{ "record", RXS_VERB_RECORD, record_opts, NULL, record_doc },
	{ "report", RXS_VERB_REPORT, report_opts, "FILE", report_doc },
	{ "compare", RXS_VERB_COMPARE, compare_opts, "BASELINE NEW", compare_doc },
	{ "softnet", RXS_VERB_SOFTNET, softnet_opts, NULL, softnet_doc },
	{ "probe", RXS_VERB_PROBE, probe_opts, NULL, probe_doc },
	{ "serve", RXS_VERB_SERVE, serve_opts, NULL, serve_doc },
};

/* rxs_cli_parse(): leave with @code. */
static enum rxs_cli_result cli_exit(int *exit_code, int code)
{
	*exit_code = code;
	return RXS_CLI_EXIT;
}

enum rxs_cli_result rxs_cli_parse(int argc, char **argv, struct rxs_cli *cli,
				  int *exit_code)
{
	const struct verb_def *vd = NULL;
	static char name[64];
	size_t i;

	memset(cli, 0, sizeof(*cli));
	snprintf(cli->driver, sizeof(cli->driver), "auto");
	cli->cpu = -1;
	cli->sample_pct = 100;
	cli->format = RXS_FMT_JSON;
	rxs_compare_opts_init(&cli->cmp);

	if (argc < 2) {
		rxs_cli_usage(stderr);
		return cli_exit(exit_code, RXS_EXIT_USAGE);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		rxs_cli_usage(stdout);
		return cli_exit(exit_code, RXS_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("%s\n", argp_program_version);
		return cli_exit(exit_code, RXS_EXIT_OK);
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			vd = &verbs[i];
	if (!vd) {
		fprintf(stderr, "rxscope: unknown verb '%s'\n\n", argv[1]);
		rxs_cli_usage(stderr);
		return cli_exit(exit_code, RXS_EXIT_USAGE);
	}
	cli->verb = vd->verb;
	if (vd->verb == RXS_VERB_TRACE || vd->verb == RXS_VERB_SOFTNET)
		cli->interval_s = 1;

	struct argp argp = {
		.options = vd->opts,
		.parser = parse_opt,
		.args_doc = vd->args_doc,
		.doc = vd->doc,
	};
	snprintf(name, sizeof(name), "rxscope %s", vd->name);
	argv[1] = name;
	argp_err_exit_status = RXS_EXIT_USAGE;
	if (argp_parse(&argp, argc - 1, argv + 1, ARGP_NO_HELP, NULL, cli))
		return cli_exit(exit_code, RXS_EXIT_USAGE);
	*exit_code = RXS_EXIT_OK;
	return RXS_CLI_RUN;
}
