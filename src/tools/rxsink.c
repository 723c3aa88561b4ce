// SPDX-License-Identifier: GPL-2.0
/*
 * rxsink.c - main of build/rxsink, the guest-side receiver for rxgen's traffic: binds a
 * UDP port, receives with recvmmsg, verifies each payload (frame.c), follows every flow's
 * sequence numbers to count lost, duplicated and reordered datagrams, and writes the
 * result as key=value lines, atomically, to --out and stdout. It can also bind and not
 * read (--no-read) and keep the socket open (--hold), for tests that unload a driver while
 * a socket still holds its skbs.
 */
#include <argp.h>
#include <errno.h>
#include <linux/sock_diag.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "clock.h"
#include "frame.h"
#include "help.h"

/* Exit statuses (docs/rxgen.md, "rxsink"). */
#define RXSINK_EXIT_OK		0	/* a normal run (the counts are not judged) */
#define RXSINK_EXIT_FAIL	1	/* the socket cannot be set up, or a file written */
#define RXSINK_EXIT_USAGE	2	/* bad input */

#define BATCH		32
#define BUF_SIZE	16384		/* larger than any jumbo datagram rxgen sends */
#define FLOW_SLOTS	8192		/* open-addressing table, power of two */

struct opts {
	uint32_t bind_ip;
	uint16_t port;
	uint64_t count;		/* 0 = no limit */
	double idle;		/* 0 = no limit */
	double timeout;		/* 0 = no limit */
	double hold;
	int rcvbuf;
	bool no_read;
	bool quiet;
	const char *ready_file;
	const char *out;
};

struct flow {
	uint32_t id;
	struct rxg_seq_flow seq;
};

struct stats {
	uint64_t received, bytes, good, truncated;
	uint64_t bad[RXG_PL_BAD_CSUM + 1];	/* by rxg_pl_status; [0] unused */
	struct rxg_seq_count seq;
	uint64_t flows_seen, flows_overflow;
	uint64_t mal[RXG_KIND_MAX];
	uint64_t mal_other;
	double first, last;
};

static volatile sig_atomic_t stop_flag;
static struct flow *flows[FLOW_SLOTS];

const char *argp_program_version = "rxsink (rxscope)";
static const char doc[] =
"Receive rxgen's UDP test traffic, verify every payload and count lost,\n"
"duplicated and reordered datagrams per flow. Results go to stdout and --out\n"
"as key=value lines.\v"
"USAGE: rxsink [--port N] [--count N] [--idle SEC] [--timeout SEC] [--out FILE]\n"
"\n"
"EXAMPLES:\n"
"  rxsink --port 9000 --count 10000 --timeout 60 --out /results/sink.txt\n"
"  rxsink --ready-file /tmp/ready --idle 2 --timeout 30\n"
"  rxsink --no-read --idle 1 --hold 30    # keep unread skbs for 30 s\n";

enum { OPT_READY = 1000, OPT_RCVBUF, OPT_HOLD, OPT_NO_READ, OPT_BIND, OPT_IDLE };

static const struct argp_option options[] = {
	{ "port", 'p', "N", 0, "UDP port to bind (default 9000)", 0 },
	{ "bind", OPT_BIND, "IP", 0, "address to bind (default 0.0.0.0)", 0 },
	{ "count", 'c', "N", 0, "stop after N datagrams", 0 },
	{ "idle", OPT_IDLE, "SEC", 0, "stop SEC seconds after the last datagram (once one came)",
	  0 },
	{ "timeout", 't', "SEC", 0, "stop SEC seconds after start in any case", 0 },
	{ "ready-file", OPT_READY, "PATH", 0, "write PATH once the socket is bound", 0 },
	{ "out", 'o', "FILE", 0, "write the results to FILE (temp file + rename)", 0 },
	{ "rcvbuf", OPT_RCVBUF, "BYTES", 0, "socket receive buffer size", 0 },
	{ "hold", OPT_HOLD, "SEC", 0, "after receiving, keep the socket open SEC seconds", 0 },
	{ "no-read", OPT_NO_READ, NULL, 0, "never read: leave datagrams queued on the socket; "
	  "--idle then means the queue stopped growing", 0 },
	{ "quiet", 'q', NULL, 0, "do not print the results on stdout", 0 },
	RXS_HELP_OPTIONS,
	{ 0 },
};

static void bad_value(struct argp_state *state, const char *opt, const char *val,
		      const char *want)
{
	argp_failure(state, RXSINK_EXIT_USAGE, 0, "invalid %s '%s': %s", opt, val, want);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;
	uint64_t v;

	switch (key) {
	case 'p':
		if (rxg_parse_u64(arg, 65535, &v) || !v)
			bad_value(state, "--port", arg, "want a port 1..65535");
		o->port = (uint16_t)v;
		break;
	case OPT_BIND:
		if (rxg_parse_ipv4(arg, &o->bind_ip))
			bad_value(state, "--bind", arg, "want a dotted IPv4 address");
		break;
	case 'c':
		if (rxg_parse_u64(arg, UINT64_MAX / 2, &o->count) || !o->count)
			bad_value(state, "--count", arg, "want a positive integer");
		break;
	case OPT_IDLE:
		if (rxg_parse_seconds(arg, &o->idle))
			bad_value(state, "--idle", arg, "want seconds, > 0");
		break;
	case 't':
		if (rxg_parse_seconds(arg, &o->timeout))
			bad_value(state, "--timeout", arg, "want seconds, > 0");
		break;
	case OPT_HOLD:
		if (rxg_parse_seconds(arg, &o->hold))
			bad_value(state, "--hold", arg, "want seconds, > 0");
		break;
	case OPT_RCVBUF:
		if (rxg_parse_u64(arg, 1u << 30, &v) || v < 1024)
			bad_value(state, "--rcvbuf", arg, "want bytes, 1024..2^30");
		o->rcvbuf = (int)v;
		break;
	case OPT_READY:
		o->ready_file = arg;
		break;
	case 'o':
		o->out = arg;
		break;
	case OPT_NO_READ:
		o->no_read = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case ARGP_KEY_ARG:
		argp_failure(state, RXSINK_EXIT_USAGE, 0, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (o->no_read && o->count)
			argp_failure(state, RXSINK_EXIT_USAGE, 0, "--count cannot be used with "
				     "--no-read (nothing is read to count)");
		break;
	default:
		if (rxs_help_key(key, state, doc, argp_program_version))
			break;
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Write @text to @path atomically; say so on stderr if that fails. */
static int write_atomic(const char *path, const char *text)
{
	char err[512];

	if (rxs_write_atomic_text(path, text, err, sizeof(err))) {
		fprintf(stderr, "rxsink: %s\n", err);
		return -1;
	}
	return 0;
}

/* The flow entry for @id, created on first sight; NULL when the table is full. */
static struct flow *flow_get(struct stats *st, uint32_t id)
{
	uint32_t h = (id * 2654435761u) & (FLOW_SLOTS - 1);

	for (uint32_t i = 0; i < FLOW_SLOTS; i++, h = (h + 1) & (FLOW_SLOTS - 1)) {
		if (!flows[h]) {
			if (st->flows_seen >= FLOW_SLOTS / 2)
				return NULL;	/* keep probes short */
			flows[h] = calloc(1, sizeof(struct flow));
			if (!flows[h])
				return NULL;
			flows[h]->id = id;
			st->flows_seen++;
			return flows[h];
		}
		if (flows[h]->id == id)
			return flows[h];
	}
	return NULL;
}

static void account(struct stats *st, const uint8_t *p, size_t len, bool trunc)
{
	struct rxg_pl_info info;
	enum rxg_pl_status status;
	struct flow *f;

	st->received++;
	st->bytes += len;
	if (trunc) {
		st->truncated++;
		return;
	}
	status = rxg_payload_check(p, len, &info);
	if (status != RXG_PL_OK) {
		st->bad[status]++;
		return;
	}
	if (info.flow >= RXG_FLOW_MAL_BASE) {
		uint32_t k = info.flow - RXG_FLOW_MAL_BASE;

		if (k > RXG_GOOD && k < RXG_KIND_MAX)
			st->mal[k]++;
		else
			st->mal_other++;
		return;
	}
	st->good++;
	f = flow_get(st, info.flow);
	if (!f) {
		st->flows_overflow++;
		return;
	}
	rxg_seq_account(&f->seq, info.seq, &st->seq);
}

static int sock_meminfo(int fd, uint32_t *rmem, uint32_t *drops)
{
	uint32_t mi[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mi);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len))
		return -1;
	*rmem = mi[SK_MEMINFO_RMEM_ALLOC];
	*drops = mi[SK_MEMINFO_DROPS];
	return 0;
}

/* Receive until --count, --idle, --timeout or a signal. Returns the reason. */
static const char *receive(int fd, const struct opts *o, struct stats *st, double start)
{
	static uint8_t bufs[BATCH][BUF_SIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double now = rxs_now_sec();
		int n;

		if (stop_flag)
			return "signal";
		if (o->count && st->received >= o->count)
			return "count";
		if (o->timeout && now - start >= o->timeout)
			return "timeout";
		if (o->idle && st->received && now - st->last >= o->idle)
			return "idle";
		if (poll(&pfd, 1, 100) <= 0)
			continue;

		memset(msgs, 0, sizeof(msgs));
		for (int i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = BUF_SIZE;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		now = rxs_now_sec();
		if (!st->received)
			st->first = now;
		st->last = now;
		for (int i = 0; i < n; i++) {
			bool trunc = msgs[i].msg_hdr.msg_flags & MSG_TRUNC;

			/* Everything read is counted, even past --count. */
			account(st, bufs[i], msgs[i].msg_len, trunc);
		}
	}
}

/* --no-read: wait for datagrams to queue up; idle means the queue stopped growing. */
static const char *wait_queued(int fd, const struct opts *o, double start)
{
	uint32_t rmem = 0, drops = 0, last_rmem = 0, last_drops = 0;
	double changed = 0;

	for (;;) {
		double now = rxs_now_sec();

		if (stop_flag)
			return "signal";
		if (o->timeout && now - start >= o->timeout)
			return "timeout";
		if (sock_meminfo(fd, &rmem, &drops) == 0 &&
		    (rmem != last_rmem || drops != last_drops)) {
			last_rmem = rmem;
			last_drops = drops;
			changed = now;
		}
		if (o->idle && changed && now - changed >= o->idle)
			return "idle";
		usleep(50000);
	}
}

static void format_results(char *out, size_t n, const struct opts *o, const struct stats *st,
			   const char *reason, int fd)
{
	uint64_t bad = st->truncated;
	uint32_t rmem = 0, drops = 0;
	double el = st->received > 1 ? st->last - st->first : 0;
	size_t len = 0;

	for (int i = 1; i <= RXG_PL_BAD_CSUM; i++)
		bad += st->bad[i];
	sock_meminfo(fd, &rmem, &drops);
#define ADD(...) (len += (size_t)snprintf(out + len, len < n ? n - len : 0, __VA_ARGS__))
	ADD("port=%u\nreceived=%llu\nbytes=%llu\ngood=%llu\nbad_payload=%llu\n", o->port,
	    (unsigned long long)st->received, (unsigned long long)st->bytes,
	    (unsigned long long)st->good, (unsigned long long)bad);
	for (int i = 1; i <= RXG_PL_BAD_CSUM; i++)
		ADD("%s=%llu\n", rxg_pl_status_name(i), (unsigned long long)st->bad[i]);
	ADD("truncated=%llu\nlost=%llu\ndup=%llu\nreordered=%llu\nlate=%llu\n",
	    (unsigned long long)st->truncated, (unsigned long long)st->seq.lost,
	    (unsigned long long)st->seq.dup, (unsigned long long)st->seq.reordered,
	    (unsigned long long)st->seq.late);
	ADD("flows_seen=%llu\nflows_overflow=%llu\n", (unsigned long long)st->flows_seen,
	    (unsigned long long)st->flows_overflow);
	uint64_t mal = st->mal_other;

	for (int k = 1; k < RXG_KIND_MAX; k++)
		mal += st->mal[k];
	ADD("malformed=%llu\n", (unsigned long long)mal);
	for (int k = 1; k < RXG_KIND_MAX; k++) {
		char name[32];

		snprintf(name, sizeof(name), "%s", rxg_kind_name(k));
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		ADD("mal_%s=%llu\n", name, (unsigned long long)st->mal[k]);
	}
	ADD("sock_drops=%u\nqueued_bytes=%u\nelapsed_s=%.6f\nrate_pps=%.1f\nend_reason=%s\n",
	    drops, rmem, el, el > 0 ? (double)(st->received - 1) / el : 0.0, reason);
#undef ADD
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };
	struct opts o = { .port = 9000 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_signal };
	static struct stats st;
	static char results[8192];
	const char *reason;
	double start;
	int fd, ret = RXSINK_EXIT_FAIL;

	argp_err_exit_status = RXSINK_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, ARGP_NO_HELP, NULL, &o))
		return RXSINK_EXIT_USAGE;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "rxsink: failed to open UDP socket: %s\n", strerror(errno));
		return RXSINK_EXIT_FAIL;
	}
	if (o.rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &o.rcvbuf,
				   sizeof(o.rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o.rcvbuf, sizeof(o.rcvbuf))) {
		fprintf(stderr, "rxsink: failed to set receive buffer to %d: %s\n", o.rcvbuf,
			strerror(errno));
		goto cleanup;
	}
	sin.sin_addr.s_addr = htonl(o.bind_ip);
	sin.sin_port = htons(o.port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		char ip[16];

		rxg_format_ipv4(o.bind_ip, ip);
		fprintf(stderr, "rxsink: failed to bind UDP socket to %s:%u: %s\n", ip, o.port,
			strerror(errno));
		goto cleanup;
	}
	if (o.ready_file) {
		char text[32];

		snprintf(text, sizeof(text), "port=%u\n", o.port);
		if (write_atomic(o.ready_file, text))
			goto cleanup;
	}

	start = rxs_now_sec();
	reason = o.no_read ? wait_queued(fd, &o, start) : receive(fd, &o, &st, start);

	format_results(results, sizeof(results), &o, &st, reason, fd);
	if (!o.quiet) {
		fputs(results, stdout);
		fflush(stdout);
	}
	if (o.out && write_atomic(o.out, results))
		goto cleanup;
	ret = RXSINK_EXIT_OK;

	if (o.hold > 0 && !stop_flag) {
		double until = rxs_now_sec() + o.hold;

		while (!stop_flag && rxs_now_sec() < until)
			usleep(50000);
	}

cleanup:
	close(fd);
	for (int i = 0; i < FLOW_SLOTS; i++)
		free(flows[i]);
	return ret;
}
