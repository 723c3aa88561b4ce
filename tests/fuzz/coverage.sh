#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# coverage.sh CORPUS-ROOT [NAME...] - line coverage of the code under test by a corpus:
# builds the harnesses with clang's source-based coverage (no sanitizers) into
# build-fuzz-cov/, runs each harness once over CORPUS-ROOT/NAME (for example the work
# corpora of a campaign) plus the seeds in tests/fuzz/corpus/NAME, and prints llvm-cov's
# line coverage of the source files that harness exists for.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
root=$(realpath "${1:?usage: coverage.sh CORPUS-ROOT [NAME...]}")
shift
[ $# -gt 0 ] || set -- json softnet compare cli rxsink frame
make -s FUZZ=build-fuzz-cov FUZZ_SAN="-fprofile-instr-generate -fcoverage-mapping" \
	fuzz-build > /dev/null || exit 1
declare -A files=(
	[json]="src/rxscope/export_json.c" [softnet]="src/rxscope/softnet.c" [compare]="src/rxscope/compare.c"
	[cli]="src/rxscope/cli.c" [rxsink]="src/tools/rxsink.c" [frame]="src/common/frame.c")
for name in "$@"; do
	bin=build-fuzz-cov/fuzz_$name
	prof=build-fuzz-cov/$name.profraw
	dirs=("tests/fuzz/corpus/$name")
	[ -d "$root/$name" ] && dirs+=("$root/$name")
	[ -d tests/fuzz/regress/$name ] && dirs+=("tests/fuzz/regress/$name")
	n=$(find "${dirs[@]}" -type f | wc -l)
	rm -f "$prof"
	LLVM_PROFILE_FILE=$prof ASAN_OPTIONS=detect_leaks=0 "$bin" -runs=0 -close_fd_mask=3 \
		"${dirs[@]}" > /dev/null 2>&1
	llvm-profdata merge -sparse "$prof" -o "${prof%.profraw}.profdata" || continue
	# shellcheck disable=SC2086
	llvm-cov report "$bin" -instr-profile="${prof%.profraw}.profdata" ${files[$name]} |
		awk -v n="$name" -v c="$n" '$1 ~ /\/src\// { sub(".*/src/", "src/", $1)
			printf "%-8s %-26s %6d inputs  lines %5s of %4d covered (%s), functions %s\n",
				n, $1, c, $8 - $9, $8, $10, $7 }'
done
