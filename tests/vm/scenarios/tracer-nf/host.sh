# Sends COUNT datagrams to port 9000 each time the guest asks (go-N), N = 1..ROUNDS.
COUNT=${COUNT:-1000}
RATE=${RATE:-1000}
ROUNDS=${ROUNDS:-4}
for n in $(seq "$ROUNDS"); do
	for _ in $(seq 3000); do [ -e "$OUT/go-$n" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || { echo "FAIL: the guest never asked for round $n"; exit 1; }
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate "$RATE" --flows 4 --quiet --summary "$OUT/rxgen-$n.txt" ||
		exit 1
	: > "$OUT/done-$n"
done
