#!/usr/bin/env python3
"""measure_space.py - measure the memory mboot.c32 plans in under Debian's
pxelinux.0 on SeaBIOS/QEMU, for the model in tools/pxemodel.c.

Boots the test kernel with `-verbose` at several -m sizes and kernel
packagings, and prints, per boot, the firmware map the kernel received
(INFO mmap lines) and the module's `mboot: space` lines, so the model's
constants can be derived and re-checked:

    python3 tests/checker/measure_space.py --build build [-j 2]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import os
import glob
import gzip
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "qemu"))
import pxeboot  # noqa: E402

# (name, -m, kernel[, module option: -gunzip takes a gzip module
#  [, extra characters of kernel arguments [, loader: "" or "pad128k"]]])
RUNS = [("m%s-%s" % (m, k.split(".")[-1]), m, k)
        for m in ("48", "64", "128", "160", "512", "1024", "3072", "4096")
        for k in ("tk-elf32.elf",)] + \
       [("m%s-gz" % m, m, "tk-elf32.gz") for m in ("128", "512")] + \
       [("m512-high", "512", "tk-high.elf"),
        ("m512-pad1m", "512", "pad1m.elf"),
        ("m512-pad3m-gz", "512", "pad3m.gz"),
        ("m512-gunzip", "512", "tk-elf32.elf", "-gunzip"),
        ("m5G-elf", "5G", "tk-elf32.elf"),
        ("m512-args600", "512", "tk-elf32.elf", "", 600),
        ("m512-args1200", "512", "tk-elf32.elf", "", 1200),
        ("m512-pad128k", "512", "tk-elf32.elf", "", 0, "pad128k"),
        ("m512-words6", "512", "tk-elf32.elf"),
        ("m512-mods3", "512", "tk-elf32.elf"),
        ("m512-modargs", "512", "tk-elf32.elf"),
        ("m512-pxelinux", "512", "tk-elf32.elf"),
        ("m512-pxelinux-gz", "512", "tk-elf32.gz")]

# Runs whose whole line is given (more words, more modules).
LINES = {
    "m512-words6": "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf "
                   "tk.mods=1 a b c d e f --- small.bin",
    "m512-mods3": "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf "
                  "tk.mods=3 --- small.bin --- small.bin --- small.bin",
    "m512-modargs": "mboot.c32 -verbose tk-elf32.elf tk.name=tk-elf32.elf "
                    "tk.mods=1 --- small.bin len=13 crc=12345678 name=small.bin",
    # PXELINUX's own transport (no read-ahead buffer of mboot's TFTP).
    "m512-pxelinux": "mboot.c32 -verbose -pxelinux tk-elf32.elf "
                     "tk.name=tk-elf32.elf tk.mods=1 --- small.bin",
    "m512-pxelinux-gz": "mboot.c32 -verbose -pxelinux tk-elf32.gz "
                        "tk.name=tk-elf32.gz tk.mods=1 --- small.bin",
}


def make_padded_loader(build):
    """mboot.c32 linked with 128 KiB more BSS (an extra object), to see
    how the module's own size moves the heap."""
    d = os.path.join(build, "measure-space")
    src, obj = os.path.join(d, "pad.c"), os.path.join(d, "pad.o")
    with open(src, "w") as f:
        f.write("char mboot_measure_pad[131072];\n")
    subprocess.check_call(["gcc", "-m32", "-fPIC", "-fno-common", "-c", src,
                           "-o", obj])
    objs = sorted(glob.glob(os.path.join(build, "bios", "**", "*.o"),
                            recursive=True))
    elf = os.path.join(d, "mboot-pad128k.elf")
    subprocess.check_call(
        ["ld", "-m", "elf_i386", "-shared", "--hash-style=gnu", "-T",
         os.path.join(build, "syslinux-src", "com32", "lib", "i386", "elf.ld"),
         "--as-needed", "--no-warn-rwx-segments", "-o", elf] + objs +
        [obj, "/usr/lib/syslinux/modules/bios/libcom32.c32"])
    out = os.path.join(d, "mboot-pad128k.c32")
    subprocess.check_call(["objcopy", "--strip-debug", "--strip-unneeded",
                           elf, out])
    return out


def make_kernels(build):
    """Bigger kernels: tk-elf32.elf with random bytes appended (still the
    same ELF), plain and gzip; and a gzip module (for -gunzip)."""
    d = os.path.join(build, "measure-space")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(build, "tk", "tk-elf32.elf"), "rb") as f:
        k = f.read()
    rnd = random.Random(1)
    with open(os.path.join(d, "pad1m.elf"), "wb") as f:
        f.write(k + bytes(rnd.getrandbits(8) for _ in range(1000000 - len(k))))
    with open(os.path.join(d, "pad3m.gz"), "wb") as f:
        f.write(gzip.compress(k + bytes(rnd.getrandbits(8) for _ in range(3000000)),
                              6, mtime=0))
    with open(os.path.join(d, "mod.gz"), "wb") as f:
        f.write(gzip.compress(bytes(rnd.getrandbits(8) for _ in range(500000)),
                              6, mtime=0))


def one(build, name, mem, kernel, mopt="", nargs=0, loader=""):
    """Boot once; returns (name, mem, kernel, e820 lines, space lines)."""
    root = os.path.join(build, "measure-space", name)
    data = os.path.join(build, "measure-space", "small.bin")
    os.makedirs(os.path.dirname(data), exist_ok=True)
    with open(data, "wb") as f:
        f.write(b"small module\n")
    mod = "mod.gz" if mopt else "small.bin"
    line = ("mboot.c32 -verbose %s tk.name=%s tk.mods=1%s --- %s %s"
            % (kernel, kernel, (" x=" + "a" * (nargs - 3)) if nargs else "",
               mopt, mod))
    line = LINES.get(name, line)
    src = os.path.join(build, "tk", kernel)
    if not os.path.exists(src):
        src = os.path.join(build, "measure-space", kernel)
    loader_path = os.path.join(build, "mboot.c32") if not loader else \
        os.path.join(build, "measure-space", "mboot-%s.c32" % loader)
    pxeboot.make_tftp_root(root, loader_path,
                           {kernel: src, "small.bin": data,
                            "mod.gz": os.path.join(os.path.dirname(data),
                                                   "mod.gz")}, line)
    boot = pxeboot.run(pxeboot.qemu_command(root, mem=mem), timeout=180,
                       stop_patterns=[r"Boot failed", r"TK VERDICT"],
                       log_path=root + ".log")
    mmap = [l for _, l in boot.lines if l.startswith("INFO mmap ")]
    space = [l for _, l in boot.lines if re.match(r"mboot: space", l)]
    err = [l for _, l in boot.lines if "error" in l]
    return name, mem, kernel, mmap, space + err


def compare_model(build, name, mem, space):
    """The checker's modelled space for the same root (when mboot-check is
    built): the difference says how far PXE_HEAP_USED_BASE is off for
    this module (tools/pxemodel.h)."""
    checker = os.path.join(build, "mboot-check")
    m = re.search(r"space 0x([0-9a-f]+)-", " ".join(space))
    if not os.path.exists(checker) or not m:
        return
    root = os.path.join(build, "measure-space", name)
    ram = mem if mem[-1].isalpha() else mem + "M"
    out = subprocess.run([checker, "--ram", ram, root,
                          os.path.join(root, "pxelinux.cfg", "default")],
                         stdout=subprocess.PIPE, text=True).stdout
    p = re.search(r"plans in 0x([0-9a-f]+)-", out)
    if p:
        diff = int(m.group(1), 16) - int(p.group(1), 16)
        print("   model 0x%s: measured - model = %+d bytes" % (p.group(1), diff))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", help="regex of run names")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    make_kernels(build)
    make_padded_loader(build)
    runs = [r for r in RUNS if not a.only or re.search(a.only, r[0])]
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        for name, mem, kernel, mmap, space in ex.map(
                lambda r: one(build, *r), runs):
            print("== %s (-m %s, %s)" % (name, mem, kernel))
            print("   line %d characters" % len(open(os.path.join(
                build, "measure-space", name, "pxelinux.cfg", "default"))
                .read().split("DEFAULT ")[1].rstrip("\n")))
            for l in mmap + space:
                print("   " + l)
            compare_model(build, name, mem, space)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
