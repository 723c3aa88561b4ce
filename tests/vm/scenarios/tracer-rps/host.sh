# Three rounds of exactly COUNT datagrams to port 9000, each when the guest asks for it
# (go-N) and followed by sent-N.
COUNT=${COUNT:-1000}
RATE=${RATE:-1000}
wait_for() {
	for _ in $(seq 2400); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never created $1"; exit 1
}
for n in 1 2 3; do
	wait_for "go-$n"
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate "$RATE" --flows 4 --summary "$OUT/rxgen-$n.txt" || exit 1
	: > "$OUT/sent-$n"
done
