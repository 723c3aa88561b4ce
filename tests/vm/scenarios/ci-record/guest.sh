# ci-check's recording scenario: one boot, one piece of `rxscope record --split` per run
# while the host sends the same traffic profile each time, and a calibration of the guest's
# speed. PLAN lists, per run, the rxscope_igb inject_poll_delay_ns to set (0 = clean); run i
# writes $RESULTS/run-i.json.
# The tracer stays attached across runs and each run ends with a SIGUSR1, which writes the
# piece and clears the maps: loading and attaching the BPF programs once instead of once
# per run makes a run about 6 s instead of 15 s under TCG (docs/ci.md). A warm-up piece
# follows every attach and is discarded.
# An A/B check (SIDES set) names the side of each run, a (old) or b (new). Before a run of
# the other side than the last, the scenario applies that side's settings (SET_A, SET_B:
# space-separated param:NAME=VALUE, written to /sys/module/rxscope_igb/parameters, and
# sysctl:KEY=VALUE), and when the sides' modules differ (MODULE_A=1: /scenario/old.ko is
# side a's module) it detaches the tracer, swaps the module, brings the NIC up again and
# re-attaches.
# Calibration: a fixed CPU-bound loop (busybox awk), timed in the guest before the first
# run, after every CAL_EVERY runs and after the last; $RESULTS/calibration.txt gets one
# "calibration_ms=N after_run=I" line per measurement (docs/ci.md, "Baselines that know their machine").
# Parameters (run-vm.sh --env): PLAN, SIDES, SET_A, SET_B, MODULE_A, DRIVER (rxscope_igb
# or igb), PORT, DURATION (the host's seconds of traffic per run, for the time limits here).
DRIVER=${DRIVER:-rxscope_igb}
PORT=${PORT:-9000}
DURATION=${DURATION:-4}
PLAN=${PLAN:-0 0 0}
SIDES=${SIDES:-}
SET_A=${SET_A:-}
SET_B=${SET_B:-}
MODULE_A=${MODULE_A:-0}
CAL_EVERY=${CAL_EVERY:-3}
CAL_LOOP=${CAL_LOOP:-100000}
PARAMS=/sys/module/rxscope_igb/parameters
KNOB=$PARAMS/inject_poll_delay_ns

uname -r > "$RESULTS/kernel"
: > "$RESULTS/calibration.txt"
# TCG translates awk's code the first time it runs: a short unmeasured loop first.
awk 'BEGIN { s = 0; for (i = 0; i < 10000; i++) s += i % 7; if (s < 0) print s }'

# calibrate RUN: times CAL_LOOP rounds of a fixed arithmetic loop; the guest's clock
# follows the host's, so the time is longer on a slower or busier host. RUN: the runs done.
calibrate() {
	local t0 t1 ms
	read -r t0 _ < /proc/uptime
	awk -v n="$CAL_LOOP" 'BEGIN { s = 0; for (i = 0; i < n; i++) s += i % 7; if (s < 0) print s }'
	read -r t1 _ < /proc/uptime
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
	echo "calibration_ms=$ms after_run=$1" >> "$RESULTS/calibration.txt"
	rxs_log "calibration: ${ms} ms for $CAL_LOOP rounds"
}

# set_inject NS: sets the poll delay and reads it back (only rxscope_igb has the knob).
set_inject() {
	if [ "$DRIVER" != rxscope_igb ]; then
		[ "$1" = 0 ] && return 0
		echo "FAIL: inject_poll_delay_ns needs DRIVER=rxscope_igb, not $DRIVER"
		return 1
	fi
	echo "$1" > "$KNOB" && [ "$(cat "$KNOB")" = "$1" ] && return 0
	echo "FAIL: could not set inject_poll_delay_ns to $1"
	return 1
}

# apply_settings LIST: param:NAME=VALUE and sysctl:KEY=VALUE items, each read back.
apply_settings() {
	local item kv key val f
	for item in $1; do
		kv=${item#*:}
		key=${kv%%=*} val=${kv#*=}
		case $item in
		param:*) f=$PARAMS/$key ;;
		sysctl:*) f=/proc/sys/$(echo "$key" | tr . /) ;;
		*) echo "FAIL: unknown setting '$item'"; return 1 ;;
		esac
		if ! echo "$val" > "$f" 2> /dev/null || [ "$(cat "$f")" != "$val" ]; then
			echo "FAIL: could not set $item ($f reads '$(cat "$f" 2>/dev/null)')"
			return 1
		fi
		rxs_log "set $item"
	done
}

tag=0
# one_run PIECE [warm]: receiver up, go-TAG (holding "warm" for a warm-up) to the host, wait
# for sent-TAG and the receiver's end, then cut the tracer's piece number PIECE. Returns
# non-zero on any failure.
one_run() {
	local piece=$1 sink got
	tag=$((tag + 1))
	rm -f /tmp/s.ready
	rxsink --port "$PORT" --idle 2 --timeout $((DURATION + 120)) --ready-file /tmp/s.ready -q \
		--out "$RESULTS/sink-$tag.txt" > "$RESULTS/sink-$tag.log" 2>&1 &
	sink=$!
	rxs_wait_file /tmp/s.ready 20 || { echo "FAIL: run $tag: rxsink not ready"; return 1; }
	echo "${2:-run}" > "$RESULTS/go-$tag"
	rxs_wait_file "$RESULTS/sent-$tag" $((DURATION + 120)) ||
		{ echo "FAIL: run $tag: the host did not send"; return 1; }
	wait "$sink"
	kill -USR1 "$rec" 2> /dev/null || { echo "FAIL: run $tag: rxscope record has ended"; return 1; }
	rxs_wait_file "$pieces/run-$piece.json" 60 ||
		{ echo "FAIL: run $tag: no piece $piece from rxscope record"; cat "$RESULTS/record.log"; return 1; }
	got=$(sed -n 's/^received=//p' "$RESULTS/sink-$tag.txt" 2>/dev/null | head -n 1)
	[ "${got:-0}" -gt 0 ] || { echo "FAIL: run $tag: rxsink received nothing"; return 1; }
	rxs_log "traffic $tag: received=$got"
	return 0
}

# start_rec: attaches the tracer (pieces into a fresh folder) and runs the warm-up piece:
# TCG translates the receive path's code the first time it runs, and the guest touches
# its memory for the first time, so the first recorded run is then like every other one.
session=0
start_rec() {
	session=$((session + 1))
	pieces=/tmp/pieces-$session
	piece=1
	mkdir -p "$pieces"
	rm -f /tmp/r.ready
	rxscope record -o "$pieces/run.json" --split --driver "$DRIVER" --dev "$ifc" --port "$PORT" \
		--ready-file /tmp/r.ready > "$RESULTS/record.log" 2>&1 &
	rec=$!
	rxs_wait_file /tmp/r.ready 120 ||
		{ echo "FAIL: rxscope record did not attach"; cat "$RESULTS/record.log"; return 1; }
	one_run 1 warm || { echo "FAIL: warm-up traffic (attach $session)"; return 1; }
	echo "PASS: warm-up traffic received (attach $session)"
}

stop_rec() {
	local rc
	kill -INT "$rec"
	wait "$rec"
	rc=$?
	[ "$rc" = 0 ] && return 0
	echo "FAIL: rxscope record exited $rc"
	cat "$RESULTS/record.log"
	RXS_FAILS=$((RXS_FAILS + 1))
	return 1
}

# switch_module SIDE: the module of SIDE (a or b) in place of the loaded one.
switch_module() {
	ip link set "$ifc" down
	rmmod rxscope_igb || { echo "FAIL: rmmod rxscope_igb"; return 1; }
	cp "/tmp/mod-$1.ko" /lib/modules/rxscope_igb.ko
	ifc=$(rxs_up "$DRIVER") || { echo "FAIL: module of side $1 did not come up"; return 1; }
	rxs_log "side $1's module is up on $ifc"
}

if [ "$MODULE_A" = 1 ]; then
	cp /lib/modules/rxscope_igb.ko /tmp/mod-b.ko
	cp /scenario/old.ko /tmp/mod-a.ko
fi
cur=
first=$(echo "$SIDES" | awk '{ print $1 }')
if [ "$MODULE_A" = 1 ] && [ "$first" = a ]; then
	cp /tmp/mod-a.ko /lib/modules/rxscope_igb.ko
fi
ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
rxs_log "$DRIVER is up on $ifc; plan: $PLAN; sides: ${SIDES:-none}"
# The first calibration comes before the tracer attaches: right after the attach and the
# warm-up it took 4-25 s instead of 1-2 s in several boots (before it, still up to 5x the
# later ones; the fastest calibration is the one that counts).
calibrate 0
start_rec || exit 1

i=0
for ns in $PLAN; do
	i=$((i + 1))
	side=$(echo "$SIDES" | awk -v i="$i" '{ print $i }')
	echo "$ns" > "$RESULTS/run-$i.inject"
	[ -n "$side" ] && echo "$side" > "$RESULTS/run-$i.side"
	ok=1
	if [ -n "$side" ] && [ "$side" != "$cur" ]; then
		if [ "$MODULE_A" = 1 ] && [ -n "$cur" ]; then
			stop_rec && switch_module "$side" && start_rec || ok=0
		fi
		if [ "$side" = a ]; then apply_settings "$SET_A" || ok=0; else apply_settings "$SET_B" || ok=0; fi
		cur=$side
	fi
	piece=$((piece + 1))
	if [ "$ok" = 1 ] && set_inject "$ns" && one_run "$piece" &&
	   mv "$pieces/run-$piece.json" "$RESULTS/run-$i.json"; then
		echo "PASS: run $i recorded (${side:+side $side, }inject_poll_delay_ns=$ns)"
	else
		echo "FAIL: run $i (${side:+side $side, }inject_poll_delay_ns=$ns)"
		RXS_FAILS=$((RXS_FAILS + 1))
	fi
	[ $((i % CAL_EVERY)) = 0 ] && calibrate "$i"
done
[ $((i % CAL_EVERY)) = 0 ] || calibrate "$i"
set_inject 0 > /dev/null
stop_rec
echo done > "$RESULTS/go-end"
rxs_wait_file "$RESULTS/end-ack" 30 || echo "FAIL: the host did not see the end"
rm -f "$RESULTS"/go-* "$RESULTS"/sent-* "$RESULTS/end-ack"
rxs_done
