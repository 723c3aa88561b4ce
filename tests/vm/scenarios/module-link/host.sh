# Pulls the cable through QEMU's monitor (set_link) when the guest asks, sends frames while
# the link is down (QEMU must not deliver them), puts the link back, then sends COUNT
# datagrams that must all arrive. Each step waits for the guest's file of the same name.
COUNT=${COUNT:-2000}
wait_for() { # wait_for FILE: the guest's go-ahead for the next step
	for _ in $(seq 1200); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never wrote $1"
	return 1
}
send() { # send COUNT: COUNT datagrams over 4 flows to the guest's port 9000
	"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
		--count "$1" --rate 2000 --flows 4 --quiet
}
rxs_host_wait_ready || exit 1
rxs_host_monitor set_link n0 off || exit 1
: > "$OUT/link-off"
wait_for want-down-traffic || exit 1
send 200 || exit 1
: > "$OUT/down-traffic-sent"
wait_for want-link-on || exit 1
rxs_host_monitor set_link n0 on || exit 1
: > "$OUT/link-on"
wait_for want-traffic || exit 1
send "$COUNT" || exit 1
