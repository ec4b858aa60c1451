#!/bin/sh
# bench-inflate.sh BUILD_DIR - benchmark our gzip decoder against zlib 1.2.13
# and libdeflate 1.14 built from Debian's sources with the same flags.
#
#  1. apt-get source zlib libdeflate (+ qemu's plugin header) into
#     BUILD_DIR/bench-src (cached)
#  2. corpus in BUILD_DIR/bench-corpus (make-corpus.sh, cached)
#  3. -m64 host build: verify every decoder's output SHA-256, then report
#     output MB/s (median of BENCH_RUNS runs, default 5) per file, the
#     ratios ours/libdeflate and ours/zlib, and their geometric means
#  4. -m32 build with the module's flags (freestanding, static, own
#     syscall shim) run under qemu-i386 -cpu pentium (no SSE/PCLMUL/BMI2:
#     libdeflate's CPU dispatch picks its generic code) with an
#     instruction-counting TCG plugin: instructions per output byte
#
# Environment: BENCH_RUNS (default 5), BENCH_FILES (subset of the corpus),
# BENCH_M64=0 / BENCH_M32=0 to skip a part, CC (default gcc).
# The tables also go to BUILD_DIR/bench/inflate.md (tests/bench/benchmd.sh),
# docs/BENCH.md's section.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

B=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC="$B/bench-src"
OUT="$B/bench"
RUNS=${BENCH_RUNS:-5}
CC=${CC:-gcc}
mkdir -p "$SRC" "$OUT"
. "$HERE/benchmd.sh"
md_begin "$B" inflate "Inflate: ours vs libdeflate 1.14 vs zlib 1.2.13" \
	"$(md_command "tests/bench/bench-inflate.sh" "$@")"

# ---- 1. sources ---------------------------------------------------------
cd "$SRC"
ZSRC=$(ls -d "$SRC"/zlib-1.2.13* 2>/dev/null | head -n1 || true)
[ -n "$ZSRC" ] || { apt-get source zlib >/dev/null; ZSRC=$(ls -d "$SRC"/zlib-1.2.13* | head -n1); }
LSRC="$SRC/libdeflate-1.14"
[ -d "$LSRC" ] || apt-get source libdeflate >/dev/null
QINC="$SRC/qemu-7.2.0/include/qemu"
if [ ! -f "$QINC/qemu-plugin.h" ]; then
	ls qemu_*.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only qemu >/dev/null
	tar -xf qemu_*.orig.tar.* --wildcards '*/include/qemu/qemu-plugin.h'
	QINC=$(dirname "$(ls "$SRC"/qemu-*/include/qemu/qemu-plugin.h | head -n1)")
fi

# ---- 2. corpus ----------------------------------------------------------
"$HERE/make-corpus.sh" "$B"
C="$B/bench-corpus"
FILES=${BENCH_FILES:-"xen-4.17-amd64.gz initrd-gz1.gz initrd-gz6.gz initrd-gz9.gz sparse.gz random.gz"}

# ---- 3. -m64 build and wall-clock run -----------------------------------
ZFILES="adler32 crc32 inffast inflate inftrees zutil"
LFILES="deflate_decompress gzip_decompress crc32 utils x86/cpu_features"
OFILES="crc32 inflate gzip util"

# build_all DIR "CFLAGS" EXTRA_ZLIB_FLAGS EXTRA_LIBDEFLATE_FLAGS
build_all() {
	d=$1 cf=$2
	mkdir -p "$d"
	objs=""
	for f in $ZFILES; do
		$CC $cf $3 -w -c "$ZSRC/$f.c" -o "$d/z_$f.o"
		objs="$objs $d/z_$f.o"
	done
	for f in $LFILES; do
		o="$d/ld_$(basename $f).o"
		$CC $cf $4 -w -I"$LSRC" -c "$LSRC/lib/$f.c" -o "$o"
		objs="$objs $o"
	done
	for f in $OFILES; do
		$CC $cf -Wall -Wextra -c "$ROOT/lib/$f.c" -o "$d/our_$f.o"
		objs="$objs $d/our_$f.o"
	done
	echo "$objs"
}

CF64="-O2 -fomit-frame-pointer -fno-stack-protector -fwrapv"
if [ "${BENCH_M64:-1}" != 0 ]; then
echo "building -m64 ($CF64)..."
objs=$(build_all "$OUT/obj64" "$CF64" "" "")
$CC $CF64 -Wall -Wextra -I"$ROOT/lib" -I"$LSRC" -I"$ZSRC" \
	"$HERE/bench_inflate.c" $objs -o "$OUT/bench64"

echo "verifying outputs (SHA-256)..."
for f in $FILES; do
	want=$(cat "$C/$f.sha256")
	for dec in ours libdeflate zlib; do
		got=$("$OUT/bench64" dump $dec "$C/$f" | sha256sum | cut -d' ' -f1)
		if [ "$got" != "$want" ]; then
			echo "SHA-256 MISMATCH: $dec on $f" >&2
			exit 1
		fi
	done
done
echo "all outputs verified"

echo
echo "-m64 wall clock, output MB/s, median of $RUNS interleaved runs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
printf '%-20s %9s %10s %10s %10s %9s %9s\n' file out_MB ours libdeflate zlib ours/ld ours/zlib
: > "$OUT/m64.txt"
for f in $FILES; do
	echo "$f $("$OUT/bench64" time "$C/$f" "$RUNS" ours libdeflate zlib)" >> "$OUT/m64.txt"
done
awk '{
	n = $2; mo = n / $3 * 1000; ml = n / $4 * 1000; mz = n / $5 * 1000
	printf "%-20s %9.1f %10.1f %10.1f %10.1f %9.3f %9.3f\n", $1, n / 1e6, mo, ml, mz, mo / ml, mo / mz
	gl += log(mo / ml); gz += log(mo / mz); k++
} END {
	printf "%-20s %9s %10s %10s %10s %9.3f %9.3f\n", "geomean", "", "", "", "", exp(gl / k), exp(gz / k)
}' "$OUT/m64.txt" | tee "$OUT/m64-table.txt"
md_text "-m64 wall clock, output MB/s, median of $RUNS interleaved runs, every output's SHA-256 checked first ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')):" ""
{ printf '%-20s %9s %10s %10s %10s %9s %9s\n' file out_MB ours libdeflate zlib ours/ld ours/zlib
  cat "$OUT/m64-table.txt"; } > "$OUT/m64-md.txt"
md_block "$OUT/m64-md.txt"
fi

# ---- 4. -m32 instruction counts under qemu-i386 ---------------------------
[ "${BENCH_M32:-1}" != 0 ] || { md_end; exit 0; }
BUILTINS=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.builtins-i386.a 2>/dev/null | head -n1 || true)
if ! command -v qemu-i386 >/dev/null || [ -z "$BUILTINS" ]; then
	echo "skipping -m32 instruction counts (need qemu-i386 and clang's i386 builtins)"
	md_text "-m32 instruction counts: skipped (need qemu-i386 and clang's i386 builtins)"
	md_end
	exit 0
fi
CF32="-m32 -march=i386 -mpreferred-stack-boundary=2 -O2 -fomit-frame-pointer -fno-stack-protector -fwrapv -freg-struct-return -fno-exceptions -fno-asynchronous-unwind-tables -fPIC -mregparm=3 -ffreestanding"
echo
echo "building -m32 ($CF32)..."
# No 32-bit libc headers exist: -D_LIBC_LIMITS_H_ makes GCC's <limits.h>
# self-contained, and an empty <mm_malloc.h> keeps <immintrin.h> (used by
# libdeflate's x86 code) from pulling in <stdlib.h>.
mkdir -p "$OUT/inc32"
echo '#define _MM_MALLOC_H_INCLUDED' > "$OUT/inc32/mm_malloc.h"
objs=$(build_all "$OUT/obj32" "$CF32 -D_LIBC_LIMITS_H_ -I$OUT/inc32" "-DZ_SOLO" "-DFREESTANDING")
$CC $CF32 -Wall -Wextra -DBENCH_FREESTANDING -D_LIBC_LIMITS_H_ -DZ_SOLO -I"$HERE" -I"$ROOT/lib" -I"$LSRC" -I"$ZSRC" \
	-c "$HERE/bench_inflate.c" -o "$OUT/obj32/bench.o"
$CC $CF32 -Wall -Wextra -c "$HERE/bench_sys32.c" -o "$OUT/obj32/sys32.o"
$CC -m32 -nostdlib -static -no-pie "$OUT/obj32/bench.o" "$OUT/obj32/sys32.o" \
	$objs "$BUILTINS" -o "$OUT/bench32"
$CC -O2 -shared -fPIC -Wall -I"$QINC" "$HERE/insn_plugin.c" -o "$OUT/libinsn.so"

count() {	# count DECODER FILE -> "insns crc"
	r=$(qemu-i386 -cpu pentium -plugin "$OUT/libinsn.so" "$OUT/bench32" "$1" "$2" 2>"$OUT/q.err") || {
		echo "bench32 $1 $2 failed" >&2; cat "$OUT/q.err" >&2; exit 1; }
	echo "$(sed -n 's/^insns //p' "$OUT/q.err") $r"
}
echo "-m32 (qemu-i386 -cpu pentium) instructions per output byte, decode only"
printf '%-20s %10s %10s %10s %9s %9s\n' file ours libdeflate zlib ours/ld ours/zlib
: > "$OUT/m32.txt"
for f in $FILES; do
	set -- $(count none "$C/$f")
	base=$1 size=$3
	want=$(printf '%x' $(od -An -tu4 -j $(($(stat -c %s "$C/$f") - 8)) -N4 "$C/$f"))
	line="$f $size"
	for dec in ours libdeflate zlib; do
		set -- $(count $dec "$C/$f")
		if [ "$2" != "$want" ]; then
			echo "CRC MISMATCH: $dec on $f ($2 != $want)" >&2
			exit 1
		fi
		line="$line $(($1 - base))"
	done
	echo "$line" >> "$OUT/m32.txt"
done
awk '{
	o = $3 / $2; l = $4 / $2; z = $5 / $2
	printf "%-20s %10.3f %10.3f %10.3f %9.3f %9.3f\n", $1, o, l, z, o / l, o / z
	gl += log(o / l); gz += log(o / z); k++
} END {
	printf "%-20s %10s %10s %10s %9.3f %9.3f\n", "geomean", "", "", "", exp(gl / k), exp(gz / k)
}' "$OUT/m32.txt" | tee "$OUT/m32-table.txt"
md_text "-m32 (module flags, qemu-i386 -cpu pentium: libdeflate without its CPU features) instructions per output byte, decode only, counted by tests/bench/insn_plugin.c:" ""
{ printf '%-20s %10s %10s %10s %9s %9s\n' file ours libdeflate zlib ours/ld ours/zlib
  cat "$OUT/m32-table.txt"; } > "$OUT/m32-md.txt"
md_block "$OUT/m32-md.txt"
md_end
