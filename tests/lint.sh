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
if [ $rc -eq 0 ] && [ -z "$out" ]; then
    echo "cppcheck: no findings in lib/ com32/ tools/"
    echo "lint: 1 passed, 0 failed"
else
    printf '%s\n' "$out"
    echo "lint: 0 passed, 1 failed"
    exit 1
fi
