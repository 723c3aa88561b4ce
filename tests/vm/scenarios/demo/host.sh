# Sends 20,000 frames over 4 flows at 4,000 pps once the guest is ready.
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "${COUNT:-20000}" --rate "${RATE:-4000}" --flows 4 --summary "$OUT/rxgen.txt"
