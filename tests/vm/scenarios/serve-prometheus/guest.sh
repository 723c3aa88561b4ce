# rxscope serve in the guest on rxscope_igb, scraped by a Prometheus server on the host
# through a second, management NIC (run-vm.sh --mgmt-net: QEMU user networking with a
# forward on the host's 127.0.0.1); the igb NIC carries only the test traffic. The host
# sends COUNT datagrams at RATE per second and checks, through Prometheus's HTTP API, the
# counter's rate against rxgen's, each per-packet stage's histogram_quantile(0.99) against
# rxscope's own p99 of the same histograms (serve -o writes them at SIGTERM, once the host
# has made its queries: $RESULTS/serve.json) and that no scrape failed (host.sh). Here:
# serve attaches, the datagrams arrive, and serve stops cleanly on SIGTERM.
DRIVER=${DRIVER:-rxscope_igb}
COUNT=${COUNT:-3600}

ifc=$(rxs_up "$DRIVER") || { echo "FAIL: $DRIVER did not come up"; exit 1; }
mgmt=$(rxs_mgmt_up) || { echo "FAIL: the management NIC did not come up"; exit 1; }
rxs_log "$DRIVER is up on $ifc; management NIC $mgmt at $MGMT_IP"

rxsink --port 9000 --count "$COUNT" --idle 15 --timeout 300 \
	--ready-file /tmp/sink.ready --out "$RESULTS/sink.txt" > /tmp/sink.log 2>&1 &
sink=$!
rxscope serve --listen "$MGMT_IP:9941" --driver "$DRIVER" --dev "$ifc" --port 9000 --stats \
	--ready-file /tmp/serve.ready -o "$RESULTS/serve.json.part" > "$RESULTS/serve.log" 2>&1 &
serve=$!
rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
rxs_check "rxscope serve is listening on the management NIC" rxs_wait_file /tmp/serve.ready 120
cat /tmp/serve.ready
rxs_ready

# the traffic ends when rxsink has every datagram (or 15 s without one)
wait "$sink"
got=$(rxs_val received "$RESULTS/sink.txt")
rxs_check "the socket received at least 99% of $COUNT datagrams (got ${got:-none})" \
	[ "${got:-0}" -ge $((COUNT * 99 / 100)) ]
: > "$RESULTS/received"

# serve keeps answering until the host has made its queries, then writes its totals
rxs_check "the host made its queries" rxs_wait_file "$RESULTS/queried" 300
kill -TERM "$serve"
wait "$serve"
rxs_check "rxscope serve exited 0 on SIGTERM" [ $? = 0 ]
mv "$RESULTS/serve.json.part" "$RESULTS/serve.json"
rxs_check "host part finished" rxs_wait_host 300
cat "$RESULTS/serve.log"
n=$(sed -n 's/.*stopped after \([0-9]*\) scrapes.*/\1/p' "$RESULTS/serve.log")
rxs_check "rxscope serve answered scrapes (${n:-none})" [ "${n:-0}" -ge 6 ]
rxs_done
