# Three bursts to port 9000, each once the guest asks (go-N): N frames at R pps, as the
# guest's plan-N file says ("COUNT RATE").
rxs_host_wait_ready || exit 1
for n in 1 2 3; do
	for _ in $(seq 1800); do [ -e "$OUT/go-$n" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || { echo "FAIL: the guest never asked for burst $n"; exit 1; }
	read -r count rate < "$OUT/go-$n"
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$count" --rate "$rate" --flows 4 --quiet --summary "$OUT/rxgen-$n.txt" || exit 1
	: > "$OUT/done-$n"
done
