#!/bin/sh
# bench-sha256.sh BUILD_DIR - what -sha256=HEX costs: our SHA-256 (lib/sha256.c)
# against OpenSSL 3.0's libcrypto and GNU coreutils 9.1 (gnulib's C, what
# sha256sum runs), side by side with ratios, and against the network rate.
#
#  1. apt-get source coreutils into BUILD_DIR/bench-src (cached; never
#     committed) for gnulib's lib/sha256.c; qemu's plugin header as
#     bench-inflate.sh gets it
#  2. -m64, MB/s, median of BENCH_RUNS (default 5) interleaved runs over
#     BENCH_MB MiB (default 64) in memory: ours (SHA-NI when the CPU has
#     it: the host and the efi64 module), ours portable (the C the i386
#     module runs), OpenSSL EVP as it chooses (SHA-NI), with SHA-NI masked
#     (its AVX2/SSSE3 assembly) and with every SIMD path masked (its
#     integer x86-64 assembly) through OPENSSL_ia32cap, coreutils' C built
#     with our flags; and the sha256sum program itself on a tmpfs file
#     (best of BENCH_RUNS, file reading included).  Times are CPU time
#     (CLOCK_PROCESS_CPUTIME_ID), so other load on the machine counts less
#  3. -m32 with the module's own flags (-Os, as lib/sha256.c is built for
#     mboot.c32), freestanding: instructions per byte under qemu-i386 -cpu
#     pentium with the counting plugin, ours vs coreutils' C built with the
#     same flags; and MB/s of the same binaries run natively
#  4. what that adds to a download at 12 and 20 MB/s (hashing is done
#     while the bytes arrive, on the same CPU: added time = rate / hash rate)
#
# Every implementation's digest of the data is compared before timing.
# Environment: BENCH_RUNS, BENCH_MB, CC (default gcc).
# The tables also go to BUILD_DIR/bench/sha256.md (tests/bench/benchmd.sh),
# docs/BENCH.md's section.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

B=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC="$B/bench-src"
OUT="$B/bench-sha256"
RUNS=${BENCH_RUNS:-5}
MB=${BENCH_MB:-64}
SIZE=$((MB * 1048576))
CC=${CC:-gcc}
mkdir -p "$SRC" "$OUT"
. "$HERE/benchmd.sh"
md_begin "$B" sha256 "SHA-256: ours vs OpenSSL vs coreutils" \
	"$(md_command "tests/bench/bench-sha256.sh" "$@")"

# ---- 1. sources -------------------------------------------------------------
cd "$SRC"
CU="$SRC/coreutils-9.1"
if [ ! -f "$CU/lib/sha256.c" ]; then
	ls coreutils_*.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only coreutils >/dev/null
	tar -xf coreutils_*.orig.tar.* --wildcards '*/lib/sha256.c' '*/lib/sha256.h'
	CU=$(dirname "$(dirname "$(ls "$SRC"/coreutils-*/lib/sha256.c | head -n1)")")
fi
QINC="$SRC/qemu-7.2.0/include/qemu"
if [ ! -f "$QINC/qemu-plugin.h" ]; then
	ls qemu_*.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only qemu >/dev/null
	tar -xf qemu_*.orig.tar.* --wildcards '*/include/qemu/qemu-plugin.h'
	QINC=$(dirname "$(ls "$SRC"/qemu-*/include/qemu/qemu-plugin.h | head -n1)")
fi
# gnulib's sources want a config.h; nothing in it is needed here.
mkdir -p "$OUT/cfg"
: > "$OUT/cfg/config.h"

# ---- 2. -m64 --------------------------------------------------------------------
CF64="-O2 -fomit-frame-pointer -fno-stack-protector -fwrapv"
echo "building -m64 ($CF64)..."
$CC $CF64 -Wall -Wextra -I"$ROOT/lib" -c "$HERE/bench_sha256.c" -o "$OUT/bench64.o"
$CC $CF64 -DBENCH_PEER_GLUE -I"$CU/lib" -c "$HERE/bench_sha256.c" -o "$OUT/glue64.o"
$CC $CF64 -w -I"$OUT/cfg" -I"$CU/lib" -c "$CU/lib/sha256.c" -o "$OUT/cu64.o"
$CC $CF64 -Wall -Wextra -c "$ROOT/lib/sha256.c" -o "$OUT/ours64.o"
$CC $CF64 -Wall -Wextra -c "$ROOT/lib/util.c" -o "$OUT/util64.o"
$CC "$OUT/bench64.o" "$OUT/glue64.o" "$OUT/cu64.o" "$OUT/ours64.o" "$OUT/util64.o" \
	-lcrypto -o "$OUT/bench64"

# OPENSSL_ia32cap: "~mask" clears capability bits.  Word 1 is CPUID leaf 1
# (EDX low, ECX high: SSSE3 = ECX 9 -> bit 41, AVX = ECX 28 -> bit 60);
# word 2 is leaf 7 (EBX low: AVX2 = bit 5, SHA = bit 29).
NO_SHANI=":~0x20000000"
NO_SIMD="~0x1000020000000000:~0x20000020"

"$OUT/bench64" time "$SIZE" "$RUNS" ours ours-portable coreutils openssl > "$OUT/m64.txt"
OPENSSL_ia32cap=$NO_SHANI "$OUT/bench64" time "$SIZE" "$RUNS" openssl |
	sed 's/^openssl /openssl-no-shani /' >> "$OUT/m64.txt"
OPENSSL_ia32cap=$NO_SIMD "$OUT/bench64" time "$SIZE" "$RUNS" openssl |
	sed 's/^openssl /openssl-integer /' >> "$OUT/m64.txt"

# sha256sum itself, on the same bytes in a tmpfs file.
TMPF=$(mktemp /dev/shm/bench-sha256.XXXXXX 2>/dev/null || mktemp)
trap 'rm -f "$TMPF"' EXIT INT TERM
"$OUT/bench64" write "$TMPF" "$SIZE"
best=""
for r in $(seq "$RUNS"); do	# its user + system CPU time, like the others'
	ns=$(bash -c 'TIMEFORMAT="%3U %3S"; { time sha256sum "$1" > /dev/null; } 2>&1' sh "$TMPF" |
		awk '{ printf "%d", ($1 + $2) * 1e9 }')
	if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
done
sum=$(sha256sum "$TMPF" | cut -d' ' -f1)
echo "sha256sum $best $sum" >> "$OUT/m64.txt"

want=$(awk '$1 == "ours" { print $3 }' "$OUT/m64.txt")
if awk -v w="$want" '$3 != w { bad = 1; print "DIGEST MISMATCH: " $1 > "/dev/stderr" } END { exit bad }' "$OUT/m64.txt"; then
	echo "all -m64 digests agree ($want)"
else
	exit 1
fi

echo
echo "-m64 MB/s (CPU time) over $MB MiB, median of $RUNS interleaved runs (sha256sum: best of $RUNS, reading a tmpfs file) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); ours uses: $(grep -qw sha_ni /proc/cpuinfo && echo SHA-NI || echo portable C))"
awk -v size="$SIZE" '
	{ mbs[$1] = size / 1048576 / ($2 / 1e9); order[n++] = $1 }
	END {
		printf "%-18s %9s %12s %12s\n", "implementation", "MB/s", "ours/it", "portable/it"
		for (i = 0; i < n; i++) {
			k = order[i]
			printf "%-18s %9.1f %12.3f %12.3f\n", k, mbs[k], mbs["ours"] / mbs[k], mbs["ours-portable"] / mbs[k]
		}
	}' "$OUT/m64.txt" | tee "$OUT/m64-table.txt"
echo "(ours = SHA-NI where present; ours-portable = the i386 module's C; openssl = EVP with SHA-NI;"
echo " openssl-no-shani = its AVX2/SSSE3 asm; openssl-integer = its integer x86-64 asm; coreutils = gnulib C at -O2)"
md_text "-m64 MB/s (CPU time) over $MB MiB, median of $RUNS interleaved runs (sha256sum: best of $RUNS, reading a tmpfs file), every digest compared first ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); ours uses: $(grep -qw sha_ni /proc/cpuinfo && echo SHA-NI || echo portable C)).  ours = SHA-NI where present; ours-portable = the i386 module's C; openssl = EVP with SHA-NI; openssl-no-shani = its AVX2/SSSE3 asm; openssl-integer = its integer x86-64 asm; coreutils = gnulib C at -O2:" ""
md_block "$OUT/m64-table.txt"

# ---- 3. -m32 ---------------------------------------------------------------------
BUILTINS=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.builtins-i386.a 2>/dev/null | head -n1 || true)
if ! command -v qemu-i386 >/dev/null || [ -z "$BUILTINS" ]; then
	echo "skipping -m32 (need qemu-i386 and clang's i386 builtins)"
	md_text "-m32: skipped (need qemu-i386 and clang's i386 builtins)"
	md_end
	exit 0
fi
# The module's flags for lib/sha256.c (Makefile COM32_CFLAGS; -Os: it is
# not among FAST_SRCS), minus what only matters inside SYSLINUX.
CF32="-m32 -march=i386 -mpreferred-stack-boundary=2 -Os -fomit-frame-pointer -fno-stack-protector -fwrapv -freg-struct-return -fno-exceptions -fno-asynchronous-unwind-tables -fPIC -mregparm=3 -ffreestanding"
echo
echo "building -m32 ($CF32)..."
# No 32-bit libc headers exist: tiny stand-ins for the three gnulib's
# sha256.c includes (-D_LIBC_LIMITS_H_ as in bench-inflate.sh).
mkdir -p "$OUT/inc32"
cat > "$OUT/inc32/stdio.h" <<'EOF'
#include <stddef.h>
typedef struct bench_file FILE;
EOF
cat > "$OUT/inc32/string.h" <<'EOF'
#include <stddef.h>
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
EOF
cat > "$OUT/inc32/byteswap.h" <<'EOF'
#define bswap_32(x) __builtin_bswap32(x)
EOF
$CC $CF32 -Wall -Wextra -DBENCH_FREESTANDING -D_LIBC_LIMITS_H_ -I"$HERE" -I"$ROOT/lib" \
	-c "$HERE/bench_sha256.c" -o "$OUT/bench32.o"
$CC $CF32 -DBENCH_PEER_GLUE -I"$OUT/inc32" -I"$CU/lib" -c "$HERE/bench_sha256.c" -o "$OUT/glue32.o"
$CC $CF32 -w -I"$OUT/inc32" -I"$OUT/cfg" -I"$CU/lib" -c "$CU/lib/sha256.c" -o "$OUT/cu32.o"
$CC $CF32 -Wall -Wextra -c "$ROOT/lib/sha256.c" -o "$OUT/ours32.o"
$CC $CF32 -Wall -Wextra -c "$ROOT/lib/util.c" -o "$OUT/util32.o"
$CC $CF32 -Wall -Wextra -c "$HERE/bench_sys32.c" -o "$OUT/sys32.o"
$CC -m32 -nostdlib -static -no-pie "$OUT/bench32.o" "$OUT/glue32.o" "$OUT/cu32.o" \
	"$OUT/ours32.o" "$OUT/util32.o" "$OUT/sys32.o" "$BUILTINS" -o "$OUT/bench32"
$CC -O2 -shared -fPIC -Wall -I"$QINC" "$HERE/insn_plugin.c" -o "$OUT/libinsn.so"
echo "code size of the block function and streaming layer (-m32 -Os): ours $(size -A "$OUT/ours32.o" | awk '$1 == ".text" { print $2 }') bytes, coreutils $(size -A "$OUT/cu32.o" | awk '$1 == ".text" { print $2 }') bytes"

N32=4194304	# 4 MiB per counted run
count() {	# count IMPL -> "insns digest"
	r=$(qemu-i386 -cpu pentium -plugin "$OUT/libinsn.so" "$OUT/bench32" "$1" "$N32" 2>"$OUT/q.err") || {
		echo "bench32 $1 failed" >&2; cat "$OUT/q.err" >&2; exit 1; }
	echo "$(sed -n 's/^insns //p' "$OUT/q.err") ${r%% *}"
}
set -- $(count none); base=$1
set -- $(count ours); ours_i=$(($1 - base)) ours_d=$2
set -- $(count peer); peer_i=$(($1 - base)) peer_d=$2
if [ "$ours_d" != "$peer_d" ]; then
	echo "-m32 DIGEST MISMATCH: ours $ours_d, coreutils $peer_d" >&2
	exit 1
fi
echo "-m32 digests agree ($ours_d)"

# Native speed of the same i386 code (x86-64 Linux runs it directly), in
# CPU time: best of RUNS, 3 passes over BENCH_MB MiB each.
native() {	# native IMPL -> best microseconds
	b=""
	for r in $(seq "$RUNS"); do
		us=$("$OUT/bench32" "$1" "$SIZE" 3 | cut -d' ' -f2)
		if [ -z "$b" ] || [ "$us" -lt "$b" ]; then b=$us; fi
	done
	echo "$b"
}
ours_us=$(native ours)
peer_us=$(native peer)

echo
echo "-m32 (the module's code): instructions per byte (qemu-i386 -cpu pentium, $N32 bytes) and native MB/s (best of $RUNS)"
# ours at -m64 is what the efi64 module runs (SHA-NI when the CPU has it).
efi=$(awk -v size="$SIZE" '$1 == "ours" { printf "%.1f", size / 1048576 / ($2 / 1e9) }' "$OUT/m64.txt")
awk -v oi="$ours_i" -v pi="$peer_i" -v n="$N32" -v ou="$ours_us" -v pu="$peer_us" -v size="$SIZE" -v efi="$efi" '
	BEGIN {
		mo = 3 * size / 1048576 / (ou / 1e6); mp = 3 * size / 1048576 / (pu / 1e6)
		printf "%-18s %12s %12s\n", "implementation", "insns/byte", "MB/s"
		printf "%-18s %12.2f %12.1f\n", "ours", oi / n, mo
		printf "%-18s %12.2f %12.1f\n", "coreutils", pi / n, mp
		printf "%-18s %12.3f %12.3f\n", "ours/coreutils", (oi / n) / (pi / n), mo / mp
		print ""
		print "Cost while downloading (hashing runs in fetch_read() between transport reads,"
		print "so it adds rate/hash_rate to the transfer time):"
		for (r = 12; r <= 20; r += 8)
			printf "  at %2d MB/s: BIOS (i386) module +%.1f %% (%.1f MB/s hashing); efi64 module +%.1f %% (%.1f MB/s)\n",
			       r, 100 * r / mo, mo, 100 * r / efi, efi
	}' | tee "$OUT/m32-table.txt"
md_text "-m32 (the module's code, -Os): instructions per byte under qemu-i386 -cpu pentium ($N32 bytes) and native MB/s of the same binary (best of $RUNS); the efi64 module's rate is ours at -m64 above:" ""
md_block "$OUT/m32-table.txt"
md_end
