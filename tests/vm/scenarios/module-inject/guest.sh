# The inject_poll_delay_ns test aid: the parameter is writable at run time, and the delay
# is really spent once per poll: the same burst costs more softirq time (/proc/stat)
# with a 300 us delay than without, and every datagram still arrives.
COUNT=${COUNT:-4000}
DELAY_NS=${DELAY_NS:-300000}
P=/sys/module/rxscope_igb/parameters/inject_poll_delay_ns

val() { sed -n "s/^$1=//p" "$2" | head -n 1; }
softirq_ticks() { awk '$1 == "cpu" { print $8; exit }' /proc/stat; }
# burst N: one burst from the host; sets got and ticks
burst() {
	local t0 sink
	rm -f /tmp/sink.ready
	rxsink --port 9000 --count "$COUNT" --timeout 60 --quiet \
		--ready-file /tmp/sink.ready --out "$RESULTS/sink-$1.txt" &
	sink=$!
	rxs_wait_file /tmp/sink.ready 20
	t0=$(softirq_ticks)
	: > "$RESULTS/go-$1"
	rxs_wait_file "$RESULTS/done-$1" 120
	wait "$sink"
	ticks=$(($(softirq_ticks) - t0))
	got=$(val received "$RESULTS/sink-$1.txt")
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_check "inject_poll_delay_ns defaults to 0" [ "$(cat $P)" = 0 ]
burst 1
base_ticks=$ticks
rxs_check "without delay: all $COUNT arrived (${got:-none})" [ "${got:-x}" = "$COUNT" ]
echo "$DELAY_NS" > "$P"
rxs_check "inject_poll_delay_ns is writable ($(cat $P))" [ "$(cat $P)" = "$DELAY_NS" ]
burst 2
rxs_check "with a $DELAY_NS ns delay: all $COUNT arrived (${got:-none})" [ "${got:-x}" = "$COUNT" ]
echo 0 > "$P"
rxs_log "softirq ticks (USER_HZ) for the burst: $base_ticks without delay, $ticks with"
# at least COUNT/2 polls of DELAY_NS each, in 1/100 s ticks (USER_HZ)
min=$((COUNT / 2 * (DELAY_NS / 1000) / 10000))
rxs_check "the delay shows in softirq time (+$((ticks - base_ticks)) ticks, expected > $min)" \
	[ $((ticks - base_ticks)) -gt "$min" ]
rxs_done
