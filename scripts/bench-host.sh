#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-host.sh - part of `make bench`: the BPF programs' cost per event on this machine's
# own CPU and kernel (no emulation), from `rxscope record --stats` while UDP traffic
# crosses a veth pair into a private network namespace's peer (receiver in the root
# namespace, GRO on, as in tests/host/trace-host.sh). Only the programs that this kernel
# can run are measured (tracepoints on a kernel without fentry and kprobes).
# Usage: bench-host.sh [COUNT] (default 20000 datagrams at RATE, default 10000 pps);
# BY=queue or BY=cpu records with --by (the split's cost per event).
# Result: results/bench-host.txt.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-20000}
rate=${RATE:-10000}
NS=rxsbh$$
RX=rxsb$$a TX=rxsb$$b
RX_IP=198.18.101.1 TX_IP=198.18.101.2
TMP=$(mktemp -d /tmp/rxs-bench-host.XXXXXX)
out=$top/results/bench-host.txt
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
	ip link del "$RX" 2> /dev/null
	ip netns del "$NS" 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] || { echo "bench-host: must run as root" >&2; exit 2; }
mkdir -p "$top/results"
ip netns add "$NS" && ip link add "$RX" type veth peer name "$TX" netns "$NS" || exit 1
ip addr add "$RX_IP/24" dev "$RX" && ip link set "$RX" up
ip -n "$NS" addr add "$TX_IP/24" dev "$TX" && ip -n "$NS" link set "$TX" up
ip netns exec "$NS" ethtool -K "$TX" tso off gso off > /dev/null 2>&1
ethtool -K "$RX" gro off > /dev/null 2>&1
ethtool -K "$RX" gro on > /dev/null 2>&1

"$top/build/rxsink" --bind "$RX_IP" --port 9000 --count "$count" --idle 3 --timeout 120 \
	--rcvbuf 33554432 --ready-file "$TMP/sink.ready" --out "$TMP/sink.txt" > /dev/null 2>&1 &
sink=$!
pids+=("$sink")
# shellcheck disable=SC2046
"$top/build/rxscope" record -o "$TMP/rec.json" --dev "$RX" --port 9000 --stats \
	$([ -n "${BY:-}" ] && echo "--by $BY") --ready-file "$TMP/rec.ready" > "$TMP/rec.log" 2>&1 &
rec=$!
pids+=("$rec")
for _ in $(seq 100); do
	[ -e "$TMP/rec.ready" ] && [ -e "$TMP/sink.ready" ] && break
	sleep 0.1
done
ip netns exec "$NS" "$top/build/rxgen" --iface "$TX" \
	--src-mac "$(ip netns exec "$NS" cat /sys/class/net/$TX/address)" \
	--dst-mac "$(cat /sys/class/net/$RX/address)" --src-ip "$TX_IP" --dst-ip "$RX_IP" \
	--dst-port 9000 --count "$count" --rate "$rate" --flows 8 > "$TMP/gen.log" 2>&1
wait "$sink"
kill -INT "$rec"
wait "$rec"
{
	echo "bench-host: $count datagrams at $rate pps over veth${BY:+, --by $BY}, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "  received: $(sed -n 's/^received=//p' "$TMP/sink.txt")"
	sed -n '/^BPF overhead/,$p' "$TMP/rec.log" | sed 's/^/  /'
	awk '/^PROGRAM/ { on = 1; next } on && NF == 4 && $2 > 0 {
		n++; if ($3 > max) { max = $3; worst = $1 } }
		END { if (n) printf "  programs that ran: %d, highest mean ns/event: %s (%s)\n", n, max, worst }' \
		"$TMP/rec.log"
} | tee "$out"
