# Open racing the link: the driver is loaded and the interface set up after delays from 0
# to 1 s, so that the PHY's autonegotiation (restarted by the probe) completes before,
# during or after the open. Every time, the carrier must match the link within 3 s: up
# with the cable in, down with the cable pulled, and up again within 3 s of plugging it
# back in while the interface is up. The race is a window of a few instructions between
# reading the link and setting the carrier from that reading; inject_link_delay_ms widens
# it to LINK_DELAY_MS (a link change in that window must still reach the carrier).
DELAYS=${DELAYS:-"0 0.05 0.1 0.2 0.3 0.45 0.6 1"}
LINK_DELAY_MS=${LINK_DELAY_MS:-500}

carrier_is() { # carrier_is IF 0|1: within 3 s
	local n=30
	while [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" != "$2" ]; do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 100000
	done
}
load_up() { # load_up DELAY: insmod, wait DELAY, set the interface up; prints its name
	local n=100 ifc
	insmod /lib/modules/rxscope_igb.ko inject_link_delay_ms="$LINK_DELAY_MS" || return 1
	while ! ifc=$(rxs_netdev rxscope_igb); do
		n=$((n - 1)); [ "$n" -le 0 ] && return 1
		usleep 10000
	done
	sleep "$1"
	ip link set "$ifc" up || return 1
	echo "$ifc"
}

bad=0 runs=0
for d in $DELAYS; do
	runs=$((runs + 1))
	if ifc=$(load_up "$d") && carrier_is "$ifc" 1; then
		:
	else
		bad=$((bad + 1))
		rxs_log "delay $d: carrier $(cat /sys/class/net/$ifc/carrier 2>/dev/null), expected 1"
	fi
	rmmod rxscope_igb
done
rxs_check "cable in: carrier up within 3 s in all $runs opens ($bad failed)" [ "$bad" = 0 ]

: > "$RESULTS/cable-off"
rxs_check "the host pulled the cable" rxs_wait_file "$RESULTS/cable-off-done" 60
bad=0 runs=0
for d in 0 0.3; do
	runs=$((runs + 1))
	ifc=$(load_up "$d") || bad=$((bad + 1))
	sleep 1
	[ "$(cat "/sys/class/net/$ifc/carrier" 2>/dev/null)" = 0 ] || bad=$((bad + 1))
	[ "$runs" = 2 ] || rmmod rxscope_igb
done
rxs_check "cable out: carrier stays down ($bad failed)" [ "$bad" = 0 ]
: > "$RESULTS/cable-on"
rxs_check "the host plugged the cable back in" rxs_wait_file "$RESULTS/cable-on-done" 60
rxs_check "carrier comes up within 3 s" carrier_is "$ifc" 1
rxs_done
