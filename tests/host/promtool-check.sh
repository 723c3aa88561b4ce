#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `rxscope record --format prom` on this host kernel, checked by `promtool check metrics`
# (Debian's `prometheus` package ships promtool). Skips when promtool is missing; the unit
# test test_export also runs promtool on a fully populated synthetic recording. Then the
# same with --by cpu: the split loads on this kernel and its families pass promtool.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
# make deps extracts promtool into .cache/bin.
export PATH="$top/.cache/bin:$PATH"
rxscope=${RXSCOPE:-$top/build/rxscope}
if ! command -v promtool >/dev/null 2>&1; then
	skip "promtool not found (make deps puts it in .cache/bin)"
	finish
fi
[ -x "$rxscope" ] || { fail "$rxscope not built"; finish; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# some loopback UDP so that the softirq stages have events
( for _ in $(seq 200); do echo x > /dev/udp/127.0.0.1/9; sleep 0.005; done ) 2>/dev/null &
if "$rxscope" record -o "$tmp/run.prom" --format prom -d 2 > "$tmp/record.log" 2>&1; then
	pass "rxscope record --format prom exits 0"
else
	fail "rxscope record --format prom failed:"; cat "$tmp/record.log"
	finish
fi
wait
if promtool check metrics < "$tmp/run.prom" > "$tmp/promtool.log" 2>&1; then
	pass "promtool check metrics accepts the exposition"
else
	fail "promtool check metrics:"; cat "$tmp/promtool.log"
fi
for m in rxscope_info rxscope_stage_available rxscope_stage_latency_seconds_bucket \
	rxscope_stage_latency_seconds_count rxscope_cpu_hardirqs_total \
	rxscope_funnel_packets_total rxscope_softnet_processed_total; do
	if grep -q "^$m" "$tmp/run.prom"; then
		pass "$m present"
	else
		fail "$m missing from the exposition"
	fi
done
# the +Inf bucket of every latency histogram equals its _count
if awk -F'[{}" ]+' '
	/^rxscope_stage_latency_seconds_bucket/ && /le="\+Inf"/ { inf[$3] = $NF }
	/^rxscope_stage_latency_seconds_count/ { cnt[$3] = $NF }
	END { for (s in cnt) if (inf[s] != cnt[s]) exit 1; exit 0 }' "$tmp/run.prom"; then
	pass "+Inf bucket equals _count for every stage"
else
	fail "a +Inf bucket differs from its _count"
fi

# --by cpu on this kernel: the split loads (the verifier takes its programs), and its
# families pass promtool, with each CPU's packets adding up to the netif_receive funnel
( for _ in $(seq 200); do echo x > /dev/udp/127.0.0.1/9; sleep 0.005; done ) 2>/dev/null &
if "$rxscope" record -o "$tmp/by.prom" --format prom --by cpu -d 2 > "$tmp/by.log" 2>&1; then
	pass "rxscope record --format prom --by cpu exits 0"
else
	fail "rxscope record --format prom --by cpu failed:"; cat "$tmp/by.log"
fi
wait
if promtool check metrics < "$tmp/by.prom" > "$tmp/promtool.log" 2>&1; then
	pass "promtool check metrics accepts the --by cpu exposition"
else
	fail "promtool check metrics (--by cpu):"; cat "$tmp/promtool.log"
fi
by=$(awk '/^rxscope_packets_by_cpu_total/ { s += $NF } END { print s + 0 }' "$tmp/by.prom")
fun() { awk -v h="hook=\"$1\"" '/^rxscope_funnel_packets_total/ && index($0, h) { s += $NF }
	END { print s + 0 }' "$tmp/by.prom"; }
# a packet is counted where it starts being followed: at GRO, or at netif_receive_skb
# (loopback has no GRO); so between the netif_receive count and that plus GRO's
nrx=$(fun netif_receive) gro=$(fun gro)
if [ "$by" -gt 0 ] && [ "$by" -ge "$nrx" ] && [ "$by" -le $((nrx + gro)) ]; then
	pass "rxscope_packets_by_cpu_total ($by) counts the packets followed (netif_receive $nrx, gro $gro)"
else
	fail "rxscope_packets_by_cpu_total ($by) against the funnel (netif_receive $nrx, gro $gro)"
fi
finish
