# Sends every malformed kind PER_KIND times, round robin, with GOOD good frames spread
# evenly among them.
PER_KIND=${PER_KIND:-100}
GOOD=${GOOD:-300}
KINDS=9
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count $((PER_KIND * KINDS + GOOD)) --good "$GOOD" --malformed all --rate 2000 \
	--batch 4 --flows 4 --summary "$OUT/rxgen.txt"
