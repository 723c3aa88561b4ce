# Two rounds of COUNT datagrams to port 9000 over 8 flows (RSS spreads them over the
# guest's queues): the first once the guest is ready (--by queue), the second once it
# creates go-cpu (--by cpu).
COUNT=${COUNT:-2000}
RATE=${RATE:-1000}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 8 --summary "$OUT/rxgen-queue.txt" || exit 1
for _ in $(seq 2400); do [ -e "$OUT/go-cpu" ] && break; sleep 0.1; done
[ -e "$OUT/go-cpu" ] || { echo "FAIL: the guest never asked for the second round"; exit 1; }
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 8 --summary "$OUT/rxgen-cpu.txt"
