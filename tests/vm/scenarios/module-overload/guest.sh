# Overload and recovery: the host floods far more than a TCG guest can take. The driver
# survives it (no splat), the device's overrun signal shows up in the counters (QEMU's igb
# drops a frame whose ring is full and raises ICR.RXO, counted as rx_overrun_irqs; it
# increments neither MPC nor RNBC), and once the flood stops the guest receives again
# without loss.
COUNT=${COUNT:-5000}


ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
ethtool -G "$ifc" rx 128 || true
n=100
while [ "$(cat /sys/class/net/$ifc/carrier)" != 1 ] && [ $n -gt 0 ]; do usleep 100000; n=$((n - 1)); done

rxsink --port 9001 --idle 8 --timeout 300 --quiet --out "$RESULTS/flood-sink.txt" &
flood_sink=$!
rxsink --port 9000 --count "$COUNT" --timeout 300 \
	--ready-file /tmp/sink.ready --out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
ovr_before=$(rxs_et_sum "$ifc" '(rx_overrun_irqs|rx_missed_mpc|rx_no_buffer_rnbc)')
rxs_ready
rxs_check "the flood ended" rxs_wait_file "$RESULTS/flood-done" 120
# the flood's receiver stops 8 s after its last datagram: until then it is busy reading
# its full socket, which would compete with the counted phase for the vCPUs
wait "$flood_sink"
# then wait until no frame arrived for 2 s, and ask for the counted phase
last=-1 n=0
while [ $n -lt 120 ]; do
	now=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets')
	[ "$now" = "$last" ] && break
	last=$now n=$((n + 1))
	sleep 2
done
rxs_log "flood drained after about $((2 * n)) s"
: > "$RESULTS/drained"
rxs_check "host part finished" rxs_wait_host 300
wait "$sink"
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"

flood_sent=$(rxs_val sent_good "$RESULTS/flood.txt")
flood_got=$(rxs_val received "$RESULTS/flood-sink.txt")
ovr=$(($(rxs_et_sum "$ifc" '(rx_overrun_irqs|rx_missed_mpc|rx_no_buffer_rnbc)') - ovr_before))
rxs_log "flood: host sent ${flood_sent:-?}, the flood socket got ${flood_got:-?}, overrun/missed signals $ovr"
rxs_check "the flood was far more than the guest took (sent ${flood_sent:-?}, got ${flood_got:-?})" \
	[ "${flood_sent:-0}" -gt $((2 * ${flood_got:-0})) ]
rxs_check "the driver counted ring-full overruns ($ovr)" [ "$ovr" -gt 0 ]
rxs_check "no allocation failures" [ "$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_alloc_failed')" = 0 ]
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "after the flood, all $COUNT datagrams arrived (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "no payload was corrupted" [ "$(rxs_val bad_payload "$RESULTS/sink.txt")" = 0 ]
rxs_check "the interface is still up with carrier" [ "$(cat /sys/class/net/$ifc/carrier)" = 1 ]
rxs_done
