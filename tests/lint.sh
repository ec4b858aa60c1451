#!/bin/sh
# Static analysis of our own C code (lib/, com32/, tools/): cppcheck must report nothing.
set -u
cd "$(dirname "$0")/.."
if ! command -v cppcheck >/dev/null; then
    echo "cppcheck missing"; echo "lint: 0 passed, 1 failed"; exit 1
fi
out=$(cppcheck -q --std=c99 --enable=warning,portability,performance \
      --inline-suppr --error-exitcode=1 -D__i386__ -D__BYTE_ORDER__=1234 -D__ORDER_LITTLE_ENDIAN__=1234 -Ilib lib com32 tools 2>&1)
rc=$?
passed=0 failed=0
if [ $rc -eq 0 ] && [ -z "$out" ]; then
    echo "cppcheck: no findings in lib/ com32/ tools/"
    passed=$((passed + 1))
else
    printf '%s\n' "$out"
    failed=$((failed + 1))
fi
# Functions of SYSLINUX 6.04's libcom32 that the module must not call,
# because they are wrong there: memchr() compares the first byte n times
# and never advances (com32/lib/memchr.c).  Code built into the module
# (lib/, com32/) finds bytes with its own loops instead.
bad=$(grep -nE '\bmemchr[[:space:]]*\(' lib/*.c lib/*.h com32/*.c com32/*.h)
if [ -z "$bad" ]; then
    echo "libcom32: no call to its broken memchr() in lib/ com32/"
    passed=$((passed + 1))
else
    printf '%s\n' "$bad"
    echo "FAIL the module calls memchr(), which SYSLINUX 6.04's libcom32 gets wrong"
    failed=$((failed + 1))
fi
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
