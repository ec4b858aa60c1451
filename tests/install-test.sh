#!/bin/sh
# `make install DESTDIR=... PREFIX=...` puts both modules where SYSLINUX's
# packages keep theirs, mboot-check into bin, the two manual pages into
# share/man and README and docs/ERRORS.md into share/doc/mboot, each
# byte-identical to the build or to the tree.  The pages must
# format without a single groff warning, have a NAME line whatis can read
# and name every option the code accepts; the installed mboot-check must
# run.  $1 is the build directory.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
passed=0 failed=0
ok()   { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# Lint one installed page: groff's warnings (all of them), man-db's
# formatting warnings, and whatis's parse of the NAME section.
check_page() {
    page=$1 n=$p/${1#"$r"/}
    w=$(groff -man -ww -z "$page" 2>&1)
    [ -z "$w" ] && ok "$n: groff -man -ww -z: no warnings" ||
        fail "$n: groff -man -ww -z: $w"
    w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    [ -z "$w" ] && ok "$n: man --warnings -l: no warnings" ||
        fail "$n: man --warnings -l: $w"
    w=$(lexgrog "$page" 2>&1)
    case $w in
    *': "'*' - '*) ok "$n: whatis entry: ${w#*: }" ;;
    *) fail "$n: lexgrog cannot read the NAME section: $w" ;;
    esac
}

# The text of a page as a reader sees it: one long line per paragraph, no
# hyphenation, plain ASCII.
page_text() {
    groff -man -Tascii -P-cbou -rLL=400n -rHY=0 "$1" 2>/dev/null
}

# The options a page explains: the tags of its tagged paragraphs (.TP),
# which start at the section indentation, e.g. "       -n, -dry-run" or
# "       -m, --ram SIZE".
page_tags() {
    page_text "$1" | grep -E '^       -' | sed -E 's/^ +//; s/   .*//'
}

# True if option $1 (e.g. "-v", "--ram", "-sha256=") is in tags $2.
tagged() {
    case $1 in
    *=) printf '%s\n' "$2" | grep -qE -- "(^|[ ,])$1" ;;
    *)  printf '%s\n' "$2" | grep -qE -- "(^|[ ,])$1([ ,=]|$)" ;;
    esac
}

# Every option the module's parser accepts (the string literals compared
# in lib/cmdline.c) must have its own entry in mboot.c32.7.
check_module_options() {
    page=$1 n=$p/${1#"$r"/}
    tags=$(page_tags "$page")
    opts=$(tests/cmdline-options.sh)
    [ -n "$opts" ] || { fail "no options found in lib/cmdline.c"; return; }
    missing=""
    for o in $opts; do
        tagged "$o" "$tags" || missing="$missing $o"
    done
    [ -z "$missing" ] && ok "$n names every option of lib/cmdline.c:" $opts ||
        fail "$n does not explain:$missing"
}

# The limits mboot.c32.7 states are the code's: module count and line
# length (lib/cmdline.h), fallback label length, retry bounds
# (lib/retry.h).
check_module_numbers() {
    page=$1 n=$p/${1#"$r"/}
    text=$(page_text "$page" | tr -s ' \n' '  ')
    def() { sed -n "s/^#define $1[[:space:]]*\([0-9]*\).*/\1/p" "$2"; }
    files=$(def MB_MAX_FILES lib/cmdline.h)
    cmax=$(def MB_CMDLINE_MAX lib/cmdline.h)
    label=$(sed -n 's/.*char fallback\[\([0-9]*\)\].*/\1/p' lib/cmdline.h)
    row=$(def MB_RETRY_IN_ROW lib/retry.h)
    total=$(def MB_RETRY_TOTAL lib/retry.h)
    bad=""
    for phrase in "At most $((files - 1)) modules" "$cmax characters" \
                  "At most $((label - 1)) characters" \
                  "at most $row times in a row" "$total times per file"; do
        case $text in
        *"$phrase"*) ;;
        *) bad="$bad \"$phrase\"" ;;
        esac
    done
    [ -z "$bad" ] && ok "$n states the code's limits ($files files, $cmax characters, label $label, retries $row/$total)" ||
        fail "$n does not say:$bad"
}

# The installed mboot-check answers --help, and every option its help
# lists has its own entry in mboot-check.1.
check_checker() {
    bin=$1 page=$2 n=$p/${2#"$r"/} nb=$p/${1#"$r"/}
    help=$("$bin" --help 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && printf '%s\n' "$help" | grep -q 'mboot-check'; then
        ok "$nb --help (exit 0, $(printf '%s\n' "$help" | wc -l) lines)"
    else
        fail "$nb --help: exit $rc: $help"
        return
    fi
    tags=$(page_tags "$page")
    # The option list of --help: the lines "  -c, --config FILE    text"
    # of its "options:" paragraph.
    opts=$(printf '%s\n' "$help" | awk '/^options:/ { on = 1; next }
            on && /^$/ { exit } on' | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
        grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u)
    [ -n "$opts" ] || { fail "no option list in $nb --help"; return; }
    missing=""
    for o in $opts; do
        tagged "$o" "$tags" || missing="$missing $o"
    done
    [ -z "$missing" ] && ok "$n names every option of --help:" $opts ||
        fail "$n does not explain:$missing"
}

# 1. The default layout (PREFIX=/usr, as the Debian package uses it).
if ! make -s BUILD="$B" install DESTDIR="$d/default" >"$d/log" 2>&1; then
    fail "make install DESTDIR=$d/default: $(tail -n 5 "$d/log")"
fi
for pair in "bios:$B/mboot.c32" "efi64:$B/efi64/mboot.c32"; do
    fw=${pair%%:*} src=${pair#*:}
    dst="$d/default/usr/lib/syslinux/modules/$fw/mboot.c32"
    if cmp -s "$src" "$dst"; then ok "${dst#"$d"/default} = $src"
    else fail "$dst missing or different from $src"; fi
done

# 2. Another PREFIX: everything, under it and nowhere else.
p=/opt/mboot
if ! make -s BUILD="$B" install DESTDIR="$d/opt" PREFIX=$p >"$d/log" 2>&1; then
    fail "make install DESTDIR=$d/opt PREFIX=$p: $(tail -n 5 "$d/log")"
fi
r="$d/opt$p"
for pair in "lib/syslinux/modules/bios/mboot.c32:$B/mboot.c32" \
            "lib/syslinux/modules/efi64/mboot.c32:$B/efi64/mboot.c32" \
            "bin/mboot-check:$B/mboot-check" \
            "share/man/man1/mboot-check.1:docs/mboot-check.1" \
            "share/man/man7/mboot.c32.7:docs/mboot.c32.7" \
            "share/doc/mboot/README:README" \
            "share/doc/mboot/ERRORS.md:docs/ERRORS.md"; do
    rel=${pair%%:*} src=${pair#*:}
    if cmp -s "$src" "$r/$rel"; then ok "$p/$rel = $src"
    else fail "$p/$rel missing or different from $src"; fi
done
if [ -d "$r" ]; then
    extra=$(cd "$d/opt" && find . -type f | sed 's|^\.||' | grep -v "^$p/")
    [ -z "$extra" ] && ok "nothing installed outside $p" ||
        fail "installed outside $p: $extra"
fi
[ -x "$r/bin/mboot-check" ] && ok "$p/bin/mboot-check is executable" ||
    fail "$p/bin/mboot-check is not executable"

for page in "$r/share/man/man1/mboot-check.1" "$r/share/man/man7/mboot.c32.7"; do
    [ -f "$page" ] && check_page "$page"
done
[ -f "$r/share/man/man7/mboot.c32.7" ] &&
    check_module_options "$r/share/man/man7/mboot.c32.7" &&
    check_module_numbers "$r/share/man/man7/mboot.c32.7"
[ -x "$r/bin/mboot-check" ] &&
    check_checker "$r/bin/mboot-check" "$r/share/man/man1/mboot-check.1"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
