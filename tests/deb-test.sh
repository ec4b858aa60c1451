#!/bin/sh
# The Debian package: `dpkg-buildpackage -us -uc -b` on a clean copy of the
# tree, then the .deb checked from the outside:
#   - metadata (dpkg-deb -I): name, version = the Makefile's VERSION,
#     architecture, Depends/Recommends/Enhances;
#   - contents (dpkg -c): exactly the expected files, nothing else;
#   - unpacked (dpkg -x into a scratch root): both modules byte-identical
#     to a plain `make` of the same copy, ELF objects of the right class
#     with a dynamic section; mboot-check runs; the man pages are
#     docs/'s pages;
#   - Build-Depends are exactly what the build used (tests/deb-builddeps.py
#     over an strace of the build);
#   - lintian: no errors or warnings;
#   - `debian/rules clean` gives back the tree as copied;
#   - installed for real with dpkg -i into a throw-away overlay of this
#     system (root, overlayfs, own mount namespace): SYSLINUX's mboot.c32
#     diverted aside and given back on removal.
# strace, lintian and syslinux-common come from tests/install-deps.sh; a
# check that cannot run here (no strace or ptrace refused, no lintian, not
# root, no overlayfs or mount rights, mboot installed on this system) is
# reported as a skip, and the last line is
# "deb: N passed, M failed, K skipped".
# $1 is the build directory; its syslinux-src is reused (SYSLINUX_SRC) so
# the syslinux source package is not fetched twice.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=$(cd "$B" && pwd)
passed=0 failed=0 skipped=0
ok()   { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "skip $*"; skipped=$((skipped + 1)); }
# skip_n N WHY: N checks that could not run here, each counted as a skip.
skip_n() { n=$1; shift; echo "skip $* ($n checks)"; skipped=$((skipped + n)); }
finish() {
    echo "deb: $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
}

t=$(mktemp -d /tmp/mboot-deb.XXXXXX)
trap 'rm -rf "$t"' EXIT
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
src="$t/src/mboot-$version"
mkdir -p "$src"

# 1. A clean copy: the files git knows (tracked, or new and not ignored),
# as they are now; no build/, no .git.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard |
        while IFS= read -r f; do [ -e "$f" ] && printf '%s\n' "$f"; done |
        tar -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude=./build --exclude=./debian/build -cf - . | tar -xf - -C "$src"
fi
[ -f "$src/debian/control" ] || { fail "copy of the tree has no debian/control"; finish; }

(cd "$src" && find . -type f -exec md5sum {} + | sort -k 2) > "$t/pristine.md5"

syslinux_src=""
[ -f "$B/syslinux-src/.complete" ] && syslinux_src=$(cd "$B/syslinux-src" && pwd -P)

# 2. The package build (under strace when there is one: what it touches).
trace=""
strace -f -qq -o /dev/null true 2>/dev/null &&
    trace="strace -f -qq -o $t/strace.log -e trace=execve,openat,open"
start=$(date +%s)
if (cd "$src" && SYSLINUX_SRC=$syslinux_src $trace \
        dpkg-buildpackage -us -uc -b) >"$t/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start )) s)"
else
    fail "dpkg-buildpackage -us -uc -b (log's errors and end):"
    grep -E -i 'error' "$t/build.log" | tail -n 10 | cut -c1-300
    tail -n 3 "$t/build.log" | cut -c1-300
    finish
fi
deb="$t/src/mboot_${version}_amd64.deb"
[ -f "$deb" ] && ok "built $(basename "$deb") ($(stat -c %s "$deb") bytes)" ||
    { fail "no $(basename "$deb") in: $(ls "$t/src")"; finish; }

# 3. Metadata.
field() { dpkg-deb -f "$deb" "$1"; }
expect_field() {
    v=$(field "$1")
    case $v in
    $2) ok "$1: $v" ;;
    *) fail "$1 is \"$v\", expected $2" ;;
    esac
}
expect_field Package mboot
expect_field Version "$version"
expect_field Architecture amd64
expect_field Depends "*syslinux-common (>= 3:6.04~), syslinux-common (<< 3:6.05~)*"
expect_field Depends "*libc6 (>= *"
expect_field Recommends "*pxelinux*"
expect_field Enhances "*pxelinux*syslinux-efi*"
cl=$(cd "$src" && dpkg-parsechangelog -S Version)
[ "$cl" = "$version" ] && ok "debian/changelog version $cl = Makefile VERSION" ||
    fail "debian/changelog version $cl, Makefile VERSION $version"

# 4. Contents: exactly these files.
cat > "$t/expected" <<EOF
./usr/bin/mboot-check
./usr/lib/syslinux/modules/bios/mboot.c32
./usr/lib/syslinux/modules/efi64/mboot.c32
./usr/share/doc/mboot/ERRORS.md.gz
./usr/share/doc/mboot/README.gz
./usr/share/doc/mboot/changelog.gz
./usr/share/doc/mboot/copyright
./usr/share/lintian/overrides/mboot
./usr/share/man/man1/mboot-check.1.gz
./usr/share/man/man7/mboot.c32.7.gz
EOF
dpkg -c "$deb" > "$t/listing"
grep -v '^d' "$t/listing" | awk '{print $NF}' | sort > "$t/files"
if diff -u "$t/expected" "$t/files" > "$t/diff"; then
    ok "dpkg -c: the $(wc -l < "$t/files") expected files, nothing else"
else
    fail "dpkg -c differs from the expected list:"; cat "$t/diff"
fi
bad=$(grep -v '^d' "$t/listing" | awk '$2 != "root/root"')
[ -z "$bad" ] && ok "every file owned by root/root" || fail "owners: $bad"

# 5. Unpacked into a scratch root.
r="$t/root"
dpkg -x "$deb" "$r" && ok "dpkg -x into a scratch root" || fail "dpkg -x"
if make -s -C "$src" BUILD="$t/ref" ${syslinux_src:+SYSLINUX_SRC=$syslinux_src} all \
        >"$t/ref.log" 2>&1; then
    for pair in "bios:$t/ref/mboot.c32:ELF32:Intel 80386" \
                "efi64:$t/ref/efi64/mboot.c32:ELF64:X86-64"; do
        fw=${pair%%:*} rest=${pair#*:}
        ref=${rest%%:*} rest=${rest#*:}
        class=${rest%%:*} machine=${rest#*:}
        m="$r/usr/lib/syslinux/modules/$fw/mboot.c32"
        cmp -s "$ref" "$m" && ok "$fw mboot.c32 byte-identical to make's ($(stat -c %s "$m") bytes)" ||
            fail "$fw mboot.c32 differs from a plain make of the same tree"
        h=$(readelf -h "$m" 2>&1)
        if printf '%s\n' "$h" | grep -q "Class: *$class" &&
           printf '%s\n' "$h" | grep -q "Type: *DYN" &&
           printf '%s\n' "$h" | grep -q "Machine: *.*$machine" &&
           readelf -d "$m" | grep -q 'NEEDED.*libcom32.c32'; then
            ok "$fw mboot.c32: $class $machine shared object needing libcom32.c32"
        else
            fail "$fw mboot.c32 is not a $class $machine COM32 module: $h"
        fi
    done
else
    fail "plain make of the copy: $(tail -n 5 "$t/ref.log")"
fi
help=$("$r/usr/bin/mboot-check" --help 2>&1)
rc=$?
[ "$rc" -eq 0 ] && printf '%s\n' "$help" | grep -q mboot-check &&
    ok "unpacked mboot-check --help runs (exit 0)" ||
    fail "unpacked mboot-check --help: exit $rc: $help"
for pair in "man/man1/mboot-check.1:docs/mboot-check.1" \
            "man/man7/mboot.c32.7:docs/mboot.c32.7" \
            "doc/mboot/README:README" "doc/mboot/ERRORS.md:docs/ERRORS.md"; do
    f="/usr/share/${pair%%:*}.gz"
    if zcat "$r$f" 2>/dev/null | cmp -s - "$src/${pair#*:}"; then
        ok "$f is ${pair#*:}"
    else
        fail "$f missing or not ${pair#*:}"
    fi
done

# 6. Build-Depends against what the build used.
if [ -n "$trace" ]; then
    out=$(python3 tests/deb-builddeps.py "$t/strace.log" debian/control)
    rc=$?
    printf '%s\n' "$out" | grep -v '^ok' | sed 's/^/     /'
    [ "$rc" -eq 0 ] && ok "Build-Depends match the build: $(printf '%s\n' "$out" | tail -n 1)" ||
        fail "Build-Depends: $(printf '%s\n' "$out" | grep FAIL)"
else
    skip "Build-Depends check (strace missing or not permitted)"
fi

# 7. lintian.
if command -v lintian >/dev/null 2>&1; then
    out=$(lintian --pedantic "$t/src/mboot_${version}_amd64.changes" 2>&1 |
        grep -v 'running with root privileges')
    tags=$(printf '%s\n' "$out" | grep -E '^[EW]: ')
    [ -z "$tags" ] && ok "lintian --pedantic: no errors or warnings${out:+ ($out)}" ||
        fail "lintian: $tags"
else
    skip "lintian (not installed)"
fi

# 8. `debian/rules clean` leaves the tree as it was before the build.
(cd "$src" && debian/rules clean >/dev/null 2>&1 &&
    find . -type f -exec md5sum {} + | sort -k 2) > "$t/after.md5"
if diff "$t/pristine.md5" "$t/after.md5" > "$t/clean.diff"; then
    ok "debian/rules clean restores the tree ($(wc -l < "$t/after.md5") files)"
else
    fail "debian/rules clean leaves the tree changed:"; head -n 20 "$t/clean.diff"
fi

# 9. dpkg -i / dpkg -r in an overlay of this system, in its own mount
# namespace (nothing reaches the real system; everything goes with $t).
# overlayfs is a module that a fresh system has not loaded yet: it is not
# in /proc/filesystems until the first overlay mount (which loads it) or a
# modprobe, so the mount itself below is what decides, not that list.
stock_md5=$(grep ' usr/lib/syslinux/modules/bios/mboot.c32$' \
    /var/lib/dpkg/info/syslinux-common.md5sums 2>/dev/null | cut -d' ' -f1)
OVERLAY_CHECKS=8  # the expect_inside lines below
why=""
[ "$(id -u)" -ne 0 ] && why="not root"
[ -z "$why" ] && ! command -v unshare >/dev/null 2>&1 && why="no unshare"
[ -z "$why" ] && [ -z "$stock_md5" ] && why="syslinux-common not installed"
[ -z "$why" ] && dpkg-divert --list | grep -q 'by mboot$' &&
    why="mboot is installed on this system"
if [ -n "$why" ]; then
    skip_n "$OVERLAY_CHECKS" "dpkg -i in an overlay: $why"
else
    grep -qw overlay /proc/filesystems || modprobe -q overlay 2>/dev/null
    ours_md5=$(md5sum "$r/usr/lib/syslinux/modules/bios/mboot.c32" | cut -d' ' -f1)
    cp "$deb" "$t/mboot.deb"
    cat > "$t/inside.sh" <<EOF
set -u
m=/usr/lib/syslinux/modules/bios
sum() { md5sum "\$1" 2>/dev/null | cut -d' ' -f1; }
dpkg -i /mboot-test/mboot.deb >/mboot-test/dpkg-i.log 2>&1 || { echo "dpkg-i-failed"; tail -n 5 /mboot-test/dpkg-i.log; }
echo "installed-ours=\$([ "\$(sum \$m/mboot.c32)" = $ours_md5 ] && echo yes || echo no)"
echo "stock-diverted=\$([ "\$(sum \$m/mboot-syslinux.c32)" = $stock_md5 ] && echo yes || echo no)"
echo "diversions=\$(dpkg-divert --list | grep -c 'by mboot\$')"
echo "man=\$(man -w mboot.c32 2>&1)"
echo "help=\$(mboot-check --help >/dev/null 2>&1; echo \$?)"
dpkg -i /mboot-test/mboot.deb >/dev/null 2>&1 && echo reinstall=ok || echo reinstall=failed
dpkg -r mboot >/mboot-test/dpkg-r.log 2>&1 || echo "dpkg-r-failed"
echo "stock-back=\$([ "\$(sum \$m/mboot.c32)" = $stock_md5 ] && echo yes || echo no)"
echo "leftover=\$(ls \$m/mboot-syslinux.c32 2>/dev/null; dpkg-divert --list | grep 'by mboot\$')"
EOF
    ov="$t/ov"
    mkdir -p "$ov"
    res=$(unshare -m sh -c "
        set -e
        mount -t tmpfs mboot-test '$ov'
        mkdir '$ov/u' '$ov/w' '$ov/m'
        mount -t overlay mboot-test -o lowerdir=/,upperdir='$ov/u',workdir='$ov/w' '$ov/m'
        mount --rbind /dev '$ov/m/dev'
        mount -t proc proc '$ov/m/proc'
        mkdir '$ov/m/mboot-test'
        mount --bind '$t' '$ov/m/mboot-test'
        echo overlay-ready
        chroot '$ov/m' sh /mboot-test/inside.sh" 2>&1)
    echo "$res" | sed 's/^/     /'
    if ! printf '%s\n' "$res" | grep -qx overlay-ready; then
        skip_n "$OVERLAY_CHECKS" "dpkg -i in an overlay: could not mount one here (no overlayfs, or a container without mount rights)"
        finish
    fi
    expect_inside() {
        printf '%s\n' "$res" | grep -qx "$1" && ok "overlay: $2" || fail "overlay: $2 (no \"$1\")"
    }
    expect_inside "installed-ours=yes" "dpkg -i puts our module at modules/bios/mboot.c32"
    expect_inside "stock-diverted=yes" "SYSLINUX's mboot.c32 diverted to mboot-syslinux.c32"
    expect_inside "diversions=2" "two diversions (bios, efi64) by mboot"
    expect_inside "man=/usr/share/man/man7/mboot.c32.7.gz" "man mboot.c32 finds the page"
    expect_inside "help=0" "installed mboot-check --help"
    expect_inside "reinstall=ok" "dpkg -i again (upgrade path)"
    expect_inside "stock-back=yes" "dpkg -r gives SYSLINUX its mboot.c32 back"
    expect_inside "leftover=" "no diversion or diverted file left after dpkg -r"
fi
finish
