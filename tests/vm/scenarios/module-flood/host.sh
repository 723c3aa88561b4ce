# Floods the guest with 9014-byte frames (UDP payload 8972), above its MTU of 1500, as fast
# as rxgen can for DURATION seconds over 8 flows (both RX queues); then, when the guest
# asks, COUNT ordinary datagrams.
DURATION=${DURATION:-12}
COUNT=${COUNT:-500}
rxs_host_wait_ready || exit 1
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--duration "$DURATION" --rate max --flows 8 --size 8972 --batch 8 --summary "$OUT/flood.txt"
: > "$OUT/flood-sent"
for _ in $(seq 1200); do [ -e "$OUT/want-traffic" ] && break; sleep 0.1; done
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9001 \
	--count "$COUNT" --rate 1000 --flows 8 --quiet
