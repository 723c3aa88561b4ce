# A fatal PCIe error that the kernel cannot recover from. aer_inject reports an
# uncorrectable fatal error (a malformed TLP) of the NIC to its root port (ROOT_PORT=1, at
# QEMU's default 16 GT/s). The AER core calls the driver's error_detected (channel frozen),
# resets the link through the root port and waits for the port to report the link active
# again, which QEMU's port never does: "device recovery failed", and neither slot_reset nor
# resume is called (6.12 does not call error_detected with a permanent failure afterwards
# either). The driver must be left in a clean state: the interface detached (it cannot be
# set up again), the device disabled, none of its interrupts left, and rmmod must work
# without a splat. Then the PCI core enumerates the device again (remove, rescan): it
# probes and gets its link back, so nothing of the old binding was left behind.
irqs() { grep -c "$ifc" /proc/interrupts; }

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
bdf=$(basename "$(readlink "/sys/class/net/$ifc/device")")
rxs_log "$ifc at $bdf, $(irqs) interrupt lines"
rxs_check "aer_inject loaded" modprobe aer_inject
# malformed TLP, bit 18: fatal by default
rxs_check "aer_inject took a malformed TLP of $bdf" rxs_aer_inject "$bdf" $((1 << 18))
rxs_wait_aer 0 10
dmesg | grep -E 'AER|pcieport|rxscope_igb' > "$RESULTS/aer-log.txt"
rxs_check "the AER core saw a fatal error" sh -c "dmesg | grep -q 'Uncorrectable (Fatal) error message received'"
rxs_check "and could not recover the device (QEMU's root port link stays inactive)" \
	sh -c "dmesg | grep -q 'AER: device recovery failed'"
rxs_check "the carrier is off" [ "$(cat "/sys/class/net/$ifc/carrier" 2>/dev/null)" != 1 ]
ip link set "$ifc" down
rxs_check "the interface is detached: setting it up fails with ENODEV" \
	sh -c "ip link set $ifc up 2>&1 | grep -q 'No such device'"
rxs_check "the device is disabled" [ "$(cat "/sys/bus/pci/devices/$bdf/enable")" = 0 ]
rxs_check "none of its interrupts is left ($(irqs) lines)" [ "$(irqs)" = 0 ]
rxs_check "rmmod works" rmmod rxscope_igb
rxs_check "the driver is unbound" [ ! -e "/sys/bus/pci/devices/$bdf/driver" ]
# enumerate the device again: the PCI core assigns its BARs afresh (the link reset lost them)
echo 1 > "/sys/bus/pci/devices/$bdf/remove"
echo 1 > /sys/bus/pci/rescan
ifc=$(rxs_up rxscope_igb)
rxs_check "after remove and rescan, rxscope_igb probes and gets its link (${ifc:-none})" [ -n "$ifc" ]
rxs_done
