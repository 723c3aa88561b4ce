#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: receive-rate benchmarks in the VM, each reported as a ratio against a
# reference measured in the same run (medians of RUNS interleaved runs):
#   rxscope_igb / in-tree igb                 (64-byte payloads, 8 flows, full speed)
#   rxscope_igb traced / rxscope_igb untraced (rxscope record running)
# Usage: bench.sh [RUNS] (default 5). Results: results/bench-rx/, summary in summary.txt.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 ]] || { echo "bench: RUNS must be a positive number" >&2; exit 2; }
modes="igb rxscope_igb rxscope_igb+trace"
[ -f "$top/module/rxscope_igb.ko" ] || modes="igb igb+trace"
out=$top/results/bench-rx
log=$top/results/bench-rx.log
bash "$top/tests/vm/run-vm.sh" --env "RUNS=$runs" --env "MODES=$modes" bench-rx 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
accel=$(grep -oE '\((tcg|kvm),' "$log" | tr -d '(,' | head -n 1)

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A med smed
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
{
	echo "bench: $runs runs per mode, $(date -u +%Y-%m-%dT%H:%MZ), accel $accel"
	echo "  rates in pps; link = frames the driver handed to the stack, socket = datagrams read"
	for m in $modes; do
		vals=$(for r in $(seq "$runs"); do sed -n 's/^link_pps=//p' "$out/link-$r-$m.txt"; done)
		svals=$(for r in $(seq "$runs"); do sed -n 's/^rate_pps=//p' "$out/sink-$r-$m.txt"; done)
		med[$m]=$(echo "$vals" | median)
		smed[$m]=$(echo "$svals" | median)
		printf '  %-18s link median %8.0f  socket median %8.0f   link runs: %s\n' \
			"$m" "${med[$m]}" "${smed[$m]}" "$(echo $vals)"
	done
	if [ -n "${med[rxscope_igb]:-}" ]; then
		echo "  rxscope_igb / igb (link):               $(ratio "${med[rxscope_igb]}" "${med[igb]}")"
		echo "  rxscope_igb / igb (socket):             $(ratio "${smed[rxscope_igb]}" "${smed[igb]}")"
		echo "  traced / untraced, rxscope_igb (link):  $(ratio "${med[rxscope_igb+trace]}" "${med[rxscope_igb]}")"
		echo "  traced / untraced, rxscope_igb (socket): $(ratio "${smed[rxscope_igb+trace]}" "${smed[rxscope_igb]}")"
	else
		echo "  traced / untraced, igb (link):          $(ratio "${med[igb+trace]}" "${med[igb]}")"
		echo "  traced / untraced, igb (socket):        $(ratio "${smed[igb+trace]}" "${smed[igb]}")"
	fi
} | tee "$out/summary.txt"
