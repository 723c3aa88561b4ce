#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# serve-http.sh - the HTTP side of `rxscope serve` under load and bad input, on the host
# kernel. Load: 1,000 scrapes at a concurrency of 20 (curl --parallel) all answer 200 with
# a whole exposition, and the server's RSS stays within 5%. Bad input, each on its own
# connection: an oversized header (431), a request line without a version (400),
# pipelined requests (answered in order), a half-open connection held past the idle limit
# (closed by the server), 100 idle connections at once (the scrape still gets in), and
# more (405, 404, 505, 501, 414, a body, no Host, binary junk, slowloris). A scrape is
# checked after every case, and the server must still be alive and stop on SIGTERM.
# Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$ROOT/.cache/bin:$PATH"
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
SCRAPES=${SCRAPES:-1000}
CONC=${CONC:-20}
IDLE=2		# --idle-timeout of the server under test
MAXC=64		# --max-conns
TMP=$(mktemp -d /tmp/rxs-serve-http.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	wait 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
[ -x "$RXSCOPE" ] || { fail "prerequisite: $RXSCOPE is not built"; finish; }
command -v curl > /dev/null || { fail "prerequisite: curl is missing (make deps)"; finish; }

"$RXSCOPE" serve --listen 127.0.0.1:0 --idle-timeout "$IDLE" --max-conns "$MAXC" \
	--ready-file "$TMP/ready" > "$TMP/serve.out" 2> "$TMP/serve.err" &
serve=$!
PIDS+=("$serve")
for _ in $(seq 150); do [ -s "$TMP/ready" ] && break; sleep 0.1; done
ADDR=$(cat "$TMP/ready" 2> /dev/null)
HOST=${ADDR%:*} PORT=${ADDR##*:}
[ -n "$ADDR" ] || { fail "rxscope serve never became ready: $(cat "$TMP/serve.err")"; finish; }
URL=http://$ADDR/metrics

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$serve/status"; }
# CPU time (user + system) of the server in clock ticks
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$serve/stat"; }
# scrape_ok LABEL: a fresh scrape answers 200 with a whole exposition
scrape_ok() {
	local code
	code=$(curl -s -m 5 -o "$TMP/s.prom" -w '%{http_code}' "$URL")
	if [ "$code" = 200 ] && grep -q '^rxscope_http_connections_open ' "$TMP/s.prom"; then
		pass "  ... the scrape still works $1"
	else
		fail "the scrape failed $1 (status $code)"
	fi
}
metric() { grep "^$1 " "$TMP/s.prom" | awk '{ print $NF }'; }
# raw PAYLOAD [SECS]: send PAYLOAD (printf %b escapes) on a new connection and print what
# comes back until the server closes, or SECS (default 3) pass
raw() {
	local fd
	exec {fd}<> "/dev/tcp/$HOST/$PORT" || return 1
	printf '%b' "$1" >&"$fd" 2> /dev/null
	timeout "${2:-3}" cat <&"$fd"
	exec {fd}>&-
}
status_of() { head -n 1 | tr -d '\r' | awk '{ print $2 }'; }

# --- load ----------------------------------------------------------------------------------
for _ in $(seq "$SCRAPES"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done > "$TMP/curl.cfg"
# warm-up at the same concurrency: the kernel BTF read by the first scrape, the connection
# slots and the allocator's arenas reach their working size; what grows after is a leak
head -n $((2 * 100)) "$TMP/curl.cfg" > "$TMP/warm.cfg"
curl -s --parallel --parallel-max "$CONC" -K "$TMP/warm.cfg" > /dev/null 2>&1
rss0=$(rss_kb)
cpu0=$(cpu_ticks)
t0=$(date +%s.%N)
curl -s --parallel --parallel-max "$CONC" -K "$TMP/curl.cfg" \
	-w '%{http_code} %{size_download}\n' > "$TMP/load.txt" 2> "$TMP/load.err"
t1=$(date +%s.%N)
rss1=$(rss_kb)
cpu1=$(cpu_ticks)
ok=$(awk '$1 == 200 && $2 > 5000' "$TMP/load.txt" | wc -l)
expect "$SCRAPES scrapes at concurrency $CONC all answered 200 with a whole body" "$ok" "$SCRAPES"
echo "    $SCRAPES scrapes in $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s; RSS ${rss0} kB -> ${rss1} kB;" \
	"server CPU $(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" -v n="$SCRAPES" \
	'BEGIN { printf "%.2f ms", (b - a) * 1000 / hz / n }') per scrape"
if [ -n "$rss0" ] && [ -n "$rss1" ] && [ $((rss1 * 100)) -le $((rss0 * 105)) ]; then
	pass "RSS flat within 5% over the load (${rss0} -> ${rss1} kB)"
else
	fail "RSS grew more than 5%: ${rss0} -> ${rss1} kB"
fi
curl -s -m 5 -o "$TMP/s.prom" "$URL"
acc=$(metric 'rxscope_http_connections_total{event="accepted"}')
if [ "${acc:-0}" -ge "$CONC" ]; then
	pass "the load came over at least $CONC connections ($acc accepted)"
else
	fail "only ${acc:-0} connections accepted: the load was not concurrent"
fi

# --- bad input -----------------------------------------------------------------------------
big=$(head -c 10000 /dev/zero | tr '\0' a)
expect "an oversized header gets 431" \
	"$(raw "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: $big\r\n\r\n" | status_of)" 431
scrape_ok "after the oversized header"
expect "a request line without a version gets 400" \
	"$(raw 'GET /metrics\r\n\r\n' | status_of)" 400
scrape_ok "after the request without a version"

raw 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
	> "$TMP/pipe.txt"
expect "two pipelined requests get two 200 responses" \
	"$(grep -c $'^HTTP/1.1 200 OK\r$' "$TMP/pipe.txt")" 2
expect "  ... each with a whole exposition" \
	"$(grep -c '^rxscope_http_connections_open ' "$TMP/pipe.txt")" 2
scrape_ok "after the pipelined requests"

# half-open: a request that never ends, held past the idle limit
exec {hfd}<> "/dev/tcp/$HOST/$PORT"
printf 'GET /metr' >&"$hfd"
scrape_ok "while a half-open request is held"
sleep $((IDLE + 1))
t0=$SECONDS
got=$(timeout 5 cat <&"$hfd" | wc -c)
exec {hfd}>&-
if [ $((SECONDS - t0)) -le 1 ]; then
	pass "a half-open request held past the idle limit is closed by the server ($got bytes)"
else
	fail "the half-open connection was still open $((IDLE + 1 + SECONDS - t0)) s later"
fi
curl -s -m 5 -o "$TMP/s.prom" "$URL"
to=$(metric 'rxscope_http_connections_total{event="timed_out"}')
[ "${to:-0}" -ge 1 ] && pass "  ... and counted as timed out ($to)" || fail "no timed_out count"

# slowloris: one byte every 0.4 s never makes a request before the deadline
( trap '' PIPE
  exec {sfd}<> "/dev/tcp/$HOST/$PORT"
  for c in G E T ' ' / m e t r i c s ' ' H T T P; do
	printf '%s' "$c" >&"$sfd" 2> /dev/null || exit 0
	sleep 0.4
  done
  exit 1 ) 2> /dev/null
expect "a slowloris client is cut off at the idle limit" "$?" 0
scrape_ok "after the slowloris client"

# 100 idle connections: more than --max-conns; the newest take the oldest idle slots
fds=()
for _ in $(seq 100); do
	exec {fd}<> "/dev/tcp/$HOST/$PORT" && fds+=("$fd")
done
expect "100 idle connections opened" "${#fds[@]}" 100
sleep 0.3
scrape_ok "with 100 idle connections open"
open=$(metric rxscope_http_connections_open)
ev=$(metric 'rxscope_http_connections_total{event="evicted"}')
if [ "${open:-999}" -le "$MAXC" ] && [ "${ev:-0}" -ge $((100 - MAXC)) ]; then
	pass "  ... the server holds at most $MAXC ($open open, $ev idle ones evicted)"
else
	fail "connections open: $open (limit $MAXC), evicted: $ev"
fi
for fd in "${fds[@]}"; do exec {fd}>&-; done

expect "POST gets 405" "$(raw 'POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | status_of)" 405
expect "HEAD gets 405 (GET only)" "$(raw 'HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | status_of)" 405
expect "an unknown path gets 404" "$(raw 'GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | status_of)" 404
expect "HTTP/2.0 gets 505" "$(raw 'GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n' | status_of)" 505
expect "Transfer-Encoding gets 501" "$(raw 'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' | status_of)" 501
expect "a request body gets 400" "$(raw 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' | status_of)" 400
expect "HTTP/1.1 without Host gets 400" "$(raw 'GET /metrics HTTP/1.1\r\n\r\n' | status_of)" 400
expect "a folded header line gets 400" "$(raw 'GET /metrics HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n' | status_of)" 400
long=$(head -c 300 /dev/zero | tr '\0' b)
expect "a 300-byte path gets 414" "$(raw "GET /$long HTTP/1.1\r\nHost: x\r\n\r\n" | status_of)" 414
expect "binary junk gets 400" "$(raw '\x00\x01\x02\xff\xfe\r\n\r\n' | status_of)" 400
expect "HTTP/1.0 without Host gets 200" "$(raw 'GET /metrics HTTP/1.0\r\n\r\n' | status_of)" 200
expect "a query string is ignored" "$(raw 'GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | status_of)" 200
scrape_ok "after the malformed requests"

kill -0 "$serve" 2> /dev/null && pass "rxscope serve is still running" || fail "rxscope serve died"

# usage errors: exit 2 with a message naming the problem, before anything is attached
usage() { # usage LABEL WANT-IN-MESSAGE ARGS...
	local label=$1 want=$2 out rc
	shift 2
	out=$("$RXSCOPE" serve "$@" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && echo "$out" | grep -q -- "$want"; then
		pass "serve $label: exit 2, '$want'"
	else
		fail "serve $label: exit $rc, message: $(echo "$out" | head -n 2)"
	fi
}
usage "--listen :9941" "0.0.0.0:PORT" --listen :9941
usage "--listen with a host name" "numeric address" --listen example.org:80
usage "--listen port 70000" "port 0..65535" --listen 127.0.0.1:70000
usage "--max-conns 0" "want 1..4096" --max-conns 0
usage "--idle-timeout 0" "want 0.1..3600" --idle-timeout 0
usage "on a port already in use" "failed to listen on $ADDR" --listen "$ADDR" -d 1
usage "with an argument" "unexpected argument" extra
usage "with --sample (serve follows every packet)" "unrecognized option" --sample 10
kill -TERM "$serve"
wait "$serve"
expect "rxscope serve exits 0 on SIGTERM" "$?" 0

# without --listen: 127.0.0.1:9941, this host only
if [ -n "$(ss -Hltn 'sport = :9941')" ]; then
	skip "port 9941 is taken here: the default address was not checked"
else
	"$RXSCOPE" serve -d 30 --ready-file "$TMP/ready2" > /dev/null 2> "$TMP/serve2.err" &
	s2=$!
	PIDS+=("$s2")
	for _ in $(seq 150); do [ -s "$TMP/ready2" ] && break; sleep 0.1; done
	expect "the default address (ready file)" "$(cat "$TMP/ready2" 2> /dev/null)" 127.0.0.1:9941
	expect "  ... the only socket listening on port 9941" \
		"$(ss -Hltn 'sport = :9941' | awk '{ print $4 }' | tr '\n' ' ')" "127.0.0.1:9941 "
	kill -TERM "$s2"
	wait "$s2"
fi
finish
