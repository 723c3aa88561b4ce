# SPDX-License-Identifier: GPL-2.0
# lib.sh - the checks of the host tests, sourced by tests/host/*.sh (it is not a test, and
# tests/run-all.sh does not run it).
#
# Each check prints one line, "PASS: WHAT" or "FAIL: WHAT", which tests/run-all.sh counts;
# "SKIP: WHAT" says what could not be checked here, and is not counted. finish prints
# "NAME: N passed, N failed" and exits 0 only when no check failed; a test that made no
# check at all and skipped none fails, so that checks skipped over by mistake show.

RXS_TEST=$(basename "$0" .sh)
npass=0 nfail=0 nskip=0

pass() { echo "PASS: $*"; npass=$((npass + 1)); }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
skip() { echo "SKIP: $*"; nskip=$((nskip + 1)); }

# expect WHAT GOT WANT: GOT is the string WANT. Returns 1 when it is not.
expect() {
	if [ "$2" = "$3" ]; then pass "$1 ($2)"; else fail "$1: got '$2', want '$3'"; return 1; fi
}

# check WHAT COMMAND...: COMMAND succeeds. Returns 1 when it does not.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; return 1; fi
}

# expect_exit WHAT STATUS PATTERN -- COMMAND...: COMMAND exits with STATUS and prints a line
# matching the extended regular expression PATTERN (stdout or stderr). On failure, the end
# of its output follows the FAIL: line. Returns 1 on failure.
expect_exit() {
	local what=$1 want=$2 pat=$3 out rc
	shift 4
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -e "$pat" <<< "$out"; then
		pass "$what (exit $rc)"
	else
		fail "$what: exit $rc (want $want and /$pat/), output:"
		tail -n 15 <<< "$out" | sed 's/^/    | /'
		return 1
	fi
}

# finish: the summary line, then exit: 0 when no check failed, 1 otherwise.
finish() {
	if [ $((npass + nfail + nskip)) -eq 0 ]; then
		fail "$RXS_TEST made no check"
	fi
	echo "$RXS_TEST: $npass passed, $nfail failed$([ "$nskip" -gt 0 ] && echo ", $nskip skipped")"
	[ "$nfail" -eq 0 ]
	exit
}
