#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The HTML pages in a real browser: Debian's chromium, headless, opens
#  - the report of a real VM recording with a time series (tests/host/data/
#    demo-series-6.12.json, written by the demo scenario with record -i 1), and
#  - the compare page of ten real clean ci-check runs (tests/host/data/ci-clean/) against
#    ten recorded with rxscope_igb's inject_poll_delay_ns = 50000 (ci-inject-50us/),
# takes a screenshot of each (kept in results/html-browser/), and fails on any console
# message and on any request the page makes. Requests are read from chromium's own net
# log (the page's have an origin; the browser's background requests have none), and every
# host name resolves to nothing, so no request leaves the machine. A control page that
# does make a request and logs an error must be caught by the same checks.
# It then reads the page's DOM and checks that the quantiles it shows equal those of
# `rxscope report` for the same file, and that the verdicts equal `rxscope compare`'s.
# Needs chromium and python3 (make deps); three browser runs, about 10 s.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rxscope=$top/build/rxscope
out=$top/results/html-browser
data=tests/host/data

command -v chromium >/dev/null || { fail "chromium is not installed (make deps)"; finish; }
command -v python3 >/dev/null || { fail "python3 is not installed (make deps)"; finish; }
[ -x "$rxscope" ] || { fail "$rxscope not built"; finish; }
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d /tmp/html-browser.XXXXXX)
trap 'rm -rf "$work"' EXIT

# browse NAME FILE [HEIGHT]: open FILE once; its DOM goes to $out/NAME.dom and, with a
# HEIGHT, a screenshot 1100 x HEIGHT to $out/NAME.png; console lines are appended to
# $work/NAME.console and the page's requests to $work/NAME.requests.
browse() {
	local name=$1 page=$2 height=${3:-} log
	local args

	log=$work/$name
	args=(--headless --no-sandbox --disable-gpu --no-first-run
		--disable-background-networking --disable-component-update --disable-sync
		--user-data-dir="$log.profile" --host-resolver-rules="MAP * ~NOTFOUND"
		--log-net-log="$log.netlog" --enable-logging=stderr --v=0 --hide-scrollbars)
	[ -n "$height" ] && args+=(--window-size="1100,$height" --screenshot="$out/$name.png")
	timeout 90 chromium "${args[@]}" --dump-dom "file://$page" > "$out/$name.dom" 2> "$log.err"
	grep -F ':CONSOLE' "$log.err" >> "$work/$name.console"
	python3 - "$log.netlog" >> "$work/$name.requests" <<'EOF'
import json, sys
# chromium may leave the log without its closing brackets when it is killed
text = open(sys.argv[1]).read().rstrip().rstrip(",")
try:
    log = json.loads(text)
except ValueError:
    log = json.loads(text + "]}")
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
for e in log.get("events", []):
    p = e.get("params") or {}
    if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in p \
            and p.get("initiator") != "not an origin":
        print(p["url"])
EOF
	touch "$work/$name.console" "$work/$name.requests"
}

# quiet NAME: no console message and no request for page NAME
quiet() {
	if [ -s "$work/$1.console" ]; then
		fail "$1: console messages:"; sed 's/^/  /' "$work/$1.console"
	else
		pass "$1: no console message"
	fi
	if [ -s "$work/$1.requests" ]; then
		fail "$1: the page made requests:"; sed 's/^/  /' "$work/$1.requests"
	else
		pass "$1: the page made no request"
	fi
}

# --- the checks must be able to see a request and a console error --------------------------
cat > "$work/control.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>control</title></head>
<body><img src="http://rxscope-control.invalid/x.png"/>
<script>console.error("rxscope-control");</script></body></html>
EOF
browse control "$work/control.html"
if grep -q 'rxscope-control.invalid/x.png' "$work/control.requests"; then
	pass "control: a page's request is seen"
else
	fail "control: a page's request was not seen"
fi
if grep -q 'rxscope-control' "$work/control.console"; then
	pass "control: a console error is seen"
else
	fail "control: a console error was not seen"
fi

# --- the report --------------------------------------------------------------------------------
rec=$data/demo-series-6.12.json
if "$rxscope" report "$rec" --format html -o "$out/report.html" 2> "$work/report.err"; then
	pass "report --format html exits 0"
else
	fail "report --format html: $(cat "$work/report.err")"
	finish
fi
"$rxscope" report "$rec" > "$work/report.txt"
browse report "$out/report.html" 11000
quiet report
[ -s "$out/report.png" ] && pass "report: screenshot $out/report.png" ||
	fail "report: no screenshot"

# quantiles: the DOM's table against the text table, stage by stage
n=0 bad=0
while read -r stage rest; do
	[ -n "$stage" ] || continue
	set -- $rest
	[ "${1:0:1}" = "[" ] && shift	# "poll_pkts [packets]"
	want="$2 $3 $4 $5"
	[ "$2" = "-" ] && continue
	got=$(grep -o "<tr data-stage=\"$stage\">.*</tr>" "$out/report.dom" |
		grep -o 'data-q="[^"]*">[^<]*' | sed 's/.*>//' | tr '\n' ' ' | sed 's/ $//')
	n=$((n + 1))
	if [ "$got" != "$want" ]; then
		echo "  $stage: page shows '$got', rxscope report '$want'"
		bad=$((bad + 1))
	fi
done < <(awk '/^STAGE /{t=1; next} t && NF==0 {exit} t && $1 ~ /^[a-z_]+$/' "$work/report.txt")
if [ "$n" -ge 10 ] && [ "$bad" -eq 0 ]; then
	pass "report: the page's p50/p90/p99/p99.9 of $n stages equal rxscope report's"
else
	fail "report: quantiles of $bad of $n stages differ (or fewer than 10 stages)"
fi
for want in 'waterfall at p99' 'heatmap of socket over time' 'packet rate over time' \
	'distribution of irq_to_rx'; do
	if grep -q "aria-label=\"$want\"" "$out/report.dom"; then
		pass "report: the browser's DOM holds '$want'"
	else
		fail "report: '$want' missing from the DOM"
	fi
done

# --- the compare page --------------------------------------------------------------------------
base=$data/ci-clean
new=$data/ci-inject-50us
args=(--quantile p50 --max-regression 15%)	# the default ci-check profile's
"$rxscope" compare "$base" "$new" "${args[@]}" --format html -o "$out/compare.html" \
	2> "$work/compare.err"
rc=$?
"$rxscope" compare "$base" "$new" "${args[@]}" > "$work/compare.txt"
rc_text=$?
if [ "$rc" = 1 ] && [ "$rc_text" = 1 ]; then
	pass "compare --format html exits 1 (regression), as the text form"
else
	fail "compare --format html exits $rc, the text form $rc_text (want 1): $(cat "$work/compare.err")"
fi
browse compare "$out/compare.html" 6800
quiet compare
[ -s "$out/compare.png" ] && pass "compare: screenshot $out/compare.png" ||
	fail "compare: no screenshot"
n=0 bad=0
while IFS=$'\t' read -r stage verdict; do
	got=$(grep -o "data-stage=\"$stage\">.*</tr>" "$out/compare.dom" |
		grep -o '<td class="l verdict">[^<]*' | sed 's/.*>//')
	n=$((n + 1))
	if [ "$got" != "$verdict" ]; then
		echo "  $stage: page says '$got', rxscope compare '$verdict'"
		bad=$((bad + 1))
	fi
done < <(awk '/^STAGE /{t=1; next} t && NF==0 {exit}
	t { # the verdict follows the interval "[lo, hi]" (or "-"), and may be two words
	    if (index($0, "]")) { v = $0; sub(/.*\]/, "", v) }
	    else { v = $NF; if (v == "data" || v == "judged") v = $(NF-1) " " $NF }
	    gsub(/^ +| +$/, "", v); print $1 "\t" v }' "$work/compare.txt")
if [ "$n" -ge 10 ] && [ "$bad" -eq 0 ]; then
	pass "compare: the page's verdicts of $n stages equal rxscope compare's"
else
	fail "compare: verdicts of $bad of $n stages differ (or fewer than 10 stages)"
fi
first=$(grep -o '<tr class="v-[^"]*" data-stage="[^"]*"' "$out/compare.dom" | head -n 1)
if [[ $first == *v-regressed* ]]; then
	pass "compare: a regressed stage comes first ($first)"
else
	fail "compare: the first stage is not a regressed one: $first"
fi
if grep -q 'id="outcome">REGRESSION<' "$out/compare.dom"; then
	pass "compare: the page's heading says REGRESSION"
else
	fail "compare: the heading does not say REGRESSION"
fi
echo "html-browser: pages, DOMs and screenshots in $out"
finish
