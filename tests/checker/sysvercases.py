"""sysvercases.py - the checker's SYSLINUX version check (tools/sysver.c)
with Debian 12's real SYSLINUX 6.04 files (pxelinux.0, lpxelinux.0,
syslinux.efi, ldlinux.c32, libcom32.c32, the stock mboot.c32) and
deliberately mismatched copies made here, since no other SYSLINUX build
is installed:

  a stock mboot.c32 whose needed symbol syslinux_memmap_largest is renamed
  syslinux_memmap_largesX in its string table (a module built against a
  SYSLINUX that has a symbol this one lacks);
  an ldlinux.c32 needing mangle_namX instead of mangle_name (likewise,
  against the core);
  a pxelinux.0 whose banner says "PXELINUX 6.03 PXE 20141006" (edited in
  its uncompressed prefix);
  the EFI build's libcom32.c32 (x86-64) in a BIOS root;
  a COM32 binary of SYSLINUX 4 or earlier (its 5 magic bytes);
  a pxelinux.0 that is not a core (random bytes).

The renamed-symbol module is also booted in QEMU (unless --no-qemu):
ldlinux.c32 must refuse it with the words the checker quotes.  The
versions expected are read here from the files themselves (their banner
text), not written into the test.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import random
import re
import shutil

import pxeboot

EFI_LOADER = "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi"
EFI_MODULES = "/usr/lib/syslinux/modules/efi64"
EFI_LIBCOM32 = os.path.join(EFI_MODULES, "libcom32.c32")
LPXELINUX = os.path.join(os.path.dirname(pxeboot.PXELINUX), "lpxelinux.0")


def banner(path, word):
    """The printable text after @word (and a digit) in the file @path."""
    m = re.search(re.escape(word) + rb"\d[ -~]*", open(path, "rb").read())
    return m.group(0).decode().rstrip() if m else None


def renamed(src, dst, old, new):
    """Copy @src to @dst with the NUL-terminated name @old (once) made @new
    (the same length)."""
    data = open(src, "rb").read()
    assert len(old) == len(new) and data.count(old + b"\0") == 1, old
    with open(dst, "wb") as f:
        f.write(data.replace(old + b"\0", new + b"\0"))


def lay_out(base, name, files):
    """A TFTP root @base/@name holding the test kernel and @files
    ({name in the root: source path or bytes}); returns its path."""
    root = os.path.join(base, name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "pxelinux.cfg"))
    for dst, src in files.items():
        if isinstance(src, bytes):
            with open(os.path.join(root, dst), "wb") as f:
                f.write(src)
        else:
            shutil.copyfile(src, os.path.join(root, dst))
    with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\nDEFAULT mboot.c32 k.elf\n")
    return root


def cases(r, build, no_qemu):
    """The version cases; @r is checktest's Runner."""
    base = os.path.join(build, "checker", "sysver")
    os.makedirs(base, exist_ok=True)
    bios = pxeboot.BIOS_MODULES
    ours = os.path.join(build, "mboot.c32")
    kernel = os.path.join(build, "tk", "tk-elf32.elf")
    deb = {"pxelinux.0": pxeboot.PXELINUX, "ldlinux.c32":
           os.path.join(bios, "ldlinux.c32"), "libcom32.c32":
           os.path.join(bios, "libcom32.c32"), "k.elf": kernel}
    pxe = banner(pxeboot.PXELINUX, b"PXELINUX ")
    lpxe = banner(LPXELINUX, b"PXELINUX ")
    efi = banner(EFI_LOADER, b"Syslinux ")
    q = re.escape

    def check(name, files, status, present=(), absent=()):
        root = lay_out(base, name, files)
        r.expect("sysver " + name, ["--line", "k.elf", root], status,
                 present, absent)
        return root

    none = [r"error:", r"warning: .*(symbol|pxelinux|ldlinux|libcom32)"]
    check("debian 6.04 ours", dict(deb, **{
        "lpxelinux.0": LPXELINUX, "mboot.c32": ours}), 0, [
            r"^mboot-check: pxelinux\.0: %s$" % q(pxe),
            r"^mboot-check: lpxelinux\.0: %s$" % q(lpxe),
            r"ldlinux\.c32: no SYSLINUX version recorded in it \(SYSLINUX "
            r"writes it only into the core\); i386, built by GCC",
            r"pxelinux\.0 \(%s\): ldlinux\.c32, libcom32\.c32 and mboot\.c32 "
            r"find every symbol they need" % q(pxe),
            r"lpxelinux\.0 \(%s\): ldlinux\.c32, libcom32\.c32 and "
            r"mboot\.c32 find every symbol they need" % q(lpxe)], none)
    check("debian 6.04 stock", dict(deb, **{"mboot.c32":
                                             pxeboot.STOCK_MBOOT}), 0, [
        r"pxelinux\.0 \(%s\): ldlinux\.c32, libcom32\.c32 and mboot\.c32 "
        r"find every symbol they need" % q(pxe)], none)
    odd = os.path.join(base, "mboot-odd.c32")
    renamed(pxeboot.STOCK_MBOOT, odd, b"syslinux_memmap_largest",
            b"syslinux_memmap_largesX")
    root = check("module symbol", dict(deb, **{"mboot.c32": odd}), 1, [
        r"error: mboot\.c32 \(built by GCC[^)]*\) [^)]*\) needs 1 symbol "
        r"that none of pxelinux\.0 \(%s\), ldlinux\.c32 \(built by .*\) and "
        r"libcom32\.c32 \(built by .*\) defines: syslinux_memmap_largesX; "
        r"they come from different SYSLINUX builds, and ldlinux\.c32 "
        r"refuses mboot\.c32 \(\"Undef symbol FAIL: syslinux_memmap_largesX"
        r"\", then \"Failed to load COM32 file mboot\.c32\"\)" % q(pxe),
        r"would NOT boot"])
    if not no_qemu:
        b = pxeboot.run(pxeboot.qemu_command(root, mem="128"), timeout=120,
                        stop_patterns=[r"Failed to load COM32 file",
                                       r"^INFO "],
                        log_path=root + ".log")
        problems = [("no /%s/ on the console" % rx) for rx in (
            r"Undef symbol FAIL: syslinux_memmap_largesX",
            r"Failed to load COM32 file mboot\.c32")
            if not re.search(rx, b.text, re.M)]
        r.judge("sysver module symbol, QEMU", problems, b.text)
    ld = os.path.join(base, "ldlinux-odd.c32")
    renamed(os.path.join(bios, "ldlinux.c32"), ld, b"mangle_name",
            b"mangle_namX")
    check("ldlinux symbol", dict(deb, **{"ldlinux.c32": ld,
                                         "mboot.c32": ours}), 1, [
        r"error: ldlinux\.c32 \(built by .*\) needs 1 symbol that "
        r"pxelinux\.0 \(%s\) does not define: mangle_namX; they come from "
        r"different SYSLINUX builds, and pxelinux\.0 cannot load "
        r"ldlinux\.c32" % q(pxe)])
    old = open(pxeboot.PXELINUX, "rb").read()
    assert old.count(pxe.encode()) == 1
    fake = pxe.replace("6.04", "6.03").replace("20200816", "20141006")
    check("two cores", dict(deb, **{
        "pxelinux.0": old.replace(pxe.encode(), fake.encode()),
        "lpxelinux.0": LPXELINUX, "mboot.c32": ours}), 0, [
            r"warning: pxelinux\.0 is %s but lpxelinux\.0 is %s: both load "
            r"this directory's ldlinux\.c32 and modules, which can fit only "
            r"one of them" % (q(fake), q(lpxe))])
    check("efi64 libcom32", dict(deb, **{"libcom32.c32": EFI_LIBCOM32,
                                         "mboot.c32": ours}), 1, [
        r"error: libcom32\.c32 \(built by [^)]*\) [^)]*\) is an x86-64 ELF "
        r"file, a module of SYSLINUX's "
        r"EFI build \(efi64/\): pxelinux\.0 \(%s\) is BIOS PXELINUX and "
        r"cannot load it" % q(pxe)])
    check("COM32 binary", dict(deb, **{
        "mboot.c32": b"\xb8\xfe\x4c\xcd\x21" + bytes(200)}), 1, [
        r"error: mboot\.c32 is a COM32 binary of SYSLINUX 4 or earlier: "
        r"pxelinux\.0 \(%s\) loads only ELF modules" % q(pxe)])
    check("no ldlinux", {"pxelinux.0": pxeboot.PXELINUX, "k.elf": kernel,
                         "mboot.c32": ours}, 1, [
        r"error: ldlinux\.c32 is not in the root: pxelinux\.0 \(%s\) "
        r"cannot load ldlinux\.c32" % q(pxe)])
    check("no core", {"k.elf": kernel, "mboot.c32": ours}, 0, [
        r"no pxelinux\.0, lpxelinux\.0 or syslinux\.efi in the root: the "
        r"SYSLINUX files are not checked against a core"], none)
    noise = bytes(random.Random(7).randrange(256) for _ in range(40000))
    check("not a core", dict(deb, **{"pxelinux.0": noise,
                                     "mboot.c32": ours}), 0, [
        r"warning: pxelinux\.0 is not a PXELINUX core this checker can "
        r"read"])

    # UEFI: syslinux.efi loads ldlinux.e64 and x86-64 modules.
    efi_files = {"syslinux.efi": EFI_LOADER, "k.elf": kernel,
                 "ldlinux.e64": os.path.join(EFI_MODULES, "ldlinux.e64"),
                 "libcom32.c32": EFI_LIBCOM32,
                 "mboot.c32": os.path.join(EFI_MODULES, "mboot.c32")}
    check("efi 6.04 stock", efi_files, 0, [
        r"^mboot-check: syslinux\.efi: %s$" % q(efi),
        r"ldlinux\.e64: no SYSLINUX version recorded in it .*; x86-64, "
        r"built by GCC",
        r"syslinux\.efi \(%s\): ldlinux\.e64, libcom32\.c32 and mboot\.c32 "
        r"find every symbol they need" % q(efi)], none)
    check("efi bios libcom32", dict(efi_files, **{
        "libcom32.c32": os.path.join(bios, "libcom32.c32")}), 1, [
        r"error: libcom32\.c32 \(built by [^)]*\) [^)]*\) is an i386 ELF "
        r"file, a module of SYSLINUX's BIOS build: syslinux\.efi \(%s\) is "
        r"UEFI SYSLINUX \(x86-64\) and cannot load it" % q(efi)])
    lde = os.path.join(base, "ldlinux-odd.e64")
    renamed(efi_files["ldlinux.e64"], lde, b"mangle_name", b"mangle_namX")
    check("efi ldlinux symbol", dict(efi_files, **{"ldlinux.e64": lde}), 1, [
        r"error: ldlinux\.e64 \(built by .*\) needs 1 symbol that "
        r"syslinux\.efi \(%s\) does not define: mangle_namX; .* and "
        r"syslinux\.efi cannot load ldlinux\.e64" % q(efi)])
    # BIOS and UEFI cores side by side: the first core found (pxelinux.0)
    # judges with errors, the others with warnings.
    check("bios and efi cores", dict(deb, **{
        "syslinux.efi": EFI_LOADER, "mboot.c32": ours}), 0, [
        r"pxelinux\.0 \(%s\): ldlinux\.c32, libcom32\.c32 and mboot\.c32 "
        r"find every symbol they need" % q(pxe),
        r"warning: ldlinux\.e64 is not in the root: syslinux\.efi \(%s\) "
        r"cannot load ldlinux\.e64" % q(efi)], [r"error:"])
