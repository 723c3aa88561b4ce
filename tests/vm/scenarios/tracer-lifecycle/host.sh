# Traffic for the whole lifecycle phase: one rxgen run at RATE pps over 8 flows to port
# 9000 until the guest has finished its tracer cycles ($OUT/cycles-done), then SIGTERM,
# which makes rxgen stop and write what it sent to $OUT/rxgen.txt (sent_good=N) for the
# guest to compare with what its receiver got.
# 20000 pps is more than a TCG-emulated guest receives on a loaded 2-core host (27% were
# lost, docs/fuzzing.md); the default leaves a 4096-entry ring 4 s of slack while an
# attach stalls the emulated CPUs.
RATE=${RATE:-1000}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count 1000000000 --rate "$RATE" --flows 8 --summary "$OUT/rxgen.tmp.txt" &
gen=$!
# the run's --timeout bounds the wait; a slow TCG guest needs long for 100 trace cycles
until=$((SECONDS + ${HOST_WAIT_S:-7200}))
while [ ! -e "$OUT/cycles-done" ]; do
	if [ "$SECONDS" -gt "$until" ] || ! kill -0 "$gen" 2> /dev/null; then
		echo "FAIL: the guest never finished its cycles, or rxgen died"
		kill "$gen" 2> /dev/null
		exit 1
	fi
	sleep 0.1
done
kill -TERM "$gen"
wait "$gen"
mv "$OUT/rxgen.tmp.txt" "$OUT/rxgen.txt"
echo "traffic: $(sed -n 's/^sent_good=//p' "$OUT/rxgen.txt") datagrams at $RATE pps"
