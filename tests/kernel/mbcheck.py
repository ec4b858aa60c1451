#!/usr/bin/env python3
# Static checks of the tk packagings' Multiboot headers and containers.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   mbcheck.py BUILD_DIR      -> checks the five tk images, exit 1 on error
#   mbcheck.py --lie-bss IN OUT
#       writes a deliberately broken copy of IN (an ELF32 or a.out-kludge
#       tk image) whose header claims there is no BSS.  Booting it with
#       modules makes a loader place them over the real BSS, so the kernel's
#       bss / overlap.kernel checks must FAIL (negative self-test).
import gzip
import struct
import sys

MB_MAGIC = 0x1BADB002


def find_header(data):
    for off in range(0, min(len(data), 8192) - 11, 4):
        magic, flags, csum = struct.unpack_from("<III", data, off)
        if magic == MB_MAGIC and (magic + flags + csum) & 0xFFFFFFFF == 0:
            return off, flags
    return None, None


def elf_loads(data):
    """Return (class, machine, entry, [(offset, vaddr, paddr, filesz, memsz)])"""
    if data[:4] != b"\x7fELF":
        return None
    cls = data[4]
    if cls == 1:
        (_, machine, _, entry, phoff, _, _, _, phentsize, phnum) = \
            struct.unpack_from("<HHIIIIIHHH", data, 16)
        fmt, fields = "<IIIIIIII", (1, 2, 3, 4, 5)
    elif cls == 2:
        (_, machine, _, entry, phoff, _, _, _, phentsize, phnum) = \
            struct.unpack_from("<HHIQQQIHHH", data, 16)
        fmt, fields = "<IIQQQQQQ", (2, 3, 4, 5, 6)
    else:
        return None
    loads = []
    for i in range(phnum):
        ph = struct.unpack_from(fmt, data, phoff + i * phentsize)
        if ph[0] == 1:  # PT_LOAD
            loads.append(tuple(ph[k] for k in fields))
    return cls, machine, entry, loads


def check_image(name, data, errors):
    def err(msg):
        errors.append("%s: %s" % (name, msg))
        print("  ERROR", msg)

    off, flags = find_header(data)
    if off is None:
        err("no valid multiboot header in the first 8 KiB")
        return
    print("  header at file offset 0x%x flags=0x%08x" % (off, flags))
    if flags & 0x10000:
        (haddr, laddr, lend, bend, entry) = struct.unpack_from("<5I", data, off + 12)
        print("  a.out kludge: header_addr=0x%x load_addr=0x%x load_end=0x%x "
              "bss_end=0x%x entry=0x%x" % (haddr, laddr, lend, bend, entry))
        if haddr - laddr != off:
            err("header_addr - load_addr != header file offset")
        if lend - laddr != len(data):
            err("load_end - load_addr (0x%x) != file size (0x%x)"
                % (lend - laddr, len(data)))
        if bend <= lend:
            err("no BSS after load_end")
        if not laddr <= entry < lend:
            err("entry outside loaded image")
        if not (haddr & 0x100000):
            err("image address lacks bit 20 (a20 check untestable)")
        return
    e = elf_loads(data)
    if not e:
        err("flag 16 clear but not an ELF file")
        return
    cls, machine, entry, loads = e
    print("  ELF%d machine=%d entry=0x%x" % (32 if cls == 1 else 64, machine, entry))
    for (o, v, p, fs, ms) in loads:
        print("    PT_LOAD off=0x%x vaddr=0x%x paddr=0x%x filesz=0x%x memsz=0x%x"
              % (o, v, p, fs, ms))
        if p + ms > 1 << 32:
            err("segment above 4 GiB")
        if o + fs > len(data):
            err("segment beyond end of file")
    if not loads:
        err("no PT_LOAD")
    if not any(v <= entry < v + ms for (_, v, _, _, ms) in loads):
        err("entry not inside a PT_LOAD")
    if name.endswith("tk-elf64.elf") and (cls != 2 or machine != 62):
        err("expected ELFCLASS64 / EM_X86_64")
    if not name.endswith("tk-elf64.elf") and (cls != 1 or machine != 3):
        err("expected ELFCLASS32 / EM_386")
    if name.endswith("tk-high.elf"):
        if len(loads) < 2:
            err("expected two PT_LOAD segments")
        if max(ms - fs for (_, _, _, fs, ms) in loads) < 8 << 20:
            err("expected an 8 MiB BSS")


def lie_bss(src, dst):
    data = bytearray(open(src, "rb").read())
    off, flags = find_header(data)
    if off is None:
        sys.exit("no multiboot header")
    if flags & 0x10000:
        lend = struct.unpack_from("<I", data, off + 20)[0]
        struct.pack_into("<I", data, off + 24, lend)  # bss_end = load_end
    else:
        e = elf_loads(bytes(data))
        if not e or e[0] != 1:
            sys.exit("need ELF32 or a.out kludge")
        phoff = struct.unpack_from("<I", data, 28)[0]
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        for i in range(phnum):
            p = phoff + i * phentsize
            if struct.unpack_from("<I", data, p)[0] == 1:
                filesz = struct.unpack_from("<I", data, p + 16)[0]
                struct.pack_into("<I", data, p + 20, filesz)  # memsz = filesz
    open(dst, "wb").write(data)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--lie-bss":
        lie_bss(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__ or "usage: mbcheck.py BUILD_DIR")
    build = sys.argv[1]
    errors = []
    for f in ("tk-elf32.elf", "tk-high.elf", "tk-aout.bin", "tk-elf32.gz",
              "tk-elf64.elf"):
        path = build + "/" + f
        print(f)
        data = open(path, "rb").read()
        if f.endswith(".gz"):
            data = gzip.decompress(data)
        check_image(path, data, errors)
    if errors:
        print("%d error(s)" % len(errors))
        sys.exit(1)
    print("all headers OK")


if __name__ == "__main__":
    main()
