# Background traffic (port 9001, 8 flows) until the guest has finished its cycles, then
# COUNT frames at a moderate rate (port 9000) once the guest's counting receiver is ready.
COUNT=${COUNT:-5000}
RATE=${RATE:-3000}
rxs_host_wait_ready || exit 1
n=0
while [ ! -e "$OUT/cycles-done" ]; do
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9001 \
		--duration 1 --rate "$RATE" --flows 8 --quiet || exit 1
	n=$((n + 1))
	[ "$n" -gt 800 ] && { echo "FAIL: the guest never finished its cycles"; exit 1; }
done
echo "background traffic: $n s at $RATE pps"
for _ in $(seq 1200); do [ -e "$OUT/phase2-ready" ] && break; sleep 0.1; done
[ -e "$OUT/phase2-ready" ] || { echo "FAIL: the guest's receiver never became ready"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate 2000 --batch 4 --flows 8 --summary "$OUT/rxgen.txt"
