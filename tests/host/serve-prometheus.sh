#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# serve-prometheus.sh - `rxscope serve` on the host kernel, scraped every second by a real
# Prometheus server (Debian's, extracted by make deps into .cache/bin) on 127.0.0.1, and
# checked through Prometheus's HTTP API. Traffic: rxgen sends N datagrams at a known rate
# through a veth pair (as in trace-host.sh) whose receiver runs NAPI with GRO, so the
# tracepoint stages see them. `serve -o` writes its totals at the end, which give
# rxscope's own p99 of the same histograms. Checks: up stayed 1 and no scrape failed; the packet counter totals N
# and its rate() matches rxgen's rate within 2%; histogram_quantile(0.99) of the gro stage
# agrees with rxscope's p99 within the error of the exported buckets; promtool accepts a
# scrape; SIGTERM stops serve cleanly. Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$ROOT/.cache/bin:$PATH"
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}
RATE=${RATE:-1000}
SECS=${SECS:-10}
N=$((RATE * SECS))
NS=rxssp$$
RX=rxsp$$a TX=rxsp$$b
RX_IP=198.18.101.1 TX_IP=198.18.101.2
TMP=$(mktemp -d /tmp/rxs-serve-prom.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	wait 2> /dev/null
	ip link del "$RX" 2> /dev/null
	ip netns del "$NS" 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
for b in "$RXSCOPE" "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b is not built"; finish; }
done
for t in prometheus promtool curl ethtool; do
	command -v "$t" > /dev/null || { fail "prerequisite: $t is missing (make deps)"; finish; }
done

# A free TCP port on 127.0.0.1 for Prometheus's own web listener.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		[ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
	done
	echo 0
}
# One value of an instant query (the first series), or "none".
PROM=
query() { # query EXPR [TIME]
	local args=(--data-urlencode "query=$1")
	[ -n "${2:-}" ] && args+=(--data-urlencode "time=$2")
	curl -s -m 5 "http://$PROM/api/v1/query" "${args[@]}" |
		sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p' | head -n 1 | grep . || echo none
}

# scrape_window FROM TO: "T_LAST WINDOW_MS" for the first and last scrapes in [FROM, TO]
# (Unix seconds): a rate() evaluated at T_LAST over exactly WINDOW_MS starts and ends on a
# sample, so it is the counter's increase between two scrapes over their distance, with no
# extrapolation to the window's edges (which rate() limits toward zero for a per-CPU
# counter still young at the start, and which makes one late scrape count more)
scrape_window() {
	curl -s -m 5 "http://$PROM/api/v1/query" --data-urlencode "time=$2" \
		--data-urlencode 'query=up{job="rxscope"}[5m]' |
		grep -o '\[[0-9.]*,"1"\]' | tr -d '[' | cut -d, -f1 |
		awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b { if (f == "") f = $1; l = $1 }
			END { if (f != "" && l > f) printf "%.3f %d\n", l, (l - f) * 1000 + 0.5 }'
}

ip netns add "$NS" || { fail "create network namespace $NS"; finish; }
ip link add "$RX" type veth peer name "$TX" netns "$NS" || { fail "create veth pair"; finish; }
ip addr add "$RX_IP/24" dev "$RX"
ip link set "$RX" up
ip -n "$NS" addr add "$TX_IP/24" dev "$TX"
ip -n "$NS" link set "$TX" up
ip netns exec "$NS" ethtool -K "$TX" tso off gso off > /dev/null 2>&1
ethtool -K "$RX" gro off > /dev/null 2>&1
ethtool -K "$RX" gro on > /dev/null 2>&1
rx_mac=$(cat /sys/class/net/$RX/address)
tx_mac=$(ip netns exec "$NS" cat /sys/class/net/$TX/address)

"$RXSINK" --bind "$RX_IP" --port 9000 --count "$N" --idle 5 --timeout 60 \
	--ready-file "$TMP/sink.ready" --out "$TMP/sink.txt" > "$TMP/sink.log" 2>&1 &
PIDS+=($!)
"$RXSCOPE" serve --listen 127.0.0.1:0 --dev "$RX" --port 9000 --ready-file "$TMP/serve.ready" \
	-o "$TMP/serve.json" > "$TMP/serve.out" 2> "$TMP/serve.err" &
serve=$!
PIDS+=("$serve")
for _ in $(seq 150); do
	[ -s "$TMP/serve.ready" ] && [ -e "$TMP/sink.ready" ] && break
	sleep 0.1
done
ADDR=$(cat "$TMP/serve.ready" 2> /dev/null)
case $ADDR in
127.0.0.1:[0-9]*) pass "rxscope serve listens on $ADDR (the ready file names it)" ;;
*) fail "rxscope serve never became ready: $(cat "$TMP/serve.err")"; finish ;;
esac

PPORT=$(free_port)
PROM=127.0.0.1:$PPORT
cat > "$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $ROOT/docs/examples/rxscope-rules.yml
scrape_configs:
  - job_name: rxscope
    static_configs:
      - targets: ['$ADDR']
EOF
promtool check config "$TMP/prometheus.yml" > "$TMP/checkconfig.log" 2>&1 ||
	fail "promtool check config: $(cat "$TMP/checkconfig.log")"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
	--web.listen-address="$PROM" --log.level=warn > "$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
up=none
for _ in $(seq 150); do
	up=$(query 'up{job="rxscope"}')
	[ "$up" = 1 ] && break
	sleep 0.2
done
expect "Prometheus scrapes rxscope serve (up)" "$up" 1
sleep 1.5

# rxgen on one CPU: veth runs the receiver's NAPI on the sender's CPU, so the packets are
# counted in one per-CPU series. rate() limits its extrapolation toward the window's start
# for a counter that is still close to zero there (it assumes the counter started at 0),
# which a CPU that gets its first packets inside the window would be; sum(rate()) over
# such series reads low, not because a count is wrong.
t_start=$(date +%s.%N)
ip netns exec "$NS" taskset -c 0 "$RXGEN" --iface "$TX" --src-mac "$tx_mac" --dst-mac "$rx_mac" \
	--src-ip "$TX_IP" --dst-ip "$RX_IP" --dst-port 9000 --count "$N" --rate "$RATE" \
	--summary "$TMP/rxgen.sum" > "$TMP/rxgen.log" 2>&1
expect "rxgen sent $N datagrams at $RATE pps" "$?" 0
t_end=$(date +%s.%N)
# two more scrapes after the last packet
sleep 2.5

total=$(query 'sum(rxscope_funnel_packets_total{hook="gro"})')
expect "Prometheus: sum of rxscope_funnel_packets_total{hook=\"gro\"}" "$total" "$N"
count=$(query 'sum(rxscope_stage_latency_seconds_count{stage="gro"})')
expect "Prometheus: rxscope_stage_latency_seconds_count{stage=\"gro\"}" "$count" "$N"

# rate() over the middle of the send (between the first scrape 1 s after its start and the
# last one 0.5 s before its end), against the rate rxgen measured for itself
gen_rate=$(sed -n 's/^rate_pps=//p' "$TMP/rxgen.sum")
set -- $(scrape_window "$(echo "$t_start" | awk '{ printf "%.3f", $1 + 1 }')" \
	"$(echo "$t_end" | awk '{ printf "%.3f", $1 - 0.5 }')")
t_q=${1:-0} win_ms=${2:-0}
win="${win_ms}ms"
prate=$(query "sum(rate(rxscope_funnel_packets_total{hook=\"gro\"}[$win]))" "$t_q")
# rxgen paces to a schedule and catches up after a stall. When it fell behind, or sent in
# bursts (a scrape interval in the window with 15% more or fewer packets than its pace,
# while the total above is exact), its packets within the window are not its average
# rate, and nothing else measures them: the comparison is skipped, not passed.
bursts=$(curl -s -m 5 "http://$PROM/api/v1/query" --data-urlencode "time=$t_q" \
	--data-urlencode "query=rxscope_funnel_packets_total{hook=\"gro\",cpu=\"0\"}[$win]" |
	grep -o '\[[0-9.]*,"[0-9]*"\]' | tr -d '["]' |
	awk -F, -v r="$RATE" 'NR > 1 { x = ($2 - v) / ($1 - t) / r; if (x < 0.85 || x > 1.15) n++ }
		{ t = $1; v = $2 } END { print n + 0 }')
if awk -v g="$gen_rate" -v r="$RATE" -v b="$bursts" \
	'BEGIN { exit !((g > 0 && (r - g) / r > 0.01) || b > 0) }'; then
	skip "rxgen did not keep its pace ($gen_rate/s for $RATE/s; $bursts scrape intervals off by over 15%; load $(cut -d' ' -f1 /proc/loadavg)): the rate in the window has no reference"
	curl -s -m 5 "http://$PROM/api/v1/query" --data-urlencode "time=$t_q" \
		--data-urlencode "query=rxscope_funnel_packets_total{hook=\"gro\",cpu=\"0\"}[$win]" |
		grep -o '\[[0-9.]*,"[0-9]*"\]' | sed 's/^/    /'
elif awk -v p="$prate" -v g="$gen_rate" -v w="$win_ms" 'BEGIN { exit !(p != "none" && g > 0 &&
		w >= 4000 && (p - g) / g <= 0.02 && (g - p) / g <= 0.02) }'; then
	pass "rate() of the packet counter over ${win} ($prate/s) is within 2% of rxgen's ($gen_rate/s)"
else
	fail "rate() of the packet counter over ${win}: $prate/s, rxgen sent $gen_rate/s (> 2% apart, or a window under 4 s)"
	# the samples behind it, to tell a late scrape or a stalled sender from a wrong count
	curl -s -m 5 "http://$PROM/api/v1/query" --data-urlencode "time=$t_q" \
		--data-urlencode "query=rxscope_funnel_packets_total{hook=\"gro\"}[$((win_ms / 1000 + 2))s]" |
		grep -o '"cpu":"[0-9]*"\|\[[0-9.]*,"[0-9]*"\]' | sed 's/^/    /'
	echo "    load: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# p99 of the gro stage from Prometheus (compared below with rxscope's own, once serve
# has written its totals at SIGTERM)
pq=$(query 'histogram_quantile(0.99, sum by (le) (rxscope_stage_latency_seconds_bucket{stage="gro"}))')
rq=$(query 'histogram_quantile(0.99, sum by (le) (rate(rxscope_stage_latency_seconds_bucket{stage="gro"}[5s])))' \
	"$(echo "$t_end" | awk '{ printf "%.3f", $1 }')")
if awk -v p="$rq" 'BEGIN { exit !(p != "none" && p != "NaN" && p > 0) }'; then
	pass "the documented p99-over-rate query answers during traffic ($rq s)"
else
	fail "histogram_quantile over rate() gave '$rq'"
fi

# no failed scrape: up was 1 at every scrape, and there were scrapes every second
ups=$(query 'count_over_time(up{job="rxscope"}[1h])')
upmin=$(query 'min_over_time(up{job="rxscope"}[1h])')
expect "up stayed 1 at every scrape ($ups scrapes)" "$upmin" 1
if [ "$ups" != none ] && [ "$ups" -ge $((SECS + 3)) ]; then
	pass "Prometheus scraped every second ($ups scrapes)"
else
	fail "too few scrapes: $ups"
fi
health=$(curl -s -m 5 "http://$PROM/api/v1/targets" | grep -o '"health":"[a-z]*"' | head -n 1)
expect "the target's health" "$health" '"health":"up"'
series=$(query 'count({__name__=~"rxscope_.*"})')
echo "    series exported: $series"
if [ "$series" != none ] && [ "$series" -lt 2000 ]; then
	pass "bounded series count ($series)"
else
	fail "series count $series"
fi

# the operator files of docs/examples: the rules run in this Prometheus without error and
# the recording rule has values; the example config and the systemd unit check out
rules=$(curl -s -m 5 "http://$PROM/api/v1/rules")
nrules=$(echo "$rules" | grep -o '"health":"[a-z]*"' | grep -c '"health":"ok"')
nbad=$(echo "$rules" | grep -o '"health":"[a-z]*"' | grep -vc '"health":"ok"')
if [ "$nrules" -ge 9 ] && [ "$nbad" = 0 ]; then
	pass "the example rules load and evaluate in Prometheus ($nrules rules healthy)"
else
	fail "example rules: $nrules healthy, $nbad not: $(echo "$rules" | head -c 400)"
fi
p99rec=$(query 'rxscope:stage_latency_seconds:p99_5m{stage="gro"}')
if awk -v p="$p99rec" 'BEGIN { exit !(p != "none" && p != "NaN" && p > 0) }'; then
	pass "the recording rule rxscope:stage_latency_seconds:p99_5m has the gro stage ($p99rec s)"
else
	fail "recording rule rxscope:stage_latency_seconds:p99_5m{stage=\"gro\"}: $p99rec"
fi
promtool check rules "$ROOT/docs/examples/rxscope-rules.yml" > "$TMP/rules.log" 2>&1 &&
	pass "promtool check rules docs/examples/rxscope-rules.yml" ||
	fail "promtool check rules: $(cat "$TMP/rules.log")"
promtool check config "$ROOT/docs/examples/prometheus.yml" > "$TMP/config.log" 2>&1 &&
	pass "promtool check config docs/examples/prometheus.yml" ||
	fail "promtool check config: $(cat "$TMP/config.log")"
if command -v systemd-analyze > /dev/null; then
	# verify wants the ExecStart binary to exist: point it at this build
	sed "s#/usr/local/bin/rxscope#$RXSCOPE#" "$ROOT/docs/examples/rxscope-serve.service" \
		> "$TMP/rxscope-serve.service"
	if systemd-analyze verify "$TMP/rxscope-serve.service" > "$TMP/verify.log" 2>&1 &&
	   [ ! -s "$TMP/verify.log" ]; then
		pass "systemd-analyze verify accepts docs/examples/rxscope-serve.service"
	else
		fail "systemd-analyze verify: $(cat "$TMP/verify.log")"
	fi
else
	skip "systemd-analyze is not installed: the unit file was not verified"
fi

curl -s -m 5 "http://$ADDR/metrics" > "$TMP/scrape.prom"
# SCRAPE_COPY=FILE keeps this scrape (docs/prometheus.md quotes one)
[ -n "${SCRAPE_COPY:-}" ] && cp "$TMP/scrape.prom" "$SCRAPE_COPY"
if promtool check metrics < "$TMP/scrape.prom" > "$TMP/promtool.log" 2>&1; then
	pass "promtool check metrics accepts a scrape"
else
	fail "promtool check metrics: $(head -c 600 "$TMP/promtool.log")"
fi

kill -TERM "$serve"
t0=$SECONDS
wait "$serve"
expect "rxscope serve exits 0 on SIGTERM" "$?" 0
[ $((SECONDS - t0)) -le 3 ] && pass "  ... within 3 s" || fail "SIGTERM took $((SECONDS - t0)) s"
grep -q 'stopped after' "$TMP/serve.err" && pass "  ... and says how many scrapes it answered" ||
	fail "no stop message: $(tail -n 3 "$TMP/serve.err")"
curl -s -m 2 "http://$ADDR/metrics" > /dev/null && fail "the port still answers after SIGTERM" ||
	pass "the port is closed after SIGTERM"

# rxscope's own p99 of the same histograms (serve -o wrote them at SIGTERM; no datagram
# came after the query) is within 1/8 of the truth (log-linear buckets); Prometheus's lies
# in the exported bucket [2^e - 1, 2^(e+1) - 1] ns that holds the truth. So Prometheus's
# value must lie between the exported bounds around [own / 1.125, own * 1.125].
"$RXSCOPE" report "$TMP/serve.json" > "$TMP/report.txt" 2>&1
expect "serve -o wrote a recording that report reads" "$?" 0
# gro's p99 in seconds, from the recording's summary; none when it has none
own=$(jq -r '[.stages[] | select(.name == "gro") | .summary.p99 | numbers] |
	if length == 1 then .[0] / 1e9 else "none" end' "$TMP/serve.json" 2> /dev/null)
own=${own:-none}
span=$(awk -v o="$own" 'BEGIN { lo = 0; hi = 0
	for (e = 6; e <= 35; e++) { b = (2 ^ e - 1) * 1e-9
		if (b <= o / 1.125) lo = b; if (!hi && b >= o * 1.125) hi = b }
	printf "%.9g %.9g", lo, hi }')
if [ "$own" = none ]; then
	fail "the recording of serve -o has no p99 of gro"
elif awk -v p="$pq" -v s="$span" 'BEGIN { split(s, b, " ")
		exit !(p != "none" && b[2] > 0 && p >= b[1] && p <= b[2]) }'; then
	pass "histogram_quantile(0.99) of gro ($pq s) agrees with rxscope's p99 ($own s): within the exported buckets [$span] s"
else
	fail "histogram_quantile(0.99) of gro is $pq s, outside [$span] s around rxscope's own p99 $own s"
	sed 's/^/    /' "$TMP/report.txt"
fi
finish
