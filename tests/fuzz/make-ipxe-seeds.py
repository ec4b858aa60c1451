#!/usr/bin/env python3
# make-ipxe-seeds.py - write the seed corpus of fuzz_ipxe (the iPXE file-API
# transport), one file per situation, into tests/fuzz/corpus/ipxe/ (or the
# directory given).  The input layout is fuzz_ipxe.c's: 8 setup bytes, then
# the simulated firmware's script (tests/host-stubs/ipxe_sim.h): per
# FILE_OPEN one byte (b % 8: 5 not found, 6 failure, else success), per
# GET_FILE_SIZE one byte (b % 4: 0 failure, 1 the next 4 bytes, 2 the bytes
# sent so far, 3 (b >> 2) KiB), per FILE_READ one byte (b % 8: 0-2 a packet
# of the next byte * 16 + (b >> 3) + 1 bytes, 3 no data for (b >> 3) * 200
# ms, 4 the end of file, 5 status (b >> 3) | 1, 6 "success" with more than
# asked, 7 all that was asked).
#
# The output is deterministic; the seeds are committed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

OPS, READ, FILE, KERNEL = 0, 1, 2, 3
NO_SIZE_API, SHA, GZIP, ODD = 4, 0x20, 0x40, 0x80
TFTP, HTTP, HTTPS, FTP = 0, 1 << 3, 2 << 3, 3 << 3

OPEN_OK = b"\x00"
SIZE_SO_FAR = b"\x02"
ALL = b"\x07"            # a read of all that was asked (the bounce: 4096)
EOF = b"\x04"


def size(n):
    """GET_FILE_SIZE answering @n."""
    return b"\x01" + struct.pack("<I", n)


def setup(mode, length, seed=0, digest_len=0):
    """The 8 setup bytes."""
    return bytes([mode]) + struct.pack("<I", length)[:3] + bytes([seed]) + \
        struct.pack("<I", digest_len)[:3]


def reads(nbytes):
    """FILE_READ answers delivering @nbytes in 4096-byte reads."""
    return ALL * ((nbytes + 4095) // 4096)


def session(length, at_open, at_end=None):
    """One whole session: open, size at the open, the file, the end and the
    size asked after it."""
    return OPEN_OK + at_open + reads(length) + EOF + \
        (at_end if at_end is not None else size(length))


SEEDS = {
    # the transport's own calls, TFTP without tsize
    "ops-tftp-no-tsize": setup(OPS | TFTP, 5000) +
    session(5000, SIZE_SO_FAR),
    # ... with read lengths of 1, 7, 512, ... 100000 bytes
    "ops-odd-lengths": setup(OPS | ODD | HTTP, 30000, seed=3) +
    session(30000, size(30000)),
    # HTTP with Content-Length, whole file
    "file-http": setup(FILE | HTTP, 20000) + session(20000, size(20000)),
    # issue 15: the kernel over TFTP without tsize (1432 bytes at the open)
    # (a plain kernel: streamed, its buffer grown as it arrives)
    "kernel-tftp-no-tsize": setup(KERNEL | TFTP, 70000) +
    session(70000, size(1432)),
    # a plain kernel with an announced size, streamed
    "kernel-http": setup(KERNEL | HTTP, 100000) +
    session(100000, size(100000)),
    # a gzip kernel (fuzz_ipxe's member of ~300 KB): size unknown
    "kernel-gzip": setup(KERNEL | GZIP | TFTP, 0) +
    OPEN_OK + b"\x00" + OPEN_OK + b"\x00" + ALL * 80 + EOF + b"\x00",
    # a TFTP size announced (>= 64 KiB) and exceeded
    "file-tsize-low": setup(FILE | TFTP, 120000) +
    session(120000, size(100000), size(120000)),
    # a stall mid-file (no data for 3 x 6.2 s), then a retry that resumes
    "file-stall-retry": setup(FILE | TFTP, 50000) +
    OPEN_OK + SIZE_SO_FAR + reads(20000) + b"\xfb" * 3 +
    session(50000, SIZE_SO_FAR),
    # iPXE answers a read with more than it was asked
    "read-overlong": setup(READ | HTTP, 10000) +
    OPEN_OK + size(10000) + ALL + b"\x06\x10" +
    session(10000, size(10000)),
    # a read error status, then the retry
    "read-error": setup(READ | TFTP, 10000) +
    OPEN_OK + SIZE_SO_FAR + ALL + bytes([5 | 0x10 << 3]) +
    session(10000, SIZE_SO_FAR),
    # -sha256 over the whole file
    "file-sha256": setup(FILE | SHA | HTTPS, 9000, digest_len=9000) +
    session(9000, size(9000)),
    # no GET_FILE_SIZE in the API
    "file-no-size-api": setup(FILE | NO_SIZE_API | FTP, 7000) +
    OPEN_OK + reads(7000) + EOF,
    # a file that never ends: the script runs out, the stall ends it
    "file-never-ends": setup(FILE | TFTP, 0xffffff) +
    OPEN_OK + SIZE_SO_FAR + ALL * 40,
    # small packets of odd sizes, then the end
    "read-small-packets": setup(READ | ODD | TFTP, 3000, seed=5) +
    OPEN_OK + SIZE_SO_FAR +
    b"".join(bytes([k << 3, k]) for k in range(1, 20)) + EOF + size(3000),
    # the file is not there, then an open failure
    # a PXELINUX-style name ("::path" with characters to escape)
    "file-tftp-name": setup(FILE | TFTP, 3000, seed=0x80) +
    session(3000, size(3000)),
    # the caller stops after two reads (4095 and 1 bytes): fetch_verify
    # reads the rest for the digest
    "read-stop-early-sha256": setup(READ | ODD | SHA | HTTP, 20000,
                                    seed=0x40 | 17, digest_len=20000) +
    OPEN_OK + size(20000) + ALL * 8 + EOF + size(20000),
    "open-not-found": setup(FILE | TFTP, 100) + b"\x05",
    "open-failure": setup(OPS | HTTP, 100) + b"\x06",
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "ipxe")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print("%d seeds in %s" % (len(SEEDS), out))


if __name__ == "__main__":
    main()
