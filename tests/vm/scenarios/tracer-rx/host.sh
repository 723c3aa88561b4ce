# Waits for the guest's tracer and receiver, then sends exactly COUNT datagrams to port 9000.
COUNT=${COUNT:-2000}
RATE=${RATE:-1000}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 4 --summary "$OUT/rxgen.txt"
