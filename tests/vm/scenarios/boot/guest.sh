# Boots, checks the guest's basics: the igb NIC is on the PCI bus, modules load, the
# results folder is writable.
rxs_check "kernel is $(uname -r)" test -n "$(uname -r)"
rxs_check "an 8086:10c9 device is on the PCI bus" grep -q '808610c9' /proc/bus/pci/devices
rxs_check "igb loads and binds" sh -c 'modprobe igb && sleep 1 && ls /sys/bus/pci/drivers/igb | grep -q :'
uname -r > "$RESULTS/uname"
rxs_done
