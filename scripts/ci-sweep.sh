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
#   ci-sweep.sh interleave [--rounds R] [--delays "0 0 D1 D2 ..."] [--out DIR] [--quantiles ...]
#                          [--reuse (no boot: regroup and analyse the runs already in DIR/vm)]
#       one boot, R rounds of one run per entry of the list (the default profile's traffic),
#       so that the host's drift hits every entry alike; then sets of K=3 runs (rounds 1-3,
#       4-6, ...) per entry: every clean set against every other (false positives) and every
#       delay's set against every clean set (detections).
#   ci-sweep.sh splits [--out DIR] [--pairs N] [--quantiles ...]
#       after interleave: N random pairs of disjoint sets of 3 among all the boot's clean
#       runs (seeded, so repeatable), compared with each other: the false-positive rate of
#       clean sets measured side by side.
#   ci-sweep.sh matched [--out DIR] [--quantiles ...] [--max-regression P] [--k "3 4 5"] [--paired]
#       after interleave with the list starting "0 0": the make-test proof's design on that
#       boot's runs. Choices of K rounds, and in each round either clean run on either
#       side (all of them, or 200 drawn at random, seeded, when there are more): false
#       verdicts (regressed or improved) of clean vs clean, and how often each delay's runs
#       of the same rounds get poll flagged. --paired: the A/B check's design instead: the
#       runs of one round are a pair (compare --paired; ci-check --against).
# Default DIR: results/ci-sweep.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "ci-sweep: error: $*" >&2; exit 2; }

cmd=${1:-}
[ -n "$cmd" ] && shift
out=$top/results/ci-sweep boots=4 delays= rounds=6 npairs=100 reuse=0 ks=3 paired=0
quantiles="p50 p90 p99" maxreg=15%
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--boots) boots=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--pairs) npairs=$2; shift 2 ;;
	--reuse) reuse=1; shift ;;
	--paired) paired=1; shift ;;
	--k) ks=$2; shift 2 ;;
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
	if bash "$top/scripts/ci-check.sh" --update-baseline --baseline "$out/sets/$name" \
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
	delays=${delays:-5000 10000 20000 40000}
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
					tr ' ' '\n' | grep -vE '=(ok|inconclusive|not_judged|no_data)$' | tr '\n' ' ')"
			done
		done
	done
	;;
interleave)
	delays=${delays:-0 0 10000 20000 40000 80000}
	prof=$top/tests/vm/profiles/default.profile
	pv() { sed -n "s/^$1=\([^[:space:]#]*\).*/\1/p" "$prof"; }
	plan= n=0
	for _ in $(seq "$rounds"); do for d in $delays; do plan="$plan $d"; n=$((n + 1)); done; done
	if [ "$reuse" = 0 ]; then
		mkdir -p "$out/sc"
		ln -sfn "$top/tests/vm/scenarios/ci-record" "$out/sc/ci-sweep-$$"
		t=$(date +%s)
		bash "$top/tests/vm/run-vm.sh" --out "$out/vm" --smp "$(pv SMP)" --timeout $((300 + n * 120)) \
			--env PLAN="${plan# }" --env RUNS="$n" --env DRIVER=rxscope_igb \
			--env RATE="$(pv RATE)" --env FLOWS="$(pv FLOWS)" --env PAYLOAD="$(pv PAYLOAD)" \
			--env DURATION="$(pv DURATION)" --env WARMUP="$(pv WARMUP)" "$out/sc/ci-sweep-$$" ||
			echo "ci-sweep: the boot failed; using the runs it recorded"
		rm -f "$top/build/vm/ci-sweep-$$.cpio" "$top/build/vm/ci-sweep-$$.env"
		echo "$n runs in $(( $(date +%s) - t ))s, load $(cut -d' ' -f1 /proc/loadavg)"
	fi
	# Sets: entry p of the list in rounds 3h-2..3h -> sets/clean-p<p>-h<h> or inject-<delay>-h<h>.
	rm -rf "$out/sets"
	i=0
	for r in $(seq "$rounds"); do
		p=0
		for d in $delays; do
			i=$((i + 1)) p=$((p + 1))
			h=$(( (r - 1) / 3 + 1 ))
			[ $(( rounds / 3 * 3 )) -ge "$r" ] || continue
			[ -f "$out/vm/run-$i.json" ] || continue
			if [ "$d" = 0 ]; then name=clean-p$p-h$h; else name=inject-$d-h$h; fi
			mkdir -p "$out/sets/$name"
			cp "$out/vm/run-$i.json" "$out/sets/$name/run-$r.json"
		done
	done
	exec bash "$0" analyse --out "$out" --quantiles "$quantiles" --max-regression "$maxreg"
	;;
splits)
	[ -f "$out/vm/guest.log" ] || die "no interleaved boot in $out (run ci-sweep.sh interleave first)"
	mapfile -t cl < <(for f in "$out"/vm/run-*.inject; do
		[ "$(cat "$f")" = 0 ] && echo "${f%.inject}.json"; done)
	[ ${#cl[@]} -ge 6 ] || die "fewer than 6 clean runs in $out/vm"
	for q in $quantiles; do
		bad=0 stages=0 comps=0
		for j in $(seq "$npairs"); do
			# Six distinct runs, chosen with seed j (the same pairs on every analysis).
			mapfile -t pick < <(printf '%s\n' "${cl[@]}" |
				awk -v seed="$j" 'BEGIN { srand(seed) } { print rand() "\t" $0 }' |
				sort -k1,1g | head -n 6 | cut -f2)
			a=$(IFS=,; echo "${pick[*]:0:3}") b=$(IFS=,; echo "${pick[*]:3:3}")
			v=$(verdicts "$a" "$b" "$q")
			r=$(tr ' ' '\n' <<< "$v" | grep -c '=regressed$' || true)
			c=$(tr ' ' '\n' <<< "$v" | grep -cE '=(ok|regressed|improved)$' || true)
			stages=$((stages + r)) comps=$((comps + c))
			[ "$r" -gt 0 ] && bad=$((bad + 1))
		done
		echo "$q: ${#cl[@]} clean runs, $npairs random pairs of disjoint sets of 3: $bad with a false regression; stage verdicts regressed: $stages / $comps"
	done
	;;
matched)
	[ -f "$out/vm/guest.log" ] || die "no interleaved boot in $out (run ci-sweep.sh interleave first)"
	for q in $quantiles; do
		for k in $ks; do
			python3 - "$out/vm" "$rxscope" "$q" "$maxreg" "$k" "$paired" <<'PY'
import collections, glob, itertools, math, os, random, subprocess, sys, tempfile
vm, rx, q, maxreg, k = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
paired = sys.argv[6] == "1"
inj = {int(os.path.basename(f)[4:-7]): int(open(f).read()) for f in glob.glob(vm + "/run-*.inject")}
n = max(inj)
# The plan repeats per round and starts with two clean runs: the round length is the
# distance to the next pair of clean runs.
per = next(i - 1 for i in range(3, n) if inj[i] == 0 and inj.get(i + 1) == 0)
rounds = n // per
delays = sorted({inj[i] for i in range(3, per + 1)})
def sides(a, b):
    """comma lists, or (--paired) two folders in which pair i has one name"""
    if not paired:
        return [",".join(a), ",".join(b)]
    t = tempfile.mkdtemp(prefix="ci-sweep-pairs.")
    for side, runs in (("old", a), ("new", b)):
        os.mkdir(os.path.join(t, side))
        for i, f in enumerate(runs):
            os.symlink(os.path.abspath(f), os.path.join(t, side, "run-%02d.json" % (i + 1)))
    return [os.path.join(t, "old"), os.path.join(t, "new"), "--paired"]
def verdicts(a, b, d=0):
    global pollv
    pollv = pollc[d]
    args = sides(a, b)
    out = subprocess.run([rx, "compare"] + args + ["--quantile", q,
                          "--max-regression", maxreg], capture_output=True, text=True).stdout
    if paired:
        subprocess.run(["rm", "-rf", os.path.dirname(args[0])])
    # poll's verdict, as ci-check's default profile judges it
    for l in out.splitlines():
        if l.startswith("poll "):
            pollv[l.split()[-1]] += 1
    # a clean set judged "improved" against another is as false as "regressed"
    return [l.split()[0] + ("" if l.endswith(" regressed") else "(improved)")
            for l in out.splitlines() if l.endswith(" regressed") or l.endswith(" improved")]
pollc = collections.defaultdict(collections.Counter)
run = lambda i: "%s/run-%d.json" % (vm, i)
fp = tot = 0
stages = collections.Counter()
det = collections.Counter(); dtot = collections.Counter()
# Every choice of K rounds and flips when there are at most CAP of them, else CAP drawn at
# random (seeded, so that the same runs give the same figures).
CAP = 200
total = math.comb(rounds, k) * 2 ** k
if total <= CAP:
    picks = [(rs, flip) for rs in itertools.combinations(range(1, rounds + 1), k)
             for flip in range(2 ** k)]
else:
    rnd = random.Random(1)
    picks = [(tuple(sorted(rnd.sample(range(1, rounds + 1), k))), rnd.randrange(2 ** k))
             for _ in range(CAP)]
for rs, flip in picks:
    A, C = [], []
    for j, r in enumerate(rs):
        x, y = (r - 1) * per + 1, (r - 1) * per + 2
        if flip >> j & 1:
            x, y = y, x
        A.append(run(x)); C.append(run(y))
    v = verdicts(A, C)
    tot += 1; fp += bool(v); stages.update(v)
    if flip < 2 ** (k - 1) or total > CAP:
        for d in delays:
            B = [run((r - 1) * per + 1 + [inj[(r - 1) * per + i] for i in range(1, per + 1)].index(d)) for r in rs]
            dtot[d] += 1; det[d] += "poll" in verdicts(A, B, d)
print("%s, %s, K=%d%s: %d rounds of %d runs; clean vs clean: %d / %d with a false verdict %s"
      % (q, maxreg, k, " paired" if paired else "", rounds, per, fp, tot, dict(stages)))
print("  poll's verdicts, clean vs clean: %s" % dict(pollc[0]))
for d in delays:
    print("  %d ns injected: poll regressed in %d / %d; poll's verdicts: %s"
          % (d, det[d], dtot[d], dict(pollc[d])))
PY
		done
	done
	;;
*) die "usage: ci-sweep.sh record|analyse|interleave|splits|matched [options] (see the top of this file)" ;;
esac
