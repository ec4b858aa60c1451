#!/bin/sh
# `make install DESTDIR=...` puts both modules where SYSLINUX's packages
# keep theirs, byte-identical to the build.
set -u
B=${1:-build}
d=$(mktemp -d)
passed=0 failed=0
make -s install DESTDIR="$d" >/dev/null
for pair in "bios:$B/mboot.c32" "efi64:$B/efi64/mboot.c32"; do
    fw=${pair%%:*} src=${pair#*:}
    dst="$d/usr/lib/syslinux/modules/$fw/mboot.c32"
    if cmp -s "$src" "$dst"; then
        echo "ok   $dst"; passed=$((passed + 1))
    else
        echo "FAIL $dst missing or different"; failed=$((failed + 1))
    fi
done
rm -rf "$d"
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
