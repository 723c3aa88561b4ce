# Robustness under traffic: LINK_CYCLES `ip link set down/up` cycles and MOD_CYCLES
# rmmod/insmod cycles while the host sends. No splat (the runner checks the console), no
# leaked IRQ vectors, and no growth of unreclaimable slab (SUnreclaim, /proc/meminfo) or of
# used pages (nr_free_pages, /proc/vmstat) beyond noise, measured in the same state (module
# loaded, link up, no socket open, caches dropped) before and after the cycles. Afterwards
# the driver still receives without loss, and rmmod leaves no MSI-X vector behind.
LINK_CYCLES=${LINK_CYCLES:-50}
MOD_CYCLES=${MOD_CYCLES:-20}
COUNT=${COUNT:-5000}
MAX_PAGES=${MAX_PAGES:-8192}		# 32 MiB: noise seen up to 4409 pages (pcp lists)
MAX_SLAB_KB=${MAX_SLAB_KB:-1024}	# noise seen up to 348 kB

vectors() { grep -c "PCI-MSIX-$pci" /proc/interrupts; }
mem_snapshot() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 2
	echo 3 > /proc/sys/vm/drop_caches
	echo "free_pages=$(awk '$1 == "nr_free_pages" { print $2 }' /proc/vmstat)"
	echo "sunreclaim_kb=$(awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo)"
	awk '{ sub(":", "", $1); print "meminfo_" $1 "=" $2 }' /proc/meminfo
}
start_sink() {
	rxsink --port 9001 --timeout 800 --quiet > /dev/null 2>&1 &
	bg_sink=$!
}
stop_sink() { kill "$bg_sink" 2>/dev/null; wait "$bg_sink" 2>/dev/null; }
link_cycle() {
	ip link set "$ifc" down && ip link set "$ifc" up || return 1
}
mod_cycle() {
	rmmod rxscope_igb || return 1
	[ "$(vectors)" = 0 ] || { echo "vectors left after rmmod: $(vectors)" >&2; return 1; }
	ifc=$(rxs_up rxscope_igb) || return 1
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
pci=$(basename "$(readlink /sys/class/net/$ifc/device)")
nq=$(ls -d /sys/class/net/$ifc/queues/rx-* | wc -l)
rxs_log "rxscope_igb on $ifc ($pci), $nq queues, $(vectors) vectors"
start_sink
rxs_ready
sleep 2
# warm up the caches the same way the cycles will
link_cycle && link_cycle && mod_cycle || { echo "FAIL: warm-up cycles"; exit 1; }
stop_sink
mem_snapshot > /tmp/mem0
start_sink

fails=0
i=0
while [ $i -lt "$LINK_CYCLES" ]; do
	link_cycle || fails=$((fails + 1))
	i=$((i + 1))
done
rxs_check "$LINK_CYCLES link down/up cycles ($fails failed)" [ "$fails" = 0 ]
n=100
while [ "$(cat /sys/class/net/$ifc/carrier)" != 1 ] && [ $n -gt 0 ]; do usleep 100000; n=$((n - 1)); done
rxs_check "carrier is back after the link cycles" [ "$(cat /sys/class/net/$ifc/carrier)" = 1 ]

fails=0
i=0
while [ $i -lt "$MOD_CYCLES" ]; do
	mod_cycle || { fails=$((fails + 1)); break; }
	i=$((i + 1))
done
rxs_check "$MOD_CYCLES rmmod/insmod cycles, each leaving no vector behind ($fails failed)" [ "$fails" = 0 ]
rxs_check "loaded again: $((nq + 1)) vectors ($(vectors))" [ "$(vectors)" = $((nq + 1)) ]
stop_sink
mem_snapshot > /tmp/mem1
: > "$RESULTS/cycles-done"
cp /tmp/mem0 "$RESULTS/mem-before.txt"
cp /tmp/mem1 "$RESULTS/mem-after.txt"
used_pages=$(($(rxs_val free_pages /tmp/mem0) - $(rxs_val free_pages /tmp/mem1)))
slab_kb=$(($(rxs_val sunreclaim_kb /tmp/mem1) - $(rxs_val sunreclaim_kb /tmp/mem0)))
rxs_log "after the cycles: $used_pages more pages in use, SUnreclaim +$slab_kb kB"
rxs_check "no page growth beyond noise ($used_pages pages, limit $MAX_PAGES)" [ "$used_pages" -le "$MAX_PAGES" ]
rxs_check "no unreclaimable slab growth beyond noise ($slab_kb kB, limit $MAX_SLAB_KB)" [ "$slab_kb" -le "$MAX_SLAB_KB" ]

rxs_receive --go phase2-ready --port 9000 --count "$COUNT" --timeout 200 --out "$RESULTS/sink.txt"
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "after the cycles, all $COUNT datagrams arrived (got ${got:-none})" [ "${got:-x}" = "$COUNT" ]
rxs_check "final rmmod works" rmmod rxscope_igb
rxs_check "no MSI-X vector left after the final rmmod ($(vectors))" [ "$(vectors)" = 0 ]
rxs_done
