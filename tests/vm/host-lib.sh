# SPDX-License-Identifier: GPL-2.0
# Helpers for scenarios' host.sh, sourced by run-vm.sh before the host part runs.
# Environment: OUT (the results folder), RXGEN, QEMU_RX, GUEST_MAC, GUEST_IP, TOP, and
# QEMU_MONITOR (host:port of QEMU's monitor, for scenarios with MONITOR=1).

# rxs_host_wait_ready [SECONDS]: waits until the guest created $OUT/ready (default 120 s);
# prints a FAIL: line and returns 1 if it never did.
rxs_host_wait_ready() {
	local n=$((${1:-120} * 10))
	while [ ! -e "$OUT/ready" ]; do
		n=$((n - 1))
		if [ "$n" -le 0 ]; then
			echo "FAIL: the guest never became ready"
			return 1
		fi
		sleep 0.1
	done
}

# rxs_host_monitor COMMAND...: runs one QEMU monitor command (the scenario needs MONITOR=1)
# and prints its reply; returns 1 when there is no monitor or the reply is an error.
rxs_host_monitor() {
	local fd line reply= n=0
	if [ -z "${QEMU_MONITOR:-}" ]; then
		echo "FAIL: no QEMU monitor (set MONITOR=1 in the scenario's scenario.conf)"
		return 1
	fi
	exec {fd}<> "/dev/tcp/${QEMU_MONITOR%:*}/${QEMU_MONITOR##*:}" || return 1
	printf '%s\n' "$*" >&"$fd"
	# the banner, the echo of the command and its reply, until a second of silence
	while [ "$n" -lt 50 ] && IFS= read -r -t 1 line <&"$fd"; do
		reply+=${line//$'\r'/}$'\n'
		n=$((n + 1))
	done
	exec {fd}>&-
	# drop the monitor's line editor echo (escape sequences) and bare prompts
	reply=$(printf '%s' "$reply" | grep -v $'\e' | sed '/^(qemu) *$/d')
	printf 'monitor: %s\n%s\n' "$*" "$reply" | sed 's/^/  /'
	! printf '%s' "$reply" | grep -qiE 'error|unknown command|invalid'
}
