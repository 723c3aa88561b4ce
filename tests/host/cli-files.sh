#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cli-files.sh - what a first-time user meets at the command line, on the host kernel
# and without traffic: record refuses an output path it could not write before it
# attaches anything; record --format prom -i rewrites its file every interval; report
# names what is wrong with a file that is not a JSON recording; trace prints each
# interval's own figures and the totals at the end; -h works on every verb and program.
# Prints PASS:/FAIL: per check.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}
TMP=$(mktemp -d /tmp/rxs-cli-files.XXXXXX)
npass=0 nfail=0
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
expect() { if [ "$2" = "$3" ]; then pass "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi; }
# has LABEL FILE TEXT: TEXT (fixed string) is in FILE
has() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: no '$3' in: $(head -c 400 "$2")"; fi; }
hasnt() { if grep -qF -- "$3" "$2"; then fail "$1: '$3' in: $(head -c 400 "$2")"; else pass "$1"; fi; }
finish() { echo "cli-files: $npass passed, $nfail failed"; [ "$nfail" -eq 0 ]; exit; }

[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
for b in "$RXSCOPE" "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b is not built"; finish; }
done

# --- record checks its output path at start-up: exit 2, nothing attached -----------------
bad_output() { # bad_output LABEL PATH TEXT [record options]
	local label=$1 path=$2 text=$3
	shift 3
	"$RXSCOPE" record -o "$path" -d 3 "$@" > "$TMP/bad.out" 2> "$TMP/bad.err"
	expect "record -o $label: exit status" "$?" 2
	has "record -o $label: the message names the problem" "$TMP/bad.err" "$text"
	cat "$TMP/bad.out" >> "$TMP/bad.err"
	hasnt "record -o $label: refused before anything was attached" "$TMP/bad.err" "HOOK"
}
bad_output "in a missing directory" /nonexistent-rxs/x.json \
	"/nonexistent-rxs/x.json: directory /nonexistent-rxs does not exist"
mkdir "$TMP/adir"
bad_output "naming a directory" "$TMP/adir" "$TMP/adir: is a directory"
bad_output "naming a directory with a slash" "$TMP/adir/" "is a directory"
touch "$TMP/afile"
bad_output "under a file" "$TMP/afile/x.json" "$TMP/afile is not a directory"
bad_output "--split in a missing directory" /nonexistent-rxs/x.json "does not exist" --split
"$RXSCOPE" trace -d 3 --ready-file /nonexistent-rxs/ready > "$TMP/bad.err" 2>&1
expect "trace --ready-file in a missing directory: exit status" "$?" 2
has "trace --ready-file in a missing directory: the message names it" "$TMP/bad.err" \
	"/nonexistent-rxs/ready: directory /nonexistent-rxs does not exist"
hasnt "trace --ready-file in a missing directory: refused before anything was attached" \
	"$TMP/bad.err" "HOOK"

finish
