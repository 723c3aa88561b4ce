# rxgen-loss host part: three phases, each started when the guest's receiver for it is
# ready ($OUT/PHASE.ready) and acknowledged with $OUT/PHASE.sent.
RATE=${RATE:-2000}
COUNT=${COUNT:-6000}

wait_file() {
	for _ in $(seq 1200); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}

# The host's UDP receive-buffer overflows (all sockets, QEMU's among them): a datagram
# lost before QEMU reads it shows here, not in the guest.
rcvbuf_errors() {
	awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else { print $(c["RcvbufErrors"]); exit } }' /proc/net/snmp
}

# send PHASE RXGEN-OPTIONS...
send() {
	local phase=$1
	shift
	wait_file "$OUT/$phase.ready" || { echo "FAIL: the guest never became ready for $phase"; exit 1; }
	local before
	before=$(rcvbuf_errors)
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" \
		--summary "$OUT/rxgen-$phase.txt" "$@" || { echo "FAIL: rxgen $phase"; exit 1; }
	echo "$phase: host UDP RcvbufErrors during the send: $(($(rcvbuf_errors) - before))" |
		tee "$OUT/host-rcvbuf-$phase.txt"
	: > "$OUT/$phase.sent"
}

send small --count "$COUNT" --rate "$RATE" --flows 8 --batch 2 --dst-port 9000
send jumbo --count 300 --rate 200 --flows 2 --size 8000 --batch 1 --dst-port 9000
send queued --count 200 --rate 1000 --dst-port 9001
