# Waits for the guest's receiver, then sends COUNT frames at a low rate over 4 flows.
COUNT=${COUNT:-10000}
RATE=${RATE:-2000}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 4 --summary "$OUT/rxgen.txt"
