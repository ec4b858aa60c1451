#!/usr/bin/env python3
"""fetchbench.py - how fast a 200 MiB module arrives, per transport.

Boots the small test kernel (tk-elf32.elf) with one 200 MiB module (its CRC
checked by the kernel) in QEMU (TCG, -m 1024), one run at a time:

  ours-ipxe-tftp    our mboot.c32, iPXE's file API, tftp://
  ours-ipxe-http    our mboot.c32, iPXE's file API, http:// from nginx
  ours-pxelinux     our mboot.c32 -pxelinux (PXELINUX's file layer, TFTP)
  stock-tftp        SYSLINUX's mboot.c32 (PXELINUX's file layer, TFTP)

and prints, per run, the module's transfer rate (from our summary line;
the stock module prints none), the time from PXELINUX's banner to the
kernel's verdict and from QEMU's start to it.  Not part of the tests.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import random
import re
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nginx  # noqa: E402
import pxeboot  # noqa: E402

KERNEL = "tk-elf32.elf"
SIZE = 200 << 20


def make_module(path):
    """Write the 200 MiB pseudo-random module once; returns its CRC."""
    if not os.path.exists(path) or os.path.getsize(path) != SIZE:
        rnd = random.Random("fetchbench")
        with open(path + ".tmp", "wb") as f:
            for _ in range(SIZE >> 20):
                f.write(rnd.randbytes(1 << 20))
        os.replace(path + ".tmp", path)
    crc = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                break
            crc = zlib.crc32(b, crc)
    return crc & 0xffffffff


def run(name, build, loader, module_name, crc, opts="", verbose=False):
    """One boot; returns (name, MB/s or None, banner->verdict s, total s,
    ok, note)."""
    bench = os.path.join(build, "fetchbench")
    root = os.path.join(bench, "root-" + name)
    line = "mboot.c32 %s%s tk.name=%s tk.mods=1 --- %s len=%d crc=%08x" % (
        opts + " " if opts else "", KERNEL, KERNEL, module_name, SIZE, crc)
    pxeboot.make_tftp_root(root, loader, {
        KERNEL: os.path.join(build, "tk", KERNEL),
        "big.bin": os.path.join(bench, "www", "big.bin")}, line)
    log = os.path.join(bench, name + ".log")
    boot = pxeboot.run(pxeboot.qemu_command(root, mem=1024), timeout=600,
                       stop_patterns=[r"Boot failed", r"TK VERDICT"],
                       echo=verbose, log_path=log)
    rate, via = None, ""
    for _, l in boot.lines:
        m = re.search(r"^mboot: %s: (\d+) bytes in (\d+)\.(\d+) s "
                      r"\(.*\) via (.*)$" % re.escape(module_name), l)
        if m:
            ms = int(m.group(2)) * 1000 + int(m.group(3))
            rate = int(m.group(1)) / 1e6 / (ms / 1000.0) if ms else None
            via = m.group(4)
    crc_ok = any(re.match(r"^PASS mod0\.crc", l) for _, l in boot.lines)
    banner = boot.first(r"PXELINUX 6\.04")
    verdict = boot.first(r"TK VERDICT")
    since_banner = verdict - banner if verdict and banner else None
    return (name, rate, since_banner, verdict, crc_ok,
            via or ("(no summary line)" if crc_ok else boot.reason))


def fmt(v, spec):
    return spec % v if v is not None else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", help="regex of run names")
    ap.add_argument("-v", action="store_true", help="stream consoles")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    www = os.path.join(build, "fetchbench", "www")
    os.makedirs(www, exist_ok=True)
    crc = make_module(os.path.join(www, "big.bin"))
    ours = os.path.join(build, "mboot.c32")
    with nginx.Nginx(www, os.path.join(build, "fetchbench", "nginx")) as web:
        runs = [
            ("ours-ipxe-tftp", ours, "big.bin", ""),
            ("ours-ipxe-http", ours,
             "http://10.0.2.2:%d/big.bin" % web.port, ""),
            ("ours-pxelinux", ours, "big.bin", "-pxelinux"),
            ("stock-tftp", pxeboot.STOCK_MBOOT, "big.bin", ""),
        ]
        print("%-16s %10s %14s %12s  %s" % ("run", "MB/s", "banner->TK s",
                                           "total s", "crc / transport"))
        for name, loader, mod, opts in runs:
            if args.only and not re.search(args.only, name):
                continue
            r = run(name, build, loader, mod, crc, opts, args.v)
            print("%-16s %10s %14s %12s  %s %s" % (
                r[0], fmt(r[1], "%.1f"), fmt(r[2], "%.1f"), fmt(r[3], "%.1f"),
                "crc ok" if r[4] else "CRC NOT CHECKED", r[5]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
