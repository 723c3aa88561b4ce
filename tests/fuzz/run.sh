#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SECONDS NAME... - for each harness build-fuzz/fuzz_NAME: replay its regression
# inputs (tests/fuzz/regress/NAME/) and seeds (tests/fuzz/corpus/NAME/) once each, then
# fuzz it for SECONDS seconds. New inputs go to build-fuzz/work/NAME (the seed corpus in
# the tree is only read); a crash input is saved as results/fuzz/NAME-crash-* and fails
# the run. Prints one PASS:/FAIL: line per harness with executions and coverage.
# FUZZ_ARGS adds libFuzzer options to the fuzzing runs; FUZZ_BIN (default build-fuzz),
# FUZZ_WORK (default build-fuzz/work) and FUZZ_OUT (default results/fuzz) move the
# binaries, the growing corpora and the logs, for a long campaign beside short runs.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${1:?usage: run.sh SECONDS NAME...}
shift
out=${FUZZ_OUT:-results/fuzz}
mkdir -p "$out"
nfail=0
total=0

for name in "$@"; do
	bin=${FUZZ_BIN:-build-fuzz}/fuzz_$name
	work=${FUZZ_WORK:-build-fuzz/work}/$name
	log=$out/$name.log
	mkdir -p "$work"
	if [ ! -x "$bin" ]; then
		echo "FAIL: fuzz/$name: $bin is not built (make fuzz-build)"
		nfail=$((nfail + 1))
		continue
	fi
	# fuzz_cli leaves exit() by a jump (see its header), abandoning argp's buffers, which
	# the real program never does: leak checking is off for that harness alone
	# and its memory grows by the buffers it abandons: fuzz it in a child process that is
	# restarted when it reaches the RSS limit (-fork=1 -ignore_ooms=1)
	leaks=1 extra=
	if [ "$name" = cli ]; then
		leaks=0
		[ "$secs" -gt 60 ] && extra="-fork=1 -ignore_ooms=1 -rss_limit_mb=1024"
	fi
	export ASAN_OPTIONS="detect_leaks=$leaks${ASAN_OPTIONS_EXTRA:+:$ASAN_OPTIONS_EXTRA}"
	inputs=()
	for d in tests/fuzz/regress/$name tests/fuzz/corpus/$name; do
		[ -d "$d" ] && inputs+=("$d"/*)
	done
	if [ ${#inputs[@]} -eq 0 ]; then
		echo "FAIL: fuzz/$name: no seed inputs in tests/fuzz/corpus/$name"
		nfail=$((nfail + 1))
		continue
	fi
	# 1) every kept input once: a regression shows here with its file name
	if ! "$bin" -runs=1 "${inputs[@]}" > "$log.replay" 2>&1; then
		echo "FAIL: fuzz/$name: a kept input crashes (log: $log.replay)"
		grep -E 'Running:|ERROR:|runtime error|property failed|SUMMARY' "$log.replay" |
			tail -n 8 | sed 's/^/    /'
		nfail=$((nfail + 1))
		continue
	fi
	# 2) fuzz: new corpus entries in $work, the tree's seeds read from tests/fuzz/corpus
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-close_fd_mask=3 -artifact_prefix="$out/$name-" $extra ${FUZZ_ARGS:-} \
		"$work" "tests/fuzz/corpus/$name" > "$log" 2>&1
	rc=$?
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
	# fork mode prints no stat:: lines; its status lines start with the total, #N
	[ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	execs=${execs:-0}
	total=$((total + execs))
	if [ "$rc" -eq 0 ] && [ "$execs" -gt 0 ]; then
		echo "PASS: fuzz/$name: $execs executions in ${secs} s, $cov, no crash"
	else
		echo "FAIL: fuzz/$name: exit $rc after $execs executions (log: $log)"
		grep -E 'ERROR:|runtime error|property failed|SUMMARY|artifact|Test unit written' \
			"$log" | head -n 12 | sed 's/^/    /'
		nfail=$((nfail + 1))
	fi
done
echo "fuzz: $total executions, $nfail failed"
[ "$nfail" -eq 0 ]
