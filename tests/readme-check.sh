#!/bin/sh
# Keep the README true to the code: every error code (lib/error.c's names)
# has a row in its Errors table, and every option lib/cmdline.c accepts has
# a row in its Options table.  Prints "readme: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0
check() {	# check WHAT PATTERN: PATTERN must start a README table row
	if grep -q -- "^| \`$2\`" README || grep -q -- "^| \`$2\`," README; then
		passed=$((passed + 1))
	else
		echo "FAIL README has no $1 row for $2"
		failed=$((failed + 1))
	fi
}
codes=$(sed -n 's/^[[:space:]]*\[MB_E_[A-Z0-9_]*\] = "\([a-z0-9-]*\)",$/\1/p' lib/error.c)
[ -n "$codes" ] || { echo "FAIL no error codes found in lib/error.c"; failed=$((failed + 1)); }
for c in $codes; do check "error code" "$c"; done
# Options: every word cmdline.c's parser accepts.
opts=$(tests/cmdline-options.sh)
[ -n "$opts" ] || { echo "FAIL no options found in lib/cmdline.c"; failed=$((failed + 1)); }
for o in $opts; do
	case $o in
	*=) pat="$o[A-Z]*" ;;
	*) pat="$o" ;;
	esac
	if grep -q -- "^| \`$pat\`\|^| \`[^|]*, \`$pat\`\|^| \`$pat\`, " README; then
		passed=$((passed + 1))
	else
		echo "FAIL README's Options table has no row for $o"
		failed=$((failed + 1))
	fi
done
# The quick start's two commands are make targets.
for t in demo check; do
	if grep -q "^    make $t\b" README && grep -q "^$t:" Makefile; then
		passed=$((passed + 1))
	else
		echo "FAIL quick start command make $t missing from README or Makefile"
		failed=$((failed + 1))
	fi
done
# Numbers the README (and the manual pages) state, against the code that
# sets them.
claim() {	# claim WHAT FILE PATTERN: PATTERN (grep -E) must be in FILE
	# Line breaks read as spaces: a claim may wrap.
	if tr -s '\n' ' ' < "$2" | grep -qE -- "$3"; then
		passed=$((passed + 1))
	else
		echo "FAIL $2 does not say $1 (/$3/)"
		failed=$((failed + 1))
	fi
}
define() {	# define NAME FILE: the value of "#define NAME VALUE" in FILE
	sed -nE "s/^#define[[:space:]]+$1[[:space:]]+([^[:space:]/]+).*/\1/p" "$2"
}
old=$(define LINT_XEN_MODULES_TO_4_19 tools/lint.h)
new=$(define LINT_XEN_MODULES_FROM_4_20 tools/lint.h)
for f in README docs/mboot.c32.7 docs/mboot-check.1; do
	claim "Xen's module limits ($old up to 4.19, $new from 4.20)" "$f" \
		"first $old up to (Xen )?4\.19, $new from 4\.20"
done
[ "$(define TFTP_READAHEAD com32/fetch_tftp.c)" = "(1024u" ] &&
	claim "the 1 MiB read-ahead buffer" README "1 MiB read-ahead buffer" ||
	claim "a read-ahead buffer of TFTP_READAHEAD (no longer 1 MiB)" README "^$"
[ "$(define IPXE_READ_CHUNK com32/fetch_ipxe.c)" = "(64u" ] &&
	[ "$(define IPXE_BOUNCE_SIZE com32/fetch_ipxe.c)" = "4096" ] &&
	grep -q 'len > (1u << 16) ? (1u << 16)' com32/fetch_pxelinux.c &&
	claim "64 KiB reads and iPXE's 4 KiB bounce buffer" README "4 KiB bounce buffer in low memory" ||
	claim "the iPXE/PXELINUX read sizes (no longer 64 KiB, 4 KiB)" README "^$"
claim "the retry limits of lib/retry.h" README \
	"at most $(define MB_RETRY_IN_ROW lib/retry.h) times in a row without progress, $(define MB_RETRY_TOTAL lib/retry.h) per file"
# The tests the README names for its load-order claims exist.
for c in out-of-memory out-of-memory-gunzip quiet; do
	claim "boottest case $c" qemu/boottest.py "Case\\(\"$c\","
done
for t in tests/unit/test_fetch.c tests/unit/test_aout_option.c tests/errors-check.sh; do
	claim "$t, which the README names" README "$t" && [ -f "$t" ] ||
		{ echo "FAIL $t is missing"; failed=$((failed + 1)); }
done
echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
