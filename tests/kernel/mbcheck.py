#!/usr/bin/env python3
# Static checks of the tk packagings' Multiboot headers and containers.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   mbcheck.py BUILD_DIR      -> checks the nine tk images, exit 1 on error
#                                (Multiboot 1 headers of the five MB1 ones,
#                                Multiboot 2 headers of the four tk-mb2*)
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


MB2_MAGIC = 0xE85250D6


def find_mb2(data):
    """(offset, header_length, [(type, flags, body)]) of the first valid
    Multiboot 2 header in the first 32 KiB, or None; raises ValueError for
    a malformed tag list."""
    for off in range(0, min(len(data), 32768) - 15, 8):
        magic, arch, hlen, csum = struct.unpack_from("<IIII", data, off)
        if magic != MB2_MAGIC or (magic + arch + hlen + csum) & 0xFFFFFFFF:
            continue
        if arch != 0:
            raise ValueError("architecture %u, not i386 (0)" % arch)
        if off + hlen > min(len(data), 32768):
            raise ValueError("header_length %u runs past 32 KiB" % hlen)
        tags, pos = [], off + 16
        while True:
            if pos + 8 > off + hlen:
                raise ValueError("no end tag within header_length")
            typ, flags, size = struct.unpack_from("<HHI", data, pos)
            if size < 8 or pos + size > off + hlen:
                raise ValueError("tag %u at %u has bad size %u" % (typ, pos, size))
            tags.append((typ, flags, data[pos + 8:pos + size]))
            if typ == 0:
                if size != 8 or pos + 8 != off + hlen:
                    raise ValueError("end tag not 8 bytes at header_length")
                return off, hlen, tags
            pos += (size + 7) & ~7


def check_mb2_image(name, data, errors):
    def err(msg):
        errors.append("%s: %s" % (name, msg))
        print("  ERROR", msg)

    try:
        found = find_mb2(data)
    except ValueError as e:
        err("Multiboot 2 header: %s" % e)
        return
    if not found:
        err("no valid Multiboot 2 header in the first 32 KiB")
        return
    off, hlen, tags = found
    print("  mb2 header at file offset 0x%x length %u" % (off, hlen))
    types = {}
    for typ, flags, body in tags:
        words = struct.unpack_from("<%dI" % (len(body) // 4), body)
        print("    tag %u flags %u %s" % (typ, flags, " ".join("0x%x" % w for w in words)))
        types.setdefault(typ, []).append((flags, words))
    required = set()
    for flags, words in types.get(1, []):
        if not flags & 1:
            required |= set(words)
    if required != {1, 2, 3, 4, 6, 16, 21}:
        err("required information request %s" % sorted(required))
    if 6 not in types:
        err("no module alignment tag")
    mb1_off, _ = find_header(data)
    both = name.endswith("tk-mb2-both.elf")
    if both and mb1_off is None:
        err("expected a Multiboot 1 header as well")
    if not both and mb1_off is not None:
        err("unexpected Multiboot 1 header at 0x%x" % mb1_off)
    efi = name.endswith("tk-mb2-efi.elf")
    if efi != any(not f & 1 for f, _ in types.get(7, [])):
        err("required EFI boot services tag %s" % ("missing" if efi else "present"))
    e = elf_loads(data)
    if not e or e[0] != 1 or e[1] != 3:
        err("expected an ELF32 / EM_386 executable")
        return
    if struct.unpack_from("<H", data, 16)[0] != 2:
        err("ELF type is not ET_EXEC")
    loads = e[3]
    reloc = name.endswith("tk-mb2-reloc.elf")
    if reloc != (10 in types):
        err("relocatable tag %s" % ("missing" if reloc else "present"))
    if reloc:
        (_, (mn, mx, al, pref)), = types[10]
        if al < 0x200000 or len(loads) != 2 or \
                loads[1][1] - loads[0][1] != 0x100000:
            err("relocatable layout: the data segment must be 1 MiB above "
                "the text, 2 MiB alignment (a20 probe keeps bit 20)")
    elif not loads[0][1] & 0x100000:
        err("image address lacks bit 20 (a20 check untestable)")


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
    for f in ("tk-mb2.elf", "tk-mb2-reloc.elf", "tk-mb2-both.elf",
              "tk-mb2-efi.elf"):
        path = build + "/" + f
        print(f)
        check_mb2_image(path, open(path, "rb").read(), errors)
    if errors:
        print("%d error(s)" % len(errors))
        sys.exit(1)
    print("all headers OK")


if __name__ == "__main__":
    main()
