#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# replay.sh RXSCOPE - the kept fuzz inputs (tests/fuzz/regress/ and tests/fuzz/corpus/)
# through the real binary rather than the harnesses: every JSON input through `report`
# and, paired with a baseline, `compare`; every softnet input through `softnet`. Each
# must end with a documented exit code (0, 1, 2, and 4 for compare's inconclusive and
# softnet's), never a crash or another code. Used by tests/host/sanitizers.sh with the ASan+UBSan binary.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
rxscope=${1:?usage: replay.sh RXSCOPE}
base=$top/tests/baselines/6.12.117+deb12-amd64/default/run-1.json
n=0 bad=0

check() {	# check ALLOWED-CODES FILE COMMAND...
	local allowed=$1 file=$2 rc
	shift 2
	"$@" > /dev/null 2>&1
	rc=$?
	n=$((n + 1))
	case " $allowed " in
	*" $rc "*) ;;
	*) echo "unexpected exit $rc: $* (input $file)"; bad=$((bad + 1)) ;;
	esac
}

for f in "$top"/tests/fuzz/regress/json/* "$top"/tests/fuzz/corpus/json/*; do
	[ -f "$f" ] || continue
	check "0 2" "$f" "$rxscope" report --hist "$f"
	check "0 1 2 4" "$f" "$rxscope" compare "$base" "$f"
done
for f in "$top"/tests/fuzz/regress/softnet/* "$top"/tests/fuzz/corpus/softnet/*; do
	[ -f "$f" ] || continue
	RXSCOPE_SOFTNET_PATH=$f check "0 2 4" "$f" "$rxscope" softnet -i 0.01 -d 0.02
done
echo "$n runs, $bad unexpected"
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
