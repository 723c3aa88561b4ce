# Round 1: FIRST datagrams with 1000-byte payloads (each skb keeps half a receive page)
# while the guest's receiver is stalled, then, once the guest has turned the failure
# injection on, COUNT more. Round 2, once the guest asks: LOW datagrams at a low rate,
# which must all arrive.
FIRST=${FIRST:-600}
COUNT=${COUNT:-1500}
LOW=${LOW:-1000}
wait_for() { # wait_for FILE: the guest's go-ahead for the next step
	for _ in $(seq 1200); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never wrote $1"
	return 1
}
send1() {
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$1" --rate 2000 --batch 4 --flows 4 --size 1000 --quiet
}
rxs_host_wait_ready || exit 1
send1 "$FIRST" || exit 1
: > "$OUT/round1a-sent"
wait_for want-round1b || exit 1
send1 "$COUNT" || exit 1
: > "$OUT/round1-sent"
wait_for want-round2 || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9001 \
	--count "$LOW" --rate 500 --batch 1 --flows 4 --size 1000 --summary "$OUT/rxgen2.txt"
