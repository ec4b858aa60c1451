#!/usr/bin/env python3
"""fetchbench.py - how fast a 200 MiB module arrives, per transport.

Boots the small test kernel (tk-elf32.elf) with one 200 MiB module (--size
MiB: another size; make bench uses 200 in both forms) (its CRC
checked by the kernel) in QEMU (TCG, -m 1024), one run at a time:

  ours-tftp-name   our mboot.c32, a plain (TFTP) name
  ours-http-name   our mboot.c32, an http:// name served by nginx
  ours-pxelinux    our mboot.c32 -pxelinux, a plain name
  stock-tftp-name  SYSLINUX's mboot.c32, a plain name
  ipxe-own-http    no PXELINUX, no module: the NIC's iPXE ROM itself runs
                   `imgfetch` of the http:// name (an iPXE script as the
                   DHCP boot file): the reference our module's iPXE path
                   reads through
  ipxe-own-tftp    the same over TFTP (iPXE's own TFTP client)

and prints a Markdown table: per run, the transport our module says it
used (the "via X" of its summary line, e.g. "PXE UDP (tftp://...)" for its
own TFTP client: nothing here assumes a path; the stock module prints no
summary line, so its row says so), the module's transfer rate (from that
summary line), the time from PXELINUX's banner to the kernel's verdict
and from QEMU's start to it, and the ratios of the banner -> verdict
times against the stock module; for iPXE's own runs the rate is the
module's bytes over the time between the script's lines before and after
`imgfetch` (iPXE's screen mirrored to the serial port by SeaBIOS), and
the check is iPXE's `imgstat` size (no CRC).  The table also goes to
BUILD/bench/fetchbench.md (docs/BENCH.md's section), its numbers to
BUILD/bench/fetchbench.json (tests/bench/figures.py's throughput
figure).  Not part of the tests.

    python3 qemu/fetchbench.py [--build B] [--only REGEX] [--size MiB] [-v]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import random
import re
import shutil
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "bench"))
import benchmd  # noqa: E402
import nginx  # noqa: E402
import pxeboot  # noqa: E402

KERNEL = "tk-elf32.elf"
SIZE = 200 << 20     # bytes; --size changes it


def make_module(path):
    """Write the SIZE-byte pseudo-random module once; returns its CRC."""
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


# Our module's summary line: NAME: BYTES bytes in S.MMM s (R MB/s) via
# TRANSPORT[ (URL)] (com32/fetch.c).
RE_SUMMARY = r"mboot: %s: (\d+) bytes in (\d+)\.(\d+) s \([^)]*\) via (.*)$"


def run(name, build, loader, module_name, crc, opts="", verbose=False):
    """One boot; returns (name, MB/s or None, banner->verdict s, total s,
    ok, path): path is the summary line's "via" text, or why there is
    none."""
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
        m = re.search(RE_SUMMARY % re.escape(module_name), l)
        if m:
            ms = int(m.group(2)) * 1000 + int(m.group(3))
            rate = int(m.group(1)) / 1e6 / (ms / 1000.0) if ms else None
            via = m.group(4).strip()
    crc_ok = any(re.match(r"^PASS mod0\.crc", l) for _, l in boot.lines)
    banner = boot.first(r"PXELINUX 6\.04")
    verdict = boot.first(r"TK VERDICT")
    since_banner = verdict - banner if verdict and banner else None
    if not via:
        via = ("(no summary line: %s)" % ("the stock module prints none"
                                          if loader == pxeboot.STOCK_MBOOT
                                          else "none printed")
               if crc_ok else "(failed: %s)" % boot.reason)
    return (name, rate, since_banner, verdict, crc_ok, via)


# iPXE's script for its own fetch: lines before and after imgfetch give
# the time, imgstat the size it holds.
IPXE_SCRIPT = """#!ipxe
echo FETCHBENCH-IPXE-START
imgfetch --name big %s || echo FETCHBENCH-IPXE-FAILED
echo FETCHBENCH-IPXE-DONE
imgstat big
echo FETCHBENCH-IPXE-END
"""


def run_ipxe(name, build, url, verbose=False):
    """iPXE's own fetch of @url (no PXELINUX, no module): the DHCP boot
    file is an iPXE script; returns run()'s tuple, the size iPXE's imgstat
    reports standing in for the CRC check."""
    bench = os.path.join(build, "fetchbench")
    root = os.path.join(bench, "root-" + name)
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    with open(os.path.join(root, "fetch.ipxe"), "w") as f:
        f.write(IPXE_SCRIPT % url)
    big = os.path.join(bench, "www", "big.bin")
    try:
        os.link(big, os.path.join(root, "big.bin"))
    except OSError:
        shutil.copyfile(big, os.path.join(root, "big.bin"))
    # SeaBIOS mirrors the screen (iPXE's output) to COM1 (sercon, port
    # 0x3f8): iPXE itself writes nothing to the serial port.
    sercon = os.path.join(bench, "sercon-port")
    with open(sercon, "wb") as f:
        f.write(b"\xf8\x03")
    cmd = [a.replace("bootfile=pxelinux.0", "bootfile=fetch.ipxe")
           for a in pxeboot.qemu_command(root, mem=1024, extra=[
               "-fw_cfg", "name=etc/sercon-port,file=" + sercon])]
    log = os.path.join(bench, name + ".log")
    boot = pxeboot.run(cmd, timeout=600, stop_patterns=[
        r"FETCHBENCH-IPXE-END", r"FETCHBENCH-IPXE-FAILED"], echo=verbose,
        log_path=log)
    t0 = boot.first(r"^FETCHBENCH-IPXE-START")
    t1 = boot.first(r"^FETCHBENCH-IPXE-DONE")
    size_ok = boot.first(r"^big : %d bytes" % SIZE) is not None
    rate = SIZE / 1e6 / (t1 - t0) if t0 is not None and t1 and t1 > t0 \
        and size_ok else None
    via = ("iPXE's own imgfetch (%s)" % url if size_ok else
           "(failed: %s)" % (boot.first(r"FETCHBENCH-IPXE-FAILED") and
                             "imgfetch failed" or boot.reason))
    return (name, rate, None, t1, size_ok, via)


def fmt(v, spec):
    return spec % v if v is not None else "-"


def main():
    """Run the boots, print the table and write the section."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", help="regex of run names")
    ap.add_argument("--size", type=int, default=200,
                    help="the module's size in MiB (default 200)")
    ap.add_argument("-v", action="store_true", help="stream consoles")
    args = ap.parse_args()
    global SIZE
    if not 1 <= args.size <= 900:
        ap.error("--size: 1 to 900 MiB (-m 1024)")
    SIZE = args.size << 20
    build = os.path.abspath(args.build)
    sec = benchmd.Section(build, "fetchbench",
                          "Transports: a %d MiB module, -m 1024 "
                          "(qemu/fetchbench.py)" % args.size)
    www = os.path.join(build, "fetchbench", "www")
    os.makedirs(www, exist_ok=True)
    crc = make_module(os.path.join(www, "big.bin"))
    ours = os.path.join(build, "mboot.c32")
    rows = []
    with nginx.Nginx(www, os.path.join(build, "fetchbench", "nginx")) as web:
        runs = [
            ("ours-tftp-name", ours, "big.bin", ""),
            ("ours-http-name", ours,
             "http://10.0.2.2:%d/big.bin" % web.port, ""),
            ("ours-pxelinux", ours, "big.bin", "-pxelinux"),
            ("stock-tftp-name", pxeboot.STOCK_MBOOT, "big.bin", ""),
            ("ipxe-own-http", None,
             "http://10.0.2.2:%d/big.bin" % web.port, ""),
            ("ipxe-own-tftp", None, "tftp://10.0.2.2/big.bin", ""),
        ]
        # Who serves each name: QEMU's user network answers TFTP itself
        # (its built-in server, -netdev user,tftp=), http:// names nginx.
        servers = {name: "nginx" if mod.startswith("http://") else
                   "QEMU user-net TFTP" for name, _, mod, _ in runs}
        for name, loader, mod, opts in runs:
            if args.only and not re.search(args.only, name):
                continue
            if loader is None:      # iPXE's own fetch, the reference
                r = run_ipxe(name, build, mod, args.v)
            else:
                r = run(name, build, loader, mod, crc, opts, args.v)
            print("fetchbench: %s: %s MB/s, banner->TK %s s, total %s s, "
                  "%s, %s" % (r[0], fmt(r[1], "%.1f"), fmt(r[2], "%.1f"),
                              fmt(r[3], "%.1f"), "crc ok" if r[4] else
                              "CRC NOT CHECKED", r[5]),
                  file=sys.stderr, flush=True)
            rows.append(r)
    stock = [r[2] for r in rows if r[0] == "stock-tftp-name" and r[4]]
    out = ["Transfer path: our module's summary line (\"via ...\"); MB/s: "
           "from that line (10^6 bytes); banner -> verdict: PXELINUX's "
           "banner to the test kernel's verdict (console arrival, s); "
           "total: QEMU start to the verdict; stock/it: the stock module's "
           "banner -> verdict over this run's; crc: the kernel's CRC-32 "
           "check of the module.  ipxe-own-*: iPXE's ROM fetching the "
           "file itself (no PXELINUX, no module), MB/s from its script's "
           "lines around imgfetch, total: QEMU start to its end, checked "
           "by the size iPXE's imgstat reports.", "",
           "| run | transfer path (module's own line) | MB/s | "
           "banner -> verdict s | total s | stock/it | crc |",
           "|---|---|---:|---:|---:|---:|---|"]
    for name, rate, since, total, ok, via in rows:
        ratio = ("%.2f" % (stock[0] / since)
                 if stock and since and ok else "-")
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, via.replace("|", "\\|"), fmt(rate, "%.1f"),
            fmt(since, "%.1f"), fmt(total, "%.1f"), ratio,
            ("size ok" if name.startswith("ipxe-own") else "ok") if ok
            else "NOT CHECKED"))
    print("\n".join(out))
    sec.add(out)
    # The numbers behind the table (tests/bench/figures.py's throughput
    # figure): per run its path and rate as our module's line gave them.
    sec.data = {"bytes": SIZE, "runs": [
        {"run": name, "server": servers[name], "via": via, "rate": rate,
         "banner_to_verdict": since, "total": total, "crc_ok": ok,
         # iPXE fetching the file itself: the figure's reference line
         "reference": name.startswith("ipxe-own")}
        for name, rate, since, total, ok, via in rows]}
    sec.write()
    return 0 if rows and all(r[4] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
