# An oversize flood: MTU 1500 and a stream of 9014-byte frames, which the device accepts
# (up to 9026 bytes) and the driver must drop and count. Dropped frames must cost the poll
# as much as received ones, or one poll keeps walking for as long as the device writes.
# Under TCG the device writes slower than the driver walks, so inject_rx_desc_delay_ns
# makes every descriptor cost DESC_DELAY_NS (a slower CPU, or a faster device): the device
# then always has the next descriptor written before the walk gets there. With
# kernel.watchdog_thresh=3 the soft-lockup detector reports any CPU that runs no task for
# 6 s (the runner fails on that, and on RCU stalls). A shell loop ticking every 0.2 s must
# never stall for 5 s (a busy host alone stalls the whole VM for up to about 2 s), and
# afterwards, without the delay, COUNT ordinary datagrams arrive with zero loss.
COUNT=${COUNT:-500}
DESC_DELAY_NS=${DESC_DELAY_NS:-100000}
param=/sys/module/rxscope_igb/parameters/inject_rx_desc_delay_ns

rx_pkts() { rxs_et_sum "$ifc" 'rx_queue_[0-9]+_(packets|oversize)'; }
quiet_for() { # quiet_for SEC: waits (up to 60 s) until no frame arrived for SEC seconds
	local last now n=0 q=0
	last=$(rx_pkts)
	while [ "$n" -lt 60 ]; do
		sleep 1
		n=$((n + 1))
		now=$(rx_pkts)
		if [ "$now" = "$last" ]; then
			q=$((q + 1))
			[ "$q" -ge "$1" ] && return 0
		else
			q=0
			last=$now
		fi
	done
	return 1
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_check "MTU is 1500" [ "$(cat /sys/class/net/$ifc/mtu)" = 1500 ]
sysctl -qw kernel.watchdog_thresh=3
rxs_check "soft-lockup threshold lowered to 3" [ "$(cat /proc/sys/kernel/watchdog_thresh)" = 3 ]
rxs_check "inject_rx_desc_delay_ns refuses 1000001" sh -c "! echo 1000001 > $param"
echo "$DESC_DELAY_NS" > "$param"
rxs_check "inject_rx_desc_delay_ns is $DESC_DELAY_NS" [ "$(cat "$param")" = "$DESC_DELAY_NS" ]
(while :; do cut -d' ' -f1 /proc/uptime; usleep 200000; done) > /tmp/ticks &
ticker=$!
rxs_ready
rxs_check "the host flooded" rxs_wait_file "$RESULTS/flood-sent" 120
kill "$ticker"
echo 0 > "$param"
gap=$(awk 'NR > 1 && $1 - p > g { g = $1 - p } { p = $1 } END { printf "%.2f", g }' /tmp/ticks)
rxs_log "ticks: $(wc -l < /tmp/ticks), longest gap ${gap} s"
rxs_check "the shell kept ticking during the flood (longest gap ${gap} s)" \
	awk -v g="$gap" 'BEGIN { exit !(g < 5) }'
over=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_oversize')
rxs_check "the driver dropped and counted oversize frames ($over)" [ "$over" -gt 1000 ]
rxs_check "the flood drained" quiet_for 2
sysctl -qw kernel.watchdog_thresh=10
rxs_receive --go want-traffic --port 9001 --count "$COUNT" --idle 3 --timeout 60 \
	--out "$RESULTS/sink.txt"
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "after the flood all $COUNT datagrams arrived (${got:-none})" [ "${got:-0}" = "$COUNT" ]
ethtool -S "$ifc" > "$RESULTS/ethtool-S.txt"
rxs_done
