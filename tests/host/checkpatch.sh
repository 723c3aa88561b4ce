#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh - the module's sources pass the kernel's checkpatch.pl with no error and no
# warning (`make checkpatch`, one check per file). First, the checker itself must flag a
# file with known style faults, so that a checker that runs but checks nothing cannot pass.
# checkpatch.pl comes from `make deps` (.cache/checkpatch/); its absence is a failure.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CP=${CHECKPATCH:-$ROOT/.cache/checkpatch/checkpatch.pl}
TMP=$(mktemp -d /tmp/checkpatch.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

if ! check "checkpatch.pl is installed ($CP)" test -f "$CP"; then
	finish
fi

# A file with three faults checkpatch reports: a missing space after `if`, a barrier
# without a comment, and a trailing space.
cat > "$TMP/bad.c" <<'EOS'
// SPDX-License-Identifier: GPL-2.0
static int bad(int x)
{
	if(x)
		smp_mb();
	return x; 
}
EOS
out=$(perl "$CP" --no-tree --terse --show-types -f "$TMP/bad.c" 2>&1)
rc=$?
n=0
for t in SPACING MEMORY_BARRIER TRAILING_WHITESPACE; do
	grep -q ":$t:" <<< "$out" && n=$((n + 1))
done
if [ "$rc" -ne 0 ] && [ "$n" -eq 3 ]; then
	pass "checkpatch flags a file with three known faults (exit $rc)"
else
	fail "checkpatch missed known faults (exit $rc, $n of 3 found):"
	sed 's/^/    | /' <<< "$out"
fi

files=$(cd "$ROOT" && ls module/*.[ch] | grep -v '\.mod\.c$')
[ -n "$files" ] || fail "no module sources found"
for f in $files; do
	out=$(cd "$ROOT" && perl "$CP" --no-tree --terse --show-types -f "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -qE ': (ERROR|WARNING):' <<< "$out"; then
		pass "checkpatch: $f clean"
	else
		fail "checkpatch: $f (exit $rc):"
		sed 's/^/    | /' <<< "$out"
	fi
done
finish
