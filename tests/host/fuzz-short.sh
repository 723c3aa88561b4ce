#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fuzz-short.sh - what `make test` runs of the fuzzing: builds the libFuzzer harnesses
# (make fuzz-build), replays every kept input, and fuzzes each harness for FUZZ_SECONDS
# (default 10) seconds, so that a reader change that crashes on a known or nearby input
# fails the suite. Prints one PASS:/FAIL: line per harness (tests/fuzz/run.sh).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
mkdir -p results
if ! make -s fuzz-build > results/fuzz-build.log 2>&1; then
	echo "FAIL: fuzz harnesses do not build (make fuzz-build):"
	tail -n 20 results/fuzz-build.log | sed 's/^/    /'
	exit 1
fi
make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
