#!/usr/bin/env python3
"""make-sha256-random.py - the expectations of tests/unit/test_sha256.c's
differential test: SHA-256 (Python's hashlib, i.e. OpenSSL) of inputs made
by the same xorshift32 generator the test uses, one line per input:

    LENGTH SEED DIGEST

Every length 0..1100 (all padding cases, 1 to 18 blocks) and 16 longer
inputs up to 300 KiB.  Run from the repository root:

    python3 tests/unit/vectors/make-sha256-random.py > tests/unit/vectors/sha256-random.txt

SPDX-License-Identifier: GPL-2.0-or-later
"""
import hashlib
import random


def xorshift_bytes(seed, n):
    """n bytes from xorshift32 started at @seed (the top byte of each
    state), exactly as fill() in test_sha256.c."""
    x = seed & 0xffffffff or 1
    out = bytearray(n)
    for i in range(n):
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        out[i] = x >> 24
    return bytes(out)


def main():
    rnd = random.Random(2026)
    cases = [(n, 0x1000 + n) for n in range(1101)]
    cases += [(rnd.randrange(1101, 300 * 1024), rnd.randrange(1, 1 << 32))
              for _ in range(16)]
    for n, seed in cases:
        print(n, seed, hashlib.sha256(xorshift_bytes(seed, n)).hexdigest())


if __name__ == "__main__":
    main()
