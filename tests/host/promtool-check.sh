#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `rxscope record --format prom` on this host kernel, checked by `promtool check metrics`
# (Debian's `prometheus` package ships promtool). Skips when promtool is missing; the unit
# test test_export also runs promtool on a fully populated synthetic recording.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# make deps extracts promtool into .cache/bin.
export PATH="$top/.cache/bin:$PATH"
rxscope=${RXSCOPE:-$top/build/rxscope}
if ! command -v promtool >/dev/null 2>&1; then
	echo "SKIP: promtool not found (make deps puts it in .cache/bin)"
	exit 0
fi
[ -x "$rxscope" ] || { echo "FAIL: $rxscope not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# some loopback UDP so that the softirq stages have events
( for _ in $(seq 200); do echo x > /dev/udp/127.0.0.1/9; sleep 0.005; done ) 2>/dev/null &
if "$rxscope" record -o "$tmp/run.prom" --format prom -d 2 > "$tmp/record.log" 2>&1; then
	echo "PASS: rxscope record --format prom exits 0"
else
	echo "FAIL: rxscope record --format prom failed:"; cat "$tmp/record.log"
	exit 1
fi
wait
if promtool check metrics < "$tmp/run.prom" > "$tmp/promtool.log" 2>&1; then
	echo "PASS: promtool check metrics accepts the exposition"
else
	echo "FAIL: promtool check metrics:"; cat "$tmp/promtool.log"
fi
for m in rxscope_info rxscope_stage_available rxscope_stage_latency_seconds_bucket \
	rxscope_stage_latency_seconds_count rxscope_cpu_hardirqs_total \
	rxscope_funnel_packets_total rxscope_softnet_processed_total; do
	if grep -q "^$m" "$tmp/run.prom"; then
		echo "PASS: $m present"
	else
		echo "FAIL: $m missing from the exposition"
	fi
done
# the +Inf bucket of every latency histogram equals its _count
if awk -F'[{}" ]+' '
	/^rxscope_stage_latency_seconds_bucket/ && /le="\+Inf"/ { inf[$3] = $NF }
	/^rxscope_stage_latency_seconds_count/ { cnt[$3] = $NF }
	END { for (s in cnt) if (inf[s] != cnt[s]) exit 1; exit 0 }' "$tmp/run.prom"; then
	echo "PASS: +Inf bucket equals _count for every stage"
else
	echo "FAIL: a +Inf bucket differs from its _count"
fi
