#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The time series of a recording, live on this host's kernel: `rxscope record -i 0.5`
# with loopback UDP traffic writes a "series" whose intervals follow each other and add
# up to the recording's totals (every stage's buckets, count and sum, and the BPF
# counters); without -i there is no series; `report` reads both, and `report --format
# html` draws the heatmaps only for the one with a series. Needs python3 (make deps) to
# read the JSON; about 6 s.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
rxscope=$top/build/rxscope

[ -x "$rxscope" ] || { fail "$rxscope not built"; finish; }
command -v python3 >/dev/null || { fail "python3 is not installed (make deps)"; finish; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

traffic() {	# some loopback UDP for the softirq and socket-side stages
	for _ in $(seq 300); do echo x > /dev/udp/127.0.0.1/9; sleep 0.008; done 2>/dev/null
}

traffic &
tp=$!
if "$rxscope" record -o "$tmp/series.json" -i 0.5 -d 3 > "$tmp/rec1.log" 2>&1; then
	pass "record -i 0.5 -d 3 exits 0"
else
	fail "record -i 0.5 failed:"; cat "$tmp/rec1.log"
	finish
fi
kill "$tp" 2> /dev/null
wait "$tp" 2> /dev/null
traffic &
tp=$!
if "$rxscope" record -o "$tmp/plain.json" -d 1 > "$tmp/rec2.log" 2>&1; then
	pass "record -d 1 exits 0"
else
	fail "record -d 1 failed:"; cat "$tmp/rec2.log"
fi
kill "$tp" 2> /dev/null
wait "$tp" 2> /dev/null

python3 - "$tmp/series.json" "$tmp/plain.json" > "$tmp/checks.txt" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
s = r.get("series")
def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what)
check(s is not None and len(s) >= 5, "record -i 0.5 -d 3 keeps a series of %d intervals (at least 5)"
      % (len(s) if s else 0))
s = s or []
prev, spans = 0.0, True
for iv in s:
    if not (iv["dur_s"] >= 0 and abs(iv["t_s"] - iv["dur_s"] - prev) < 1e-6):
        spans = False
    prev = iv["t_s"]
check(spans and abs(prev - r["duration_s"]) < 1e-6,
      "the intervals follow each other without gaps and end with the recording")
bad = []
events = 0
for st in r["stages"]:
    h = st["hist"]
    slots, count, total = {}, 0, 0
    for iv in s:
        d = iv["stages"].get(st["name"])
        if not d:
            continue
        count += d["count"]
        total += d["sum"]
        for slot, c in d["buckets"]:
            slots[slot] = slots.get(slot, 0) + c
    events += h["count"]
    if count != h["count"] or total != h["sum"] or slots != {b: c for b, c in h["buckets"]}:
        bad.append(st["name"])
check(not bad and events > 0, "every stage's intervals add up to its totals (%d events; differ: %s)"
      % (events, ", ".join(bad) or "none"))
cnt = {}
for c in r["cpus"]:
    for k, v in c["bpf"].items():
        if k != "funnel":
            cnt[k] = cnt.get(k, 0) + v
sums = {k: sum(iv["bpf"][k] for iv in s) for k in cnt}
check(sums == cnt, "the BPF counters of the intervals add up to the per-CPU totals")
p = json.load(open(sys.argv[2]))
check("series" not in p, "without -i the recording has no series")
EOF
[ -s "$tmp/checks.txt" ] || fail "the JSON checks printed nothing"
# the checks' PASS:/FAIL: lines, counted as this script's own
while IFS= read -r line; do
	case $line in
	'PASS: '*) pass "${line#PASS: }" ;;
	'FAIL: '*) fail "${line#FAIL: }" ;;
	*) echo "$line" ;;
	esac
done < "$tmp/checks.txt"

for f in series plain; do
	if "$rxscope" report "$tmp/$f.json" > "$tmp/$f.txt" 2>&1; then
		pass "report reads the recording $f.json"
	else
		fail "report $f.json: $(cat "$tmp/$f.txt")"
	fi
	"$rxscope" report "$tmp/$f.json" --format html -o "$tmp/$f.html" 2> /dev/null
done
if grep -q 'aria-label="heatmap of' "$tmp/series.html" &&
   ! grep -q 'aria-label="heatmap of' "$tmp/plain.html" &&
   grep -q 'has no time series' "$tmp/plain.html"; then
	pass "report --format html draws heatmaps for the series only"
else
	fail "report --format html: heatmaps missing from the series page or present without one"
fi
finish
