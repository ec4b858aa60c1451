"""badkernels.py - hostile variants of the test kernel for the error tests.

Each function takes the bytes of a good kernel (tests/kernel's ELF32 build)
and returns a broken copy; the boot tests check that mboot refuses each one
with its specific message and returns to PXELINUX's boot: prompt.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import gzip
import struct

MB1_MAGIC = 0x1BADB002


def header_offset(data):
    """Offset of the first valid Multiboot 1 header in the first 8 KiB."""
    for off in range(0, min(len(data), 8192) - 11, 4):
        magic, flags, csum = struct.unpack_from("<III", data, off)
        if magic == MB1_MAGIC and (magic + flags + csum) & 0xffffffff == 0:
            return off
    raise ValueError("no Multiboot header")


def bad_checksum(data):
    """The header's checksum off by one."""
    off = header_offset(data)
    out = bytearray(data)
    struct.pack_into("<I", out, off + 8,
                     (struct.unpack_from("<I", data, off + 8)[0] + 1) & 0xffffffff)
    return bytes(out)


def required_flag(data, bit=2):
    """Header flag @bit set (a requirement mboot cannot honour), checksum fixed."""
    off = header_offset(data)
    out = bytearray(data)
    flags = struct.unpack_from("<I", data, off + 4)[0] | (1 << bit)
    struct.pack_into("<II", out, off + 4, flags, (-(MB1_MAGIC + flags)) & 0xffffffff)
    return bytes(out)


def move_segment(data, paddr):
    """The first PT_LOAD segment's physical address changed to @paddr (ELF32)."""
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    out = bytearray(data)
    for i in range(phnum):
        p = phoff + i * phentsize
        if struct.unpack_from("<I", data, p)[0] == 1:  # PT_LOAD
            struct.pack_into("<I", out, p + 12, paddr)
            return bytes(out)
    raise ValueError("no PT_LOAD")


def gzip_bad_crc(data):
    """gzip of @data with the trailer's CRC-32 flipped."""
    z = bytearray(gzip.compress(data, 9, mtime=0))
    z[-8] ^= 0xff
    return bytes(z)


def gzip_truncated(data):
    """gzip of @data cut in the middle of the deflate stream."""
    z = gzip.compress(data, 9, mtime=0)
    return z[:len(z) // 2]


VARIANTS = {
    "bad-checksum.elf": bad_checksum,
    "flag2.elf": required_flag,
    "not-ram.elf": lambda d: move_segment(d, 0xE0000000),
    "low.elf": lambda d: move_segment(d, 0x8000),
    "bad-crc.gz": gzip_bad_crc,
    "truncated.gz": gzip_truncated,
    "empty.elf": lambda d: b"",
}


def write_all(good_path, out_dir):
    """Write every variant of the kernel at @good_path into @out_dir."""
    with open(good_path, "rb") as f:
        good = f.read()
    for name, fn in VARIANTS.items():
        with open("%s/%s" % (out_dir, name), "wb") as f:
            f.write(fn(good))
