# ci-check's traffic: for the warm-up (tag 0, WARMUP seconds) and for each of the RUNS
# recorded runs (tags 1..RUNS, DURATION seconds), waits for the guest's go-TAG, sends the
# profile's traffic with rxgen, then creates sent-TAG.
RUNS=${RUNS:?}
for tag in $(seq 0 "$RUNS"); do
	for _ in $(seq 3000); do [ -e "$OUT/go-$tag" ] && break; sleep 0.1; done
	[ -e "$OUT/go-$tag" ] || { echo "the guest never asked for run $tag"; exit 1; }
	secs=${DURATION:-4}
	[ "$tag" = 0 ] && secs=${WARMUP:-2}
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" \
		--dst-port "${PORT:-9000}" --rate "${RATE:-2000}" --duration "$secs" \
		--flows "${FLOWS:-4}" --size "${PAYLOAD:-64}" --quiet --summary "$OUT/gen-$tag.txt" || exit 1
	: > "$OUT/sent-$tag"
done
