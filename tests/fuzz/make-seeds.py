#!/usr/bin/env python3
# make-seeds.py - write the seed corpora of the fuzz targets.
#
#   tests/fuzz/make-seeds.py [CORPUS_DIR]     (default: tests/fuzz/corpus)
#
# corpus/cmdline/  KERNEL lines for fuzz_cmdline.
# corpus/probe/    a memory-map prefix (the layout fuzz_probe.c describes)
#                  followed by a small kernel image: ELF32, ELF64 (with and
#                  without the a.out kludge), a flat a.out-kludge binary,
#                  a higher-half ELF32 and one with its header near 8 KiB.
# corpus/inflate/  one byte (fuzz_inflate.c's seed for its streaming
#                  split) and a DEFLATE stream or gzip file made by zlib:
#                  stored, fixed and dynamic Huffman blocks, a block of
#                  each in one stream, matches 32 KiB back, gzip header
#                  fields (FEXTRA, FNAME, FCOMMENT, FHCRC), two members,
#                  empty data, and broken ones (bad CRC, bad ISIZE,
#                  truncated, block type 3, a distance before the start).
#
# The output is deterministic; the seeds are committed, so rerunning this
# only matters after changing it.  Files named regress-* in the corpus
# directories are inputs the fuzzers found bugs with, kept by hand as
# regression tests; this script leaves them alone.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import random
import struct
import sys
import zlib

MB_MAGIC = 0x1BADB002
PREFIX_SIZE = 256
MAX_RAM = 16
MAX_ALLOC = 16
RAM_AT = 4
ALLOC_AT = RAM_AT + MAX_RAM * 10

PT_LOAD, PT_NOTE = 1, 4


def mb_header(flags, aout=None):
    """A Multiboot header; aout = (header, load, load_end, bss_end, entry)."""
    if aout is not None:
        flags |= 1 << 16
    h = struct.pack("<III", MB_MAGIC, flags, (-(MB_MAGIC + flags)) & 0xFFFFFFFF)
    if aout is not None:
        h += struct.pack("<IIIII", *aout)
    return h


def place(buf, off, data):
    """Write data into bytearray buf at off, growing it as needed."""
    if len(buf) < off + len(data):
        buf.extend(b"\0" * (off + len(data) - len(buf)))
    buf[off:off + len(data)] = data


def elf(cls, entry, phdrs, mb_off, mb, size, machine=None):
    """An executable ELF of class 1 (32) or 2 (64); phdrs are tuples
    (type, offset, vaddr, paddr, filesz, memsz)."""
    buf = bytearray(size)
    ident = b"\x7fELF" + bytes([cls, 1, 1]) + b"\0" * 9
    if cls == 1:
        ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, machine or 3, 1, entry,
                                   52, 0, 0, 52, 32, len(phdrs), 40, 0, 0)
        place(buf, 0, ehdr)
        for i, (t, off, va, pa, fs, ms) in enumerate(phdrs):
            place(buf, 52 + i * 32,
                  struct.pack("<IIIIIIII", t, off, va, pa, fs, ms, 7, 0x1000))
    else:
        ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, machine or 62, 1, entry,
                                   64, 0, 0, 64, 56, len(phdrs), 64, 0, 0)
        place(buf, 0, ehdr)
        for i, (t, off, va, pa, fs, ms) in enumerate(phdrs):
            place(buf, 64 + i * 56,
                  struct.pack("<IIQQQQQQ", t, 7, off, va, pa, fs, ms, 0x1000))
    place(buf, mb_off, mb)
    # Some recognisable "code" in the loaded bytes.
    for (t, off, va, pa, fs, ms) in phdrs:
        if t == PT_LOAD and fs and off + fs <= size:
            for k in range(off, off + fs):
                if k >= 0x100 and buf[k] == 0 and \
                        not (mb_off <= k < mb_off + len(mb)):
                    buf[k] = (k * 7 + 0x90) & 0xFF
    return bytes(buf)


def enc_value(v):
    """(u32, shift) with u32 << shift == v, shift < 20."""
    for shift in range(19, -1, -1):
        if v % (1 << shift) == 0 and (v >> shift) < (1 << 32):
            return v >> shift, shift
    raise ValueError(hex(v))


def prefix(opts, ram, allocs):
    """The fuzz_probe prefix: ram = [(start, end)], allocs = [(size, log2)]."""
    p = bytearray(PREFIX_SIZE)
    p[0], p[1], p[2] = opts, len(ram), len(allocs)
    for i, (s, e) in enumerate(ram):
        sv, ss = enc_value(s)
        lv, ls = enc_value(e - s)
        place(p, RAM_AT + i * 10, struct.pack("<IIBB", sv, lv, ss, ls))
    for k, (size, align_log2) in enumerate(allocs):
        place(p, ALLOC_AT + k * 5, struct.pack("<IB", size, align_log2))
    return bytes(p)


PC_RAM = [(0, 0x9FC00), (0x100000, 0x8000000), (0x100000000, 0x140000000)]
ALLOCS = [(0x200, 12), (0x1000, 12), (0x10000, 12), (0x2345, 12)]
SMALL_RAM = [(0x100000, 0x180000), (0x200000, 0x400000)]


def probe_seeds():
    s = {}
    # ELF32: text + data/BSS at 1 MiB, header in the first page.
    s["elf32"] = prefix(0, PC_RAM, ALLOCS) + elf(
        1, 0x100100,
        [(PT_LOAD, 0x100, 0x100000, 0x100000, 0x200, 0x200),
         (PT_LOAD, 0x300, 0x101000, 0x101000, 0x40, 0x2000)],
        0x80, mb_header(3), 0x400)
    # ELF32 higher half: entry and segments virtual at 3 GiB.
    s["elf32-higher-half"] = prefix(0, PC_RAM, ALLOCS[:2]) + elf(
        1, 0xC0100010,
        [(PT_NOTE, 0x80, 0, 0, 12, 12),
         (PT_LOAD, 0x100, 0xC0100000, 0x100000, 0x100, 0x1000),
         (PT_LOAD, 0x200, 0xC0200000, 0x200000, 0, 0)],
        0xA0, mb_header(2), 0x300)
    # ELF64, Xen style: a.out kludge fields describing the same image.
    s["elf64-kludge"] = prefix(0, PC_RAM, ALLOCS) + elf(
        2, 0x100000,
        [(PT_LOAD, 0, 0x100000, 0x100000, 0x400, 0x3000)],
        0xC0, mb_header(3, (0x1000C0, 0x100000, 0x100400, 0x103000,
                            0x1000E0)), 0x400)
    # The same with -noaout (ELF program headers win).
    s["elf64-noaout"] = bytes([1]) + s["elf64-kludge"][1:]
    # ELF64 with a -2 GiB virtual mapping, no kludge.
    s["elf64-high-vaddr"] = prefix(0, PC_RAM, ALLOCS[:1]) + elf(
        2, 0xFFFFFFFF80100040,
        [(PT_LOAD, 0x100, 0xFFFFFFFF80100000, 0x100000, 0x100, 0x800),
         (PT_LOAD, 0x200, 0xFFFFFFFF80101000, 0x101000, 0x80, 0x80)],
        0xC0, mb_header(1), 0x300)
    # Flat a.out-kludge binary: header at offset 0, loaded at 2 MiB.
    body = bytearray(mb_header(2, (0x200000, 0x200000, 0x200200, 0x201000,
                                   0x200020)))
    body += bytes(((k * 13 + 0x55) & 0xFF) for k in range(0x200 - len(body)))
    s["aout-flat"] = prefix(0, SMALL_RAM, ALLOCS) + bytes(body)
    # a.out kludge with the load starting 0x40 bytes before the header.
    body = bytearray(0x40) + mb_header(0, (0x300040, 0x300000, 0, 0x302000,
                                           0x300100))
    body += bytes(((k * 5 + 1) & 0xFF) for k in range(0x180))
    s["aout-offset"] = prefix(2, PC_RAM, ALLOCS[:3]) + bytes(body)
    # Header near the end of the 8 KiB window (ELF32 without the kludge).
    s["elf32-header-8176"] = prefix(0, PC_RAM, ALLOCS[:2]) + elf(
        1, 0x100000,
        [(PT_LOAD, 0x100, 0x100000, 0x100000, 0x100, 0x100)],
        8176, mb_header(0), 8192)
    # A kernel segment in a hole of the map (planner error path).
    s["elf32-not-ram"] = prefix(0, SMALL_RAM, ALLOCS[:1]) + elf(
        1, 0x190000,
        [(PT_LOAD, 0x100, 0x190000, 0x190000, 0x10, 0x10)],
        0x80, mb_header(0), 0x200)
    return s


CMDLINE_SEEDS = {
    "xen": b"xen.gz dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all "
           b"--- vmlinuz root=/dev/sda1 ro console=hvc0 --- initrd.img",
    "options": b"-noaout -quiet -verbose kernel.elf a  b\tc --- -gunzip mod.gz x",
    "dashes": b"k -- a ---- b ---x --- m1 -- --- m2",
    "empty-module": b"k --- --- m",
    "trailing": b"k arg ---",
    "leading": b"--- m",
    "bad-option": b"-bogus k --- -aout m",
    "whitespace": b"\t k \r\n a \v b \f --- \tm\t",
    "dry-run": b"-n -v xen.gz dom0_mem=1G --- -gunzip vmlinuz -n --- -dry-run",
    "sha256": b"-sha256=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
              b" xen.gz dom0_mem=512M --- -sha256=E3B0C44298FC1C149AFBF4C8996FB924"
              b"27AE41E4649B934CA495991B7852B855 vmlinuz console=hvc0 --- -gunzip"
              b" -sha256=248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
              b" initrd.gz --- m -sha256=00",
}


def deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY, wbits=-15,
            flushes=()):
    """@data compressed by zlib (@wbits -15: raw DEFLATE, 31: gzip);
    @flushes: (offset, level, strategy) points where the stream is
    flushed (Z_FULL_FLUSH ends the block) and the parameters change, so
    one stream holds blocks of several kinds."""
    c = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    out, pos = b"", 0
    for off, lvl, strat in flushes:
        out += c.compress(data[pos:off]) + c.flush(zlib.Z_FULL_FLUSH)
        pos = off
        # zlib can change level and strategy between blocks only through
        # a new object in Python; a sync-flushed raw stream is continued
        # by compressing the rest with a fresh object that has no final
        # block yet (the previous one ended on a byte boundary).
        c = zlib.compressobj(lvl, zlib.DEFLATED, -15, 9, strat)
    return out + c.compress(data[pos:]) + c.flush()


def gzip_member(data, raw=None, flags=0, extra=b"", name=b"", comment=b"",
                crc=None, isize=None):
    """A gzip member around raw DEFLATE @raw (default: @data at level 9)
    with the optional header fields @flags asks for (FHCRC 2, FEXTRA 4,
    FNAME 8, FCOMMENT 16); @crc/@isize override the trailer."""
    raw = deflate(data) if raw is None else raw
    h = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 0, 3)
    if flags & 4:
        h += struct.pack("<H", len(extra)) + extra
    if flags & 8:
        h += name + b"\0"
    if flags & 16:
        h += comment + b"\0"
    if flags & 2:
        h += struct.pack("<H", zlib.crc32(h) & 0xFFFF)
    return h + raw + struct.pack(
        "<II", zlib.crc32(data) if crc is None else crc,
        len(data) & 0xFFFFFFFF if isize is None else isize)


def inflate_seeds():
    """fuzz_inflate's seeds: split seed byte + compressed data."""
    rnd = random.Random("inflate-seeds")
    words = [bytes(rnd.choice(b"etaoinshrdlu") for _ in range(rnd.randint(1, 7)))
             for _ in range(64)]
    text = b" ".join(rnd.choice(words) for _ in range(600))[:3000]
    noise = rnd.randbytes(700)
    # A 33 000-byte window: the last 1000 bytes repeat the first ones, so
    # the matches reach 32 000 bytes back (near DEFLATE's 32 KiB limit).
    far = rnd.randbytes(1000) + bytes(rnd.randrange(4) for _ in range(31000))
    far += far[:1000]
    mixed = text + noise + text[:1500]
    s = {
        "raw-stored": b"\x00" + deflate(text, level=0),
        "raw-fixed": b"\x01" + deflate(text, strategy=zlib.Z_FIXED),
        "raw-dynamic": b"\x02" + deflate(text),
        "raw-huffman-only": b"\x03" + deflate(noise + text,
                                             strategy=zlib.Z_HUFFMAN_ONLY),
        "raw-rle": b"\x04" + deflate(b"\x00" * 500 + text[:500],
                                    strategy=zlib.Z_RLE),
        "raw-mixed-blocks": b"\x05" + deflate(
            mixed, level=0,
            flushes=((1000, 6, zlib.Z_FIXED), (2500, 9, zlib.Z_DEFAULT_STRATEGY),
                     (4000, 0, zlib.Z_DEFAULT_STRATEGY))),
        "raw-far": b"\x06" + deflate(far),
        "raw-empty": b"\x07" + deflate(b""),
        "gzip": b"\x10" + deflate(text, wbits=31),
        "gzip-stored": b"\x11" + deflate(noise, level=0, wbits=31),
        "gzip-fields": b"\x12" + gzip_member(
            text[:800], flags=2 | 4 | 8 | 16, extra=b"AB\x04\x00xyzw",
            name=b"vmlinuz", comment=b"seed"),
        "gzip-two-members": b"\x13" + gzip_member(text[:1200]) +
                            gzip_member(noise[:300]),
        "gzip-empty": b"\x14" + gzip_member(b""),
        "gzip-bad-crc": b"\x15" + gzip_member(text[:900], crc=0x12345678),
        "gzip-bad-isize": b"\x16" + gzip_member(text[:900], isize=901),
        "gzip-truncated": b"\x17" + gzip_member(text)[:-300],
        # Block type 3 (reserved): BFINAL=1, BTYPE=11.
        "raw-bad-type": b"\x18" + bytes([0x07]) + rnd.randbytes(20),
        # A fixed-Huffman block whose first code is a match: nothing
        # before it to copy from.
        "raw-bad-distance": b"\x19" + bytes([0x03, 0x02, 0x00]),
    }
    return s


def write_dir(path, seeds):
    os.makedirs(path, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    write_dir(os.path.join(root, "cmdline"), CMDLINE_SEEDS)
    write_dir(os.path.join(root, "probe"), probe_seeds())
    write_dir(os.path.join(root, "inflate"), inflate_seeds())


if __name__ == "__main__":
    main()
