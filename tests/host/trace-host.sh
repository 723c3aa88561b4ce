#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trace-host.sh - `rxscope trace -d 2` on the host kernel with real UDP traffic. A veth
# pair joins a private network namespace (sender, rxgen through AF_PACKET) to the root
# namespace (receiver rxsh0, rxsink). The receiving veth runs NAPI with GRO, so the
# tracepoint stages see every datagram: gro and the funnel must count exactly N, the
# softirq and poll stages must be non-empty, and the stages this kernel cannot hook must
# be marked unavailable. Everything is deleted at the end. Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}
N=${N:-500}
NS=rxsth$$
RX=rxsh$$a TX=rxsh$$b
RX_IP=198.18.100.1 TX_IP=198.18.100.2
TMP=$(mktemp -d /tmp/rxs-trace-host.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	ip link del "$RX" 2> /dev/null
	ip netns del "$NS" 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
for b in "$RXSCOPE" "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b is not built"; finish; }
done
command -v ethtool > /dev/null || { fail "prerequisite: ethtool is missing"; finish; }

# The pair: names short enough for IFNAMSIZ, unique per run.
ip netns add "$NS" || { fail "create network namespace $NS"; finish; }
ip link add "$RX" type veth peer name "$TX" netns "$NS" || { fail "create veth pair"; finish; }
ip addr add "$RX_IP/24" dev "$RX"
ip link set "$RX" up
ip -n "$NS" addr add "$TX_IP/24" dev "$TX"
ip -n "$NS" link set "$TX" up
# veth hands frames to the peer's NAPI (and so to GRO) when GRO is on at the receiver and
# the sender does not do TSO; toggling GRO makes the receiver start its NAPI instance.
ip netns exec "$NS" ethtool -K "$TX" tso off gso off > /dev/null 2>&1
ethtool -K "$RX" gro off > /dev/null 2>&1
ethtool -K "$RX" gro on > /dev/null 2>&1
rx_mac=$(cat /sys/class/net/$RX/address)

"$RXSINK" --bind "$RX_IP" --port 9000 --count "$N" --idle 3 --timeout 30 \
	--ready-file "$TMP/sink.ready" --out "$TMP/sink.txt" > "$TMP/sink.log" 2>&1 &
sink=$!
PIDS+=("$sink")
"$RXSCOPE" trace --dev "$RX" --port 9000 -d 2 -i 10 --ready-file "$TMP/trace.ready" \
	> "$TMP/trace.out" 2> "$TMP/trace.err" &
tracer=$!
PIDS+=("$tracer")
for _ in $(seq 100); do
	[ -e "$TMP/trace.ready" ] && [ -e "$TMP/sink.ready" ] && break
	sleep 0.1
done
[ -e "$TMP/trace.ready" ] && pass "rxscope wrote its ready file" ||
	fail "rxscope never wrote its ready file: $(cat "$TMP/trace.err")"

ip netns exec "$NS" "$RXGEN" --iface "$TX" --src-mac "$(ip netns exec "$NS" cat /sys/class/net/$TX/address)" \
	--dst-mac "$rx_mac" --src-ip "$TX_IP" --dst-ip "$RX_IP" --dst-port 9000 \
	--count "$N" --rate 2000 > "$TMP/rxgen.log" 2>&1
expect "rxgen sent its frames" "$?" 0
wait "$tracer"
expect "rxscope trace -d 2 exit status" "$?" 0
wait "$sink"
sed 's/^/    /' "$TMP/trace.out"
got=$(sed -n 's/^received=//p' "$TMP/sink.txt" | head -n 1)
expect "rxsink received every datagram" "${got:-none}" "$N"

T=$TMP/trace.out
# The last table printed (trace prints one at the end).
last=$(awk '/totals since start/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$T")
row() { echo "$last" | awk -v s="$1" '$1 == s { if ($2 ~ /^\[/) $2 = ""; print; exit }'; }
count() { row "$1" | awk '{ print $2 }'; }
# The hook of a stage, from the hook list printed at the start (two columns: STAGE HOOK).
hook() { awk -v s="$1" '$1 == s && NF == 2 { print $2; exit }' "$T"; }

expect "stage gro counts every datagram" "$(count gro)" "$N"
case "$(hook gro)" in
*napi_gro_receive*netif_receive_skb*) pass "stage gro hook: $(hook gro)" ;;
*) fail "stage gro hook: $(hook gro)" ;;
esac
for s in irq_to_softirq irq_to_softirq_inline poll_pkts; do
	c=$(count "$s")
	if [ "${c:-0}" != - ] && [ "${c:-0}" -gt 0 ]; then
		pass "stage $s non-empty ($c, $(hook "$s"))"
	else
		fail "stage $s is empty or missing ($c)"
	fi
done
pmax=$(row poll_pkts | awk '{ print $7 }')
if [ "${pmax:-0}" != - ] && [ "${pmax:-0}" -ge 1 ] && [ "${pmax:-0}" -le 64 ]; then
	pass "poll_pkts: the largest poll handled 1..64 packets ($pmax, budget 64)"
else
	fail "poll_pkts: implausible largest poll '$pmax'"
fi

funnel=$(echo "$last" | sed -n 's/^funnel: //p')
set -- $(echo "$funnel" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) printf "%s ", $i }')
expect "funnel: gro" "${1:-}" "$N"
expect "funnel: netif_receive" "${2:-}" "$N"

# What the kernel cannot hook must say so, and what it can must not.
probe=$("$RXSCOPE" probe 2>&1 | head -n 1)
if echo "$probe" | grep -q 'fentry no, kprobe no'; then
	for s in hardirq softirq_to_poll poll irq_to_rx l2_to_ip ip_to_udp socket total; do
		expect "stage $s marked unavailable" "$(hook "$s")" unavailable
	done
else
	for s in l2_to_ip ip_to_udp socket; do
		expect "stage $s counts every datagram (kernel has fentry/kprobe)" "$(count "$s")" "$N"
	done
fi
grep -q '^hardirq .*unavailable$' "$T" && pass "the hook list says hardirq is unavailable on veth" ||
	fail "the hook list does not mark hardirq unavailable"

# Drops: datagrams to a port nobody listens on end in kfree_skb(NO_SOCKET); record them to
# a file and read it back with report.
M=100
"$RXSCOPE" record -o "$TMP/drops.json" --dev "$RX" --port 9999 -d 2 \
	--ready-file "$TMP/rec.ready" > "$TMP/rec.out" 2>&1 &
rec=$!
PIDS+=("$rec")
for _ in $(seq 100); do [ -e "$TMP/rec.ready" ] && break; sleep 0.1; done
ip netns exec "$NS" "$RXGEN" --iface "$TX" --src-mac "$(ip netns exec "$NS" cat /sys/class/net/$TX/address)" \
	--dst-mac "$rx_mac" --src-ip "$TX_IP" --dst-ip "$RX_IP" --dst-port 9999 \
	--count "$M" --rate 1000 > "$TMP/rxgen2.log" 2>&1
wait "$rec"
expect "rxscope record -d 2 exit status" "$?" 0
"$RXSCOPE" report "$TMP/drops.json" > "$TMP/drops.txt" 2>&1
expect "rxscope report of the recording" "$?" 0
sed 's/^/    /' "$TMP/drops.txt"
drops=$(sed -n 's/^drops (kfree_skb of followed packets): \([0-9]*\).*/\1/p' "$TMP/drops.txt")
expect "every datagram to a closed port counted as a drop" "${drops:-none}" "$M"
if grep -q "NO_SOCKET.*$M\|$M.*NO_SOCKET" "$TMP/drops.txt"; then
	pass "the drops carry the kernel's reason NO_SOCKET"
else
	fail "no NO_SOCKET reason with $M drops in the report"
fi

# record --split: SIGUSR1 writes the piece so far and clears; the end writes the last piece.
# Two bursts (60, then 40 datagrams to the closed port) must land one in each piece.
send_closed() { # send_closed COUNT
	ip netns exec "$NS" "$RXGEN" --iface "$TX" \
		--src-mac "$(ip netns exec "$NS" cat /sys/class/net/$TX/address)" \
		--dst-mac "$rx_mac" --src-ip "$TX_IP" --dst-ip "$RX_IP" --dst-port 9999 \
		--count "$1" --rate 1000 > "$TMP/rxgen-split.log" 2>&1
}
piece_drops() { # piece_drops FILE: the drops line of its report
	"$RXSCOPE" report "$1" 2> /dev/null |
		sed -n 's/^drops (kfree_skb of followed packets): \([0-9]*\).*/\1/p'
}
rm -f "$TMP/rec.ready"
"$RXSCOPE" record -o "$TMP/split.json" --split --dev "$RX" --port 9999 \
	--ready-file "$TMP/rec.ready" > "$TMP/split.out" 2>&1 &
rec=$!
PIDS+=("$rec")
for _ in $(seq 100); do [ -e "$TMP/rec.ready" ] && break; sleep 0.1; done
send_closed 60
sleep 0.5
kill -USR1 "$rec"
for _ in $(seq 50); do [ -e "$TMP/split-1.json" ] && break; sleep 0.1; done
[ -e "$TMP/split-1.json" ] && pass "SIGUSR1 wrote the first piece split-1.json" ||
	fail "no split-1.json after SIGUSR1"
kill -0 "$rec" 2> /dev/null && pass "record --split goes on after SIGUSR1" ||
	fail "record --split ended on SIGUSR1"
send_closed 40
sleep 0.5
kill -INT "$rec"
wait "$rec"
expect "rxscope record --split exit status after SIGINT" "$?" 0
expect "the first piece holds the first burst's drops" "$(piece_drops "$TMP/split-1.json")" 60
expect "the last piece (written at SIGINT) holds only the second burst's" \
	"$(piece_drops "$TMP/split-2.json")" 40
[ ! -e "$TMP/split.json" ] && pass "no unnumbered file beside the pieces" ||
	fail "record --split also wrote split.json"
"$RXSCOPE" record -o - --split -d 1 > "$TMP/split-bad.out" 2>&1
expect "record --split -o - is refused as a usage error" "$?" 2

# --sample: per-packet hooks attached 3 s of every 6 s. 5000 datagrams to the closed port
# over 10 s: some are followed, not all, and each followed one ends in a drop (its end
# hook stays attached past the window's end of following). The recording gives the share
# of the time it followed.
rm -f "$TMP/rec.ready"
"$RXSCOPE" record -o "$TMP/sampled.json" --sample 50% --dev "$RX" --port 9999 -d 11 \
	--ready-file "$TMP/rec.ready" > "$TMP/sampled.out" 2>&1 &
rec=$!
PIDS+=("$rec")
for _ in $(seq 100); do [ -e "$TMP/rec.ready" ] && break; sleep 0.1; done
ip netns exec "$NS" "$RXGEN" --iface "$TX" --src-mac "$(ip netns exec "$NS" cat /sys/class/net/$TX/address)" \
	--dst-mac "$rx_mac" --src-ip "$TX_IP" --dst-ip "$RX_IP" --dst-port 9999 \
	--count 5000 --rate 500 > "$TMP/rxgen3.log" 2>&1
wait "$rec"
expect "rxscope record --sample 50% exit status" "$?" 0
"$RXSCOPE" report "$TMP/sampled.json" > "$TMP/sampled.txt" 2>&1
# a packet that passed GRO just before a window opened starts at netif_receive_skb: the
# followed packets are netif_receive's count, GRO's is at most that
sgro=$(sed -n 's/^funnel: gro [0-9]* -> netif_receive \([0-9]*\) .*/\1/p' "$TMP/sampled.txt")
sdrops=$(sed -n 's/^drops (kfree_skb of followed packets): \([0-9]*\).*/\1/p' "$TMP/sampled.txt")
if [ "${sgro:-0}" -ge 500 ] && [ "${sgro:-0}" -le 4500 ]; then
	pass "--sample 50%: $sgro of 5000 datagrams followed (500..4500)"
else
	fail "--sample 50%: ${sgro:-none} of 5000 datagrams followed, want 500..4500"
	sed 's/^/    /' "$TMP/sampled.txt"
fi
expect "--sample: every followed datagram reached its drop" "${sdrops:-none}" "${sgro:-x}"
share=$(sed -n 's/^sampled: packets followed \([0-9]*\)% of the time.*/\1/p' "$TMP/sampled.txt")
if [ "${share:-0}" -ge 25 ] && [ "${share:-0}" -le 75 ]; then
	pass "the report says the recording followed packets $share% of the time (25..75)"
else
	fail "the report gives no plausible sampled share: '${share:-none}'"
fi
# --sample 50: windows of 3 s, one per 300/50 s, and the release time is reported
if grep -Eq '^--sample 50: [0-9]+ windows of 3\.0 s every 6 s; .* ms until the kernel had released them' "$TMP/sampled.out"; then
	pass "--sample 50 opened windows of 3 s every 6 s and says when the hooks were released"
else
	fail "--sample 50: no line of windows of 3 s every 6 s: $(grep '^--sample' "$TMP/sampled.out")"
fi
# RXSCOPE_SAMPLE_PERIOD out of range: a warning, and the default period
RXSCOPE_SAMPLE_PERIOD=0.5 "$RXSCOPE" trace --sample 50 --dev "$RX" -d 1 -i 10 > "$TMP/period.out" 2>&1
expect "trace with RXSCOPE_SAMPLE_PERIOD=0.5 exit status" "$?" 0
if grep -q 'RXSCOPE_SAMPLE_PERIOD=0.5 is not 1 to 3600 seconds; using 6' "$TMP/period.out" &&
	grep -Eq '^--sample 50: [0-9]+ windows of 3\.0 s every 6 s' "$TMP/period.out"; then
	pass "RXSCOPE_SAMPLE_PERIOD=0.5 is refused with a warning, the period stays 6 s"
else
	fail "RXSCOPE_SAMPLE_PERIOD=0.5: $(cat "$TMP/period.out")"
fi
for bad in 0 101 abc 10.5 ''; do
	"$RXSCOPE" trace --sample "$bad" -d 1 > "$TMP/sample-bad.out" 2>&1
	expect "--sample '$bad' is refused as a usage error" "$?" 2
done

# No hook flavour at all: a clear error and exit 3 (missing kernel feature), not an empty trace.
RXSCOPE_DISABLE=fentry,kprobe,tp_btf,raw_tp "$RXSCOPE" trace -d 1 > "$TMP/nohook.out" 2>&1
expect "trace with every hook flavour disabled exits 3" "$?" 3
grep -q "offers none of the hooks rxscope uses" "$TMP/nohook.out" &&
	pass "  ... and says that no hook is offered" ||
	fail "  ... without saying why: $(head -c 200 "$TMP/nohook.out")"
finish
