# COUNT frames with 1000-byte payloads: each skb keeps its data in one of the driver's
# receive pages (the skb's head is built around the receive buffer).
COUNT=${COUNT:-1500}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate 2000 --batch 4 --flows 4 --size 1000 --summary "$OUT/rxgen.txt"
