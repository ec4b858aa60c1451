#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Real-Xen PXE demo/test for a Multiboot loader COM32 module.

Boots Debian's Xen 4.17 + Debian's 6.1 dom0 kernel + a tiny busybox
initramfs through Debian's pxelinux.0 and a Multiboot loader module under
QEMU (TCG), streams the serial console, and ends with one verdict line:

    DEMO ours: PASS xen=7.4s dom0-kernel=9.9s marker=15.2s initrd=OK

(seconds after QEMU start to the Xen banner, the first dom0 "Linux version"
line and the dom0 userspace marker).  Exit status 0 only if the marker was
seen, the initrd reached dom0 byte-exact, Xen printed the command line the
loader passed (with all Xen arguments), Xen built dom0 with a kernel and an
initial ramdisk, and dom0's /proc/cmdline holds all the dom0 arguments.

Usage:
    demo.py [--loader ours|stock|PATH] [--build DIR] [--quiet] ...
    demo.py --transport http   # xen.gz, vmlinuz, initrd as http:// URLs
    demo.py --compare          # stock, then ours; both verdict lines
    demo.py --test             # = --loader ours --quiet (for make check)

--transport http starts a private nginx (qemu/nginx.py) on 127.0.0.1:PORT
serving the TFTP root and names the three files http://10.0.2.2:PORT/...
on the boot line (QEMU's user network forwards 10.0.2.2:PORT to the host);
the run is then called <name>-http.  pxelinux.0, ldlinux.c32, the loader
module and the configuration still come over TFTP.

Files: BUILD_DIR/debs (Debian packages, via qemu/fetch-debs.sh),
BUILD_DIR/xen/initrd.gz, BUILD_DIR/xen/tftp-<name>/ (TFTP root),
BUILD_DIR/xen/<name>.log (console log, each line prefixed with the seconds
since QEMU started; a line whose first characters arrived noticeably
earlier than its end is preceded by "# began [  T]", e.g. stock mboot.c32's
"Loading initrd.gz... ok").
"""

import argparse
import gzip
import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # keep qemu/xen free of __pycache__
sys.path.insert(0, HERE)
import mkinitrd  # noqa: E402
sys.path.insert(1, os.path.dirname(HERE))
import nginx  # noqa: E402  (qemu/nginx.py)

STOCK_MBOOT = "/usr/lib/syslinux/modules/bios/mboot.c32"
SYSLINUX_BIOS = "/usr/lib/syslinux/modules/bios"
PXELINUX = "/usr/lib/PXELINUX/pxelinux.0"

# Loader option that --mb2 adds (placeholder until the loader defines it).
MB2_LOADER_OPT = os.environ.get("MBOOT_MB2_OPT", "-mb2")

XEN_ARGS = ("console=com1 com1=115200,8n1 dom0_mem=512M,max:512M "
            "dom0_max_vcpus=1 loglvl=all guest_loglvl=all")
TBOOT_ARGS = "logging=serial serial=115200,8n1,0x3f8"
RE_TBOOT_HANDOFF = re.compile(r"TBOOT: transfering control to kernel")
DOM0_ARGS = "console=hvc0 earlyprintk=xen panic=-1 retain_initrd rdinit=/init"

QEMU_CMD = ["qemu-system-x86_64", "-cpu", "max,-smap", "-m", "2048",
            "-smp", "1", "-display", "none", "-serial", "stdio",
            "-monitor", "none", "-no-reboot",
            "-device", "e1000,netdev=n0", "-boot", "n"]

MARKER = mkinitrd.MARKER
RE_XEN = re.compile(r"Xen version \d|^\s*(\(XEN\)\s*)?__  __ ")
RE_LINUX = re.compile(r"Linux version \d")
RE_BOOT_PROMPT = re.compile(r"^boot:")
RE_XEN_CMDLINE = re.compile(r"\(XEN\) Command line: ?(.*)$")
RE_INITRD = re.compile(r"MBOOT-INITRD-(OK|BAD)\b(.*)$")
RE_KV = re.compile(r"([\w-]+)=(\S+)")


def log(msg):
    print("demo: " + msg, file=sys.stderr, flush=True)


_DEBS = {}


def fetch_debs(build, quiet=False):
    """Run qemu/fetch-debs.sh (once); return its KEY=PATH lines as a dict."""
    if build in _DEBS:
        return _DEBS[build]
    script = os.path.join(REPO, "qemu", "fetch-debs.sh")
    r = subprocess.run(["sh", script, build], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE if quiet else None, text=True)
    if r.returncode != 0:
        if quiet:
            sys.stderr.write(r.stderr)
        raise SystemExit("demo: %s failed (status %d)" % (script, r.returncode))
    out = r.stdout
    paths = _DEBS[build] = {}
    for line in out.splitlines():
        k, sep, v = line.partition("=")
        if sep:
            paths[k] = v
    return paths


def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def make_initrd(build, busybox, extra_mb, fmt):
    """Build (or reuse) the initramfs; return (path, size, md5)."""
    xdir = os.path.join(build, "xen")
    os.makedirs(xdir, exist_ok=True)
    ext = ".gz" if fmt == "gzip" else ".cpio"
    name = "initrd" + ("-pad%dM" % extra_mb if extra_mb else "") + ext
    path = os.path.join(xdir, name)
    deps = [busybox, mkinitrd.__file__]
    if (os.path.exists(path) and
            os.path.getmtime(path) >= max(os.path.getmtime(d) for d in deps)):
        return path, os.path.getsize(path), file_md5(path)
    size, md5 = mkinitrd.build(busybox, path, extra_mb, fmt == "gzip")
    log("built %s (%d bytes, md5 %s)" % (path, size, md5))
    return path, size, md5


def resolve_loader(loader, build):
    """Return (name, path of the loader module)."""
    if loader == "ours":
        return "ours", os.path.join(build, "mboot.c32")
    if loader == "stock":
        return "stock", STOCK_MBOOT
    name = os.path.splitext(os.path.basename(loader))[0] or "custom"
    if name in ("ours", "stock"):
        name += "-path"
    return name, os.path.abspath(loader)


def copy(src, dst):
    # Copy only when different, so a stable TFTP root keeps its mtimes.
    if (os.path.exists(dst) and os.path.getsize(dst) == os.path.getsize(src)
            and file_md5(dst) == file_md5(src)):
        return
    shutil.copyfile(src, dst)


def tftp_root_dir(build, name):
    return os.path.join(build, "xen", "tftp-" + name)


def make_tftp_root(build, name, loader_path, debs, initrd, loader_opts,
                   url_prefix="", tboot=False, overlay=None):
    """Lay out the TFTP root; @url_prefix (e.g. "http://10.0.2.2:PORT/")
    goes in front of the three file names on the boot line.  @tboot: boot
    tboot.gz first, with Xen as its first module, on the line the stock
    module boots (no -gunzip: tboot reads Xen as an ELF image and does not
    decompress it; ours decompresses a .gz module holding an ELF, as the
    stock module does).  @overlay: (path, size, md5) of a per-host cpio
    joined to the initrd by -cat, each part with its own -sha256; dom0 is
    then told to expect the joined bytes."""
    root = tftp_root_dir(build, name)
    os.makedirs(os.path.join(root, "pxelinux.cfg"), exist_ok=True)
    copy(PXELINUX, os.path.join(root, "pxelinux.0"))
    for m in ("ldlinux.c32", "libcom32.c32"):
        copy(os.path.join(SYSLINUX_BIOS, m), os.path.join(root, m))
    copy(loader_path, os.path.join(root, "mboot.c32"))
    copy(debs["xen_gz"], os.path.join(root, "xen.gz"))
    if tboot:
        copy(debs["tboot_gz"], os.path.join(root, "tboot.gz"))
    copy(debs["vmlinuz"], os.path.join(root, "vmlinuz"))
    ipath, isize, imd5 = initrd
    iname = "initrd.gz" if ipath.endswith(".gz") else "initrd.cpio"
    for old in ("initrd.gz", "initrd.cpio"):
        if old != iname and os.path.exists(os.path.join(root, old)):
            os.unlink(os.path.join(root, old))
    copy(ipath, os.path.join(root, iname))
    ipart = iname
    if overlay:
        copy(overlay[0], os.path.join(root, "host.cpio.gz"))
        digests = []
        joined = b""
        for p in (ipath, overlay[0]):
            with open(p, "rb") as f:
                data = f.read()
            digests.append(hashlib.sha256(data).hexdigest())
            joined += data
        ipart = "-cat -sha256=%s %s+%shost.cpio.gz" % (
            "+".join(digests), iname, url_prefix)
        isize, imd5 = len(joined), hashlib.md5(joined).hexdigest()

    dom0_args = "%s mboot.initrd_size=%d mboot.initrd_md5=%s" % (
        DOM0_ARGS, isize, imd5)
    opts = (loader_opts.strip() + " ") if loader_opts.strip() else ""
    xen = "%sxen.gz %s" % (url_prefix, XEN_ARGS)
    if tboot:
        xen = "%stboot.gz %s --- %s" % (url_prefix, TBOOT_ARGS, xen)
    default = "mboot.c32 %s%s --- %svmlinuz %s --- %s" % (
        opts, xen, url_prefix, dom0_args,
        ipart.replace(iname, url_prefix + iname, 1))
    cfg = "\n".join([
        "# generated by qemu/xen/demo.py",
        "SERIAL 0 115200",
        "PROMPT 0",
        "TIMEOUT 0",
        # Boots at once.  If the loader returns (fails), ldlinux falls back
        # to its interactive "boot:" prompt, which the harness detects and
        # then stops QEMU.  On that prompt (interactive use), "xen" retries.
        "DEFAULT " + default,
        "LABEL xen",
        "  KERNEL mboot.c32",
        "  APPEND " + default.split(" ", 1)[1],
        "",
    ])
    with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
        f.write(cfg)
    return root, dom0_args


class Console:
    """Timestamped console lines from QEMU's serial port."""

    def __init__(self, t0, logf, quiet):
        self.t0 = t0
        self.logf = logf
        self.quiet = quiet
        self.lines = []          # (seconds, text); seconds at its end
        self.began = []          # seconds at which each line's first
        self.partial = ""        # characters arrived
        self.partial_t = 0.0

    def feed(self, data):
        text = data.decode("utf-8", "replace").replace("\r", "")
        now = time.monotonic() - self.t0
        if not self.partial:
            self.partial_t = now
        parts = (self.partial + text).split("\n")
        self.partial = parts.pop()
        for i, line in enumerate(parts):
            self.emit(now, line, self.partial_t if i == 0 else now)
        if parts:
            self.partial_t = now

    def flush(self):
        if self.partial:
            self.emit(time.monotonic() - self.t0, self.partial,
                      self.partial_t)
            self.partial = ""

    def emit(self, t, line, began=None):
        line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1bc|[\x00-\x08\x0b-\x1f]",
                      "", line)
        began = t if began is None else began
        self.lines.append((t, line))
        self.began.append(began)
        if t - began >= 0.05:
            self.logf.write("# began [%7.3f]\n" % began)
        stamped = "[%7.3f] %s" % (t, line)
        self.logf.write(stamped + "\n")
        self.logf.flush()
        if not self.quiet:
            print(stamped, flush=True)


def run_qemu(root, logpath, timeout, quiet):
    """Boot; return (Console, outcome string)."""
    cmd = QEMU_CMD + ["-netdev", "user,id=n0,tftp=%s,bootfile=pxelinux.0"
                      % root]
    errpath = logpath[:-4] + ".qemu-stderr"
    with open(logpath, "w") as logf, open(errpath, "w+") as errf:
        logf.write("# " + " ".join(cmd) + "\n")
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=errf,
                             start_new_session=True)
        con = Console(t0, logf, quiet)
        fd = p.stdout.fileno()
        try:
            outcome = _watch(p, con, t0, timeout, fd)
        finally:
            _stop(p)
        try:
            while True:
                r, _, _ = select.select([fd], [], [], 0.2)
                if not r:
                    break
                data = os.read(fd, 65536)
                if not data:
                    break
                con.feed(data)
        except OSError:
            pass
        con.flush()
        p.stdout.close()
        errf.seek(0)
        for line in errf.read().splitlines():
            if "terminating on signal" not in line:
                logf.write("# qemu stderr: %s\n" % line)
                if not quiet:
                    print("qemu stderr: " + line, file=sys.stderr)
        logf.write("# outcome: %s, qemu status %s\n" % (outcome, p.returncode))
    return con, outcome


def _stop(p):
    """Stop QEMU (our child, in its own session) if it is still running."""
    if p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def _watch(p, con, t0, timeout, fd):
    """Stream the console until QEMU exits or a stop condition holds."""
    marker_t = None
    scanned = 0
    while True:
        now = time.monotonic()
        if now - t0 > timeout:
            return "timeout"
        if marker_t is not None and now - marker_t > 30:
            return "no-poweroff"   # dom0 is done, but QEMU kept running
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            data = os.read(fd, 65536)
            if not data:
                p.wait()
                return "exit"
            con.feed(data)
        if RE_BOOT_PROMPT.match(con.partial) or any(
                RE_BOOT_PROMPT.match(l) for _, l in con.lines[scanned:]):
            # ldlinux's interactive prompt: the loader returned.
            time.sleep(0.5)
            return "boot-prompt"
        if marker_t is None and any(MARKER in l
                                    for _, l in con.lines[scanned:]):
            marker_t = time.monotonic()
        scanned = len(con.lines)


def gunzipped_identity(initrd_path):
    with open(initrd_path, "rb") as f:
        data = f.read()
    if data[:2] != b"\x1f\x8b":
        return None, None
    raw = gzip.decompress(data)
    return len(raw), hashlib.md5(raw).hexdigest()


def analyse(con, outcome, xen_args, dom0_args, initrd, accept_gunzipped):
    """Return (ok, verdict fields, list of failure reasons, notes)."""
    lines = con.lines
    reasons = []
    notes = []

    def first(pred, after=0.0):
        for t, l in lines:
            if t >= after and pred(l):
                return t, l
        return None, None

    t_xen, _ = first(lambda l: RE_XEN.search(l))
    t_dom0, _ = first(lambda l: RE_LINUX.search(l), after=t_xen or 0.0)
    if t_xen is None:
        t_dom0 = None
    t_marker, _ = first(lambda l: MARKER in l)

    if outcome == "boot-prompt":
        reasons.append("loader returned to the boot: prompt")
    elif outcome == "timeout":
        reasons.append("timeout")
    if t_xen is None:
        reasons.append("no Xen banner")
    if t_marker is None:
        reasons.append("no dom0 marker")

    # Xen's view of the Multiboot command line.
    _, l = first(lambda l: RE_XEN_CMDLINE.search(l) is not None)
    if l is None:
        if t_xen is not None:
            reasons.append("Xen printed no 'Command line:'")
    else:
        xcl = RE_XEN_CMDLINE.search(l).group(1).split()
        missing = [a for a in xen_args.split() if a not in xcl]
        if missing:
            reasons.append("Xen command line lacks %s" % " ".join(missing))
    # Dom0 built from module 0 (kernel) and module 1 (initrd).
    if t_xen is not None:
        for what in ("Dom0 kernel:", "Init. ramdisk:"):
            if first(lambda l, w=what: w in l)[1] is None:
                reasons.append("Xen printed no '%s'" % what)
    # What dom0 really got on its command line.
    _, l = first(lambda l: l.startswith("MBOOT-CMDLINE:"))
    if l is not None:
        got = l.split(":", 1)[1].split()
        missing = [a for a in dom0_args.split() if a not in got]
        if missing:
            reasons.append("dom0 /proc/cmdline lacks %s" % " ".join(missing))
    elif t_marker is not None:
        reasons.append("no MBOOT-CMDLINE line")

    # Integrity of the initrd module.
    _, l = first(lambda l: RE_INITRD.search(l) is not None)
    if l is None:
        initrd_v = "MISSING"
        reasons.append("no initrd integrity line")
    else:
        m = RE_INITRD.search(l)
        if m.group(1) == "OK":
            initrd_v = "OK"
        else:
            kv = dict(RE_KV.findall(m.group(2)))
            gsize, gmd5 = gunzipped_identity(initrd[0])
            if kv.get("md5") == "unreadable":
                initrd_v = "UNREADABLE"
                notes.append("initrd: /init could not read the initrd "
                             "through /proc/kcore (dom0 size %s, expected %d)"
                             % (kv.get("size"), initrd[1]))
            elif kv.get("md5") == gmd5 and kv.get("size") == str(gsize):
                initrd_v = "CHANGED(gunzipped)"
                notes.append("initrd: dom0 got initrd.gz decompressed "
                             "(%d -> %s bytes): the loader gunzipped the "
                             "module" % (initrd[1], kv.get("size")))
            else:
                initrd_v = "CHANGED"
                notes.append("initrd: dom0 got %s bytes md5 %s, expected "
                             "%d bytes md5 %s" % (kv.get("size"), kv.get("md5"),
                                                   initrd[1], initrd[2]))
            if not (accept_gunzipped and initrd_v == "CHANGED(gunzipped)"):
                reasons.append("initrd %s" % initrd_v)
    # The module's extent as Xen saw it (mod_start..mod_end from the MBI).
    _, l = first(lambda l: "Init. ramdisk:" in l)
    m = l and re.search(r"([0-9a-f]{8,})->([0-9a-f]{8,})", l)
    if m:
        xsize = int(m.group(2), 16) - int(m.group(1), 16)
        if xsize != initrd[1]:
            notes.append("Xen's dom0 initrd module is %d bytes, initrd.gz "
                         "is %d bytes" % (xsize, initrd[1]))
    if outcome == "no-poweroff":
        notes.append("dom0 powered off but QEMU did not exit (killed)")

    def s(t):
        return "-" if t is None else "%.1fs" % t
    fields = "xen=%s dom0-kernel=%s marker=%s initrd=%s" % (
        s(t_xen), s(t_dom0), s(t_marker), initrd_v)
    return not reasons, fields, reasons, notes


def http_notes(web, iname):
    """What nginx served of the three files (from its access log)."""
    notes = []
    served = {}
    for l in web.requests():
        m = re.search(r'"(\w+) /(\S+) HTTP/[\d.]+" (\d+) (\d+)', l)
        if m:
            served.setdefault(m.group(2), []).append(
                "%s %s %s" % (m.group(1), m.group(3), m.group(4)))
    for f in ("xen.gz", "vmlinuz", iname):
        got = served.get(f)
        if not got:
            notes.append("http: nginx never served %s" % f)
        elif not any(g.split()[1] in ("200", "206") for g in got):
            notes.append("http: %s: %s" % (f, ", ".join(got)))
    return notes


def run_one(args, loader, loader_opts):
    build = os.path.abspath(args.build)
    name, lpath = resolve_loader(loader, build)
    transport = getattr(args, "transport", "tftp")
    if getattr(args, "name", None):
        name = args.name
    elif transport == "http":
        name += "-http"
    if not os.path.isfile(lpath):
        line = "DEMO %s: FAIL(no loader module %s)" % (name, lpath)
        return False, line
    debs = fetch_debs(build, args.quiet)
    initrd = make_initrd(build, debs["busybox"], args.initrd_extra_mb,
                         args.initrd_format)
    base, overlay = initrd, None
    if getattr(args, "overlay", False):
        opath = os.path.join(build, "xen", "host-overlay.cpio.gz")
        osize, omd5 = mkinitrd.build_overlay(opath, "MBOOT-OVERLAY-OK " + name)
        overlay = (opath, osize, omd5)
        # What dom0 must get: the two files joined.
        jpath = os.path.join(build, "xen", "initrd+overlay")
        with open(jpath, "wb") as out:
            for p in (initrd[0], opath):
                with open(p, "rb") as f:
                    out.write(f.read())
        initrd = (jpath, initrd[1] + osize, file_md5(jpath))
    web = None
    url_prefix = ""
    if transport == "http":
        rdir = tftp_root_dir(build, name)
        os.makedirs(rdir, exist_ok=True)
        web = nginx.Nginx(rdir, os.path.join(build, "xen", "nginx-" + name))
        web.start()
        url_prefix = "http://10.0.2.2:%d/" % web.port
        log("nginx serves %s on 127.0.0.1:%d (pid %d)"
            % (rdir, web.port, web.proc.pid))
    try:
        root, dom0_args = make_tftp_root(build, name, lpath, debs, base,
                                         loader_opts, url_prefix,
                                         getattr(args, "tboot", False),
                                         overlay)
        logpath = os.path.join(build, "xen", name + ".log")
        log("booting %s (%s) from %s, log %s" % (name, lpath, root, logpath))
        con, outcome = run_qemu(root, logpath, args.timeout, args.quiet)
    finally:
        if web:
            web.stop()
    ok, fields, reasons, notes = analyse(con, outcome, XEN_ARGS, dom0_args,
                                         initrd, args.accept_gunzipped)
    if getattr(args, "tboot", False):
        t_tb = next((t for t, l in con.lines if RE_TBOOT_HANDOFF.search(l)),
                    None)
        if t_tb is None:
            ok = False
            reasons.append("tboot never handed over to Xen")
        fields += " tboot-handoff=%s" % ("-" if t_tb is None else
                                         "%.1fs" % t_tb)
    if overlay:
        seen = [l for _, l in con.lines if l.startswith("MBOOT-OVERLAY: ")]
        if not seen or seen[0] != "MBOOT-OVERLAY: MBOOT-OVERLAY-OK " + name:
            ok = False
            reasons.append("dom0 did not see the overlay's file")
        fields += " overlay=%s" % ("OK" if seen and ok else "MISSING")
    if web:
        iname = "initrd.gz" if initrd[0].endswith(".gz") else "initrd.cpio"
        notes += http_notes(web, iname)
    interesting = ("Bootloader:", "Command line:", "Dom0 kernel:",
                   "Init. ramdisk:", "Kernel command line:", "MBOOT-")
    summary = [l for _, l in con.lines if any(k in l for k in interesting)]
    if not ok:
        print("---- last 40 console lines (%s) ----" % logpath)
        for t, l in con.lines[-40:]:
            print("[%7.3f] %s" % (t, l))
        print("----")
    if not args.quiet or not ok:
        for l in summary:
            print("  " + l)
    for n in notes:
        print("  note: " + n)
    if ok:
        line = "DEMO %s: PASS %s" % (name, fields)
    else:
        line = "DEMO %s: FAIL(%s) %s" % (name, "; ".join(reasons), fields)
    print(line, flush=True)
    return ok, line


def main():
    ap = argparse.ArgumentParser(
        description="Boot real Xen 4.17 via pxelinux + a Multiboot loader.")
    ap.add_argument("--loader", default="ours",
                    help="ours (BUILD_DIR/mboot.c32), stock (%s) or a path"
                    % STOCK_MBOOT)
    ap.add_argument("--build", default=os.path.join(REPO, "build"),
                    help="build directory (default: %(default)s)")
    ap.add_argument("--loader-opts", default="",
                    help="options placed right after mboot.c32")
    ap.add_argument("--mb2", action="store_true",
                    help="add the loader's Multiboot2 option (%s)"
                    % MB2_LOADER_OPT)
    ap.add_argument("--initrd-extra-mb", type=int, default=0, metavar="N",
                    help="pad the initramfs with N MiB of random data")
    ap.add_argument("--initrd-format", choices=("gzip", "cpio"),
                    default="gzip",
                    help="initrd.gz (default) or a plain initrd.cpio; a "
                    "loader that gunzips modules passes the latter intact")
    ap.add_argument("--tboot", action="store_true",
                    help="boot tboot.gz with Xen as its first module (the "
                    "measured-launch chain; QEMU has no TXT, so tboot "
                    "launches Xen without a measurement)")
    ap.add_argument("--overlay", action="store_true",
                    help="the initrd as two files joined by mboot's -cat: "
                    "the shared one and a per-host cpio whose file dom0 "
                    "must print (MBOOT-OVERLAY: ...)")
    ap.add_argument("--quiet", action="store_true",
                    help="do not stream the console")
    ap.add_argument("--transport", choices=("tftp", "http"), default="tftp",
                    help="how the loader is told to fetch xen.gz, vmlinuz "
                    "and the initrd: plain names (TFTP, default) or "
                    "http://10.0.2.2:PORT/ URLs served by a private nginx "
                    "(run name gets -http)")
    ap.add_argument("--name",
                    help="run name (TFTP root BUILD_DIR/xen/tftp-NAME, log "
                    "NAME.log, verdict line); default: the loader's name")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="hard limit per boot in seconds (default 120)")
    ap.add_argument("--accept-gunzipped", action="store_true",
                    help="let a loader that gunzips initrd.gz pass")
    ap.add_argument("--compare", action="store_true",
                    help="run stock, then ours (or --loader), and print both")
    ap.add_argument("--test", action="store_true",
                    help="test mode: --quiet, exit status + verdict line")
    args = ap.parse_args()
    if args.test:
        args.quiet = True
    opts = args.loader_opts
    if args.mb2:
        opts = (opts + " " + MB2_LOADER_OPT).strip()

    if args.compare and args.name:
        ap.error("--name does not go with --compare")
    if args.compare:
        other = "ours" if args.loader == "stock" else args.loader
        ok1, l1 = run_one(args, "stock", args.loader_opts)
        ok2, l2 = run_one(args, other, opts)
        print("==== compare ====")
        print(l1)
        print(l2)
        return 0 if ok2 else 1
    if args.test:
        # Cheap host-side check of /init's kcore reader first.
        bb = fetch_debs(os.path.abspath(args.build), True)["busybox"]
        fails = mkinitrd.selftest(bb)
        if fails:
            print("DEMO: FAIL(initrd selftest: %s)" % "; ".join(fails))
            return 1
    ok, _ = run_one(args, args.loader, opts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
