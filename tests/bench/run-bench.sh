#!/bin/sh
# run-bench.sh FORM BUILD_DIR [STEPS] - every bench, in one of two forms,
# then docs/BENCH.md (tests/bench/collect.sh).  STEPS: an extended regex of
# step names (e.g. '^(inflate|fuzz)$') to run only those; the other
# sections stay as an earlier run left them.  `make bench` runs FORM default,
# `make bench-full` (or `make bench BENCH=full`) FORM full.
#
#   default  the budgeted form: at most 40 minutes on the 2-CPU reference
#            machine with nothing else running (the per-step budgets below
#            add up to 38 minutes 40 s; each was chosen from the step's
#            measured duration, see the table).  Every table still has the
#            peers side by side and its ratios; what is smaller than the full
#            form: the fuzz targets run 60 s each instead of 600 s,
#            membench's largest-module search and boots run with -m 256
#            instead of -m 1024, xenbench and uefibench boot once per cell
#            instead of three times, netbench runs its default cases
#            instead of --full.
#   full     the long form: fuzz 600 s per target, membench -m 1024,
#            xenbench and uefibench 3 boots per cell (medians), netbench
#            --full (the whole matrix: hours on that machine).
#
# BENCH_FORM=FORM is exported, so every section the scripts write says
# which form produced it (benchmd.sh, benchmd.py).  Before each step its
# old section (BUILD_DIR/bench/NAME.md) and data (NAME.json) are removed,
# so a step that writes none shows as "Not run" in docs/BENCH.md (and as
# no data in the figures) instead of an older run's figures.  The last
# step, figures, draws docs/bench/*.svg from the data the others wrote
# (tests/bench/figures.py).  Every step runs even when an earlier one
# failed (a QEMU bench with a failed boot exits 1 after writing its
# table); the step's exit
# status, its time and its budget go to BUILD_DIR/bench/run.md, which
# collect.sh puts in docs/BENCH.md's header.  Exits 1 if any step failed.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

usage() {
	echo "usage: $0 default|full BUILD_DIR [STEP_REGEX]" >&2
	exit 2
}
[ $# = 2 ] || [ $# = 3 ] || usage
ONLY=${3:-}
FORM=$1
case $FORM in default | full) ;; *) usage ;; esac
B=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT" || exit 2
export BENCH_FORM="$FORM"
mkdir -p "$B/bench"

# netbench's forms are qemu/netbench.py's own: its DEFAULT_CASES without
# options, the whole matrix with --full.

# The steps: NAME (its section, BUILD_DIR/bench/NAME.md); the budget in
# seconds in the default form; the default command; the full command
# (fields separated by ";": commands hold "|" in regexes).  Each budget is
# a measured duration plus a margin (all measured on the reference
# machine; "idle": nothing else running, load average below 2):
#   inflate     44 s idle (2026-12-07 22:15 UTC, 840c67a)
#   memcpy      18 s idle (same session)
#   sha256      16 s idle (same session)
#   fuzz        BENCH_FUZZ_SECONDS=60: 125 s at load 1.6-2.1 (2 targets x
#               60 s, the corpus replays, the builds; 22:20 UTC)
#   membench    -m 256: 8 search steps at ~6 s each, ours and stock booting
#               ~250 MiB (~35 and ~55 s) and two refusals (~6 s each), from
#               an idle -m 128 run (95 s: 6 s per step, 20 s ours' and 23 s
#               stock's 120 MiB boot); plus the 200 MB split (ours 24 s,
#               stock 33 s banner -> kernel at load ~2, d783bd8): ~220 s
#   fetchbench  133 s at load 1.4-2.4 (docs/BENCH.md, d783bd8); plus
#               iPXE's own fetches (ipxe-own-http, ipxe-own-tftp: the
#               throughput figure's reference lines): 9.9 and 11.5 s from
#               QEMU's start at load 3.8 (2026-12-08 01:23 UTC): ~160 s
#   xenbench    852 s at load 5-9 (docs/BENCH.md, e4fe084); one cell
#               (ours-tftp, small) took 18 s idle against 49 s there, so
#               ~320 s idle; plus iPXE's own multiboot (ipxe-own-http,
#               small and 200M: 27 + 49 s at load 3.7-5.0, 2026-12-08
#               01:33 UTC) and GRUB's BIOS netboot (grub-tftp: 16 + 76 s
#               at load 2.6-3.6, 01:45 UTC): ~500 s idle
#   uefibench   128 s at load 8 (e4fe084), scaled as xenbench: ~50 s idle
#   netbench    qemu/netbench.py owns its default cases (DEFAULT_CASES):
#               clients-1, clients-4, loss-0 and dnsmasq-restart took 594 s
#               at load 1.4-3.6 (e4fe084), and congestion-4's two netlab
#               runs (stock, ours: 4 clients on a 2 MB/s server link) took
#               about 3 min at load 2-8 (engineer la, 22:22-22:25 UTC);
#               774 s together under load, less idle
#   figures     tests/bench/figures.py: docs/bench/*.svg from the JSON files
#               the steps before wrote beside their sections (and netbench's
#               results), and its own section linking them: 0.2 s (2026-12-08
#               01:10 UTC)
STEPS="inflate;60;tests/bench/bench-inflate.sh $B;tests/bench/bench-inflate.sh $B
memcpy;30;tests/bench/bench-memcpy.sh $B;tests/bench/bench-memcpy.sh $B
sha256;30;tests/bench/bench-sha256.sh $B;tests/bench/bench-sha256.sh $B
fuzz;180;BENCH_FUZZ_SECONDS=60 tests/bench/bench-fuzz.sh $B;BENCH_FUZZ_SECONDS=600 tests/bench/bench-fuzz.sh $B
membench;270;python3 qemu/membench.py --build $B --mem 256;python3 qemu/membench.py --build $B --mem 1024
fetchbench;180;python3 qemu/fetchbench.py --build $B;python3 qemu/fetchbench.py --build $B
xenbench;600;python3 qemu/xenbench.py --build $B --sizes 0,200;python3 qemu/xenbench.py --build $B --sizes 0,200 --repeat 3
uefibench;120;python3 qemu/uefibench.py --build $B;python3 qemu/uefibench.py --build $B --repeat 3
netbench;840;python3 qemu/netbench.py --build $B;python3 qemu/netbench.py --build $B --full
figures;10;python3 tests/bench/figures.py --build $B;python3 tests/bench/figures.py --build $B"

now() { date -u '+%Y-%m-%d %H:%M:%S UTC'; }

t_all=$(date +%s)
start_all=$(now)
failed=""
budget_all=0
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT INT TERM
# The steps are read from a here-document, not a pipe, so that "failed"
# and "budget_all" keep their values after the loop.
while IFS=';' read -r name budget cmd_default cmd_full; do
	[ -n "$name" ] || continue
	if [ -n "$ONLY" ] && ! echo "$name" | grep -qE -- "$ONLY"; then continue; fi
	if [ "$FORM" = default ]; then cmd=$cmd_default; else cmd=$cmd_full; fi
	budget_all=$((budget_all + budget))
	rm -f "$B/bench/$name.md" "$B/bench/$name.json"
	echo "bench: $name ($FORM form): $cmd" >&2
	t0=$(date +%s)
	# The command strings hold quoted arguments and VAR=value prefixes.
	sh -c "$cmd" </dev/null
	rc=$?
	t=$(($(date +%s) - t0))
	if [ "$rc" != 0 ]; then failed="$failed $name"; fi
	[ -f "$B/bench/$name.md" ] && sect=written || sect="none written"
	over=""
	if [ "$FORM" = default ] && [ "$t" -gt "$budget" ]; then over=" (over budget)"; fi
	echo "bench: $name: exit $rc, $t s$over, budget $budget s, section $sect" >&2
	# A "|" in the command would end the table cell.
	# shellcheck disable=SC2016 # the backquotes are Markdown
	printf '| %s | `%s` | %s | %s | %s%s | %s |\n' "$name" \
		"$(printf '%s' "$cmd" | sed 's/|/\\|/g')" "$rc" "$sect" \
		"$t" "$over" "$budget" >> "$rows"
done <<EOF
$STEPS
EOF

t=$(($(date +%s) - t_all))
{
	echo "Last run of tests/bench/run-bench.sh: form $FORM${ONLY:+ (steps matching $ONLY only)}, $start_all to $(now), $((t / 60)) min $((t % 60)) s in all (default form's budget: $((budget_all / 60)) min of steps, 40 min in all); the budget column is the default form's:"
	echo
	echo "| step | command | exit | section | s | budget s |"
	echo "|---|---|---:|---|---:|---:|"
	cat "$rows"
} > "$B/bench/run.md"
tests/bench/collect.sh "$B" || failed="$failed collect"
echo "bench: $FORM form: $t s in all${failed:+; failed:$failed}" >&2
[ -z "$failed" ]
