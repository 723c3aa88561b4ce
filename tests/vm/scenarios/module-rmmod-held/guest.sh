# rmmod while a socket still holds received skbs: the receiver is stopped (SIGSTOP) so the
# datagrams stay queued, with their payload in the receive pages that came from the driver's
# rings. rmmod must work at once; then the receiver resumes and every queued payload must
# still verify (the pages outlive the driver), with no splat when they are finally freed.
COUNT=${COUNT:-1500}

# bytes queued on the UDP socket bound to port 9000 (hex 2328), from /proc/net/udp
udp_rxq() {
	local h
	h=$(awk '$2 ~ /:2328$/ { split($5, q, ":"); print q[2]; exit }' /proc/net/udp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxsink --port 9000 --count "$COUNT" --timeout 200 \
	--ready-file /tmp/sink.ready --out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
kill -STOP "$sink"
rxs_ready
rxs_check "host part finished" rxs_wait_host 200
sleep 1
q=$(udp_rxq)
rxs_log "socket queue holds ${q:-?} bytes"
rxs_check "the stopped receiver's socket holds the datagrams (${q:-none} bytes queued)" \
	[ "${q:-0}" -gt $((COUNT * 1000)) ]
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
rxs_check "rmmod works while the socket holds the skbs" timeout 30 rmmod rxscope_igb
rxs_check "the driver is gone" sh -c '! grep -q "^rxscope_igb " /proc/modules'
kill -CONT "$sink"
wait "$sink"
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "the receiver read all $COUNT held datagrams after rmmod (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "every held payload still verified (bad $(rxs_val bad_payload "$RESULTS/sink.txt"))" \
	[ "$(rxs_val bad_payload "$RESULTS/sink.txt")" = 0 ] && [ "$(rxs_val good "$RESULTS/sink.txt")" = "$COUNT" ]
rxs_check "no socket drops" [ "$(rxs_val sock_drops "$RESULTS/sink.txt")" = 0 ]
ifc=$(rxs_up rxscope_igb)
rxs_check "the module loads again and the link comes up" [ -n "$ifc" ]
rxs_done
