#!/usr/bin/env python3
"""membench.py - how big a module fits, and where the load time goes.

Measurements for `make bench` (not tests), through Debian's pxelinux.0 in
QEMU with the conformance test kernel checking every module's length and
CRC-32:

1. Largest single module beside a small kernel with -m MEM (--mem,
   default 1024).  For ours the plan is made before any download, so
   sizes are searched cheaply: each step boots with -v, which prints the
   plan ("mboot: space ...") before the module's download, and QEMU is
   stopped at the plan or at the out-of-memory refusal (a few seconds per
   step; without -v an accepted size printed nothing until its transfer
   ended and each step ran into its 60 s limit).  The largest accepted
   size N is then booted for real, and N + 1 MiB; the stock mboot.c32 is
   booted with N and with MEM - 8 and MEM - 4 MiB (1016 and 1020 with
   -m 1024: the size measured for it before and one it refuses).  The
   boot time of these grows with MEM: make bench's default form uses
   --mem 256, make bench-full 1024 (tests/bench/run-bench.sh).
2. A 200 MB module with -m 1024 (whatever --mem says): total time from
   PXELINUX's banner to the kernel's start, the transfer time our module
   reports, and the rest (our own work); ours and the stock module.

Modules are sparse files (zeros): the transfer is as real as with data.
The tables are printed and written to BUILD/bench/membench.md
(docs/BENCH.md's section).

    python3 qemu/membench.py [--build B] [--mem MiB] [--skip-largest]
                             [--skip-split]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import re
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "bench"))
import benchmd  # noqa: E402
import pxeboot  # noqa: E402

MIB = 1 << 20


def zero_crc(size):
    """CRC-32 of @size zero bytes."""
    crc, chunk = 0, bytes(MIB)
    while size:
        n = min(size, MIB)
        crc = zlib.crc32(chunk[:n], crc)
        size -= n
    return crc & 0xffffffff


def setup(build, loader, size, tag, opts=""):
    """A TFTP root booting the test kernel with one sparse module of @size;
    @opts: our module's options, before the kernel's name."""
    data = os.path.join(build, "membench")
    os.makedirs(data, exist_ok=True)
    mod = os.path.join(data, "zero-%d.bin" % size)
    if not os.path.exists(mod):
        with open(mod, "wb") as f:
            f.truncate(size)
    root = os.path.join(build, "membench", "root-%s" % tag)
    line = ("mboot.c32 %stk-elf32.elf tk.name=tk-elf32.elf tk.mods=1 --- "
            "big.bin len=%d crc=%08x" % (opts + " " if opts else "", size,
                                         zero_crc(size)))
    src = os.path.join(build, "mboot.c32") if loader == "ours" \
        else pxeboot.STOCK_MBOOT
    pxeboot.make_tftp_root(root, src, {
        "tk-elf32.elf": os.path.join(build, "tk", "tk-elf32.elf"),
        "big.bin": mod}, line)
    return root


def boot(build, loader, size, mem, stop_at_plan=False, timeout=900):
    """Boot with a @size module; returns the pxeboot.Boot.  @stop_at_plan
    (ours only): boot with -v and stop once the plan is printed (its
    "mboot: space" lines come before any module byte is fetched)."""
    tag = "%s-%d%s" % (loader, size, "-plan" if stop_at_plan else "")
    root = setup(build, loader, size, tag, "-v" if stop_at_plan else "")
    stops = [r"mboot: error", r"^TK VERDICT"]
    if stop_at_plan:
        stops.append(r"^mboot: space 0x")
    boot = pxeboot.run(pxeboot.qemu_command(root, mem=mem), timeout,
                       stop_patterns=stops, log_path=root + ".log")
    os.remove(os.path.join(build, "membench", "zero-%d.bin" % size))
    return boot


def verdict(b):
    """PASS/FAIL/the error line, for the table; a FAIL names the test
    kernel's failed checks (e.g. "FAIL n=2 (seg.fs, seg.gs)")."""
    m = re.search(r"TK VERDICT (\w+.*)", b.text)
    if m:
        failed = re.findall(r"^FAIL (\S+)", b.text, re.M)
        return m.group(1) + (" (%s)" % ", ".join(failed) if failed else "")
    m = re.search(r"(mboot: error: .*|No files found.*|boot failed.*)", b.text)
    return m.group(1)[:100] if m else "no verdict (%s)" % b.reason


def largest_ours(build, mem):
    """Largest module (MiB) our plan accepts with @mem MiB of RAM; raises
    RuntimeError when a step shows neither the plan nor the refusal."""
    lo, hi = 1, mem
    while hi - lo > 1:
        mid = (lo + hi) // 2
        b = boot(build, "ours", mid * MIB, mem, stop_at_plan=True, timeout=60)
        if "out of memory" in b.text:
            hi = mid
        elif b.reason == "stop:^mboot: space 0x":
            lo = mid
        else:   # neither: a failed boot must not pass for an accepted size
            raise RuntimeError("membench: %d MiB with -m %d: no plan and no "
                               "out-of-memory line (%s; %s)" % (
                                   mid, mem, b.reason, verdict(b)))
    return lo


def split(b):
    """(total, transfer, rest, paths) seconds: banner to kernel start; the
    transfer is the sum of our summary lines' times, paths their "via"."""
    t0 = b.first(r"^PXELINUX \d")
    t1 = b.first(r"^TK START")
    xfer = sum(float(x) for x in re.findall(r"bytes in (\d+\.\d+) s", b.text))
    vias = sorted(set(re.findall(r"bytes in \d+\.\d+ s \([^)]*\) via (.*)",
                                 b.text)))
    if t0 is None or t1 is None:
        return None
    return t1 - t0, xfer, (t1 - t0) - xfer, vias


def main():
    """Run the searches and boots, print the tables, write the section."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--mem", type=int, default=1024)
    ap.add_argument("--skip-largest", action="store_true",
                    help="leave out the largest-module search and boots")
    ap.add_argument("--skip-split", action="store_true",
                    help="leave out the 200 MB load-time split")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    sec = benchmd.Section(build, "membench", "Largest module and load-time "
                          "split, -m %d (qemu/membench.py)" % args.mem)
    out = []

    def emit(line):
        """Print @line at once and keep it for the section."""
        print(line, flush=True)
        out.append(line)

    if not args.skip_largest:
        n = largest_ours(build, args.mem)
        emit("Largest single module beside tk-elf32.elf with -m %d that our "
             "plan accepts (binary search on the out-of-memory refusal): "
             "%d MiB.  Each size then booted for real (the test kernel "
             "checks the module's length and CRC-32):" % (args.mem, n))
        emit("")
        emit("| loader | module MiB | result | s |")
        emit("|---|---:|---|---:|")
        done = set()
        for loader, size in (("ours", n), ("ours", n + 1), ("stock", n),
                             ("stock", args.mem - 8), ("stock", args.mem - 4)):
            # Each (loader, size) once: with n = mem - 8 the old test skipped
            # both stock rows of that size, losing the comparison.
            if (loader, size) in done:
                continue
            done.add((loader, size))
            b = boot(build, loader, size * MIB, args.mem)
            emit("| %s | %d | %s | %.0f |" % (
                loader, size, verdict(b).replace("|", "\\|"), b.seconds))
        emit("")

    if args.skip_split:
        sec.add(out)
        sec.write()
        return 0
    emit("200 MB module (200,000,000 bytes), -m 1024: PXELINUX banner to the "
         "test kernel's start; transfer = the sum of our summary lines' "
         "times (the stock module prints none):")
    emit("")
    emit("| loader | banner -> kernel s | transfer s | own work s | "
         "own work % | path (module's own line) | verdict |")
    emit("|---|---:|---:|---:|---:|---|---|")
    totals = {}
    for loader in ("ours", "stock"):
        b = boot(build, loader, 200 * 1000 * 1000, 1024)
        s = split(b)
        if not s:
            emit("| %s | - | - | - | - | - | %s |" % (loader, verdict(b)))
        elif loader == "ours":
            totals[loader] = s[0]
            emit("| ours | %.1f | %.1f | %.2f | %.1f | %s | %s |" % (
                s[0], s[1], s[2], 100 * s[2] / s[0],
                "; ".join(s[3]) or "(no summary line)", verdict(b)))
        else:
            totals[loader] = s[0]
            emit("| stock | %.1f | - | - | - | (stock: prints no path) | %s |"
                 % (s[0], verdict(b)))
    if "ours" in totals and "stock" in totals:
        emit("")
        emit("stock/ours, banner -> kernel: %.2f" % (totals["stock"] /
                                                     totals["ours"]))
    sec.add(out)
    sec.write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
