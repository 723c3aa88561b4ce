// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * softnet.c - /proc/net/softnet_stat for any kernel's column count: parsing, per-CPU
 * deltas, copying them into a recording, and the `rxscope softnet` verb.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clock.h"
#include "exitcode.h"
#include "softnet.h"

static const char *const col_names[] = {
	"processed", "dropped", "time_squeeze", "zero3", "zero4", "zero5", "zero6", "zero7",
	"cpu_collision", "received_rps", "flow_limit_count", "backlog_len", "cpu",
	"input_qlen", "process_qlen",
};
#define N_KNOWN_COLS ((int)(sizeof(col_names) / sizeof(col_names[0])))

const char *rxs_softnet_col_name(int col)
{
	static char extra[RXS_SOFTNET_MAX_COLS][8];

	if (col >= 0 && col < N_KNOWN_COLS)
		return col_names[col];
	if (col < 0 || col >= RXS_SOFTNET_MAX_COLS)
		return "?";
	snprintf(extra[col], sizeof(extra[col]), "col%d", col);
	return extra[col];
}

bool rxs_softnet_col_is_legacy(int col)
{
	return col >= 3 && col <= 8;
}

bool rxs_softnet_col_is_counter(int col)
{
	switch (col) {
	case RXS_SN_PROCESSED:
	case RXS_SN_DROPPED:
	case RXS_SN_TIME_SQUEEZE:
	case RXS_SN_RECEIVED_RPS:
	case RXS_SN_FLOW_LIMIT:
		return true;
	default:
		/* unknown future columns: treat as counters, like most of the file */
		return col >= N_KNOWN_COLS && col < RXS_SOFTNET_MAX_COLS;
	}
}

void rxs_softnet_free(struct rxs_softnet *snap)
{
	free(snap->rows);
	memset(snap, 0, sizeof(*snap));
}

/* one line of hex words into @row; returns the column count, -1 (not hex) or -2 (more
 * columns than RXS_SOFTNET_MAX_COLS) */
static int parse_line(char *line, struct rxs_softnet_row *row)
{
	char *p = line, *end;
	int n = 0;

	for (;;) {
		unsigned long long v;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		if (n == RXS_SOFTNET_MAX_COLS)
			return -2;
		errno = 0;
		v = strtoull(p, &end, 16);
		if (end == p || errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -1;
		row->v[n++] = v;
		p = end;
	}
	return n;
}

int rxs_softnet_parse(FILE *f, const char *name, struct rxs_softnet *snap, char *err,
		      size_t errlen)
{
	char line[1024];
	int lineno = 0, cap = 0;

	memset(snap, 0, sizeof(*snap));
	while (fgets(line, sizeof(line), f)) {
		struct rxs_softnet_row row = { 0 };
		int n;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s: line %d: too long", name, lineno);
			goto bad;
		}
		n = parse_line(line, &row);
		if (n == -2) {
			snprintf(err, errlen, "%s: line %d: more than %d columns, the most rxscope "
				 "keeps (kernels up to 6.18 print 15): a newer layout", name, lineno,
				 RXS_SOFTNET_MAX_COLS);
			goto bad;
		}
		if (n <= 0) {
			snprintf(err, errlen, "%s: line %d: expected up to %d hex columns",
				 name, lineno, RXS_SOFTNET_MAX_COLS);
			goto bad;
		}
		if (snap->nrows && n != snap->ncols) {
			snprintf(err, errlen, "%s: line %d: %d columns, line 1 had %d", name,
				 lineno, n, snap->ncols);
			goto bad;
		}
		if (snap->nrows == RXS_MAX_CPUS) {
			snprintf(err, errlen, "%s: more than %d CPUs", name, RXS_MAX_CPUS);
			goto bad;
		}
		snap->ncols = n;
		snap->has_cpu_col = n > RXS_SN_CPU;
		row.cpu = snap->has_cpu_col ? (int)row.v[RXS_SN_CPU] : snap->nrows;
		if (row.cpu < 0 || row.cpu >= RXS_MAX_CPUS) {
			snprintf(err, errlen, "%s: line %d: cpu %d out of range", name, lineno,
				 row.cpu);
			goto bad;
		}
		if (snap->nrows == cap) {
			struct rxs_softnet_row *nr;

			cap = cap ? cap * 2 : 16;
			nr = realloc(snap->rows, cap * sizeof(*nr));
			if (!nr) {
				snprintf(err, errlen, "failed to parse %s: %s", name,
					 strerror(ENOMEM));
				rxs_softnet_free(snap);
				return -ENOMEM;
			}
			snap->rows = nr;
		}
		snap->rows[snap->nrows++] = row;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "failed to read %s: %s", name, strerror(EIO));
		rxs_softnet_free(snap);
		return -EIO;
	}
	if (snap->nrows == 0) {
		snprintf(err, errlen, "%s: no CPU rows", name);
		goto bad;
	}
	return 0;
bad:
	rxs_softnet_free(snap);
	return -EINVAL;
}

const char *rxs_softnet_path(void)
{
	const char *path = getenv("RXSCOPE_SOFTNET_PATH");

	return path && *path ? path : "/proc/net/softnet_stat";
}

int rxs_softnet_read(const char *path, struct rxs_softnet *snap, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int ret;

	memset(snap, 0, sizeof(*snap));
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "failed to open %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = rxs_softnet_parse(f, path, snap, err, errlen);
	fclose(f);
	return ret;
}

static const struct rxs_softnet_row *find_cpu(const struct rxs_softnet *s, int cpu)
{
	for (int i = 0; i < s->nrows; i++)
		if (s->rows[i].cpu == cpu)
			return &s->rows[i];
	return NULL;
}

int rxs_softnet_delta(const struct rxs_softnet *before, const struct rxs_softnet *after,
		      struct rxs_softnet *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (before->ncols != after->ncols) {
		snprintf(err, errlen, "softnet_stat column count changed from %d to %d",
			 before->ncols, after->ncols);
		return -EINVAL;
	}
	out->rows = calloc(after->nrows ? after->nrows : 1, sizeof(*out->rows));
	if (!out->rows) {
		snprintf(err, errlen, "failed to allocate softnet rows: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	out->ncols = after->ncols;
	out->nrows = after->nrows;
	out->has_cpu_col = after->has_cpu_col;
	for (int i = 0; i < after->nrows; i++) {
		const struct rxs_softnet_row *a = &after->rows[i];
		const struct rxs_softnet_row *b = find_cpu(before, a->cpu);

		out->rows[i].cpu = a->cpu;
		for (int c = 0; c < after->ncols; c++) {
			if (!rxs_softnet_col_is_counter(c))
				out->rows[i].v[c] = a->v[c];
			else
				/* the kernel prints u32 counters: wrap modulo 2^32 */
				out->rows[i].v[c] = (a->v[c] - (b ? b->v[c] : 0)) & 0xffffffffULL;
		}
	}
	return 0;
}

void rxs_softnet_fill(struct rxs_recording *r, const struct rxs_softnet *delta)
{
	for (int i = 0; i < r->ncpus; i++) {
		const struct rxs_softnet_row *row = find_cpu(delta, r->cpus[i].cpu);

		if (!row) {
			r->cpus[i].softnet_ncols = 0;
			continue;
		}
		r->cpus[i].softnet_ncols = delta->ncols;
		memcpy(r->cpus[i].softnet, row->v, sizeof(row->v));
	}
}

/* ---- the `rxscope softnet` verb ------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_delta(const struct rxs_softnet *d, double secs)
{
	char ts[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	printf("%s  softnet_stat deltas over %.1fs (%d columns)\n", ts, secs, d->ncols);
	printf("%4s", "CPU");
	for (int c = 0; c < d->ncols; c++)
		if (!rxs_softnet_col_is_legacy(c) && c != RXS_SN_CPU)
			printf(" %*s", c == RXS_SN_FLOW_LIMIT ? 10 : 12,
			       c == RXS_SN_FLOW_LIMIT ? "flow_limit" : rxs_softnet_col_name(c));
	printf("\n");
	for (int i = 0; i < d->nrows; i++) {
		printf("%4d", d->rows[i].cpu);
		for (int c = 0; c < d->ncols; c++)
			if (!rxs_softnet_col_is_legacy(c) && c != RXS_SN_CPU)
				printf(" %*llu", c == RXS_SN_FLOW_LIMIT ? 10 : 12,
				       (unsigned long long)d->rows[i].v[c]);
		printf("\n");
	}
	printf("\n");
	fflush(stdout);
}

int rxs_softnet_cmd(double interval_s, double duration_s)
{
	const char *path = rxs_softnet_path();
	struct rxs_softnet prev, cur, delta;
	struct sigaction sa = { .sa_handler = on_signal };
	double t0, tprev;
	char err[256];

	if (interval_s <= 0)
		interval_s = 1;
	if (rxs_softnet_read(path, &prev, err, sizeof(err))) {
		fprintf(stderr, "rxscope: %s\n", err);
		return RXS_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t0 = tprev = rxs_now_sec();
	while (!stop) {
		double left = duration_s > 0 ? duration_s - (rxs_now_sec() - t0) : interval_s;
		double nap = left < interval_s ? left : interval_s;
		struct timespec ts;

		if (nap <= 0)
			break;
		ts.tv_sec = (time_t)nap;
		ts.tv_nsec = (long)((nap - ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) && !stop)
			;
		/* it was readable at the start: failing now is a runtime failure */
		if (rxs_softnet_read(path, &cur, err, sizeof(err))) {
			fprintf(stderr, "rxscope: %s\n", err);
			rxs_softnet_free(&prev);
			return RXS_EXIT_RUNTIME;
		}
		if (rxs_softnet_delta(&prev, &cur, &delta, err, sizeof(err))) {
			fprintf(stderr, "rxscope: %s\n", err);
			rxs_softnet_free(&prev);
			rxs_softnet_free(&cur);
			return RXS_EXIT_RUNTIME;
		}
		print_delta(&delta, rxs_now_sec() - tprev);
		tprev = rxs_now_sec();
		rxs_softnet_free(&delta);
		rxs_softnet_free(&prev);
		prev = cur;
		if (duration_s > 0 && rxs_now_sec() - t0 >= duration_s - 1e-3)
			break;
	}
	rxs_softnet_free(&prev);
	return RXS_EXIT_OK;
}
