// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * serve.c - the `serve` verb: a Prometheus exporter. It attaches the programs once (the
 * session of trace.c, with trace's filters and driver profiles), then answers
 * GET /metrics (http.c) by reading the per-CPU maps into a recording and writing it in
 * the text format 0.0.4 (export_prom.c). Nothing runs per scrape but map reads, and
 * nothing at all while nobody scrapes except the once-a-second sweep of stale tracking
 * entries and a read of /proc/net/softnet_stat every SOFTNET_FOLD_S. SIGINT/SIGTERM stop it cleanly (and with -o, write the totals since start as a
 * recording). docs/prometheus.md describes the metrics.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "atomic.h"
#include "clock.h"
#include "export.h"
#include "export_prom.h"
#include "http.h"
#include "serve.h"
#include "softnet.h"
#include "trace.h"

#define SOFTNET_PATH	"/proc/net/softnet_stat"
/* softnet_stat counters are 32 bits wide: fold them into 64-bit totals this often */
#define SOFTNET_FOLD_S	10.0

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct serve {
	struct session *s;		/* the tracer (trace.c) */
	int ncpus;
	struct rxs_http_server *srv;
	bool bpf_stats;
	unsigned long long scrapes;
	double end;			/* -d: monotonic end, else 0 */
	/* /proc/net/softnet_stat as 64-bit totals since start, per CPU (see fold_softnet) */
	struct rxs_softnet prev;
	bool have_prev;
	int sn_ncols;
	__u64 (*sn_acc)[RXS_SOFTNET_MAX_COLS];	/* ncpus rows */
	double last_fold;
};

/*
 * Add what /proc/net/softnet_stat counted since the last reading to the 64-bit totals.
 * The kernel prints 32-bit counters that wrap; folding at least every SOFTNET_FOLD_S
 * seconds keeps every wrap seen (2^32 events in 10 s is beyond any NIC).
 */
static void fold_softnet(struct serve *sv)
{
	struct rxs_softnet now = { 0 }, d = { 0 };
	char err[256];

	sv->last_fold = rxs_now_sec();
	if (rxs_softnet_read(SOFTNET_PATH, &now, err, sizeof(err)))
		return;
	if (!sv->have_prev) {
		sv->prev = now;
		sv->have_prev = true;
		sv->sn_ncols = now.ncols;
		return;
	}
	if (!rxs_softnet_delta(&sv->prev, &now, &d, err, sizeof(err))) {
		for (int i = 0; i < d.nrows; i++) {
			int cpu = d.rows[i].cpu;

			if (cpu < 0 || cpu >= sv->ncpus)
				continue;
			for (int c = 0; c < d.ncols && c < RXS_SOFTNET_MAX_COLS; c++) {
				if (rxs_softnet_col_is_counter(c))
					sv->sn_acc[cpu][c] += d.rows[i].v[c];
				else
					sv->sn_acc[cpu][c] = d.rows[i].v[c];
			}
		}
		sv->sn_ncols = d.ncols;
	}
	rxs_softnet_free(&d);
	rxs_softnet_free(&sv->prev);
	sv->prev = now;
}

static void on_tick(void *ctx)
{
	struct serve *sv = ctx;

	rxs_session_sweep(sv->s);
	if (rxs_now_sec() - sv->last_fold >= SOFTNET_FOLD_S)
		fold_softnet(sv);
	if (sv->end > 0 && rxs_now_sec() >= sv->end)
		stop_requested = 1;
}

/*
 * The totals since start: the maps, with the recording's 32-bit softnet deltas replaced by
 * the folded 64-bit totals. Returns 0 or a negative errno (@r is freed then).
 */
static int collect_totals(struct serve *sv, struct rxs_recording *r)
{
	int ret;

	fold_softnet(sv);
	ret = rxs_session_collect(sv->s, r);
	if (ret) {
		rxs_recording_free(r);
		return ret;
	}
	for (int i = 0; i < r->ncpus; i++) {
		int cpu = r->cpus[i].cpu;

		if (r->cpus[i].softnet_ncols <= 0 || cpu < 0 || cpu >= sv->ncpus)
			continue;
		for (int c = 0; c < r->cpus[i].softnet_ncols && c < sv->sn_ncols; c++)
			r->cpus[i].softnet[c] = sv->sn_acc[cpu][c];
	}
	return 0;
}

/* GET /metrics: read the maps and render the exposition. */
static int handle(void *ctx, const char *path, char **body, size_t *len, const char **ctype)
{
	struct serve *sv = ctx;
	struct rxs_prog_stat progs[RXS_MAX_PROGS];
	const struct rxs_http_stats *hs = rxs_http_stats(sv->srv);
	struct rxs_prom_scrape x = { 0 };
	struct rxs_recording r;
	double t0 = rxs_now_sec();
	FILE *f;
	int ret;

	if (strcmp(path, "/metrics"))
		return 404;
	ret = collect_totals(sv, &r);
	if (ret) {
		fprintf(stderr, "rxscope: failed to read BPF maps: %s\n", strerror(-ret));
		return 500;
	}
	x.nprogs = rxs_session_prog_stats(sv->s, progs, RXS_MAX_PROGS);
	x.progs = progs;
	x.bpf_stats = sv->bpf_stats;
	x.scrapes = sv->scrapes++;
	memcpy(x.http_status, hs->status, sizeof(x.http_status));
	x.conns_accepted = hs->accepted;
	x.conns_evicted = hs->evicted;
	x.conns_timed_out = hs->timeouts;
	x.conns_open = rxs_http_nconns(sv->srv);
	x.collect_s = rxs_now_sec() - t0;

	f = open_memstream(body, len);
	if (!f) {
		rxs_recording_free(&r);
		return 500;
	}
	ret = rxs_prom_write_scrape(f, &r, &x);
	if (fclose(f) || ret) {
		rxs_recording_free(&r);
		free(*body);
		*body = NULL;
		return 500;
	}
	rxs_recording_free(&r);
	*ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 200;
}

int rxs_serve_cmd(const struct rxs_cli *cli)
{
	struct rxs_http_opts ho = {
		.max_conns = cli->serve.max_conns ? cli->serve.max_conns : RXS_SERVE_MAX_CONNS,
		.idle_s = cli->serve.idle_s > 0 ? cli->serve.idle_s : RXS_SERVE_IDLE_S,
	};
	const char *listen_s = cli->serve.listen ? cli->serve.listen : RXS_SERVE_LISTEN;
	struct serve *sv;
	struct sigaction sa;
	sigset_t block, waitmask;
	int ret, exit_code = RXS_EXIT_OK, stats_fd = -1;
	char err[512], line[128];

	sv = calloc(1, sizeof(*sv));
	if (!sv) {
		fprintf(stderr, "rxscope: out of memory\n");
		return RXS_EXIT_PRIV;
	}
	/* listen first: a bad or busy address fails before anything is attached */
	sv->srv = rxs_http_listen(listen_s, &ho, handle, sv, err, sizeof(err));
	if (!sv->srv) {
		fprintf(stderr, "rxscope: %s\n", err);
		free(sv);
		return RXS_EXIT_USAGE;
	}
	sv->s = rxs_session_open(cli, &ret);
	if (!sv->s) {
		rxs_http_close(sv->srv);
		free(sv);
		return ret;
	}
	sv->ncpus = rxs_session_ncpus(sv->s);
	sv->sn_acc = calloc(sv->ncpus, sizeof(*sv->sn_acc));
	if (!sv->sn_acc) {
		fprintf(stderr, "rxscope: out of memory\n");
		exit_code = RXS_EXIT_PRIV;
		goto out;
	}

	/* SIGINT/SIGTERM are blocked except inside ppoll(), which they then wake at once */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (cli->stats) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0)
			fprintf(stderr, "warning: failed to enable BPF run-time stats: %s\n",
				strerror(errno));
		sv->bpf_stats = stats_fd >= 0;
	}
	rxs_session_start_recording(sv->s);
	fold_softnet(sv);
	if (cli->duration_s > 0)
		sv->end = rxs_now_sec() + cli->duration_s;

	fprintf(stderr, "rxscope serve: kernel %s, driver %s, dev %s, port %s, cpu %s\n",
		rxs_session_kernel(sv->s), rxs_session_driver(sv->s),
		cli->dev[0] ? cli->dev : "any",
		cli->port ? "filtered" : "any", cli->cpu >= 0 ? "filtered" : "any");
	for (int p = 0; p < RXS_P_NR; p++) {
		char hook[96];

		rxs_plan_hook_str(rxs_session_plan(sv->s), p, hook, sizeof(hook));
		fprintf(stderr, "  %-18s %s\n", rxs_point_name(p), hook[0] ? hook : "unavailable");
	}
	fprintf(stderr, "Serving http://%s/metrics (at most %d connections, idle limit %g s)\n",
		rxs_http_addr(sv->srv), ho.max_conns, ho.idle_s);
	if (cli->ready_file) {
		snprintf(line, sizeof(line), "%s\n", rxs_http_addr(sv->srv));
		ret = rxs_write_atomic_text(cli->ready_file, line, NULL, 0);
		if (ret) {
			fprintf(stderr, "rxscope: failed to write ready file %s: %s\n",
				cli->ready_file, strerror(-ret));
			exit_code = RXS_EXIT_USAGE;
			goto out;
		}
	}

	ret = rxs_http_run(sv->srv, &stop_requested, &waitmask, on_tick, 1.0);
	if (ret) {
		fprintf(stderr, "rxscope: serving failed: %s\n", strerror(-ret));
		exit_code = RXS_EXIT_PRIV;
	}
	fprintf(stderr, "rxscope serve: stopped after %llu scrapes\n", sv->scrapes);
	if (cli->output && exit_code == RXS_EXIT_OK) {
		struct rxs_recording r;

		ret = collect_totals(sv, &r);
		if (ret) {
			fprintf(stderr, "rxscope: failed to read BPF maps: %s\n", strerror(-ret));
			exit_code = RXS_EXIT_PRIV;
			goto out;
		}
		ret = rxs_export_write(&r, cli->output, cli->format, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "rxscope: %s\n", err);
			exit_code = RXS_EXIT_USAGE;
		} else {
			fprintf(stderr, "wrote %s (%s, %.1f s)\n", cli->output,
				rxs_format_name(cli->format), r.duration_s);
		}
		rxs_recording_free(&r);
	}
out:
	if (stats_fd >= 0)
		close(stats_fd);
	rxs_http_close(sv->srv);
	if (sv->s)
		rxs_session_close(sv->s);
	if (sv->have_prev)
		rxs_softnet_free(&sv->prev);
	free(sv->sn_acc);
	free(sv);
	return exit_code;
}
