#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs everything rxscope needs on Debian 12 (bookworm), idempotently:
# the bookworm-backports apt source, the toolchain and libraries, QEMU, and the pinned
# guest kernel (headers installed as the module build tree, image extracted into .cache/)
# and the rest of the guest kernel matrix (images only: Debian 12's 6.1, Debian 11's 5.10
# and the newest amd64 kernel Debian offers, the last two through a private apt
# configuration in .cache/apt/ that leaves the host's sources alone).
# A second run checks what is there, does no work and takes well under 5 s.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache"
# shellcheck source=../versions.env
. "$top/versions.env"

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

BPO_SOURCE=/etc/apt/sources.list.d/bookworm-backports.sources

# Packages from bookworm (priority 500) and from bookworm-backports.
BASE_PKGS=(make gcc clang llvm libelf-dev zlib1g-dev libzstd-dev pahole libjson-c-dev
	   libcmocka-dev busybox-static cpio tcpdump iproute2 ethtool kmod xz-utils zstd nftables
	   ca-certificates curl libxml2-utils chromium fonts-dejavu-core
	   python3 jq perl)
BPO_PKGS=(qemu-system-x86 libbpf-dev bpftool)

have_pkg() {
	dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

pkg_version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true
}

# --- fast path: everything present? -------------------------------------------------
kernel_env="$cache/guest-kernel.env"
fast_ok() {
	[ -f "$BPO_SOURCE" ] || grep -rqs bookworm-backports /etc/apt/sources.list \
		/etc/apt/sources.list.d/ || return 1
	local p
	for p in "${BASE_PKGS[@]}" "${BPO_PKGS[@]}"; do
		have_pkg "$p" || return 1
	done
	[ "$(pkg_version libelf-dev)" = "$LIBELF_VERSION" ] || return 1
	[ -f "$kernel_env" ] || return 1
	# shellcheck disable=SC1090
	. "$kernel_env"
	have_pkg "linux-headers-$KVER" || return 1
	have_pkg "linux-headers-${OLDER_KVER:-none}" || return 1
	[ -f "/usr/src/linux-headers-${OLDER_KVER:-none}/vmlinux" ] || return 1
	local k
	for k in "$KVER" "${OLDER_KVER:-none}" "${OLDEST_KVER:-none}" "${NEWEST_KVER:-none}"; do
		[ -f "$cache/guest/$k/vmlinuz" ] || return 1
		[ -f "$cache/guest/$k/lib/modules/$k/modules.dep" ] || return 1
	done
	[ -x "$cache/bin/promtool" ] || return 1
	[ -x "$cache/bin/prometheus" ] || return 1
	[ -f "$cache/checkpatch/checkpatch.pl" ] || return 1
	return 0
}

if fast_ok; then
	say "all dependencies present (guest kernels $KVER, $OLDER_KVER, $OLDEST_KVER, $NEWEST_KVER)"
	exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root to install packages (try: sudo make deps)"
command -v apt-get >/dev/null || die "apt-get not found: rxscope's set-up needs Debian 12"

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$cache"
APT_OPTS=(-y -q --no-install-recommends -o Dpkg::Use-Pty=0)

# --- bookworm-backports --------------------------------------------------------------
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	say "adding the bookworm-backports apt source ($BPO_SOURCE)"
	cat > "$BPO_SOURCE" <<'EOS'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi

say "apt-get update"
apt-get update -q -o Dpkg::Use-Pty=0 >/dev/null

# Exact pinned version if the mirror still has it, else the suite's newest (said aloud).
pick() {
	local pkg=$1 want=$2
	if apt-cache show "$pkg=$want" >/dev/null 2>&1; then
		echo "$pkg=$want"
	else
		say "warning: $pkg $want is gone from the mirror; using backports' newest" >&2
		echo "$pkg/bookworm-backports"
	fi
}

# --- toolchain, libraries, QEMU ------------------------------------------------------
say "installing packages from bookworm"
# --allow-downgrades: puts libelf back to 0.188 if something pulled 0.192 from backports.
apt-get install "${APT_OPTS[@]}" --allow-downgrades "${BASE_PKGS[@]}" \
	"libelf-dev=$LIBELF_VERSION" "libelf1=$LIBELF_VERSION" "libdw1=$LIBELF_VERSION" >/dev/null
say "installing packages from bookworm-backports"
# -t: their dependencies (qemu-system-common, libbpf1...) come from backports too; libelf is
# named at bookworm's version in the same command so that it stays there.
apt-get install "${APT_OPTS[@]}" --allow-downgrades -t bookworm-backports \
	"$(pick qemu-system-x86 "$QEMU_VERSION")" \
	"$(pick libbpf-dev "$LIBBPF_VERSION")" \
	"$(pick bpftool "$BPFTOOL_VERSION")" \
	"libelf-dev=$LIBELF_VERSION" "libelf1=$LIBELF_VERSION" "libdw1=$LIBELF_VERSION" >/dev/null

# --- guest kernel: pinned headers/image pair, or the newest pair both present ----------
KVER=$GUEST_KVER
if ! apt-cache show "linux-headers-$KVER" >/dev/null 2>&1 ||
   ! apt-cache show "linux-image-$KVER" >/dev/null 2>&1; then
	KVER=$(apt-cache pkgnames linux-headers-6.12. | grep -E '^linux-headers-6\.12\.[0-9]+\+deb12[.0-9]*-amd64$' |
		sed 's/^linux-headers-//' | sort -V | while read -r v; do
			apt-cache show "linux-image-$v" >/dev/null 2>&1 && echo "$v"
		done | tail -n 1)
	[ -n "$KVER" ] || die "no linux-headers/linux-image 6.12 amd64 pair found on the mirror"
	say "warning: pinned guest kernel $GUEST_KVER is gone from the mirror; using $KVER"
fi

say "installing linux-headers-$KVER (the module build tree)"
# The headers package pulls in the image package; this machine never boots it, so skip
# building an initramfs for it (INITRD=No is honoured by Debian's kernel hooks).
INITRD=No apt-get install "${APT_OPTS[@]}" "linux-headers-$KVER" >/dev/null

# fetch_image KVER: the vmlinuz and in-tree modules of linux-image-KVER, extracted into
# .cache/guest/KVER/ (downloaded with apt-get download, never installed).
fetch_image() {
	local kv=$1 gdir="$cache/guest/$1" tmp deb
	if [ ! -f "$gdir/vmlinuz" ] || [ ! -d "$gdir/lib/modules/$kv" ]; then
		say "downloading linux-image-$kv for the guest"
		mkdir -p "$cache"
		tmp=$(mktemp -d "$cache/dl.XXXXXX")
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$kv" >/dev/null)
		deb=$(ls "$tmp"/linux-image-*.deb)
		mkdir -p "$tmp/x"
		dpkg-deb -x "$deb" "$tmp/x"
		rm -rf "$gdir"
		mkdir -p "$gdir/lib"
		cp "$tmp/x/boot/vmlinuz-$kv" "$gdir/vmlinuz"
		cp "$tmp/x/boot/config-$kv" "$gdir/config" 2>/dev/null || true
		mv "$tmp/x/lib/modules" "$gdir/lib/modules" 2>/dev/null ||
			mv "$tmp/x/usr/lib/modules" "$gdir/lib/modules"
		rm -rf "$tmp"
	fi
	# The package leaves modules.dep to its postinst; the guest's modprobe needs it.
	if [ ! -f "$gdir/lib/modules/$kv/modules.dep" ]; then
		depmod -b "$gdir" "$kv"
	fi
}
fetch_image "$KVER"

# --- the older guest kernel (Debian 12's 6.1): image only ------------------------------
OLDER_KVER=$OLDER_GUEST_KVER
if ! apt-cache show "linux-image-$OLDER_KVER" >/dev/null 2>&1; then
	OLDER_KVER=$(apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' |
		sed 's/^linux-image-//' | sort -V | tail -n 1)
	[ -n "$OLDER_KVER" ] || die "no linux-image-6.1.0-N-amd64 found on the mirror"
	say "warning: older guest kernel $OLDER_GUEST_KVER is gone from the mirror; using $OLDER_KVER"
fi
fetch_image "$OLDER_KVER"
# Its headers (bookworm's own package, no image): our module is built for it too.
if ! have_pkg "linux-headers-$OLDER_KVER"; then
	say "installing linux-headers-$OLDER_KVER (the module build tree for the older kernel)"
	apt-get install "${APT_OPTS[@]}" "linux-headers-$OLDER_KVER" >/dev/null
fi
# Unlike 6.12's, 6.1's headers lack the vmlinux whose BTF kbuild needs to give a module BTF
# (and the tracer fentry on its functions): take it out of the guest's vmlinuz (xz).
older_vmlinux=/usr/src/linux-headers-$OLDER_KVER/vmlinux
if [ ! -f "$older_vmlinux" ]; then
	say "extracting vmlinux (for its BTF) from linux-image-$OLDER_KVER into $older_vmlinux"
	img=$cache/guest/$OLDER_KVER/vmlinuz
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$img" | cut -d: -f1); do
		tail -c +$((off + 1)) "$img" | xz -dcq > "$older_vmlinux.tmp" 2>/dev/null || true
		[ "$(head -c 4 "$older_vmlinux.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] && break
	done
	readelf -S "$older_vmlinux.tmp" 2>/dev/null | grep -q '\.BTF' ||
		die "no vmlinux with BTF found in $img"
	mv "$older_vmlinux.tmp" "$older_vmlinux"
fi

# --- the other suites' kernels, through a private apt configuration ------------------------
# Debian 11's 5.10 (bullseye, bullseye-security) and the newest amd64 kernel (trixie-backports,
# sid). Their package lists live in .cache/apt/ and are read with -o options: the host's
# sources and package set stay as they are, and nothing from these suites is installed.
papt="$cache/apt"
mkdir -p "$papt/lists/partial" "$papt/cache/archives/partial" "$papt/none"
cat > "$papt/sources.list.tmp" <<'EOS'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bullseye main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bullseye-security main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
EOS
mv "$papt/sources.list.tmp" "$papt/sources.list"
PAPT=(-o "Dir::Etc::sourcelist=$papt/sources.list" -o "Dir::Etc::sourceparts=$papt/none"
      -o "Dir::State::Lists=$papt/lists" -o "Dir::Cache=$papt/cache"
      -o Dir::Etc::preferences=/dev/null -o "Dir::Etc::preferencesparts=$papt/none")
say "apt-get update (private: bullseye, trixie-backports, sid)"
apt-get "${PAPT[@]}" update -q -o Dpkg::Use-Pty=0 >/dev/null
papt_has() { apt-cache "${PAPT[@]}" show "$1" >/dev/null 2>&1; }

# fetch_debs KVER PKG...: extract the vmlinuz and modules of these packages (downloaded
# with the private configuration, never installed) into .cache/guest/KVER/.
fetch_debs() {
	local kv=$1 gdir="$cache/guest/$1" tmp d v
	shift
	if [ ! -f "$gdir/vmlinuz" ] || [ ! -d "$gdir/lib/modules/$kv" ]; then
		say "downloading $* for the guest"
		tmp=$(mktemp -d "$cache/dl.XXXXXX")
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get "${PAPT[@]}" download -q -o APT::Sandbox::User=root "$@" >/dev/null)
		mkdir -p "$tmp/x"
		for d in "$tmp"/*.deb; do
			dpkg-deb -x "$d" "$tmp/x"
		done
		rm -rf "$gdir"
		mkdir -p "$gdir/lib"
		for v in "$tmp/x/boot/vmlinuz-$kv" "$tmp/x/usr/lib/modules/$kv/vmlinuz" \
			 "$tmp/x/usr/lib/modules/$kv/vmlinuz.unsigned"; do
			[ -f "$v" ] && { cp "$v" "$gdir/vmlinuz"; break; }
		done
		[ -f "$gdir/vmlinuz" ] || die "no vmlinuz in $*"
		cp "$tmp/x/boot/config-$kv" "$gdir/config" 2>/dev/null ||
			cp "$tmp/x/usr/lib/modules/$kv/config" "$gdir/config" 2>/dev/null || true
		if [ -d "$tmp/x/lib/modules" ]; then
			mv "$tmp/x/lib/modules" "$gdir/lib/modules"
		else
			mv "$tmp/x/usr/lib/modules" "$gdir/lib/modules"
		fi
		rm -f "$gdir/lib/modules/$kv/vmlinuz" "$gdir/lib/modules/$kv/vmlinuz.unsigned"
		rm -rf "$tmp"
	fi
	[ -f "$gdir/lib/modules/$kv/modules.dep" ] || depmod -b "$gdir" "$kv"
}

# Debian 11's 5.10: the pinned image, else the newest linux-image-5.10.0-N-amd64.
OLDEST_KVER=$OLDEST_GUEST_KVER
if ! papt_has "linux-image-$OLDEST_KVER"; then
	OLDEST_KVER=$(apt-cache "${PAPT[@]}" pkgnames linux-image-5.10.0- |
		grep -E '^linux-image-5\.10\.0-[0-9]+-amd64$' | sed 's/^linux-image-//' | sort -V | tail -n 1)
	[ -n "$OLDEST_KVER" ] || die "no linux-image-5.10.0-N-amd64 found in bullseye"
	say "warning: guest kernel $OLDEST_GUEST_KVER is gone from the mirror; using $OLDEST_KVER"
fi
fetch_debs "$OLDEST_KVER" "linux-image-$OLDEST_KVER"

# The newest kernel: the pinned one, else the highest amd64 version of trixie-backports and
# sid. From 7.x on, the image is split: linux-binary(-unsigned) holds the vmlinuz,
# linux-modules the modules, linux-base modules.builtin (which the initramfs needs).
NEWEST_KVER=$NEWEST_GUEST_KVER
if ! papt_has "linux-image-$NEWEST_KVER"; then
	NEWEST_KVER=$(apt-cache "${PAPT[@]}" pkgnames linux-image- |
		grep -E '^linux-image-[0-9]+\.[0-9]+(\.[0-9]+)?(-[0-9]+)?(\+deb[0-9]+)?-amd64$' |
		sed 's/^linux-image-//' | sort -V | tail -n 1)
	[ -n "$NEWEST_KVER" ] || die "no amd64 kernel image found in trixie-backports or sid"
	say "warning: guest kernel $NEWEST_GUEST_KVER is gone from the mirror; using $NEWEST_KVER"
fi
if papt_has "linux-binary-unsigned-$NEWEST_KVER"; then
	fetch_debs "$NEWEST_KVER" "linux-binary-unsigned-$NEWEST_KVER" \
		"linux-modules-$NEWEST_KVER" "linux-base-$NEWEST_KVER"
else
	fetch_debs "$NEWEST_KVER" "linux-image-$NEWEST_KVER"
fi

# promtool checks our Prometheus exposition output, and the Prometheus server scrapes
# `rxscope serve` in the tests. Both come from Debian's prometheus package, extracted
# alone: installing the package would also set up and start a system-wide server.
if [ ! -x "$cache/bin/promtool" ] || [ ! -x "$cache/bin/prometheus" ]; then
	say "extracting promtool and prometheus from Debian's prometheus package"
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$(apt-cache show "prometheus=$PROMTOOL_VERSION" >/dev/null 2>&1 && echo "prometheus=$PROMTOOL_VERSION" || echo prometheus)" >/dev/null)
	dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
	mkdir -p "$cache/bin"
	for b in promtool prometheus; do
		cp "$tmp/x/usr/bin/$b" "$cache/bin/$b.tmp"
		mv "$cache/bin/$b.tmp" "$cache/bin/$b"
	done
	rm -rf "$tmp"
fi

# checkpatch.pl (`make checkpatch`, tests/host/checkpatch.sh) with the spelling and const
# struct lists it reads from its own directory, out of bookworm's kernel source package
# (downloaded, never installed; 150 MB, about 10 s to pick the three files out).
if [ ! -f "$cache/checkpatch/checkpatch.pl" ]; then
	say "extracting checkpatch.pl from Debian's linux-source-6.12 package"
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root linux-source-6.12 >/dev/null)
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc |
		tar -x -C "$tmp" --strip-components=2 linux-source-6.12/scripts/checkpatch.pl \
			linux-source-6.12/scripts/spelling.txt \
			linux-source-6.12/scripts/const_structs.checkpatch
	rm -rf "$cache/checkpatch.tmp"
	mkdir -p "$cache/checkpatch.tmp"
	mv "$tmp/checkpatch.pl" "$tmp/spelling.txt" "$tmp/const_structs.checkpatch" \
		"$cache/checkpatch.tmp/"
	rm -rf "$cache/checkpatch" "$tmp"
	mv "$cache/checkpatch.tmp" "$cache/checkpatch"
fi

mkdir -p "$cache"
printf 'KVER=%s\nOLDER_KVER=%s\nOLDEST_KVER=%s\nNEWEST_KVER=%s\n' "$KVER" "$OLDER_KVER" \
	"$OLDEST_KVER" "$NEWEST_KVER" > "$kernel_env.tmp"
mv "$kernel_env.tmp" "$kernel_env"
say "done (guest kernels $KVER, $OLDER_KVER, $OLDEST_KVER and $NEWEST_KVER)"
