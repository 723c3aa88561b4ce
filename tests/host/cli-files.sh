#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cli-files.sh - what a first-time user meets at the command line, on the host kernel
# and without traffic: record refuses an output path it could not write before it
# attaches anything; record --format prom -i rewrites its file every interval; report
# names what is wrong with a file that is not a JSON recording; trace prints each
# interval's own figures and the totals at the end; -h works on every verb and program.
# Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}
TMP=$(mktemp -d /tmp/rxs-cli-files.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# has LABEL FILE TEXT: TEXT (fixed string) is in FILE
has() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: no '$3' in: $(head -c 400 "$2")"; fi; }
hasnt() { if grep -qF -- "$3" "$2"; then fail "$1: '$3' in: $(head -c 400 "$2")"; else pass "$1"; fi; }

[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
for b in "$RXSCOPE" "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b is not built"; finish; }
done

# --- -h everywhere; help text printed as written ------------------------------------------
for cmd in "rxscope trace" "rxscope record" "rxscope report" "rxscope compare" \
	"rxscope softnet" "rxscope probe" "rxscope serve" rxgen rxsink; do
	set -- $cmd
	bin=$ROOT/build/$1
	shift
	"$bin" "$@" -h > "$TMP/h.out" 2>&1
	rc=$?
	"$bin" "$@" --help > "$TMP/help.out" 2>&1
	if [ "$rc" = 0 ] && cmp -s "$TMP/h.out" "$TMP/help.out" && grep -q '^USAGE: ' "$TMP/h.out"; then
		pass "$cmd -h: exit 0, the same as --help"
	else
		fail "$cmd -h: exit $rc: $(head -c 200 "$TMP/h.out")"
	fi
	long=$(awk 'length($0) > 80' "$TMP/help.out" | head -n 1)
	[ -z "$long" ] && pass "$cmd --help: no line wider than 80 columns" ||
		fail "$cmd --help: a line wider than 80 columns: $long"
	if grep -qx 'Options' "$TMP/help.out"; then fail "$cmd --help ends with a stray 'Options'"; fi
	if grep -q '^ \+$' "$TMP/help.out"; then fail "$cmd --help has a line of blanks"; fi
done
"$RXSCOPE" report --help > "$TMP/help.out"
has "report --help: says that poll_pkts counts empty polls" "$TMP/help.out" \
	"poll_pkts counts every NAPI poll,"
# a hand-written continuation line comes out exactly as written (argp re-wrapped it)
"$RXSCOPE" record --help > "$TMP/help.out"
grep -qx '                      \[--dev IF\] \[--port N\] \[--cpu N\] \[--sample PCT\] \[-i SEC\]' \
	"$TMP/help.out" && pass "record --help: the USAGE block as written" ||
	fail "record --help: the USAGE block was re-wrapped: $(grep -A2 '^USAGE' "$TMP/help.out")"
# --detail takes a comma list of known groups, nothing else
for bad in bogus "nf," ",nf" "" "nf,bogus"; do
	"$RXSCOPE" record -o "$TMP/d.json" --detail "$bad" > "$TMP/d.out" 2>&1
	expect "record --detail '$bad' is refused" "$?" 2
	has "record --detail '$bad': says what it wants" "$TMP/d.out" "want a comma list of: nf"
done
[ ! -e "$TMP/d.json" ] && pass "a refused --detail writes no file" || fail "--detail wrote a file"
# -i means --interval in rxscope; rxgen and rxsink give it no other meaning
"$RXGEN" -i lo --count 1 > "$TMP/i.out" 2>&1
expect "rxgen -i (not a short option any more) is refused" "$?" 2
"$RXSINK" -i 1 --count 1 > "$TMP/i.out" 2>&1
expect "rxsink -i (not a short option any more) is refused" "$?" 2

# --- histogram rows in readable units, raw nanoseconds on request -------------------------
base=$(ls "$ROOT"/tests/baselines/*/default/run-1.json | head -n 1)
"$RXSCOPE" report "$base" --hist > "$TMP/hist.out" 2>&1
grep -q '^ *\[[0-9.]*[num]*s, [0-9.]*[num]*s) : [0-9]' "$TMP/hist.out" &&
	pass "report --hist: rows like [2.05us, 4.10us)" ||
	fail "report --hist: no readable rows: $(grep -m 2 ' : ' "$TMP/hist.out")"
"$RXSCOPE" report "$base" --hist --ns > "$TMP/hist.out" 2>&1
grep -q '^ *[0-9]* -> [0-9]* *: [0-9]' "$TMP/hist.out" &&
	pass "report --hist --ns: rows in raw nanoseconds (2048 -> 4095)" ||
	fail "report --hist --ns: no raw rows: $(grep -m 2 ' : ' "$TMP/hist.out")"

# --- probe explains its marks and the interrupts it found ---------------------------------
"$RXSCOPE" probe --driver generic > "$TMP/probe.out" 2>&1
expect "probe --driver generic: exit status" "$?" 0
has "probe: explains yes*" "$TMP/probe.out" "yes*: the flavour rxscope attached"
hasnt "probe: no bare 'irqs found 0'" "$TMP/probe.out" "irqs found"
has "probe without --dev: says why no interrupt is followed" "$TMP/probe.out" \
	"interrupts: none followed: the generic profile times hardirq only for --dev IF"
"$RXSCOPE" probe --driver generic --dev lo > "$TMP/probe.out" 2>&1
has "probe --dev lo: says that lo has no interrupt lines" "$TMP/probe.out" \
	"interrupts: no /proc/interrupts line is named lo or lo-"

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
# a FIFO (or /dev/null) would be replaced by the rename that makes the write atomic
mkfifo "$TMP/fifo"
bad_output "naming a FIFO" "$TMP/fifo" "$TMP/fifo: not a regular file"
[ -p "$TMP/fifo" ] && pass "record -o FIFO: the FIFO is left alone" ||
	fail "record -o FIFO: the FIFO was replaced"
"$RXSCOPE" trace -d 3 --ready-file /nonexistent-rxs/ready > "$TMP/bad.err" 2>&1
expect "trace --ready-file in a missing directory: exit status" "$?" 2
has "trace --ready-file in a missing directory: the message names it" "$TMP/bad.err" \
	"/nonexistent-rxs/ready: directory /nonexistent-rxs does not exist"
hasnt "trace --ready-file in a missing directory: refused before anything was attached" \
	"$TMP/bad.err" "HOOK"

# --- RXSCOPE_DISABLE takes known hook flavours only ---------------------------------------
RXSCOPE_DISABLE=bogus "$RXSCOPE" trace -d 3 > "$TMP/env.out" 2>&1
expect "RXSCOPE_DISABLE=bogus: exit status" "$?" 2
has "RXSCOPE_DISABLE=bogus: the message names it and the choices" "$TMP/env.out" \
	"RXSCOPE_DISABLE: unknown hook flavour 'bogus': want a comma list of fentry, kprobe, tp_btf, raw_tp"
RXSCOPE_DISABLE=fentry,kprob "$RXSCOPE" probe > "$TMP/env.out" 2>&1
expect "RXSCOPE_DISABLE=fentry,kprob (a typo): probe exit status" "$?" 2
RXSCOPE_DISABLE=tpbtf "$RXSCOPE" serve -d 1 --listen 127.0.0.1:0 > "$TMP/env.out" 2>&1
expect "RXSCOPE_DISABLE=tpbtf (a typo): serve exit status" "$?" 2
RXSCOPE_DISABLE=fentry "$RXSCOPE" trace -d 0.1 > "$TMP/env.out" 2>&1
expect "RXSCOPE_DISABLE=fentry: accepted" "$?" 0

# --- report names what is wrong with a file that is not a JSON recording ------------------
"$RXSCOPE" record -o "$TMP/run.csv" --format csv -d 0.2 > /dev/null 2>&1
"$RXSCOPE" record -o "$TMP/run.prom" --format prom -d 0.2 > /dev/null 2>&1
"$RXSCOPE" record -o "$TMP/run.json" -d 0.2 > /dev/null 2>&1
: > "$TMP/empty.json"
head -c 300 "$TMP/run.json" > "$TMP/cut.json"
bad_report() { # bad_report LABEL FILE TEXT
	"$RXSCOPE" report "$2" > "$TMP/rep.out" 2> "$TMP/rep.err"
	expect "report $1: exit status" "$?" 2
	has "report $1: says what it is" "$TMP/rep.err" "$3"
}
bad_report "of a CSV file" "$TMP/run.csv" \
	"$TMP/run.csv: this looks like CSV (record --format csv); report and compare read JSON recordings"
bad_report "of a Prometheus file" "$TMP/run.prom" \
	"this looks like Prometheus text (record --format prom); report and compare read JSON recordings"
bad_report "of an empty file" "$TMP/empty.json" \
	\
	"$TMP/empty.json: (document): not valid JSON: unexpected end of data at byte 0 (the file is empty)"
bad_report "of a truncated file" "$TMP/cut.json" \
	"$TMP/cut.json: (document): not valid JSON: unexpected end of data at byte 300"
hasnt "report of a truncated file: no json-c internal words" "$TMP/rep.err" "continue"
bad_report "of a directory" "$TMP/adir" "$TMP/adir: is a directory"

# --- record --format prom -i: the file is rewritten every interval -----------------------
rm -f "$TMP/ready"
"$RXSCOPE" record -o "$TMP/live.prom" --format prom -i 0.3 -d 4 --dev lo \
	--ready-file "$TMP/ready" > "$TMP/prom.out" 2>&1 &
rec=$!
PIDS+=("$rec")
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
dur() { sed -n 's/^rxscope_duration_seconds //p' "$TMP/live.prom" 2> /dev/null; }
for _ in $(seq 30); do [ -n "$(dur)" ] && break; sleep 0.1; done
d1=$(dur)
[ -n "$d1" ] && pass "record --format prom -i wrote the file during the run ($d1 s)" ||
	fail "record --format prom -i 0.3: no file during the run"
sleep 1
d2=$(dur)
if [ -n "$d1" ] && [ -n "$d2" ] && awk -v a="$d1" -v b="$d2" 'BEGIN { exit !(b > a) }'; then
	pass "  ... and rewrote it with later totals ($d2 s)"
else
	fail "  ... the file was not rewritten: '$d1' then '$d2'"
fi
kill -0 "$rec" 2> /dev/null && pass "  ... while the run went on" || fail "  ... the run ended early"
wait "$rec"
expect "record --format prom -i exit status" "$?" 0
d3=$(dur)
if awk -v a="${d3:-0}" 'BEGIN { exit !(a >= 3.9) }'; then
	pass "the end wrote the whole run ($d3 s)"
else
	fail "the file at the end holds ${d3:-nothing} s, want about 4"
fi

# --- trace: each interval's own figures, the totals at the end ----------------------------
# A burst of UDP datagrams to a closed port on lo right at the start: the interval tables
# must hold it once (their counts add up to the total) and the later ones must be empty;
# the final table holds the totals. No table line is wider than 100 columns.
PORT=$((39000 + $$ % 1000))
rm -f "$TMP/ready"
"$RXSCOPE" trace --dev lo --port "$PORT" -i 0.5 -d 2.6 --ready-file "$TMP/ready" \
	> "$TMP/iv.out" 2> "$TMP/iv.err" &
tracer=$!
PIDS+=("$tracer")
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
for _ in $(seq 100); do echo x > /dev/udp/127.0.0.1/"$PORT"; done 2> /dev/null
wait "$tracer"
expect "trace -i 0.5 -d 2.6 exit status" "$?" 0
# one line per table: "interval" or "totals", then its funnel netif_receive count
awk '/^[0-9:]+  interval / { kind = "interval" } /^[0-9:]+  totals since start/ { kind = "totals" }
	/^funnel:/ { for (i = 1; i < NF; i++) if ($i == "netif_receive") print kind, $(i + 1) }' \
	"$TMP/iv.out" > "$TMP/iv.tables"
sed 's/^/    /' "$TMP/iv.tables"
n_iv=$(grep -c '^interval ' "$TMP/iv.tables")
[ "$n_iv" -ge 3 ] && pass "trace printed $n_iv interval tables" ||
	fail "trace printed $n_iv interval tables, want at least 3"
expect "the interval counts add up to the burst" \
	"$(awk '$1 == "interval" { n += $2 } END { print n + 0 }' "$TMP/iv.tables")" 100
expect "the last interval table is empty (it holds its own interval only)" \
	"$(grep '^interval ' "$TMP/iv.tables" | tail -n 1 | awk '{ print $2 }')" 0
expect "the final table holds the totals" "$(tail -n 1 "$TMP/iv.tables")" "totals 100"
# (the hook list at the start names long hooks; the tables must stay narrow)
wide=$(sed -n '/^[0-9:]*  \(interval\|totals\) /,$p' "$TMP/iv.out" | awk 'length($0) > 100' | head -n 3)
[ -z "$wide" ] && pass "every table line fits in 100 columns" ||
	fail "table lines wider than 100 columns: $wide"

# A late tick (the tracer stopped for 2 s) gives one long interval, not a burst of empty
# ones that catch up with the missed ticks.
rm -f "$TMP/ready"
"$RXSCOPE" trace --dev lo --port "$PORT" -i 0.5 -d 4 --ready-file "$TMP/ready" \
	> "$TMP/late.out" 2>&1 &
tracer=$!
PIDS+=("$tracer")
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
sleep 0.7
kill -STOP "$tracer"
sleep 2
kill -CONT "$tracer"
wait "$tracer"
short=$(awk '/^[0-9:]+  interval / && $3 < 0.3' "$TMP/late.out" | wc -l)
expect "after a 2 s stop, no interval shorter than 0.3 s (missed ticks are not replayed)" \
	"$short" 0

# record --split -i: after a cut (SIGUSR1) the intervals start from the cleared maps, so
# the second burst shows in full in the intervals that follow the cut. With --by cpu, each
# piece's split holds its own burst.
rm -f "$TMP/ready"
"$RXSCOPE" record -o "$TMP/cut.json" --split --by cpu --dev lo --port "$PORT" -i 0.4 \
	--ready-file "$TMP/ready" > /dev/null 2> "$TMP/cut.err" &
rec=$!
PIDS+=("$rec")
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
# both bursts from CPU 0: loopback handles them on the sending CPU, so a reading that was not
# reset at the cut would hide the second burst behind the first
burst() { taskset -c 0 bash -c "for i in \$(seq $1); do echo x > /dev/udp/127.0.0.1/$PORT; done" 2> /dev/null; }
burst 100
sleep 1
kill -USR1 "$rec"
for _ in $(seq 50); do [ -e "$TMP/cut-1.json" ] && break; sleep 0.1; done
burst 40
sleep 1.2
kill -INT "$rec"
wait "$rec"
expect "record --split -i: exit status after SIGINT" "$?" 0
# the interval counts between "wrote ...cut-1.json" and the end
after=$(awk '/^wrote .*cut-1\.json/ { on = 1 } /^[0-9:]+  interval / { iv = 1 }
	/^totals/ { iv = 0 }
	on && iv && /^funnel:/ { for (i = 1; i < NF; i++) if ($i == "netif_receive") n += $(i + 1) }
	END { print n + 0 }' "$TMP/cut.err")
expect "record --split -i: the intervals after the cut hold the second burst" "$after" 40
for piece in 1:100 2:40; do
	n=$("$RXSCOPE" report "$TMP/cut-${piece%%:*}.json" 2>&1 |
		awk '/^CPU +PACKETS/ { t = 1; next } t && $1 == "0" { print $2; exit }')
	expect "record --split --by cpu: piece ${piece%%:*}'s split counts its burst on CPU 0" \
		"${n:-none}" "${piece#*:}"
done

finish
