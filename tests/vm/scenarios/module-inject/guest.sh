# The inject_poll_delay_ns test aid: the parameter is 0 by default and writable at run
# time, and the delay is really spent once per poll: the function graph tracer times every
# rxscope_igb_poll() call; with the delay even the shortest poll lasts DELAY_NS, without it
# the median poll is shorter than that (same burst). Every datagram still arrives. Then
# netpoll's polls (budget 0) are shown to skip the delay (below).
COUNT=${COUNT:-4000}
DELAY_NS=${DELAY_NS:-300000}
P=/sys/module/rxscope_igb/parameters/inject_poll_delay_ns
T=/sys/kernel/tracing

# "min median" duration (us) of the rxscope_igb_poll() calls in the trace buffer
poll_stats_us() {
	awk '/rxscope_igb_poll/ { for (i = 2; i <= NF; i++) if ($i == "us") print $(i - 1) }' "$T/trace" |
		sort -n | awk '{ v[NR] = $1 } END { if (NR) print int(v[1]), int(v[int((NR + 1) / 2)]); else print -1, -1 }'
}
trace_polls() {
	echo 0 > "$T/tracing_on"
	echo nop > "$T/current_tracer"
	echo rxscope_igb_poll > "$T/set_ftrace_filter" || return 1
	echo 1 > "$T/max_graph_depth"
	echo function_graph > "$T/current_tracer" || return 1
	echo 8192 > "$T/buffer_size_kb"
	: > "$T/trace"
	echo 1 > "$T/tracing_on"
}
# burst N: one burst from the host, traced; sets got, polls, min and med
burst() {
	local sink
	rm -f /tmp/sink.ready
	rxsink --port 9000 --count "$COUNT" --timeout 60 --quiet \
		--ready-file /tmp/sink.ready --out "$RESULTS/sink-$1.txt" &
	sink=$!
	rxs_wait_file /tmp/sink.ready 20
	trace_polls || echo "cannot set up the function graph tracer" >&2
	: > "$RESULTS/go-$1"
	rxs_wait_file "$RESULTS/done-$1" 120
	wait "$sink"
	echo 0 > "$T/tracing_on"
	got=$(rxs_val received "$RESULTS/sink-$1.txt")
	polls=$(grep -c rxscope_igb_poll "$T/trace")
	set -- $(poll_stats_us)
	min=$1 med=$2
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_check "inject_poll_delay_ns defaults to 0" [ "$(cat $P)" = 0 ]
burst 1
base_min=$min base_med=$med base_polls=$polls
rxs_check "without delay: all $COUNT arrived (${got:-none})" [ "${got:-x}" = "$COUNT" ]
echo "$DELAY_NS" > "$P"
rxs_check "inject_poll_delay_ns is writable ($(cat $P))" [ "$(cat $P)" = "$DELAY_NS" ]
burst 2
echo 0 > "$P"
rxs_check "with a $DELAY_NS ns delay: all $COUNT arrived (${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_log "poll min/median: $base_min/$base_med us over $base_polls polls without delay, $min/$med us over $polls polls with"
rxs_check "polls were traced ($base_polls and $polls)" [ "$base_polls" -gt 0 ] && [ "$polls" -gt 0 ]
rxs_check "without delay the median poll is shorter than $((DELAY_NS / 1000)) us ($base_med)" \
	[ "$base_med" -lt $((DELAY_NS / 1000)) ]
rxs_check "with the delay every poll lasts at least $((DELAY_NS / 1000)) us (shortest $min)" \
	[ "$min" -ge $((DELAY_NS / 1000)) ]
echo nop > "$T/current_tracer"

# netpoll (netconsole here) polls every NAPI of its device with budget 0 when it cannot
# transmit; those polls must never spend the delay. netconsole logs through rxscope_igb,
# and the driver counts the polls that spent the delay (ethtool -S inject_poll_delays);
# the napi:napi_poll tracepoint counts the polls by budget, independently of the driver.
# First NP_MSGS messages go out (polls with budget 64 clean their completions), then
# inject_tx_stall fills the ring until the queue stops, and netpoll polls with budget 0:
# the first message that finds the queue stopped retries for one jiffy, 50 us apart, and
# polls every NAPI before each retry (80 times at HZ=250; the later messages wait in
# netpoll's queue). The delays counted must not exceed the polls with a budget (with the
# delay also in budget-0 polls: 202 delays for 42 such polls and 160 budget-0 polls).
NP_DELAY_NS=${NP_DELAY_NS:-1000000}
NP_MSGS=${NP_MSGS:-20}
NP_STALL_MSGS=${NP_STALL_MSGS:-300}
M=/sys/module/rxscope_igb/parameters
E=$T/events/napi/napi_poll
delays() { rxs_et_sum "$ifc" inject_poll_delays; }
# the traced polls of $ifc: "BUDGET0 OTHER"
napi_polls() {
	awk -v dev="$ifc" '/napi_poll:/ {
		for (i = 1; i < NF; i++) {
			if ($i == "device") d = $(i + 1)
			if ($i == "budget") b = $(i + 1)
		}
		if (d == dev) { if (b == 0) z++; else o++ }
	} END { print z + 0, o + 0 }' "$T/trace"
}
kmsg() { echo "<4>rxscope netpoll check: $*" > /dev/kmsg; }

echo nop > "$T/current_tracer"
echo 0 > "$T/tracing_on"
: > "$T/trace"
echo 1 > "$E/enable"
echo on > /proc/sys/kernel/printk_devkmsg
rxs_check "netconsole logs through $ifc" \
	modprobe netconsole "netconsole=6666@$GUEST_IP/$ifc,6666@198.18.0.1/02:00:00:00:00:01"
rxs_check "netconsole started" eval 'dmesg | grep -q "netconsole: network logging started"'
echo "$NP_DELAY_NS" > "$P"
# A poll counts the delay as it starts and is traced as it ends: tracing runs from before
# the first reading of the counter until after the last, so that every poll the counter
# shows is traced too.
echo 1 > "$T/tracing_on"
d0=$(delays)
t0=$(rxs_et_sum "$ifc" tx_queue_0_packets)
for i in $(seq "$NP_MSGS"); do kmsg "sent $i"; done
sleep 1
t1=$(rxs_et_sum "$ifc" tx_queue_0_packets)
echo 1 > "$M/inject_tx_stall"
# in batches of 10, until netpoll has polled with budget 0 a full jiffy long (a message
# that finds the queue stopped by frames still in flight polls only until they complete)
i=0
while [ "$i" -lt "$NP_STALL_MSGS" ]; do
	for _ in 1 2 3 4 5 6 7 8 9 10; do i=$((i + 1)); kmsg "stalled $i"; done
	set -- $(napi_polls)
	[ "$1" -ge 100 ] && break
done
d1=$(delays)
sleep 1
echo 0 > "$T/tracing_on"
echo 0 > "$P"
set -- $(napi_polls)
np0=$1 np1=$2
rxs_log "netpoll: $((t1 - t0)) messages sent before the stall, $i after it; $np0 polls with budget 0, $np1 with a budget, $((d1 - d0)) delays spent"
rxs_check "netconsole's messages went out ($((t1 - t0)) of $NP_MSGS completed)" [ $((t1 - t0)) -ge "$NP_MSGS" ]
rxs_check "netpoll polled with budget 0 ($np0 polls)" [ "$np0" -ge 100 ]
rxs_check "polls with a budget spent the delay ($((d1 - d0)) delays, $np1 polls)" [ $((d1 - d0)) -ge 1 ]
rxs_check "no budget-0 poll spent the delay ($((d1 - d0)) delays <= $np1 polls with a budget)" \
	[ $((d1 - d0)) -le "$np1" ]
# End the stall (down and up empty the rings), let netpoll's queue drain, unload netconsole.
echo 0 > "$M/inject_tx_stall"
ip link set "$ifc" down
ip link set "$ifc" up
rxs_check "carrier is back after down/up" rxs_wait_carrier "$ifc" 10
sleep 1
rxs_check "netconsole unloads" rmmod netconsole
echo 0 > "$E/enable"
echo ratelimit > /proc/sys/kernel/printk_devkmsg
rxs_done
