# Helpers for the tracer scenarios: read numbers out of `rxscope report` text.

# to_ns VALUE: "850ns" "1.57us" "2.3ms" "1.2s" or a plain number -> integer (ns).
to_ns() {
	echo "$1" | awk '{
		v = $1; m = 1
		if (v ~ /ns$/) { sub(/ns$/, "", v) }
		else if (v ~ /us$/) { sub(/us$/, "", v); m = 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); m = 1000000 }
		else if (v ~ /s$/) { sub(/s$/, "", v); m = 1000000000 }
		printf "%d\n", v * m
	}'
}

# stage_row REPORT STAGE: the stage table row (name, count, p50 .. max, hook), without
# the "[unit]" that follows a non-ns stage's name.
stage_row() {
	awk -v s="$2" '$1 == s { if ($2 ~ /^\[/) $2 = ""; print; exit }' "$1"
}

# stage_count REPORT STAGE: the COUNT column, -1 when unavailable or missing.
stage_count() {
	local n
	n=$(stage_row "$1" "$2" | awk '{ c = $2; if (c == "-" || c == "") c = -1; print c }')
	echo "${n:--1}"
}

# stage_q REPORT STAGE COL: column COL (3 p50, 4 p90, 5 p99, 6 p99.9, 7 max) in ns.
stage_q() {
	local v
	v=$(stage_row "$1" "$2" | awk -v c="$3" '{ print $c }')
	[ -z "$v" ] || [ "$v" = "-" ] && v=0
	to_ns "$v"
}

stage_unavailable() {
	stage_row "$1" "$2" | grep -q ' unavailable$'
}

# stage_hook_has REPORT STAGE TEXT: the stage's hook column contains TEXT.
stage_hook_has() {
	stage_row "$1" "$2" | awk '{ print $NF }' | grep -qF "$3"
}

# funnel REPORT: the five funnel counts, space separated.
funnel() {
	sed -n 's/^funnel: //p' "$1" | head -n 1 | awk '{
		n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) printf "%s ", $i; print "" }'
}

# cpu_col_sum REPORT NAME: sum of column NAME of the per-CPU table.
cpu_col_sum() {
	awk -v name="$2" '
		$1 == "CPU" { col = 0; for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
		col && $1 ~ /^[0-9]+$/ { sum += $col }
		END { print sum + 0 }' "$1"
}

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

# within A B PCT: |A - B| <= PCT% of B (and at least 2).
within() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d; lim = b * p / 100; if (lim < 2) lim = 2
		exit !(d <= lim) }'
}

# unmatched REPORT: events without a matching start (0 when the report has no such line).
unmatched() {
	local n
	n=$(sed -n 's/.* \([0-9][0-9]*\) events without a matching start.*/\1/p' "$1" | head -n 1)
	echo "${n:-0}"
}
