#!/bin/sh
# readme-figures.sh [README] [BENCH.md] - README's "Measured" section shows
# only what `make bench` printed: every table line in it (a line starting
# with "|", or an indented block line) must be a line of docs/BENCH.md
# (the indent taken off), every "Command:" the section names must be one
# docs/BENCH.md records, and docs/BENCH.md must hold no column the issue
# named as a constant presented as a measurement (a per-call "ceiling");
# and the whole section must be what tests/bench/readme-update.py renders
# from docs/BENCH.md (so no figure or wording in it was edited by hand, and
# README is refreshed after each make bench: make bench-readme); and when
# docs/BENCH.md's header records a default-form run of
# tests/bench/run-bench.sh (make bench), that it took at most 40 minutes,
# the budget README states (no such run recorded: a skip); and every
# figure the section names (docs/bench/*.svg) exists and is SVG.
# Prints "readme-figures: N passed, M failed, K skipped".
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/../.." || exit 1
README=${1:-README}
BENCH=${2:-docs/BENCH.md}
passed=0 failed=0 skipped=0
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
trap 'rm -f "$tmp" "$tmp.cmd" "$tmp.upd"' EXIT INT TERM
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
# Every figure the section shows ("Figure: PATH (TITLE)", from docs/BENCH.md's
# figures section) is a committed SVG file that parses as one (none named:
# no check, make bench has not drawn them yet).
figs=$(grep -o '^Figure: [^ ]*' "$tmp" | cut -d' ' -f2)
for f in $figs; do
	if python3 -c 'import sys, xml.etree.ElementTree as E
sys.exit(E.parse(sys.argv[1]).getroot().tag != "{http://www.w3.org/2000/svg}svg")' "$f" 2>/dev/null; then
		passed=$((passed + 1))
	else
		fail "README shows figure $f, which is missing or not an SVG document"
	fi
done
if grep -qiE 'ceiling at|us/call|µs/call' "$BENCH" "$README"; then
	fail "a per-call ceiling (a constant, not a measurement) is shown"
else
	passed=$((passed + 1))
fi
if python3 tests/bench/readme-update.py --check --readme "$README" --bench "$BENCH" > "$tmp.upd" 2>&1; then
	passed=$((passed + 1))
else
	sed 's/^/    /' "$tmp.upd"
	fail "$README's Measured section is not tests/bench/readme-update.py's rendering of $BENCH (run it)"
fi
rm -f "$tmp.upd"
# The forms README's Performance section states (fuzz 60 s / 600 s,
# membench -m 256 / 1024, xenbench and uefibench one boot / three,
# netbench's default / --full) are run-bench.sh's (its step lines:
# STEP;BUDGET;DEFAULT COMMAND;FULL COMMAND).
forms_ok=1
while IFS=';' read -r step dflt full; do
	line=$(grep "^$step;" tests/bench/run-bench.sh)
	case $line in
	"$step;"*";"*"$dflt"*";"*"$full"*) ;;
	*)
		forms_ok=0
		fail "tests/bench/run-bench.sh's $step step is not '$dflt' (default) / '$full' (full) as README states: $line"
		;;
	esac
done <<'FORMS'
fuzz;BENCH_FUZZ_SECONDS=60 ;BENCH_FUZZ_SECONDS=600 
membench;--mem 256;--mem 1024
xenbench;--sizes 0,200;--sizes 0,200 --repeat 3
uefibench;qemu/uefibench.py --build $B;qemu/uefibench.py --build $B --repeat 3
netbench;qemu/netbench.py --build $B;qemu/netbench.py --build $B --full
FORMS
if [ "$forms_ok" = 1 ]; then passed=$((passed + 1)); fi
# make bench's budget: the last run-bench.sh run collect.sh recorded.
run=$(sed -n 's/^Last run of tests\/bench\/run-bench\.sh: form \([a-z]*\), .*, \([0-9]*\) min \([0-9]*\) s in all.*/\1 \2 \3/p' "$BENCH" | head -n 1)
case $run in
"default "*)
	# shellcheck disable=SC2086 # split into form, minutes, seconds
	set -- $run
	if [ $(($2 * 60 + $3)) -le 2400 ]; then
		passed=$((passed + 1))
	else
		fail "make bench (default form) took $2 min $3 s by $BENCH's header: over its 40-minute budget"
	fi
	;;
*)
	echo "SKIP make bench's 40-minute budget: $BENCH records no default-form run of tests/bench/run-bench.sh${run:+ (its last run: form ${run%% *})}"
	skipped=$((skipped + 1))
	;;
esac
echo "readme-figures: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
