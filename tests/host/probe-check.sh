#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# probe-check.sh - `rxscope probe` on the host kernel must report what this kernel really
# offers: fentry only when bpftool can load and attach a fentry program, kprobes
# only when the kprobe PMU or tracefs kprobe_events exists, the tracepoint hooks when their
# tracepoints exist, and the stages that follow from that. Prints PASS:/FAIL: per check.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RXSCOPE=${RXSCOPE:-$ROOT/build/rxscope}

[ "$(id -u)" -eq 0 ] || { fail "prerequisite: must run as root"; finish; }
[ -x "$RXSCOPE" ] || { fail "prerequisite: $RXSCOPE is not built"; finish; }
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

out=$("$RXSCOPE" probe 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
expect "rxscope probe exit status" "$rc" 0

# What the kernel really offers, found independently of rxscope.
tfs=/sys/kernel/tracing
if [ -e /sys/bus/event_source/devices/kprobe/type ] || [ -e $tfs/kprobe_events ]; then
	want_kprobe=yes
else
	want_kprobe=no
fi
# fentry: compile an empty fentry program with clang and load and attach it with bpftool
# (a loader that is not ours). The kernel config is not enough: a kernel may have
# ftrace direct calls and still refuse BPF trampolines.
want_fentry=
tmp=$(mktemp -d /tmp/rxs-probe-check.XXXXXX)
trap 'rm -rf "$tmp" /sys/fs/bpf/rxs-probe-check-$$' EXIT
if command -v clang > /dev/null && command -v bpftool > /dev/null; then
	cat > "$tmp/f.bpf.c" <<'BPF'
typedef unsigned long long u64;
__attribute__((section("fentry/ip_rcv"), used)) int rxs_check_fentry(u64 *ctx) { return 0; }
char LICENSE[] __attribute__((section("license"), used)) = "GPL";
BPF
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	if clang -O2 -g -target bpf -c "$tmp/f.bpf.c" -o "$tmp/f.o"; then
		if bpftool prog loadall "$tmp/f.o" /sys/fs/bpf/rxs-probe-check-$$ autoattach \
			> "$tmp/bpftool.log" 2>&1; then
			want_fentry=yes
		else
			want_fentry=no
		fi
		rm -rf /sys/fs/bpf/rxs-probe-check-$$
	fi
fi

head=$(echo "$out" | head -n 1)
got_kprobe=$(echo "$head" | sed -n 's/.*kprobe \([a-z]*\).*/\1/p')
got_fentry=$(echo "$head" | sed -n 's/.*fentry \([a-z]*\).*/\1/p')
got_btf=$(echo "$head" | sed -n 's/.*btf \([a-z]*\),.*/\1/p')
expect "kprobe support matches the kernel" "$got_kprobe" "$want_kprobe"
if [ -n "$want_fentry" ]; then
	expect "fentry support matches the kernel config" "$got_fentry" "$want_fentry"
else
	echo "note: no clang/bpftool to check fentry support independently"
fi
want_btf=no; [ -r /sys/kernel/btf/vmlinux ] && want_btf=yes
expect "BTF support matches /sys/kernel/btf/vmlinux" "$got_btf" "$want_btf"

# point ROW: the probe table row of a hook point, "fentry kprobe tp_btf raw_tp IN-USE".
point() { echo "$out" | awk -v p="$1" '$1 == p { print $2, $3, $4, $5, $6; exit }'; }
stage() { echo "$out" | awk -v s="$1" 'f && $1 == s { print $2; exit } $1 == "STAGE" { f = 1 }'; }

# Tracepoint-backed points: offered exactly when the tracepoint exists.
for pair in softirq:irq/softirq_raise poll_exit:napi/napi_poll \
	    gro:net/napi_gro_receive_entry netif_receive_skb:net/netif_receive_skb \
	    skb_free:skb/kfree_skb; do
	p=${pair%%:*} tp=${pair#*:}
	row=$(point "$p")
	if [ -d "$tfs/events/$tp" ]; then
		set -- $row
		expect "$p: raw_tp offered (tracepoint $tp exists)" "$4" yes
		case "$5" in
		tp_btf:* | raw_tp:* | fentry:* | kprobe:*) pass "$p: in use ($5)" ;;
		*) fail "$p: not in use although $tp exists ($5)" ;;
		esac
	else
		set -- $row
		expect "$p: no raw_tp without tracepoint $tp" "$4" no
	fi
done

# Function-only points: a flavour is offered exactly when the kernel has it and has one of
# the point's functions (kallsyms for kprobe, vmlinux BTF for fentry); the point is in use
# with the flavour marked yes*, or unavailable when neither is offered. Every point makes
# these checks whatever the kernel offers.
fentry_ok=${want_fentry:-$got_fentry}
btf_funcs=
[ "$fentry_ok" = yes ] && command -v bpftool > /dev/null &&
	btf_funcs=$(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null |
		    sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p")
if [ "$fentry_ok" = yes ] && [ -z "$btf_funcs" ]; then
	fail "prerequisite: no function list from vmlinux BTF (bpftool btf dump)"
	fentry_ok=unknown
fi
has_ksym() { grep -qE "^[0-9a-f]+ [tT] $1\$" /proc/kallsyms; }
has_btf_func() { echo "$btf_funcs" | grep -qx "$1"; }
for pair in ip_rcv:ip_rcv_core,ip_rcv udp_queue:udp_queue_rcv_skb,__udp_enqueue_schedule_skb \
	    sock_dequeue:__skb_recv_udp; do
	p=${pair%%:*} funcs=$(echo "${pair#*:}" | tr , ' ')
	want_kp=no want_fen=no
	for fn in $funcs; do
		[ "$want_kprobe" = yes ] && has_ksym "$fn" && want_kp=yes
		[ "$fentry_ok" = yes ] && has_btf_func "$fn" && want_fen=yes
	done
	[ "$fentry_ok" = unknown ] && want_fen=unknown
	row=$(point "$p")
	[ -n "$row" ] || { fail "$p: no row in the probe table"; continue; }
	set -- $row
	expect "$p: kprobe offered" "${2%\*}" "$want_kp"
	expect "$p: fentry offered" "${1%\*}" "$want_fen"
	# the flavour marked yes* is the one in use
	case "$1 $2" in
	'yes* '*) want_use=fentry: ;;
	*' yes*') want_use=kprobe: ;;
	'no no') want_use=unavailable ;;
	*) want_use='a flavour marked yes*' ;;
	esac
	case "$5" in
	fexit:*) got_use=fentry: ;;
	kretprobe:*) got_use=kprobe: ;;
	*:*) got_use=${5%%:*}: ;;
	*) got_use=$5 ;;
	esac
	expect "$p: hook in use ($5) is the flavour marked yes*" "$got_use" "$want_use"
done

# Stages: the tracepoint ones are available, the function-only ones follow the kernel.
for s in irq_to_softirq irq_to_softirq_inline irq_to_softirq_ksoftirqd poll_pkts gro; do
	h=$(stage "$s")
	case "$h" in
	unavailable | "") fail "stage $s: unavailable on a kernel with tracepoints" ;;
	*) pass "stage $s: $h" ;;
	esac
done
# The stages between two function-only points (l2_to_ip starts at a tracepoint): available
# exactly when both ends are in use.
for t in l2_to_ip:netif_receive_skb,ip_rcv ip_to_udp:ip_rcv,udp_queue \
	 socket:udp_queue,sock_dequeue; do
	s=${t%%:*} ends=${t#*:}
	set -- $(point "${ends%,*}") && a=${5:-unavailable}
	set -- $(point "${ends#*,}") && b=${5:-unavailable}
	h=$(stage "$s")
	if [ "$a" != unavailable ] && [ "$b" != unavailable ]; then
		case "$h" in
		unavailable | "") fail "stage $s: '$h' although ${ends%,*} and ${ends#*,} are in use" ;;
		*) pass "stage $s: $h (${ends%,*} and ${ends#*,} in use)" ;;
		esac
	else
		expect "stage $s without ${ends%,*} or ${ends#*,}" "$h" unavailable
	fi
done
if [ "$got_fentry" = no ] && [ "$got_kprobe" = no ]; then
	for s in softirq_to_poll poll total irq_to_rx hardirq; do
		expect "stage $s without fentry/kprobe" "$(stage "$s")" unavailable
	done
fi
finish
