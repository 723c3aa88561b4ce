# Sends 20,000 frames over 4 flows at 4,000 pps once the guest is ready.
for _ in $(seq 1200); do [ -e "$OUT/ready" ] && break; sleep 0.1; done
[ -e "$OUT/ready" ] || { echo "the guest never became ready"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "${COUNT:-20000}" --rate "${RATE:-4000}" --flows 4 --summary "$OUT/rxgen.txt"
