# make demo: rxscope records while the host sends UDP traffic into the guest NIC, then
# prints what it saw. Uses rxscope_igb when the module is built, the in-tree igb otherwise.
if [ -z "${DRIVER:-}" ]; then
	DRIVER=igb
	[ -f /lib/modules/rxscope_igb.ko ] && DRIVER=rxscope_igb
fi
ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
echo "$DRIVER" > "$RESULTS/driver"
rxs_log "$DRIVER is up on $ifc"
rxsink --port 9000 --idle 3 --timeout 240 --ready-file /tmp/sink.ready \
	--out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxscope record -o "$RESULTS/demo.json" --dev "$ifc" --port 9000 -i 1 --hist \
	--ready-file /tmp/rec.ready > "$RESULTS/trace.txt" 2>&1 &
rec=$!
rxs_check "rxsink is ready" rxs_wait_file /tmp/sink.ready 20
rxs_check "rxscope attached" rxs_wait_file /tmp/rec.ready 60
rxs_ready
rxs_wait_host 300
wait "$sink"
kill -INT "$rec"
wait "$rec"
rxs_check "rxscope record exited cleanly" [ $? = 0 ]
rxscope report --hist "$RESULTS/demo.json" > "$RESULTS/report.txt" 2>&1
rxs_check "rxscope report read the recording" [ $? = 0 ]
rxs_done
