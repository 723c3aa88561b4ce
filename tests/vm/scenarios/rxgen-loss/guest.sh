# rxgen-loss: rxgen and rxsink end to end through QEMU's igb and the in-tree igb driver.
# Phase small: COUNT 64-byte datagrams over 8 flows at RATE pps must all arrive, in sequence,
# with verified payloads. Phase jumbo: 300 datagrams of 8000 bytes (MTU 9000) must verify.
# A phase may miss datagrams only when the host counted as many UDP receive-buffer
# overflows during its send (QEMU's socket, before the guest; see all_or_overflow).
# Phase queued: rxsink --no-read must leave 200 datagrams queued on its socket, and keep
# it open for --hold after writing its results.
COUNT=${COUNT:-6000}  # host.sh sends it at RATE (default 2000) pps


# all_or_overflow PHASE WANT GOT: every datagram arrived, or the missing ones are no more
# than the host's UDP receive-buffer overflows during that send (host-rcvbuf-PHASE.txt).
# QEMU's socket netdev keeps the default receive buffer (about 13 jumbo datagrams), so a
# stall of QEMU's thread on a busy host loses datagrams before they reach the guest NIC.
all_or_overflow() {
	local miss=$(($2 - $3)) ovf
	ovf=$(sed -n 's/.*during the send: //p' "$RESULTS/host-rcvbuf-$1.txt" 2>/dev/null)
	[ "$miss" -eq 0 ] && return 0
	echo "  $1: $miss missing, host UDP receive-buffer overflows during the send: ${ovf:-?}"
	[ "$miss" -gt 0 ] && [ "$miss" -le "${ovf:-0}" ]
}

# ready PHASE: tell the host part that PHASE's receiver is bound.
ready() { : > "$RESULTS/$1.tmp" && mv "$RESULTS/$1.tmp" "$RESULTS/$1.ready"; }

ifc=$(rxs_up igb) || { echo "FAIL: igb did not come up"; exit 1; }
# The largest ring rides out moments when the vCPU is off the host CPU.
ethtool -G "$ifc" rx 4096 || echo "note: ethtool -G $ifc rx 4096 failed"

# --- small ---
rxsink --port 9000 --count "$COUNT" --idle 10 --timeout 200 --rcvbuf 16777216 \
	--ready-file /tmp/small.rdy --out "$RESULTS/sink-small.txt" -q &
sink=$!
rxs_check "small: rxsink bound its socket" rxs_wait_file /tmp/small.rdy 20
ready small
wait "$sink"
ethtool -S "$ifc" > "$RESULTS/ethtool-S-small.txt" 2>&1
S=$RESULTS/sink-small.txt
rxs_check "small: host sent $COUNT" rxs_wait_file "$RESULTS/small.sent" 60
sent=$(rxs_val sent_good "$RESULTS/rxgen-small.txt")
rxs_check "small: rxgen reports $COUNT good frames sent (${sent:-none})" [ "${sent:-x}" = "$COUNT" ]
rxs_check "small: received $COUNT, or lost only to host overflow ($(rxs_val received $S))" \
	all_or_overflow small "$COUNT" "$(rxs_val received $S)"
rxs_check "small: every datagram received verified ($(rxs_val good $S))" \
	[ "$(rxs_val good $S)" = "$(rxs_val received $S)" ]
rxs_check "small: lost is what did not arrive ($(rxs_val lost $S))" \
	[ "$(rxs_val lost $S)" -le $((COUNT - $(rxs_val received $S))) ]
for k in bad_payload dup reordered late sock_drops; do
	rxs_check "small: $k is 0 ($(rxs_val $k $S))" [ "$(rxs_val $k $S)" = 0 ]
done
rxs_check "small: 8 flows seen ($(rxs_val flows_seen $S))" [ "$(rxs_val flows_seen $S)" = 8 ]

# --- jumbo ---
ip link set "$ifc" mtu 9000 || echo "FAIL: set MTU 9000"
n=100
while [ "$(cat /sys/class/net/$ifc/carrier 2>/dev/null)" != 1 ] && [ $n -gt 0 ]; do
	usleep 100000; n=$((n - 1))
done
rxsink --port 9000 --count 300 --idle 10 --timeout 200 --rcvbuf 16777216 \
	--ready-file /tmp/jumbo.rdy --out "$RESULTS/sink-jumbo.txt" -q &
sink=$!
rxs_check "jumbo: rxsink bound its socket" rxs_wait_file /tmp/jumbo.rdy 20
ready jumbo
wait "$sink"
ethtool -S "$ifc" > "$RESULTS/ethtool-S-jumbo.txt" 2>&1
ip -s -s link show "$ifc" > "$RESULTS/link-jumbo.txt"
S=$RESULTS/sink-jumbo.txt
rxs_check "jumbo: host finished sending" rxs_wait_file "$RESULTS/jumbo.sent" 60
rxs_check "jumbo: received 300, or lost only to host overflow ($(rxs_val received $S))" \
	all_or_overflow jumbo 300 "$(rxs_val received $S)"
rxs_check "jumbo: every 8000-byte payload received verified ($(rxs_val good $S))" \
	[ "$(rxs_val good $S)" = "$(rxs_val received $S)" ] && [ "$(rxs_val good $S)" -gt 0 ]
rxs_check "jumbo: bytes = received * 8000 ($(rxs_val bytes $S))" \
	[ "$(rxs_val bytes $S)" = $(($(rxs_val received $S) * 8000)) ]
rxs_check "jumbo: no bad payloads ($(rxs_val bad_payload $S))" [ "$(rxs_val bad_payload $S)" = 0 ]

# --- queued (--no-read, --hold) ---
# bytes queued on the UDP socket bound to port 9001 (hex 2329), from /proc/net/udp
udp_rxq() {
	local h
	h=$(awk '$2 ~ /:2329$/ { split($5, q, ":"); print q[2]; exit }' /proc/net/udp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}
rxsink --port 9001 --no-read --idle 2 --timeout 120 --hold 6 --rcvbuf 16777216 \
	--ready-file /tmp/queued.rdy --out "$RESULTS/sink-queued.txt" -q &
sink=$!
rxs_check "queued: rxsink bound its socket" rxs_wait_file /tmp/queued.rdy 20
ready queued
S=$RESULTS/sink-queued.txt
rxs_check "queued: results written before the hold" rxs_wait_file "$S" 60
q=$(udp_rxq)
rxs_check "queued: during --hold the socket still holds ${q:-no} bytes" [ "${q:-0}" -gt $((200 * 64)) ]
wait "$sink"
rxs_check "queued: after --hold the socket is closed" [ -z "$(udp_rxq)" ]
rxs_check "queued: nothing read ($(rxs_val received $S))" [ "$(rxs_val received $S)" = 0 ]
rxs_check "queued: datagrams held on the socket ($(rxs_val queued_bytes $S) bytes)" \
	[ "$(rxs_val queued_bytes $S)" -gt $((200 * 64)) ]
rxs_check "queued: ended when the queue stopped growing ($(rxs_val end_reason $S))" \
	[ "$(rxs_val end_reason $S)" = idle ]

rxs_check "host part finished" rxs_wait_host 120
rxs_done
