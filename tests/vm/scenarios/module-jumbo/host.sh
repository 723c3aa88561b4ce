# Sends COUNT frames with an 8000-byte UDP payload (larger than one 2 KiB RX buffer), in
# small bursts: 32 jumbo frames at once would overflow QEMU's host socket buffer before
# QEMU reads them, and those losses would not be the guest's.
COUNT=${COUNT:-2000}
RATE=${RATE:-500}
rxs_host_wait_ready || exit 1
rcvbuf_errs() { awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' /proc/net/snmp; }
before=$(rcvbuf_errs)
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --batch 2 --flows 4 --size 8000 --summary "$OUT/rxgen.txt"
rc=$?
echo "host UDP RcvbufErrors during the run (all host sockets): $(($(rcvbuf_errs) - before))"
exit $rc
