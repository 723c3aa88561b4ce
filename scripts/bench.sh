#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: receive-rate benchmarks in the VM, each reported as a ratio against a
# reference measured in the same run (medians of RUNS interleaved runs):
#   rxscope_igb / in-tree igb                 (64-byte payloads, 8 flows, full speed)
#   rxscope_igb with a tracer / untraced, for each tracer mode:
#     floor   the hooks of the every-packet tracer, with programs that only return
#     trace   rxscope record, every packet followed
#     sample  rxscope record --sample 10
#     nf      rxscope record --detail nf (optional: MODES="rxscope_igb rxscope_igb+trace
#             rxscope_igb+nf"; nf / trace is the split's own cost)
#     byqueue, bycpu  rxscope record --by queue / --by cpu (optional, as nf; byqueue /
#             trace is the cost of the per-queue split)
#     pktfloor  every hook, the per-packet programs only return (what the hooks inside
#             the poll add to it, whatever the programs do)
#     poll    rxscope record with only the poll hooks (reference for the poll stage)
#     serve   rxscope serve, nobody scraping
#     scrape  rxscope serve, scraped once a second (scrape / serve: the cost of a scrape)
#   and the poll stage's p50 in each traced mode (the tracer's observer effect).
# Usage: bench.sh [RUNS] (default 5); MODES="..." overrides the mode list, DURATION=SEC the
# seconds of traffic per measurement (default 5; --sample 10 opens a window of 3 s every
# 30 s, so its cost is measured with DURATION=30 or more).
# Results: results/bench-rx/, summary in summary.txt.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 ]] || { echo "bench: RUNS must be a positive number" >&2; exit 2; }
drv=rxscope_igb
[ -f "$top/module/rxscope_igb.ko" ] || drv=igb
default_modes="igb $drv+floor $drv+trace $drv+sample $drv+pktfloor $drv+poll $drv+serve $drv+scrape"
[ "$drv" = rxscope_igb ] && default_modes="igb rxscope_igb ${default_modes#igb }"
modes=${MODES:-$default_modes}
# the serve modes need the management NIC that the host scrapes through
mgmt=()
case " $modes" in *+serve*|*+scrape*) mgmt=(--mgmt-net) ;; esac
out=$top/results/bench-rx
log=$top/results/bench-rx.log
mkdir -p "$top/results"
bash "$top/tests/vm/run-vm.sh" "${mgmt[@]}" --env "RUNS=$runs" --env "MODES=$modes" \
	--env "DURATION=${DURATION:-5}" bench-rx 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
accel=$(grep -oE '\((tcg|kvm),' "$log" | tr -d '(,' | head -n 1)

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "nan" }'; }
# poll_p50 FILE: the poll stage's p50 in ns from a recording, empty when it has none
poll_p50() {
	"$top/build/rxscope" report "$1" 2> /dev/null | awk '$1 == "poll" && $2 ~ /^[0-9]+$/ && $2 > 0 {
		v = $3; m = 1
		if (v ~ /ns$/) sub(/ns$/, "", v)
		else if (v ~ /us$/) { sub(/us$/, "", v); m = 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); m = 1000000 }
		else if (v ~ /s$/) { sub(/s$/, "", v); m = 1000000000 }
		printf "%d\n", v * m; exit }'
}
declare -A med smed pmed
{
	echo "bench: $runs runs per mode, $(date -u +%Y-%m-%dT%H:%MZ), accel $accel"
	echo "  rates in pps; link = frames the driver handed to the stack, socket = datagrams read"
	for m in $modes; do
		vals=$(for r in $(seq "$runs"); do sed -n 's/^link_pps=//p' "$out/link-$r-$m.txt"; done)
		svals=$(for r in $(seq "$runs"); do sed -n 's/^rate_pps=//p' "$out/sink-$r-$m.txt"; done)
		med[$m]=$(echo "$vals" | median)
		smed[$m]=$(echo "$svals" | median)
		printf '  %-20s link median %8.0f  socket median %8.0f   link runs: %s\n' \
			"$m" "${med[$m]}" "${smed[$m]}" "$(echo $vals)"
		if [ "$m" != "${m%+*}" ]; then
			pvals=$(for r in $(seq "$runs"); do poll_p50 "$out/rec-$r-$m.json"; done)
			[ -n "$pvals" ] && pmed[$m]=$(echo "$pvals" | median)
		fi
	done
	if [ -n "${med[rxscope_igb]:-}" ] && [ -n "${med[igb]:-}" ]; then
		echo "  rxscope_igb / igb (link):                  $(ratio "${med[rxscope_igb]}" "${med[igb]}")"
		echo "  rxscope_igb / igb (socket):                $(ratio "${smed[rxscope_igb]}" "${smed[igb]}")"
	fi
	for m in $modes; do
		base=${m%+*}
		[ "$m" = "$base" ] || [ -z "${med[$base]:-}" ] && continue
		printf '  %-42s %s   (socket %s)\n' "${m#*+} / untraced, $base (link):" \
			"$(ratio "${med[$m]}" "${med[$base]}")" "$(ratio "${smed[$m]}" "${smed[$base]}")"
	done
	for m in $modes; do
		[ -n "${pmed[$m]:-}" ] && printf '  poll p50, %-31s %s ns\n' "${m#*+}:" "${pmed[$m]}"
	done
	if [ -n "${med[$drv+nf]:-}" ] && [ -n "${med[$drv+trace]:-}" ]; then
		echo "  --detail nf / every packet (link):          $(ratio "${med[$drv+nf]}" "${med[$drv+trace]}")"
	fi
	for by in byqueue bycpu; do
		[ -n "${med[$drv+$by]:-}" ] && [ -n "${med[$drv+trace]:-}" ] &&
			printf '  --by %-5s / every packet (link):          %s   (socket %s)\n' "${by#by}" \
				"$(ratio "${med[$drv+$by]}" "${med[$drv+trace]}")" \
				"$(ratio "${smed[$drv+$by]}" "${smed[$drv+trace]}")"
	done
	if [ -n "${pmed[$drv+trace]:-}" ] && [ -n "${pmed[$drv+poll]:-}" ]; then
		echo "  poll p50, every stage / poll hooks only:   $(ratio "${pmed[$drv+trace]}" "${pmed[$drv+poll]}")"
	fi
	if [ -n "${pmed[$drv+pktfloor]:-}" ] && [ -n "${pmed[$drv+poll]:-}" ]; then
		echo "  poll p50, empty per-packet / poll only:    $(ratio "${pmed[$drv+pktfloor]}" "${pmed[$drv+poll]}")"
	fi
	if [ -n "${pmed[$drv+sample]:-}" ] && [ -n "${pmed[$drv+poll]:-}" ]; then
		echo "  poll p50, --sample 10 / poll hooks only:   $(ratio "${pmed[$drv+sample]}" "${pmed[$drv+poll]}")"
	fi
	for m in $modes; do
		case $m in *+scrape) ;; *) continue ;; esac
		echo "  scrapes answered within 1 s / made, per run ($m): $(for r in $(seq "$runs"); do
			printf '%s/%s ' "$(sed -n 's/^answered=//p' "$out/scrapes-$r-$m.txt" 2> /dev/null)" \
				"$(sed -n 's/^scrapes=//p' "$out/scrapes-$r-$m.txt" 2> /dev/null)"; done)"
		base=${m%+*}
		if [ -n "${med[$base+serve]:-}" ]; then
			printf '  %-42s %s   (socket %s)\n' "scraped 1/s / not scraped, $base (link):" \
				"$(ratio "${med[$m]}" "${med[$base+serve]}")" \
				"$(ratio "${smed[$m]}" "${smed[$base+serve]}")"
		fi
	done
} | tee "$out/summary.txt"
