# Two identical bursts (COUNT frames at RATE pps), each once the guest asks (go-N).
COUNT=${COUNT:-4000}
RATE=${RATE:-1000}
for n in 1 2; do
	for _ in $(seq 1200); do [ -e "$OUT/go-$n" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || { echo "FAIL: the guest never asked for burst $n"; exit 1; }
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate "$RATE" --batch 1 --flows 4 --quiet --summary "$OUT/rxgen-$n.txt" || exit 1
	: > "$OUT/done-$n"
done
