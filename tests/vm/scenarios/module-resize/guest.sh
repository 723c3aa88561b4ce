# A failed ring resize: with one ring allocation made to fail (inject_fail_ring_alloc),
# `ethtool -G rx 512 tx 512` must fail and change nothing: the old 256-descriptor rings keep
# receiving, COUNT datagrams with zero loss. Then the same resize succeeds and COUNT more
# datagrams arrive on the new rings with zero loss.
COUNT=${COUNT:-1000}
P=/sys/module/rxscope_igb/parameters

rx_ring() { ethtool -g "$ifc" | awk '/^Current/ { c = 1 } c && /^RX:/ { print $2; exit }'; }
round() { # round NAME: COUNT datagrams, all of which must arrive
	local sink
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

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxs_check "rings start at 256" [ "$(rx_ring)" = 256 ]
echo 1 > $P/inject_fail_ring_alloc
rxs_check "ethtool -G rx 512 tx 512 fails when a ring allocation fails" \
	sh -c "! ethtool -G $ifc rx 512 tx 512"
rxs_check "the injected failure happened" [ "$(cat $P/inject_fail_ring_alloc)" = 0 ]
rxs_check "the rings kept their size ($(rx_ring))" [ "$(rx_ring)" = 256 ]
rxs_check "the link stayed up" rxs_wait_carrier "$ifc" 5
round round1
rxs_check "the same resize succeeds now" ethtool -G "$ifc" rx 512 tx 512
rxs_check "the rings have 512 descriptors ($(rx_ring))" [ "$(rx_ring)" = 512 ]
rxs_check "the link comes back" rxs_wait_carrier "$ifc" 10
round round2
rxs_done
