# The receive filter (ndo_set_rx_mode): frames for a foreign unicast MAC are filtered by the
# device until promiscuous mode is on; a multicast MAC is filtered until the interface joins
# it (multicast table) or all-multicast mode is on. Counted at the driver (ethtool -S).
COUNT=${COUNT:-500}
FOREIGN=02:00:00:00:00:99
MCAST=01:00:5e:01:02:03		# MTA hash 0x030, not used by the guest's own groups
MCAST2=01:00:5e:7f:44:55	# hash 0x554, likewise

phase=0
# send MAC: has the host send COUNT frames to MAC; sets n to what the driver received
send() {
	local before
	phase=$((phase + 1))
	before=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets')
	echo "$1" > "$RESULTS/mac-$phase"
	: > "$RESULTS/go-$phase"
	n=-1
	rxs_wait_file "$RESULTS/done-$phase" 120 || { echo "no phase $phase" >&2; return; }
	sleep 1
	n=$(($(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets') - before))
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_ready
send $FOREIGN
rxs_check "foreign unicast MAC filtered by the device ($n received)" [ "$n" = 0 ]
ip link set "$ifc" promisc on
send $FOREIGN
rxs_check "promiscuous: all $COUNT foreign frames received ($n)" [ "$n" = "$COUNT" ]
ip link set "$ifc" promisc off
send $MCAST
rxs_check "multicast MAC not joined: filtered ($n received)" [ "$n" = 0 ]
ip maddr add "$MCAST" dev "$ifc"
send $MCAST
rxs_check "multicast MAC joined (multicast table): all $COUNT received ($n)" [ "$n" = "$COUNT" ]
ip maddr del "$MCAST" dev "$ifc"
send $MCAST2
rxs_check "another multicast MAC, not joined: filtered ($n received)" [ "$n" = 0 ]
ip link set "$ifc" allmulticast on
send $MCAST2
rxs_check "all-multicast: all $COUNT received ($n)" [ "$n" = "$COUNT" ]
rxs_done
