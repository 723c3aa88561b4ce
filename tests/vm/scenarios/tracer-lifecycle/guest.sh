# The tracer's lifecycle under load. While the host sends RATE pps (host.sh) through
# rxscope_igb into rxsink: TRACE_CYCLES (100) runs of `rxscope trace -d 0.2`, KILL_CYCLES (20)
# runs of `rxscope record` killed with SIGKILL once attached, SPLIT_CYCLES (20) runs of
# `rxscope record --split` given a burst of SIGUSR1. Then, with the traffic stopped, rmmod of
# rxscope_igb while `rxscope trace --driver rxscope_igb` runs, and insmod again.
# Checks: every run ends as documented; no recording file is left by a killed run; the
# pieces of a split run are numbered without gaps and each reads back; afterwards the counts
# of BPF programs, links and maps (bpftool) are what they were before, the kernel's own
# accounted allocations grew by at most 1 MB, MemAvailable is back within 2% (caches
# dropped, same state), and rxsink got every datagram rxgen sent, with no
# loss. The runner fails the run on any kernel splat.
TRACE_CYCLES=${TRACE_CYCLES:-100}
KILL_CYCLES=${KILL_CYCLES:-20}
SPLIT_CYCLES=${SPLIT_CYCLES:-20}
SPLIT_BURST=${SPLIT_BURST:-5}
MEM_TOL_PCT=${MEM_TOL_PCT:-2}
KMEM_TOL_KB=${KMEM_TOL_KB:-1024}

bpf_counts() {
	echo "prog=$(bpftool prog show 2>/dev/null | grep -cE '^[0-9]+:')" \
	     "link=$(bpftool link show 2>/dev/null | grep -cE '^[0-9]+:')" \
	     "map=$(bpftool map show 2>/dev/null | grep -cE '^[0-9]+:')"
}
# the highest of three readings: a reading can catch memory that is only passing through
# (a few MB either way between readings of an idle guest)
mem_available() {
	local i best=0 v

	for i in 1 2 3; do
		sync
		echo 3 > /proc/sys/vm/drop_caches
		sleep 1
		echo 3 > /proc/sys/vm/drop_caches
		# compaction drains the per-CPU free page lists, which MemFree does not count
		[ -w /proc/sys/vm/compact_memory ] && echo 1 > /proc/sys/vm/compact_memory
		v=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)
		[ "${v:-0}" -gt "$best" ] && best=$v
	done
	echo "$best"
}
# wait_gone PID SECONDS: waits for PID to exit; returns 1 if it is still there
wait_gone() {
	local n=$(($2 * 10))
	while kill -0 "$1" 2> /dev/null; do
		n=$((n - 1))
		[ "$n" -le 0 ] && return 1
		usleep 100000
	done
}

# Warm-up, so that what the first use allocates for good (kprobe instruction slots, BPF
# program packs, the module's BTF) is in the reference: one module reload, one trace run
# with fentry and one with kprobes.
ifc=$(rxs_up rxscope_igb) && rmmod rxscope_igb && ifc=$(rxs_up rxscope_igb) ||
	{ echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxscope trace --driver rxscope_igb --dev "$ifc" -d 0.2 > /dev/null 2>&1
RXSCOPE_DISABLE=fentry rxscope trace --driver rxscope_igb --dev "$ifc" -d 0.2 > /dev/null 2>&1
# MemAvailable is read with the driver unloaded, here and at the end: its receive rings
# hold 16 MB of pages in a state that traffic changes (pages lent to the stack, refilled
# halves), which has nothing to do with what the tracer leaves behind.
rmmod rxscope_igb || { echo "FAIL: rmmod rxscope_igb before the reference"; exit 1; }
mem0=$(mem_available)
cp /proc/meminfo "$RESULTS/meminfo-before.txt"
ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
# A TCG guest stalls while kernel text is patched (each attach and detach); a 4096-entry
# ring rides out such a stall at the traffic's rate instead of overflowing.
ethtool -G "$ifc" rx 4096 || { echo "FAIL: ethtool -G $ifc rx 4096"; exit 1; }
rxs_wait_carrier "$ifc" 10
rxs_log "rxscope_igb is up on $ifc"
rm -f /tmp/sink.ready
# no --timeout: it ends 5 s after the traffic (the run's own time-out bounds it); a 32 MiB
# buffer rides out the moments the tracer's attach keeps rxsink off the (emulated) CPUs
rxsink --port 9000 --idle 5 --rcvbuf 33554432 --ready-file /tmp/sink.ready \
	--out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
counts0=$(bpf_counts)
rxo0=$(rxs_et_sum "$ifc" 'rx_overrun_irqs')
rxs_log "before: $counts0, MemAvailable $mem0 kB"
rxs_ready

# 1) trace cycles
fails=0 t0=$(cut -d. -f1 /proc/uptime)
i=0
while [ $i -lt "$TRACE_CYCLES" ]; do
	rxscope trace --driver rxscope_igb --dev "$ifc" -d 0.2 > /tmp/trace.log 2>&1 ||
		{ fails=$((fails + 1)); tail -n 3 /tmp/trace.log; }
	i=$((i + 1))
	[ $((i % 10)) = 0 ] && rxs_log "trace cycle $i of $TRACE_CYCLES, $fails failed"
done
rxs_check "$TRACE_CYCLES runs of rxscope trace -d 0.2 exit 0 ($fails failed, $(($(cut -d. -f1 /proc/uptime) - t0)) s)" \
	[ "$fails" = 0 ]

# 2) record killed with SIGKILL once attached
fails=0 left=0
i=0
while [ $i -lt "$KILL_CYCLES" ]; do
	rm -f /tmp/k.ready
	rxscope record -o /tmp/killed.json --driver rxscope_igb --dev "$ifc" \
		--ready-file /tmp/k.ready > /dev/null 2>&1 &
	rec=$!
	if rxs_wait_file /tmp/k.ready 60; then
		usleep 200000
		kill -KILL "$rec"
	else
		fails=$((fails + 1))
		kill -KILL "$rec" 2> /dev/null
	fi
	wait "$rec" 2> /dev/null
	ls /tmp/killed.json* > /dev/null 2>&1 && left=$((left + 1))
	i=$((i + 1))
done
rxs_check "$KILL_CYCLES runs of rxscope record attached, then SIGKILLed ($fails never attached)" \
	[ "$fails" = 0 ]
rxs_check "no file left by a killed record ($left runs left one)" [ "$left" = 0 ]

# 3) record --split with a burst of SIGUSR1
fails=0
i=0
while [ $i -lt "$SPLIT_CYCLES" ]; do
	rm -rf /tmp/split && mkdir /tmp/split && rm -f /tmp/s.ready
	rxscope record --split -o /tmp/split/run.json --driver rxscope_igb --dev "$ifc" \
		--ready-file /tmp/s.ready > /tmp/split.log 2>&1 &
	rec=$!
	ok=1
	rxs_wait_file /tmp/s.ready 60 || ok=0
	b=0
	while [ $b -lt "$SPLIT_BURST" ]; do
		kill -USR1 "$rec"
		b=$((b + 1))
	done
	usleep 500000
	kill -INT "$rec"
	wait "$rec" || { ok=0; echo "split run $i: exit $?"; }
	n=$(ls /tmp/split | grep -cE '^run-[0-9]+\.json$')
	# signals that arrive while one is pending merge: 2..BURST+1 pieces, numbered 1..n
	[ "$n" -ge 2 ] && [ "$n" -le $((SPLIT_BURST + 1)) ] ||
		{ ok=0; echo "split run $i: $n pieces"; }
	[ "$(ls /tmp/split | wc -l)" = "$n" ] || { ok=0; echo "split run $i: stray files:"; ls /tmp/split; }
	p=1
	while [ $p -le "$n" ]; do
		rxscope report "/tmp/split/run-$p.json" > /dev/null 2>&1 ||
			{ ok=0; echo "split run $i: piece $p missing or unreadable"; }
		p=$((p + 1))
	done
	[ $ok = 1 ] || { fails=$((fails + 1)); tail -n 3 /tmp/split.log; }
	i=$((i + 1))
done
rxs_check "$SPLIT_CYCLES runs of record --split with $SPLIT_BURST SIGUSR1 at once: exit 0, pieces 1..n all readable ($fails failed)" \
	[ "$fails" = 0 ]

# HOLD_S: more seconds of traffic with nothing attached; with all cycle counts 0, a control
# run that tells the emulation's own losses from the tracer's
[ "${HOLD_S:-0}" -gt 0 ] && sleep "$HOLD_S"

# traffic ends; rxsink stops 5 s after the last datagram
: > "$RESULTS/cycles-done"
rxs_check "host part finished" rxs_wait_host 300
wait "$sink"
rxo=$(($(rxs_et_sum "$ifc" 'rx_overrun_irqs') - rxo0))
ethtool -S "$ifc" > "$RESULTS/ethtool-S-after-traffic.txt"
sent=$(rxs_val sent_good "$RESULTS/rxgen.txt")
got=$(rxs_val received "$RESULTS/sink.txt")
lost=$(rxs_val lost "$RESULTS/sink.txt")
bad=$(rxs_val bad_payload "$RESULTS/sink.txt")
sdrops=$(rxs_val sock_drops "$RESULTS/sink.txt")
# QEMU's igb counts no missed frames (MPC, RNBC stay 0); a full ring shows as RXO
# interrupts, one of which may stand for several frames
rxs_log "rxgen sent ${sent:-?}, rxsink received ${got:-?}, lost ${lost:-?}, socket drops ${sdrops:-?}, ring-overrun interrupts $rxo"
rxs_check "traffic flowed during the cycles (${sent:-0} datagrams)" [ "${sent:-0}" -gt 0 ]
rxs_check "no datagram dropped at the receiving socket (${sdrops:-?})" [ "${sdrops:-x}" = 0 ]
all_arrived() { [ "${got:-x}" = "${sent:-y}" ] && [ "${lost:-x}" = 0 ] && [ "${bad:-x}" = 0 ]; }
rxs_check "every datagram arrived: received ${got:-none} of ${sent:-none}, lost ${lost:-?}, bad ${bad:-?}" \
	all_arrived

# 4) rmmod while tracing the driver, with fentry programs (the kernel then holds the
# module: rmmod is refused) and with kprobes (RXSCOPE_DISABLE=fentry: rmmod succeeds and
# the tracer must notice that its device is gone)
rmmod_under_trace() {	# rmmod_under_trace LABEL [ENV=VALUE]
	local label=$1 tr rm_rc trc
	shift
	rm -f /tmp/t.ready
	env "$@" rxscope trace --driver rxscope_igb --dev "$ifc" -i 1 --ready-file /tmp/t.ready \
		> /tmp/rmmod-trace.log 2>&1 &
	tr=$!
	rxs_check "$label: trace --driver rxscope_igb attached" rxs_wait_file /tmp/t.ready 60
	rxs_check "$label: bpftool sees the tracer's programs ($(bpf_counts))" \
		[ "$(bpftool prog show 2>/dev/null | grep -cE '^[0-9]+:')" -gt 0 ]
	rmmod rxscope_igb > /tmp/rmmod.log 2>&1
	rm_rc=$?
	rxs_log "$label: rmmod under trace: exit $rm_rc $(cat /tmp/rmmod.log)"
	if [ "$rm_rc" = 0 ]; then
		# the device is gone under the tracer: it must say so and end non-zero, not hang
		if wait_gone "$tr" 20; then
			wait "$tr"
			trc=$?
			rxs_check "$label: the tracer exits 5 once its device is gone (exit $trc)" \
				[ "$trc" = 5 ]
			rxs_check "$label: the tracer says that $ifc is gone" \
				grep -q "device $ifc .*is gone" /tmp/rmmod-trace.log
		else
			rxs_check "$label: the tracer ends by itself once its device is gone" false
			kill -INT "$tr"
			rxs_check "$label: the tracer still stops on SIGINT" wait_gone "$tr" 20
		fi
	else
		# busybox rmmod asks not to wait: a module in use gives EAGAIN/EBUSY
		rxs_check "$label: rmmod is refused while traced ($(cat /tmp/rmmod.log))" \
			grep -qiE "in use|busy|temporarily unavailable" /tmp/rmmod.log
		kill -INT "$tr"
		rxs_check "$label: the tracer stops on SIGINT" wait_gone "$tr" 20
		wait "$tr"
		trc=$?
		rxs_check "$label: the tracer exits 0 after the refused rmmod (exit $trc)" [ "$trc" = 0 ]
		rxs_check "$label: rmmod works once the tracer is gone" rmmod rxscope_igb
	fi
	tail -n 3 /tmp/rmmod-trace.log
	ifc=$(rxs_up rxscope_igb)
	rxs_check "$label: insmod again: rxscope_igb is up ($ifc)" [ -n "$ifc" ]
}
rmmod_under_trace "fentry"
rmmod_under_trace "kprobe" RXSCOPE_DISABLE=fentry
rxs_check "the tracer attaches to the reloaded driver" \
	rxscope trace --driver rxscope_igb --dev "$ifc" -d 0.2

# 5) nothing left behind, measured in the state of the reference (the driver unloaded)
counts1=$(bpf_counts)
rmmod rxscope_igb || { echo "FAIL: rmmod rxscope_igb before the last reading"; exit 1; }
mem1=$(mem_available)
cp /proc/meminfo "$RESULTS/meminfo-after.txt"
rxs_log "after: $counts1, MemAvailable $mem1 kB"
echo "$counts0 mem_available_kb=$mem0" > "$RESULTS/before.txt"
echo "$counts1 mem_available_kb=$mem1" > "$RESULTS/after.txt"
rxs_check "BPF programs, links and maps back to before ($counts0 -> $counts1)" \
	[ "$counts0" = "$counts1" ]
diff=$((mem0 - mem1))
[ "$diff" -lt 0 ] && diff=$((-diff))
rxs_check "MemAvailable back within $MEM_TOL_PCT% ($mem0 -> $mem1 kB, |diff| $diff kB)" \
	[ $((diff * 100)) -le $((mem0 * MEM_TOL_PCT)) ]
# What the kernel accounts for its own allocations, where anything the tracer left behind
# would be (BPF maps, programs, JIT images, links, trampolines: slab, vmalloc, per-CPU,
# stacks, page tables): back within KMEM_TOL_KB. MemAvailable alone also moves with raw
# pages that none of these hold (13.7 MB once in a full suite run, 3.7 MB in the next).
kmem() {
	awk '$1 ~ /^(Slab|VmallocUsed|Percpu|KernelStack|PageTables):$/ { s += $2 } END { print s }' "$1"
}
k0=$(kmem "$RESULTS/meminfo-before.txt") k1=$(kmem "$RESULTS/meminfo-after.txt")
rxs_check "slab + vmalloc + per-CPU + stacks + page tables grew by at most $KMEM_TOL_KB kB ($k0 -> $k1 kB)" \
	[ $((k1 - k0)) -le "$KMEM_TOL_KB" ]
rxs_done
