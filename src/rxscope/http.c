// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * http.c - the strict GET-only HTTP/1.1 server of `rxscope serve` (http.h): the request
 * parser, and a single-threaded ppoll() loop over non-blocking sockets.
 *
 * Every connection is READING (a request head, into a fixed buffer of
 * RXS_HTTP_MAX_REQUEST bytes), WRITING (one response) or DRAINING (closing after an
 * error response). Each phase has a fixed deadline
 * (idle_s from its start, not extended by trickling bytes), so a slow client cannot keep
 * a slot by sending one byte at a time. When every slot is taken, a new connection
 * replaces the connection that has been waiting longest for a request. Requests that
 * arrive pipelined are answered in order, one response at a time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "clock.h"
#include "http.h"

/* --- the request parser ------------------------------------------------------------- */

/* RFC 9110 tchar */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* visible characters allowed in a request target (no spaces, no controls, ASCII) */
static bool is_target_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* The request line "METHOD SP TARGET SP HTTP/1.x", @n bytes without the line end. */
static int parse_request_line(const char *s, size_t n, struct rxs_http_req *req)
{
	size_t i = 0, m, t0, tn;

	while (i < n && is_tchar(s[i]))
		i++;
	m = i;
	if (m == 0 || m >= sizeof(req->method) || i >= n || s[i] != ' ')
		return -400;
	memcpy(req->method, s, m);
	req->method[m] = '\0';
	t0 = ++i;
	while (i < n && is_target_char(s[i]))
		i++;
	tn = i - t0;
	if (tn == 0)
		return -400;
	/* no version at all (an HTTP/0.9 request line), or a space too many */
	if (i >= n || s[i] != ' ')
		return -400;
	/* origin-form only: the absolute form is for proxies, "*" for OPTIONS */
	if (s[t0] != '/')
		return -400;
	i++;
	if (n - i != 8 || memcmp(s + i, "HTTP/", 5) || s[i + 5] < '0' || s[i + 5] > '9' ||
	    s[i + 6] != '.' || s[i + 7] < '0' || s[i + 7] > '9')
		return -400;
	if (s[i + 5] != '1' || (s[i + 7] != '0' && s[i + 7] != '1'))
		return -505;
	req->minor = s[i + 7] - '0';
	/* the path is the target without its query string */
	for (m = 0; m < tn && s[t0 + m] != '?'; m++)
		;
	if (m >= sizeof(req->path))
		return -414;
	memcpy(req->path, s + t0, m);
	req->path[m] = '\0';
	return 0;
}

/* Does the comma list @v (@n bytes) hold the token @tok (case-insensitive)? */
static bool list_has(const char *v, size_t n, const char *tok)
{
	size_t k = strlen(tok), i = 0;

	while (i < n) {
		size_t j;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		j = i;
		while (j < n && v[j] != ',')
			j++;
		/* trim the element's trailing whitespace */
		size_t e = j;

		while (e > i && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - i == k && !strncasecmp(v + i, tok, k))
			return true;
		i = j;
	}
	return false;
}

struct head_state {
	int hosts;
	bool conn_close, conn_keep_alive;
};

/* One header line "Name: value", @n bytes without the line end. */
static int parse_header(const char *s, size_t n, struct head_state *hs)
{
	size_t i = 0, v0, vn;

	/* obs-fold (a continuation line) is not accepted (RFC 9112, 5.2) */
	while (i < n && is_tchar(s[i]))
		i++;
	if (i == 0 || i >= n || s[i] != ':')
		return -400;
	v0 = i + 1;
	while (v0 < n && (s[v0] == ' ' || s[v0] == '\t'))
		v0++;
	vn = n - v0;
	while (vn > 0 && (s[v0 + vn - 1] == ' ' || s[v0 + vn - 1] == '\t'))
		vn--;
	for (size_t k = v0; k < v0 + vn; k++) {
		unsigned char c = s[k];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -400;
	}
	if (i == 4 && !strncasecmp(s, "host", 4)) {
		hs->hosts++;
	} else if (i == 10 && !strncasecmp(s, "connection", 10)) {
		if (list_has(s + v0, vn, "close"))
			hs->conn_close = true;
		if (list_has(s + v0, vn, "keep-alive"))
			hs->conn_keep_alive = true;
	} else if (i == 14 && !strncasecmp(s, "content-length", 14)) {
		/* GET takes no body: only an explicit zero length is accepted (the line is
		 * not NUL-terminated: no strspn) */
		size_t z = 0;

		while (z < vn && s[v0 + z] == '0')
			z++;
		if (vn == 0 || z < vn)
			return -400;
	} else if (i == 17 && !strncasecmp(s, "transfer-encoding", 17)) {
		return -501;
	}
	return 0;
}

int rxs_http_parse(const char *buf, size_t len, struct rxs_http_req *req)
{
	struct head_state hs = { 0 };
	size_t pos = 0;
	bool have_line = false;
	int ret;

	memset(req, 0, sizeof(*req));
	if (len > RXS_HTTP_MAX_REQUEST)
		len = RXS_HTTP_MAX_REQUEST;
	/* empty lines before a request line are skipped (RFC 9112, 2.2) */
	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n')) {
		if (buf[pos] == '\r' && (pos + 1 >= len || buf[pos + 1] != '\n'))
			return pos + 1 >= len ? 0 : -400;
		pos += buf[pos] == '\r' ? 2 : 1;
	}
	for (;;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n;

		if (!nl)
			return len >= RXS_HTTP_MAX_REQUEST ? -431 : 0;
		n = nl - (buf + pos);
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		/* a bare CR or a NUL anywhere in the line */
		if (memchr(buf + pos, '\r', n) || memchr(buf + pos, '\0', n))
			return -400;
		if (!have_line) {
			ret = parse_request_line(buf + pos, n, req);
			if (ret)
				return ret;
			have_line = true;
		} else if (n == 0) {
			pos = nl - buf + 1;
			break;
		} else {
			ret = parse_header(buf + pos, n, &hs);
			if (ret)
				return ret;
		}
		pos = nl - buf + 1;
	}
	/* HTTP/1.1 needs exactly one Host; 1.0 may have none */
	if (hs.hosts > 1 || (req->minor == 1 && hs.hosts != 1))
		return -400;
	req->keep_alive = req->minor == 1 ? !hs.conn_close : false;
	return (int)pos;
}

const char *rxs_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}

/* --- the server ------------------------------------------------------------------------ */

/*
 * DRAINING: an error response is out and our side is shut down; what the client still
 * sends is read and dropped until it closes (or the deadline), so that closing with
 * unread data does not reset the connection before the client read the response.
 */
enum conn_state { C_FREE, C_READING, C_WRITING, C_DRAINING };

/* File descriptors kept beside the connections' (the tracer's, stdio). */
#define FD_MARGIN	256

/* How long a closing connection is drained at most. */
#define DRAIN_S		2.0

struct conn {
	enum conn_state st;
	int fd;
	double deadline;	/* monotonic seconds: closed when reached */
	double since;		/* when the current phase began */
	bool close_after;	/* close once the response is out */
	size_t rlen;
	char head[512];		/* the response head, */
	size_t hlen;
	char *body;		/* then the body (malloc'ed, owned) */
	size_t blen;
	size_t woff;		/* bytes of head + body sent */
	char rbuf[RXS_HTTP_MAX_REQUEST];
};

struct rxs_http_server {
	int lfd;
	char addr[80];
	struct rxs_http_opts o;
	rxs_http_handler handler;
	void *ctx;
	struct conn *conns;	/* o.max_conns slots, allocated once */
	struct pollfd *pfds;
	int *pidx;		/* pfds[k] belongs to conns[pidx[k]] */
	int nconns;
	double accept_pause;	/* out of descriptors or memory: accept again after this */
	struct rxs_http_stats stats;
};

int rxs_http_parse_addr(const char *s, struct sockaddr_storage *ss, unsigned int *sslen,
			char *err, size_t errlen)
{
	char host[64];
	const char *port_s;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(rb - s - 1), s + 1);
		port_s = rb + 2;
	} else {
		const char *colon = strrchr(s, ':');

		if (!colon) {
			snprintf(host, sizeof(host), "127.0.0.1");
			port_s = s;
		} else {
			if (colon == s) {
				snprintf(err, errlen, "invalid listen address '%s': name the "
					 "address (127.0.0.1:PORT for this host only, "
					 "0.0.0.0:PORT for every interface)", s);
				return -EINVAL;
			}
			if ((size_t)(colon - s) >= sizeof(host) || memchr(s, ':', colon - s))
				goto bad;
			snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
			port_s = colon + 1;
		}
	}
	errno = 0;
	port = strtol(port_s, &end, 10);
	if (!*port_s || *end || errno || port < 0 || port > 65535)
		goto bad;
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (s[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			goto bad;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*sslen = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			goto bad;
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*sslen = sizeof(*a4);
	}
	return 0;
bad:
	snprintf(err, errlen, "invalid listen address '%s': want ADDR:PORT, [ADDR6]:PORT or "
		 "PORT, with a numeric address (or localhost) and a port 0..65535", s);
	return -EINVAL;
}

static void format_addr(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char h[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &a6->sin6_addr, h, sizeof(h));
		snprintf(buf, len, "[%s]:%u", h, ntohs(a6->sin6_port));
	} else {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &a4->sin_addr, h, sizeof(h));
		snprintf(buf, len, "%s:%u", h, ntohs(a4->sin_port));
	}
}

struct rxs_http_server *rxs_http_listen(const char *listen_s, const struct rxs_http_opts *o,
					rxs_http_handler h, void *ctx, char *err,
					size_t errlen)
{
	struct rxs_http_server *srv;
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned int sslen;
	struct rlimit rl;
	int one = 1;

	if (rxs_http_parse_addr(listen_s, &ss, &sslen, err, errlen))
		return NULL;
	/*
	 * Every connection is a descriptor, beside the tracer's programs, maps and links (a
	 * few dozen): make room, or an accept() failing with EMFILE would leave the listening
	 * socket readable for ever.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)o->max_conns + FD_MARGIN) {
		rl.rlim_cur = (rlim_t)o->max_conns + FD_MARGIN;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) {
			snprintf(err, errlen, "%d connections need %d file descriptors, but "
				 "the limit is %llu (ulimit -n)", o->max_conns,
				 o->max_conns + FD_MARGIN, (unsigned long long)rl.rlim_max);
			return NULL;
		}
		if (setrlimit(RLIMIT_NOFILE, &rl)) {
			snprintf(err, errlen, "failed to raise the file descriptor limit to %d: %s",
				 o->max_conns + FD_MARGIN, strerror(errno));
			return NULL;
		}
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		goto nomem;
	srv->o = *o;
	srv->handler = h;
	srv->ctx = ctx;
	srv->conns = calloc(o->max_conns, sizeof(*srv->conns));
	srv->pfds = calloc(o->max_conns + 1, sizeof(*srv->pfds));
	srv->pidx = calloc(o->max_conns + 1, sizeof(*srv->pidx));
	if (!srv->conns || !srv->pfds || !srv->pidx)
		goto nomem;
	srv->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->lfd < 0) {
		snprintf(err, errlen, "failed to create a socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(srv->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(srv->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(srv->lfd, (struct sockaddr *)&ss, sslen) || listen(srv->lfd, 128)) {
		snprintf(err, errlen, "failed to listen on %s: %s", listen_s, strerror(errno));
		close(srv->lfd);
		goto fail;
	}
	sl = sizeof(ss);
	getsockname(srv->lfd, (struct sockaddr *)&ss, &sl);
	format_addr(&ss, srv->addr, sizeof(srv->addr));
	return srv;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	if (srv) {
		free(srv->conns);
		free(srv->pfds);
		free(srv->pidx);
		free(srv);
	}
	return NULL;
}

const char *rxs_http_addr(const struct rxs_http_server *srv)
{
	return srv->addr;
}

const struct rxs_http_stats *rxs_http_stats(const struct rxs_http_server *srv)
{
	return &srv->stats;
}

int rxs_http_nconns(const struct rxs_http_server *srv)
{
	return srv->nconns;
}

static void conn_close(struct rxs_http_server *srv, struct conn *c)
{
	close(c->fd);
	free(c->body);
	c->body = NULL;
	c->st = C_FREE;
	c->rlen = 0;
	srv->nconns--;
}

static void start_reading(struct rxs_http_server *srv, struct conn *c, double now)
{
	c->st = C_READING;
	c->since = now;
	c->deadline = now + srv->o.idle_s;
}

/* Queue a response: the head, then @body (taken over, freed later) or a short text. */
static void respond(struct rxs_http_server *srv, struct conn *c, int status, char *body,
		    size_t blen, const char *ctype, bool close_after, double now)
{
	if (!body) {
		char msg[128];

		blen = snprintf(msg, sizeof(msg), "%d %s\n", status, rxs_http_reason(status));
		body = strdup(msg);
		ctype = "text/plain; charset=utf-8";
		if (!body) {
			conn_close(srv, c);
			return;
		}
	}
	c->hlen = snprintf(c->head, sizeof(c->head),
			   "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s\r\n",
			   status, rxs_http_reason(status), ctype, blen,
			   status == 405 ? "Allow: GET\r\n" : "",
			   close_after ? "Connection: close\r\n" : "");
	c->body = body;
	c->blen = blen;
	c->woff = 0;
	c->close_after = close_after;
	c->st = C_WRITING;
	c->since = now;
	c->deadline = now + srv->o.idle_s;
	if (status / 100 < 6)
		srv->stats.status[status / 100]++;
}

/* Answer the request head at the start of the read buffer, if it is complete. */
static void handle_input(struct rxs_http_server *srv, struct conn *c, double now)
{
	struct rxs_http_req req;
	int ret = rxs_http_parse(c->rbuf, c->rlen, &req);

	if (ret == 0)
		return;
	if (ret < 0) {
		c->rlen = 0;
		respond(srv, c, -ret, NULL, 0, NULL, true, now);
		return;
	}
	/* keep what follows: the next pipelined request */
	memmove(c->rbuf, c->rbuf + ret, c->rlen - ret);
	c->rlen -= ret;
	if (strcmp(req.method, "GET")) {
		respond(srv, c, 405, NULL, 0, NULL, !req.keep_alive, now);
	} else {
		char *body = NULL;
		size_t blen = 0;
		const char *ctype = "text/plain; charset=utf-8";
		int st = srv->handler(srv->ctx, req.path, &body, &blen, &ctype);

		if (st != 200) {
			free(body);
			body = NULL;
		}
		respond(srv, c, st, body, blen, ctype, !req.keep_alive || st >= 500,
			rxs_now_sec());
	}
}

static void do_read(struct rxs_http_server *srv, struct conn *c, double now)
{
	ssize_t n = recv(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(srv, c);	/* the peer closed, or reset */
		return;
	}
	c->rlen += n;
	handle_input(srv, c, now);
}

static void do_drain(struct rxs_http_server *srv, struct conn *c)
{
	char junk[4096];
	ssize_t n = recv(c->fd, junk, sizeof(junk), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0)
		conn_close(srv, c);
}

static void do_write(struct rxs_http_server *srv, struct conn *c, double now)
{
	while (c->woff < c->hlen + c->blen) {
		struct iovec iov[2];
		struct msghdr mh = { .msg_iov = iov };
		ssize_t n;

		if (c->woff < c->hlen) {
			iov[mh.msg_iovlen].iov_base = c->head + c->woff;
			iov[mh.msg_iovlen++].iov_len = c->hlen - c->woff;
			iov[mh.msg_iovlen].iov_base = c->body;
			iov[mh.msg_iovlen++].iov_len = c->blen;
		} else {
			iov[mh.msg_iovlen].iov_base = c->body + (c->woff - c->hlen);
			iov[mh.msg_iovlen++].iov_len = c->blen - (c->woff - c->hlen);
		}
		n = sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n <= 0) {
			conn_close(srv, c);
			return;
		}
		c->woff += n;
	}
	free(c->body);
	c->body = NULL;
	if (c->close_after) {
		shutdown(c->fd, SHUT_WR);
		c->st = C_DRAINING;
		c->since = now;
		c->deadline = now + (srv->o.idle_s < DRAIN_S ? srv->o.idle_s : DRAIN_S);
		return;
	}
	start_reading(srv, c, now);
	/* a pipelined request may already be waiting in the buffer */
	if (c->rlen)
		handle_input(srv, c, now);
}

/* The slot for a new connection: a free one, else the longest-waiting reader's. */
static struct conn *slot_for_new(struct rxs_http_server *srv)
{
	struct conn *victim = NULL;

	for (int i = 0; i < srv->o.max_conns; i++) {
		struct conn *c = &srv->conns[i];

		if (c->st == C_FREE)
			return c;
		if (c->st == C_WRITING)
			continue;
		/* a draining connection goes first, then the longest-waiting reader */
		if (!victim || (c->st == C_DRAINING && victim->st != C_DRAINING) ||
		    (c->st == victim->st && c->since < victim->since))
			victim = c;
	}
	if (victim) {
		conn_close(srv, victim);
		srv->stats.evicted++;
	}
	return victim;
}

static void do_accept(struct rxs_http_server *srv, double now)
{
	for (int k = 0; k < 64; k++) {
		int fd = accept4(srv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;
		int one = 1;

		if (fd < 0) {
			/* out of descriptors or memory: the listening socket stays readable,
			 * so stop polling it for a moment rather than spin */
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM)
				srv->accept_pause = now + 0.1;
			return;
		}
		srv->stats.accepted++;
		c = slot_for_new(srv);
		if (!c) {		/* every slot is busy writing a response */
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		memset(c, 0, offsetof(struct conn, rbuf));
		c->fd = fd;
		srv->nconns++;
		start_reading(srv, c, now);
	}
}

int rxs_http_run(struct rxs_http_server *srv, volatile sig_atomic_t *stop,
		 const sigset_t *sigmask, void (*tick)(void *ctx), double tick_s)
{
	double next_tick = rxs_now_sec() + tick_s;

	while (!*stop) {
		double now = rxs_now_sec(), wake = next_tick;
		struct timespec ts;
		int n = 0, ret;

		/* a negative descriptor is skipped by ppoll(): accepting is paused */
		srv->pfds[n].fd = now < srv->accept_pause ? -1 : srv->lfd;
		srv->pfds[n].events = POLLIN;
		srv->pidx[n++] = -1;
		if (now < srv->accept_pause && srv->accept_pause < wake)
			wake = srv->accept_pause;
		for (int i = 0; i < srv->o.max_conns; i++) {
			struct conn *c = &srv->conns[i];

			if (c->st == C_FREE)
				continue;
			srv->pfds[n].fd = c->fd;
			srv->pfds[n].events = c->st == C_WRITING ? POLLOUT : POLLIN;
			srv->pidx[n++] = i;
			if (c->deadline < wake)
				wake = c->deadline;
		}
		if (wake < now)
			wake = now;
		ts.tv_sec = (time_t)(wake - now);
		ts.tv_nsec = (long)((wake - now - ts.tv_sec) * 1e9);
		ret = ppoll(srv->pfds, n, &ts, sigmask);
		if (ret < 0 && errno != EINTR)
			return -errno;
		if (*stop)
			break;
		now = rxs_now_sec();
		for (int k = 1; ret > 0 && k < n; k++) {
			struct conn *c = &srv->conns[srv->pidx[k]];
			short re = srv->pfds[k].revents;

			if (!re || c->st == C_FREE || c->fd != srv->pfds[k].fd)
				continue;
			if (c->st == C_READING && (re & (POLLIN | POLLHUP | POLLERR)))
				do_read(srv, c, now);
			else if (c->st == C_WRITING && (re & (POLLOUT | POLLHUP | POLLERR)))
				do_write(srv, c, now);
			else if (c->st == C_DRAINING)
				do_drain(srv, c);
		}
		if (ret > 0 && (srv->pfds[0].revents & POLLIN))
			do_accept(srv, now);
		now = rxs_now_sec();
		for (int i = 0; i < srv->o.max_conns; i++) {
			struct conn *c = &srv->conns[i];

			if (c->st != C_FREE && now >= c->deadline) {
				if (c->st != C_DRAINING)
					srv->stats.timeouts++;
				conn_close(srv, c);
			}
		}
		if (now >= next_tick) {
			if (tick)
				tick(srv->ctx);
			next_tick = rxs_now_sec() + tick_s;
		}
	}
	return 0;
}

void rxs_http_close(struct rxs_http_server *srv)
{
	if (!srv)
		return;
	for (int i = 0; i < srv->o.max_conns; i++)
		if (srv->conns[i].st != C_FREE)
			conn_close(srv, &srv->conns[i]);
	close(srv->lfd);
	free(srv->conns);
	free(srv->pfds);
	free(srv->pidx);
	free(srv);
}
