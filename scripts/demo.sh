#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boots the VM, sends traffic, and prints what rxscope saw.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/results/demo
echo "demo: booting the guest and sending 20,000 UDP frames (takes about a minute under TCG)"
bash "$top/tests/vm/run-vm.sh" demo "$@"
rc=$?
echo
echo "== driver: $(cat "$out/driver" 2>/dev/null)"
grep -E '^(received|lost|bad_payload|rate_pps)=' "$out/sink.txt" 2>/dev/null | sed 's/^/   socket: /'
echo
echo "== rxscope report $out/demo.json"
cat "$out/report.txt" 2>/dev/null
echo
if [ -f "$out/demo.json" ]; then
	"$top/build/rxscope" report "$out/demo.json" --format html -o "$out/report.html" || rc=1
fi
echo "demo: files in $out (demo.json, trace.txt, report.txt, guest.log, dmesg.txt)"
[ -f "$out/report.html" ] && echo "demo: open $out/report.html in a browser"
exit $rc
