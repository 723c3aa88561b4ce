# The tracer on a real NIC driver: rxscope record follows exactly COUNT datagrams from the
# driver's interrupt to the socket and the recording must account for every one of them.
# DRIVER=igb (in-tree, default), rxscope_igb (our module) or PROFILE=generic (the same NIC
# traced through tracepoints only).
DRIVER=${DRIVER:-igb}
PROFILE=${PROFILE:-$DRIVER}
COUNT=${COUNT:-2000}
. /scenario/tracer-lib.sh

ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
rxs_log "$DRIVER is up on $ifc, tracing with profile $PROFILE"

rxscope probe --driver "$PROFILE" --dev "$ifc" > "$RESULTS/probe.txt" 2>&1
rxs_check "rxscope probe runs" [ $? = 0 ]
cat "$RESULTS/probe.txt"

rxsink --port 9000 --count "$COUNT" --idle 10 --timeout 240 \
	--ready-file /tmp/sink.ready --out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20

cp /proc/interrupts "$RESULTS/interrupts-before.txt"
rxscope record -o "$RESULTS/rec.json" --driver "$PROFILE" --dev "$ifc" --port 9000 \
	--ready-file /tmp/rxs.ready --stats > "$RESULTS/record.log" 2>&1 &
rec=$!
rxs_check "rxscope record attached (ready file)" rxs_wait_file /tmp/rxs.ready 120
rxs_ready
rxs_check "host part finished" rxs_wait_host 300
wait "$sink"
kill -INT "$rec"
wait "$rec"
rxs_check "rxscope record exited 0 on SIGINT" [ $? = 0 ]
cp /proc/interrupts "$RESULTS/interrupts-after.txt"
cat "$RESULTS/record.log"

rxscope report "$RESULTS/rec.json" > "$RESULTS/report.txt" 2>&1
rxs_check "rxscope report reads the recording" [ $? = 0 ]
cat "$RESULTS/report.txt"

got=$(sed -n 's/^received=//p' "$RESULTS/sink.txt" | head -n 1)
rxs_check "the socket received all $COUNT datagrams (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]

R=$RESULTS/report.txt
if [ "$PROFILE" = generic ]; then
	expect_stages="hardirq irq_to_softirq poll_pkts irq_to_rx gro l2_to_ip ip_to_udp socket total"
	expect_unavail="softirq_to_poll poll"
	expect_hook="hardirq tp_btf:irq_handler_entry"
else
	expect_stages="hardirq irq_to_softirq softirq_to_poll poll poll_pkts irq_to_rx gro l2_to_ip ip_to_udp socket total"
	expect_unavail=""
	expect_hook="hardirq fentry:${DRIVER}_msix_ring"
fi
for s in $expect_stages; do
	rxs_check "stage $s is available and non-empty ($(stage_count "$R" "$s"))" \
		[ "$(stage_count "$R" "$s")" -gt 0 ]
done
for s in $expect_unavail; do
	rxs_check "stage $s is reported unavailable" stage_unavailable "$R" "$s"
done
set -- $expect_hook
rxs_check "stage $1 uses $2" stage_hook_has "$R" "$1" "$2"

# Every per-packet stage saw each datagram exactly once (port filter: only ours).
for s in gro l2_to_ip ip_to_udp socket; do
	n=$(stage_count "$R" "$s")
	rxs_check "stage $s counted $COUNT packets (got $n)" [ "$n" = "$COUNT" ]
done
# The stages that start at the ISR: exact with a driver profile (the stamp is keyed by
# napi); the generic profile keys it by CPU, and each packet it cannot match is counted
# as unmatched, so count + unmatched must still be COUNT.
um=$(unmatched "$R")
for s in irq_to_rx total; do
	n=$(stage_count "$R" "$s")
	if [ "$PROFILE" = generic ]; then
		rxs_check "stage $s counted $n + $um unmatched = $COUNT packets" \
			[ $((n + um)) = "$COUNT" ]
		rxs_check "stage $s matched at least 80% of the packets" \
			[ $((n * 5)) -ge $((COUNT * 4)) ]
	else
		rxs_check "stage $s counted $COUNT packets (got $n)" [ "$n" = "$COUNT" ]
	fi
done
# The funnel adds up.
set -- $(funnel "$R")
rxs_check "funnel gro=$1 netif=$2 ip=$3 udp=$4 socket=$5 all equal $COUNT" \
	[ "$1" = "$COUNT" -a "$2" = "$COUNT" -a "$3" = "$COUNT" -a "$4" = "$COUNT" -a "$5" = "$COUNT" ]
# Plausible ordering: the end-to-end interval contains its parts.
for s in irq_to_rx l2_to_ip ip_to_udp; do
	rxs_check "total p50 >= $s p50 ($(stage_q "$R" total 3) >= $(stage_q "$R" "$s" 3) ns)" \
		[ "$(stage_q "$R" total 3)" -ge "$(stage_q "$R" "$s" 3)" ]
	rxs_check "total max >= $s max" \
		[ "$(stage_q "$R" total 7)" -ge "$(stage_q "$R" "$s" 7)" ]
done
# The BPF hardirq count matches /proc/interrupts for the device's vectors.
irqs=$(irq_delta "$RESULTS/interrupts-before.txt" "$RESULTS/interrupts-after.txt" "$ifc")
bpf=$(cpu_col_sum "$R" hardirqs)
rxs_check "BPF hardirqs ($bpf) match /proc/interrupts for $ifc ($irqs)" \
	within "$bpf" "$irqs" 10
# NET_RX runs and polls happened, and polls_pkts counts one entry per poll.
polls=$(cpu_col_sum "$R" polls)
rxs_check "poll_pkts has one entry per poll ($(stage_count "$R" poll_pkts) = $polls)" \
	[ "$(stage_count "$R" poll_pkts)" = "$polls" ]
if [ "$PROFILE" = generic ]; then
	rxs_check "the report has no WARNING but unmatched ISR stamps" \
		sh -c "! grep WARNING '$R' | grep -v ' 0 followed packets lost to a full tracking map, [0-9]* events without a matching start' | grep -q ."
else
	rxs_check "the report has no WARNING (tracking losses, unmatched events, softnet mismatch)" \
		sh -c "! grep -q WARNING '$R'"
fi
rxs_check "--stats printed per-program costs" grep -q "NS/EVENT" "$RESULTS/record.log"
rxs_done
