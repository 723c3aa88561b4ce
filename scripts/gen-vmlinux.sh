#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerates vmlinux/<arch>/vmlinux.h from the guest kernel's BTF and records its origin.
# Usage: gen-vmlinux.sh BTF_SOURCE KVER OUTDIR
#   BTF_SOURCE is an ELF with a .BTF section (the headers package's vmlinux) or raw BTF
#   (a guest's /sys/kernel/btf/vmlinux).
set -euo pipefail
src=${1:?BTF source}; kver=${2:?kernel version}; out=${3:?output dir}
[ -r "$src" ] || { echo "vmlinux: cannot read BTF source $src (run make deps)" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp "$out/.vmlinux.h.XXXXXX")
trap 'rm -f "$tmp"' EXIT
bpftool btf dump file "$src" format c > "$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out/vmlinux.h"
trap - EXIT
cat > "$out/SOURCE" <<EOS
vmlinux.h was generated from the BTF of Debian's linux kernel $kver:
  bpftool btf dump file $src format c > vmlinux.h
Regenerate with: make vmlinux
EOS
echo "vmlinux: wrote $out/vmlinux.h from $src ($kver)"
