#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the guest's initramfs: busybox, our static binaries, our module, the in-tree modules
# the scenarios need (decompressed, with a modules.dep for busybox modprobe), a few Debian
# tools with their shared libraries (ethtool, iproute2's ip, bpftool, jq), /init and the
# scenario.
#
# Usage: mkinitramfs.sh --kver KVER --moddir DIR --scenario DIR --out FILE [--module KO]
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver= moddir= scenario= out= module= params=
while [ $# -gt 0 ]; do
	case $1 in
	--kver) kver=$2; shift 2 ;;
	--moddir) moddir=$2; shift 2 ;;
	--scenario) scenario=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--params) params=$2; shift 2 ;;
	*) echo "mkinitramfs: unknown option $1" >&2; exit 2 ;;
	esac
done
for v in kver moddir scenario out; do
	[ -n "${!v}" ] || { echo "mkinitramfs: --$v is required" >&2; exit 2; }
done
[ -d "$moddir/lib/modules/$kver" ] ||
	{ echo "mkinitramfs: no modules for $kver under $moddir (run make deps)" >&2; exit 2; }

# In-tree modules the scenarios may load; dependencies are resolved from modules.dep.
# virtio_pci (the transport 9p's device sits on) is built into 6.12 and a module in 6.1.
# virtio_net drives the management NIC of run-vm.sh --mgmt-net; aer_inject reports made-up
# PCIe errors to the AER service of a root port (scenario.conf ROOT_PORT=1); netconsole
# sends the kernel log through netpoll, which polls a driver's NAPI with budget 0.
WANT_MODS=(igb 9p 9pnet_virtio virtio_pci virtio_net aer_inject netconsole)
# Modules taken when the kernel has them: nf_tables (whose libcrc32c needs a crc32c
# provider) and numgen, for the netfilter checks.
OPT_MODS=(crc32c_generic nf_tables nft_numgen)
# Host programs copied in with their libraries (busybox lacks ethtool and ip's statistics;
# bpftool counts BPF programs, links and maps; nft loads rules; tcpdump is a packet tap;
# jq reads the recordings).
HOST_PROGS=(/usr/sbin/ethtool /usr/bin/ip /usr/sbin/tc /usr/sbin/bpftool /usr/sbin/nft
	    /usr/bin/tcpdump /usr/bin/jq)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,results,scenario,lib/rxs,etc}
mkdir -p "$root/lib/modules/$kver"

cp /usr/bin/busybox "$root/bin/busybox"
for app in $(/usr/bin/busybox --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done

# Static binaries of ours.
for b in rxscope rxsink; do
	[ -x "$top/build/$b" ] && cp "$top/build/$b" "$root/bin/$b"
done
[ -n "$module" ] && cp "$module" "$root/lib/modules/rxscope_igb.ko"

# In-tree modules: the wanted ones plus their dependencies, decompressed.
mdir="$moddir/lib/modules/$kver"
declare -A seen=()
: > "$root/lib/modules/$kver/modules.dep"
add_mod() {
	local name=$1 line path deps d
	line=$(grep -E "/${name//-/[-_]}\.ko(\.xz|\.zst)?:" "$mdir/modules.dep" | head -n 1) || true
	if [ -z "$line" ]; then
		grep -qE "/${name//-/[-_]}\.ko\$" "$mdir/modules.builtin" 2>/dev/null && return 0
		echo "mkinitramfs: module $name not found" >&2
		exit 2
	fi
	path=${line%%:*}
	[ -n "${seen[$path]:-}" ] && return 0
	seen[$path]=1
	deps=${line#*:}
	for d in $deps; do
		d=${d##*/}; d=${d%%.ko*}
		add_mod "$d"
	done
	mkdir -p "$root/lib/modules/$kver/$(dirname "$path")"
	case $path in
	*.xz) xz -dc "$mdir/$path" > "$root/lib/modules/$kver/${path%.xz}" ;;
	*.zst) zstd -qdc "$mdir/$path" > "$root/lib/modules/$kver/${path%.zst}" ;;
	*) cp "$mdir/$path" "$root/lib/modules/$kver/$path" ;;
	esac
	echo "$line" | sed -E 's/\.ko\.(xz|zst)/.ko/g' >> "$root/lib/modules/$kver/modules.dep"
}
for m in "${WANT_MODS[@]}"; do
	add_mod "$m"
done
for m in "${OPT_MODS[@]}"; do
	grep -qE "/${m}\.ko(\.xz|\.zst)?:" "$mdir/modules.dep" && add_mod "$m"
done
cp "$mdir/modules.builtin" "$root/lib/modules/$kver/" 2>/dev/null || true

# Host programs and the shared libraries they need.
for p in "${HOST_PROGS[@]}"; do
	[ -x "$p" ] || continue
	cp "$p" "$root/usr/sbin/$(basename "$p")"
	for lib in $(ldd "$p" | grep -oE '/[^ ]+'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
# The full ip and ethtool win over busybox's applets.
ln -sf /usr/sbin/ip "$root/sbin/ip"
ln -sf /usr/sbin/ip "$root/bin/ip"

cp "$top/tests/vm/init" "$root/init"
chmod 755 "$root/init"
cp "$top/tests/vm/guest-lib.sh" "$root/lib/rxs/guest-lib.sh"
cp -rL "$scenario"/. "$root/scenario/"
[ -n "$params" ] && cp "$params" "$root/scenario/params.env"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
