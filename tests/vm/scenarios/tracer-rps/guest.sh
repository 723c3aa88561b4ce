# RPS: the in-tree igb with one RX queue, its interrupt on CPU 0. Three rounds of COUNT
# datagrams, each recorded by rxscope:
#   1 norps   rps_cpus 0: the backlog stage is there and counts nothing, its hooks never run
#   2 rps     rps_cpus = CPU 1: every datagram crosses to CPU 1 through its backlog; each
#             one has every stage, the backlog one included, and the counts are exact
#   3 reader  the same, with the socket's reader pinned to CPU 2 (taskset)
COUNT=${COUNT:-1000}
. /scenario/tracer-lib.sh

ifc=$(rxs_up igb) || { echo "FAIL: igb did not come up"; exit 1; }
rxs_check "one combined channel (ethtool -L $ifc combined 1)" ethtool -L "$ifc" combined 1
rxs_wait_carrier "$ifc" 20
ethtool -l "$ifc" | sed -n '/^Current/,$p'
rxs_log "igb is up on $ifc, $(nproc) CPUs"

# The one queue vector's interrupt on CPU 0 (the others belong to the link or are gone).
qirqs=$(awk -v d="$ifc" '$NF ~ "^" d "-" { sub(":", "", $1); printf "%s ", $1 }' /proc/interrupts)
grep "$ifc" /proc/interrupts
for i in $qirqs; do echo 0 > "/proc/irq/$i/smp_affinity_list"; done
rxs_check "the queue's interrupt is pinned to CPU 0 (irqs: $qirqs)" \
	sh -c "[ -n '$qirqs' ] && for i in $qirqs; do [ \"\$(cat /proc/irq/\$i/smp_affinity_list)\" = 0 ] || exit 1; done"
rxs_check "$ifc has one RX queue" [ "$(ls -d /sys/class/net/$ifc/queues/rx-* | wc -l)" = 1 ]
RPS=/sys/class/net/$ifc/queues/rx-0/rps_cpus

rxscope probe --dev "$ifc" > "$RESULTS/probe.txt" 2>&1
rxs_check "rxscope probe runs" [ $? = 0 ]
cat "$RESULTS/probe.txt"

# round N NAME RPS_MASK [READER_CPU]: one recorded round of COUNT datagrams.
round() {
	local n=$1 name=$2 mask=$3 cpu=${4:-} sink rec got
	echo "$mask" > "$RPS"
	rxs_log "round $n ($name): rps_cpus $(cat "$RPS"), reader on ${cpu:-any CPU}"
	rm -f /tmp/sink.ready /tmp/rxs.ready
	${cpu:+taskset -c "$cpu"} rxsink --port 9000 --count "$COUNT" --idle 10 --timeout 240 \
		--ready-file /tmp/sink.ready --out "$RESULTS/sink-$name.txt" > /tmp/sink.log 2>&1 &
	sink=$!
	rxs_check "$name: rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
	cp /proc/net/softnet_stat "$RESULTS/softnet-before-$name.txt"
	rxscope record -o "$RESULTS/$name.json" --dev "$ifc" --port 9000 --stats \
		--ready-file /tmp/rxs.ready > "$RESULTS/record-$name.log" 2>&1 &
	rec=$!
	rxs_check "$name: rxscope record attached" rxs_wait_file /tmp/rxs.ready 120
	: > "$RESULTS/go-$n"
	rxs_check "$name: the host sent its datagrams" rxs_wait_file "$RESULTS/sent-$n" 300
	wait "$sink"
	kill -INT "$rec"
	wait "$rec"
	rxs_check "$name: rxscope record exited 0" [ $? = 0 ]
	cp /proc/net/softnet_stat "$RESULTS/softnet-after-$name.txt"
	cat "$RESULTS/record-$name.log"
	rxscope report "$RESULTS/$name.json" > "$RESULTS/report-$name.txt" 2>&1
	rxs_check "$name: rxscope report reads the recording" [ $? = 0 ]
	cat "$RESULTS/report-$name.txt"
	got=$(rxs_val received "$RESULTS/sink-$name.txt")
	rxs_check "$name: the socket received all $COUNT datagrams (got ${got:-none})" \
		[ "${got:-0}" = "$COUNT" ]
	sent=$(rxs_val sent_good "$RESULTS/rxgen-$n.txt")
	rxs_check "$name: rxgen sent $COUNT datagrams (sent ${sent:-none})" [ "${sent:-x}" = "$COUNT" ]
}

# rps_vals REC: what the checks below read from a recording beyond tracer-lib's values, one
# "KEY VALUE" line each ("none" when missing), from one jq run, to REC.rps:
#   netif CPU N (the CPU's netif_receive funnel count), enqueues N, ipis N (BPF counters
#   summed over the CPUs), received_rps N, dropped N, flow_limit N (softnet_stat deltas
#   summed over the CPUs).
rps_vals() {
	jq -r '
	def n: if type == "number" then floor | tostring else "none" end;
	def sum(f): [.cpus[]? | try f catch null] |
		if length > 0 and all(.[]; type == "number") then add | n else "none" end;
	(.cpus[]? | "netif \(.cpu) \(try .bpf.funnel.netif_receive catch null | n)"),
	"enqueues \(sum(.bpf.backlog_enqueues))", "ipis \(sum(.bpf.rps_ipis))",
	"received_rps \(sum(.softnet.deltas[9]))", "dropped \(sum(.softnet.deltas[1]))",
	"flow_limit \(sum(.softnet.deltas[10]))"' "$1" > "$1.rps" ||
		echo "tracer-rps: $1: jq cannot read it" >&2
}

# rps_get REC KEY: a value of rps_vals, "none" when it is not there.
rps_get() {
	local v
	v=$(awk -v k="$2" 'substr($0, 1, length(k) + 1) == k " " { print substr($0, length(k) + 2); exit }' \
		"$1.rps" 2> /dev/null)
	echo "${v:-none}"
}

# backlog_val REPORT WORD: the number before WORD on the report's "backlog:" line or the
# softnet_stat line under it.
backlog_val() {
	sed -n 's/^backlog: //p; s/^  softnet_stat: //p' "$1" | head -n 2 | tr -d ',()' | tr '\n' ' ' |
		awk -v w="$2" '{ for (i = 2; i <= NF; i++) if ($i == w) { print $(i - 1); exit } }'
}

# softnet_col BEFORE AFTER CPU COL: the change of /proc/net/softnet_stat column COL
# (0: processed, 9: received_rps) of CPU (the row whose 13th column is CPU).
softnet_col() {
	local f c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 c12 rest v b=0 a=0
	for f in "$1" "$2"; do
		while read -r c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 c12 rest; do
			[ $((0x$c12)) = "$3" ] || continue
			eval "v=\$((0x\$c$4))"
			if [ "$f" = "$1" ]; then b=$v; else a=$v; fi
		done < "$f"
	done
	echo $((a - b))
}

# The stages that start at the ISR count a packet whose NAPI cycle has no ISR stamp as
# unmatched (as in tracer-rx): nearly never with the ISR keyed by napi; before 5.11 the
# driver's ISR is a kprobe keyed by CPU, and up to 5% are.
kv=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
maxum=2
[ "$kv" -lt 511 ] && maxum=$((COUNT / 20))

# all_stages NAME: every per-packet stage counted each datagram once, and the funnel has
# them all.
all_stages() {
	local name=$1 J=$RESULTS/$1.json R=$RESULTS/report-$1.txt s n um sum
	for s in gro l2_to_ip ip_to_udp socket; do
		n=$(stage_count "$J" "$s")
		rxs_check "$name: stage $s counted $COUNT datagrams (got $n)" [ "$n" = "$COUNT" ]
	done
	um=$(unmatched "$J")
	for s in irq_to_rx total; do
		n=$(stage_count "$J" "$s")
		sum=none
		is_int "$n" && is_int "$um" && sum=$((n + um))
		rxs_check "$name: stage $s counted $n + $um unmatched = $COUNT datagrams" \
			[ "$sum" = "$COUNT" ]
	done
	rxs_check "$name: unmatched ISR stamps: $um <= $maxum" num_le "$um" "$maxum"
	set -- $(funnel "$J")
	rxs_check "$name: the funnel has every datagram at every step ($*)" \
		[ "$*" = "$COUNT $COUNT $COUNT $COUNT $COUNT" ]
	rxs_check "$name: the report has no WARNING" sh -c "! grep -q WARNING '$R'"
}

# rps_checks NAME: with RPS to CPU 1, every datagram went through CPU 1's backlog, and the
# counts agree with the kernel's.
rps_checks() {
	local name=$1 J=$RESULTS/$1.json R=$RESULTS/report-$1.txt n ipis rcv
	rps_vals "$J"
	n=$(stage_count "$J" backlog)
	rxs_check "$name: the backlog stage counted $COUNT datagrams (got $n)" [ "$n" = "$COUNT" ]
	n=$(rps_get "$J" enqueues)
	rxs_check "$name: $COUNT backlog enqueues (got $n)" [ "$n" = "$COUNT" ]
	rxs_check "$name: the report says so ($(backlog_val "$R" enqueued) enqueued)" \
		[ "$(backlog_val "$R" enqueued)" = "$n" ]
	# backlog_len reads softnet_data through BTF, which Debian's 5.10 lacks
	if grep -q "^backlog_len .*unavailable (the kernel's BTF has no per-CPU variable softnet_data)" \
		"$RESULTS/probe.txt"; then
		rxs_check "$name: backlog_len is reported unavailable, as probe said" \
			stage_unavailable "$J" backlog_len
	else
		rxs_check "$name: backlog_len has one entry per enqueue ($(stage_count "$J" backlog_len))" \
			[ "$(stage_count "$J" backlog_len)" = "$COUNT" ]
	fi
	rxs_check "$name: CPU 0 handed every datagram on (netif_receive $(rps_get "$J" "netif 0"))" \
		[ "$(rps_get "$J" "netif 0")" = 0 ]
	rxs_check "$name: CPU 1 received every datagram (netif_receive $(rps_get "$J" "netif 1"))" \
		[ "$(rps_get "$J" "netif 1")" = "$COUNT" ]
	ipis=$(rps_get "$J" ipis)
	rcv=$(softnet_col "$RESULTS/softnet-before-$name.txt" "$RESULTS/softnet-after-$name.txt" 1 9)
	rxs_check "$name: RPS IPIs sent ($ipis) = received_rps of CPU 1 in softnet_stat ($rcv)" \
		sh -c "[ '$ipis' = '$rcv' ] && [ $rcv -ge 1 ] && [ $rcv -le $COUNT ]"
	rxs_check "$name: the recording's received_rps is softnet_stat's ($(rps_get "$J" received_rps))" \
		[ "$(rps_get "$J" received_rps)" = "$rcv" ]
	rxs_check "$name: the report's IPIs and received_rps are the recording's" \
		[ "$(backlog_val "$R" IPIs) $(backlog_val "$R" received_rps)" = "$ipis $rcv" ]
	rxs_check "$name: no backlog drop, no flow limit" \
		[ "$(rps_get "$J" dropped) $(rps_get "$J" flow_limit)" = "0 0" ]
	rxs_check "$name: total p50 >= backlog p50" \
		num_ge "$(stage_q "$J" total p50)" "$(stage_q "$J" backlog p50)"
}

round 1 norps 0
J=$RESULTS/norps.json
all_stages norps
rps_vals "$J"
rxs_check "norps: the backlog stage is available and counted nothing ($(stage_count "$J" backlog))" \
	sh -c "[ '$(rec_get "$J" "stage backlog available")' = true ] && [ '$(stage_count "$J" backlog)' = 0 ]"
rxs_check "norps: no backlog enqueue, no IPI ($(rps_get "$J" enqueues), $(rps_get "$J" ipis))" \
	[ "$(rps_get "$J" enqueues) $(rps_get "$J" ipis)" = "0 0" ]
rxs_check "norps: the backlog hooks never ran (--stats: 0 events)" \
	awk '$1 ~ /^(fentry|kprobe)_(backlog|rps_ipi)$/ { n++; if ($2 != 0) bad = 1 }
	     END { exit bad || n != 2 }' "$RESULTS/record-norps.log"

round 2 rps 2
all_stages rps
rps_checks rps

round 3 reader 2 2
all_stages reader
rps_checks reader
rxs_done
