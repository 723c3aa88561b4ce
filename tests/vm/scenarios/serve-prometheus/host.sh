# The host side of serve-prometheus: a Prometheus server on 127.0.0.1 scrapes the guest's
# rxscope serve through the management NIC's forward ($QEMU_MGMT) every 3 s; rxgen sends
# COUNT datagrams at RATE per second to the igb NIC; then, through Prometheus's HTTP API:
# the rate of the packet counter matches rxgen's within 2%, histogram_quantile(0.99) of
# every per-packet stage lies in the exported buckets around rxscope's own p99 of the same
# histograms (serve -o in the guest writes them at SIGTERM, after the queries), and up
# stayed 1 with no failed scrape.
COUNT=${COUNT:-3600}
RATE=${RATE:-300}
STAGES="irq_to_rx gro l2_to_ip ip_to_udp socket total"
export PATH="$TOP/.cache/bin:$PATH"
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

[ -n "${QEMU_MGMT:-}" ] || { fail "no management NIC (run-vm.sh --mgmt-net)"; exit 1; }
command -v prometheus > /dev/null || { fail "prometheus is missing (make deps)"; exit 1; }
rxs_host_wait_ready 200 || exit 1

tmp=$(mktemp -d /tmp/rxs-vm-prom.XXXXXX)
trap 'kill "$ppid" 2> /dev/null; wait "$ppid" 2> /dev/null; rm -rf "$tmp"' EXIT
while :; do
	pport=$((20000 + RANDOM % 20000))
	[ -z "$(ss -Hltn "sport = :$pport")" ] && break
done
PROM=127.0.0.1:$pport
query() { # query EXPR [TIME]: the first value of an instant query, or "none"
	local args=(--data-urlencode "query=$1")
	[ -n "${2:-}" ] && args+=(--data-urlencode "time=$2")
	curl -s -m 10 "http://$PROM/api/v1/query" "${args[@]}" |
		sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p' | head -n 1 | grep . || echo none
}
# scrape_window FROM TO: "T_LAST WINDOW_MS" for the first and last scrapes in [FROM, TO]
# (Unix seconds): a rate() evaluated at T_LAST over exactly WINDOW_MS starts and ends on a
# sample, so it is the counter's increase between two scrapes over their distance, with no
# extrapolation to the window's edges (which rate() limits toward zero for a per-CPU
# counter still young at the start, and which makes one late scrape count more)
scrape_window() {
	curl -s -m 5 "http://$PROM/api/v1/query" --data-urlencode "time=$2" \
		--data-urlencode 'query=up{job="rxscope"}[5m]' |
		grep -o '\[[0-9.]*,"1"\]' | tr -d '[' | cut -d, -f1 |
		awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b { if (f == "") f = $1; l = $1 }
			END { if (f != "" && l > f) printf "%.3f %d\n", l, (l - f) * 1000 + 0.5 }'
}
cat > "$tmp/prometheus.yml" <<EOC
global:
  scrape_interval: 3s
  scrape_timeout: 3s
scrape_configs:
  - job_name: rxscope
    static_configs:
      - targets: ['$QEMU_MGMT']
EOC
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="$PROM" --log.level=warn > "$OUT/prometheus.log" 2>&1 &
ppid=$!
up=none
for _ in $(seq 300); do
	up=$(query 'up{job="rxscope"}')
	[ "$up" = 1 ] && break
	sleep 0.2
done
[ "$up" = 1 ] && pass "Prometheus scrapes the guest's rxscope serve through $QEMU_MGMT" ||
	{ fail "Prometheus never scraped the guest (up: $up)"; exit 1; }
sleep 3

t_start=$(date +%s.%N)
"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" --dst-port 9000 \
	--count "$COUNT" --rate "$RATE" --flows 4 --summary "$OUT/rxgen.txt"
t_end=$(date +%s.%N)
gen_rate=$(sed -n 's/^rate_pps=//p' "$OUT/rxgen.txt")

# the guest says when the datagrams are in; then two more scrapes
for _ in $(seq 600); do [ -e "$OUT/received" ] && break; sleep 0.1; done
[ -e "$OUT/received" ] || { fail "the guest never had the datagrams"; exit 1; }
sleep 7

got=$(sed -n 's/^received=//p' "$OUT/sink.txt" 2> /dev/null | head -n 1)
total=$(query 'sum(rxscope_funnel_packets_total{hook="netif_receive"})')
[ "$total" = "${got:-x}" ] && pass "the packet counter in Prometheus equals what the socket received ($total)" ||
	fail "the packet counter in Prometheus is $total, the socket received ${got:-none}"

# rate() over the middle of the send (between the first scrape 2 s after its start and the
# last one 1 s before its end), against the rate rxgen measured for itself
set -- $(scrape_window "$(awk -v s="$t_start" 'BEGIN { printf "%.3f", s + 2 }')" \
	"$(awk -v e="$t_end" 'BEGIN { printf "%.3f", e - 1 }')")
t_q=${1:-0} win_ms=${2:-0}
prate=$(query "sum(rate(rxscope_funnel_packets_total{hook=\"netif_receive\"}[${win_ms}ms]))" "$t_q")
# rxgen paces to a schedule and catches up after a stall: when it fell behind overall,
# its packets within the window are not its average rate, and nothing measures them
if awk -v g="$gen_rate" -v r="$RATE" 'BEGIN { exit !(g > 0 && (r - g) / r > 0.01) }'; then
	echo "SKIP: rxgen fell behind its pace ($gen_rate/s for $RATE/s, a loaded host): the rate in the window has no reference"
elif awk -v p="$prate" -v g="$gen_rate" -v w="$win_ms" 'BEGIN { exit !(p != "none" && g > 0 &&
		w >= 5000 && (p - g) / g <= 0.02 && (g - p) / g <= 0.02) }'; then
	pass "rate() of the packet counter over ${win_ms}ms ($prate/s) is within 2% of rxgen's ($gen_rate/s)"
else
	fail "rate() of the packet counter over ${win_ms}ms: $prate/s, rxgen sent $gen_rate/s (> 2% apart, or a window under 5 s)"
fi

# p99 per per-packet stage, from Prometheus now; compared below with the guest's own
declare -A pq
for s in $STAGES; do
	pq[$s]=$(query "histogram_quantile(0.99, sum by (le) (rxscope_stage_latency_seconds_bucket{stage=\"$s\"}))")
done
rq=$(query 'histogram_quantile(0.99, sum by (le) (rate(rxscope_stage_latency_seconds_bucket{stage="total"}[10s])))' \
	"$(awk -v e="$t_end" 'BEGIN { printf "%.3f", e }')")
awk -v p="$rq" 'BEGIN { exit !(p != "none" && p != "NaN" && p > 0) }' &&
	pass "p99 over rate() of the total stage during the send: $rq s" ||
	fail "p99 over rate() of the total stage: $rq"

# no failed scrape
n=$(query 'count_over_time(up{job="rxscope"}[1h])')
m=$(query 'min_over_time(up{job="rxscope"}[1h])')
[ "$m" = 1 ] && pass "up stayed 1 at every one of $n scrapes" || fail "up dropped to $m ($n scrapes)"
d=$(query 'max_over_time(scrape_duration_seconds{job="rxscope"}[1h])')
echo "    longest scrape through the management NIC: $d s"
c=$(query 'max_over_time(rxscope_scrape_collect_seconds[1h])')
echo "    longest map read in the guest: $c s"
cost=$(query 'sum(rate(rxscope_bpf_run_seconds_total[1h])) / sum(rate(rxscope_bpf_runs_total[1h]))')
echo "    BPF cost per program run (--stats): $cost s"

# queries done: the guest stops serve, which writes the totals that Prometheus last saw
: > "$OUT/queried"
for _ in $(seq 600); do [ -e "$OUT/serve.json" ] && break; sleep 0.1; done
[ -e "$OUT/serve.json" ] || { fail "rxscope serve -o wrote no recording in the guest"; exit 1; }
# rxscope's p99 (log-linear buckets) is within 1/8 of the truth; Prometheus's lies in the
# exported bucket that holds the truth: it must lie within the exported bounds around
# [own / 1.125, own * 1.125]
"$TOP/build/rxscope" report "$OUT/serve.json" > "$OUT/report.txt" 2>&1 ||
	fail "rxscope report of the guest's recording: $(head -n 3 "$OUT/report.txt")"
cat "$OUT/report.txt"
for s in $STAGES; do
	# the stage's p99 in seconds, from the recording's summary; none when it has none
	own=$(jq -r --arg s "$s" '[.stages[] | select(.name == $s) | .summary.p99 | numbers] |
		if length == 1 then .[0] / 1e9 else "none" end' "$OUT/serve.json" 2> /dev/null)
	own=${own:-none}
	span=$(awk -v o="$own" 'BEGIN { lo = 0; hi = 0
		for (e = 6; e <= 35; e++) { b = (2 ^ e - 1) * 1e-9
			if (b <= o / 1.125) lo = b; if (!hi && b >= o * 1.125) hi = b }
		printf "%.9g %.9g", lo, hi }')
	if [ "$own" = none ]; then
		fail "stage $s: the recording has no p99 of it"
	elif awk -v p="${pq[$s]}" -v s="$span" 'BEGIN { split(s, b, " ")
			exit !(p != "none" && b[2] > 0 && p >= b[1] && p <= b[2]) }'; then
		pass "stage $s: histogram_quantile(0.99) ${pq[$s]} s agrees with rxscope's p99 $own s (bounds [$span] s)"
	else
		fail "stage $s: histogram_quantile(0.99) ${pq[$s]} s, rxscope's own p99 $own s (bounds [$span] s)"
	fi
done
[ "$fails" -eq 0 ]
