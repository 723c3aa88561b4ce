# The sampling error, measured: two recorders on the same traffic at once, one following
# every packet (every.json) and one with --sample SAMPLE (default 10; sampled.json), each
# with its own programs and tables. What the sampled one gives for each per-packet stage
# is compared with the every-packet one by scripts/sample-error.sh; its per-IRQ stages
# count the same events. DRIVER=igb or rxscope_igb (default).
DRIVER=${DRIVER:-rxscope_igb}
SAMPLE=${SAMPLE:-10}
ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
rxsink --port 9000 --idle 5 --timeout 600 --ready-file /tmp/sink.ready \
	--out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
rxscope record -o "$RESULTS/every.json" --dev "$ifc" --port 9000 \
	--ready-file /tmp/every.ready > "$RESULTS/every.log" 2>&1 &
every=$!
rxs_check "the every-packet recorder attached" rxs_wait_file /tmp/every.ready 120
rxscope record -o "$RESULTS/sampled.json" --dev "$ifc" --port 9000 --sample "$SAMPLE" \
	--ready-file /tmp/sampled.ready > "$RESULTS/sampled.log" 2>&1 &
sampled=$!
rxs_check "the sampled recorder attached" rxs_wait_file /tmp/sampled.ready 120
rxs_ready
rxs_check "host part finished" rxs_wait_host 900
wait "$sink"
kill -INT "$sampled" "$every"
wait "$sampled"
rxs_check "the sampled recorder exited 0" [ $? = 0 ]
wait "$every"
rxs_check "the every-packet recorder exited 0" [ $? = 0 ]
for f in every sampled; do
	rxscope report "$RESULTS/$f.json" > "$RESULTS/$f.txt" 2>&1
	rxs_check "rxscope report reads $f.json" [ $? = 0 ]
done
cat "$RESULTS/sampled.log" "$RESULTS/every.txt" "$RESULTS/sampled.txt"
# The per-IRQ stages are exact in both: the same events, but for the ones between the two
# recorders' starts and ends (1%).
count() { jq -r --arg s "$2" '.stages[] | select(.name == $s) | .hist.count' "$RESULTS/$1.json"; }
for st in hardirq irq_to_softirq poll; do
	a=$(count every "$st") b=$(count sampled "$st")
	rxs_check "$st: the sampled recording counted the every-packet one's events ($b of $a)" \
		sh -c "[ \"$a\" -gt 0 ] && [ \"$b\" -le \$(($a + 5)) ] && [ \"$b\" -ge \$(($a - $a / 100 - 5)) ]"
done
