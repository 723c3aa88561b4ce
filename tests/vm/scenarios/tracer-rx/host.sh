# Waits for the guest's tracer and receiver, then sends exactly COUNT datagrams to port 9000.
COUNT=${COUNT:-2000}
RATE=${RATE:-1000}
for _ in $(seq 1200); do [ -e "$OUT/ready" ] && break; sleep 0.1; done
[ -e "$OUT/ready" ] || { echo "FAIL: the guest never became ready"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 4 --summary "$OUT/rxgen.txt"
