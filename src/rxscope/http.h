/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * http.h - a small, strict HTTP/1.1 server for `rxscope serve`: GET only, one thread,
 * ppoll() over non-blocking sockets, bounded request size, a connection limit (the
 * oldest idle connection gives way to a new one), and per-phase deadlines so that a slow
 * or stalled client never holds up the others. The request parser is a pure function so
 * that the unit tests can feed it anything.
 */
#ifndef RXS_HTTP_H
#define RXS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>

/* The largest request head (request line and headers) accepted; larger gets 431. */
#define RXS_HTTP_MAX_REQUEST	8192

struct rxs_http_req {
	char method[16];
	char path[256];		/* without the query string */
	int minor;		/* HTTP/1.<minor>: 0 or 1 */
	bool keep_alive;	/* the connection may serve another request after this one */
};

/*
 * Parse one request head at the start of @buf (@len bytes). Returns:
 *   > 0   the head is complete and valid: its length in bytes (what follows it is the
 *         next pipelined request); @req is filled;
 *   0     incomplete: read more (and give up with 431 once RXS_HTTP_MAX_REQUEST is full);
 *   < 0   minus the HTTP status to answer before closing: -400 (malformed; also a body,
 *         which GET does not take), -414 (path too long), -431 (head too large),
 *         -501 (an unsupported Transfer-Encoding), -505 (not HTTP/1.0 or 1.1).
 * The method is not judged here (the server answers 405 to anything but GET).
 */
int rxs_http_parse(const char *buf, size_t len, struct rxs_http_req *req);

/* "OK", "Not Found", ... for a status code; "Error" for unknown ones. */
const char *rxs_http_reason(int status);

/*
 * The answer to GET @path: return 200 with a malloc'ed body in *@body (*@len bytes,
 * the server frees it) and its content type in *@ctype, or an HTTP status (404, 500...)
 * with *@body left NULL.
 */
typedef int (*rxs_http_handler)(void *ctx, const char *path, char **body, size_t *len,
				const char **ctype);

struct rxs_http_opts {
	int max_conns;		/* connections held open at once */
	double idle_s;		/* a request head must arrive, and a response be taken,
				 * within this many seconds; also the keep-alive idle limit */
};

/* Counts for the server's own metrics. */
struct rxs_http_stats {
	unsigned long long accepted;
	unsigned long long evicted;	/* idle connections closed to make room */
	unsigned long long timeouts;	/* connections closed at their deadline */
	unsigned long long status[6];	/* responses by status class: [2] 2xx ... [5] 5xx */
};

struct rxs_http_server;

/*
 * Listen on @listen: "ADDR:PORT", "[ADDR6]:PORT" or "PORT" (127.0.0.1:PORT).
 * Returns NULL with @err set (bad address, or bind/listen failed).
 */
struct rxs_http_server *rxs_http_listen(const char *listen, const struct rxs_http_opts *o,
					rxs_http_handler h, void *ctx, char *err,
					size_t errlen);

/* The address actually bound ("127.0.0.1:9412"), for messages. */
const char *rxs_http_addr(const struct rxs_http_server *srv);

/*
 * Serve until *@stop becomes nonzero. @tick is called about every @tick_s seconds (and
 * never while a request is handled). Signals in @sigmask are unblocked only while
 * waiting, so a handler that sets *@stop wakes the loop at once (ppoll).
 * Returns 0, or a negative errno when polling itself failed.
 */
int rxs_http_run(struct rxs_http_server *srv, volatile sig_atomic_t *stop,
		 const sigset_t *sigmask, void (*tick)(void *ctx), double tick_s);

const struct rxs_http_stats *rxs_http_stats(const struct rxs_http_server *srv);
/* Connections open right now. */
int rxs_http_nconns(const struct rxs_http_server *srv);

void rxs_http_close(struct rxs_http_server *srv);

/* Parse "ADDR:PORT" etc. as rxs_http_listen() does; 0 or -EINVAL with @err set. */
struct sockaddr_storage;
int rxs_http_parse_addr(const char *s, struct sockaddr_storage *ss, unsigned int *sslen,
			char *err, size_t errlen);

#endif /* RXS_HTTP_H */
