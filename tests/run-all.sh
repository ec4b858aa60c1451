#!/bin/sh
# Run every test suite of `make check` and print one closing line
# "N passed, M failed, K skipped" over all of them.  A suite's result line
# is "X: N passed, M failed" or "X: N passed, M failed, K skipped" (a check
# that could not run here is a skip, never a pass).  $1 is the build
# directory.
set -u
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$B/check.log
: > "$log"
suite() {
    # Run one suite; its last "X: N passed, M failed[, K skipped]" line
    # is counted.
    name=$1; shift
    echo "=== $name: $*"
    out=$("$@" 2>&1; echo "rc=$?")
    printf '%s\n' "$out" | sed '$d'
    printf '%s\n' "$out" >> "$log"
    rc=$(printf '%s\n' "$out" | tail -n 1 | sed 's/rc=//')
    line=$(printf '%s\n' "$out" | grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no result line (exit $rc)"
        FAILED=$((FAILED + 1))
        return
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    k=$(echo "$line" | sed -nE 's/.* failed, ([0-9]+) skipped.*/\1/p')
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + ${k:-0}))
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && FAILED=$((FAILED + 1)) && echo "$name: exit status $rc"
}
PASSED=0
FAILED=0
SKIPPED=0
suite unit make -s unit
suite checker make -s checker-tests BUILD="$B"
suite inflate32 make -s test-inflate32
suite asm tests/asm/run.sh "$B"
suite lint tests/lint.sh
suite readme tests/readme-check.sh
suite errors tests/errors-check.sh
suite readme-figures tests/bench/readme-figures.sh
suite figures python3 tests/bench/test-figures.py
suite install tests/install-test.sh "$B"
suite deb tests/deb-test.sh "$B"
suite fuzz make -s fuzz-smoke
suite boot make -s boot-tests
suite fetch python3 qemu/fetchtest.py --build "$B"
suite xen make -s xen-test
suite xen-mb2 make -s xen-mb2-test
suite xen-tboot make -s xen-tboot-test
suite iscsi make -s iscsi-test BUILD="$B"
suite xen-cat make -s xen-cat-test
suite uefi make -s uefi-tests
suite tpm make -s tpm-tests
suite netlab python3 qemu/netbench.py --build "$B" --ci
echo
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
