# Helpers for the tracer scenarios: read numbers out of a recording (rxscope record's JSON,
# schema rxscope/1, docs/format.md) with jq, and out of /proc/interrupts.
#
# A value that is not in the recording is an error, never 0 or "": a helper that cannot
# find what it is asked for (a missing key or stage, null, a string where a number belongs,
# no value or several) says so on stderr, prints "none" and returns 1. The comparisons
# below (num_ge, at_least, within) and the shell's own [ -eq ], [ -ge ] ... fail on "none",
# so the check that used the value fails. Compare numbers with those, never with [ = ],
# and never do $(( )) arithmetic on a helper's output before is_int has accepted it.

# What the queries share: num (this value must be a number), stage($s) (the one stage named
# $s), cpu_sum(f) (f, a number in every CPU's entry, summed over the CPUs).
RXS_JQ_DEFS='
def num: if type == "number" then . else error("not a number: \(tojson)") end;
def stage($s): [.stages[] | select(.name == $s)] |
	if length == 1 then .[0] else error("stage \($s): \(length) entries in .stages") end;
def cpu_sum(f): [.cpus[] | f | num] |
	if length > 0 then add else error("no CPU entries") end;
'

# is_int V: V is a non-negative integer.
is_int() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
}

# jq_val TYPE FILE FILTER [JQ OPTIONS]: the one value of TYPE (number, string, boolean) that
# FILTER yields on FILE; a number is rounded down to an integer.
jq_val() {
	local type=$1 file=$2 filter=$3 v
	shift 3
	if v=$(jq -r "$@" "$RXS_JQ_DEFS [$filter] |
		if length != 1 then error(\"\(length) values\")
		elif (.[0] | type) != \"$type\" then error(\"\(.[0] | tojson) is not a $type\")
		elif \"$type\" == \"number\" then .[0] | floor else .[0] end" "$file") &&
	   { [ "$type" != number ] || is_int "$v"; }; then
		echo "$v"
		return 0
	fi
	echo "tracer-lib: $file: no $type at '$filter' $*" >&2
	echo none
	return 1
}

# rec_int FILE FILTER [JQ OPTIONS]: the integer FILTER yields on the recording FILE.
rec_int() { jq_val number "$@"; }

# stage_count REC STAGE: the stage's number of events (hist.count).
stage_count() { rec_int "$1" 'stage($s).hist.count' --arg s "$2"; }

# stage_q REC STAGE Q: quantile Q of the stage (p50, p90, p99, p99.9 from its summary, or
# max from its histogram), in its unit (ns), rounded down.
stage_q() {
	case $3 in
	max) rec_int "$1" 'stage($s).hist.max' --arg s "$2" ;;
	*) rec_int "$1" 'stage($s).summary[$q]' --arg s "$2" --arg q "$3" ;;
	esac
}

# stage_available REC STAGE: the stage's "available" is true.
stage_available() {
	[ "$(jq_val boolean "$1" 'stage($s).available' --arg s "$2")" = true ]
}

# stage_nonempty REC STAGE: the stage is available and counted at least one event.
stage_nonempty() {
	stage_available "$1" "$2" && num_ge "$(stage_count "$1" "$2")" 1
}

# stage_unavailable REC STAGE: the stage's "available" is false and its hook "".
stage_unavailable() {
	local h
	[ "$(jq_val boolean "$1" 'stage($s).available' --arg s "$2")" = false ] &&
		h=$(jq_val string "$1" 'stage($s).hook' --arg s "$2") && [ -z "$h" ]
}

# stage_hook_has REC STAGE TEXT: the stage's hook contains TEXT.
stage_hook_has() {
	local h
	h=$(jq_val string "$1" 'stage($s).hook' --arg s "$2") || return 1
	case $h in *"$3"*) return 0 ;; esac
	echo "tracer-lib: stage $2: hook '$h' has no '$3'" >&2
	return 1
}

# cpu_sum REC COUNTER: a BPF counter of the CPU entries (hardirqs, polls, unmatched ...),
# summed over the CPUs.
cpu_sum() { rec_int "$1" 'cpu_sum(.bpf[$k])' --arg k "$2"; }

# funnel REC: the five funnel counts summed over the CPUs (gro, netif_receive, ip_rcv,
# udp_queue, socket), space separated; "none" in place of any that is missing.
funnel() {
	local k out=
	for k in gro netif_receive ip_rcv udp_queue socket; do
		out="$out $(rec_int "$1" 'cpu_sum(.bpf.funnel[$k])' --arg k "$k")"
	done
	echo $out
}

# unmatched REC: events without a matching start, summed over the CPUs.
unmatched() { cpu_sum "$1" unmatched; }

# num_ge A B, num_le A B: both are integers and A >= B (A <= B).
num_ge() { is_int "$1" && is_int "$2" && [ "$1" -ge "$2" ]; }
num_le() { is_int "$1" && is_int "$2" && [ "$1" -le "$2" ]; }

# irq_delta BEFORE AFTER DEV: interrupts of DEV's queue vectors ("DEV-TxRx-N") between the
# two /proc/interrupts snapshots.
irq_delta() {
	awk -v dev="$3" '
		FNR == 1 { file++; ncpu = NF; next }
		{
			name = $NF
			if (index(name, dev "-") != 1) next
			s = 0
			for (i = 2; i <= ncpu + 1; i++) s += $i
			if (file == 1) before[$1] = s; else after[$1] = s
		}
		END { for (k in after) d += after[k] - before[k]; print d + 0 }' "$1" "$2"
}

# within A B PCT: both are integers and |A - B| <= PCT% of B (and at least 2).
within() {
	is_int "$1" && is_int "$2" || return 1
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; lim = b * p / 100; if (lim < 2) lim = 2
		exit !(d <= lim) }'
}
