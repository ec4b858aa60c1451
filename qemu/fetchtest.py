#!/usr/bin/env python3
"""fetchtest.py - boot tests of the fetch layer's transports (issue #8).

Every case PXE-boots the test kernel with our mboot.c32 under QEMU (whose
e1000 ROM is iPXE) and judges what the console shows:

  tftp              modules fetched over TFTP by mboot's own client (the
                    PXE UDP API; "name" and "/name"), byte-exact (the
                    kernel's CRCs)
  pxelinux          the same with -pxelinux: PXELINUX's own file layer
  http              a module from http://10.0.2.2:PORT/ (a private nginx)
  subdir            CONFIG sub/sub.cfg sub/: relative names resolve in sub/
                    as PXELINUX's do, and "::path", "host::path" forms
  missing-tftp      a missing module: "file not found" in under a second
  missing-pxelinux  the same with -pxelinux
  fallback          iPXE refuses a URL: one message, then PXELINUX's try
  lpxelinux         lpxelinux.0 (PXELINUX's own lwIP stack): the iPXE path
                    is skipped up front, no 16 s stall
  midfile           a throttled nginx stopped mid-file: five announced
                    retries, then an error naming file, offset and size
  stall             a throttled nginx frozen for 15 s mid-file: after 10 s
                    without data the module is opened again (one retry
                    line; nginx logs a second GET, no range, that sends
                    the whole file again) and still arrives byte-exact

Prints "PASS/FAIL <case>" lines and "fetch: N passed, M failed".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import os
import re
import signal
import threading
import time
import shutil
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boottest  # noqa: E402
import nginx  # noqa: E402
import pxeboot  # noqa: E402

LPXELINUX = "/usr/lib/PXELINUX/lpxelinux.0"
KERNEL = "tk-elf32.elf"
# A missing file must be reported this fast (seconds, console time).
MISSING_LIMIT = 1.0


def margs(data):
    """The test kernel's check arguments for a module holding @data."""
    return "len=%d crc=%08x" % (len(data), zlib.crc32(data) & 0xffffffff)


class FCase:
    """One boot and what its console must (not) show."""

    def __init__(self, name, mods=(), opts="", expect="pass", must=(),
                 must_not=(), message=None, fast_error=False, cfg=None,
                 loader_0=None, extra_files=None, timeout=180):
        self.name = name
        self.mods = list(mods)    # (name on the line, bytes, file in root)
        self.opts = opts
        self.expect = expect      # "pass" (kernel verdict) or "error"
        self.must = list(must)    # regexes the console must show
        self.must_not = list(must_not)
        self.message = message    # the error line (expect="error")
        self.fast_error = fast_error
        self.cfg = cfg            # function(root, line) for special layouts
        self.loader_0 = loader_0  # another pxelinux.0 (lpxelinux.0)
        self.extra_files = extra_files or {}
        self.timeout = timeout


def case_line(case):
    """The mboot.c32 command line of @case."""
    parts = ["%s%s tk.name=%s tk.mods=%d" % (
        case.opts + " " if case.opts else "", KERNEL, KERNEL, len(case.mods))]
    for name, data, _ in case.mods:
        parts.append("%s %s" % (name, margs(data) if data is not None
                                else "len=0 crc=00000000"))
    return "mboot.c32 " + " --- ".join(parts)


def build_root(case, build):
    """The TFTP root of @case, made by boottest.build_case and adjusted:
    our modules and their names, another pxelinux.0, a special config."""
    base = boottest.Case("fetch-" + case.name, KERNEL)
    root, _, _, _ = boottest.build_case(base, build)
    for _, data, path in case.mods:
        if data is not None and path:
            dst = os.path.join(root, path)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(data)
    for path, src in case.extra_files.items():
        dst = os.path.join(root, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
    if case.loader_0:
        os.unlink(os.path.join(root, "pxelinux.0"))
        shutil.copyfile(case.loader_0, os.path.join(root, "pxelinux.0"))
    line = case_line(case)
    if case.cfg:
        case.cfg(root, line)
    else:
        with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
            f.write("SERIAL 0 115200\nPROMPT 0\nDEFAULT %s\n" % line)
    return root, line


def error_delay(boot):
    """Seconds from the last line before mboot's error line to it."""
    prev = None
    for t, l in boot.lines:
        if l.startswith("mboot: error:"):
            return t - prev if prev is not None else None
        if l.strip():
            prev = t
    return None


def run(case, build, verbose=False):
    """Boot @case; returns (ok, report)."""
    root, line = build_root(case, build)
    log = os.path.join(build, "boottest", "fetch-%s.log" % case.name)
    boot = pxeboot.run(pxeboot.qemu_command(root, mem=512),
                       timeout=case.timeout,
                       stop_patterns=[r"Boot failed", r"No bootable"],
                       echo=verbose, log_path=log)
    checks, verdict, info = boottest.parse_kernel(boot)
    text = boot.text
    problems = []
    if case.expect == "pass":
        if verdict != "PASS":
            problems.append("kernel verdict %s (%s)" % (verdict, boot.reason))
        failed = sorted(c for c, (ok, _) in checks.items() if not ok)
        if failed:
            problems.append("failed kernel checks %s" % failed)
        for i, (name, data, _) in enumerate(case.mods):
            want = "%s %s" % (name, margs(data))
            if info["mods"].get(i) != want:
                problems.append("module %d string %r, expected %r" % (
                    i, info["mods"].get(i), want))
    else:
        if verdict is not None:
            problems.append("the kernel ran (verdict %s)" % verdict)
        if case.message and not re.search(case.message, text, re.M):
            problems.append("error /%s/ not seen" % case.message)
        if boot.reason != "stop:^boot: *$":
            problems.append("no boot: prompt (%s)" % boot.reason)
        if case.fast_error:
            d = error_delay(boot)
            if d is None or d > MISSING_LIMIT:
                problems.append("error came %s s after the previous line "
                                "(limit %.1f s)" % (
                                    "?" if d is None else "%.2f" % d,
                                    MISSING_LIMIT))
    for rx in case.must:
        if not re.search(rx, text, re.M):
            problems.append("console lacks /%s/" % rx)
    for rx in case.must_not:
        if re.search(rx, text, re.M):
            problems.append("console shows /%s/" % rx)
    report = "%s %s (%.1f s)" % ("FAIL" if problems else "PASS", case.name,
                                 boot.seconds)
    if problems:
        report += "  <- " + "; ".join(problems) + "\n    log: %s\n" % log
        report += "\n".join("    | " + l for l in text.splitlines()[-20:]
                            if l.strip())
    return not problems, report


def via(name, transport, url=None):
    """Regex of fetch.c's summary line for @name over @transport."""
    rx = r"^mboot: %s: \d+ bytes in .* via %s" % (re.escape(name), transport)
    if url:
        rx += r" \(%s\)" % re.escape(url)
    return rx


def subdir_cfg(root, line):
    """pxelinux.cfg/default hands over to sub/sub.cfg with sub/ as the
    working directory (CONFIG file dir); the line's names are relative."""
    with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\nDEFAULT sub\n"
                "LABEL sub\n  CONFIG sub/sub.cfg sub/\n")
    os.makedirs(os.path.join(root, "sub"), exist_ok=True)
    for name in ("mboot.c32", "libcom32.c32", KERNEL):
        shutil.copyfile(os.path.join(root, name),
                        os.path.join(root, "sub", name))
    os.unlink(os.path.join(root, KERNEL))  # only sub/ has the kernel
    with open(os.path.join(root, "sub", "sub.cfg"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\nDEFAULT %s\n" % line)


def cases(build, web_port, web_root):
    """Every case; modules with fixed pseudo-random contents."""
    rnd = boottest.random_bytes
    m1, m2 = rnd("fetch-m1", 300000), rnd("fetch-m2", 4321)
    h1 = rnd("fetch-h1", 1 << 20)
    s1, s2, s3 = (rnd("fetch-s%d" % i, 20000 + i) for i in range(3))
    with open(os.path.join(web_root, "h1.bin"), "wb") as f:
        f.write(h1)
    http_url = "http://10.0.2.2:%d/h1.bin" % web_port
    stall = r"trying PXELINUX's file layer"
    return [
        FCase("tftp", [("m1.bin", m1, "m1.bin"),
                       ("/m2.bin", m2, "m2.bin")],
              must=[via(KERNEL, "PXE UDP", "tftp://10.0.2.2/" + KERNEL),
                    via("m1.bin", "PXE UDP", "tftp://10.0.2.2/m1.bin"),
                    via("/m2.bin", "PXE UDP", "tftp://10.0.2.2//m2.bin")],
              must_not=[r"via PXELINUX", r"via iPXE", stall]),
        FCase("pxelinux", [("m1.bin", m1, "m1.bin"),
                           ("/m2.bin", m2, "m2.bin")], opts="-pxelinux",
              must=[via(KERNEL, "PXELINUX"), via("m1.bin", "PXELINUX"),
                    via("/m2.bin", "PXELINUX")],
              must_not=[r"via iPXE", stall]),
        FCase("http", [(http_url, h1, None), ("m2.bin", m2, "m2.bin")],
              must=[via(http_url, "iPXE", http_url),
                    via("m2.bin", "PXE UDP", "tftp://10.0.2.2/m2.bin")],
              must_not=[stall]),
        FCase("subdir", [("s0.bin", s1, "sub/s0.bin"),
                         ("::sub/s1.bin", s2, "sub/s1.bin"),
                         ("10.0.2.2::sub/s2.bin", s3, "sub/s2.bin")],
              cfg=subdir_cfg,
              must=[via(KERNEL, "PXE UDP", "tftp://10.0.2.2/sub/" + KERNEL),
                    via("s0.bin", "PXE UDP", "tftp://10.0.2.2/sub/s0.bin"),
                    via("::sub/s1.bin", "PXE UDP",
                        "tftp://10.0.2.2/sub/s1.bin"),
                    via("10.0.2.2::sub/s2.bin", "PXE UDP",
                        "tftp://10.0.2.2/sub/s2.bin")],
              must_not=[stall]),
        FCase("missing-tftp", [("m2.bin", m2, "m2.bin"),
                               ("nosuch.bin", None, None)],
              expect="error", fast_error=True,
              message=r"^mboot: error: nosuch\.bin: file not found "
                      r"\(TFTP server 10\.0\.2\.2: error 1, \"File not found\"\)$",
              must_not=[stall]),
        FCase("missing-pxelinux", [("m2.bin", m2, "m2.bin"),
                                   ("nosuch.bin", None, None)],
              opts="-pxelinux", expect="error", fast_error=True,
              message=r"^mboot: error: nosuch\.bin: file not found",
              must_not=[r"iPXE"]),
        FCase("fallback", [("xyz://10.0.2.2/none.bin", None, None)],
              expect="error", fast_error=True,
              must=[r"^mboot: xyz://10\.0\.2\.2/none\.bin: iPXE cannot open "
                    r"it \(xyz://10\.0\.2\.2/none\.bin, PXE status 0x[0-9a-f]+\)"
                    r" after \d+\.\d+ s; trying PXELINUX's file layer$"],
              message=r"^mboot: error: xyz://10\.0\.2\.2/none\.bin: "
                      r"file not found"),
        FCase("lpxelinux", [("m1.bin", m1, "m1.bin"),
                            ("/m2.bin", m2, "m2.bin")],
              loader_0=LPXELINUX,
              must=[r"PXELINUX 6\.04 lwIP", via(KERNEL, "PXELINUX"),
                    via("m1.bin", "PXELINUX"), via("/m2.bin", "PXELINUX")],
              must_not=[r"via iPXE", stall], timeout=120),
    ]


def slow_server_case(build, name, action, expect, message=None, must=(),
                     log_check=None):
    """A throttled nginx (1 MB/s) serves an 8 MiB module; once the progress
    line shows bytes moving, @action(web) interrupts it (run in a thread).
    @expect/@message/@must as for FCase; @log_check(access log lines)
    returns problems with what nginx saw."""
    www = os.path.join(build, "fetchtest", "www-slow")
    os.makedirs(www, exist_ok=True)
    # 8 MiB without a period: a resume that lands at a wrong offset (its
    # skips are multiples of 256 bytes) changes the CRC-32 the kernel checks.
    data = boottest.random_bytes("fetch-hmid", 8 << 20)
    with open(os.path.join(www, "hmid.bin"), "wb") as f:
        f.write(data)
    log = os.path.join(build, "boottest", "fetch-%s.log" % name)
    if os.path.exists(log):
        os.remove(log)
    with nginx.Nginx(www, os.path.join(build, "fetchtest", "nginx-" + name),
                     limit_rate="1m") as web:
        url = "http://10.0.2.2:%d/hmid.bin" % web.port

        def cut():  # interrupt once the progress line shows bytes moving
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if os.path.exists(log) and re.search(
                        r"hmid\.bin: [1-9]\d+ / \d+ bytes", open(log).read()):
                    action(web)
                    return
                time.sleep(0.2)
        t = threading.Thread(target=cut, daemon=True)
        t.start()
        rurl = re.escape(url)
        case = FCase(name, [(url, data, None)], expect=expect,
                     message=message and message.replace("URL", rurl),
                     must=[m.replace("URL", rurl) for m in must])
        try:
            ok, report = run(case, build)
        finally:
            if web.proc:
                os.kill(web.proc.pid, signal.SIGCONT)
        t.join(1)
        if log_check:
            time.sleep(1)  # nginx logs the abandoned request on its own time
            problems = log_check(web.requests())
            if problems:
                ok = False
                report = report.replace("PASS", "FAIL", 1) + \
                    "  <- nginx: " + "; ".join(problems)
    return ok, report


def midfile_case(build):
    """A read error in the middle of a file that does not go away: nginx
    is stopped for good.  Every retry is announced (the re-opens fail at
    once: connection refused), then the error names the file, the offset,
    the size and the retries, and PXELINUX's boot: prompt comes back."""
    return slow_server_case(
        build, "midfile", lambda web: web.stop(), "error",
        message=r"^mboot: error: URL: .* at byte [1-9]\d* of 8388608 after "
                r"5 retries \(HTTP, iPXE\)$",
        must=[r"^mboot: URL: .* at byte [1-9]\d* of 8388608 \(HTTP, iPXE\); "
              r"retry %d of 5 in \d+\.\d s$" % i for i in range(1, 6)])


def refetched_whole(lines):
    """Problems with nginx's access log @lines for the stall case: the
    retry must be a second GET of the file, without a Range (status 200,
    not 206), that sent the whole file again - iPXE's file API has no
    ranges, so the bytes before the stall cross the network twice."""
    got = [(int(m.group(1)), int(m.group(2))) for m in
           (re.search(r'"GET /hmid\.bin [^"]*" (\d{3}) (\d+)', l) for l in lines)
           if m]
    problems = []
    if len(got) < 2:
        problems.append("%d GET /hmid.bin, expected the first and the retry's"
                        % len(got))
    if any(status != 200 for status, _ in got):
        problems.append("statuses %s, expected 200 (no range)" % [s for s, _ in got])
    if got and got[-1][1] != 8388608:
        problems.append("the retry's GET sent %d bytes, expected the whole "
                        "8388608" % got[-1][1])
    return problems


def stall_case(build):
    """A stall that ends: nginx is frozen (SIGSTOP) for 15 s mid-file, so
    no byte and no error arrives.  After 10 s without data the module is
    opened again (one retry line at least): nginx sees a second GET, with
    no range, and sends the whole file again; the bytes already handed on
    are skipped, and the kernel gets the module byte-exact (its CRC
    check)."""
    def freeze(web):
        os.kill(web.proc.pid, signal.SIGSTOP)
        time.sleep(15)
        os.kill(web.proc.pid, signal.SIGCONT)
    return slow_server_case(
        build, "stall", freeze, "pass",
        must=[r"^mboot: URL: no data for 10 s at byte [1-9]\d* of 8388608 "
              r"\(HTTP, iPXE\); retry 1 of 5 in 0\.5 s$",
              r"^mboot: URL: 8388608 bytes in .* via iPXE"],
        log_check=refetched_whole)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", help="regex of case names to run")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("-v", action="store_true", help="stream consoles")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    web_root = os.path.join(build, "fetchtest", "www")
    os.makedirs(web_root, exist_ok=True)
    passed = failed = 0
    with nginx.Nginx(web_root, os.path.join(build, "fetchtest", "nginx")) as web:
        todo = [c for c in cases(build, web.port, web_root)
                if not args.only or re.search(args.only, c.name)]
        with concurrent.futures.ThreadPoolExecutor(args.j) as ex:
            for ok, report in ex.map(lambda c: run(c, build, args.v), todo):
                print(report, flush=True)
                passed += ok
                failed += not ok
        for name, fn in (("midfile", midfile_case), ("stall", stall_case)):
            if not args.only or re.search(args.only, name):
                ok, report = fn(build)
                print(report, flush=True)
                passed += ok
                failed += not ok
        got = [l for l in web.requests() if "GET /h1.bin" in l]
        if any(c.name == "http" for c in todo):
            # The guest's 10.0.2.2:PORT reached our nginx on 127.0.0.1.
            ok = any(" 200 " in l for l in got)
            print("%s http-forwarding (nginx saw %d GET /h1.bin)" % (
                "PASS" if ok else "FAIL", len(got)))
            passed += ok
            failed += not ok
    print("fetch: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
