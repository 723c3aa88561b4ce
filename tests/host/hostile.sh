#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# hostile.sh - rxscope in hostile environments and on hostile files: each case must end
# with a clear message and its documented exit code (docs/usage.md), never a crash, and
# must leave no partial file under the target name. Cases: a recording from a future
# schema version and recordings with absurd values; a softnet_stat with more columns than
# any kernel prints; /sys/kernel/btf hidden (a private mount namespace); RLIMIT_MEMLOCK 0;
# a full tmpfs and a tmpfs turned read-only during a record; the traced device deleted
# under `trace --dev`; a record killed by SIGKILL.
# Needs root for the tracing cases (BPF, mounts). Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
BASE=$ROOT/tests/baselines/6.12.117+deb12-amd64/default/run-1.json
TMP=$(mktemp -d /tmp/rxs-hostile.XXXXXX)
MNT=$TMP/mnt

cleanup() {
	[ -n "${bg:-}" ] && kill "$bg" 2> /dev/null
	mountpoint -q "$MNT" && umount "$MNT"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# no_file WHAT PATH: neither PATH nor a temp file of it exists
no_file() {
	local left
	left=$(ls -d "$2" "$2".tmp* 2> /dev/null)
	if [ -z "$left" ]; then
		pass "$1: no file under $(basename "$2") and no temp file left"
	else
		fail "$1: left $left"
	fi
}

[ -x "$RXSCOPE" ] || { fail "prerequisite: $RXSCOPE is not built"; finish; }
[ -f "$BASE" ] || { fail "prerequisite: $BASE missing"; finish; }

# --- hostile files -----------------------------------------------------------------
# mutate NAME PYTHON-EXPR: a copy of the baseline with the JSON object d changed
mutate() {
	python3 - "$BASE" "$TMP/$1.json" "$2" << 'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], 'w'))
PY
}
mutate future 'd["schema"] = "rxscope/2"'
expect_exit "report: recording from a future schema version" 2 \
	'schema: unknown schema version "rxscope/2" \(this rxscope reads rxscope/1\)' -- \
	"$RXSCOPE" report "$TMP/future.json"
expect_exit "compare: a future schema version on one side" 2 'unknown schema version' -- \
	"$RXSCOPE" compare "$BASE" "$TMP/future.json"
mutate negcount 'd["stages"][0]["hist"]["count"] = -5'
expect_exit "report: negative count" 2 'stages\[0\]\.hist\.count: negative value -5' -- \
	"$RXSCOPE" report "$TMP/negcount.json"
mutate slot 'd["stages"][0]["hist"]["buckets"][0][0] = 100000'
expect_exit "report: bucket index out of range" 2 'buckets\[0\]: slot 100000 outside 0\.\.' -- \
	"$RXSCOPE" report "$TMP/slot.json"
mutate layout 'd["hist_layout"]["sub_bits"] = 4'
expect_exit "report: histogram layout that does not match" 2 'hist_layout: buckets 4/' -- \
	"$RXSCOPE" report "$TMP/layout.json"
mutate hugearr 'd["drops"] = [{"reason": 1, "name": "x", "count": 1}] * 200000'
expect_exit "report: huge drops array (200000 entries) is read, not a crash" 0 'drops' -- \
	"$RXSCOPE" report "$TMP/hugearr.json"
{ cat "$BASE"; printf '\0\0\0\0'; } > "$TMP/nul.json"
expect_exit "report: NUL bytes after the document (a zero-padded file)" 2 \
	'not valid JSON: trailing data at byte' -- "$RXSCOPE" report "$TMP/nul.json"
mutate hugecpus 'd["ncpus"] = 100000'
expect_exit "report: ncpus beyond the limit" 2 'ncpus: 100000 outside 0\.\.1024' -- \
	"$RXSCOPE" report "$TMP/hugecpus.json"

# --- softnet_stat wider than any kernel ----------------------------------------------------
python3 -c "print(' '.join(['00000001'] * 33)); print(' '.join(['00000002'] * 33))" \
	> "$TMP/softnet33"
python3 -c "
for c in range(2): print(' '.join('%08x' % (c if i == 12 else i) for i in range(20)))" \
	> "$TMP/softnet20"
RXSCOPE_SOFTNET_PATH=$TMP/softnet33 expect_exit "softnet: 33 columns" 2 \
	'line 1: more than 32 columns' -- "$RXSCOPE" softnet -d 0.2
RXSCOPE_SOFTNET_PATH=$TMP/softnet20 expect_exit "softnet: 20 columns (a future kernel's layout)" \
	0 'col19' -- "$RXSCOPE" softnet -i 0.1 -d 0.2

if [ "$(id -u)" -ne 0 ]; then
	skip "the tracing cases need root"
	finish
fi

RXSCOPE_SOFTNET_PATH=$TMP/softnet33 expect_exit "record: 33 softnet columns warn, record goes on" \
	0 'warning: .*more than 32 columns' -- "$RXSCOPE" record -o "$TMP/sn33.json" -d 0.2
if [ -f "$TMP/sn33.json" ] && ! grep -q '"ncols": [1-9]' "$TMP/sn33.json"; then
	pass "record: 33 softnet columns: the recording holds no softnet columns"
else
	fail "record: 33 softnet columns: $TMP/sn33.json missing or with softnet columns"
fi
RXSCOPE_SOFTNET_PATH=$TMP/softnet20 expect_exit "record: 20 softnet columns are recorded" 0 \
	'wrote' -- "$RXSCOPE" record -o "$TMP/sn20.json" -d 0.2
if grep -q '"ncols": 20' "$TMP/sn20.json" 2> /dev/null &&
   "$RXSCOPE" report "$TMP/sn20.json" > /dev/null 2>&1; then
	pass "record: 20 softnet columns read back by report"
else
	fail "record: 20 softnet columns not in $TMP/sn20.json or not readable"
fi

# --- kernel features and limits ----------------------------------------------------------
expect_exit "trace: /sys/kernel/btf/vmlinux missing" 3 \
	'missing kernel feature: BTF \(/sys/kernel/btf/vmlinux' -- \
	unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs none /sys/kernel/btf &&
		exec "$0" trace -d 0.2' "$RXSCOPE"
# Kernels since 5.11 charge BPF memory to the cgroup, not RLIMIT_MEMLOCK: a limit of 0
# must not matter there; older kernels need libbpf to raise it (root may).
expect_exit "record: RLIMIT_MEMLOCK 0" 0 'wrote' -- \
	prlimit --memlock=0:0 "$RXSCOPE" record -o "$TMP/memlock.json" -d 0.2

# --- full and read-only disks ---------------------------------------------------------------
mkdir -p "$MNT"
mount -t tmpfs -o size=256k rxs-hostile "$MNT" || { fail "mount a tmpfs on $MNT"; finish; }
dd if=/dev/zero of="$MNT/fill" bs=4k 2> /dev/null
for fmt in json csv prom; do
	expect_exit "record -o on a full disk, --format $fmt" 5 "run.$fmt.*No space left on device" -- \
		"$RXSCOPE" record -o "$MNT/run.$fmt" --format "$fmt" -d 0.2
	no_file "record -o on a full disk, --format $fmt" "$MNT/run.$fmt"
done
rm -f "$MNT/fill"

"$RXSCOPE" record -o "$MNT/run.json" -d 3 --ready-file "$TMP/ready" > "$TMP/ro.out" 2>&1 &
bg=$!
for _ in $(seq 100); do [ -f "$TMP/ready" ] && break; sleep 0.1; done
mount -o remount,ro "$MNT"
wait "$bg"
rc=$?
bg=
if [ "$rc" -eq 5 ] && grep -q "Read-only file system" "$TMP/ro.out"; then
	pass "record -o on a disk turned read-only during the run (exit 5)"
else
	fail "record -o on a disk turned read-only: exit $rc (want 5), output:"
	tail -n 5 "$TMP/ro.out" | sed 's/^/    | /'
fi
no_file "record -o on a disk turned read-only" "$MNT/run.json"
mount -o remount,rw "$MNT"

# --- the traced device disappears --------------------------------------------------------
veth=rxshv$$
if ip link add "$veth" type veth peer name "${veth}p" 2> /dev/null; then
	rm -f "$TMP/ready"
	"$RXSCOPE" trace --dev "$veth" -i 1 -d 60 --ready-file "$TMP/ready" > "$TMP/lost.out" 2>&1 &
	bg=$!
	for _ in $(seq 100); do [ -f "$TMP/ready" ] && break; sleep 0.1; done
	ip link del "$veth"
	for _ in $(seq 100); do kill -0 "$bg" 2> /dev/null || break; sleep 0.1; done
	if kill -0 "$bg" 2> /dev/null; then
		fail "trace --dev: still running 10 s after its device was deleted"
		kill -INT "$bg"
	fi
	wait "$bg"
	rc=$?
	bg=
	if [ "$rc" -eq 5 ] && grep -q "device $veth (ifindex [0-9]*) is gone" "$TMP/lost.out"; then
		pass "trace --dev: the device deleted under the tracer is reported (exit 5)"
	else
		fail "trace --dev with its device deleted: exit $rc (want 5), output:"
		tail -n 4 "$TMP/lost.out" | sed 's/^/    | /'
	fi
else
	fail "could not create veth $veth"
fi

# --- SIGKILL -------------------------------------------------------------------------------
rm -f "$TMP/ready"
"$RXSCOPE" record -o "$MNT/killed.json" -d 30 --ready-file "$TMP/ready" > /dev/null 2>&1 &
bg=$!
for _ in $(seq 100); do [ -f "$TMP/ready" ] && break; sleep 0.1; done
kill -KILL "$bg"
wait "$bg" 2> /dev/null
rc=$?
bg=
[ "$rc" -eq 137 ] && pass "record killed by SIGKILL (exit 137)" ||
	fail "record killed by SIGKILL: exit $rc"
no_file "record killed by SIGKILL" "$MNT/killed.json"

finish
