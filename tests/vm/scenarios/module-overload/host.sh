# Phase 1: flood the guest as fast as rxgen can for FLOOD_SEC seconds (port 9001).
# Phase 2: once the guest says the flood has drained (QEMU's socket buffer keeps feeding it
# for a while), COUNT frames at a moderate rate (port 9000), to be counted exactly.
FLOOD_SEC=${FLOOD_SEC:-8}
COUNT=${COUNT:-5000}
wait_for() {
	for _ in $(seq 1800); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never created $1"; exit 1
}
wait_for ready
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9001 \
	--duration "$FLOOD_SEC" --rate max --flows 16 --summary "$OUT/flood.txt" || exit 1
: > "$OUT/flood-done"
wait_for drained
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate 2000 --batch 4 --flows 8 --summary "$OUT/rxgen.txt"
