#!/bin/sh
# run-fuzz.sh - replay the committed corpora, then fuzz each target.
#
#   tests/run-fuzz.sh OUTDIR SECONDS build/fuzz/fuzz_X...
#
# For each libFuzzer binary fuzz_X (target name X):
#   1. every file of the committed corpus tests/fuzz/corpus/X/ is run once
#      (regression inputs; a crash there fails the target at once);
#   2. the corpus is copied to OUTDIR/corpus-X and the target fuzzes that
#      copy for SECONDS seconds, so the repository's corpus is not changed.
# Logs go to OUTDIR/X.log, crash inputs to OUTDIR/X-crash-*.  Prints one
# line per target, "fuzz X: ok, <execs> execs, cov <N>" or
# "fuzz X: FAILED", then "fuzz: N passed, M failed"; exits nonzero if any
# target failed.  Extra libFuzzer flags can be given in FUZZ_FLAGS.
#
# SPDX-License-Identifier: GPL-2.0-or-later

if [ $# -lt 3 ]; then
	echo "usage: $0 OUTDIR SECONDS FUZZER..." >&2
	exit 2
fi
outdir=$1
seconds=$2
shift 2
case $seconds in
'' | *[!0-9]*)
	echo "$0: SECONDS must be a number, not '$seconds'" >&2
	exit 2
	;;
esac
corpora=$(cd "$(dirname "$0")" && pwd)/fuzz/corpus
mkdir -p "$outdir" || exit 2

passed=0
failed=0

# Print the tail of a log, indented, to explain a failure.
show_log() {
	tail -n 25 "$1" | sed 's/^/    /'
}

for bin in "$@"; do
	base=$(basename "$bin")
	name=${base#fuzz_}
	log=$outdir/$name.log
	work=$outdir/corpus-$name
	seeds=$corpora/$name
	[ -d "$seeds" ] || seeds=$corpora/$base
	: >"$log"

	if [ ! -x "$bin" ]; then
		echo "fuzz $name: FAILED (no executable $bin)"
		failed=$((failed + 1))
		continue
	fi

	# 1. Regression: replay the committed inputs one by one.
	ok=1
	if [ -d "$seeds" ]; then
		for f in "$seeds"/*; do
			[ -f "$f" ] || continue
			echo "=== replay $f" >>"$log"
			if ! "$bin" "$f" >>"$log" 2>&1; then
				echo "fuzz $name: FAILED (committed input $f)"
				show_log "$log"
				ok=0
				break
			fi
		done
	fi
	if [ $ok -eq 0 ]; then
		failed=$((failed + 1))
		continue
	fi

	# 2. Fuzz a copy of the corpus.
	rm -rf "$work"
	mkdir -p "$work"
	if [ -d "$seeds" ]; then
		cp "$seeds"/* "$work"/ 2>/dev/null
	fi
	echo "=== fuzz for ${seconds}s" >>"$log"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$outdir/$name-" $FUZZ_FLAGS "$work" \
		>>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' \
		"$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	if [ $rc -ne 0 ] || [ -z "$execs" ]; then
		echo "fuzz $name: FAILED (exit status $rc; log $log)"
		show_log "$log"
		failed=$((failed + 1))
		continue
	fi
	echo "fuzz $name: ok, $execs execs, cov ${cov:-0}"
	passed=$((passed + 1))
done

echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
