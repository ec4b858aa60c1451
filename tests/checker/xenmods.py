"""xenmods.py - the checker's Xen module lints (tools/xenlint.c) on the real
Debian 12 Xen 4.17 entry of qemu/xen/demo.py, with modules made here:

  ucode.cpio      an uncompressed newc cpio holding only
                  kernel/x86/microcode/GenuineIntel.bin (a 48-byte Intel
                  header: header and loader version 1)
  ucode.cpio.gz   the same, gzip
  intel.bin       that Intel update alone (a raw update)
  amd.bin         an AMD container (magic "DMA\\0")
  ucode+initrd    ucode.cpio followed by the demo's gzip initrd (one file,
                  the early-microcode layout Linux and Xen read)
  policy.bin      a FLASK policy (its first word 0xf97cff8c)
  xen-xsm         the demo's Xen, decompressed, with Xen's XSM banner text
                  "XSM Framework v1.0.1 initialized" appended: a stand-in
                  for a Xen built with XSM (Debian's is not: its config
                  says "# CONFIG_XSM is not set")

Every case runs `mboot-check --line` and checks the exit status and the
warning (or its absence).

SPDX-License-Identifier: GPL-2.0-or-later
"""
import gzip
import os
import struct


def newc(entries):
    """A newc cpio archive of @entries (name, data, mode), with its trailer."""
    out = b""
    for i, (name, data, mode) in enumerate(entries + [("TRAILER!!!", b"", 0)]):
        nb = name.encode() + b"\0"
        fields = (i + 1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0)
        out += ("070701" + "".join("%08x" % v for v in fields)).encode() + nb
        out += b"\0" * (-len(out) % 4)
        out += data + b"\0" * (-len(data) % 4)
    return out + b"\0" * (-len(out) % 512)


# An Intel microcode header: header version 1, revision, date, signature,
# checksum, loader version 1, platform flags, data size, total size, and 12
# reserved bytes (48 bytes; no data, enough to be recognised).
INTEL = struct.pack("<9I", 1, 0x42, 0x20240101, 0x806ec, 0, 1, 0x80, 0, 48) \
    + bytes(12)
AMD = struct.pack("<I", 0x00414d44) + bytes(60)
DIRS = [("kernel", b"", 0o40755), ("kernel/x86", b"", 0o40755),
        ("kernel/x86/microcode", b"", 0o40755)]


def lay_out(root, initrd_name):
    """Write the modules above into @root (the demo's TFTP root)."""
    ucode = newc(DIRS + [("kernel/x86/microcode/GenuineIntel.bin", INTEL,
                          0o100644)])
    files = {
        "ucode.cpio": ucode,
        "ucode.cpio.gz": gzip.compress(ucode, mtime=0),
        "intel.bin": INTEL,
        "amd.bin": AMD,
        "ucode+initrd": ucode + open(os.path.join(root, initrd_name),
                                     "rb").read(),
        "policy.bin": struct.pack("<II", 0xf97cff8c, 8) + b"XenFlask" +
        bytes(64),
        "xen-xsm": gzip.decompress(open(os.path.join(root, "xen.gz"),
                                        "rb").read()) +
        b"XSM Framework v1.0.1 initialized\n",
    }
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)


def cases(r, root, line):
    """The lint cases on the demo's @line ("xen.gz ARGS --- vmlinuz ARGS
    --- initrd.gz") in @root."""
    xen, dom0, initrd = line.split(" --- ")
    lay_out(root, initrd)
    scan = xen + " ucode=scan"

    def check(name, xen_part, modules, present=(), absent=()):
        r.expect("xen " + name, ["--line", " --- ".join([xen_part, dom0] +
                                                        modules), root], 0,
                 present, absent)

    no_xen_warning = [r"warning: (ucode|module \d+ \(|dom0's initrd)"]
    check("ucode=scan found", scan, ["ucode+initrd"], [
        r"ucode=scan: module 2 \(ucode\+initrd\) holds "
        r"kernel/x86/microcode/GenuineIntel\.bin: Xen's scan finds it"],
          no_xen_warning)
    check("ucode=scan none", scan, [initrd], [
        r"warning: ucode=scan: no module is an uncompressed cpio archive "
        r"holding kernel/x86/microcode/GenuineIntel\.bin or "
        r"AuthenticAMD\.bin: Xen loads no microcode"])
    check("ucode=scan gzip", scan, ["ucode.cpio.gz", initrd], [
        r"warning: ucode=scan: module 2 \(ucode\.cpio\.gz\) holds microcode "
        r"but is gzip: Xen's scan reads only uncompressed cpio archives"])
    check("microcode-only initrd", scan, ["ucode.cpio", initrd], [
        r"warning: module 2 \(ucode\.cpio\), dom0's initrd for Xen \(the "
        r"first module Xen does not claim\), holds nothing but microcode "
        r"\(1 file under kernel/x86/microcode/\)"])
    check("initrd candidates", scan, [initrd, "ucode.cpio"], [
        r"warning: dom0's initrd has 2 candidates .*: modules "
        r"2 \(initrd\.gz\), 3 \(ucode\.cpio\); Xen warns \"Multiple initrd "
        r"candidates, picking module #1\" and gives dom0 only module 2 "
        r"\(initrd\.gz\)"], [r"warning: ucode=scan", r"nothing but microcode"])
    check("ucode=N raw Intel", xen + " ucode=2", [initrd, "intel.bin"], [
        r"ucode=2 names module 3 \(intel\.bin\), an Intel microcode update"],
          no_xen_warning)
    check("ucode=-1 raw AMD", xen + " ucode=-1", [initrd, "amd.bin"], [
        r"ucode=-1 names module 3 \(amd\.bin\), an AMD microcode container"],
          no_xen_warning)
    check("ucode=N not microcode", xen + " ucode=1", [initrd, "intel.bin"], [
        r"warning: ucode=1 names module 2 \(initrd\.gz\), which is not "
        r"microcode \(neither an Intel update nor an AMD container\): Xen "
        r"claims it anyway, so it is not dom0's initrd either"])
    check("ucode=N cpio", xen + " ucode=2", [initrd, "ucode.cpio"], [
        r"warning: ucode=2 names module 3 \(ucode\.cpio\), a cpio archive "
        r"holding microcode: Xen 4\.22 and later look inside it; Xen 4\.21 "
        r"and earlier take it as a raw microcode update"])
    check("ucode=N no module", xen + " ucode=2", [initrd], [
        r"warning: ucode=2 names no module: Xen counts its modules from "
        r"dom0's kernel \(module 1 on the line\) as 0, .* and this line "
        r"gives it 1 after dom0's kernel"])
    check("ucode=-3 no module", xen + " ucode=-3", [initrd], [
        r"warning: ucode=-3 names no module"])
    check("ucode=0", xen + " ucode=0", [initrd], [
        r"warning: ucode=0 names no module"])
    check("ucode after --", xen + " -- ucode=7", [initrd], [],
          no_xen_warning)
    check("policy without XSM", xen, [initrd, "policy.bin"], [
        r"warning: module 3 \(policy\.bin\) is an XSM/FLASK policy, but "
        r"xen\.gz is built without XSM: Xen does not take it as a policy, "
        r"and it counts as a candidate for dom0's initrd",
        r"warning: dom0's initrd has 2 candidates"])
    xsm = xen.replace("xen.gz", "xen-xsm", 1)
    check("policy xsm=dummy", xsm + " xsm=dummy", [initrd, "policy.bin"], [
        r"warning: module 3 \(policy\.bin\) is an XSM/FLASK policy; Xen takes "
        r"it but does not enforce it: xsm=dummy selects another XSM module"],
        [r"warning: dom0's initrd has 2 candidates"])
    check("policy xsm=silo", xsm + " xsm=silo", [initrd, "policy.bin"], [
        r"does not enforce it: xsm=silo selects another XSM module"])
    check("policy flask=disabled", xsm + " flask=disabled",
          [initrd, "policy.bin"], [r"does not enforce it: flask=disabled"])
    check("policy default", xsm, [initrd, "policy.bin"], [
        r"module 3 \(policy\.bin\) is an XSM/FLASK policy: used when this "
        r"Xen's default XSM module is FLASK"], no_xen_warning)
    check("policy xsm=flask", xsm + " xsm=flask", [initrd, "policy.bin"], [
        r"module 3 \(policy\.bin\) is an XSM/FLASK policy: Xen takes it and "
        r"xsm=flask enforces it"], no_xen_warning)
    check("ucode=N names the policy", xsm + " xsm=flask ucode=2",
          [initrd, "policy.bin"], [
              r"warning: ucode=2 names module 3 \(policy\.bin\), which Xen "
              r"already took as its XSM policy"])


def tboot_cases(r, root, line):
    """Under tboot (@line: "tboot.gz ARGS --- -gunzip xen.gz ARGS ---
    vmlinuz ARGS --- initrd.gz" in @root) Xen is module 1, and its module
    N is the line's module N + 2."""
    tboot, xen, dom0, initrd = line.split(" --- ")
    lay_out(root, initrd)

    def check(name, xen_part, modules, present):
        r.expect("tboot " + name, ["--line", " --- ".join(
            [tboot, xen_part, dom0] + modules), root], 0, present)

    check("ucode=N raw Intel", xen + " ucode=2", [initrd, "intel.bin"], [
        r"ucode=2 names module 4 \(intel\.bin\), an Intel microcode update"])
    check("ucode=N not microcode", xen + " ucode=1", [initrd, "intel.bin"], [
        r"warning: ucode=1 names module 3 \(initrd\.gz\), which is not "
        r"microcode"])
    check("microcode-only initrd", xen + " ucode=scan",
          ["ucode.cpio", initrd], [
              r"warning: module 3 \(ucode\.cpio\), dom0's initrd for Xen"])
