#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The long measurements behind docs/ci.md (not part of make test): the false-positive rate
# and the sensitivity of ci-check under this machine's TCG.
#   ci-sweep.sh record [--boots N] [--delays "D1 D2 ..."] [--out DIR] [ci-check options]
#       N boots of clean runs (each one ci-check --update-baseline, K runs), then for each
#       delay D one boot with inject_poll_delay_ns=D; every set lands in DIR/sets/NAME.
#   ci-sweep.sh analyse [--out DIR] [--quantiles "p50 p90 p99"] [--max-regression P]
#       clean set i vs clean set j (every pair, both orders): false positives per pair and
#       per stage; clean set 1..N vs each delay's set: which stages are flagged.
# Default DIR: results/ci-sweep.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
die() { echo "ci-sweep: error: $*" >&2; exit 2; }

cmd=${1:-}
[ -n "$cmd" ] && shift
out=$top/results/ci-sweep boots=4 delays="5000 10000 20000 40000"
quantiles="p50 p90 p99" maxreg=15%
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--boots) boots=$2; shift 2 ;;
	--delays) delays=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--quantiles) quantiles=$2; shift 2 ;;
	--max-regression) maxreg=$2; shift 2 ;;
	*) extra+=("$1"); shift ;;
	esac
done
rxscope=$top/build/rxscope

record_set() { # record_set NAME [ci-check options]: one boot, K runs, into sets/NAME
	local name=$1 t
	shift
	t=$(date +%s)
	if bash "$top/tests/vm/ci-check.sh" --update-baseline --baseline "$out/sets/$name" \
		--artifacts "$out/art/$name" "${extra[@]}" "$@" > "$out/log/$name.log" 2>&1; then
		echo "$name: recorded in $(( $(date +%s) - t ))s (load $(cut -d' ' -f1 /proc/loadavg))"
	else
		echo "$name: FAILED, see $out/log/$name.log"
	fi
}

# verdicts BASE NEW Q: "stage=verdict ..." from compare's JSON.
verdicts() {
	"$rxscope" compare "$1" "$2" --quantile "$3" --max-regression "$maxreg" --format json 2>/dev/null |
		python3 -c 'import json,sys
d=json.load(sys.stdin)
print(" ".join("%s=%s" % (s["name"], s["verdict"].replace(" ", "_")) for s in d["stages"]))' || true
}

case $cmd in
record)
	mkdir -p "$out/sets" "$out/art" "$out/log"
	for b in $(seq "$boots"); do record_set "clean-$b"; done
	for d in $delays; do record_set "inject-$d" --inject-ns "$d"; done
	;;
analyse)
	[ -d "$out/sets" ] || die "no sets in $out (run ci-sweep.sh record first)"
	mapfile -t clean < <(cd "$out/sets" && ls -d clean-* 2>/dev/null | sort -V)
	mapfile -t inj < <(cd "$out/sets" && ls -d inject-* 2>/dev/null | sort -V)
	for q in $quantiles; do
		echo "== $q, max regression $maxreg: clean vs clean (${#clean[@]} sets, every ordered pair)"
		pairs=0 bad=0 comps=0 fp=0
		declare -A fps=()
		for a in "${clean[@]}"; do
			for b in "${clean[@]}"; do
				[ "$a" = "$b" ] && continue
				v=$(verdicts "$out/sets/$a" "$out/sets/$b" "$q")
				pairs=$((pairs + 1))
				r=$(tr ' ' '\n' <<< "$v" | grep -c '=regressed$' || true)
				c=$(tr ' ' '\n' <<< "$v" | grep -cE '=(ok|regressed|improved)$' || true)
				comps=$((comps + c)) fp=$((fp + r))
				[ "$r" -gt 0 ] && bad=$((bad + 1))
				for s in $(tr ' ' '\n' <<< "$v" | sed -n 's/=regressed$//p'); do
					fps[$s]=$(( ${fps[$s]:-0} + 1 ))
				done
			done
		done
		echo "pairs with a false regression: $bad / $pairs; stage verdicts regressed: $fp / $comps"
		for s in "${!fps[@]}"; do echo "  $s: ${fps[$s]}"; done
		unset fps
		for i in "${inj[@]}"; do
			echo "-- $q: clean-* vs $i"
			for a in "${clean[@]}"; do
				printf '  %-10s %s\n' "$a" "$(verdicts "$out/sets/$a" "$out/sets/$i" "$q" |
					tr ' ' '\n' | grep -vE '=(ok|insufficient_data|no_data)$' | tr '\n' ' ')"
			done
		done
	done
	;;
*) die "usage: ci-sweep.sh record|analyse [options] (see the top of this file)" ;;
esac
