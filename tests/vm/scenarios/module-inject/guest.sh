# The inject_poll_delay_ns test aid: the parameter is 0 by default and writable at run
# time, and the delay is really spent once per poll: the function graph tracer times every
# rxscope_igb_poll() call; with the delay even the shortest poll lasts DELAY_NS, without it
# the median poll is shorter than that (same burst). Every datagram still arrives.
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
rxs_done
