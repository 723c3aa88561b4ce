# For each phase the guest asks for (go-N), floods 64-byte frames over 16 flows as fast as
# rxgen can for WINDOW + 3 seconds, then says so (done-N).
RUNS=${RUNS:-3}
WINDOW=${WINDOW:-5}
for n in $(seq $((2 * RUNS))); do
	for _ in $(seq 3000); do [ -e "$OUT/go-$n" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || { echo "FAIL: the guest never asked for phase $n"; exit 1; }
	: > "$OUT/flooding-$n"
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--duration $((WINDOW + 3)) --rate max --flows 16 --size 64 --quiet \
		--summary "$OUT/flood-$n.txt" || exit 1
	: > "$OUT/done-$n"
done
