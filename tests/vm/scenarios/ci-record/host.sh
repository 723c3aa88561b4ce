# ci-check's traffic: serves the guest's requests in order (go-1, go-2, ...): each asks for
# a warm-up (the file holds "warm": WARMUP seconds) or a recorded run (DURATION seconds);
# the host sends the profile's traffic with rxgen, then creates sent-TAG. The guest's
# go-end ends the loop (acknowledged with end-ack).
tag=0
while :; do
	tag=$((tag + 1))
	for _ in $(seq 3000); do
		[ -e "$OUT/go-$tag" ] || [ -e "$OUT/go-end" ] && break
		sleep 0.1
	done
	if [ ! -e "$OUT/go-$tag" ] && [ -e "$OUT/go-end" ]; then
		: > "$OUT/end-ack"
		exit 0
	fi
	[ -e "$OUT/go-$tag" ] || { echo "the guest never asked for traffic $tag"; exit 1; }
	secs=${DURATION:-4}
	[ "$(cat "$OUT/go-$tag")" = warm ] && secs=${WARMUP:-2}
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" \
		--dst-port "${PORT:-9000}" --rate "${RATE:-2000}" --duration "$secs" \
		--flows "${FLOWS:-4}" --size "${PAYLOAD:-64}" --quiet --summary "$OUT/gen-$tag.txt" || exit 1
	: > "$OUT/sent-$tag"
done
