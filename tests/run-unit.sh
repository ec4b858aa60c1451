#!/bin/sh
# run-unit.sh - run unit test binaries and sum their results.
#
#   tests/run-unit.sh build/host/test_*
#
# Each binary prints its checks' failures and ends with the line
# "<suite>: N passed, M failed".  This shows every binary's output, then
# prints "unit: N passed, M failed" summed over all of them.  A binary that
# crashes, exits nonzero without failures, or ends without its summary line
# counts as one more failure.  Exits nonzero if anything failed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

if [ $# -eq 0 ]; then
	echo "usage: $0 TEST_BINARY..." >&2
	exit 2
fi

TIMEOUT=${UNIT_TIMEOUT:-300}
total_pass=0
total_fail=0
out=$(mktemp "${TMPDIR:-/tmp}/run-unit.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT INT TERM

for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "$name: missing or not executable"
		total_fail=$((total_fail + 1))
		continue
	fi
	if command -v timeout >/dev/null 2>&1; then
		timeout "$TIMEOUT" "$bin" >"$out" 2>&1
	else
		"$bin" >"$out" 2>&1
	fi
	rc=$?
	cat "$out"

	# The summary is the last line: "<suite>: N passed, M failed".
	last=$(tail -n 1 "$out")
	pass=$(printf '%s\n' "$last" |
	       sed -n 's/^[A-Za-z0-9_.-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	fail=$(printf '%s\n' "$last" |
	       sed -n 's/^[A-Za-z0-9_.-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$pass" ] || [ -z "$fail" ]; then
		if [ $rc -eq 124 ]; then
			echo "$name: TIMED OUT after ${TIMEOUT}s"
		elif [ $rc -gt 128 ]; then
			echo "$name: CRASHED (signal $((rc - 128)))"
		else
			echo "$name: CRASHED or no summary line (exit status $rc)"
		fi
		total_fail=$((total_fail + 1))
		continue
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	if [ $rc -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "$name: exit status $rc despite no failed checks"
		total_fail=$((total_fail + 1))
	fi
done

echo "unit: $total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
