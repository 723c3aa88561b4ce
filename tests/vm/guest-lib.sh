# SPDX-License-Identifier: GPL-2.0
# Helpers for scenarios' guest.sh (busybox sh). Sourced by /init before the scenario runs;
# scenarios may source it again. The host's results folder is $RESULTS.
RESULTS=/results
GUEST_IP=198.18.0.2
GUEST_PREFIX=15
RXS_FAILS=0

# busybox sh runs its own applets before PATH: use Debian's full ip and tc.
ip() { /usr/sbin/ip "$@"; }
tc() { /usr/sbin/tc "$@"; }

# Socket buffers large enough that a TCG-slowed receiver does not overflow its queue.
sysctl -qw net.core.rmem_max=33554432 net.core.rmem_default=8388608 2>/dev/null

rxs_log() { echo "[guest $(cut -d' ' -f1 /proc/uptime)] $*"; }

# rxs_check DESCRIPTION COMMAND...: runs COMMAND, prints PASS/FAIL, counts failures.
rxs_check() {
	local what=$1
	shift
	if "$@"; then
		echo "PASS: $what"
	else
		echo "FAIL: $what"
		RXS_FAILS=$((RXS_FAILS + 1))
	fi
}

# rxs_ready: tells the host to start its part (traffic).
rxs_ready() { : > "$RESULTS/ready.tmp" && mv "$RESULTS/ready.tmp" "$RESULTS/ready"; }

# rxs_wait_file FILE SECONDS: waits until FILE exists.
rxs_wait_file() {
	local f=$1 n=$(($2 * 10))
	while [ ! -e "$f" ]; do
		n=$((n - 1))
		[ "$n" -le 0 ] && return 1
		usleep 100000
	done
	return 0
}

# rxs_wait_host [SECONDS]: waits until the host part has finished (default 600 s).
rxs_wait_host() { rxs_wait_file "$RESULTS/host-done" "${1:-600}"; }

# rxs_receive [--go NAME] [RXSINK OPTIONS]: one round of host traffic into rxsink. Starts
# rxsink with a ready file (its output goes to /tmp/sink.log), tells the host to send once
# the socket is bound (rxs_ready, or with --go by creating $RESULTS/NAME), waits for the
# host part (up to 600 s), then for rxsink to end.
rxs_receive() {
	local sink go=
	if [ "${1:-}" = --go ]; then
		go=$2
		shift 2
	fi
	rm -f /tmp/sink.ready
	rxsink --ready-file /tmp/sink.ready "$@" > /tmp/sink.log 2>&1 &
	sink=$!
	rxs_check "rxsink bound its socket" rxs_wait_file /tmp/sink.ready 20
	if [ -n "$go" ]; then
		: > "$RESULTS/$go"
	else
		rxs_ready
	fi
	rxs_check "host part finished" rxs_wait_host 600
	wait "$sink"
}

# rxs_netdev DRIVER: the interface bound to DRIVER (first match), or nothing.
rxs_netdev() {
	local d
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink "$d/device/driver" 2>/dev/null)")" = "$1" ] &&
			{ basename "$d"; return 0; }
	done
	return 1
}

# rxs_up DRIVER: loads DRIVER (igb or rxscope_igb), brings its interface up with the guest
# address, waits for link, and prints the interface name.
rxs_up() {
	local drv=$1 ifc n=100
	if [ "$drv" = rxscope_igb ]; then
		insmod /lib/modules/rxscope_igb.ko $RXS_MODULE_ARGS || return 1
	else
		modprobe "$drv" || return 1
	fi
	while ! ifc=$(rxs_netdev "$drv"); do
		n=$((n - 1)); [ "$n" -le 0 ] && { echo "no interface for $drv" >&2; return 1; }
		usleep 100000
	done
	ip link set "$ifc" up || return 1
	ip addr add "$GUEST_IP/$GUEST_PREFIX" dev "$ifc" || return 1
	n=100
	while [ "$(cat /sys/class/net/$ifc/carrier 2>/dev/null)" != 1 ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && { echo "$ifc: no link" >&2; return 1; }
		usleep 100000
	done
	echo "$ifc"
}

# rxs_mgmt_up: brings up the management NIC of run-vm.sh --mgmt-net (virtio-net on QEMU
# user networking) as $MGMT_IP/24 and prints its name. The host reaches the guest's TCP
# port 9941 there through a forward on its 127.0.0.1 (QEMU_MGMT in host.sh).
MGMT_IP=10.0.2.15
rxs_mgmt_up() {
	local ifc n=100
	modprobe virtio_net || return 1
	while ! ifc=$(rxs_netdev virtio_net); do
		n=$((n - 1)); [ "$n" -le 0 ] && { echo "no management NIC (run-vm.sh --mgmt-net)" >&2; return 1; }
		usleep 100000
	done
	ip link set "$ifc" up || return 1
	ip addr add "$MGMT_IP/24" dev "$ifc" || return 1
	echo "$ifc"
}

# rxs_wait_carrier IF [SECONDS]: waits until IF has carrier (default 10 s).
rxs_wait_carrier() {
	local n=$((${2:-10} * 10))
	while [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" != 1 ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 100000
	done
}

# rxs_aer_inject BDF UNCOR_STATUS: an uncorrectable PCIe error with these status bits,
# reported for device 0, function 0 of BDF's bus through /dev/aer_inject (modprobe
# aer_inject first). The record: bus, device, function and a padding byte; the uncorrectable
# and the correctable status; four words of header log; the PCI domain.
rxs_le32() { # rxs_le32 N: N as four little-endian bytes, as printf's octal escapes
	printf '\\%o\\%o\\%o\\%o' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) \
		$((($1 >> 24) & 255))
}
rxs_aer_inject() {
	local bus
	bus=$((0x$(echo "$1" | cut -d: -f2)))
	# shellcheck disable=SC2059
	printf "$(rxs_le32 "$bus")$(rxs_le32 "$2")$(rxs_le32 0)$(rxs_le32 0)$(rxs_le32 0)$(rxs_le32 0)$(rxs_le32 0)$(rxs_le32 0)" \
		> /dev/aer_inject
}

# rxs_wait_aer N [SECONDS]: waits until dmesg holds more than N "AER: device recovery"
# lines (the AER core's verdict on an error; default 10 s).
rxs_wait_aer() {
	local n=$((${2:-10} * 10))
	until [ "$(dmesg | grep -c 'AER: device recovery')" -gt "$1" ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 100000
	done
}

# rxs_val KEY FILE: the value of KEY in a key=value file (rxgen's and rxsink's results).
rxs_val() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# rxs_ip_rx_packets IF: the RX packets counter of `ip -s link`.
rxs_ip_rx_packets() { ip -s link show "$1" | awk '/RX:/ { getline; print $2; exit }'; }

# rxs_et_sum IF REGEX: the sum of the `ethtool -S IF` counters whose names match REGEX.
rxs_et_sum() { ethtool -S "$1" | awk -v re="^$2:\$" '$1 ~ re { s += $2 } END { print s + 0 }'; }

# rxs_done: exit status for the scenario from the checks made.
rxs_done() {
	echo "guest checks: $RXS_FAILS failed"
	[ "$RXS_FAILS" -eq 0 ]
}
