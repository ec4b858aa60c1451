#!/bin/sh
# readme-figures.sh [README] [BENCH.md] - README's "Measured" section shows
# only what `make bench` printed: every table line in it (a line starting
# with "|", or an indented block line) must be a line of docs/BENCH.md
# (the indent taken off), every "Command:" the section names must be one
# docs/BENCH.md records, and docs/BENCH.md must hold no column the issue
# named as a constant presented as a measurement (a per-call "ceiling").
# Prints "readme-figures: N passed, M failed".
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/../.." || exit 1
README=${1:-README}
BENCH=${2:-docs/BENCH.md}
passed=0 failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

[ -f "$BENCH" ] || { fail "$BENCH missing (make bench writes it)"; echo "readme-figures: $passed passed, $failed failed"; exit 1; }
# The section: from under the "Measured" heading (a title line, then a
# line of dashes) to the next heading.
sect=$(awk '{ l[NR] = $0 } END {
	for (i = 1; i < NR; i++) if (l[i] == "Measured" && l[i + 1] ~ /^-+$/) break
	for (k = i + 2; k <= NR; k++) {
		if (k < NR && l[k + 1] ~ /^-+$/ && l[k] ~ /^[^ |]/) break
		print l[k]
	} }' "$README")
[ -n "$sect" ] || { fail "$README has no Measured section"; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT INT TERM
printf '%s\n' "$sect" > "$tmp"
rows=0
while IFS= read -r line; do
	case $line in
	"|"*) want=$line ;;
	"    "*) want=${line#    } ;;
	*) continue ;;
	esac
	rows=$((rows + 1))
	if grep -qxF -- "$want" "$BENCH"; then
		passed=$((passed + 1))
	else
		fail "README table line not in $BENCH: $want"
	fi
done < "$tmp"
if [ "$rows" -gt 0 ]; then
	passed=$((passed + 1))
else
	fail "no table lines in README's Measured section"
fi
# Every command the section names is one docs/BENCH.md recorded.
# shellcheck disable=SC2016 # the backquotes are literal
grep -o 'Command: `[^`]*`' "$tmp" | while IFS= read -r c; do
	grep -qF -- "$c" "$BENCH" || echo "MISSING $c"
done > "$tmp.cmd"
if [ -s "$tmp.cmd" ]; then
	while IFS= read -r l; do fail "README names a command $BENCH does not record: ${l#MISSING }"; done < "$tmp.cmd"
else
	passed=$((passed + 1))
fi
rm -f "$tmp.cmd"
if grep -qiE 'ceiling at|us/call|µs/call' "$BENCH" "$README"; then
	fail "a per-call ceiling (a constant, not a measurement) is shown"
else
	passed=$((passed + 1))
fi
echo "readme-figures: $passed passed, $failed failed"
[ "$failed" = 0 ]
