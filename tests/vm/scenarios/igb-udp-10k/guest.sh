# The first end-to-end test: the in-tree igb driver receives 10,000 UDP datagrams sent by
# rxgen from the host at a low rate, and a UDP socket in the guest gets every one of them.
DRIVER=${DRIVER:-igb}
COUNT=${COUNT:-10000}
ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
rxs_log "$DRIVER is up on $ifc"
# QEMU's igb model drops frames silently while the guest's vCPUs are off the host CPU and
# the ring is full; the largest ring rides out a busy host without changing the rate.
ethtool -G "$ifc" rx 4096 || echo "note: ethtool -G $ifc rx 4096 failed"
ip -s link show "$ifc" > "$RESULTS/link-before.txt"
rxs_receive --port 9000 --count "$COUNT" --idle 10 --timeout 240 --out "$RESULTS/sink.txt"
ip -s link show "$ifc" > "$RESULTS/link-after.txt"
cat /tmp/sink.log

sent=$(rxs_val sent_good "$RESULTS/rxgen.txt")
got=$(rxs_val received "$RESULTS/sink.txt")
bad=$(rxs_val bad_payload "$RESULTS/sink.txt")
sockdrop=$(rxs_val sock_drops "$RESULTS/sink.txt")
rxs_check "rxgen sent $COUNT good frames (sent ${sent:-none})" [ "${sent:-x}" = "$COUNT" ]
rxs_check "the socket received all $COUNT datagrams (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "no payload was corrupted (bad ${bad:-none})" [ "${bad:-x}" = 0 ]
rxs_check "the socket dropped nothing (drops ${sockdrop:-none})" [ "${sockdrop:-x}" = 0 ]
rxs_done
