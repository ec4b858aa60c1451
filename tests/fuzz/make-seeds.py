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
#
# The output is deterministic; the seeds are committed, so rerunning this
# only matters after changing it.  Files named regress-* in the corpus
# directories are inputs the fuzzers found bugs with, kept by hand as
# regression tests; this script leaves them alone.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

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


if __name__ == "__main__":
    main()
