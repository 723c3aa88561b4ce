# Helpers for the tracer scenarios: read numbers out of a recording (rxscope record's JSON,
# schema rxscope/1, docs/format.md) with jq, and out of /proc/interrupts.
#
# A value that is not in the recording is an error, never 0 or "": a helper that cannot
# find what it is asked for (a missing key or stage, null, a string where a number belongs,
# a stage listed twice) says so on stderr, prints "none" and returns 1. The comparisons
# below (num_ge, num_le, within) and the shell's own [ -eq ], [ -ge ] ... fail on "none",
# so the check that used the value fails. Compare numbers with those, never with [ = ],
# and never do $(( )) arithmetic on a helper's output before is_int has accepted it.
#
# jq starts slowly in a TCG guest (a good part of a second on a busy host), so it runs
# once per recording: rec_vals writes every value the helpers read, or "none" in its
# place, to REC.vals, one "KEY VALUE" line each, and the helpers look them up there:
#   schema S, sample_pct N,
#   stage NAME count|max|p50|p90|p99|p99.9 N (quantiles rounded down), stage NAME
#   available true|false, stage NAME hook TEXT (empty when unavailable),
#   cpu COUNTER N (summed over the CPUs), funnel POINT N (summed over the CPUs),
#   drop REASON N (the kfree_skb reasons seen, by name: NO_SOCKET, NETFILTER_DROP ...).
RXS_JQ_VALS='
def n: if type == "number" then floor | tostring else "none" end;
def b: if type == "boolean" then tostring else "none" end;
def s: if type == "string" then . else "none" end;
def field(f; fmt): (try f catch null) | fmt;
def cpu_sum(f): [.cpus[]? | try f catch null] |
	if length > 0 and all(.[]; type == "number") then add | n else "none" end;
"schema \(field(.schema; s))",
"sample_pct \(field(.sample_pct; n))",
((if (.stages | type) == "array" then .stages else [] end) as $st |
 ($st | map(try .name catch null)) as $names |
 $st[] | select(type == "object" and (.name | type) == "string") |
 .name as $k | select([$names[] | select(. == $k)] | length == 1) |
 "stage \($k) count \(field(.hist.count; n))",
 "stage \($k) max \(field(.hist.max; n))",
 (("p50", "p90", "p99", "p99.9") as $q | "stage \($k) \($q) \(field(.summary[$q]; n))"),
 "stage \($k) available \(field(.available; b))",
 "stage \($k) hook \(field(.hook; s))"),
(("hardirqs", "netrx_raised", "netrx_runs_inline", "netrx_runs_ksoftirqd", "polls",
  "polls_budget_exhausted", "drops", "track_evictions", "unmatched", "tapped_pkts",
  "tap_deliveries") as $k |
 "cpu \($k) \(cpu_sum(.bpf[$k]))"),
(("gro", "netif_receive", "ip_rcv", "udp_queue", "socket") as $k |
 "funnel \($k) \(cpu_sum(.bpf.funnel[$k]))"),
(.drops[]? | select(type == "object" and (.name | type) == "string" and .name != "") |
 "drop \(.name) \(field(.count; n))")
'

# is_int V: V is a non-negative integer.
is_int() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
}

# rec_vals REC: the name of REC's values file, REC.vals, written by one jq run when it is
# missing or older than REC. Fails when jq cannot read REC.
rec_vals() {
	local v="$1.vals"
	if [ ! -f "$v" ] || [ "$1" -nt "$v" ]; then
		if ! jq -r "$RXS_JQ_VALS" "$1" > "$v.tmp"; then
			rm -f "$v.tmp"
			echo "tracer-lib: $1: jq cannot read it" >&2
			return 1
		fi
		mv "$v.tmp" "$v"
	fi
	echo "$v"
}

# rec_get REC KEY: the value of KEY (see above), which may be empty; "none", and status 1,
# when the recording does not have it.
rec_get() {
	local v
	v=$(rec_vals "$1") && v=$(awk -v k="$2" '
		substr($0, 1, length(k) + 1) == k " " { n++; v = substr($0, length(k) + 2) }
		END { if (n != 1 || v == "none") exit 1; print v }' "$v") && {
		echo "$v"
		return 0
	}
	echo "tracer-lib: $1: no $2" >&2
	echo none
	return 1
}

# rec_int REC KEY: the value of KEY, which must be a non-negative integer.
rec_int() {
	local v
	v=$(rec_get "$1" "$2") && is_int "$v" && { echo "$v"; return 0; }
	[ "$v" = none ] || echo "tracer-lib: $1: $2 is '$v', not a number" >&2
	echo none
	return 1
}

# stage_count REC STAGE: the stage's number of events (hist.count).
stage_count() { rec_int "$1" "stage $2 count"; }

# stage_q REC STAGE Q: quantile Q of the stage (p50, p90, p99, p99.9 from its summary, or
# max from its histogram), in its unit (ns), rounded down.
stage_q() { rec_int "$1" "stage $2 $3"; }

# stage_available REC STAGE: the stage's "available" is true.
stage_available() { [ "$(rec_get "$1" "stage $2 available")" = true ]; }

# stage_nonempty REC STAGE: the stage is available and counted at least one event.
stage_nonempty() {
	stage_available "$1" "$2" && num_ge "$(stage_count "$1" "$2")" 1
}

# stage_unavailable REC STAGE: the stage's "available" is false and its hook "".
stage_unavailable() {
	local h
	[ "$(rec_get "$1" "stage $2 available")" = false ] &&
		h=$(rec_get "$1" "stage $2 hook") && [ -z "$h" ]
}

# stage_hook_has REC STAGE TEXT: the stage's hook contains TEXT.
stage_hook_has() {
	local h
	h=$(rec_get "$1" "stage $2 hook") || return 1
	case $h in *"$3"*) return 0 ;; esac
	echo "tracer-lib: stage $2: hook '$h' has no '$3'" >&2
	return 1
}

# cpu_sum REC COUNTER: a BPF counter of the CPU entries (hardirqs, polls, unmatched ...),
# summed over the CPUs.
cpu_sum() { rec_int "$1" "cpu $2"; }

# funnel REC: the five funnel counts summed over the CPUs (gro, netif_receive, ip_rcv,
# udp_queue, socket), space separated; "none" in place of any that is missing.
funnel() {
	local k out=
	for k in gro netif_receive ip_rcv udp_queue socket; do
		out="$out $(rec_int "$1" "funnel $k")"
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
