#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole suite, as `make test` runs it: unit tests, host-side checks (tests/host/*.sh),
# then the VM scenarios listed in tests/vm/suite.list. Unit cases, and the PASS:/FAIL:
# lines of host scripts and scenarios, are counted one each; a script or VM run that fails
# without a FAIL: line counts as one failure. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p results
passed=0 failed=0
failures=()

count_lines() {	# count_lines LABEL RC LOG
	local label=$1 rc=$2 log=$3 p f
	p=$(grep -cE '^PASS: ' "$log")
	f=$(grep -cE '^FAIL: ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$label")
		echo "== $label: FAILED ($p passed, $f failed)"
	else
		echo "== $label: ok ($p passed)"
	fi
}

echo "== unit tests"
log=results/unit.log
make -s unit-test > "$log" 2>&1
rc=$?
cat "$log"
p=$(sed -nE 's/^unit: ([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log")
f=$(sed -nE 's/^unit: ([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log")
[ -z "$p" ] && { p=0; f=1; }
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
passed=$((passed + p)) failed=$((failed + f))
[ "$f" -ne 0 ] && failures+=("unit tests")

for t in tests/host/*.sh; do
	[ -f "$t" ] || continue
	[ "$t" = tests/host/lib.sh ] && continue	# the checks' helpers, not a test
	name=host/$(basename "$t" .sh)
	log=results/$(basename "$t" .sh).host.log
	t0=$SECONDS
	bash "$t" > "$log" 2>&1 < /dev/null
	rc=$?
	name="$name [$((SECONDS - t0)) s]"
	grep -E '^(PASS|FAIL): ' "$log" | sed 's/^/   /'
	[ "$rc" -ne 0 ] && tail -n 15 "$log" | sed 's/^/   | /'
	count_lines "$name" "$rc" "$log"
done

i=0
rm -rf results/suite
mkdir -p results/suite
while read -r scen args; do
	case $scen in ''|'#'*) continue ;; esac
	i=$((i + 1))
	name="vm/$scen${args:+ $args}"
	out=results/suite/$(printf '%02d' "$i")-$scen
	log=$out.log
	t0=$SECONDS
	# shellcheck disable=SC2086
	bash tests/vm/run-vm.sh --out "$out" $args "$scen" > "$log" 2>&1 < /dev/null
	rc=$?
	name="$name [$((SECONDS - t0)) s]"
	cat "$out/guest.log" "$out/host.log" 2>/dev/null |
		grep -E '^(PASS|FAIL): ' > "$log.checks"
	sed 's/^/   /' "$log.checks"
	sed 's/^/   | /' "$log"
	count_lines "$name" "$rc" "$log.checks"
done < tests/vm/suite.list
# The kernel compatibility table, from the tracer and module runs above.
bash scripts/compat-table.sh results/suite docs/compat.md || true

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "suite time: $SECONDS s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
