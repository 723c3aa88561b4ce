# For each phase the guest prepares (go-N, with the destination MAC in mac-N), sends COUNT
# frames to that MAC, then says so (done-N).
COUNT=${COUNT:-500}
PHASES=6
for n in $(seq "$PHASES"); do
	for _ in $(seq 1200); do [ -e "$OUT/go-$n" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$n" ] || { echo "FAIL: the guest never prepared phase $n"; exit 1; }
	mac=$(cat "$OUT/mac-$n")
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$mac" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate 2000 --batch 4 --flows 4 --quiet || exit 1
	: > "$OUT/done-$n"
done
