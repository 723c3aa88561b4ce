# TX under link flaps and a stalled transmit unit. Four pings send 8000-byte echo requests
# (6 frames each) as fast as they can to a host address with a static neighbour entry,
# while the host pulls the cable FLAPS times. inject_tx_stall makes the driver stop handing
# frames to the device, as a transmit unit that hangs: the ring fills and the queue stops
# with the carrier up. The netdev watchdog must then call the driver's tx_timeout, whose
# reset brings TX back. Afterwards the carrier is up and 100 frames sent are all completed
# by the device (tx_queue_0_packets).
HOST_IP=198.18.0.1
P=/sys/module/rxscope_igb/parameters

carrier() { cat "/sys/class/net/$ifc/carrier" 2>/dev/null; }
tx_pkts() { rxs_et_sum "$ifc" tx_queue_0_packets; }
wait_timeouts() { # wait_timeouts SEC: until ethtool -S tx_timeouts > 0
	local n=$(($1 * 2))
	while [ "$(rxs_et_sum "$ifc" tx_timeouts)" -lt 1 ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 500000
	done
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
ip neigh replace "$HOST_IP" lladdr 02:00:00:00:00:01 dev "$ifc" nud permanent
pings=
for _ in 1 2 3 4; do
	ping -q -i 0.001 -s 8000 "$HOST_IP" > /dev/null 2>&1 &
	pings="$pings $!"
done
sleep 2
t0=$(tx_pkts)
rxs_check "the blast transmits ($t0 frames completed in 2 s)" [ "$t0" -gt 100 ]
echo 1 > $P/inject_tx_stall
rxs_ready
rxs_check "the host flapped the link" rxs_wait_host 120
rxs_check "tx_timeout ran within 20 s after the last flap" wait_timeouts 20
kill $pings 2>/dev/null
wait 2>/dev/null
rxs_check "the reset ended the injected stall" [ "$(cat $P/inject_tx_stall)" = N ]
echo 0 > $P/inject_tx_stall
rxs_check "carrier is up" rxs_wait_carrier "$ifc" 10
sleep 1
t1=$(tx_pkts)
ping -q -c 100 -i 0.01 -s 100 "$HOST_IP" > /dev/null 2>&1
sleep 1
t2=$(tx_pkts)
rxs_check "TX works afterwards: 100 frames sent, $((t2 - t1)) completed" [ $((t2 - t1)) -ge 100 ]
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
dmesg | grep -E "$ifc" > "$RESULTS/if-log.txt"
rxs_done
