#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sample-error.sh - the sampling error of `--sample`, measured rather than bounded: one
# boot (tests/vm/scenarios/sample-error) records the same traffic twice at once, every
# packet and with --sample PCT, and this prints, per stage, both recordings' counts and
# quantiles and how far the sampled ones are from the every-packet ones.
# Usage: sample-error.sh [PCT] (default 10); RATE (default 2000 pps) and DURATION (default
# 120 s) set the traffic, DRIVER (rxscope_igb, igb) the driver.
# Result: results/sample-error/summary.txt, the recordings beside it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
pct=${1:-10}
[[ $pct =~ ^[0-9]+$ && $pct -ge 1 && $pct -le 99 ]] || { echo "sample-error: PCT must be 1..99" >&2; exit 2; }
out=$top/results/sample-error
drv=${DRIVER:-rxscope_igb}
mod=()
[ "$drv" = igb ] && mod=(--no-module)
mkdir -p "$top/results"
bash "$top/tests/vm/run-vm.sh" "${mod[@]}" --out "$out" --env "SAMPLE=$pct" --env "DRIVER=$drv" \
	--env "RATE=${RATE:-2000}" --env "DURATION=${DURATION:-120}" sample-error \
	> "$top/results/sample-error.log" 2>&1 || { echo "sample-error: the VM run failed (results/sample-error.log)" >&2; exit 1; }
# per stage: name count p50 p90 p99 (ns), the stages that counted something
vals() {
	jq -r '.stages[] | select(.hist.count > 0) |
		"\(.name) \(.hist.count) \(.summary.p50 | floor) \(.summary.p90 | floor) \(.summary.p99 | floor)"' "$1"
}
{
	echo "sample-error: --sample $pct against every packet, same traffic, $drv, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "  sampled share: $(jq -r .sample_pct "$out/sampled.json")% of $(jq -r '.duration_s | floor' "$out/sampled.json") s; $(grep -h '^--sample' "$out/sampled.log")"
	printf '  %-26s %9s %9s %9s %9s %7s %9s %9s %7s\n' STAGE N.ALL N.SAMPLED P50.ALL P50.SMP DIFF P99.ALL P99.SMP DIFF
	join <(vals "$out/every.json" | sort) <(vals "$out/sampled.json" | sort) | awk '
		function d(a, b) { return a > 0 ? sprintf("%+.1f%%", 100 * (b - a) / a) : "-" }
		{ printf "  %-26s %9d %9d %9d %9d %7s %9d %9d %7s\n", $1, $2, $6, $3, $7, d($3, $7), $5, $9, d($5, $9) }'
} | tee "$out/summary.txt"
