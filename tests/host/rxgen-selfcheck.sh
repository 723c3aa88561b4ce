#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rxgen-selfcheck.sh - proves on the host that rxgen's frames are what they claim to be.
# In a private network namespace with a veth pair (va -> vb), rxgen sends through AF_PACKET
# on va; tcpdump captures what arrives on vb, and `tcpdump -r -vv` (an independent decoder)
# must see every good frame with correct IP and UDP checksums, the exact count, and every
# malformed kind with its defect. Then rxsink, bound in the namespace, must receive every
# good datagram with a verified payload, and the Linux stack must drop the kinds it should.
# Prints PASS:/FAIL: per check; exits 0 only if all passed. Needs root, ip and tcpdump.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}
NS=rxgsc$$
TMP=$(mktemp -d /tmp/rxgen-selfcheck.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kv FILE KEY: the value of KEY= in a key=value file (empty if absent).
kv() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1; }

nsx() { ip netns exec "$NS" "$@"; }

# --- prerequisites ----------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root (netns, AF_PACKET)"; finish; }
for t in ip tcpdump; do
	command -v "$t" >/dev/null || { fail "prerequisite: $t not installed"; finish; }
done
for b in "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b not built (make build/rxgen build/rxsink)"; finish; }
done

# --- the namespace ----------------------------------------------------------------------
ip netns add "$NS" || { fail "create network namespace $NS"; finish; }
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link add va type veth peer name vb &&
	ip -n "$NS" link set va mtu 9200 && ip -n "$NS" link set vb mtu 9200 &&
	ip -n "$NS" link set va up && ip -n "$NS" link set vb up &&
	ip -n "$NS" addr add 198.18.0.2/15 dev vb ||
	{ fail "set up veth pair in $NS"; finish; }
MAC_B=$(nsx cat /sys/class/net/vb/address)

# start_capture FILE: tcpdump on vb, inbound only, IPv6 excluded; waits until it listens.
start_capture() {
	# ip netns exec execs tcpdump, so $! is tcpdump itself (not a subshell).
	ip netns exec "$NS" tcpdump -Z root --immediate-mode -B 16384 -i vb -Q in -n -U -w "$1" not ip6 2>"$1.err" &
	CAP_PID=$!
	PIDS+=("$CAP_PID")
	for _ in $(seq 50); do
		grep -q listening "$1.err" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop_capture() {
	sleep 1
	kill -TERM "$CAP_PID" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
}

# decode PCAP: one line per packet (tcpdump -vv -e continuation lines joined).
decode() {
	tcpdump -r "$1" -n -vv -e 2>/dev/null |
		awk '/^[0-9][0-9]:/ { if (l != "") print l; l = $0; next } { l = l " " $0 }
		     END { if (l != "") print l }'
}

# count PATTERN...: packets in $TMP/dec.txt matching every extended regex given.
count() {
	local f="$TMP/dec.txt" p
	local out
	out=$(cat "$f")
	for p in "$@"; do out=$(grep -E -- "$p" <<<"$out"); done
	[ -n "$out" ] && wc -l <<<"$out" || echo 0
}

# --- part 1: what is on the wire ---------------------------------------------------------
start_capture "$TMP/cap.pcap" || { fail "tcpdump did not start on vb"; finish; }

nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 1000 --flows 8 --rate 20000 \
	--summary "$TMP/good.sum"
expect "rxgen good run: exit status" "$?" 0
expect "rxgen good run: summary sent_good" "$(kv "$TMP/good.sum" sent_good)" 1000

nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 50 --size 8000 --src-port 20000 \
	--rate 5000 --summary "$TMP/jumbo.sum"
expect "rxgen jumbo run: exit status" "$?" 0

nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 99 --good 9 --malformed all \
	--src-port 30000 --rate 5000 --summary "$TMP/mal.sum"
expect "rxgen malformed run: exit status" "$?" 0
for k in runt oversize bad_ip_csum bad_ip_len trunc_udp bad_udp_csum frag vlan non_ip; do
	expect "rxgen malformed run: summary sent_$k" "$(kv "$TMP/mal.sum" "sent_$k")" 10
done
expect "rxgen malformed run: summary sent_good" "$(kv "$TMP/mal.sum" sent_good)" 9
expect "rxgen malformed run: summary frames (frag is 2 frames)" \
	"$(kv "$TMP/mal.sum" frames)" 109
stop_capture
grep -q "^0 packets dropped by kernel" "$TMP/cap.pcap.err"
expect "tcpdump dropped no packets" "$?" 0 ||
	sed 's/^/    tcpdump: /' "$TMP/cap.pcap.err"

decode "$TMP/cap.pcap" >"$TMP/dec.txt"
want_total=$(($(kv "$TMP/good.sum" frames) + $(kv "$TMP/jumbo.sum" frames) + \
	$(kv "$TMP/mal.sum" frames)))
expect "captured frames = frames rxgen reported" "$(wc -l <"$TMP/dec.txt")" "$want_total"
expect "captured frames = 1000 + 50 + 109" "$want_total" 1159

# Good frames, 8 flows: source ports 10000..10007, source addresses 198.18.1.1..8.
expect "good 64-byte frames decoded with 'udp sum ok'" \
	"$(count 'length 106:' '198\.18\.1\.[1-8]\.1000[0-7] > 198\.18\.0\.2\.9000:' \
		'udp sum ok' 'UDP, length 64$')" 1000
expect "good frames with a bad IP or UDP checksum" \
	"$(count '\.1000[0-7] > ' 'bad (udp )?cksum')" 0
expect "good frames with DF set and no fragment offset" \
	"$(count '\.1000[0-7] > ' 'offset 0, flags \[DF\]')" 1000
for i in 1 4 8; do
	expect "flow with source 198.18.1.$i: 125 frames" \
		"$(count "198\.18\.1\.$i\.1000$((i - 1)) > ")" 125
done
expect "jumbo frames (8042 bytes, 8000-byte payload) with 'udp sum ok'" \
	"$(count 'length 8042:' '\.20000 > 198\.18\.0\.2\.9000:' 'udp sum ok' \
		'UDP, length 8000')" 50
expect "good frames among malformed ones with 'udp sum ok'" \
	"$(count '\.30000 > 198\.18\.0\.2\.9000:' 'udp sum ok')" 9

# Malformed kinds: source port 61000 + kind (frame.h), each with its defect.
expect "runt: 48-byte frames" "$(count 'length 48:' '\.61001 > ')" 10
expect "oversize: 1600-byte frames, otherwise valid" \
	"$(count 'length 1600:' '\.61002 > ' 'udp sum ok')" 10
expect "bad-ip-csum: tcpdump reports 'bad cksum'" \
	"$(count '\.61003 > ' 'proto UDP \(17\), length 92, bad cksum [0-9a-f]+ \(->')" 10
expect "bad-ip-len: tcpdump reports 'truncated-ip - 64 bytes missing'" \
	"$(count 'truncated-ip - 64 bytes missing' '\.61004 > ')" 10
expect "trunc-udp: UDP length 64 bytes beyond the data" \
	"$(count '\.61005 > ' 'bad length 128 > 64')" 10
expect "bad-udp-csum: frames whose IP checksum is bad too" \
	"$(count '\.61006 > ' 'length 92, bad cksum')" 0
expect "bad-udp-csum: 'bad udp cksum'" "$(count '\.61006 > ' 'bad udp cksum')" 10
expect "frag: first fragments (MF set, offset 0)" \
	"$(count 'offset 0, flags \[\+\]' '\.61007 > ')" 10
expect "frag: second fragments (offset 32, no MF)" \
	"$(count 'offset 32, flags \[none\]' 'ip-proto-17')" 10
expect "vlan: 802.1Q tag with VLAN 100 around a valid datagram" \
	"$(count 'ethertype 802\.1Q' 'vlan 100' '\.61008 > ' 'udp sum ok')" 10
expect "non-ip: EtherType 0x88b5" "$(count 'ethertype Unknown \(0x88b5\)')" 10

# --- part 2: rxsink receives and verifies ------------------------------------------------
# run_sink NAME: start rxsink in the namespace and wait for its ready file.
run_sink() {
	rm -f "$TMP/$1.ready"
	# A large receive buffer: on a busy host the receiver may be scheduled late.
	ip netns exec "$NS" "$RXSINK" -q --idle 1.5 --timeout 60 --rcvbuf 33554432 --ready-file "$TMP/$1.ready" \
		--out "$TMP/$1.out" &
	SINK_PID=$!
	PIDS+=("$SINK_PID")
	for _ in $(seq 50); do
		[ -s "$TMP/$1.ready" ] && return 0
		sleep 0.1
	done
	return 1
}

run_sink small || fail "rxsink did not write its ready file"
nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 5000 --flows 16 --rate 10000
wait "$SINK_PID"
expect "rxsink small run: exit status" "$?" 0
S=$TMP/small.out
expect "rxsink: received all 5000" "$(kv "$S" received)" 5000
expect "rxsink: 5000 verified payloads" "$(kv "$S" good)" 5000
expect "rxsink: bad payloads" "$(kv "$S" bad_payload)" 0
expect "rxsink: lost" "$(kv "$S" lost)" 0
expect "rxsink: socket drops" "$(kv "$S" sock_drops)" 0
expect "rxsink: duplicates" "$(kv "$S" dup)" 0
expect "rxsink: flows seen" "$(kv "$S" flows_seen)" 16
expect "rxsink: bytes" "$(kv "$S" bytes)" $((5000 * 64))

run_sink jumbo || fail "rxsink did not write its ready file"
nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 300 --flows 3 --size 8000 --rate 5000
wait "$SINK_PID"
S=$TMP/jumbo.out
expect "rxsink jumbo: received all 300 8000-byte datagrams" "$(kv "$S" received)" 300
expect "rxsink jumbo: all payload checksums verified" "$(kv "$S" good)" 300
expect "rxsink jumbo: bad payloads" "$(kv "$S" bad_payload)" 0

run_sink mal || fail "rxsink did not write its ready file"
nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 99 --good 9 --malformed all --rate 5000
wait "$SINK_PID"
S=$TMP/mal.out
expect "rxsink malformed: the 9 good frames arrive" "$(kv "$S" good)" 9
expect "rxsink malformed: lost among good" "$(kv "$S" lost)" 0
expect "rxsink malformed: runts reach the socket as 6-byte datagrams (veth pads nothing)" \
	"$(kv "$S" short)" 10
expect "rxsink malformed: oversize delivered (MTU 9200)" "$(kv "$S" mal_oversize)" 10
expect "rxsink malformed: fragments reassembled and verified" "$(kv "$S" mal_frag)" 10
for k in bad_ip_csum bad_ip_len trunc_udp bad_udp_csum vlan non_ip; do
	expect "rxsink malformed: the stack dropped every $k" "$(kv "$S" "mal_$k")" 0
done
expect "rxsink malformed: payload checksum failures" "$(kv "$S" bad_csum)" 0

# --- part 3: pacing and transport errors -------------------------------------------------
nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 3000 --rate 3000 --summary "$TMP/rate.sum"
# Pacing never runs ahead of the schedule (unit i at i / rate); on a busy host it may run
# late, so the upper bounds leave room for scheduling delays.
rate=$(kv "$TMP/rate.sum" rate_pps)
if awk -v r="$rate" 'BEGIN { exit !(r > 2400 && r < 3010) }'; then
	pass "rate 3000 pps: achieved $rate pps (never above, at most 20% below)"
else
	fail "rate 3000 pps: achieved $rate pps, want 2400..3010"
fi
el=$(kv "$TMP/rate.sum" elapsed_s)
if awk -v e="$el" 'BEGIN { exit !(e >= 0.9995 && e < 1.25) }'; then
	pass "3000 frames at 3000 pps took $el s (the last is due at 0.9997 s)"
else
	fail "3000 frames at 3000 pps took $el s, want 0.9995..1.25"
fi

nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --duration 1 --rate 2000 --summary "$TMP/dur.sum"
units=$(kv "$TMP/dur.sum" units)
el=$(kv "$TMP/dur.sum" elapsed_s)
if [ "${units:-0}" -ge 1600 ] && [ "${units:-0}" -le 2001 ]; then
	pass "--duration 1 at 2000 pps sent $units units"
else
	fail "--duration 1 at 2000 pps sent ${units:-none} units, want 1600..2001"
fi
if awk -v e="$el" 'BEGIN { exit !(e >= 1.0 && e < 1.1) }'; then
	pass "--duration 1 stopped after $el s"
else
	fail "--duration 1 stopped after $el s, want 1.0..1.1"
fi

nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 100 --malformed runt,vlan \
	--good-ratio 0.5 --summary "$TMP/ratio.sum"
expect "--good-ratio 0.5 of 100: good" "$(kv "$TMP/ratio.sum" sent_good)" 50
expect "--good-ratio 0.5 of 100: runt" "$(kv "$TMP/ratio.sum" sent_runt)" 25
expect "--good-ratio 0.5 of 100: vlan" "$(kv "$TMP/ratio.sum" sent_vlan)" 25

# SIGTERM: rxgen stops, reports and writes its summary; rxsink ends with end_reason=signal.
run_sink term || fail "rxsink did not write its ready file"
ip netns exec "$NS" "$RXGEN" -q --iface va --dst-mac "$MAC_B" --rate 200 \
	--summary "$TMP/term.sum" &
gen=$!
sleep 1
kill -TERM "$gen"
wait "$gen"
expect "rxgen after SIGTERM: exit status" "$?" 0
expect "rxgen after SIGTERM: summary says interrupted" "$(kv "$TMP/term.sum" interrupted)" 1
sleep 0.3
kill -TERM "$SINK_PID"
wait "$SINK_PID"
expect "rxsink after SIGTERM: exit status" "$?" 0
expect "rxsink after SIGTERM: end_reason" "$(kv "$TMP/term.out" end_reason)" signal
expect "rxsink after SIGTERM: received what rxgen sent" "$(kv "$TMP/term.out" received)" \
	"$(kv "$TMP/term.sum" units)"

ip -n "$NS" link set va mtu 1500
out=$(nsx "$RXGEN" -q --iface va --dst-mac "$MAC_B" --count 3 --malformed oversize \
	--summary "$TMP/emsg.sum" 2>&1)
expect "oversize frame on a 1500-MTU interface: exit status 1" "$?" 1
expect "oversize frame on a 1500-MTU interface: err_oversize" \
	"$(kv "$TMP/emsg.sum" err_oversize)" 3
case "$out" in
*"failed to send 3 oversize frame(s) on iface:va: Message too long"*)
	pass "oversize send failure is reported by name" ;;
*)	fail "oversize send failure message: '$out'" ;;
esac

finish
