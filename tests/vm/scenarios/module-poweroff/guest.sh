# `poweroff -f` while receiving: the kernel calls the driver's .shutdown, which must stop
# the datapath and the device's DMA with no splat. The scenario leaves its own results
# (status, dmesg, taint) and powers off in the middle of the host's traffic; the host part
# then finds the driver's shutdown line on the console (printk level raised to show it).
ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
rxsink --port 9000 --timeout 60 --out /tmp/sink.txt > /dev/null 2>&1 &
rxs_ready
sleep 3
got=$(rxs_et_sum "$ifc" 'rx_queue_[0-9]+_packets')
rxs_check "traffic is flowing ($got frames)" [ "$got" -gt 500 ]
echo 7 > /proc/sys/kernel/printk
dmesg > /results/dmesg.txt
cat /proc/sys/kernel/tainted > /results/tainted
rxs_done
echo $? > /results/status
echo "rxs: power-off under traffic" > /dev/console
sync
poweroff -f
sleep 30
