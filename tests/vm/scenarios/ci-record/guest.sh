# ci-check's recording scenario: one boot, one warm-up, then one `rxscope record` per entry
# of PLAN while the host sends the same traffic profile each time. PLAN lists, per run, the
# rxscope_igb inject_poll_delay_ns to set (0 = clean); run i writes $RESULTS/run-i.json.
# Parameters (run-vm.sh --env): PLAN, DRIVER (rxscope_igb or igb), PORT, DURATION (the
# host's seconds of traffic per run, for the time limits here).
DRIVER=${DRIVER:-rxscope_igb}
PORT=${PORT:-9000}
DURATION=${DURATION:-4}
PLAN=${PLAN:-0 0 0}
KNOB=/sys/module/rxscope_igb/parameters/inject_poll_delay_ns

ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
rxs_log "$DRIVER is up on $ifc; plan: $PLAN"
uname -r > "$RESULTS/kernel"

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

# one_run TAG RECORD: receiver (and tracer if RECORD=1) up, go-TAG to the host, wait for
# sent-TAG, stop both. Returns non-zero on any failure.
one_run() {
	local tag=$1 record=$2 sink rec= rc got
	rm -f /tmp/s.ready /tmp/r.ready
	rxsink --port "$PORT" --idle 2 --timeout $((DURATION + 120)) --ready-file /tmp/s.ready -q \
		--out "$RESULTS/sink-$tag.txt" > "$RESULTS/sink-$tag.log" 2>&1 &
	sink=$!
	if [ "$record" = 1 ]; then
		rxscope record -o "$RESULTS/run-$tag.json" --driver "$DRIVER" --dev "$ifc" \
			--port "$PORT" --ready-file /tmp/r.ready > "$RESULTS/record-$tag.log" 2>&1 &
		rec=$!
		rxs_wait_file /tmp/r.ready 120 ||
			{ echo "FAIL: run $tag: rxscope record did not attach"; cat "$RESULTS/record-$tag.log"; return 1; }
	fi
	rxs_wait_file /tmp/s.ready 20 || { echo "FAIL: run $tag: rxsink not ready"; return 1; }
	: > "$RESULTS/go-$tag"
	rxs_wait_file "$RESULTS/sent-$tag" $((DURATION + 120)) ||
		{ echo "FAIL: run $tag: the host did not send"; return 1; }
	wait "$sink"
	if [ -n "$rec" ]; then
		kill -INT "$rec"
		wait "$rec"
		rc=$?
		[ "$rc" = 0 ] || { echo "FAIL: run $tag: rxscope record exited $rc"; cat "$RESULTS/record-$tag.log"; return 1; }
		[ -s "$RESULTS/run-$tag.json" ] || { echo "FAIL: run $tag: no recording"; return 1; }
	fi
	got=$(sed -n 's/^received=//p' "$RESULTS/sink-$tag.txt" 2>/dev/null | head -n 1)
	[ "${got:-0}" -gt 0 ] || { echo "FAIL: run $tag: rxsink received nothing"; return 1; }
	rxs_log "run $tag: received=$got"
	return 0
}

# Warm-up: TCG translates the receive path's code the first time it runs; keep that out
# of the recordings.
rxs_check "warm-up traffic received" one_run 0 0

i=0
for ns in $PLAN; do
	i=$((i + 1))
	echo "$ns" > "$RESULTS/run-$i.inject"
	if set_inject "$ns" && one_run "$i" 1; then
		echo "PASS: run $i recorded (inject_poll_delay_ns=$ns)"
	else
		echo "FAIL: run $i (inject_poll_delay_ns=$ns)"
		RXS_FAILS=$((RXS_FAILS + 1))
	fi
done
set_inject 0 > /dev/null
rm -f "$RESULTS"/go-* "$RESULTS"/sent-*
rxs_done
