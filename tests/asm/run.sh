#!/bin/sh
# run.sh BUILD_DIR - build tests/asm/test_memcpy32.c against asm/memcpy.asm
# (-m32, static, freestanding: tests/bench/bench_sys32.c supplies _start and
# the system calls) into BUILD_DIR/asm and run it under qemu-i386.
# Prints one line per group and "asm: N passed, M failed"; exits nonzero
# on any failure.  Environment: CC (default gcc), NASM (default nasm),
# QEMU_I386 (default qemu-i386).
#
# SPDX-License-Identifier: GPL-2.0-or-later

# Flag lists are split on purpose.
# shellcheck disable=SC2086,SC2012
set -eu

B=$(mkdir -p "${1:-build}/asm" && cd "${1:-build}/asm" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-gcc}
NASM=${NASM:-nasm}
QEMU=${QEMU_I386:-qemu-i386}

# No -mregparm here: the test declares the asm functions regparm(3) itself.
# -fno-builtin / -fno-tree-loop-distribute-patterns keep the reference
# byte loops as byte loops.
CF="-m32 -march=i386 -O2 -ffreestanding -fno-builtin -fno-pic -fno-stack-protector \
-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables -Wall -Wextra"

fail() { echo "asm: 0 passed, 1 failed ($*)"; exit 1; }

"$NASM" -f elf32 -I"$ROOT/asm/" "$ROOT/asm/memcpy.asm" -o "$B/memcpy.o" ||
	fail "nasm memcpy.asm"
$CC $CF -I"$ROOT/tests/bench" -c "$ROOT/tests/asm/test_memcpy32.c" -o "$B/test.o" ||
	fail "compile test_memcpy32.c"
$CC $CF -I"$ROOT/tests/bench" -c "$ROOT/tests/bench/bench_sys32.c" -o "$B/sys32.o" ||
	fail "compile bench_sys32.c"
$CC -m32 -nostdlib -static -no-pie -Wl,-z,noexecstack "$B/test.o" "$B/sys32.o" "$B/memcpy.o" \
	-o "$B/test_memcpy32" || fail "link"

command -v "$QEMU" >/dev/null || fail "$QEMU not found"
exec "$QEMU" "$B/test_memcpy32"
