#!/bin/sh
# collect.sh BUILD_DIR [OUT] - assemble docs/BENCH.md (or OUT) from the
# sections the bench scripts wrote (BUILD_DIR/bench/NAME.md, see
# benchmd.sh and benchmd.py), under a header naming the machine.
#
# Every section carries its own command, commit, start/end time, load
# average and form (default: make bench; full: make bench-full; or by
# hand), so a section left over from an earlier run shows its own date
# and commit; a bench that wrote no section is listed as not run.  The
# last tests/bench/run-bench.sh run's step table (BUILD_DIR/bench/run.md:
# each step's command, exit status, time and budget) goes in the header.
# The file is committed: `git diff docs/BENCH.md` compares two versions.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

B=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${2:-"$ROOT/docs/BENCH.md"}
# In the order of the Makefile's bench target.
SECTIONS="inflate memcpy sha256 fuzz membench fetchbench xenbench uefibench netbench figures"

# How QEMU is started: the harness passes no accelerator (TCG) unless a
# script names one; say which, from the scripts themselves.
if grep -qE -- '"-accel"|-enable-kvm|accel=kvm' "$ROOT"/qemu/*.py "$ROOT"/qemu/*/*.py 2>/dev/null; then
	accel="a qemu/ script asks for an accelerator (see qemu/*.py)"
else
	accel="TCG (no qemu/ script passes -accel or -enable-kvm, so KVM is not used)"
fi

{
	echo "# mboot benchmarks"
	echo
	echo "Written by \`tests/bench/collect.sh\` (the last step of \`make bench\`) from"
	echo "the sections each bench script wrote; every figure below was printed by"
	echo "the command named in its section, on the commit named there."
	echo
	echo "Each section also says which form produced it: \`make bench\` runs the"
	echo "default form, budgeted to 40 minutes on the machine below with nothing"
	echo "else running (fuzz 60 s per target, membench -m 256, one boot per"
	echo "cell, netbench's default cases); \`make bench-full\` the full form (fuzz"
	echo "600 s per target, membench -m 1024, three boots per cell, netbench"
	echo "--full: hours).  tests/bench/run-bench.sh holds both forms' commands"
	echo "and the measurements each budget comes from; a section whose form"
	echo "says \"by hand\" was run outside both, one with no Form line before"
	echo "forms were recorded (2026-12-07)."
	echo
	echo "- assembled: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), tree $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
	echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
	echo "- QEMU: $(qemu-system-x86_64 --version 2>/dev/null | head -n1 || echo 'not installed'); $accel"
	echo "- load average (1/5/15 min) now: $(cut -d' ' -f1-3 /proc/loadavg); the machine is shared, so absolute times are noisy: compare the ratios of one run"
	echo
	if [ -f "$B/bench/run.md" ]; then
		cat "$B/bench/run.md"
		echo
	fi
	missing=""
	for s in $SECTIONS; do
		if [ -f "$B/bench/$s.md" ]; then
			cat "$B/bench/$s.md"
			echo
		else
			missing="$missing $s"
		fi
	done
	if [ -n "$missing" ]; then
		echo "## Not run"
		echo
		echo "No section from:$missing (no $B/bench/NAME.md)."
	fi
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "bench: wrote $OUT${missing:+ (not run:$missing)}"
