# ci-check's recording scenario: one boot, one `rxscope record --split` for all of it, one
# warm-up piece, then one piece per entry of PLAN while the host sends the same traffic
# profile each time. PLAN lists, per run, the rxscope_igb inject_poll_delay_ns to set
# (0 = clean); run i writes $RESULTS/run-i.json.
# The tracer stays attached from the warm-up to the last run and each run ends with a
# SIGUSR1, which writes the piece and clears the maps: loading and attaching the BPF
# programs once instead of once per run makes a run about 6 s instead of 15 s under TCG,
# so that more runs fit in the same time (docs/ci.md).
# Parameters (run-vm.sh --env): PLAN, DRIVER (rxscope_igb or igb), PORT, DURATION (the
# host's seconds of traffic per run, for the time limits here).
DRIVER=${DRIVER:-rxscope_igb}
PORT=${PORT:-9000}
DURATION=${DURATION:-4}
PLAN=${PLAN:-0 0 0}
KNOB=/sys/module/rxscope_igb/parameters/inject_poll_delay_ns
PIECES=/tmp/pieces

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

# one_run TAG PIECE: receiver up, go-TAG to the host, wait for sent-TAG and the receiver's
# end, then cut the tracer's piece number PIECE. Returns non-zero on any failure.
one_run() {
	local tag=$1 piece=$2 sink got
	rm -f /tmp/s.ready
	rxsink --port "$PORT" --idle 2 --timeout $((DURATION + 120)) --ready-file /tmp/s.ready -q \
		--out "$RESULTS/sink-$tag.txt" > "$RESULTS/sink-$tag.log" 2>&1 &
	sink=$!
	rxs_wait_file /tmp/s.ready 20 || { echo "FAIL: run $tag: rxsink not ready"; return 1; }
	: > "$RESULTS/go-$tag"
	rxs_wait_file "$RESULTS/sent-$tag" $((DURATION + 120)) ||
		{ echo "FAIL: run $tag: the host did not send"; return 1; }
	wait "$sink"
	kill -USR1 "$rec" 2> /dev/null || { echo "FAIL: run $tag: rxscope record has ended"; return 1; }
	rxs_wait_file "$PIECES/run-$piece.json" 60 ||
		{ echo "FAIL: run $tag: no piece $piece from rxscope record"; cat "$RESULTS/record.log"; return 1; }
	got=$(sed -n 's/^received=//p' "$RESULTS/sink-$tag.txt" 2>/dev/null | head -n 1)
	[ "${got:-0}" -gt 0 ] || { echo "FAIL: run $tag: rxsink received nothing"; return 1; }
	rxs_log "run $tag: received=$got"
	return 0
}

mkdir -p "$PIECES"
rxscope record -o "$PIECES/run.json" --split --driver "$DRIVER" --dev "$ifc" --port "$PORT" \
	--ready-file /tmp/r.ready > "$RESULTS/record.log" 2>&1 &
rec=$!
rxs_wait_file /tmp/r.ready 120 ||
	{ echo "FAIL: rxscope record did not attach"; cat "$RESULTS/record.log"; exit 1; }

# Warm-up (piece 1, discarded), so that the first recorded run is like every other one:
# TCG translates the receive path's code the first time it runs, and the guest touches its
# memory for the first time.
rxs_check "warm-up traffic received" one_run 0 1

i=0
for ns in $PLAN; do
	i=$((i + 1))
	echo "$ns" > "$RESULTS/run-$i.inject"
	if set_inject "$ns" && one_run "$i" $((i + 1)) &&
	   mv "$PIECES/run-$((i + 1)).json" "$RESULTS/run-$i.json"; then
		echo "PASS: run $i recorded (inject_poll_delay_ns=$ns)"
	else
		echo "FAIL: run $i (inject_poll_delay_ns=$ns)"
		RXS_FAILS=$((RXS_FAILS + 1))
	fi
done
set_inject 0 > /dev/null
kill -INT "$rec"
wait "$rec"
rc=$?
[ "$rc" = 0 ] || { echo "FAIL: rxscope record exited $rc"; cat "$RESULTS/record.log"; RXS_FAILS=$((RXS_FAILS + 1)); }
rm -f "$RESULTS"/go-* "$RESULTS"/sent-*
rxs_done
