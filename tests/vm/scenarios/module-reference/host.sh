# The same traffic twice: first to the in-tree igb, then (once the guest has switched
# drivers) to rxscope_igb.
COUNT=${COUNT:-20000}
RATE=${RATE:-5000}
rcvbuf_errs() { awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' /proc/net/snmp; }
send() {
	local before=$(rcvbuf_errs) rc
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate "$RATE" --flows 8 --summary "$OUT/$1"
	rc=$?
	echo "host UDP RcvbufErrors during $1 (all host sockets): $(($(rcvbuf_errs) - before))"
	return $rc
}
wait_for() {
	for _ in $(seq 1800); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never created $1"; exit 1
}
wait_for ready
send rxgen-igb.txt || exit 1
: > "$OUT/igb-sent"
wait_for rxscope-ready
send rxgen-rxscope.txt
