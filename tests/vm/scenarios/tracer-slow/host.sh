# Bursts to port 9000, each once the guest asks (go-N, holding "COUNT RATE"), until the
# guest says it wants no more (go-end).
rxs_host_wait_ready || exit 1
n=1
while :; do
	for _ in $(seq 1800); do [ -e "$OUT/go-$n" ] || [ -e "$OUT/go-end" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || break
	read -r count rate < "$OUT/go-$n"
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$count" --rate "$rate" --flows 4 --quiet --summary "$OUT/rxgen-$n.txt" || exit 1
	: > "$OUT/done-$n"
	n=$((n + 1))
done
[ -e "$OUT/go-end" ] || { echo "FAIL: the guest never asked for burst $n nor ended"; exit 1; }
