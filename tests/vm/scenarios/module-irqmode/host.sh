# Three rounds of COUNT datagrams over 8 flows, each when the guest asks (msix2, msi, intx).
COUNT=${COUNT:-1000}
wait_for() { # wait_for FILE: the guest's go-ahead for the next step
	for _ in $(seq 1200); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never wrote $1"
	return 1
}
for r in msix2 msi intx; do
	wait_for "$r" || exit 1
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$COUNT" --rate 1000 --flows 8 --quiet || exit 1
	: > "$OUT/$r-sent"
done
