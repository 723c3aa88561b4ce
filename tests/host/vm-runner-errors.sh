#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The VM runner's bad-input and failure paths: each gives a clear message and the documented
# exit status (2 bad input, 124 time-out), and a hung guest is powered off.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/tests/vm/run-vm.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_exit "missing kernel is refused" 2 "guest kernel /nonexistent/vmlinuz not found" -- \
	"$run" --kernel /nonexistent/vmlinuz boot
expect_exit "missing module is refused" 2 "module /nonexistent.ko not found" -- \
	"$run" --module /nonexistent.ko boot
expect_exit "unknown guest kernel version is refused" 2 "guest kernel 9.9.9-none not in .cache/guest/" -- \
	"$run" --kver 9.9.9-none boot
expect_exit "the module with another kernel is refused" 2 "needs rxscope_igb.ko, built for" -- \
	"$run" --kver older module-basic
expect_exit "unknown scenario is refused" 2 "scenario 'no-such-scenario' not found" -- \
	"$run" no-such-scenario
expect_exit "bad time limit is refused" 2 "timeout must be a positive number" -- \
	"$run" --timeout abc boot
expect_exit "unknown option is refused" 2 "unknown option -+bogus" -- \
	"$run" --bogus boot
start=$(date +%s)
expect_exit "a hung scenario times out and is killed" 124 "scenario timed out after 20s" -- \
	"$run" --no-module --timeout 20 --out "$tmp/hang" hang
took=$(( $(date +%s) - start ))
if [ "$took" -lt 40 ] && ! pgrep -f "$tmp/hang" >/dev/null; then
	pass "the hung guest is gone within the limit (${took}s)"
else
	fail "the hung guest took ${took}s or is still running"
fi
finish
