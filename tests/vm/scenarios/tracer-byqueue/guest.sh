# --by queue and --by cpu on a NIC with two RX queues (rxscope_igb, one queue per CPU):
# the host sends COUNT datagrams over 8 flows, which RSS spreads over both queues, once
# per mode. --by queue: each queue's followed packets match the driver's own per-queue
# counter (ethtool -S rx_queue_N_packets), and the queues' counts of every per-packet
# stage add up to the whole-path count. --by cpu: each CPU's packets match the per-CPU
# netif_receive count, and the CPUs' stage counts add up too. The --by cpu round also
# records with --detail nf, so that the split covers route and udp_lookup as well.
# DRIVER=igb runs it on the in-tree igb (run-vm.sh --no-module), whose RSS key is random:
# there the 8 flows may all land on one queue, so that check is left out.
# The recordings are read with jq (tracer-lib.sh); a value missing from them fails its check.
DRIVER=${DRIVER:-rxscope_igb}
COUNT=${COUNT:-2000}
. /scenario/tracer-lib.sh

ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
nq=$(ls -d /sys/class/net/$ifc/queues/rx-* | wc -l)
rxs_check "$ifc has 2 RX queues ($nq)" [ "$nq" = 2 ]
ncpu=$(grep -c '^processor' /proc/cpuinfo)
PP_STAGES="irq_to_rx gro l2_to_ip ip_to_udp socket total"

# split_vals REC: REC's split as lines "by B", "pkts GROUP N", "stage GROUP NAME N" and the
# per-CPU funnel "netif CPU N", in REC.split (one jq run per recording).
split_vals() {
	[ -f "$1.split" ] && [ ! "$1" -nt "$1.split" ] && return 0
	jq -r '"by \(.split.by // "none")",
		(.split.groups[]? | .group as $g | "pkts \($g) \(.packets)",
		 (.stages | to_entries[] | "stage \($g) \(.key) \(.value.count)")),
		(.cpus[] | "netif \(.cpu) \(.bpf.funnel.netif_receive)")' "$1" > "$1.split"
}
# split_get REC KEY...: the value after KEY in REC.split; 0 when the split has no such
# group or stage (a group without packets is left out of the file); "none" when jq failed.
split_get() {
	local rec=$1
	shift
	split_vals "$rec" || { echo none; return 1; }
	awk -v k="$*" 'substr($0, 1, length(k) + 1) == k " " { v = substr($0, length(k) + 2) }
		END { print (v == "" ? 0 : v) }' "$rec.split"
}
# split_stage_sum REC STAGE: the stage's count summed over the groups.
split_stage_sum() {
	split_vals "$1" || { echo none; return 1; }
	awk -v s="$2" '$1 == "stage" && $3 == s { n += $4 } END { print n + 0 }' "$1.split"
}

# record_round BY: COUNT datagrams into rxsink while rxscope records --by BY to
# $RESULTS/rec-BY.json; the per-queue ethtool deltas go to et_BY_Q.
record_round() {
	local by=$1 rec sink q
	rm -f /tmp/rxs.ready /tmp/sink.ready
	rxsink --port 9000 --count "$COUNT" --idle 10 --timeout 240 \
		--ready-file /tmp/sink.ready --out "$RESULTS/sink-$by.txt" > /tmp/sink.log 2>&1 &
	sink=$!
	rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
	for q in $(seq 0 $((nq - 1))); do
		eval "et0_$q=\$(rxs_et_sum $ifc rx_queue_${q}_packets)"
	done
	# shellcheck disable=SC2046
	rxscope record -o "$RESULTS/rec-$by.json" --driver "$DRIVER" --dev "$ifc" --port 9000 \
		--by "$by" $([ "$by" = cpu ] && echo "--detail nf") --ready-file /tmp/rxs.ready \
		> "$RESULTS/record-$by.log" 2>&1 &
	rec=$!
	rxs_check "rxscope record --by $by attached (ready file)" rxs_wait_file /tmp/rxs.ready 120
	if [ "$by" = queue ]; then rxs_ready; else : > "$RESULTS/go-cpu"; fi
	wait "$sink"
	kill -INT "$rec"
	wait "$rec"
	rxs_check "rxscope record --by $by exited 0 on SIGINT" [ $? = 0 ]
	# the verifier took every program that --by changes: no hook fell back
	rxs_check "rxscope record --by $by: the kernel refused no BPF program" \
		sh -c "! grep -q 'refused some BPF programs' '$RESULTS/record-$by.log'"
	for q in $(seq 0 $((nq - 1))); do
		eval "et_${by}_$q=\$((\$(rxs_et_sum $ifc rx_queue_${q}_packets) - et0_$q))"
	done
	rxscope report "$RESULTS/rec-$by.json" > "$RESULTS/report-$by.txt" 2>&1
	rxs_check "rxscope report reads the --by $by recording" [ $? = 0 ]
	cat "$RESULTS/report-$by.txt"
	got=$(rxs_val received "$RESULTS/sink-$by.txt")
	rxs_check "the socket received at least 90% of $COUNT datagrams (got ${got:-none})" \
		num_ge "${got:-none}" $((COUNT * 90 / 100))
}

# The whole path is as without --by, and each per-packet stage's groups add up to it.
check_sums() {
	local R=$1 by=$2 s n w
	rxs_check "--by $by: the recording's split is by $by" [ "$(split_get "$R" by)" = "$by" ]
	set -- $(funnel "$R")
	followed=$2
	rxs_check "--by $by: netif_receive_skb followed every datagram received ($followed = $got)" \
		[ "$followed" = "$got" ]
	for s in $PP_STAGES; do
		w=$(stage_count "$R" "$s")
		n=$(split_stage_sum "$R" "$s")
		rxs_check "--by $by: stage $s: the groups' counts add up to the whole path's ($n = $w)" \
			[ "$n" = "$w" ]
		rxs_check "--by $by: stage $s counted packets ($w)" num_ge "$w" 1
	done
	rxs_check "--by $by: no packet in the group other" [ "$(split_get "$R" pkts other)" = 0 ]
}

# --- by RX queue ---------------------------------------------------------------------
record_round queue
R=$RESULTS/rec-queue.json
check_sums "$R" queue
sum=0
for q in $(seq 0 $((nq - 1))); do
	p=$(split_get "$R" pkts "$q")
	eval "e=\$et_queue_$q"
	# the driver counts every frame of the queue; only ours arrive while recording
	rxs_check "queue $q: $p packets followed, the driver's rx_queue_${q}_packets counted $e" \
		[ "$p" = "$e" ]
	[ "$DRIVER" = rxscope_igb ] &&
		rxs_check "queue $q received some of the 8 flows ($p packets)" num_ge "$p" 1
	g=$(split_get "$R" stage "$q" gro)
	rxs_check "queue $q: stage gro counted each of its packets once ($g = $p)" [ "$g" = "$p" ]
	is_int "$p" && sum=$((sum + p))
done
rxs_check "the queues' packets add up to the followed total ($sum = $followed)" \
	[ "$sum" = "$followed" ]
[ "$DRIVER" = rxscope_igb ] &&
	rxs_check "the report shows each queue's share" \
		grep -q "^spread: 2 queues" "$RESULTS/report-queue.txt"

# --- by CPU, with --detail nf ---------------------------------------------------------
PP_STAGES="$PP_STAGES route udp_lookup"
record_round cpu
R=$RESULTS/rec-cpu.json
check_sums "$R" cpu
sum=0
for c in $(seq 0 $((ncpu - 1))); do
	p=$(split_get "$R" pkts "$c")
	n=$(split_get "$R" netif "$c")
	rxs_check "cpu $c: $p packets followed, as many as its netif_receive count ($n)" \
		[ "$p" = "$n" ]
	is_int "$p" && sum=$((sum + p))
done
rxs_check "the CPUs' packets add up to the followed total ($sum = $followed)" \
	[ "$sum" = "$followed" ]
rxs_check "host part finished" rxs_wait_host 300
rxs_done
