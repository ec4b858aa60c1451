#!/usr/bin/env python3
"""xenbench.py - real Xen + dom0 boot times per loader and transport.

Runs qemu/xen/demo.py (Debian's Xen 4.17 + dom0 + busybox initrd through
Debian's pxelinux.0, QEMU TCG, -m 2048, dom0_mem=512M) once per
configuration, with the small initrd and with one padded by 200 MiB of
random data (--initrd-extra-mb 200).  Runs are named by the loader and the
names its KERNEL line gives, not by an assumed path:

  stock-tftp     SYSLINUX's mboot.c32, plain names
  stock-http     SYSLINUX's mboot.c32, http:// names
  ours-tftp      our mboot.c32, plain names
  ours-http      our mboot.c32, http:// names
  ours-pxelinux  our mboot.c32 -pxelinux, plain names
  ipxe-own-http  no PXELINUX, no mboot.c32: the NIC's iPXE ROM boots Xen
                 itself (an iPXE script as the DHCP boot file: kernel,
                 module, module, boot) over HTTP; Xen served gunzipped,
                 as this iPXE (Debian's ipxe-qemu, 1.0.0+git-20190125)
                 refuses xen.gz ("Exec format error"); its screen mirrored
                 to the serial port by SeaBIOS (sercon)
  grub-tftp      no PXELINUX, no mboot.c32: GRUB 2's BIOS netboot image
                 (grub-pc-bin, grub-mkimage -O i386-pc-pxe) loads Xen
                 (multiboot), vmlinuz and the initrd (module --nounzip)
                 over TFTP through the PXE stack

The path each file really took is read from our module's own summary line
in the console log ("mboot: NAME: N bytes in S s (R MB/s) via TRANSPORT
(URL)", com32/fetch.c): today "PXE UDP (tftp://...)" for plain names (its
own TFTP client), "iPXE (http://...)" for http:// names, "PXELINUX" with
-pxelinux.  The stock module prints no such line; its rows say so.

It prints two Markdown tables (times, rates and paths; the ratios issue #8
asks for) and writes them to BUILD/bench/xenbench.md (docs/BENCH.md's
section) and the numbers behind them, per boot (each file's transfer
times, Xen's, dom0's and the marker's), to BUILD/bench/xenbench.json
(tests/bench/figures.py's boot timeline).  Our module is snapshotted to
BUILD/xenbench/mboot.c32 first, so a rebuild during the runs changes
nothing.  Logs: BUILD/xenbench/<run>-<size>.log (demo.py's console logs),
results.json and report.md.  Not part of the tests.

    python3 qemu/xenbench.py [--build build] [--only REGEX] [--repeat N]
                             [--sizes 0,200]

Times are seconds (console line timestamps, see demo.py); MB = 10^6 bytes
as in our module's summary lines.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEMO = os.path.join(HERE, "xen", "demo.py")
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "xen"))
import demo  # noqa: E402  (qemu/xen/demo.py: its regexes and initrd builder)
import nginx  # noqa: E402
import pxeboot  # noqa: E402  (run(): the iPXE boot's console)
import uefi  # noqa: E402  (link_or_copy)
sys.path.insert(0, os.path.join(REPO, "tests", "bench"))
import benchmd  # noqa: E402

# (key, loader, transport, loader options); the path each file took comes
# from the console log (RE_SUMMARY), never from this table.
# (pairs that are compared run next to each other: the machine's load drifts)
RUNS = [
    ("stock-tftp", "stock", "tftp", ""),
    ("ours-tftp", "ours", "tftp", ""),
    ("ours-pxelinux", "ours", "tftp", "-pxelinux"),
    ("stock-http", "stock", "http", ""),
    ("ours-http", "ours", "http", ""),
    ("ipxe-own-http", "ipxe", "http", ""),
    ("grub-tftp", "grub", "tftp", ""),
]
SIZES = [("small", 0), ("200M", 200)]

RE_STAMP = re.compile(r"^\[\s*(\d+\.\d+)\] ?(.*)$")
RE_BEGAN = re.compile(r"^# began \[\s*(\d+\.\d+)\]")
# Our module's summary line (com32/fetch.c); "via" runs to the line's end:
# the transport's name ("PXE UDP", "iPXE", "PXELINUX") and the URL.
RE_SUMMARY = re.compile(r"mboot: (\S+): (\d+) bytes in (\d+\.\d+) s "
                        r"\(([\d.]+) MB/s\) via (.*?)\s*$")
RE_STOCK_LOAD = re.compile(r"^Loading (\S+)\.\.\. ok")
RE_BANNER = re.compile(r"^PXELINUX \d")


def say(msg):
    print("xenbench: " + msg, file=sys.stderr, flush=True)


class LoadSampler(threading.Thread):
    """Samples /proc/loadavg and the number of QEMU processes every 5 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []          # (monotonic, load1, qemus)
        self.stop_ev = threading.Event()

    @staticmethod
    def qemus():
        n = 0
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open("/proc/%s/comm" % pid) as f:
                        if f.read().startswith("qemu-system"):
                            n += 1
                except OSError:
                    pass
        return n

    def run(self):
        while not self.stop_ev.is_set():
            with open("/proc/loadavg") as f:
                load1 = float(f.read().split()[0])
            self.samples.append((time.monotonic(), load1, self.qemus()))
            self.stop_ev.wait(5)

    def window(self, t0, t1):
        s = [x for x in self.samples if t0 <= x[0] <= t1] or self.samples[-1:]
        if not s:
            return None
        loads = [x[1] for x in s]
        return {"load_min": min(loads), "load_max": max(loads),
                "load_avg": sum(loads) / len(loads),
                "qemus_max": max(x[2] for x in s)}


def parse_log(path):
    """[(end s, began s, text)] from a demo.py console log."""
    out = []
    began = None
    with open(path, errors="replace") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            m = RE_BEGAN.match(raw)
            if m:
                began = float(m.group(1))
                continue
            m = RE_STAMP.match(raw)
            if m:
                t = float(m.group(1))
                out.append((t, t if began is None else began, m.group(2)))
                began = None
    return out


def analyse(lines, initrd_bytes):
    """Timings of one boot."""
    def first(rx, after=-1.0):
        for t, b, l in lines:
            if t >= after and rx.search(l):
                return t, b, l
        return None

    r = {}
    ban = first(RE_BANNER)
    xen = first(demo.RE_XEN)
    mark = first(re.compile(re.escape(demo.MARKER)))
    boot = first(re.compile(r"mboot: booting "))
    r["banner"] = ban and ban[0]
    r["xen"] = xen and xen[0]
    r["marker"] = mark and mark[0]
    r["load"] = xen[0] - ban[0] if ban and xen else None
    # Our module's per-file summary lines (several may share a console line
    # with progress output); and for tests/bench/figures.py's timeline
    # (seconds after QEMU started) each file's transfer as [start, end]:
    # the summary line's console time is the end, minus the seconds it
    # reports (stock, below: "Loading NAME..." (the line's start) to its
    # " ok").
    transfers, files = [], []
    for t, b, l in lines:
        if boot and t > boot[0]:
            break
        for m in RE_SUMMARY.finditer(l):
            transfers.append({"name": m.group(1), "bytes": int(m.group(2)),
                              "s": float(m.group(3)),
                              "rate": float(m.group(4)), "via": m.group(5)})
            files.append({"name": m.group(1), "bytes": int(m.group(2)),
                          "start": round(t - float(m.group(3)), 3),
                          "end": t})
    r["transfers"] = transfers
    linux = first(demo.RE_LINUX, xen[0]) if xen else None
    r["timeline"] = {"banner": r["banner"], "files": files,
                     "booting": boot and boot[0], "xen": r["xen"],
                     "linux": linux and linux[0], "marker": r["marker"]}
    big = [x for x in transfers if re.search(r"initrd[^/]*$", x["name"])]
    if big:
        x = big[-1]
        r["initrd_rate"] = (x["bytes"] / x["s"] / 1e6) if x["s"] else None
        r["initrd_s"] = x["s"]
        r["via"] = x["via"]
    if boot and ban:
        span = boot[0] - ban[0]
        own = span - sum(x["s"] for x in transfers)
        r["own_s"] = own
        r["own_pct"] = 100.0 * own / span if span > 0 else None
    # SYSLINUX's mboot.c32: "Loading NAME... " then " ok" after the file
    # (loaded and, for gzip files, gunzipped at once) is in memory.
    stock = [(t, b, RE_STOCK_LOAD.match(l).group(1)) for t, b, l in lines
             if RE_STOCK_LOAD.match(l) and (not xen or t < xen[0])]
    last = boot or (stock and stock[-1])
    if last and xen:
        r["handover"] = xen[0] - last[0]
    if stock:
        r["timeline"]["files"] = [{"name": name, "bytes": None, "start": b,
                                   "end": t} for t, b, name in stock]
    for t, b, name in stock:
        if re.search(r"initrd[^/]*$", name) and t > b:
            r["initrd_s"] = t - b
            r["initrd_rate"] = initrd_bytes / (t - b) / 1e6
            r["via"] = None     # the stock module names no path
    return r


def run_one(args, key, loader, transport, opts, extra_mb, initrd_bytes):
    cmd = [sys.executable, DEMO, "--build", args.build, "--loader", loader,
           "--name", "xb-" + key, "--transport", transport,
           "--initrd-extra-mb", str(extra_mb), "--quiet",
           "--timeout", str(args.timeout)]
    if opts:
        cmd.append("--loader-opts=" + opts)
    if loader == demo.STOCK_MBOOT:
        cmd.append("--accept-gunzipped")
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    wall = time.monotonic() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of demo.py and what it waited for (QEMU, nginx): QEMU's share of
    # the machine, as other engineers' QEMUs compete for the 2 cores.
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    verdict = [l for l in p.stdout.splitlines() if l.startswith("DEMO ")]
    verdict = verdict[-1] if verdict else "DEMO %s: no verdict" % key
    log = os.path.join(args.build, "xen", "xb-%s.log" % key)
    r = {"ok": p.returncode == 0, "verdict": verdict, "wall": wall,
         "t0": t0, "t1": t0 + wall, "cpu": cpu,
         "cpu_pct": 100.0 * cpu / wall if wall else None}
    if p.returncode != 0:
        r["output"] = p.stdout[-3000:]
    if os.path.exists(log):
        r.update(analyse(parse_log(log), initrd_bytes))
    return r, log


# iPXE's boot script: the times of its own lines (and of each "URL...
# ok" iPXE prints when a file is in) give the timeline.
IPXE_SCRIPT = """#!ipxe
echo XENBENCH-IPXE-START
kernel %(url)sxen %(xen_args)s || echo XENBENCH-IPXE-FAILED
module %(url)svmlinuz %(dom0_args)s || echo XENBENCH-IPXE-FAILED
module %(url)s%(initrd)s || echo XENBENCH-IPXE-FAILED
echo XENBENCH-IPXE-BOOT
boot || echo XENBENCH-IPXE-FAILED
"""
RE_IPXE_FILE = r"^(http://\S+)\.\.\..* ok$"


def link_files(directory, files):
    """Hard-link (or copy) @files {name: source} into @directory."""
    for name, src in files.items():
        uefi.link_or_copy(src, os.path.join(directory, name))


def boot_direct(args, key, cmd, log, dom0_args, initrd, failed_rx, what):
    """Boot QEMU @cmd (a loader other than PXELINUX + mboot.c32) to dom0's
    power-off, judged as demo.py judges a boot (demo.analyse: Xen's and
    dom0's command lines, the initrd byte-exact); a console line matching
    @failed_rx fails it as "@what failed".  Returns (result as run_one's,
    the pxeboot.Boot)."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    b = pxeboot.run(cmd, args.timeout, stop_patterns=[
        r"MBOOT-DOM0-POWEROFF", failed_rx, r"Panic on CPU",
        r"Kernel panic"], log_path=log)
    wall = time.monotonic() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    ok, fields, reasons, _ = demo.analyse(b, b.reason, demo.XEN_ARGS,
                                          dom0_args, initrd, False)
    if b.first(failed_rx):
        ok = False
        reasons.append("%s failed" % what)
    verdict = "DEMO xb-%s: %s %s" % (key, "PASS" if ok else "FAIL(%s)" %
                                     "; ".join(reasons), fields)
    r = {"ok": ok, "verdict": verdict, "wall": wall, "t0": t0,
         "t1": t0 + wall, "cpu": cpu,
         "cpu_pct": 100.0 * cpu / wall if wall else None}
    r.update(analyse(parse_log(log), initrd[1]))
    return r, b


def file_spans(b, start_rx, done_rx):
    """(start, [file spans]) of Boot @b: the first line matching @start_rx
    starts the first file; each later line matching @done_rx (group 1: the
    file's name) ends a file, which began where the one before ended."""
    start = b.first(start_rx)
    files, t = [], start
    rx = re.compile(done_rx)
    for tl, line in b.lines:
        m = rx.match(line)
        if m and start is not None and tl >= start:
            files.append({"name": os.path.basename(m.group(1)),
                          "bytes": None, "start": round(t, 3),
                          "end": round(tl, 3)})
            t = tl
    return start and round(start, 3), files


def dom0_line(initrd):
    """dom0's command line with the initrd checks of demo.py's init."""
    return "%s mboot.initrd_size=%d mboot.initrd_md5=%s" % (
        demo.DOM0_ARGS, initrd[1], initrd[2])


def run_ipxe(args, key, initrd):
    """iPXE's own multiboot of Xen + dom0 (no PXELINUX, no module) over
    HTTP; returns run_one()'s (result, log path)."""
    bench = os.path.join(args.build, "xenbench", "ipxe")
    www = os.path.join(bench, "www")
    root = os.path.join(bench, "tftp")
    os.makedirs(root, exist_ok=True)
    debs = demo.fetch_debs(args.build, quiet=True)
    xen = os.path.join(bench, "xen")
    if not os.path.exists(xen):
        with open(debs["xen_gz"], "rb") as f, open(xen + ".tmp", "wb") as o:
            o.write(gzip.decompress(f.read()))
        os.replace(xen + ".tmp", xen)
    link_files(www, {"xen": xen, "vmlinuz": debs["vmlinuz"],
                     os.path.basename(initrd[0]): initrd[0]})
    dom0_args = dom0_line(initrd)
    sercon = os.path.join(bench, "sercon-port")
    with open(sercon, "wb") as f:
        f.write(b"\xf8\x03")          # COM1, 0x3f8
    log = os.path.join(bench, key + ".log")
    with nginx.Nginx(www, os.path.join(bench, "nginx")) as web:
        with open(os.path.join(root, "boot.ipxe"), "w") as f:
            f.write(IPXE_SCRIPT % {
                "url": "http://10.0.2.2:%d/" % web.port,
                "xen_args": demo.XEN_ARGS, "dom0_args": dom0_args,
                "initrd": os.path.basename(initrd[0])})
        r, b = boot_direct(args, key, demo.QEMU_CMD + [
            "-netdev", "user,id=n0,tftp=%s,bootfile=boot.ipxe" % root,
            "-fw_cfg", "name=etc/sercon-port,file=" + sercon], log,
            dom0_args, initrd, r"XENBENCH-IPXE-FAILED", "iPXE's script")
    # iPXE's script starts where PXELINUX's banner would be; each file
    # from the line before its "URL... ok" to that line.
    start, files = file_spans(b, r"^XENBENCH-IPXE-START", RE_IPXE_FILE)
    r["timeline"].update(banner=start, files=files, kind="ipxe")
    return r, log


# GRUB's grub.cfg: the serial console first (GRUB's own output goes to
# the screen otherwise), an echo after each file so the console times
# split the transfers.
GRUB_CFG = """serial --unit=0 --speed=115200
terminal_output serial
echo 'XENBENCH-GRUB-START'
multiboot /xen.gz %(xen_args)s
echo 'XENBENCH-GRUB-LOADED xen.gz'
module /vmlinuz %(dom0_args)s
echo 'XENBENCH-GRUB-LOADED vmlinuz'
module --nounzip /%(initrd)s
echo 'XENBENCH-GRUB-LOADED %(initrd)s'
boot
"""
GRUB_PC = "/usr/lib/grub/i386-pc"
GRUB_PC_MODULES = ["pxe", "tftp", "net", "normal", "configfile", "echo",
                   "multiboot", "gzio", "serial", "terminal"]


def run_grub(args, key, initrd):
    """GRUB 2's BIOS netboot image (grub-pc-bin: grub-mkimage -O
    i386-pc-pxe, the modules built in) booting Xen + dom0 over TFTP
    through the PXE stack; returns run_one()'s (result, log path)."""
    bench = os.path.join(args.build, "xenbench", "grub")
    root = os.path.join(bench, "tftp")
    os.makedirs(os.path.join(root, "grub"), exist_ok=True)
    subprocess.run(["grub-mkimage", "-d", GRUB_PC, "-O", "i386-pc-pxe",
                    "-p", "(tftp)/grub", "-o",
                    os.path.join(root, "grub", "core.0")] + GRUB_PC_MODULES,
                   check=True)
    debs = demo.fetch_debs(args.build, quiet=True)
    name = os.path.basename(initrd[0])
    link_files(root, {"xen.gz": debs["xen_gz"], "vmlinuz": debs["vmlinuz"],
                      name: initrd[0]})
    dom0_args = dom0_line(initrd)
    with open(os.path.join(root, "grub", "grub.cfg"), "w") as f:
        f.write(GRUB_CFG % {"xen_args": demo.XEN_ARGS,
                            "dom0_args": dom0_args, "initrd": name})
    log = os.path.join(bench, key + ".log")
    r, b = boot_direct(args, key, demo.QEMU_CMD + [
        "-netdev", "user,id=n0,tftp=%s,bootfile=grub/core.0" % root], log,
        dom0_args, initrd, r"^error: ", "GRUB")
    # grub.cfg's first echo stands for the banner; its echo after each
    # file ends that file.
    start, files = file_spans(b, r"^XENBENCH-GRUB-START",
                              r"^XENBENCH-GRUB-LOADED (\S+)$")
    r["timeline"].update(banner=start, files=files, kind="grub")
    return r, log


def path_label(rs, loader):
    """The initrd's transfer path in runs @rs, as our module's summary
    line names it ("via PXE UDP (tftp://host/initrd.gz)" -> "PXE UDP,
    tftp://"); several if the runs differ; the stock module prints none."""
    if loader == "stock":
        return "(stock: prints no path)"
    if loader == "ipxe":
        return "(iPXE's own: HTTP, prints no rate)"
    if loader == "grub":
        return "(GRUB: TFTP, prints no rate)"
    seen = []
    for r in rs:
        via = r.get("via")
        if via is None:
            lab = "(no summary line)"
        else:
            m = re.match(r"^(.*?) \((\w+://)[^)]*\)$", via)
            lab = "%s, %s" % (m.group(1), m.group(2)) if m else via
        if lab not in seen:
            seen.append(lab)
    return " / ".join(seen)


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def f(v, spec="%.1f"):
    return "-" if v is None else spec % v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--only", help="regex of run keys (e.g. 'ours')")
    ap.add_argument("--sizes", default="0,200",
                    help="initrd padding in MiB, comma-separated "
                    "(default 0,200)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="boots per cell; the tables show medians")
    ap.add_argument("--best", action="store_true",
                    help="with --repeat: show the best run per cell (least "
                    "disturbed by other load) instead of the median")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="per boot (default 900 s)")
    ap.add_argument("--keep", action="store_true",
                    help="keep BUILD/xen/tftp-xb-* (1 GB with 200M)")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    sec = benchmd.Section(args.build, "xenbench",
                          "Xen 4.17 + dom0 through pxelinux.0, per loader "
                          "and name kind (qemu/xenbench.py)")
    bench = os.path.join(args.build, "xenbench")
    os.makedirs(bench, exist_ok=True)

    ours_src = os.path.join(args.build, "mboot.c32")
    ours = os.path.join(bench, "mboot.c32")
    shutil.copyfile(ours_src, ours)
    ours_md5 = hashlib.md5(open(ours, "rb").read()).hexdigest()
    say("our module: %s (md5 %s), snapshot %s" % (ours_src, ours_md5, ours))

    sizes = [("small" if n == 0 else "%dM" % n, n)
             for n in (int(x) for x in args.sizes.split(","))]
    debs = demo.fetch_debs(args.build, quiet=True)
    initrds = {}
    for label, n in sizes:
        initrds[label] = demo.make_initrd(args.build, debs["busybox"], n,
                                          "gzip")
        say("initrd %s: %s, %d bytes" % (label, initrds[label][0],
                                         initrds[label][1]))

    sampler = LoadSampler()
    sampler.start()
    results = {}
    uptime0 = open("/proc/loadavg").read().strip()
    tstart = time.monotonic()
    for rep in range(args.repeat):
        # Odd repetitions run in reverse order, against drift.
        order = [(lab, n, run) for lab, n in sizes for run in RUNS]
        for label, n, (key, loader, transport, opts) in (
                order[::-1] if rep % 2 else order):
            if args.only and not re.search(args.only, key):
                continue
            lpath = demo.STOCK_MBOOT if loader == "stock" else ours
            say("[%d/%d] %s %s ..." % (rep + 1, args.repeat, key, label))
            if loader in ("ipxe", "grub"):
                r, log = (run_ipxe if loader == "ipxe" else run_grub)(
                    args, key, initrds[label])
            else:
                r, log = run_one(args, key, lpath, transport, opts, n,
                                 initrds[label][1])
            r["loadwin"] = sampler.window(r["t0"], r["t1"])
            dst = os.path.join(bench, "%s-%s%s.log" % (
                key, label, "-%d" % rep if args.repeat > 1 else ""))
            if os.path.exists(log):
                shutil.copyfile(log, dst)
            if transport == "http" and loader in ("ours", "stock"):
                acc = os.path.join(args.build, "xen", "nginx-xb-" + key,
                                   "access.log")
                if os.path.exists(acc):
                    shutil.copyfile(acc, dst[:-4] + ".access.log")
                    r["http_requests"] = [
                        l.split('"')[1] + " " + l.split('"')[2].strip()
                        for l in open(acc) if '"GET /' in l
                        and '"GET / ' not in l]
            lw = r["loadwin"] or {}
            say("  %s  load %s..%s, %s QEMUs; wall %.0f s, cpu %.0f s" % (
                r["verdict"], f(lw.get("load_min")),
                f(lw.get("load_max")), lw.get("qemus_max", "?"),
                r["wall"], r["cpu"]))
            if not r["ok"]:
                print(r.get("output", ""), file=sys.stderr)
            results.setdefault((key, label), []).append(r)
    sampler.stop_ev.set()
    total = time.monotonic() - tstart
    uptime1 = open("/proc/loadavg").read().strip()

    out = []
    P = out.append
    P("### Xen 4.17 + dom0 via pxelinux.0, QEMU TCG (-m 2048, dom0_mem=512M)")
    P("")
    P("our mboot.c32 md5 %s; %d run(s) per cell%s; %.0f s in all; "
      "/proc/loadavg before: %s, after: %s" % (
          ours_md5, args.repeat, "" if args.repeat == 1 else
          " (best by load s)" if args.best else " (medians)",
          total, uptime0, uptime1))
    P("")
    P("| initrd | run | initrd path (module's own line) | result | Xen s | "
      "marker s | load s | initrd MB/s | our own work | handover s | "
      "load1 during run |")
    P("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    cell = {}
    for label, n in sizes:
        isize = initrds[label][1]
        for key, loader, transport, opts in RUNS:
            rs = results.get((key, label))
            if not rs:
                continue
            if args.best:   # the run that reached Xen first, as a whole
                pick = [min(rs, key=lambda r: r.get("load") or 1e9)]
            else:
                pick = rs
            c = {k: med([r.get(k) for r in pick])
                 for k in ("xen", "marker", "load", "initrd_rate", "own_s",
                           "own_pct", "handover", "cpu_pct")}
            c["ok"] = all(r["ok"] for r in rs)
            cell[(key, label)] = c
            own = ("-" if c["own_s"] is None else
                   "%.2f s (%.0f%%)" % (c["own_s"], c["own_pct"]))
            lw = [r["loadwin"] for r in pick if r.get("loadwin")]
            lws = ("%.1f-%.1f, %d QEMUs, cpu %s%%" % (
                min(x["load_min"] for x in lw), max(x["load_max"] for x in lw),
                max(x["qemus_max"] for x in lw), f(c["cpu_pct"], "%.0f"))
                   if lw else "-")
            # "DEMO NAME: PASS xen=..." / "DEMO NAME: FAIL(reasons) xen=...":
            # the whole verdict, reasons included.
            verdicts = {re.sub(r" xen=.*", "", r["verdict"].split(": ", 1)[-1])
                        for r in rs}
            P("| %s (%.1f MB) | %s | %s | %s | %s | %s | %s | %s%s | %s | %s "
              "| %s |" % (
                label, isize / 1e6, key, path_label(rs, loader),
                "/".join(sorted(verdicts)),
                f(c["xen"]), f(c["marker"]), f(c["load"], "%.2f"),
                f(c["initrd_rate"]), "*" if loader == "stock" and
                c["initrd_rate"] is not None else "", own,
                f(c["handover"], "%.2f"), lws))
    P("")
    P("Xen s / marker s: seconds after QEMU started to Xen's first line / "
      "the dom0 userspace marker.  load s: PXELINUX banner -> Xen's first "
      "line.  initrd path: the 'via' of our module's summary line for "
      "the initrd (transport, URL scheme).  initrd MB/s: from that line; "
      "* stock: initrd.gz bytes "
      "over 'Loading initrd.gz...' .. 'ok' (console arrival times; includes "
      "stock's gunzip).  our own work: banner -> 'mboot: booting' minus our "
      "reported transfer times (includes PXELINUX loading ldlinux.c32, "
      "the config, libcom32.c32 and mboot.c32), % of banner -> booting.  "
      "handover s: 'mboot: booting' (stock: last 'Loading ... ok') -> Xen's "
      "first line.  load1: /proc/loadavg's 1-minute figure, sampled every "
      "5 s, and the most qemu-system processes seen (this run's included), "
      "on a 2-core machine; cpu: CPU seconds of demo.py + QEMU + nginx "
      "over the run's wall time.")
    P("")

    def ratio(a, b, label, field="load"):
        ca, cb = cell.get((a, label)), cell.get((b, label))
        if not ca or not cb or not ca[field] or not cb[field]:
            return None
        return ca[field] / cb[field]

    P("| ratio (load s) | target | " + " | ".join(
        l for l, _ in sizes) + " |")
    P("|---|---:|" + "---:|" * len(sizes))
    for a, b, target in (("stock-tftp", "ours-tftp", 1.2),
                         ("stock-http", "ours-http", 1.2),
                         ("stock-tftp", "ours-http", 2.5)):
        vals = []
        for label, _ in sizes:
            v = ratio(a, b, label)
            vals.append("-" if v is None else "%.2f %s" % (
                v, "ok" if v >= target else "MISSED"))
        P("| %s / %s | >= %.1f | %s |" % (a, b, target, " | ".join(vals)))
    vals = []
    for label, _ in sizes:
        v = ratio("ours-pxelinux", "stock-tftp", label)
        vals.append("-" if v is None else "%.2f %s" % (
            v, "ok" if v <= 1.0 else
            ("ok within 5 % noise" if v <= 1.05 else "SLOWER")))
    P("| ours-pxelinux / stock-tftp (no slower: <= 1) | <= 1.0 | %s |"
      % " | ".join(vals))
    P("")

    text = "\n".join(out)
    print(text)
    sec.add(out[2:])
    # The numbers behind the tables, per boot (tests/bench/figures.py
    # draws the boot timeline from them).
    sec.data = {"sizes": {label: initrds[label][1] for label, _ in sizes},
                "boots": [{"run": key, "loader": loader,
                           "transport": transport, "opts": opts,
                           "size": label, "repeat": i, "ok": r["ok"],
                           "verdict": r["verdict"],
                           "timeline": r.get("timeline")}
                          for label, _ in sizes
                          for key, loader, transport, opts in RUNS
                          for i, r in enumerate(results.get((key, label),
                                                            []))]}
    with open(os.path.join(bench, "report.md"), "w") as fh:
        fh.write(text + "\n")
    with open(os.path.join(bench, "results.json"), "w") as fh:
        json.dump({"%s/%s" % k: v for k, v in results.items()}, fh, indent=1,
                  default=str)
    sec.write()
    if not args.keep:
        for key, *_ in RUNS:
            d = os.path.join(args.build, "xen", "tftp-xb-" + key)
            if os.path.isdir(d):
                shutil.rmtree(d)
    return 0 if all(c["ok"] for c in cell.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
