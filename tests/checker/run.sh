#!/bin/sh
# The mboot-check suite of `make check`: the checker on the host against
# the QEMU boot tests' own cases and fixtures, plus its own cases
# (tests/checker/checktest.py).  $1 is the build directory.  Last line:
# "checker: N passed, M failed".
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$top/tests/checker/checktest.py" --build "$B"
