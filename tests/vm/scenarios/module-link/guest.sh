# rxscope_igb follows real link changes: the host pulls the cable with QEMU's set_link,
# the 82576 raises LSC on the "other" MSI-X vector, and the driver must take the carrier
# down (and log it, and count it in ethtool -S link_changes), receive nothing while the
# link is down, take the carrier up again when the cable is back, and then receive COUNT
# datagrams with zero loss.
COUNT=${COUNT:-2000}

carrier() { cat "/sys/class/net/$ifc/carrier" 2>/dev/null; }
wait_carrier() { # wait_carrier 0|1: up to 10 s
	local n=100
	while [ "$(carrier)" != "$1" ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 100000
	done
}
rx_pkts() { rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets'; }

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
lc0=$(rxs_et_sum "$ifc" link_changes)
ups0=$(dmesg | grep -c "$ifc: link up")
rxs_check "link is up before the cable is pulled (carrier 1)" [ "$(carrier)" = 1 ]
rxs_ready

rxs_check "the host pulled the cable (set_link n0 off)" rxs_wait_file "$RESULTS/link-off" 60
rxs_check "carrier goes down within 10 s" wait_carrier 0
rxs_check "operstate is down" [ "$(cat /sys/class/net/$ifc/operstate)" = down ]
rxs_check "the driver logged the link loss" sh -c "dmesg | grep -q '$ifc: link down'"
lc1=$(rxs_et_sum "$ifc" link_changes)
rxs_check "ethtool -S link_changes counted it ($lc0 -> $lc1)" [ "$lc1" -gt "$lc0" ]
before=$(rx_pkts)
: > "$RESULTS/want-down-traffic"
rxs_check "the host sent while the link was down" rxs_wait_file "$RESULTS/down-traffic-sent" 60
sleep 1
after=$(rx_pkts)
rxs_check "nothing received while the link is down ($before -> $after)" [ "$after" = "$before" ]

: > "$RESULTS/want-link-on"
rxs_check "the host put the cable back (set_link n0 on)" rxs_wait_file "$RESULTS/link-on" 60
rxs_check "carrier comes back within 10 s" wait_carrier 1
ups1=$(dmesg | grep -c "$ifc: link up")
rxs_check "the driver logged the link coming back ($ups0 -> $ups1 'link up' lines)" [ "$ups1" -gt "$ups0" ]
lc2=$(rxs_et_sum "$ifc" link_changes)
rxs_check "ethtool -S link_changes counted that too ($lc1 -> $lc2)" [ "$lc2" -gt "$lc1" ]

rxs_receive --go want-traffic --port 9000 --count "$COUNT" --idle 5 --timeout 120 \
	--out "$RESULTS/sink.txt"
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "after the link came back all $COUNT datagrams arrived (${got:-none})" [ "${got:-0}" = "$COUNT" ]
rxs_check "  ... none corrupt" [ "$(rxs_val bad_payload "$RESULTS/sink.txt")" = 0 ]
dmesg | grep -E "$ifc: link" > "$RESULTS/link-log.txt"
rxs_done
