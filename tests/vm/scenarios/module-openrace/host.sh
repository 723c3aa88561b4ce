# When the guest asks (cable-off), pulls the cable; when it asks again (cable-on), plugs it
# back in. Each step answers with a file of the same name plus "-done".
wait_for() { # wait_for FILE: the guest's go-ahead for the next step
	for _ in $(seq 1800); do [ -e "$OUT/$1" ] && return 0; sleep 0.1; done
	echo "FAIL: the guest never wrote $1"
	return 1
}
wait_for cable-off || exit 1
rxs_host_monitor set_link n0 off || exit 1
: > "$OUT/cable-off-done"
wait_for cable-on || exit 1
rxs_host_monitor set_link n0 on || exit 1
: > "$OUT/cable-on-done"
