# Interrupt fallback. The driver is loaded three times and must probe and receive COUNT
# datagrams with zero loss each time: with only 2 MSI-X vectors for 2 wanted queues
# (inject_msix_vectors=2: one queue plus the link vector), with MSI (intr_mode=1: one
# interrupt for the queue and the link), and with legacy INTx (intr_mode=2). Each time
# /proc/interrupts must show the kind of interrupt the driver says it uses, and it must
# have fired.
COUNT=${COUNT:-1000}

irq_lines() { grep -E " $ifc(-rx-[0-9]+)?\$" /proc/interrupts; }
irq_count() { irq_lines | awk '{ for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i } END { print s + 0 }'; }
round() { # round NAME: COUNT datagrams, all of which must arrive
	local sink got
	rm -f /tmp/sink.ready
	rxsink --ready-file /tmp/sink.ready --port 9000 --count "$COUNT" --idle 3 \
		--timeout 60 --out "$RESULTS/sink-$1.txt" > /tmp/sink.log 2>&1 &
	sink=$!
	rxs_check "$1: rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
	: > "$RESULTS/$1"
	rxs_check "$1: the host sent" rxs_wait_file "$RESULTS/$1-sent" 120
	wait "$sink"
	got=$(rxs_val received "$RESULTS/sink-$1.txt")
	rxs_check "$1: all $COUNT datagrams arrived (${got:-none})" [ "${got:-0}" = "$COUNT" ]
}
mode() { # mode NAME MODULE_ARGS LOG_RE PROC_RE: load, check, receive, unload
	local name=$1 re=$3 proc=$4 before
	RXS_MODULE_ARGS=$2
	ifc=$(rxs_up rxscope_igb)
	rxs_check "$name: probes and comes up with $2" [ -n "$ifc" ]
	[ -n "$ifc" ] || return
	rxs_check "$name: the driver logs '$re'" sh -c "dmesg | tail -n +$mark | grep -qE '$re'"
	irq_lines | sed "s/^/  $name: /"
	nlines=$(irq_lines | wc -l)
	rxs_check "$name: /proc/interrupts shows $proc" sh -c "grep -E ' $ifc(-rx-[0-9]+)?\$' /proc/interrupts | grep -qE '$proc'"
	before=$(irq_count)
	round "$name"
	rxs_check "$name: its interrupt fired ($before -> $(irq_count))" [ "$(irq_count)" -gt "$before" ]
	ethtool -S "$ifc" > "$RESULTS/ethtool-S-$name.txt"
	rmmod rxscope_igb
	mark=$(($(dmesg | wc -l) + 1))
}

mark=1
mode msix2 "num_queues=2 inject_msix_vectors=2" "1 RX queue\(s\), 2 MSI-X vector" "PCI-MSIX-"
rxs_check "msix2: one queue vector and the link vector ($nlines lines)" [ "$nlines" = 2 ]
mode msi "intr_mode=1" "1 RX queue\(s\), 1 MSI vector" "PCI-MSI-"
mode intx "intr_mode=2" "1 RX queue\(s\), 1 INTx vector" "IO-APIC|XT-PIC"
rxs_done
