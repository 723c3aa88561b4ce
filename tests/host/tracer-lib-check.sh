#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tracer-lib-check.sh - the tracer scenarios' readers of a recording
# (tests/vm/scenarios/tracer-rx/tracer-lib.sh) under the guest's shell, busybox sh, on a
# real VM recording (tests/unit/data/recording-before-series.json): each gives the value
# that the file holds, and fails, printing "none", when the value is missing, null, not a
# number, or the stage is missing or listed twice, or the file is not JSON; the
# comparisons the scenarios use refuse "none". About 1 s.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIB=$ROOT/tests/vm/scenarios/tracer-rx/tracer-lib.sh
DATA=$ROOT/tests/unit/data/recording-before-series.json
TMP=$(mktemp -d /tmp/rxs-tracer-lib.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
REC=$TMP/rec.json	# a copy: the readers write their values file beside it

for t in busybox jq; do
	command -v "$t" > /dev/null || { fail "prerequisite: $t is not installed (make deps)"; finish; }
done
cp "$DATA" "$REC" || { fail "prerequisite: $DATA missing"; finish; }

# gsh COMMAND: COMMAND under busybox sh with the library sourced; its stdout, then
# "status N" on a line of its own
gsh() { busybox sh -c ". '$LIB'; $1; echo status \$?" 2> /dev/null; }

# value WHAT COMMAND [WANT]: COMMAND prints WANT (or nothing) and succeeds
value() { expect "$1" "$(gsh "$2" | tr '\n' ' ')" "${3:+$3 }status 0 "; }
# refused WHAT COMMAND: COMMAND prints none (or nothing) and fails
refused() {
	local got
	got=$(gsh "$2" | tr '\n' ' ')
	case $got in
	'none status '[1-9]* | 'status '[1-9]*) pass "$1 is refused ($got)" ;;
	*) fail "$1: got '$got', want 'none' and a non-zero status" ;;
	esac
}

# --- the values of a real recording (numbers from the file, read here with python3) ------
want() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$REC"; }
value "stage_count gro" "stage_count '$REC' gro" \
	"$(want '[s for s in d["stages"] if s["name"] == "gro"][0]["hist"]["count"]')"
value "stage_q total p50 (rounded down)" "stage_q '$REC' total p50" \
	"$(want 'int([s for s in d["stages"] if s["name"] == "total"][0]["summary"]["p50"])')"
value "stage_q total p99.9" "stage_q '$REC' total p99.9" \
	"$(want 'int([s for s in d["stages"] if s["name"] == "total"][0]["summary"]["p99.9"])')"
value "stage_q irq_to_rx max" "stage_q '$REC' irq_to_rx max" \
	"$(want '[s for s in d["stages"] if s["name"] == "irq_to_rx"][0]["hist"]["max"]')"
value "cpu_sum hardirqs" "cpu_sum '$REC' hardirqs" \
	"$(want 'sum(c["bpf"]["hardirqs"] for c in d["cpus"])')"
value "unmatched" "unmatched '$REC'" "$(want 'sum(c["bpf"]["unmatched"] for c in d["cpus"])')"
value "funnel" "funnel '$REC'" "$(want '" ".join(str(sum(c["bpf"]["funnel"][k] for c in d["cpus"]))
	for k in ("gro", "netif_receive", "ip_rcv", "udp_queue", "socket"))')"
value "stage_nonempty socket" "stage_nonempty '$REC' socket"
value "stage_hook_has irq_to_rx fentry:rxscope_igb_msix_ring" \
	"stage_hook_has '$REC' irq_to_rx fentry:rxscope_igb_msix_ring"
refused "stage_hook_has irq_to_rx kprobe:" "stage_hook_has '$REC' irq_to_rx kprobe:"
refused "stage_unavailable of an available stage" "stage_unavailable '$REC' gro"

# --- what is not in the file fails --------------------------------------------------------
# mutated NAME JQ-FILTER: a copy of the recording changed by JQ-FILTER, as $TMP/NAME.json
mutated() { jq "$2" "$REC" > "$TMP/$1.json" || fail "jq could not make $1.json"; }
refused "rec_int sample_pct, absent from this older recording (not read as 100)" \
	"rec_int '$REC' sample_pct"
mutated no-unmatched 'del(.cpus[0].bpf.unmatched)'
refused "unmatched, missing from one CPU" "unmatched '$TMP/no-unmatched.json'"
mutated null-hardirqs '.cpus[0].bpf.hardirqs = null'
refused "cpu_sum hardirqs, null on one CPU" "cpu_sum '$TMP/null-hardirqs.json' hardirqs"
mutated no-cpus '.cpus = []'
refused "cpu_sum polls without CPU entries" "cpu_sum '$TMP/no-cpus.json' polls"
mutated no-gro 'del(.stages[] | select(.name == "gro"))'
refused "stage_count of a missing stage" "stage_count '$TMP/no-gro.json' gro"
refused "stage_nonempty of a missing stage" "stage_nonempty '$TMP/no-gro.json' gro"
refused "stage_unavailable of a missing stage" "stage_unavailable '$TMP/no-gro.json' gro"
mutated two-hardirq '.stages += [.stages[0]]'
refused "stage_count of a stage listed twice" "stage_count '$TMP/two-hardirq.json' hardirq"
mutated str-count '(.stages[] | select(.name == "socket") | .hist.count) |= tostring'
refused "stage_count that is a string" "stage_count '$TMP/str-count.json' socket"
mutated no-summary 'del(.stages[] | select(.name == "total") | .summary)'
refused "stage_q p50 without a summary" "stage_q '$TMP/no-summary.json' total p50"
mutated str-avail '(.stages[] | select(.name == "gro") | .available) = "yes"'
refused "stage_nonempty whose available is not a boolean" \
	"stage_nonempty '$TMP/str-avail.json' gro"
mutated unavail '(.stages[] | select(.name == "gro")) |= (.available = false | .hook = "")'
value "stage_unavailable of an unavailable stage" "stage_unavailable '$TMP/unavail.json' gro"
refused "stage_nonempty of an unavailable stage" "stage_nonempty '$TMP/unavail.json' gro"
mutated no-ip-rcv 'del(.cpus[0].bpf.funnel.ip_rcv)'
value "funnel with ip_rcv missing" "funnel '$TMP/no-ip-rcv.json'" "4000 4000 none 4000 4000"
mutated drops '.drops = [{"reason": 2, "name": "NO_SOCKET", "count": 5}]'
value "rec_int drop NO_SOCKET" "rec_int '$TMP/drops.json' 'drop NO_SOCKET'" 5
refused "rec_int of a drop reason not seen" "rec_int '$TMP/drops.json' 'drop NETFILTER_DROP'"
refused "cpu_sum tapped_pkts, absent from this older recording (not read as 0)" \
	"cpu_sum '$REC' tapped_pkts"
echo '{"schema": "rxscope/1", "stages": [' > "$TMP/cut.json"
refused "stage_count in a file cut short" "stage_count '$TMP/cut.json' gro"
refused "[ -eq ] on the missing funnel step" \
	"set -- \$(funnel '$TMP/no-ip-rcv.json'); [ \"\$3\" -eq 4000 ] && echo compared"

# --- the comparisons refuse what is not a number ------------------------------------------
refused "num_ge none 1" "num_ge none 1"
refused "num_le '' 4" "num_le '' 4"
refused "within none 0 5" "within none 0 5"
refused "is_int -1" "is_int -1"
value "num_ge 5 5" "num_ge 5 5"
value "within 98 100 5" "within 98 100 5"
finish
