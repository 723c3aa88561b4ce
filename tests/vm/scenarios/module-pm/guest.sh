# A PCI function reset, a PCIe error and a suspend with resume, with the interface up:
# - reset: `echo 1 > /sys/bus/pci/devices/BDF/reset` (a function-level reset), which calls
#   the driver's reset_prepare and reset_done;
# - PCIe error: aer_inject reports an uncorrectable non-fatal error (completion time-out)
#   of the NIC to the AER service of its root port (ROOT_PORT=1), which runs the driver's
#   error_detected, slot_reset and resume;
# - a fatal PCIe error (a malformed TLP): the same handlers, with a reset of the link through
#   the root port in between, which resets the NIC (its registers and its PCI configuration);
# - suspend: a real system suspend to idle that the kernel's PM test mode stops at the
#   platform level (pm_test=platform): every device goes through its suspend, suspend_late
#   and noirq steps and back (the PCI core puts ours into D3hot), with no wake-up source
#   to program.
# Each time the driver must take the interface down and up again (the carrier goes off and
# on), and then COUNT datagrams arrive with zero loss; the runner fails the run on any WARN,
# BUG or oops. The results folder does not survive a suspend (9p's virtio transport cannot
# be frozen), so the scenario leaves its status there before it suspends, and from then on
# prints its checks and its request for traffic on the console, which the host part reads.
COUNT=${COUNT:-1000}

changes() { cat "/sys/class/net/$ifc/carrier_changes"; }
recovered() { dmesg | grep -c 'AER: device recovery successful'; }
say() { echo "rxs-pm: $*" > /dev/console; }
round() { # round NAME OUT: COUNT datagrams into rxsink; the host sends on $RESULTS/NAME
	# (with NAME empty: on a line on the console)
	local sink
	rm -f /tmp/sink.ready
	rxsink --ready-file /tmp/sink.ready --port 9000 --count "$COUNT" --idle 3 --timeout 60 \
		--out "$2" > /tmp/sink.log 2>&1 &
	sink=$!
	rxs_wait_file /tmp/sink.ready 20
	if [ -n "$1" ]; then : > "$RESULTS/$1"; else say "send resume"; fi
	wait "$sink"
}
# back_up WHAT NAME ERR: after WHAT (c0: the carrier changes before it), the carrier is back,
# the driver took the interface down and up, and a round NAME gets all COUNT datagrams
# after ERR.
back_up() {
	rxs_check "the carrier is up after the $1" rxs_wait_carrier "$ifc" 10
	rxs_check "the driver took the interface down and up ($c0 -> $(changes) carrier changes)" \
		[ "$(changes)" -ge $((c0 + 2)) ]
	round "want-$2" "$RESULTS/sink-$2.txt"
	got=$(rxs_val received "$RESULTS/sink-$2.txt")
	rxs_check "after the $3 all $COUNT datagrams arrived (${got:-none})" [ "${got:-0}" = "$COUNT" ]
}

ifc=$(rxs_up rxscope_igb) || { echo "FAIL: rxscope_igb did not come up"; exit 1; }
bdf=$(basename "$(readlink "/sys/class/net/$ifc/device")")
rxs_log "$ifc at $bdf; reset methods: $(cat "/sys/bus/pci/devices/$bdf/reset_method" 2>&1)"

# function-level reset
c0=$(changes)
rxs_check "the PCI function reset returned" sh -c "echo 1 > /sys/bus/pci/devices/$bdf/reset"
back_up reset reset "reset"

# an uncorrectable non-fatal PCIe error: completion time-out, bit 14
c0=$(changes)
rxs_check "aer_inject loaded" modprobe aer_inject
rxs_check "aer_inject took a completion time-out of $bdf" rxs_aer_inject "$bdf" $((1 << 14))
rxs_wait_aer 0 5
rxs_check "the AER core recovered the device" sh -c "dmesg | grep -q 'AER: device recovery successful'"
back_up recovery aer "error"

# an uncorrectable fatal PCIe error: a malformed TLP, bit 18. The AER core resets the link
# through the root port, which resets the NIC (ROOT_PORT_SPEED=5: see run-vm.sh).
c0=$(changes)
ok0=$(recovered)
n0=$(dmesg | grep -c 'AER: device recovery')
rxs_check "aer_inject took a malformed TLP of $bdf" rxs_aer_inject "$bdf" $((1 << 18))
rxs_wait_aer "$n0" 10
dmesg | grep -E 'AER|pcieport|rxscope_igb' > "$RESULTS/aer-log.txt"
rxs_check "the AER core saw a fatal error" sh -c "dmesg | grep -q 'Uncorrectable (Fatal) error message received'"
rxs_check "it reset the link through the root port" \
	sh -c "dmesg | grep -q 'AER: Root Port link has been reset (0)'"
rxs_check "and recovered the device after the driver's slot_reset and resume" \
	[ "$(recovered)" -gt "$ok0" ]
rxs_check "the driver restarted ('PCI error: recovered' logged twice)" \
	[ "$(dmesg | grep -c 'PCI error: recovered, datapath restarted')" -ge 2 ]
back_up recovery fatal "fatal error"

# suspend to idle and resume: from here on, the console
rxs_check "the kernel offers pm_test=platform" grep -qw platform /sys/power/pm_test
rxs_done
echo $? > /results/status
dmesg > /results/dmesg.txt
cat /proc/sys/kernel/tainted > /results/tainted
sync

check() { # check DESCRIPTION COMMAND...: a check whose PASS/FAIL goes to the console
	local what=$1
	shift
	if "$@"; then say "PASS: $what"; else say "FAIL: $what"; fi
}
[ -w /sys/module/suspend/parameters/pm_test_delay ] &&
	echo 1 > /sys/module/suspend/parameters/pm_test_delay
echo 7 > /proc/sys/kernel/printk	# the PM core's progress on the console
c0=$(changes)
echo platform > /sys/power/pm_test
check "suspend to idle (pm_test=platform) returned" sh -c 'echo freeze > /sys/power/state'
echo none > /sys/power/pm_test
check "the kernel suspended and resumed the devices" sh -c "dmesg | grep -q 'PM: suspend exit'"
check "the carrier is up after the resume" rxs_wait_carrier "$ifc" 10
check "the driver took the interface down and up ($c0 -> $(changes) carrier changes)" \
	[ "$(changes)" -ge $((c0 + 2)) ]
round "" /tmp/sink-resume.txt
got=$(rxs_val received /tmp/sink-resume.txt)
check "after the resume all $COUNT datagrams arrived (${got:-none})" [ "${got:-0}" = "$COUNT" ]
say "done"
poweroff -f
sleep 30
