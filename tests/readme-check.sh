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
echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
