# Sends datagrams at 2000 pps until the guest has powered itself off (or for 60 s), then
# reads the guest's console: the driver's .shutdown must have logged that the device is
# quiet, after the power-off started and before the machine went down.
rxs_host_wait_ready || exit 1
# (its "connection refused" once QEMU is gone is expected; the guest checks the traffic)
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--duration 60 --rate 2000 --flows 8 --size 1000 --quiet 2> /dev/null &
gen=$!
for _ in $(seq 600); do
	grep -q 'reboot: Power down' "$OUT/console.log" 2>/dev/null && break
	sleep 0.1
done
kill "$gen" 2>/dev/null
wait "$gen" 2>/dev/null
fails=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "PASS: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
check "the guest powered off" grep -q 'reboot: Power down' "$OUT/console.log"
check "rxscope_igb's shutdown quiesced the device" \
	grep -qE 'rxscope_igb .*: shut down: no DMA, no interrupts' "$OUT/console.log"
check "  ... during the power-off" \
	sh -c "sed -n '/power-off under traffic/,\$p' '$OUT/console.log' | grep -q 'shut down: no DMA'"
[ "$fails" -eq 0 ]
