# Pulls the guest's cable FLAPS times (QEMU monitor set_link) while the guest transmits at
# full rate, then leaves it plugged in.
FLAPS=${FLAPS:-4}
rxs_host_wait_ready || exit 1
for _ in $(seq "$FLAPS"); do
	rxs_host_monitor set_link n0 off > /dev/null || exit 1
	sleep 0.4
	rxs_host_monitor set_link n0 on > /dev/null || exit 1
	sleep 0.6
done
echo "pulled the cable $FLAPS times"
