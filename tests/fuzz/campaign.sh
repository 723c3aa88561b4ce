#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# campaign.sh OUTDIR [NAME=SECONDS]... - a long fuzzing campaign on one core: copies the
# harnesses into OUTDIR/bin (so that rebuilding the tree does not touch them), then runs
# each harness in turn for its seconds, niced, keeping its growing corpus in OUTDIR/work
# and its log in OUTDIR/logs. Ends with a table of executions, coverage and crashes per
# harness in OUTDIR/summary.txt. Default: json=1200 compare=1200 rxsink=600 softnet=420
# cli=420 frame=360 (70 minutes).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=$(realpath -m "${1:?usage: campaign.sh OUTDIR [NAME=SECONDS]...}")
shift
[ $# -gt 0 ] || set -- json=1200 compare=1200 rxsink=600 softnet=420 cli=420 frame=360
mkdir -p "$out/bin" "$out/work" "$out/logs"
cp build-fuzz/fuzz_* "$out/bin/"
{
	echo "campaign started $(date -u '+%F %T') UTC, commit $(git rev-parse --short HEAD)"
	for spec in "$@"; do
		name=${spec%%=*} secs=${spec#*=}
		FUZZ_BIN=$out/bin FUZZ_WORK=$out/work FUZZ_OUT=$out/logs \
			nice -n 10 bash tests/fuzz/run.sh "$secs" "$name"
		ls "$out/work/$name" | wc -l | sed "s/^/corpus files $name: /"
	done
	echo "campaign ended $(date -u '+%F %T') UTC"
} 2>&1 | tee "$out/summary.txt"
