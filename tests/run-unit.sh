#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs the cmocka unit-test binaries given as arguments and sums their cases.
# Prints "unit: N passed, N failed" and exits non-zero on any failure.
set -u
passed=0 failed=0
for t in "$@"; do
	log=$(mktemp)
	"$t" > "$log" 2>&1
	rc=$?
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0} f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or failed outside a test case
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL: $(basename "$t") ($f failed, exit $rc)"
		sed 's/^/    /' "$log"
	else
		echo "PASS: $(basename "$t") ($p cases)"
	fi
	passed=$((passed + p)) failed=$((failed + f))
	rm -f "$log"
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
