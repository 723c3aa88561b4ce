#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rxgen-errors.sh - every bad-input case of rxgen (and rxsink) exits with the documented
# status and a message that names the bad value: 2 for bad input, 3 for a missing privilege,
# 1 for a run-time send failure. Prints PASS:/FAIL: per case; exits 0 only if all passed.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXGEN=${RXGEN:-$ROOT/build/rxgen}
RXSINK=${RXSINK:-$ROOT/build/rxsink}

# case_err WANT_STATUS WANT_TEXT CMD...: CMD must exit WANT_STATUS and print WANT_TEXT
# (a fixed string) on stderr, within 10 s.
case_err() {
	local want_st=$1 want_txt=$2 out st
	shift 2
	out=$(timeout 10 "$@" 2>&1 >/dev/null)
	st=$?
	if [ "$st" -ne "$want_st" ]; then
		fail "${*#$ROOT/}: exit $st, want $want_st (stderr: ${out:-none})"
	elif [[ "$out" != *"$want_txt"* ]]; then
		fail "${*#$ROOT/}: stderr lacks \"$want_txt\" (stderr: ${out:-none})"
	else
		pass "${*#$ROOT/}: exit $st, \"$want_txt\""
	fi
}

for b in "$RXGEN" "$RXSINK"; do
	[ -x "$b" ] || { fail "prerequisite: $b not built"; finish; }
done

Q=(--qemu 127.0.0.1:9)

# --- rxgen: bad values, exit 2 ------------------------------------------------------------
case_err 2 "invalid --dst-mac '52:54:00:12:34'" "$RXGEN" "${Q[@]}" --dst-mac 52:54:00:12:34
case_err 2 "invalid --dst-mac '52:54:00:12:34:zz'" "$RXGEN" "${Q[@]}" --dst-mac 52:54:00:12:34:zz
case_err 2 "invalid --src-mac 'nope'" "$RXGEN" "${Q[@]}" --src-mac nope
case_err 2 "invalid --dst-ip '198.18.0.256'" "$RXGEN" "${Q[@]}" --dst-ip 198.18.0.256
case_err 2 "invalid --src-ip 'host.example'" "$RXGEN" "${Q[@]}" --src-ip host.example
case_err 2 "invalid --rate '-5'" "$RXGEN" "${Q[@]}" --rate -5
case_err 2 "invalid --rate 'fast'" "$RXGEN" "${Q[@]}" --rate fast
case_err 2 "invalid --rate '5000pps'" "$RXGEN" "${Q[@]}" --rate 5000pps
case_err 2 "invalid --count '0'" "$RXGEN" "${Q[@]}" --count 0
case_err 2 "invalid --count 'ten'" "$RXGEN" "${Q[@]}" --count ten
case_err 2 "invalid --count '-1'" "$RXGEN" "${Q[@]}" --count -1
case_err 2 "invalid --duration '0'" "$RXGEN" "${Q[@]}" --duration 0
case_err 2 "invalid --size '10'" "$RXGEN" "${Q[@]}" --size 10
case_err 2 "invalid --size '9000'" "$RXGEN" "${Q[@]}" --size 9000
case_err 2 "invalid --flows '0'" "$RXGEN" "${Q[@]}" --flows 0
case_err 2 "invalid --flows '5000'" "$RXGEN" "${Q[@]}" --flows 5000
case_err 2 "invalid --dst-port '70000'" "$RXGEN" "${Q[@]}" --dst-port 70000
case_err 2 "invalid --src-port '60990'" "$RXGEN" "${Q[@]}" --src-port 60990 --flows 20
case_err 2 "invalid --oversize '20'" "$RXGEN" "${Q[@]}" --oversize 20
case_err 2 "invalid --vlan '5000'" "$RXGEN" "${Q[@]}" --vlan 5000
case_err 2 "invalid --batch '0'" "$RXGEN" "${Q[@]}" --batch 0
case_err 2 "unknown kind 'bogus'" "$RXGEN" "${Q[@]}" --malformed runt,bogus
case_err 2 "unknown kind 'good'" "$RXGEN" "${Q[@]}" --malformed good
case_err 2 "invalid --good-ratio '1.5'" "$RXGEN" "${Q[@]}" --malformed all --good-ratio 1.5
case_err 2 "invalid --good '20': more than --count '10'" \
	"$RXGEN" "${Q[@]}" --malformed all --count 10 --good 20
case_err 2 "--good and --good-ratio need --malformed" "$RXGEN" "${Q[@]}" --count 5 --good 2
case_err 2 "--good N needs --count" "$RXGEN" "${Q[@]}" --malformed all --good 2
case_err 2 "invalid --qemu '127.0.0.1'" "$RXGEN" --qemu 127.0.0.1 --count 1
case_err 2 "invalid --qemu '127.0.0.1:0'" "$RXGEN" --qemu 127.0.0.1:0 --count 1
case_err 2 "invalid --qemu 'somehost:5555'" "$RXGEN" --qemu somehost:5555 --count 1
case_err 2 "invalid --qemu-local '127.0.0.1'" "$RXGEN" "${Q[@]}" --qemu-local 127.0.0.1
case_err 2 "invalid --iface 'rxsnosuch0': no such interface" \
	"$RXGEN" --iface rxsnosuch0 --count 1
case_err 2 "give exactly one of --qemu HOST:PORT and --iface IF" "$RXGEN" --count 1
case_err 2 "give exactly one of --qemu HOST:PORT and --iface IF" \
	"$RXGEN" --qemu 127.0.0.1:9 --iface lo --count 1
case_err 2 "unexpected argument 'extra'" "$RXGEN" "${Q[@]}" --count 1 extra
case_err 2 "unrecognized option '--bogus'" "$RXGEN" "${Q[@]}" --bogus

# --- rxgen: missing privilege, exit 3 -----------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# As an unprivileged user (nobody), opening an AF_PACKET socket is refused.
	case_err 3 "failed to open AF_PACKET socket on lo: Operation not permitted" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$RXGEN" --iface lo --count 1
else
	fail "privilege case needs root and setpriv to drop to an unprivileged user"
fi

# --- rxgen on a real interface: the destination MAC is given or known ---------------------
# Without --dst-mac, the default (the QEMU guest NIC's MAC) would reach nobody on a real
# network: the neighbour table's entry for --dst-ip is taken, or rxgen refuses.
if [ "$(id -u)" -eq 0 ]; then
	case_err 2 "--iface lo needs the destination MAC" "$RXGEN" --iface lo --count 1
	dm=rxsdm$$
	if ip link add "$dm" type veth peer name "${dm}p" 2> /dev/null; then
		ip link set "$dm" up
		ip addr add 198.18.91.1/24 dev "$dm"
		ip neigh add 198.18.91.2 lladdr 02:00:00:aa:bb:cc dev "$dm" nud permanent
		out=$("$RXGEN" --iface "$dm" --dst-ip 198.18.91.2 --count 1 2>&1)
		st=$?
		if [ "$st" = 0 ] && echo "$out" | grep -qF "dst MAC 02:00:00:aa:bb:cc (neighbour table)"; then
			pass "--iface without --dst-mac takes --dst-ip's MAC from the neighbour table"
		else
			fail "--iface with a known --dst-ip: exit $st: $out"
		fi
		case_err 2 "198.18.91.3 is not in the neighbour table of $dm" \
			"$RXGEN" --iface "$dm" --dst-ip 198.18.91.3 --count 1
		out=$("$RXGEN" --iface "$dm" --dst-mac 02:00:00:00:00:09 --count 1 2>&1)
		[ $? = 0 ] && pass "--iface with --dst-mac needs no neighbour entry" ||
			fail "--iface with --dst-mac: $out"
		ip link del "$dm"
	else
		fail "cannot create a veth pair for the neighbour-table cases"
	fi
fi

# --- rxgen: run-time send failure, exit 1 ---------------------------------------------------
# A UDP port on which nothing listens: the kernel answers port unreachable, so a later
# send fails with ECONNREFUSED.
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 9)
case_err 1 "failed to send to qemu:127.0.0.1:$port: Connection refused" \
	"$RXGEN" -q --qemu "127.0.0.1:$port" --count 1000 --rate max
# ... and still writes its summary of what went out before the failure.
rm -f /tmp/rxgen-errors.$$.sum
"$RXGEN" -q --qemu "127.0.0.1:$port" --count 1000 --rate max --summary /tmp/rxgen-errors.$$.sum \
	2>/dev/null
if grep -q '^units=[0-9]' /tmp/rxgen-errors.$$.sum 2>/dev/null; then
	pass "after a fatal send error the summary is still written ($(grep '^units=' /tmp/rxgen-errors.$$.sum))"
else
	fail "after a fatal send error no summary was written"
fi
# ... and the summary agrees with the failure: units counted as sent went out (one frame
# each), the refused frame is an error, and the last line says that the run failed.
out=$("$RXGEN" --qemu "127.0.0.1:$port" --count 5 --rate 1000 \
	--summary /tmp/rxgen-errors.$$.sum 2>&1)
st=$?
units=$(sed -n 's/^units=//p' /tmp/rxgen-errors.$$.sum)
frames=$(sed -n 's/^frames=//p' /tmp/rxgen-errors.$$.sum)
errors=$(sed -n 's/^errors=//p' /tmp/rxgen-errors.$$.sum)
if [ "$st" = 1 ] && [ "${units:-x}" = "${frames:-y}" ] && [ "${errors:-0}" -ge 1 ]; then
	pass "refused port: exit 1 and the summary agrees (units=$units frames=$frames errors=$errors)"
else
	fail "refused port: exit $st, summary units=$units frames=$frames errors=$errors"
fi
if echo "$out" | grep -q '^rxgen: FAILED after [0-9]* of 5 units: '; then
	pass "refused port: the report ends with FAILED"
else
	fail "refused port: the report does not say it failed: $(echo "$out" | tail -n 2)"
fi
rm -f /tmp/rxgen-errors.$$.sum

# --- rxsink: bad values, exit 2; bind failure, exit 1 ---------------------------------------
case_err 2 "invalid --port '0'" "$RXSINK" --port 0
case_err 2 "invalid --port '65536'" "$RXSINK" --port 65536
case_err 2 "invalid --idle 'soon'" "$RXSINK" --idle soon
case_err 2 "invalid --timeout '-1'" "$RXSINK" --timeout -1
case_err 2 "invalid --count '0'" "$RXSINK" --count 0
case_err 2 "invalid --bind '1.2.3'" "$RXSINK" --bind 1.2.3
case_err 2 "invalid --rcvbuf '10'" "$RXSINK" --rcvbuf 10
case_err 2 "--count cannot be used with --no-read" "$RXSINK" --no-read --count 5
case_err 2 "unexpected argument 'extra'" "$RXSINK" extra
# 198.18.255.254 (benchmarking range) is on no host interface: bind fails with EADDRNOTAVAIL.
case_err 1 "failed to bind UDP socket to 198.18.255.254:9000: Cannot assign requested address" \
	"$RXSINK" --bind 198.18.255.254 --timeout 1
case_err 1 "failed to create /nonexistent-dir/ready.tmp" \
	"$RXSINK" --ready-file /nonexistent-dir/ready --timeout 1

finish
