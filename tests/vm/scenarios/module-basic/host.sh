# Waits for the guest's receiver, then sends COUNT good frames over FLOWS flows at RATE pps.
COUNT=${COUNT:-20000}
RATE=${RATE:-5000}
FLOWS=${FLOWS:-8}
for _ in $(seq 1200); do [ -e "$OUT/ready" ] && break; sleep 0.1; done
[ -e "$OUT/ready" ] || { echo "FAIL: the guest never became ready"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows "$FLOWS" --summary "$OUT/rxgen.txt"
