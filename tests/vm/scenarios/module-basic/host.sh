# Waits for the guest's receiver, then sends COUNT good frames over FLOWS flows at RATE pps.
# Logs the host's UDP receive-buffer drops (QEMU's socket netdev overflows when the host is
# too loaded to run QEMU in time; those losses happen before the guest NIC).
COUNT=${COUNT:-20000}
RATE=${RATE:-3000}
FLOWS=${FLOWS:-8}
rxs_host_wait_ready || exit 1
rcvbuf_errs() { awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' /proc/net/snmp; }
before=$(rcvbuf_errs)
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows "$FLOWS" --batch 4 --summary "$OUT/rxgen.txt"
rc=$?
echo "host UDP RcvbufErrors during the run (all host sockets): $(($(rcvbuf_errs) - before))"
exit $rc
