#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Proofs of the ready-made CI check (tests/vm/ci-check.sh), run by make test:
#  - bad input is refused with exit 2 before any VM boots;
#  - the committed baseline (tests/baselines/KVER/default) is a set compare accepts, and its
#    spread lets the default profile's K decide: ci-check --plan advises at most K, and the
#    baseline checked against itself is ok (exit 0), not inconclusive;
#  - one VM boot records three interleaved sets of K runs with the default profile: clean A,
#    B with rxscope_igb's inject_poll_delay_ns=INJECT_NS, clean C (rounds A B C, C B A, ...);
#  - ci-check --update-baseline makes A the baseline (replacing an old directory whole);
#  - proof 1, clean vs clean: ci-check of C against A passes (exit 0, the judged poll ok),
#    with all artifacts; compared on every stage, none is regressed or improved;
#  - proof 2, a real poll slow-down: ci-check of B against A fails with poll regressed, the
#    stages containing poll not improved, and the unrelated l2_to_ip and hardirq not
#    regressed;
#  - proof 3, too few runs: two runs of B against two of A (at p50 and p99) are regressed
#    or inconclusive, never ok, and the exit code is never 0.
# About 4.5 minutes of TCG (one boot, 3 x PROOF_K runs of about 6.5 s). Every check prints
# PASS:/FAIL:. INJECT_NS (default 50000) is chosen from the sensitivity sweep in docs/ci.md.
# PROOF_VM_DIR=DIR re-judges the recordings of an earlier boot (run-vm.sh's results folder,
# 3 x PROOF_K runs) instead of booting.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
ck=tests/vm/ci-check.sh
rxscope=build/rxscope
inject=${INJECT_NS:-50000}
fails=0
work=$(mktemp -d /tmp/ci-check-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# verdicts FILE: "stage verdict" lines from the table of a text comparison.
verdicts() {
	awk '/^STAGE /{t=1; next} t && NF==0 {exit}
	     t { v=$NF; if (v == "judged" || v == "data") v=$(NF-1) " " $NF; print $1 "\t" v }' "$1"
}
verdict_of() { verdicts "$1" | awk -F'\t' -v s="$2" '$1 == s { print $2 }'; }
# none_flagged FILE: no stage regressed, improved or changed (and at least one stage).
none_flagged() {
	local n bad
	n=$(verdicts "$1" | wc -l)
	bad=$(verdicts "$1" | awk -F'\t' '$2 == "regressed" || $2 == "improved" || $2 == "changed"')
	[ "$n" -gt 0 ] && [ -z "$bad" ] && return 0
	echo "  stages flagged: ${bad:-none; no table}" | tr '\n' ' '
	echo
	return 1
}
is_verdict() { # is_verdict FILE STAGE VERDICT...
	local f=$1 s=$2 v
	shift 2
	v=$(verdict_of "$f" "$s")
	for want in "$@"; do [ "$v" = "$want" ] && return 0; done
	echo "  $s: verdict '${v:-none}', wanted: $*"
	return 1
}
# junit_failed FILE STAGE: STAGE's <testcase> holds a <failure>.
junit_failed() {
	awk -v s="$2" '$0 ~ "<testcase [^>]*name=\"" s "\"" { t=1 }
		t && /<failure/ { found=1 } t && /<\/testcase>|\/>$/ && !/<testcase/ { t=0 }
		END { exit !found }' "$1"
}
rc_is() { # rc_is WANT DESCRIPTION COMMAND...: runs COMMAND, output in $work/out
	local want=$1 what=$2 rc
	shift 2
	"$@" > "$work/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		pass "$what (exit $rc)"
	else
		fail "$what (exit $rc, wanted $want)"
		tail -n 20 "$work/out" | sed 's/^/  | /'
	fi
}

for t in rxscope rxgen rxsink; do
	[ -x "build/$t" ] || { fail "build/$t is built (run make all module)"; exit 1; }
done
[ -f module/rxscope_igb.ko ] || { fail "module/rxscope_igb.ko is built (run make module)"; exit 1; }
# shellcheck disable=SC1091
. .cache/guest-kernel.env

# --- bad input: exit 2, no VM ------------------------------------------------------------------
rc_is 2 "ci-check refuses an unknown option" bash "$ck" --frobnicate
rc_is 2 "ci-check refuses a missing baseline directory" \
	bash "$ck" --baseline "$work/none" --artifacts "$work/a0"
check "  ... and names it" grep -q "$work/none" "$work/out"
mkdir -p "$work/empty"
rc_is 2 "ci-check refuses a baseline directory without recordings" \
	bash "$ck" --baseline "$work/empty" --artifacts "$work/a0"
mkdir -p "$work/corrupt"
printf '{"schema": "rxscope/1", "kernel": ' > "$work/corrupt/run-1.json"
rc_is 2 "ci-check refuses a corrupt baseline before booting" \
	bash "$ck" --baseline "$work/corrupt" --artifacts "$work/a0"
check "  ... and names the file" grep -q "corrupt/run-1.json" "$work/out"
printf 'RATE=fast\n' > "$work/bad.profile"
rc_is 2 "ci-check refuses a profile with a non-numeric RATE" \
	bash "$ck" --profile "$work/bad.profile" --update-baseline --baseline "$work/x" --artifacts "$work/a0"
check "  ... and names the file, line and key" grep -q "bad.profile:1: RATE" "$work/out"
printf 'RATE=100\nrm -rf /\n' > "$work/bad2.profile"
rc_is 2 "ci-check refuses a profile line that is not KEY=VALUE (never executes it)" \
	bash "$ck" --profile "$work/bad2.profile" --update-baseline --baseline "$work/x" --artifacts "$work/a0"
rc_is 2 "ci-check refuses an unknown profile name" bash "$ck" --profile no-such-profile
rc_is 2 "ci-check refuses --inject-ns with the in-tree igb" \
	bash "$ck" --driver igb --inject-ns 1000 --update-baseline --baseline "$work/x"
rc_is 2 "ci-check refuses a missing kernel" \
	bash "$ck" --kernel "$work/no-bzImage" --update-baseline --baseline "$work/x"
rc_is 2 "ci-check refuses --runs 0" bash "$ck" --runs 0 --update-baseline --baseline "$work/x"
rc_is 2 "ci-check refuses --inconclusive maybe" bash "$ck" --inconclusive maybe --artifacts "$work/a0"
rc_is 2 "ci-check refuses an ambiguous --max-regression 0.15 before booting" \
	bash "$ck" --max-regression 0.15 --update-baseline --baseline "$work/x" --artifacts "$work/a0"
check "  ... and shows both readings" grep -q "15% or 0.15%" "$work/out"
rc_is 2 "ci-check refuses --plan with --update-baseline" \
	bash "$ck" --plan --update-baseline --baseline "$work/x" --artifacts "$work/a0"
check "no VM ran for bad input (no artifacts written)" [ ! -e "$work/a0/runs" ]

# --- the committed baseline ----------------------------------------------------------------------
cb=tests/baselines/$KVER/default
n=$(ls "$cb"/*.json 2>/dev/null | wc -l)
check "the committed baseline $cb holds recordings ($n)" [ "$n" -ge 3 ]
rc_is 0 "compare accepts the committed baseline against itself (--inconclusive ok)" \
	"$rxscope" compare "$cb" "$cb" --inconclusive ok
cp "$work/out" "$work/self.txt"
check "  ... no stage of it regressed or improved" none_flagged "$work/self.txt"
prof=tests/vm/profiles/default.profile
pv() { sed -n "s/^$1=\([^[:space:]#]*\).*/\1/p" "$prof"; }
rc_is 0 "ci-check --plan --from-runs takes the committed baseline" \
	bash "$ck" --plan --from-runs "$cb" --artifacts "$work/a-plan"
cat "$work/out"
adv=$(sed -n 's/^recommended: --runs \([0-9]*\) .*/\1/p' "$work/a-plan/plan.txt")
check "  ... and advises K = ${adv:-none} <= the profile's RUNS = $(pv RUNS) for its judged stages" \
	[ -n "$adv" ] && [ "${adv:-999}" -le "$(pv RUNS)" ]
rc_is 0 "ci-check of the committed baseline against itself decides: exit 0, not inconclusive" \
	bash "$ck" --from-runs "$cb" --baseline "$cb" --artifacts "$work/a-self"
check "  ... poll judged ok" is_verdict "$work/a-self/compare.txt" poll ok

# --- one boot, three interleaved sets -----------------------------------------------------------
# Rounds of (clean, injected B, clean): the three sets see the same drift of the host's
# speed, so what differs between them is the injected delay alone. The runs use the
# default profile's traffic and the scenario ci-check boots (ci-record).
# K runs per set: PROOF_K, by default the profile's RUNS (K = 12: 36 runs, about 4 minutes
# of TCG in one boot).
k=${PROOF_K:-$(pv RUNS)}
plan=
for _ in $(seq "$k"); do plan="$plan 0 $inject 0"; done
mkdir -p "$work/sc"
ln -s "$top/tests/vm/scenarios/ci-record" "$work/sc/ci-proof-$$"
t=$(date +%s)
if [ -n "${PROOF_VM_DIR:-}" ]; then
	# Re-judge the recordings of an earlier boot (its results folder: run-N.json,
	# run-N.inject, dmesg.txt; 3 x PROOF_K runs in the order above) without booting.
	mkdir -p "$work/vm"
	cp "$PROOF_VM_DIR"/run-*.json "$PROOF_VM_DIR"/run-*.inject "$PROOF_VM_DIR"/dmesg.txt "$work/vm/"
	echo "recordings of an earlier boot: $PROOF_VM_DIR" > "$work/vm.log"
	[ -f "$work/vm/run-$((3 * k)).json" ]
else
	bash tests/vm/run-vm.sh --out "$work/vm" --smp "$(pv SMP)" --timeout 1200 \
		--env PLAN="${plan# }" --env RUNS=$((3 * k)) --env DRIVER=rxscope_igb \
		--env RATE="$(pv RATE)" --env FLOWS="$(pv FLOWS)" --env PAYLOAD="$(pv PAYLOAD)" \
		--env DURATION="$(pv DURATION)" --env WARMUP="$(pv WARMUP)" \
		"$work/sc/ci-proof-$$" > "$work/vm.log" 2>&1
fi
rc=$?
rm -f "build/vm/ci-proof-$$.cpio" "build/vm/ci-proof-$$.env"
cat "$work/vm.log"
grep -E '^(PASS|FAIL): ' "$work/vm/guest.log" 2>/dev/null | sed 's/^/  guest /'
check "one boot recorded 3 x $k interleaved runs ($(( $(date +%s) - t )) s)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || { echo "ci-check proofs: $((fails)) failed"; exit 1; }
mkdir -p "$work/A" "$work/B" "$work/C"
# Odd rounds run A B C, even rounds C B A: a steady drift of the host's speed favours
# neither clean set.
for r in $(seq "$k"); do
	first=A last=C
	[ $((r % 2)) = 0 ] && first=C last=A
	cp "$work/vm/run-$((3 * r - 2)).json" "$work/$first/run-$r.json"
	cp "$work/vm/run-$((3 * r - 1)).json" "$work/B/run-$r.json"
	cp "$work/vm/run-$((3 * r)).json" "$work/$last/run-$r.json"
done
cp "$work/vm/dmesg.txt" "$work/B/"
cp "$work/vm/dmesg.txt" "$work/C/"

# --- the baseline: set A, replacing an old baseline directory whole ---------------------------------
mkdir -p "$work/base"
echo '{}' > "$work/base/stale.json"
rc_is 0 "ci-check --update-baseline takes set A as the baseline" \
	bash "$ck" --update-baseline --from-runs "$work/A" --baseline "$work/base" --artifacts "$work/a-base"
n=$(ls "$work/base"/run-*.json 2>/dev/null | wc -l)
check "the new baseline has K=$k recordings ($n)" [ "$n" = "$k" ]
check "  ... and replaced the old directory (stale file gone, no temp dirs left)" \
	[ ! -e "$work/base/stale.json" -a -z "$(ls -A "$work" | grep -E '^\.base\.(new|old)\.')" ]

# --- proof 1: clean C against clean A ------------------------------------------------------------
rc_is 0 "ci-check of clean set C against baseline A passes" \
	bash "$ck" --from-runs "$work/C" --baseline "$work/base" --artifacts "$work/a-clean"
cat "$work/out"
c=$work/a-clean/compare.txt
check "clean vs clean: no stage flagged" none_flagged "$c"
check "clean vs clean: poll (the profile's judged stage) is ok" is_verdict "$c" poll ok
for s in l2_to_ip hardirq socket; do
	check "clean vs clean: $s is shown (not judged)" is_verdict "$c" "$s" "not judged"
done
# Every stage judged, at the profile's quantile and threshold: the false-positive figure.
"$rxscope" compare "$work/base" "$work/C" --quantile "$(pv QUANTILE)" \
	--max-regression "$(pv MAX_REGRESSION)" > "$work/all-clean.txt" 2>&1
r=$?
check "clean vs clean, every stage judged: no stage regressed or improved (exit $r)" \
	none_flagged "$work/all-clean.txt"
check "  ... exit 0 or 4, never 1 ($r)" [ "$r" = 0 -o "$r" = 4 ]
sed -n '/^INCONCLUSIVE\|^OK\|^REGRESSION/p' "$work/all-clean.txt"
for f in runs/run-1.json "runs/run-$k.json" compare.txt compare.json compare.xml compare.md \
	compare.html dmesg.txt summary.txt; do
	check "artifact $f is there" [ -s "$work/a-clean/$f" ]
done
nst=$(verdicts "$c" | wc -l)
ntc=$(grep -c '<testcase ' "$work/a-clean/compare.xml")
check "JUnit has one test case per stage ($ntc = $nst)" [ "$ntc" = "$nst" ]
check "JUnit of the clean set has no <failure> or <error>" \
	[ "$(grep -c '<failure\|<error' "$work/a-clean/compare.xml")" = 0 ]
check "the JSON comparison's verdict is ok" grep -qE '^  "verdict": *"ok"' "$work/a-clean/compare.json"
check "dmesg shows rxscope_igb drove the NIC" grep -q rxscope_igb "$work/a-clean/dmesg.txt"

# --- proof 2: injected B against clean A ---------------------------------------------------------
rc_is 1 "ci-check of set B (inject_poll_delay_ns=$inject) against baseline A reports a regression" \
	bash "$ck" --from-runs "$work/B" --baseline "$work/base" --artifacts "$work/a-inj"
cat "$work/out"
c=$work/a-inj/compare.txt
check "injected: poll regressed" is_verdict "$c" poll regressed
"$rxscope" compare "$work/base" "$work/B" --quantile "$(pv QUANTILE)" \
	--max-regression "$(pv MAX_REGRESSION)" > "$work/all-inj.txt" 2>&1
for s in irq_to_rx total; do
	check "injected, every stage judged: $s (contains poll) regressed, ok or inconclusive, never improved" \
		is_verdict "$work/all-inj.txt" "$s" regressed ok inconclusive
done
for s in l2_to_ip hardirq; do
	check "injected, every stage judged: $s (unrelated) ok or inconclusive, not regressed" \
		is_verdict "$work/all-inj.txt" "$s" ok inconclusive
done
check "injected: JUnit has a <failure> in poll's test case" junit_failed "$work/a-inj/compare.xml" poll
check "injected: the JSON comparison's verdict is regressed" \
	grep -qE '^  "verdict": *"regressed"' "$work/a-inj/compare.json"
check "injected: the HTML page says REGRESSION" \
	grep -q 'id="outcome">REGRESSION<' "$work/a-inj/compare.html"
check "injected: the HTML page's first stage row is a regressed one" \
	[ "$(grep -o '<tr class="v-[a-z-]*"' "$work/a-inj/compare.html" | head -n 1)" = '<tr class="v-regressed"' ]
inj=$(for r in $(seq "$k"); do cat "$work/vm/run-$((3 * r - 1)).inject"; done | sort -u)
check "injected: the guest had the delay set in each of B's runs ($inj)" [ "$inj" = "$inject" ]

# --- proof 3: K = 2, the same delay: never ok -----------------------------------------------------
# Two runs per side cannot rule out a slow-down, whatever their medians say; the check must
# say so (regressed or inconclusive), not "ok".
mkdir -p "$work/A2" "$work/B2"
cp "$work/A/run-1.json" "$work/A/run-2.json" "$work/A2/"
cp "$work/B/run-1.json" "$work/B/run-2.json" "$work/B2/"
bash "$ck" --from-runs "$work/B2" --baseline "$work/A2" --artifacts "$work/a-k2" > "$work/out" 2>&1
r=$?
cat "$work/a-k2/compare.txt"
check "K=2, injected: ci-check exits 1 or 4, never 0 ($r)" [ "$r" = 1 -o "$r" = 4 ]
check "K=2, injected: poll regressed or inconclusive" \
	is_verdict "$work/a-k2/compare.txt" poll regressed inconclusive
for q in p50 p99; do
	"$rxscope" compare "$work/A2" "$work/B2" --quantile "$q" > "$work/k2-$q.txt" 2>&1
	r=$?
	check "K=2, injected, compare at $q on every stage: exit 1 or 4, never 0 ($r)" [ "$r" = 1 -o "$r" = 4 ]
	check "K=2, injected, compare at $q: poll regressed or inconclusive" \
		is_verdict "$work/k2-$q.txt" poll regressed inconclusive
done
echo "ci-check proofs: $fails failed"
[ "$fails" -eq 0 ]
