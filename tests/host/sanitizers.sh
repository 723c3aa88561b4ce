#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sanitizers.sh - the unit tests and the host tests that run our binaries, again against
# the ASan+UBSan build (make asan: build-asan/). Every sanitizer report (memory error,
# leak, undefined behaviour) is written to a log directory and fails the check of the test
# that produced it, even when the test itself expected a non-zero exit. A self-check first
# proves that a report does reach that directory. Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
SAN=$top/build-asan
logs=$(mktemp -d /tmp/rxs-san.XXXXXX)
trap 'rm -rf "$logs"' EXIT

export ASAN_OPTIONS="log_path=$logs/report:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="log_path=$logs/report:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="log_path=$logs/report"

# reports [-q]: false (and print them unless -q) when reports were written since the
# last call; clears them
reports() {
	local f n=0
	for f in "$logs"/report.*; do
		[ -s "$f" ] || continue
		n=$((n + 1))
		[ "${1:-}" = -q ] || sed 's/^/    | /' "$f" | head -n 40
	done
	rm -f "$logs"/report.*
	[ "$n" -eq 0 ]
}

if ! make -s asan > "$logs/build.log" 2>&1; then
	cat "$logs/build.log"
	fail "sanitizer build (make asan)"
	finish
fi
pass "sanitizer build (make asan)"

# self-check: a deliberate heap overflow built with the same flags must leave a report
cat > "$logs/canary.c" << 'C'
#include <stdlib.h>
int main(int argc, char **argv) { char *p = malloc(4); p[argc + 3] = 1; free(p); (void)argv; return 0; }
C
san_flags=$(sed -nE 's/^SAN_FLAGS := (.*)/\1/p' Makefile)
if clang $san_flags -g "$logs/canary.c" -o "$logs/canary" 2> /dev/null &&
   ! "$logs/canary" 2> /dev/null && ! reports -q; then
	pass "self-check: a heap overflow is reported and fails"
else
	fail "self-check: a deliberate heap overflow left no report in $logs (flags: $san_flags)"
fi

# unit tests: the test binaries (not the compiler's dependency files, test_*.d, beside them)
units=()
for t in "$SAN"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] && units+=("$t")
done
[ ${#units[@]} -gt 0 ] || fail "no unit test binaries in $SAN/tests"
if [ ${#units[@]} -gt 0 ] && bash tests/run-unit.sh "${units[@]}" > "$logs/unit.log" 2>&1 &&
   reports; then
	pass "unit tests under ASan+UBSan ($(sed -nE 's/^unit: ([0-9]+) passed.*/\1/p' "$logs/unit.log") cases)"
else
	sed 's/^/    /' "$logs/unit.log"
	reports
	fail "unit tests under ASan+UBSan"
fi

# host tests that run build/rxscope, build/rxgen or build/rxsink (not serve-http: its check
# that 1000 scrapes leave RSS flat cannot hold under ASan, whose quarantine keeps freed
# memory; its malformed-request cases run here through test_serve)
export RXSCOPE=$SAN/rxscope RXGEN=$SAN/rxgen RXSINK=$SAN/rxsink
for t in probe-check rxgen-errors rxgen-selfcheck promtool-check trace-host hostile \
	serve-prometheus; do
	[ -f "tests/host/$t.sh" ] || continue
	bash "tests/host/$t.sh" > "$logs/$t.log" 2>&1 < /dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && reports; then
		pass "host/$t under ASan+UBSan ($(grep -c '^PASS: ' "$logs/$t.log") checks)"
	else
		grep -E '^FAIL: ' "$logs/$t.log" | sed 's/^/    /'
		[ "$rc" -ne 0 ] && tail -n 15 "$logs/$t.log" | sed 's/^/    | /'
		reports
		fail "host/$t under ASan+UBSan (exit $rc)"
	fi
done

# the fuzz regression inputs and seeds, through the real binaries
if [ -x tests/fuzz/replay.sh ]; then
	if bash tests/fuzz/replay.sh "$SAN/rxscope" > "$logs/replay.log" 2>&1 && reports; then
		pass "fuzz corpora through $SAN/rxscope ($(tail -n 1 "$logs/replay.log"))"
	else
		tail -n 20 "$logs/replay.log" | sed 's/^/    /'
		reports
		fail "fuzz corpora through $SAN/rxscope"
	fi
fi
finish
