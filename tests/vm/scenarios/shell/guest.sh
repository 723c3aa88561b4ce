# An interactive shell on the console (run-vm.sh --interactive shell). Exit it to power off.
echo "rxscope guest shell: 'rxs_up igb' or 'rxs_up rxscope_igb' brings the NIC up" > /dev/console
ENV=/lib/rxs/guest-lib.sh setsid cttyhack sh < /dev/console > /dev/console 2>&1
