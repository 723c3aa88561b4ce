# Sends RATE datagrams a second (default 2000) to port 9000 for DURATION seconds (default
# 120) once the guest's two recorders and its receiver are ready.
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--rate "${RATE:-2000}" --duration "${DURATION:-120}" --flows 8 --summary "$OUT/rxgen.txt"
