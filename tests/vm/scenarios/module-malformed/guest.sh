# Malformed frames (rxgen --malformed all) never crash or warn, each kind lands in the
# counter that matches its defect (the driver's, the device's or the stack's), and the good
# frames sent among them all arrive.
PER_KIND=${PER_KIND:-100}
GOOD=${GOOD:-300}

# mib FILE SECTION FIELD: a counter from /proc/net/snmp or /proc/net/netstat.
mib() {
	awk -v sec="$2:" -v f="$3" '$1 == sec { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else { print $(c[f]); exit } }' "$1"
}
snap() {
	echo "oversize=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_oversize')"
	echo "ip_bad=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_csum_ip_bad')"
	echo "l4_bad=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_csum_l4_bad')"
	echo "vlan=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_vlan_stripped')"
	echo "desc_err=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_desc_errors')"
	echo "ruc=$(rxs_et_sum $ifc rx_undersize_ruc)"
	echo "rx_packets=$(rxs_et_sum $ifc 'rx_queue_[0-9]+_packets')"
	echo "dropped=$(cat /sys/class/net/$ifc/statistics/rx_dropped)"
	echo "ip_csum=$(mib /proc/net/netstat IpExt InCsumErrors)"
	echo "ip_hdr=$(mib /proc/net/snmp Ip InHdrErrors)"
	echo "ip_trunc=$(mib /proc/net/netstat IpExt InTruncatedPkts)"
	echo "reasm_ok=$(mib /proc/net/snmp Ip ReasmOKs)"
	echo "udp_csum=$(mib /proc/net/snmp Udp InCsumErrors)"
	echo "udp_err=$(mib /proc/net/snmp Udp InErrors)"
}
d() { echo $(($(rxs_val "$1" /tmp/after) - $(rxs_val "$1" /tmp/before))); }

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
snap > /tmp/before
rxs_receive --port 9000 --idle 5 --timeout 200 --out "$RESULTS/sink.txt"
sleep 1
snap > /tmp/after
cp /tmp/before "$RESULTS/counters-before.txt"
cp /tmp/after "$RESULTS/counters-after.txt"
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
for k in oversize ip_bad l4_bad vlan desc_err ruc rx_packets dropped ip_csum ip_hdr ip_trunc reasm_ok udp_csum udp_err; do
	echo "$k=$(d $k)"
done | tee "$RESULTS/counters-delta.txt"

good=$(rxs_val good "$RESULTS/sink.txt")
rxs_check "all $GOOD good datagrams arrived (good ${good:-none})" [ "${good:-x}" = "$GOOD" ]
short=$(rxs_val short "$RESULTS/sink.txt")
rxs_check "runt: $PER_KIND short datagrams reached the socket, padding trimmed (${short:-none})" \
	[ "${short:-x}" = "$PER_KIND" ]
rxs_check "the only bad payloads are those runts" [ "$(rxs_val bad_payload "$RESULTS/sink.txt")" = "$short" ]
rxs_check "frag: $PER_KIND reassembled datagrams reached the socket" \
	[ "$(rxs_val mal_frag "$RESULTS/sink.txt")" = "$PER_KIND" ]
rxs_check "oversize: driver counted $PER_KIND oversize drops ($(d oversize))" [ "$(d oversize)" = "$PER_KIND" ]
rxs_check "runt: device counted $PER_KIND undersize frames (RUC $(d ruc))" [ "$(d ruc)" = "$PER_KIND" ]
rxs_check "bad-ip-csum: descriptor IPE counted $PER_KIND ($(d ip_bad))" [ "$(d ip_bad)" = "$PER_KIND" ]
rxs_check "bad-ip-csum: the stack counted $PER_KIND IP checksum errors ($(d ip_csum))" [ "$(d ip_csum)" = "$PER_KIND" ]
rxs_check "bad-ip-len: the stack counted $PER_KIND truncated IP packets ($(d ip_trunc))" [ "$(d ip_trunc)" = "$PER_KIND" ]
rxs_check "bad-udp-csum: descriptor L4 error counted $PER_KIND ($(d l4_bad))" [ "$(d l4_bad)" = "$PER_KIND" ]
rxs_check "bad-udp-csum: the stack counted $PER_KIND UDP checksum errors ($(d udp_csum))" [ "$(d udp_csum)" = "$PER_KIND" ]
rxs_check "trunc-udp + bad-udp-csum: $((2 * PER_KIND)) UDP errors ($(d udp_err))" [ "$(d udp_err)" = $((2 * PER_KIND)) ]
rxs_check "frag: $PER_KIND datagrams reassembled ($(d reasm_ok))" [ "$(d reasm_ok)" = "$PER_KIND" ]
rxs_check "vlan: $PER_KIND tags stripped by the device ($(d vlan))" [ "$(d vlan)" = "$PER_KIND" ]
# no handler for the EtherType: the core counts it in rx_dropped (not deliver-exact)
rxs_check "non-ip: $PER_KIND frames dropped by the core for want of a handler ($(d dropped))" [ "$(d dropped)" = "$PER_KIND" ]
rxs_check "no descriptor frame errors ($(d desc_err))" [ "$(d desc_err)" = 0 ]
# Every frame but the oversize ones reached the stack; a frag unit is two frames.
want=$((GOOD + 9 * PER_KIND + PER_KIND - PER_KIND))
rxs_check "the driver handed $want frames to the stack ($(d rx_packets))" [ "$(d rx_packets)" = "$want" ]
rxs_done
