# Failed RX refills under memory pressure. A stalled receiver holds the datagrams, so the
# driver must let go of receive pages and allocate new ones. Once FIRST datagrams have gone
# round the rings (every descriptor has been written back once), the fault-injection knobs
# make 200 page allocations fail and then every DMA mapping. The ring runs dry: the driver
# must neither oops nor hand the stack a buffer it never refilled, must count the failures
# (and not as dropped frames), and once the injection stops it must refill the ring by
# itself (no frame arrives to raise an interrupt) and receive LOW datagrams with zero loss.
# Also: inject_poll_delay_ns refuses values above its 10 ms maximum.
FIRST=${FIRST:-600}
COUNT=${COUNT:-1500}
LOW=${LOW:-1000}
P=/sys/module/rxscope_igb/parameters

udp_rxq() { # bytes queued on the UDP socket bound to port 9000 (hex 2328)
	local h
	h=$(awk '$2 ~ /:2328$/ { split($5, q, ":"); print q[2]; exit }' /proc/net/udp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}
rx_pkts() { rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets'; }
ip_rx_dropped() { ip -s link show "$1" | awk '/RX:/ { getline; print $4; exit }'; }
quiet_for() { # quiet_for SEC: waits (up to 60 s) until no frame arrived for SEC seconds
	local last now n=0 q=0
	last=$(rx_pkts)
	while [ "$n" -lt 60 ]; do
		sleep 1
		n=$((n + 1))
		now=$(rx_pkts)
		if [ "$now" = "$last" ]; then
			q=$((q + 1))
			[ "$q" -ge "$1" ] && return 0
		else
			q=0
			last=$now
		fi
	done
	return 1
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
for k in inject_fail_page_alloc inject_fail_dma_map inject_fail_ring_alloc; do
	rxs_check "knob $k exists and is 0" [ "$(cat $P/$k 2>/dev/null)" = 0 ]
done

rxs_check "inject_poll_delay_ns refuses 10000001 (above 10 ms)" \
	sh -c "! echo 10000001 > $P/inject_poll_delay_ns 2>/dev/null"
rxs_check "  ... and keeps its value 0" [ "$(cat $P/inject_poll_delay_ns)" = 0 ]
rxs_check "inject_poll_delay_ns takes 10000000" sh -c "echo 10000000 > $P/inject_poll_delay_ns"
echo 0 > $P/inject_poll_delay_ns

# Round 1: the receiver never reads; every refill fails.
rxsink --port 9000 --no-read --timeout 200 --ready-file /tmp/sink.ready > /tmp/sink1.log 2>&1 &
sink=$!
rxs_check "the stalled receiver bound its socket" rxs_wait_file /tmp/sink.ready 20
rxs_ready
rxs_check "the host sent the first $FIRST" rxs_wait_file "$RESULTS/round1a-sent" 120
rxs_check "they went round the rings" quiet_for 1
echo 200 > $P/inject_fail_page_alloc
echo 100000000 > $P/inject_fail_dma_map
: > "$RESULTS/want-round1b"
rxs_check "the host sent round 1" rxs_wait_file "$RESULTS/round1-sent" 120
rxs_check "no frame arrives any more (the ring ran dry)" quiet_for 3
ethtool -S "$ifc" > "$RESULTS/ethtool-S-dry.txt"
q=$(udp_rxq)
failed=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_alloc_failed')
rxs_log "held ${q:-?} bytes, alloc_failed $failed, $(cat $P/inject_fail_page_alloc) page and $(cat $P/inject_fail_dma_map) mapping failures left"
rxs_check "the receiver holds datagrams (${q:-none} bytes)" [ "${q:-0}" -gt 100000 ]
rxs_check "all 200 injected page allocation failures happened" [ "$(cat $P/inject_fail_page_alloc)" = 0 ]
rxs_check "injected mapping failures happened" [ "$(cat $P/inject_fail_dma_map)" -lt 100000000 ]
rxs_check "alloc_failed counts the failed refills ($failed)" [ "$failed" -gt 0 ]
drops=$(ip_rx_dropped "$ifc")
rxs_check "ip -s link 'dropped' does not count allocation failures (${drops:-?})" [ "${drops:-x}" = 0 ]

# Round 2: the injection stops; the driver must refill the empty ring by itself.
echo 0 > $P/inject_fail_dma_map
kill "$sink" 2>/dev/null
wait "$sink" 2>/dev/null
rxs_check "frames queued on the host while the ring was dry have drained" quiet_for 3
rxs_receive --go want-round2 --port 9001 --count "$LOW" --idle 5 --timeout 120 \
	--out "$RESULTS/sink2.txt"
got=$(rxs_val received "$RESULTS/sink2.txt")
rxs_check "after the injection stopped all $LOW datagrams arrived (${got:-none})" [ "${got:-0}" = "$LOW" ]
rxs_check "  ... none corrupt" [ "$(rxs_val bad_payload "$RESULTS/sink2.txt")" = 0 ]
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
rxs_done
