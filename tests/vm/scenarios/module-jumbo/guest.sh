# Jumbo frames and the ethtool knobs: ring size (-G) and interrupt throttle (-C) are set and
# read back, the MTU goes to 9000, and COUNT frames with 8000-byte payloads, each spanning
# several RX descriptors, arrive intact (rxsink verifies every payload's checksum). The
# non-EOP counter shows the chaining; nothing is dropped as oversize.
COUNT=${COUNT:-2000}


ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_check "ethtool -G sets 512 RX / 128 TX descriptors" ethtool -G "$ifc" rx 512 tx 128
rxs_check "ethtool -g reads back 512 RX" sh -c "ethtool -g $ifc | sed -n '/Current/,\$p' | grep -qE '^RX:[[:space:]]+512'"
rxs_check "ethtool -C sets rx-usecs 50" ethtool -C "$ifc" rx-usecs 50
rxs_check "ethtool -c reads back rx-usecs 50" sh -c "ethtool -c $ifc | grep -qE '^rx-usecs:[[:space:]]+50'"
rxs_check "MTU 9000 is accepted" ip link set "$ifc" mtu 9000
rxs_check "MTU 9001 is refused" sh -c "! ip link set $ifc mtu 9001 2>/dev/null"
n=100
while [ "$(cat /sys/class/net/$ifc/carrier)" != 1 ] && [ $n -gt 0 ]; do usleep 100000; n=$((n - 1)); done
rxs_check "link is up again after the ring change" [ "$(cat /sys/class/net/$ifc/carrier)" = 1 ]

noneop_before=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_non_eop')
rxs_receive --port 9000 --count "$COUNT" --idle 10 --timeout 300 --out "$RESULTS/sink.txt"
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"

sent=$(rxs_val sent_good "$RESULTS/rxgen.txt")
got=$(rxs_val received "$RESULTS/sink.txt")
good=$(rxs_val good "$RESULTS/sink.txt")
bad=$(rxs_val bad_payload "$RESULTS/sink.txt")
bytes=$(rxs_val bytes "$RESULTS/sink.txt")
noneop=$(($(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_non_eop') - noneop_before))
rxs_check "rxgen sent $COUNT jumbo frames (sent ${sent:-none})" [ "${sent:-x}" = "$COUNT" ]
rxs_check "the socket received all $COUNT (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "every payload verified good ($good), none bad (${bad:-none})" \
	[ "${good:-x}" = "$COUNT" ] && [ "${bad:-x}" = 0 ]
rxs_check "8000 bytes per datagram ($bytes in all)" [ "${bytes:-x}" = $((COUNT * 8000)) ]
# 8042-byte frames in 1024-byte buffers: 8 descriptors, 7 of them without EOP.
rxs_check "each frame chained 7 non-EOP descriptors ($noneop for $COUNT)" [ "$noneop" = $((COUNT * 7)) ]
rxs_check "nothing dropped as oversize" [ "$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_oversize')" = 0 ]
rxs_done
