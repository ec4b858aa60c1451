#!/bin/sh
# bench-fuzz.sh BUILD_DIR - the network-facing fuzz targets for a long run
# (issue 15): mboot's TFTP client (fuzz_tftp) and the iPXE file-API
# transport (fuzz_ipxe), BENCH_FUZZ_SECONDS each (default 600), through
# tests/run-fuzz.sh (committed inputs replayed first, then fuzzing a copy
# of the corpus).  Prints, per target, the executions and the coverage
# (libFuzzer's "cov", edges) the run reached, and writes them to
# BUILD_DIR/bench/fuzz.md, docs/BENCH.md's section.  Exits non-zero when a
# target failed (a crash, a sanitizer report, a broken invariant).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

B=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECONDS_EACH=${BENCH_FUZZ_SECONDS:-600}
TARGETS="tftp ipxe"
. "$HERE/benchmd.sh"
md_begin "$B" fuzz "Fuzzing the network-facing code" \
	"$(md_command "tests/bench/bench-fuzz.sh" "$@")"

bins=""
for t in $TARGETS; do
	make -s -C "$ROOT" "$B/fuzz/fuzz_$t" >/dev/null
	bins="$bins $B/fuzz/fuzz_$t"
done
out=$B/bench-fuzz
mkdir -p "$out"
rc=0
# shellcheck disable=SC2086
"$ROOT/tests/run-fuzz.sh" "$out" "$SECONDS_EACH" $bins > "$out/result.txt" 2>&1 || rc=$?
cat "$out/result.txt"

{
	echo "target   seconds  executions  execs/s  coverage (edges)  result"
	for t in $TARGETS; do
		line=$(grep "^fuzz $t:" "$out/result.txt" || echo "fuzz $t: FAILED (no result)")
		execs=$(echo "$line" | sed -n 's/.*ok, \([0-9]*\) execs.*/\1/p')
		cov=$(echo "$line" | sed -n 's/.*cov \([0-9]*\).*/\1/p')
		if [ -n "$execs" ]; then
			printf '%-8s %7s  %10s  %7s  %16s  ok\n' "$t" "$SECONDS_EACH" \
				"$execs" "$((execs / SECONDS_EACH))" "$cov"
		else
			printf '%-8s %7s  %10s  %7s  %16s  FAILED\n' "$t" "$SECONDS_EACH" \
				- - -
		fi
	done
} > "$out/table.txt"
cat "$out/table.txt"
md_text "fuzz_tftp: com32/tftp.c against a simulated server and a forging third party (a success must be exactly the server's file); fuzz_ipxe: the iPXE file-API transport and the fetch layer against a firmware whose sizes and lengths come from the input.  Both with ASan and UBSan."
md_text ""
md_block "$out/table.txt"
md_end
exit $rc
