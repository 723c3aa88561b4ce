# COUNT datagrams when the guest asks after the reset and after the two PCIe errors
# (want-reset, want-aer, want-fatal in the results folder), and again after the resume
# ("rxs-pm: send resume" on the console: the results folder does not survive the guest's
# suspend). Then the guest's console must show every check after the resume passed.
COUNT=${COUNT:-1000}
send() {
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate 1000 --flows 8 --quiet
}
for step in reset aer fatal; do
	for _ in $(seq 1800); do [ -e "$OUT/want-$step" ] && break; sleep 0.1; done
	[ -e "$OUT/want-$step" ] ||
		{ echo "FAIL: the guest never asked for traffic after the $step"; exit 1; }
	send || exit 1
done
for _ in $(seq 1800); do grep -q 'rxs-pm: send resume' "$OUT/console.log" && break; sleep 0.1; done
grep -q 'rxs-pm: send resume' "$OUT/console.log" ||
	{ echo "FAIL: the guest never asked for traffic after the resume"; exit 1; }
send || exit 1
for _ in $(seq 900); do grep -q 'reboot: Power down' "$OUT/console.log" && break; sleep 0.1; done
grep 'rxs-pm: ' "$OUT/console.log"
fails=$(grep -c 'rxs-pm: FAIL' "$OUT/console.log")
grep -q 'rxs-pm: done' "$OUT/console.log" || { echo "FAIL: the guest did not finish its checks"; exit 1; }
[ "$fails" = 0 ]
