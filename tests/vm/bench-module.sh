#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rxscope_igb's benchmark (make bench, not a test): the maximum receive rate, in frames per
# second handed to the stack, of rxscope_igb and of the in-tree igb in the same VM run,
# RUNS runs each (default 3). Prints the median of each driver and their ratio; the raw
# figures are in results/module-bench/bench.txt.
#
# Usage: tests/vm/bench-module.sh [RUNS] [WINDOW_SEC]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
window=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench-module: RUNS must be a positive integer" >&2; exit 2; }
[[ $window =~ ^[1-9][0-9]*$ ]] || { echo "bench-module: WINDOW must be a positive integer" >&2; exit 2; }
out=$top/results/module-bench

"$top/tests/vm/run-vm.sh" --out "$out" --timeout $((120 + runs * 2 * (window + 40))) \
	--env RUNS="$runs" --env WINDOW="$window" module-bench

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
igb=$(awk '$1 == "igb" { print $3 }' "$out/bench.txt" | median)
ours=$(awk '$1 == "rxscope_igb" { print $3 }' "$out/bench.txt" | median)
[ -n "$igb" ] && [ -n "$ours" ] && [ "$igb" -gt 0 ] ||
	{ echo "bench-module: no usable figures in $out/bench.txt" >&2; exit 1; }
ratio=$(awk -v a="$ours" -v b="$igb" 'BEGIN { printf "%.2f", a / b }')
{
	echo "max receive rate, 64-byte UDP payloads, 16 flows, median of $runs runs of ${window} s:"
	printf '  %-12s %10s pps\n' igb "$igb" rxscope_igb "$ours"
	echo "  ratio rxscope_igb / igb: $ratio"
} | tee "$out/summary.txt"
