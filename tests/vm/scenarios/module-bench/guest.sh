# Benchmark (not a test): the maximum receive rate of the in-tree igb and of rxscope_igb
# on the same VM, alternating drivers, RUNS times each. The host floods 64-byte UDP frames
# over 16 flows; the guest measures, over a WINDOW-second window inside the flood, the
# frames the driver handed to the stack (ip -s link) and the datagrams the socket read.
# Results: $RESULTS/bench.txt, one line per run: driver run link_pps socket_datagrams
# (link_pps over the window; socket_datagrams read by rxsink over the whole flood).
RUNS=${RUNS:-3}
WINDOW=${WINDOW:-5}

ip_rx_packets() { ip -s link show "$1" | awk '/RX:/ { getline; print $2; exit }'; }
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
sock_count() { sed -n 's/^received=//p' "$1" 2>/dev/null | head -n 1; }

: > "$RESULTS/bench.txt"
phase=0
for run in $(seq "$RUNS"); do
	for drv in igb rxscope_igb; do
		phase=$((phase + 1))
		ifc=$(rxs_up "$drv") || { echo "FAIL: $drv did not come up"; exit 1; }
		rxsink --port 9000 --timeout $((WINDOW + 30)) --idle 3 --quiet \
			--out "/tmp/sink-$phase.txt" > /dev/null 2>&1 &
		sink=$!
		: > "$RESULTS/go-$phase"
		rxs_wait_file "$RESULTS/flooding-$phase" 120 || { echo "FAIL: no flood $phase"; exit 1; }
		sleep 1
		p0=$(ip_rx_packets "$ifc"); t0=$(now_ms)
		sleep "$WINDOW"
		p1=$(ip_rx_packets "$ifc"); t1=$(now_ms)
		rxs_wait_file "$RESULTS/done-$phase" 120 || { echo "FAIL: flood $phase never ended"; exit 1; }
		wait "$sink"
		link_pps=$(( (p1 - p0) * 1000 / (t1 - t0) ))
		# the socket's share: its whole count over the flood, scaled to the same window
		sock=$(sock_count "/tmp/sink-$phase.txt")
		echo "$drv $run $link_pps ${sock:-0}" | tee -a "$RESULTS/bench.txt"
		ethtool -S "$ifc" > "$RESULTS/ethtool-S-$phase.txt" 2>&1
		if [ "$drv" = igb ]; then rmmod igb; else rmmod rxscope_igb; fi
	done
done
rxs_done
