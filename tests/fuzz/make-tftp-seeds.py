#!/usr/bin/env python3
# make-tftp-seeds.py - write the seed corpus of fuzz_tftp.
#
#   tests/fuzz/make-tftp-seeds.py [CORPUS_DIR]   (default: tests/fuzz/corpus)
#
# Writes CORPUS_DIR/tftp/.  An input of fuzz_tftp.c is a 6-byte header
#
#   0-1  file size, little-endian, modulo 8193
#   2    the server's block size: bits 0-2 index 8 13 64 100 512 1024 1400 1408
#   3    the file's bytes: byte i is (i * 131 + this) mod 256
#   4    bits 0-1 the tsize announced: the truth, a block less, 1-16 more
#        (bits 4-7 + 1), half; bits 2-3 the server: 0 plain, 1 its OACK
#        options taken from the input (a length byte, then the bytes, read
#        when it first sends the OACK), 2 "File not found", 3 no options
#   5    bits 0-2 index the read size: whole file 1 7 100 512 1408 1500 4096
#
# then one event per receive call of the client (op modulo 8):
#
#   0 nothing   1-3 the server's next packet   4 lose it   7 T: T ms pass
#   5 SRC KIND ... a structured forged packet, 6 SRC LEN BYTES... raw bytes;
#   SRC modulo 4: server port 69, the transfer's port, another port of the
#   server, a third host.  KIND modulo 6: 0 DATA K_LO K_HI LEN (garbage;
#   the true block from the transfer's port), 1 DATA K_LO K_HI (the true
#   block), 2 OACK N (NAME VALUE)*N CUT, 3 ERROR LEN CODE TEXT..., 4 and 5
#   OP B2 B3 (and a length for 5): other opcodes.
#
# The output is deterministic; files named regress-* are kept by hand.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

BS = [8, 13, 64, 100, 512, 1024, 1400, 1408]
CHUNK = [0, 1, 7, 100, 512, 1408, 1500, 4096]
DELIVER, LOSE, FORGE, RAW, WAIT = 1, 4, 5, 6, 7
SRC_69, SRC_TID, SRC_OTHER, SRC_THIRD = 0, 1, 2, 3


def header(size, bs, seed=7, tsize=0, server=0, more=0, chunk=0):
    """The 6-byte header (see the top of this file)."""
    return struct.pack("<HBBBB", size, BS.index(bs), seed,
                       tsize | server << 2 | more << 4, CHUNK.index(chunk))


def oack(*pairs):
    """OACK options as the server would send them."""
    return b"".join(n + b"\0" + v + b"\0" for n, v in pairs)


def custom(opts):
    """The length byte and bytes of a custom OACK."""
    return bytes([len(opts)]) + opts


def forge_data(src, k, length):
    return bytes([FORGE, src, 0, k & 255, k >> 8, length])


def forge_error(src, code, text):
    return bytes([FORGE, src, 3, len(text), code]) + text


def forge_oack(src, pairs, cut=0):
    """Forged OACK; pairs of (name index, value index) into fuzz_tftp.c's
    lists: names tsize blksize TSIZE windowsize timeout ""; values 0 1 1408
    8192 2^64+1 -5 "" 1408junk 00100 2^48-1 " 12" 2^32."""
    return (bytes([FORGE, src, 2, len(pairs)])
            + bytes(b for p in pairs for b in p) + bytes([cut]))


SEEDS = {
    "plain": header(3000, 1408),
    "plain-small-blocks": header(500, 8, chunk=7),
    "multiple-of-block": header(2816, 1408, chunk=1408),
    "multiple-small": header(640, 64, chunk=100),
    "empty": header(0, 1408),
    "tsize-block-short": header(2816, 1408, tsize=1),
    "tsize-longer": header(1000, 512, tsize=2, more=3),
    "tsize-half": header(4096, 512, tsize=3),
    "missing": header(100, 1408, server=2),
    "no-options": header(100, 1408, server=3),
    "custom-ok": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"3000"), (b"blksize", b"1408"))),
    "custom-leading-zero": header(3000, 1408, server=1)
    + custom(oack((b"TSIZE", b"03000"), (b"BlkSize", b"1408"))),
    "custom-overflow": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"18446744073709551617"), (b"blksize", b"1408"))),
    "custom-negative": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"-5"), (b"blksize", b"1408"))),
    "custom-junk": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"3000"), (b"blksize", b"1408junk"))),
    "custom-extra": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"3000"), (b"blksize", b"1408"), (b"windowsize", b"4"))),
    "custom-twice": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"3000"), (b"blksize", b"1408"), (b"tsize", b"3000"))),
    "custom-unended": header(3000, 1408, server=1)
    + custom(oack((b"tsize", b"3000"), (b"blksize", b"1408"))[:-1]),
    "custom-no-tsize": header(3000, 1408, server=1)
    + custom(oack((b"blksize", b"1408"),)),
    "custom-empty": header(3000, 1408, server=1) + custom(b""),
    "custom-huge": header(3000, 8, server=1)
    + custom(oack((b"tsize", b"281474976710655"), (b"blksize", b"8"))),
    "lossy": header(2000, 100, chunk=512)
    + bytes([DELIVER, DELIVER, LOSE, DELIVER, 0, 0, LOSE, DELIVER] * 8),
    "forged-error-at-open": header(2000, 512)
    + forge_error(SRC_OTHER, 1, b"File not found"),
    "forged-data-at-open": header(2000, 512) + forge_data(SRC_OTHER, 1, 199),
    "data-phase-forgeries": header(3000, 512)
    + bytes([DELIVER, DELIVER])
    + forge_oack(SRC_OTHER, [(0, 2), (1, 2)])
    + forge_oack(SRC_TID, [(3, 1)], cut=1)
    + forge_data(SRC_OTHER, 1, 199)
    + forge_data(SRC_OTHER, 2, 199)
    + forge_data(SRC_THIRD, 2, 199)
    + forge_error(SRC_OTHER, 1, b"File not found")
    + forge_error(SRC_69, 2, b"")
    + forge_data(SRC_TID, 1, 0)
    + bytes([RAW, SRC_TID, 4, 0, 3, 0, 1])
    + bytes([RAW, SRC_OTHER, 6, 0, 6, ord("t"), 0, ord("1"), 0]),
    # The conflicts of paired read requests (com32/tftp.h): a forged ERROR
    # at the second request's port (SRC bit 2), then the answers; and in
    # the data phase, strays that are no conflict (DATA 2 and an ERROR
    # from another server port) before the transfer goes on.
    "forged-error-at-b": header(2000, 512)
    + forge_error(SRC_OTHER | 4, 1, b"File not found"),
    "data-phase-strays": header(3000, 512)
    + bytes([DELIVER, DELIVER, DELIVER])
    + forge_data(SRC_OTHER, 2, 199)
    + forge_error(SRC_OTHER, 1, b"File not found")
    + bytes([DELIVER] * 8),
    "error-from-tid": header(3000, 512, chunk=512)
    + bytes([DELIVER, DELIVER, DELIVER])
    + forge_error(SRC_TID, 3, b"\x1b[2Jgone"),
    "four-byte-error": header(8000, 512)
    + bytes([DELIVER]) + forge_error(SRC_TID, 0, b""),
    "waits": header(1500, 1400, chunk=100)
    + bytes([WAIT, 255, DELIVER, WAIT, 200, LOSE, WAIT, 255, WAIT, 255]),
}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    path = os.path.join(root, "tftp")
    os.makedirs(path, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
