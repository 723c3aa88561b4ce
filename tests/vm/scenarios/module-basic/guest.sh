# rxscope_igb basics: it loads, takes the link up and an address, gets one MSI-X vector per
# queue plus one for link events, and receives COUNT datagrams over several flows with zero
# loss, counted three ways that must agree: the socket (rxsink), `ip -s link` and
# `ethtool -S` (and the debugfs copy of the ethtool counters). Several queues must receive.
COUNT=${COUNT:-20000}

dbg_sum() { awk -v re="^$1:\$" '$1 ~ re { s += $2 } END { print s + 0 }' /sys/kernel/debug/rxscope_igb/*/stats; }
# /proc/interrupts: total of one vector's per-CPU counts.
irq_total() { awk -v n="$1" '$NF == n { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s; exit }' /proc/interrupts; }

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_log "rxscope_igb is up on $ifc"
ncpu=$(grep -c ^processor /proc/cpuinfo)
nq=$(ls -d /sys/class/net/$ifc/queues/rx-* | wc -l)
want_q=$((ncpu < 4 ? ncpu : 4))
rxs_check "driver is rxscope_igb" [ "$(basename "$(readlink /sys/class/net/$ifc/device/driver)")" = rxscope_igb ]
rxs_check "link is up (carrier 1)" [ "$(cat /sys/class/net/$ifc/carrier)" = 1 ]
rxs_check "address 198.18.0.2 is on $ifc" sh -c "ip -4 addr show $ifc | grep -q 198.18.0.2/15"
rxs_check "$nq RX queues, one per CPU up to 4 (want $want_q)" [ "$nq" = "$want_q" ]
grep -E "$ifc" /proc/interrupts > "$RESULTS/irqs-before.txt"
nvec=$(grep -cE " $ifc-rx-[0-9]+\$" /proc/interrupts)
rxs_check "one MSI-X vector per queue in /proc/interrupts ($nvec for $nq queues)" [ "$nvec" = "$nq" ]
rxs_check "one more vector for link events" grep -qE " $ifc\$" /proc/interrupts
# The vector's mode in sysfs: /proc/interrupts names it PCI-MSIX only from 6.2 on.
rxq0=$(awk -v n="$ifc-rx-0" '$NF == n { sub(":", "", $1); print $1; exit }' /proc/interrupts)
rxs_check "vectors are MSI-X (irq ${rxq0:-none}: $(cat "/sys/class/net/$ifc/device/msi_irqs/${rxq0:-none}" 2>/dev/null))" \
	[ "$(cat "/sys/class/net/$ifc/device/msi_irqs/${rxq0:-none}" 2>/dev/null)" = msix ]
speed=$(ethtool "$ifc" | sed -n 's/.*Speed: //p')
rxs_check "ethtool reports the link speed ($speed)" [ "$speed" = 1000Mb/s ]
rxs_check "ethtool -i names the driver" sh -c "ethtool -i $ifc | grep -q 'driver: rxscope_igb'"

ip_before=$(rxs_ip_rx_packets "$ifc")
et_before=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets')
dbg_before=$(dbg_sum 'rx_queue_[0-9]+_packets')
for q in $(seq 0 $((nq - 1))); do
	eval "qp_before_$q=\$(rxs_et_sum $ifc rx_queue_${q}_packets)"
	eval "irq_before_$q=\$(irq_total $ifc-rx-$q)"
done

rxs_receive --port 9000 --count "$COUNT" --idle 10 --timeout 300 --out "$RESULTS/sink.txt"
cat /tmp/sink.log
sleep 1

ip -s link show "$ifc" > "$RESULTS/link-after.txt"
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
cp /sys/kernel/debug/rxscope_igb/*/stats "$RESULTS/debugfs-stats.txt"
grep -E "$ifc" /proc/interrupts > "$RESULTS/irqs-after.txt"

sent=$(rxs_val sent_good "$RESULTS/rxgen.txt")
got=$(rxs_val received "$RESULTS/sink.txt")
bad=$(rxs_val bad_payload "$RESULTS/sink.txt")
ip_d=$(($(rxs_ip_rx_packets "$ifc") - ip_before))
et_d=$(($(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets') - et_before))
dbg_d=$(($(dbg_sum 'rx_queue_[0-9]+_packets') - dbg_before))
rxs_check "rxgen sent $COUNT good frames (sent ${sent:-none})" [ "${sent:-x}" = "$COUNT" ]
rxs_check "the socket received all $COUNT datagrams (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "no payload was corrupted (bad ${bad:-none})" [ "${bad:-x}" = 0 ]
rxs_check "ip -s link counted $COUNT frames (delta $ip_d)" [ "$ip_d" = "$COUNT" ]
rxs_check "ethtool -S counted $COUNT frames (delta $et_d)" [ "$et_d" = "$COUNT" ]
rxs_check "debugfs stats agree with ethtool -S (delta $dbg_d)" [ "$dbg_d" = "$COUNT" ]
rxs_check "no descriptor errors" [ "$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_desc_errors')" = 0 ]
rxs_check "no allocation failures" [ "$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_alloc_failed')" = 0 ]
rxs_check "every datagram had its UDP checksum verified by the device" \
	[ "$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_csum_good')" -ge "$COUNT" ]

busy_q=0 busy_irq=0
for q in $(seq 0 $((nq - 1))); do
	eval "qb=\$qp_before_$q; ib=\$irq_before_$q"
	qd=$(($(rxs_et_sum "$ifc" "rx_queue_${q}_packets") - qb))
	id=$(($(irq_total "$ifc-rx-$q") - ib))
	rxs_log "queue $q: $qd frames, $id interrupts"
	[ "$qd" -gt 0 ] && busy_q=$((busy_q + 1))
	[ "$id" -gt 0 ] && busy_irq=$((busy_irq + 1))
done
if [ "$nq" -gt 1 ]; then
	rxs_check "RSS spread the flows over more than one queue ($busy_q of $nq)" [ "$busy_q" -gt 1 ]
	rxs_check "more than one queue vector fired ($busy_irq of $nq)" [ "$busy_irq" -gt 1 ]
fi
rxs_done
