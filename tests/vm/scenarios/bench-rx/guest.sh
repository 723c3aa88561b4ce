# make bench: maximum receive rate, RUNS rounds of every mode in MODES, interleaved so that
# drift in the machine's speed hits all modes alike. A mode is a driver (igb, rxscope_igb)
# with an optional tracer: "+trace" (rxscope record, every packet), "+sample" (record
# --sample 10), "+floor" (the same hooks as +trace with programs that only return:
# RXSCOPE_EMPTY=1), "+pktfloor" (every hook, with per-packet programs that only return:
# RXSCOPE_EMPTY=packet), "+irq" (only the per-IRQ hooks, as --sample keeps them between
# its windows), "+irqfloor" (the same hooks, with programs that only return),
# "+sampleN" (--sample N), "+sampleNpP" (--sample N with one window per P seconds:
# RXSCOPE_SAMPLE_PERIOD=P), "+nf" (rxscope record --detail nf), "+poll" (only the poll hooks: RXSCOPE_POINTS=poll_entry, the reference
# for the poll stage's observer effect), "+serve" (rxscope serve, nobody scraping),
# "+scrape" (rxscope serve, scraped once a second by the host through the management NIC
# of run-vm.sh --mgmt-net), "+byqueue" / "+bycpu" (as +trace, with --by queue / --by
# cpu), "+stats" / "+floorstats" (as +trace / +floor, with --stats: each program's ns per
# event under the bench's load, in rec-R-MODE.log) or "+slowT" (record --slow T: +slow1s checks every packet and reports none,
# +slow1ns reports every packet up to the rate limit and counts the rest). The host
# sends at full speed for each measurement. Two results: the rate at which the driver
# hands frames to the stack (link_pps, from ip -s link while the host sends) and rxsink's
# rate_pps (the socket).
MODES=${MODES:-igb rxscope_igb}
RUNS=${RUNS:-5}
case " $MODES" in
*+serve*|*+scrape*)
	mgmt=$(rxs_mgmt_up) || { echo "FAIL: no management NIC for the serve modes"; exit 1; } ;;
esac
for r in $(seq "$RUNS"); do
	for m in $MODES; do
		drv=${m%%+*}
		ifc=$(rxs_up "$drv") || { echo "FAIL: $drv did not come up"; exit 1; }
		rxsink --port 9000 --idle 2 --timeout 120 --ready-file /tmp/s.ready -q \
			--out "$RESULTS/sink-$r-$m.txt" &
		sink=$!
		rec=
		if [ "$m" != "$drv" ]; then
			opt= envs=
			case ${m#*+} in
			sample) opt="--sample 10" ;;
			sample[0-9]*p[0-9]*)	# +sampleNpP: --sample N, one window per P s
				n=${m#*+sample}
				opt="--sample ${n%p*}" envs=RXSCOPE_SAMPLE_PERIOD=${n#*p} ;;
			sample[0-9]*) opt="--sample ${m#*+sample}" ;;
			nf) opt="--detail nf" ;;
			byqueue) opt="--by queue" ;;
			bycpu) opt="--by cpu" ;;
			slow*) opt="--slow ${m#*+slow}" ;;	# +slow1s, +slow1ns: --slow THRESHOLD
			floor) envs=RXSCOPE_EMPTY=1 ;;
			stats) opt="--stats" ;;
			floorstats) envs=RXSCOPE_EMPTY=1 opt="--stats" ;;
			pktfloor) envs=RXSCOPE_EMPTY=packet ;;
			poll) envs=RXSCOPE_POINTS=poll_entry ;;
			irq) envs=RXSCOPE_POINTS=isr,softirq,poll_entry ;;
			irqfloor) envs="RXSCOPE_POINTS=isr,softirq,poll_entry RXSCOPE_EMPTY=1" ;;
			esac
			case ${m#*+} in
			serve|scrape)	# the exporter; -o gives the poll stage's p50 at the end
				rxscope serve --listen "$MGMT_IP:9941" --dev "$ifc" --port 9000 \
					-o "$RESULTS/rec-$r-$m.json" --ready-file /tmp/t.ready \
					> "$RESULTS/rec-$r-$m.log" 2>&1 & ;;
			*)
				# shellcheck disable=SC2086
				env $envs rxscope record -o "$RESULTS/rec-$r-$m.json" --dev "$ifc" \
					--port 9000 $opt --ready-file /tmp/t.ready \
					> "$RESULTS/rec-$r-$m.log" 2>&1 & ;;
			esac
			rec=$!
			rxs_wait_file /tmp/t.ready 60 || { echo "FAIL: rxscope did not attach"; exit 1; }
		fi
		rxs_wait_file /tmp/s.ready 20 || { echo "FAIL: rxsink not ready"; exit 1; }
		p0=$(rxs_ip_rx_packets "$ifc")
		t0=$(cut -d' ' -f1 /proc/uptime)
		: > "$RESULTS/go-$r-$m"
		rxs_wait_file "$RESULTS/sent-$r-$m" 300 || { echo "FAIL: host did not send"; exit 1; }
		p1=$(rxs_ip_rx_packets "$ifc")
		t1=$(cut -d' ' -f1 /proc/uptime)
		# What the driver handed to the stack while the host sent (ip -s link).
		awk -v p="$((p1 - p0))" -v a="$t0" -v b="$t1" \
			'BEGIN { printf "link_pps=%.1f\n", p / (b - a) }' >> "$RESULTS/link-$r-$m.txt"
		wait "$sink"
		[ -n "$rec" ] && { kill -INT "$rec"; wait "$rec"; }
		rm -f /tmp/s.ready /tmp/t.ready
		rxs_log "run $r $m: $(cat "$RESULTS/link-$r-$m.txt") $(grep -E '^(received|rate_pps)=' "$RESULTS/sink-$r-$m.txt" | tr '\n' ' ')"
		rmmod "$drv" || { echo "FAIL: rmmod $drv"; exit 1; }
	done
done
