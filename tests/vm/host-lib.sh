# SPDX-License-Identifier: GPL-2.0
# Helpers for scenarios' host.sh, sourced by run-vm.sh before the host part runs.
# Environment: OUT (the results folder), RXGEN, QEMU_RX, GUEST_MAC, GUEST_IP, TOP.

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
