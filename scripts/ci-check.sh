#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The ready-made receive-latency CI check (`make ci-check`): boots the guest kernel under
# QEMU with an igb NIC, loads rxscope_igb, sends a fixed traffic profile K times while
# `rxscope record` records each run (one boot, K recordings), and judges them with
# `rxscope compare`; it prints the verdict table and leaves the recordings, the comparison
# (text, JSON, JUnit, markdown), the machine's calibration and the guest's dmesg in an
# artifacts folder.
# --against OLD (the A/B check) records both sides in the same boot, in ABBA order (old,
# new, new, old, old, new, ...), and compares run pairs (docs/ci.md): OLD is the module the
# change replaces, "same" (the module against itself), or a setting of the old side
# (param:NAME=VALUE, sysctl:KEY=VALUE). When OLD is a kernel image, the sides alternate by
# boot instead (ABBA, K boots per side, one run per boot, each side with its own module).
# Without --against, the K runs are compared with a
# baseline directory, which is judged only when its calibration (a fixed CPU-bound loop
# timed in the guest) matches this machine's. --update-baseline records a new baseline
# instead; --plan records (or takes) a few runs and recommends K for this machine and
# profile.
# Exit status: 0 every judged stage ok (or baseline updated, or plan made), 1 a stage
# regressed, 2 bad input (options, profile, missing baseline/kernel/module/tools,
# recordings compare rejects), 3 the check could not run (the VM, the traffic or a
# recording failed), 4 none regressed but a judged stage is inconclusive (0 with
# --inconclusive ok).
set -euo pipefail

prog=ci-check
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
	cat <<EOF
usage: $prog [options]
  --kernel PATH        guest kernel to test (default: the pinned kernel that make deps set up)
  --module KO          rxscope_igb.ko built for that kernel (default: $top/module/rxscope_igb.ko)
  --driver NAME        rxscope_igb (default) or igb (the kernel's own driver; no --inject-ns)
  --profile NAME|FILE  traffic profile: a file, or NAME for tests/vm/profiles/NAME.profile
                       (default: default)
  --against OLD        A/B check in one boot, ABBA order, K runs per side, run pairs
                       compared: OLD is the old module (FILE.ko), "same" (this module
                       against itself), or a setting of the old side: param:NAME=VALUE
                       (rxscope_igb parameter) or sysctl:KEY=VALUE (repeatable).
                       OLD may also be the old kernel image (bzImage): then the sides
                       alternate by boot (ABBA, K boots per side, one run each), and a
                       FILE.ko given with it is the old side's module, built for that
                       kernel (default: --module, if both kernels take it)
  --set SETTING        a setting of the new side (param:NAME=VALUE or sysctl:KEY=VALUE;
                       repeatable; with --against)
  --baseline DIR       baseline recordings (default: tests/baselines/KVER/PROFILE)
  --calibration-tolerance X  how much faster or slower this machine may be than the
                       baseline's (default 1.5, i.e. within 1.5x either way)
  --artifacts DIR      where results go (default: results/ci-check)
  --update-baseline    record a new baseline into --baseline instead of comparing
  --plan               record K runs (default 6) instead of comparing, and print how many
                       runs per side each stage needs on this machine to be decided at
                       the profile's quantile and threshold (with --from-runs: from those)
  --from-runs DIR      boot nothing: take the recordings in DIR (*.json, DIR/calibration.txt
                       and DIR/dmesg.txt if there; with --against, DIR/old and DIR/new) as
                       this check's runs, e.g. to re-judge a CI run's artifacts/runs
                       with another threshold, or to promote them with --update-baseline
  --runs K             recordings per side (default: the profile's RUNS)
  --inject-ns N        set rxscope_igb's inject_poll_delay_ns to N during the runs (with
                       --against: the new side's runs; a test aid: a known poll slow-down)
  --max-regression P   allowed slow-down, e.g. 15% (default: the profile's MAX_REGRESSION)
  --quantile Q         p50, p90, p99 or p99.9 (default: the profile's QUANTILE)
  --stage LIST         judge only these stages (comma list; default: the profile's STAGES, or all)
  --inconclusive ok|fail  exit code when none regressed but a judged stage could not be
                       decided: fail (default, exit 4) or ok (exit 0)
  --smp N              guest CPUs (default: the profile's SMP)
  --timeout SEC        time limit of the VM run, or of each boot of a kernel A/B
                       (default: from the profile)
  -h, --help           this text
Exit status: 0 ok, 1 regression, 2 bad input, 3 the VM run or a recording failed,
4 inconclusive (see --inconclusive).
EOF
}
die() { echo "$prog: error: $*" >&2; exit 2; }
abspath() { # abspath PATH: absolute form of PATH (which need not exist yet)
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}
now() { date +%s.%N; }
# cal_ms FILE: the machine's calibration in FILE: the fastest of its calibration_ms=N lines
# (other load only ever adds time to the loop; empty if none).
cal_ms() {
	[ -f "$1" ] || return 0
	sed -n 's/^calibration_ms=\([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' "$1" | sort -n | head -n 1
}
# kimage_release FILE: the release of an x86 kernel image (bzImage): the first word of the
# version string its setup header points to; fails for anything else.
kimage_release() {
	local magic off
	[ -f "$1" ] && [ -r "$1" ] || return 1
	magic=$(dd if="$1" bs=1 skip=514 count=4 2> /dev/null | tr -d '\0')
	[ "$magic" = HdrS ] || return 1
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[[ $off =~ ^[0-9]+$ ]] && [ "$off" -gt 0 ] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=256 2> /dev/null | tr '\0' '\n' |
		awk 'NR == 1 && NF { print $1; ok = 1 } END { exit !ok }'
}
# ko_vermagic KO: the kernel release a module was built for (empty if it does not say).
ko_vermagic() {
	tr '\0' '\n' < "$1" | sed -n 's/^vermagic=\([^ ]*\).*/\1/p' | awk 'NR == 1'
}
# kver_of KERNEL: the release of KERNEL if make deps extracted that Debian kernel's in-tree
# modules into .cache/guest/ (the initramfs then carries its 9p and igb); else nothing.
kver_of() {
	local r
	r=$(kimage_release "$1") || return 0
	[ -d "$top/.cache/guest/$r/lib/modules/$r" ] && echo "$r"
	return 0
}
# match_module WHAT KERNEL KO: refuses a file that is not a built module (every module kbuild
# links has a vermagic) and a module built for another kernel than KERNEL.
match_module() {
	local kr mv
	mv=$(ko_vermagic "$3")
	[ -n "$mv" ] || die "$1: $3 has no vermagic: not a complete kernel module (rebuild it)"
	kr=$(kimage_release "$2") || return 0
	[ "$mv" = "$kr" ] ||
		die "$1: module $3 is built for $mv, but the kernel $2 is $kr: build rxscope_igb for that kernel (make module KDIR=..., docs/ci.md)"
}

t0=$(now)
kernel= module= driver=rxscope_igb profile=default baseline= artifacts= update=0
o_runs= inject=0 o_maxreg= o_quantile= o_stage= o_smp= o_timeout= from= do_plan=0 inconc=fail
against=() set_new=() caltol=1.5 old_kernel=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel|--module|--driver|--profile|--baseline|--artifacts|--runs|--inject-ns|\
	--max-regression|--quantile|--stage|--smp|--timeout|--from-runs|--inconclusive|\
	--against|--set|--calibration-tolerance)
		[ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"
		case $1 in
		--kernel) kernel=$(abspath "$2") ;;
		--module) module=$(abspath "$2") ;;
		--driver) driver=$2 ;;
		--profile) profile=$2 ;;
		--baseline) baseline=$(abspath "$2") ;;
		--artifacts) artifacts=$(abspath "$2") ;;
		--runs) o_runs=$2 ;;
		--inject-ns) inject=$2 ;;
		--max-regression) o_maxreg=$2 ;;
		--quantile) o_quantile=$2 ;;
		--stage) o_stage=$2 ;;
		--smp) o_smp=$2 ;;
		--timeout) o_timeout=$2 ;;
		--from-runs) from=$(abspath "$2") ;;
		--inconclusive) inconc=$2 ;;
		--against) against+=("$2") ;;
		--set) set_new+=("$2") ;;
		--calibration-tolerance) caltol=$2 ;;
		esac
		shift 2 ;;
	--update-baseline) update=1; shift ;;
	--plan) do_plan=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
done

# --- the profile ---------------------------------------------------------------------------
if [ -f "$profile" ] || [[ $profile == */* ]]; then
	pfile=$(abspath "$profile")
else
	[[ $profile =~ ^[A-Za-z0-9._-]+$ ]] || die "bad profile name '$profile'"
	pfile=$top/tests/vm/profiles/$profile.profile
fi
[ -f "$pfile" ] || die "profile $pfile not found (known: $(cd "$top/tests/vm/profiles" &&
	ls ./*.profile 2>/dev/null | sed 's|^\./||; s|\.profile$||' | tr '\n' ' '))"
pname=$(basename "$pfile" .profile)

# Defaults, then the profile's KEY=VALUE lines (read, never executed).
RATE=1000 FLOWS=4 PAYLOAD=64 DURATION=4 RUNS=10 WARMUP=2 PORT=9000 SMP=1
QUANTILE=p50 MAX_REGRESSION=15% STAGES=
n=0
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	line=${line%%#*}
	line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
	[ -z "$line" ] && continue
	[[ $line =~ ^([A-Z_]+)=(.*)$ ]] || die "$pfile:$n: not a KEY=VALUE line: '$line'"
	key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
	case $key in
	RATE|FLOWS|PAYLOAD|DURATION|RUNS|WARMUP|PORT|SMP)
		[[ $val =~ ^[0-9]+$ ]] || die "$pfile:$n: $key must be a whole number, not '$val'" ;;
	QUANTILE|MAX_REGRESSION|STAGES) ;;
	*) die "$pfile:$n: unknown key $key (known: RATE FLOWS PAYLOAD DURATION RUNS WARMUP PORT SMP QUANTILE MAX_REGRESSION STAGES)" ;;
	esac
	printf -v "$key" '%s' "$val"
done < "$pfile"
[ "$do_plan" = 1 ] && RUNS=6	# a plan's few runs; --runs overrides
RUNS=${o_runs:-$RUNS}
QUANTILE=${o_quantile:-$QUANTILE}
MAX_REGRESSION=${o_maxreg:-$MAX_REGRESSION}
STAGES=${o_stage:-$STAGES}
SMP=${o_smp:-$SMP}

isnum() { [[ $1 =~ ^[0-9]+$ ]]; }
isnum "$RUNS" && [ "$RUNS" -ge 1 ] && [ "$RUNS" -le 50 ] || die "--runs must be 1..50, not '$RUNS'"
isnum "$inject" && [ "$inject" -le 10000000 ] || die "--inject-ns must be 0..10000000, not '$inject'"
isnum "$SMP" && [ "$SMP" -ge 1 ] || die "--smp must be a positive number, not '$SMP'"
[ "$RATE" -ge 1 ] && [ "$DURATION" -ge 1 ] && [ "$FLOWS" -ge 1 ] ||
	die "$pfile: RATE, DURATION and FLOWS must be at least 1"
[[ $QUANTILE =~ ^p[0-9]{1,2}(\.[0-9]+)?$ && ${QUANTILE#p} != 0 ]] ||
	die "--quantile must look like p50, p90, p99 or p99.9, not '$QUANTILE'"
[[ $MAX_REGRESSION =~ ^[0-9]+(\.[0-9]+)?%?$ ]] || die "--max-regression must look like 15%, not '$MAX_REGRESSION'"
case $inconc in ok|fail) ;; *) die "--inconclusive must be ok or fail, not '$inconc'" ;; esac
[ "$do_plan" = 1 ] && [ "$update" = 1 ] && die "--plan and --update-baseline exclude each other"
[ "$do_plan" = 1 ] && [ "$RUNS" -lt 3 ] && die "--plan needs at least 3 runs to see their spread"
[ -z "${RXS_CAL_EVERY:-}" ] || { isnum "$RXS_CAL_EVERY" && [ "$RXS_CAL_EVERY" -ge 1 ]; } ||
	die "RXS_CAL_EVERY must be a number of runs (1 or more), not '$RXS_CAL_EVERY'"
[[ $caltol =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v t="$caltol" 'BEGIN { exit !(t > 1) }' ||
	die "--calibration-tolerance must be a factor above 1, e.g. 1.5, not '$caltol'"

# --- the A/B sides ----------------------------------------------------------------------------
# ab=1: an A/B check. old_ko: side a's module (empty: the same module); set_a, set_b: the
# sides' settings for the guest; inj_a, inj_b: their inject_poll_delay_ns.
ab=0 old_ko= set_a= set_b= inj_a=0 inj_b=$inject
# check_setting WHAT ITEM: a well-formed param:NAME=VALUE or sysctl:KEY=VALUE.
check_setting() {
	[[ $2 =~ ^param:[a-z0-9_]+=[A-Za-z0-9_.:-]+$ || $2 =~ ^sysctl:[a-z0-9_.-]+=[A-Za-z0-9_.:-]+$ ]] ||
		die "$1 '$2': a setting is param:NAME=VALUE or sysctl:KEY=VALUE (no spaces), or see --help"
}
if [ ${#against[@]} -gt 0 ]; then
	ab=1
	[ "$update" = 0 ] && [ "$do_plan" = 0 ] || die "--against compares two sides: it takes no --update-baseline or --plan"
	[ -z "$baseline" ] || die "--against compares two sides in one boot: it takes no --baseline"
	for x in "${against[@]}"; do
		case $x in
		same) ;;
		param:*|sysctl:*)
			check_setting --against "$x"
			if [[ $x == param:inject_poll_delay_ns=* ]]; then
				inj_a=${x#*=}
				isnum "$inj_a" && [ "$inj_a" -le 10000000 ] || die "--against $x: 0..10000000 ns"
			else
				set_a="$set_a $x"
			fi ;;
		*.ko)
			[ -z "$old_ko" ] || die "--against: one old module only"
			[ -f "$x" ] || die "--against: old module $x not found"
			old_ko=$(abspath "$x") ;;
		*)
			if kimage_release "$x" > /dev/null; then
				[ -z "$old_kernel" ] || die "--against: one old kernel only"
				old_kernel=$(abspath "$x")
			elif [ -f "$x" ]; then
				die "--against $x: neither a module (.ko) nor an x86 kernel image (bzImage)"
			else
				die "--against '$x': give the old module (FILE.ko), the old kernel image (bzImage), same, param:NAME=VALUE or sysctl:KEY=VALUE"
			fi ;;
		esac
	done
	for x in "${set_new[@]}"; do
		check_setting --set "$x"
		if [[ $x == param:inject_poll_delay_ns=* ]]; then
			inj_b=${x#*=}
			isnum "$inj_b" && [ "$inj_b" -le 10000000 ] || die "--set $x: 0..10000000 ns"
		else
			set_b="$set_b $x"
		fi
	done
	set_a=${set_a# } set_b=${set_b# }
	if [ "$driver" != rxscope_igb ]; then
		[[ "$set_a $set_b" != *param:* ]] && [ "$inj_a$inj_b" = 00 ] ||
			die "param: settings need --driver rxscope_igb"
		[ -z "$old_ko" ] || die "--against FILE.ko needs --driver rxscope_igb"
	fi
	# For sysctls, both sides need a value: the old side's is what the new side does not set.
	for x in $set_a; do
		k=${x%%=*}
		[[ " $set_b " == *" $k="* ]] || die "--against $x: give the new side's value too (--set $k=VALUE)"
	done
	for x in $set_b; do
		k=${x%%=*}
		[[ " $set_a " == *" $k="* ]] || die "--set $x: give the old side's value too (--against $k=VALUE)"
	done
else
	[ ${#set_new[@]} = 0 ] || die "--set sets the new side of an A/B check: it needs --against"
fi
case $driver in
rxscope_igb) ;;
igb) [ "$inject" = 0 ] || die "--inject-ns needs --driver rxscope_igb" ;;
*) die "--driver must be rxscope_igb or igb, not '$driver'" ;;
esac
if [ -n "$old_kernel" ]; then	# alternating boots: the limit is each boot's (one run)
	timeout=${o_timeout:-$((180 + 2 * (DURATION + 90)))}
elif [ "$ab" = 1 ]; then	# two sides; a module swap re-attaches the tracer (about a minute)
	swap_s=0
	[ -n "$old_ko" ] && swap_s=$((RUNS * 150))
	timeout=${o_timeout:-$((180 + (2 * RUNS + 1) * (DURATION + 90) + swap_s))}
else
	timeout=${o_timeout:-$((180 + (RUNS + 1) * (DURATION + 90)))}
fi
isnum "$timeout" || die "--timeout must be a number of seconds"

# --- what the check needs -------------------------------------------------------------------
[ -x "$top/build/rxscope" ] || die "$top/build/rxscope is not built (run make all module)"
KVER=
if [ -f "$top/.cache/guest-kernel.env" ]; then
	# shellcheck disable=SC1091
	. "$top/.cache/guest-kernel.env"
fi
if [ -n "$from" ]; then
	[ -d "$from" ] || die "--from-runs: directory $from not found"
	if [ "$ab" = 1 ]; then
		for d in old new; do
			compgen -G "$from/$d/*.json" > /dev/null ||
				die "--from-runs with --against: $from/$d has no *.json recordings (an A/B check's artifacts/runs)"
		done
	else
		compgen -G "$from/*.json" > /dev/null || die "--from-runs: $from has no *.json recordings"
	fi
	[ "$inject" = 0 ] && [ -z "$o_runs" ] && [ -z "$kernel" ] ||
		die "--from-runs boots nothing: it takes no --inject-ns, --runs or --kernel"
else
	for t in rxgen rxsink; do
		[ -x "$top/build/$t" ] || die "$top/build/$t is not built (run make all module)"
	done
	[ -n "$KVER" ] || die "no guest kernel set up in $top/.cache (run make deps)"
	if [ -n "$kernel" ]; then
		[ -f "$kernel" ] || die "kernel $kernel not found"
	fi
	new_kernel=${kernel:-$top/.cache/guest/$KVER/vmlinuz}
	if [ "$driver" = rxscope_igb ]; then
		module=${module:-$top/module/rxscope_igb.ko}
		[ -f "$module" ] || die "module $module not found (run make module, or give --module)"
		# A module for another kernel would fail to load in the guest: say so now.
		match_module "the new side" "$new_kernel" "$module"
		if [ -n "$old_kernel" ]; then
			match_module "the old side (--against)" "$old_kernel" "${old_ko:-$module}"
		elif [ -n "$old_ko" ]; then
			match_module "the old module (--against)" "$new_kernel" "$old_ko"
		fi
	fi
fi
if [ "$ab" = 1 ]; then
	baseline=
elif [ -z "$baseline" ]; then
	[ -n "$KVER" ] || die "no --baseline given and no pinned kernel set up in $top/.cache to name the default"
	baseline=$top/tests/baselines/$KVER/$pname
fi
artifacts=${artifacts:-$top/results/ci-check}
if [ "$update" = 0 ] && [ "$do_plan" = 0 ] && [ "$ab" = 0 ]; then
	[ -d "$baseline" ] || die "baseline directory $baseline not found (record one with --update-baseline)"
	compgen -G "$baseline/*.json" > /dev/null ||
		die "baseline directory $baseline has no *.json recordings (record one with --update-baseline)"
fi
rxscope=$top/build/rxscope
cmp_args=(--quantile "$QUANTILE" --max-regression "$MAX_REGRESSION" --inconclusive "$inconc")
[ -n "$STAGES" ] && cmp_args+=(--stage "$STAGES")
# Options that compare would refuse (an ambiguous threshold, an unknown stage) and a
# baseline that compare would reject fail now, not after the VM run.
probe_set=$baseline
[ "$update" = 1 ] || [ "$do_plan" = 1 ] || [ "$ab" = 1 ] && probe_set=
if [ -n "$probe_set" ]; then
	if ! err=$("$rxscope" compare "$probe_set" "$probe_set" "${cmp_args[@]}" --format json 2>&1 > /dev/null) &&
	   [ -n "$err" ]; then
		die "the baseline in $baseline is not usable with these options: $err"
	fi
else
	err=$("$rxscope" compare /nonexistent/. /nonexistent/. "${cmp_args[@]}" 2>&1) || true
	case $err in *"failed to open"*) ;; *) die "compare refuses the options: $err" ;; esac
fi

# --- the artifacts folder: ours are replaced, anything else is left alone ---------------------
mkdir -p "$artifacts" || die "cannot create the artifacts folder $artifacts"
rm -rf "$artifacts/vm" "$artifacts/runs"
rm -f "$artifacts"/compare.{txt,json,xml,md,html} "$artifacts"/{dmesg.txt,summary.txt,check.log,plan.txt,plan.json}
rm -f "$artifacts"/{calibration.txt,order.txt}
mkdir -p "$artifacts/runs"

plan=$(for _ in $(seq "$RUNS"); do printf '%s ' "$inject"; done)
plan=${plan% }
sides=
if [ "$ab" = 1 ]; then
	# ABBA: pair j is (old, new) for odd j, (new, old) for even j, so that a steady drift of
	# the machine's speed favours neither side, and each pair's two runs are neighbours.
	plan= sides=
	for j in $(seq "$RUNS"); do
		if [ $((j % 2)) = 1 ]; then
			sides="$sides a b" plan="$plan $inj_a $inj_b"
		else
			sides="$sides b a" plan="$plan $inj_b $inj_a"
		fi
	done
	sides=${sides# } plan=${plan# }
	mkdir -p "$artifacts/runs/old" "$artifacts/runs/new"
fi
{
	if [ -n "$from" ]; then
		echo "runs_from=$from (no VM)"
	else
		echo "kernel=${kernel:-$top/.cache/guest/$KVER/vmlinuz (pinned $KVER)}"
		echo "driver=$driver module=${module:-none}"
		echo "profile=$pfile RATE=$RATE FLOWS=$FLOWS PAYLOAD=$PAYLOAD DURATION=$DURATION WARMUP=$WARMUP"
		if [ -n "$old_kernel" ]; then
			echo "against: old side: kernel $old_kernel ($(kimage_release "$old_kernel")) module ${old_ko:-${module:-none}} settings: ${set_a:-none} inject_poll_delay_ns=$inj_a"
			echo "         new side: kernel $new_kernel ($(kimage_release "$new_kernel" || echo "release unknown")) module ${module:-none} settings: ${set_b:-none} inject_poll_delay_ns=$inj_b"
			echo "runs=$RUNS boots per side, one run each, alternating boots in ABBA order (old new new old ...) smp=$SMP"
		elif [ "$ab" = 1 ]; then
			echo "against: old side: module ${old_ko:-the same} settings: ${set_a:-none} inject_poll_delay_ns=$inj_a"
			echo "         new side: module ${module:-none} settings: ${set_b:-none} inject_poll_delay_ns=$inj_b"
			echo "runs=$RUNS per side, order ABBA (old new new old ...) smp=$SMP"
		else
			echo "runs=$RUNS inject_poll_delay_ns=$inject smp=$SMP"
		fi
	fi
	[ "$ab" = 1 ] && [ -n "$from" ] && echo "against: the A/B runs in $from/old and $from/new"
	echo "baseline=${baseline:-none (A/B)} quantile=$QUANTILE max_regression=$MAX_REGRESSION stages=${STAGES:-all} inconclusive=$inconc"
	echo "mode=$([ "$ab" = 1 ] && echo ab || { [ "$update" = 1 ] && echo update-baseline; } || { [ "$do_plan" = 1 ] && echo plan; } || echo compare)"
} > "$artifacts/summary.txt"
echo "$prog: settings (also in $artifacts/summary.txt):"
sed 's/^/  /' "$artifacts/summary.txt"

# --- the VM run (or the given recordings) ----------------------------------------------------------
if [ -n "$from" ] && [ "$ab" = 1 ]; then
	cp "$from"/old/*.json "$artifacts/runs/old/"
	cp "$from"/new/*.json "$artifacts/runs/new/"
	for f in calibration.txt order.txt; do
		[ -f "$from/$f" ] && cp "$from/$f" "$artifacts/runs/$f"
	done
	[ -f "$from/../dmesg.txt" ] && cp "$from/../dmesg.txt" "$artifacts/dmesg.txt"
	[ -f "$from/dmesg.txt" ] && cp "$from/dmesg.txt" "$artifacts/dmesg.txt"
	RUNS=$(ls "$artifacts"/runs/new/*.json | wc -l)
	echo "$prog: A/B recordings from $from (no VM)"
elif [ -n "$from" ]; then
	n=0
	for f in "$from"/*.json; do
		n=$((n + 1))
		cp "$f" "$artifacts/runs/$(basename "$f")"
	done
	[ -f "$from/dmesg.txt" ] && cp "$from/dmesg.txt" "$artifacts/dmesg.txt"
	[ -f "$from/calibration.txt" ] && cp "$from/calibration.txt" "$artifacts/runs/calibration.txt"
	RUNS=$n
	echo "$prog: $n recording(s) from $from (no VM)"
elif [ -n "$old_kernel" ]; then
	# A kernel A/B: the kernel is fixed for a boot, so the sides alternate by boot, in ABBA
	# order, each boot recording one run of the profile (after its own attach and warm-up).
	# Pair j is boots 2j-1 and 2j. Each boot's folder is vm/boot-NN; the scenario runs
	# under a private name (see below) and is built into an initramfs with the in-tree
	# modules of the boot's kernel where make deps extracted them (.cache/guest/KVER).
	sname=ci-record-$$
	mkdir -p "$artifacts/.scenario/$sname" "$artifacts/vm"
	cp "$top"/tests/vm/scenarios/ci-record/* "$artifacts/.scenario/$sname/"
	: > "$artifacts/runs/calibration.txt"
	: > "$artifacts/runs/order.txt"
	: > "$artifacts/dmesg.txt"
	: > "$artifacts/check.log"
	nboots=$((2 * RUNS))
	echo "$prog: $nboots boots, alternating old and new kernel in ABBA order, one run of ${DURATION}s at $RATE pps each (time limit ${timeout}s per boot)"
	t_vm=$(now)
	i=0
	for side in $sides; do
		i=$((i + 1))
		j=$(((i + 1) / 2))
		if [ "$side" = a ]; then
			d=old kimg=$old_kernel mod=${old_ko:-$module} ns=$inj_a
		else
			d=new kimg=$new_kernel mod=$module ns=$inj_b
		fi
		bdir=$artifacts/vm/boot-$(printf %02d "$i")
		vm_args=(--out "$bdir" --timeout "$timeout" --smp "$SMP" --kernel "$kimg")
		kv=$(kver_of "$kimg")
		[ -n "$kv" ] && vm_args+=(--kver "$kv")
		if [ "$driver" = rxscope_igb ]; then vm_args+=(--module "$mod"); else vm_args+=(--no-module); fi
		for e in "PLAN=$ns" "SIDES=$side" "SET_A=$set_a" "SET_B=$set_b" "MODULE_A=0" \
			"DRIVER=$driver" "RATE=$RATE" "FLOWS=$FLOWS" "PAYLOAD=$PAYLOAD" \
			"DURATION=$DURATION" "WARMUP=$WARMUP" "PORT=$PORT"; do
			vm_args+=(--env "$e")
		done
		[ -n "${RXS_CAL_EVERY:-}" ] && vm_args+=(--env "CAL_EVERY=$RXS_CAL_EVERY")
		rel=$(kimage_release "$kimg" || echo unknown)
		tb=$(now)
		echo "== boot $i: pair $j, $d side, kernel $rel" >> "$artifacts/check.log"
		set +e
		bash "$top/tests/vm/run-vm.sh" "${vm_args[@]}" "$artifacts/.scenario/$sname" >> "$artifacts/check.log" 2>&1
		vm_rc=$?
		set -e
		tb=$(awk -v a="$tb" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
		if [ -f "$bdir/dmesg.txt" ]; then
			echo "=== boot $i ($d side, kernel $rel)" >> "$artifacts/dmesg.txt"
			cat "$bdir/dmesg.txt" >> "$artifacts/dmesg.txt"
		fi
		if [ "$vm_rc" -ne 0 ] || [ ! -s "$bdir/run-1.json" ]; then
			rm -rf "$artifacts/.scenario" "$top/build/vm/$sname.cpio" "$top/build/vm/$sname.env"
			echo "$prog: error: boot $i of $nboots ($d side, kernel $rel) failed (run-vm.sh exit $vm_rc, ${tb}s); see $bdir/" >&2
			sed 's/^/  | /' "$artifacts/check.log" | tail -n 40 >&2
			exit 3
		fi
		# The kernel the guest ran (uname -r) must be the one this side names.
		grel=$(cat "$bdir/kernel" 2> /dev/null || echo unknown)
		if [ "$rel" != unknown ] && [ "$grel" != "$rel" ]; then
			rm -rf "$artifacts/.scenario" "$top/build/vm/$sname.cpio" "$top/build/vm/$sname.env"
			echo "$prog: error: boot $i ($d side) ran kernel $grel, not $rel; see $bdir/" >&2
			exit 3
		fi
		cp "$bdir/run-1.json" "$artifacts/runs/$d/run-$(printf %02d "$j").json"
		# The boot's calibrations, numbered by the job's runs (after_run=0 is before this
		# boot's run, after_run=1 after it).
		[ -f "$bdir/calibration.txt" ] &&
			awk -v i="$i" -v d="$d" '{ a = $2; sub(/after_run=/, "", a)
				print $1, "after_run=" (i - 1 + a), "boot=" i, "side=" d }' \
				"$bdir/calibration.txt" >> "$artifacts/runs/calibration.txt"
		echo "run $i: pair $j $d inject_poll_delay_ns=$(cat "$bdir/run-1.inject") boot=$i kernel=$grel module=${mod:-none} boot_s=$tb" \
			>> "$artifacts/runs/order.txt"
		echo "$prog: boot $i of $nboots: pair $j, $d side, kernel $rel: recorded (${tb}s)"
	done
	rm -rf "$artifacts/.scenario" "$top/build/vm/$sname.cpio" "$top/build/vm/$sname.env"
	[ -s "$artifacts/runs/calibration.txt" ] || rm -f "$artifacts/runs/calibration.txt"
	t_vm=$(awk -v a="$t_vm" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
	echo "$prog: $RUNS recording(s) per side in $artifacts/runs/old and $artifacts/runs/new ($nboots boots, ${t_vm}s)"
else
	# A private name for the scenario, so that checks running side by side do not share the
	# harness's build/vm/NAME.cpio.
	# The old module travels in the scenario folder (/scenario/old.ko in the guest).
	sname=ci-record-$$
	mkdir -p "$artifacts/.scenario/$sname"
	cp "$top"/tests/vm/scenarios/ci-record/* "$artifacts/.scenario/$sname/"
	[ -n "$old_ko" ] && cp "$old_ko" "$artifacts/.scenario/$sname/old.ko"
	nrec=$RUNS
	[ "$ab" = 1 ] && nrec=$((2 * RUNS))
	vm_args=(--out "$artifacts/vm" --timeout "$timeout" --smp "$SMP")
	if [ -n "$kernel" ]; then
		vm_args+=(--kernel "$kernel")
		kv=$(kver_of "$kernel")
		[ -n "$kv" ] && vm_args+=(--kver "$kv")
	fi
	if [ "$driver" = rxscope_igb ]; then vm_args+=(--module "$module"); else vm_args+=(--no-module); fi
	for kv in "PLAN=$plan" "DRIVER=$driver" "RATE=$RATE" "FLOWS=$FLOWS" \
		"PAYLOAD=$PAYLOAD" "DURATION=$DURATION" "WARMUP=$WARMUP" "PORT=$PORT"; do
		vm_args+=(--env "$kv")
	done
	# RXS_CAL_EVERY: a calibration after every N runs (default 3; docs/ci.md).
	[ -n "${RXS_CAL_EVERY:-}" ] && vm_args+=(--env "CAL_EVERY=$RXS_CAL_EVERY")
	[ "$ab" = 1 ] && vm_args+=(--env "SIDES=$sides" --env "SET_A=$set_a" --env "SET_B=$set_b" \
		--env "MODULE_A=$([ -n "$old_ko" ] && echo 1 || echo 0)")
	if [ "$ab" = 1 ]; then
		echo "$prog: booting the guest for $RUNS run(s) per side of ${DURATION}s at $RATE pps, order ABBA (time limit ${timeout}s)"
	else
		echo "$prog: booting the guest for $RUNS run(s) of ${DURATION}s at $RATE pps (time limit ${timeout}s)"
	fi
	t_vm=$(now)
	set +e
	bash "$top/tests/vm/run-vm.sh" "${vm_args[@]}" "$artifacts/.scenario/$sname" > "$artifacts/check.log" 2>&1
	vm_rc=$?
	set -e
	rm -rf "$artifacts/.scenario" "$top/build/vm/$sname.cpio" "$top/build/vm/$sname.env"
	t_vm=$(awk -v a="$t_vm" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
	[ -f "$artifacts/vm/dmesg.txt" ] && cp "$artifacts/vm/dmesg.txt" "$artifacts/dmesg.txt"
	if [ "$vm_rc" -ne 0 ]; then
		echo "$prog: error: the VM run failed (run-vm.sh exit $vm_rc, ${t_vm}s); see $artifacts/vm/" >&2
		sed 's/^/  | /' "$artifacts/check.log" >&2
		exit 3
	fi
	for i in $(seq "$nrec"); do
		f=$artifacts/vm/run-$i.json
		[ -s "$f" ] || { echo "$prog: error: recording $f is missing" >&2; exit 3; }
	done
	[ -s "$artifacts/vm/calibration.txt" ] && cp "$artifacts/vm/calibration.txt" "$artifacts/runs/"
	if [ "$ab" = 1 ]; then
		# Pair j's two runs get the same name on both sides (compare --paired pairs by name).
		i=0
		for j in $(seq "$RUNS"); do
			for _ in 1 2; do
				i=$((i + 1))
				side=$(cat "$artifacts/vm/run-$i.side")
				d=new
				[ "$side" = a ] && d=old
				cp "$artifacts/vm/run-$i.json" "$artifacts/runs/$d/run-$(printf %02d "$j").json"
				echo "run $i: pair $j $d inject_poll_delay_ns=$(cat "$artifacts/vm/run-$i.inject")"
			done
		done > "$artifacts/runs/order.txt"
		echo "$prog: $RUNS recording(s) per side in $artifacts/runs/old and $artifacts/runs/new (VM ${t_vm}s)"
	else
		for i in $(seq "$RUNS"); do
			cp "$artifacts/vm/run-$i.json" "$artifacts/runs/run-$i.json"
		done
		echo "$prog: $RUNS recording(s) in $artifacts/runs (VM ${t_vm}s)"
	fi
fi

# --- a new baseline: write it next to the old one, then swap -----------------------------------
if [ "$update" = 1 ]; then
	parent=$(dirname "$baseline")
	mkdir -p "$parent" || die "cannot create $parent"
	tmp=$(mktemp -d "$parent/.$(basename "$baseline").new.XXXXXX")
	cp "$artifacts"/runs/*.json "$tmp/"
	[ -f "$artifacts/runs/calibration.txt" ] && cp "$artifacts/runs/calibration.txt" "$tmp/"
	# The new set must be one that compare accepts (same stages and units in every run).
	if ! err=$("$rxscope" compare "$tmp" "$tmp" --inconclusive ok --format json 2>&1 > /dev/null); then
		rm -rf "$tmp"
		echo "$prog: error: the new recordings are not a valid baseline: $err" >&2
		exit 3
	fi
	old=
	if [ -e "$baseline" ]; then
		old=$(mktemp -u "$parent/.$(basename "$baseline").old.XXXXXX")
		mv "$baseline" "$old"
	fi
	mv "$tmp" "$baseline"
	[ -n "$old" ] && rm -rf "$old"
	chmod 755 "$baseline"
	total=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
	echo "wall_s=$total" >> "$artifacts/summary.txt"
	if [ -f "$baseline/calibration.txt" ]; then
		echo "$prog: new baseline of $RUNS run(s) in $baseline, calibrated: $(cal_ms "$baseline/calibration.txt") ms (${total}s)"
	else
		echo "$prog: new baseline of $RUNS run(s) in $baseline, without a calibration (its runs had none): later checks against it are inconclusive (${total}s)"
	fi
	exit 0
fi

# --- a plan: how many runs per side each stage needs here -------------------------------------
# The runs compared with themselves: Welch's interval then has each side's spread, and
# compare's runs advice (runs_needed, docs/compare.md) says at which K a change of the
# threshold's size would be found, and no change judged ok, 19 times in 20.
if [ "$do_plan" = 1 ]; then
	set +e
	"$rxscope" compare "$artifacts/runs" "$artifacts/runs" "${cmp_args[@]}" --format json \
		> "$artifacts/plan.json" 2> "$artifacts/plan.err"
	r=$?
	set -e
	if [ "$r" = 2 ]; then
		echo "$prog: error: compare rejected the recordings: $(cat "$artifacts/plan.err")" >&2
		exit 2
	fi
	rm -f "$artifacts/plan.err"
	# "name judged runs_needed" per stage, from compare's JSON (one stage object starts
	# with its name and ends with runs_needed)
	awk -v max=200 '
		/"name": "/ { n = $0; sub(/.*"name": "/, "", n); sub(/".*/, "", n)
			      j = ($0 ~ /"judged": true/) ? "judged" : "shown" }
		/"runs_needed": / { r = $0; sub(/.*"runs_needed": /, "", r); sub(/[ }].*/, "", r)
			      if (r == "null") r = "-"; else if (r == "-1") r = ">" max
			      print n, j, r }' "$artifacts/plan.json" > "$artifacts/plan.stages"
	{
		echo "plan from $RUNS run(s): runs per side at which each stage is decided at" \
		     "$QUANTILE, ${MAX_REGRESSION} (a change of that size found, and no change" \
		     "judged ok, 19 times in 20)"
		printf '  %-26s %-8s %s\n' STAGE JUDGED "RUNS NEEDED"
		awk '{ printf "  %-26s %-8s %s\n", $1, ($2 == "judged" ? "yes" : "no"), $3 }' \
			"$artifacts/plan.stages"
		k=$(awk '$2 == "judged" && $3 ~ /^[0-9]+$/ { if ($3 > m) m = $3 } END { print m + 0 }' \
			"$artifacts/plan.stages")
		over=$(awk '$2 == "judged" && $3 !~ /^[0-9]+$/ { printf "%s ", $1 }' "$artifacts/plan.stages")
		if [ "$k" -gt 0 ]; then
			echo "recommended: --runs $k (RUNS=$k in the profile) for the judged stages${over:+, except: $over(beyond reach: raise the threshold, or leave them out of STAGES)}"
		else
			echo "recommended: none of the judged stages can be decided with a practical number of runs: ${over}raise the threshold, or leave them out of STAGES"
		fi
		echo "(estimated from the spread of $RUNS runs, itself uncertain: take more runs for a firmer plan)"
	} > "$artifacts/plan.txt"
	rm -f "$artifacts/plan.stages"
	cat "$artifacts/plan.txt"
	total=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
	echo "wall_s=$total" >> "$artifacts/summary.txt"
	exit 0
fi

# --- the machine: the baseline's calibration against this one's ---------------------------------
# A baseline is judged only on a machine of its speed: the median time of the guest's
# fixed CPU-bound loop (calibration.txt) within --calibration-tolerance of the baseline's.
# An A/B check needs no calibration (both sides ran on this machine, interleaved); it
# reports how much the speed varied during the job.
notcomp=
ncal=$(cal_ms "$artifacts/runs/calibration.txt")
if [ "$ab" = 1 ]; then
	cb=$artifacts/runs/old cn=$artifacts/runs/new
	if [ -n "$ncal" ]; then
		cals=$(sed -n 's/^calibration_ms=\([0-9]*\).*/\1/p' "$artifacts/runs/calibration.txt")
		echo "$prog: the machine's speed during the job: calibration $(echo $cals | tr ' ' '/') ms" \
		     "(slowest/fastest $(echo "$cals" | sort -n |
			awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.2fx", (a > 0) ? b / a : 0 }')); both sides ran through it"
	fi
else
	cb=$baseline cn=$artifacts/runs
	bcal=$(cal_ms "$baseline/calibration.txt")
	if [ -z "$bcal" ]; then
		notcomp="the baseline $baseline is uncalibrated (no calibration.txt: it does not say how fast its machine was)"
	elif [ -z "$ncal" ]; then
		notcomp="these runs carry no calibration (no calibration.txt in them)"
	else
		ratio=$(awk -v n="$ncal" -v b="$bcal" 'BEGIN { printf "%.2f", n / b }')
		speed=$(awk -v n="$ncal" -v b="$bcal" 'BEGIN { if (n >= b) printf "%.1fx slower", n / b; else printf "%.1fx faster", b / n }')
		calmsg="calibration: this machine ${ncal} ms, the baseline's ${bcal} ms: this machine is $speed than the one that recorded the baseline"
		if awk -v r="$ratio" -v t="$caltol" 'BEGIN { exit !(r > t || r < 1 / t) }'; then
			notcomp="this machine is $speed than the one that recorded the baseline (calibration ${ncal} ms against ${bcal} ms; the tolerance is ${caltol}x)"
		else
			echo "$prog: $calmsg (within ${caltol}x: comparable)"
		fi
	fi
	echo "calibration_new_ms=${ncal:-none} calibration_baseline_ms=${bcal:-none} tolerance=$caltol comparable=$([ -z "$notcomp" ] && echo yes || echo no)" >> "$artifacts/summary.txt"
fi
pair_args=()
[ "$ab" = 1 ] && pair_args=(--paired)

# --- the comparison ----------------------------------------------------------------------------
rc=
for fmt in text:txt json:json junit:xml markdown:md html:html; do
	set +e
	"$rxscope" compare "$cb" "$cn" "${cmp_args[@]}" "${pair_args[@]}" --format "${fmt%%:*}" \
		> "$artifacts/compare.${fmt#*:}" 2> "$artifacts/compare.${fmt#*:}.err"
	r=$?
	set -e
	[ -s "$artifacts/compare.${fmt#*:}.err" ] || rm -f "$artifacts/compare.${fmt#*:}.err"
	if [ -z "$rc" ]; then
		rc=$r
	elif [ "$r" != "$rc" ]; then
		echo "$prog: error: compare --format ${fmt%%:*} exited $r, but the text form $rc" >&2
		exit 2
	fi
done
bk=$(grep -m1 -o '"kernel": *"[^"]*"' "$(compgen -G "$cb/*.json" | head -n 1)" | sed 's/.*: *"//; s/"$//')
nk=$(grep -m1 -o '"kernel": *"[^"]*"' "$(compgen -G "$cn/*.json" | head -n 1)" | sed 's/.*: *"//; s/"$//')
if [ "$ab" = 1 ]; then
	echo "old side: $cb (kernel $bk)"
	echo "new side: $cn (kernel $nk)"
else
	echo "baseline kernel: $bk"
	echo "new kernel:      $nk"
fi
[ -n "$notcomp" ] && echo "$prog: NOT COMPARABLE: $notcomp; the table below is shown, not judged"
cat "$artifacts/compare.txt"
[ -f "$artifacts/compare.txt.err" ] && cat "$artifacts/compare.txt.err" >&2
total=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
echo "wall_s=$total compare_exit=$rc" >> "$artifacts/summary.txt"
ninc=$(sed -n 's/^  "inconclusive": \([0-9]*\),$/\1/p' "$artifacts/compare.json")
if [ -n "$notcomp" ] && [ "$rc" != 2 ]; then
	# Not comparable: compare's verdict above measures the machine as much as the change.
	echo "verdict=inconclusive reason=not-comparable" >> "$artifacts/summary.txt"
	echo "$prog: NOT COMPARABLE: $notcomp."
	echo "$prog: INCONCLUSIVE: the table above is shown, not judged. To judge a change on any machine, run an A/B check in one job: ci-check --against OLD.ko (the module the change replaces), or --against same to see the machine's noise (docs/ci.md). To judge against a baseline, record it on this kind of machine: ci-check --update-baseline --baseline DIR (${total}s; artifacts in $artifacts)"
	[ "$inconc" = ok ] && exit 0
	exit 4
fi
case $rc in
0) if [ "${ninc:-0}" -gt 0 ]; then
	echo "$prog: ok (--inconclusive ok): no stage regressed, $ninc undecided (${total}s; artifacts in $artifacts)"
   else
	echo "$prog: ok: no stage regressed, every judged stage decided (${total}s; artifacts in $artifacts)"
   fi ;;
1) echo "$prog: REGRESSION (${total}s; artifacts in $artifacts)" ;;
4) echo "$prog: INCONCLUSIVE: no stage regressed, but $ninc judged stage(s) could not be decided; see the runs advice above, or ci-check --plan (${total}s; artifacts in $artifacts)" ;;
*) echo "$prog: error: compare rejected the recordings (exit $rc)" >&2; rc=2 ;;
esac
if [ -n "$old_kernel" ] && [ -z "$from" ] && cmp -s "$old_kernel" "$new_kernel" &&
   { [ "$driver" != rxscope_igb ] || cmp -s "${old_ko:-$module}" "$module"; } &&
   [ -z "$set_a$set_b" ] && [ "$inj_a" = "$inj_b" ]; then
	echo "$prog: this was the kernel against itself (the same image and module on both sides): any verdict but ok or inconclusive is a false alarm"
elif [ "$ab" = 1 ] && [ -z "$old_kernel" ] && [ -z "$old_ko" ] && [ -z "$set_a$set_b" ] && [ "$inj_a" = "$inj_b" ]; then
	echo "$prog: this was the module against itself (--against same): any verdict but ok or inconclusive is a false alarm. To judge a change: --against OLD.ko; a kernel change: --kernel NEW-bzImage --module NEW.ko --against OLD-bzImage --against OLD.ko (alternating boots); to see a known slow-down found: --against same --inject-ns 50000 (docs/ci.md)"
fi
exit "$rc"
