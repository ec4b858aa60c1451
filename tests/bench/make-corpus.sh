#!/bin/sh
# make-corpus.sh BUILD_DIR - build the inflate benchmark corpus (cached) in
# BUILD_DIR/bench-corpus:
#   xen-4.17-amd64.gz     Debian's Xen hypervisor image (from the .deb,
#                         cached in BUILD_DIR/debs, shared with other scripts)
#   initrd-gz1/6/9.gz     ~150 MB newc cpio of libraries and locale files
#                         from this machine at gzip -1, -6, -9
#   sparse.gz             64 MiB, mostly zeros
#   random.gz             32 MiB of random bytes (stored blocks)
# plus NAME.sha256, the SHA-256 of each file's decompressed content.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

B=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
C="$B/bench-corpus"
DEBS="$B/debs"
mkdir -p "$C" "$DEBS"

if [ ! -s "$C/xen-4.17-amd64.gz" ]; then
	deb=$(ls "$DEBS"/xen-hypervisor-4.17-amd64_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		(cd "$DEBS" && apt-get download xen-hypervisor-4.17-amd64)
		deb=$(ls "$DEBS"/xen-hypervisor-4.17-amd64_*.deb | head -n1)
	fi
	rm -rf "$C/xen-root"
	dpkg-deb -x "$deb" "$C/xen-root"
	cp "$C/xen-root/boot/xen-4.17-amd64.gz" "$C/xen-4.17-amd64.gz"
	rm -rf "$C/xen-root"
fi

if [ ! -s "$C/initrd-gz9.gz" ]; then
	# Regular files, in a stable order, until ~150 MB (files > 16 MB
	# skipped so that one big blob does not dominate).
	find /usr/lib /usr/share/locale -xdev -type f -size -16M -printf '%s %p\n' 2>/dev/null |
		sort -k2 |
		awk 'BEGIN { t = 0 } { if (t > 150000000) exit; t += $1; sub(/^[0-9]+ /, ""); print }' \
			> "$C/initrd.list"
	cpio -o -H newc --quiet < "$C/initrd.list" > "$C/initrd.cpio" 2>/dev/null || true
	gzip -1 -n -c "$C/initrd.cpio" > "$C/initrd-gz1.gz"
	gzip -6 -n -c "$C/initrd.cpio" > "$C/initrd-gz6.gz"
	gzip -9 -n -c "$C/initrd.cpio" > "$C/initrd-gz9.gz.tmp"
	mv "$C/initrd-gz9.gz.tmp" "$C/initrd-gz9.gz"
	rm -f "$C/initrd.cpio" "$C/initrd.list"
fi

if [ ! -s "$C/sparse.gz" ]; then
	python3 -c '
import os, sys
out = bytearray(64 << 20)
for off in range(0, len(out), 1 << 20):
    out[off:off + 1024] = os.urandom(1024)
sys.stdout.buffer.write(out)' | gzip -6 -n > "$C/sparse.gz"
fi

if [ ! -s "$C/random.gz" ]; then
	head -c $((32 << 20)) /dev/urandom | gzip -6 -n > "$C/random.gz"
fi

for f in "$C"/*.gz; do
	[ -s "$f.sha256" ] || gzip -dc "$f" | sha256sum | cut -d' ' -f1 > "$f.sha256"
done
