# Phase 1: flood the guest as fast as rxgen can for FLOOD_SEC seconds (port 9001).
# Phase 2: after a pause, COUNT frames at a moderate rate (port 9000), to be counted exactly.
FLOOD_SEC=${FLOOD_SEC:-8}
COUNT=${COUNT:-5000}
for _ in $(seq 1200); do [ -e "$OUT/ready" ] && break; sleep 0.1; done
[ -e "$OUT/ready" ] || { echo "FAIL: the guest never became ready"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9001 \
	--duration "$FLOOD_SEC" --rate max --flows 16 --summary "$OUT/flood.txt" || exit 1
sleep 3
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate 2000 --batch 4 --flows 8 --summary "$OUT/rxgen.txt"
