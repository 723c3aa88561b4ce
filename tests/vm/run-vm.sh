#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots the guest kernel in QEMU with an igb NIC and runs one scenario.
#
# A scenario is a folder tests/vm/scenarios/NAME/ with guest.sh (run in the guest), an
# optional host.sh (run on the host once QEMU is up: it waits for $OUT/ready, then sends
# traffic) and an optional scenario.conf (NEEDS_MODULE=1, TIMEOUT=, SMP=, MEM=, MONITOR=1
# for a QEMU monitor that host.sh reaches with rxs_host_monitor, to pull the cable,
# MGMT_NET=1 for a management NIC, as --mgmt-net; ROOT_PORT=1 for the NIC behind a PCIe
# root port, so that AER errors can be injected; ROOT_PORT_SPEED= for that port's link
# speed).
# Results land in --out (default results/NAME/): the guest writes there through 9p.
# The run fails on the scenario's or host part's failure, on a time-out, and on any kernel
# splat (WARN, BUG, oops, lockup) or taint other than the unsigned out-of-tree module's.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
prog=run-vm

usage() {
	cat <<EOF
usage: $prog [options] SCENARIO
  SCENARIO            a folder name under tests/vm/scenarios/, or a path to one
  --out DIR           results folder (default: results/SCENARIO)
  --timeout SEC       power the guest off after SEC seconds (default 300, or the scenario's)
  --kernel PATH       guest kernel (default: the pinned Debian kernel in .cache/guest/)
  --kver VER|older|oldest|newest
                      another Debian kernel that make deps extracted into .cache/guest/VER
                      (its vmlinuz and its in-tree modules); the names stand for the kernel
                      matrix of versions.env: older is Debian 12's own 6.1, oldest Debian
                      11's 5.10, newest the newest amd64 kernel Debian offers. Our module
                      is built for the pinned kernel only: use --no-module with it
  --module KO         our module to carry (default: module/rxscope_igb.ko if built)
  --no-module         carry no module of ours
  --smp N, --mem MB   guest CPUs (default 2) and memory (default 1024)
  --accel auto|kvm|tcg  (default auto: KVM where /dev/kvm and vmx/svm exist, else TCG)
  --tcg-thread single|multi  TCG's vCPU threading (default single, see docs/vm.md)
  --env KEY=VALUE     a parameter for the scenario, set in guest.sh's and host.sh's
                      environment (repeatable)
  --mgmt-net          add a management NIC (virtio-net on QEMU user networking, isolated
                      from the host's networks) whose TCP port 9941 is forwarded from a
                      free port on the host's 127.0.0.1 (QEMU_MGMT in host.sh's
                      environment; rxs_mgmt_up brings it up in the guest); the igb NIC
                      still carries only the test traffic
  --interactive       console on this terminal, no time limit (for a shell: SCENARIO=shell)
EOF
}
die() { echo "$prog: error: $*" >&2; exit 2; }

out= timeout= kernel= kver= module= no_module=0 smp= mem= accel=${RXS_ACCEL:-auto} interactive=0
mgmt=
tcg_thread=${RXS_TCG_THREAD:-single}
scenario=
params=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--kernel) kernel=${2:?}; shift 2 ;;
	--kver) kver=${2:?}; shift 2 ;;
	--module) module=${2:?}; shift 2 ;;
	--no-module) no_module=1; shift ;;
	--smp) smp=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--accel) accel=${2:?}; shift 2 ;;
	--tcg-thread) tcg_thread=${2:?}; shift 2 ;;
	--env)
		[[ ${2:-} =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || die "--env wants KEY=VALUE, not '${2:-}'"
		params+=("$2"); shift 2 ;;
	--interactive) interactive=1; shift ;;
	--mgmt-net) mgmt=1; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option $1" ;;
	*) [ -z "$scenario" ] || die "more than one scenario given"; scenario=$1; shift ;;
	esac
done
[ -n "$scenario" ] || { usage >&2; die "no scenario given"; }

if [ -d "$scenario" ]; then
	sdir=$(cd "$scenario" && pwd)
else
	sdir=$top/tests/vm/scenarios/$scenario
fi
[ -f "$sdir/guest.sh" ] || die "scenario '$scenario' not found (no $sdir/guest.sh)"
name=$(basename "$sdir")

NEEDS_MODULE=0 TIMEOUT=300 SMP=2 MEM=1024 MONITOR=0 MGMT_NET=0 ROOT_PORT=0 ROOT_PORT_SPEED=
# shellcheck disable=SC1091
[ -f "$sdir/scenario.conf" ] && . "$sdir/scenario.conf"
timeout=${timeout:-$TIMEOUT}; smp=${smp:-$SMP}; mem=${mem:-$MEM}; mgmt=${mgmt:-$MGMT_NET}
[[ $timeout =~ ^[0-9]+$ && $timeout -gt 0 ]] || die "--timeout must be a positive number of seconds"

[ -f "$top/.cache/guest-kernel.env" ] || die "no guest kernel set up (run make deps)"
# shellcheck disable=SC1091
. "$top/.cache/guest-kernel.env"
if [ -n "$kver" ]; then
	case $kver in
	older|oldest|newest)
		kvar=${kver^^}_KVER
		[ -n "${!kvar:-}" ] || die "no $kver guest kernel set up (run make deps)"
		kver=${!kvar} ;;
	esac
	[ -d "$top/.cache/guest/$kver/lib/modules/$kver" ] ||
		die "guest kernel $kver not in .cache/guest/ (run make deps)"
	KVER=$kver
fi
kernel=${kernel:-$top/.cache/guest/$KVER/vmlinuz}
[ -f "$kernel" ] || die "guest kernel $kernel not found (run make deps)"

if [ "$no_module" = 1 ]; then
	module=
elif [ -n "$module" ]; then
	[ -f "$module" ] || die "module $module not found"
elif [ -n "$kver" ]; then
	module=		# module/rxscope_igb.ko is built for the pinned kernel only
	[ "$NEEDS_MODULE" = 1 ] &&
		die "scenario $name needs rxscope_igb.ko, built for $kver: pass it with --module"
elif [ -f "$top/module/rxscope_igb.ko" ]; then
	module=$top/module/rxscope_igb.ko
fi
[ "$NEEDS_MODULE" = 1 ] && [ -z "$module" ] &&
	die "scenario $name needs rxscope_igb.ko, which is not built (run make module)"

case $accel in
auto)
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; else accel=tcg; fi ;;
kvm|tcg) ;;
*) die "--accel must be auto, kvm or tcg" ;;
esac
case $tcg_thread in
single|multi) ;;
*) die "--tcg-thread must be single or multi" ;;
esac
# Multi-threaded TCG can run a stale int3 that the kernel's text patching (attaching or
# detaching tracepoints and fentry) has already removed, and the guest oopses. One thread
# for all vCPUs keeps code modification and execution in order.
if [ "$accel" = kvm ]; then
	cpu=host accel_opt=kvm
else
	cpu=max accel_opt=tcg,thread=$tcg_thread
fi

out=${out:-$top/results/$name}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

initrd=$top/build/vm/$name.cpio
mkdir -p "$top/build/vm"
penv=$top/build/vm/$name.env
: > "$penv"
for kv in "${params[@]}"; do
	printf '%s=%q\n' "${kv%%=*}" "${kv#*=}" >> "$penv"
done
mod_args=(--params "$penv")
[ -n "$module" ] && mod_args+=(--module "$module")
bash "$top/tests/vm/mkinitramfs.sh" --kver "$KVER" --moddir "$top/.cache/guest/$KVER" \
	--scenario "$sdir" --out "$initrd" "${mod_args[@]}"

# Two free UDP ports on loopback: frames for the guest arrive on rx_port; what the guest
# transmits is sent to tx_port.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		ss -Hlun "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}
rx_port=$(free_port)
tx_port=$(free_port)
while [ "$tx_port" = "$rx_port" ]; do tx_port=$(free_port); done
# The monitor, only for scenarios that ask (MONITOR=1): a TCP port on loopback, for
# commands such as "set_link n0 off" (tests/vm/host-lib.sh, rxs_host_monitor).
monitor=(-monitor none)
mon_addr=
if [ "$MONITOR" = 1 ]; then
	while :; do
		mon_port=$((20000 + RANDOM % 40000))
		ss -Hltn "sport = :$mon_port" 2>/dev/null | grep -q . || break
	done
	mon_addr=127.0.0.1:$mon_port
	monitor=(-monitor "tcp:$mon_addr,server=on,wait=off")
fi

# The management NIC (--mgmt-net): QEMU user networking, restricted (the guest reaches
# neither the host nor the outside), with the guest's TCP port 9941 forwarded from a free
# port on the host's loopback. The guest's address there is fixed: 10.0.2.15.
mgmt_net=()
mgmt_addr=
if [ "$mgmt" = 1 ]; then
	while :; do
		mgmt_port=$((20000 + RANDOM % 40000))
		ss -Hltn "sport = :$mgmt_port" 2>/dev/null | grep -q . || break
	done
	mgmt_addr=127.0.0.1:$mgmt_port
	mgmt_net=(-netdev "user,id=m0,restrict=on,net=10.0.2.0/24,hostfwd=tcp:$mgmt_addr-10.0.2.15:9941"
		  -device "virtio-net-pci,netdev=m0,mac=52:54:00:12:34:99")
fi

GUEST_MAC=52:54:00:12:34:56
# The NIC sits on the root complex; ROOT_PORT=1 puts it behind a PCIe root port, whose AER
# service handles the errors that the guest's aer_inject module reports for the NIC.
# ROOT_PORT_SPEED (GT/s, QEMU's x-speed: 2_5, 5, 8, 16...; default 16) is the port's link
# speed. The kernel waits for a port faster than 5 GT/s to report its link active again
# after it reset the link, which QEMU's port never does: a fatal error is then never
# recovered. At 5 GT/s or less it waits 100 ms and asks the device, which answers.
nic=(-device "igb,netdev=n0,mac=$GUEST_MAC")
[ "$ROOT_PORT" = 1 ] &&
	nic=(-device "pcie-root-port,id=rp0,chassis=1${ROOT_PORT_SPEED:+,x-speed=$ROOT_PORT_SPEED}"
	     -device "igb,netdev=n0,mac=$GUEST_MAC,bus=rp0")
# no_timer_check: under TCG on a busy host, the kernel's boot-time check of the IO-APIC
# timer can miss its ticks and panic ("IO-APIC + timer doesn't work"); the emulated timer
# works, only the check's timing is off.
qemu=(qemu-system-x86_64 -accel "$accel_opt" -cpu "$cpu" -machine q35 -smp "$smp" -m "$mem"
	-nodefaults -no-reboot -display none
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 loglevel=5 panic=-1 rdinit=/init no_timer_check"
	-netdev "socket,id=n0,udp=127.0.0.1:$tx_port,localaddr=127.0.0.1:$rx_port"
	"${nic[@]}"
	"${mgmt_net[@]}"
	-virtfs "local,path=$out,mount_tag=rxs,security_model=none,id=rxs")

if [ "$interactive" = 1 ]; then
	exec "${qemu[@]}" -serial mon:stdio
fi

# QEMU's socket netdev reads its UDP socket with the default receive buffer (about 208 KiB,
# a dozen jumbo frames), which overflows on the host whenever QEMU stalls. The buffer size
# is taken when QEMU creates the socket: raise the default just for that moment.
RCVBUF=4194304
old_rmem=$(cat /proc/sys/net/core/rmem_default 2>/dev/null || echo "")
raised=0
if [ -n "$old_rmem" ] && [ "$old_rmem" -lt "$RCVBUF" ] &&
   echo "$RCVBUF" > /proc/sys/net/core/rmem_default 2>/dev/null; then
	raised=1
fi

start=$(date +%s%N)
"${qemu[@]}" -serial "file:$out/console.log" "${monitor[@]}" &
qpid=$!

if [ "$raised" = 1 ]; then
	for _ in $(seq 50); do
		ss -Hlun "sport = :$rx_port" 2>/dev/null | grep -q . && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	echo "$old_rmem" > /proc/sys/net/core/rmem_default
fi

hpid=
if [ -f "$sdir/host.sh" ]; then
	(
		export OUT=$out RXGEN=$top/build/rxgen QEMU_RX=127.0.0.1:$rx_port QEMU_MONITOR=$mon_addr
		export QEMU_MGMT=$mgmt_addr
		export GUEST_MAC GUEST_IP=198.18.0.2 TOP=$top
		for kv in "${params[@]}"; do export "${kv?}"; done
		set +e
		bash -c '. "$1" && . "$2"' host-part "$top/tests/vm/host-lib.sh" "$sdir/host.sh" \
			> "$out/host.log" 2>&1
		echo $? > "$out/host-status"
		: > "$out/host-done"
	) &
	hpid=$!
fi

timed_out=0
deadline=$(( $(date +%s) + timeout ))
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		timed_out=1
		kill "$qpid" 2>/dev/null || true
		sleep 1
		kill -9 "$qpid" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
wait "$qpid" 2>/dev/null || true
elapsed=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
if [ -n "$hpid" ]; then
	# The host part gets a moment to notice the guest is gone, then is stopped.
	for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$hpid" 2>/dev/null || break; sleep 0.5; done
	pkill -P "$hpid" 2>/dev/null || true
	kill "$hpid" 2>/dev/null || true
	wait "$hpid" 2>/dev/null || true
fi

fail=()
status=$(cat "$out/status" 2>/dev/null || echo none)
if [ "$timed_out" = 1 ]; then
	fail+=("scenario timed out after ${timeout}s")
elif [ "$status" = none ] || [ "$status" = running ]; then
	fail+=("guest stopped before the scenario finished (status: $status)")
elif [ "$status" != 0 ]; then
	fail+=("scenario exited $status")
fi
if [ -f "$sdir/host.sh" ]; then
	hs=$(cat "$out/host-status" 2>/dev/null || echo none)
	[ "$hs" = 0 ] || fail+=("host part exited $hs")
fi

# Kernel splats, in the console and in the guest's dmesg.
splat_re='WARNING:|BUG:|Oops|kernel BUG|general protection fault|Call Trace:|KASAN|UBSAN|soft lockup|hard LOCKUP|rcu.*stall|hung_task|blocked for more than|Kernel panic|Tainted: '
for f in "$out/console.log" "$out/dmesg.txt"; do
	[ -f "$f" ] || continue
	if grep -qE "$splat_re" "$f"; then
		fail+=("kernel splat in $(basename "$f"): $(grep -m1 -E "$splat_re" "$f")")
		break
	fi
done
# Taint: only O (out-of-tree, 4096) and E (unsigned, 8192) are expected.
if [ -f "$out/tainted" ]; then
	t=$(cat "$out/tainted")
	if [ $(( t & ~(4096 | 8192) )) -ne 0 ]; then
		fail+=("kernel tainted with unexpected flags (mask $t)")
	fi
fi
bad_taint=$(grep -hE 'taints kernel|tainting kernel' "$out/console.log" "$out/dmesg.txt" 2>/dev/null |
	grep -vE 'out-of-tree module taints kernel|module verification failed: signature and/or required key missing' |
	head -n 1 || true)
[ -n "$bad_taint" ] && fail+=("unexpected taint: $bad_taint")

boot=$(grep -ho 'boot to scenario [0-9.]* s' "$out/boot-time" 2>/dev/null | grep -oE '[0-9.]+' || echo '?')
if [ ${#fail[@]} -eq 0 ]; then
	printf '%s: %s passed (%s, boot %s s, %s s in all)\n' "$prog" "$name" "$accel" "$boot" "$elapsed"
	exit 0
fi
printf '%s: %s FAILED (%s, %s s):\n' "$prog" "$name" "$accel" "$elapsed" >&2
printf '  - %s\n' "${fail[@]}" >&2
for f in guest.log host.log; do
	[ -s "$out/$f" ] && { echo "--- $f (last 30 lines)" >&2; tail -n 30 "$out/$f" >&2; }
done
[ -s "$out/console.log" ] && { echo "--- console.log (last 20 lines)" >&2; tail -n 20 "$out/console.log" >&2; }
[ "$timed_out" = 1 ] && exit 124
exit 1
