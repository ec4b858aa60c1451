#!/usr/bin/env python3
# Self-test of the tk kernels with QEMU's own multiboot loader (-kernel).
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   qemu_selftest.py [--big] BUILD_DIR
#
# QEMU -kernel handles ELF32 and the a.out kludge (not ELF64, not gzip), so
# tk-elf32.elf, tk-high.elf and tk-aout.bin are exercised here, plus
# negative cases proving that failures are detected and propagate to the
# verdict and the exit status.  --big adds a 256 MiB module (CRC speed).
import os
import subprocess
import sys
import tempfile
import time
import zlib

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
HERE = os.path.dirname(os.path.abspath(__file__))


def parse(out):
    res, verdict, start = {}, None, None
    for line in out.splitlines():
        line = line.rstrip("\r")
        w = line.split(" ", 2)
        if w[0] in ("PASS", "FAIL") and len(w) >= 2:
            res[w[1]] = w[0]
        elif line.startswith("TK VERDICT "):
            verdict = line[len("TK VERDICT "):]
        elif line.startswith("TK START "):
            start = line[len("TK START "):]
    return start, res, verdict


def run(kernel, append, mods, mem="512", timeout=300):
    cmd = [QEMU, "-display", "none", "-serial", "stdio", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-m", mem,
           "-kernel", kernel, "-append", append]
    if mods:
        cmd += ["-initrd", ",".join(mods)]
    t = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("latin-1"), time.time() - t


def make_mod(d, name, size, extra=""):
    path = os.path.join(d, name)
    data = os.urandom(size)
    with open(path, "wb") as f:
        f.write(data)
    return "%s len=%d crc=%08x%s" % (path, size, zlib.crc32(data), extra)


def main():
    args = sys.argv[1:]
    big = "--big" in args
    args = [a for a in args if a != "--big"]
    build = os.path.abspath(args[0] if args else os.path.join(HERE, "../../build/tk"))
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        m1 = make_mod(d, "m1.bin", 300000, " name=%s/m1.bin" % d)
        m2 = make_mod(d, "m2.bin", 4096)
        m3 = make_mod(d, "m3.bin", 1)
        # right file, wrong len / crc / name expectations
        good_crc = int(m1.split("crc=")[1][:8], 16)
        bad = "%s/m1.bin len=299999 crc=%08x name=other" % (d, good_crc ^ 1)
        elf32 = build + "/tk-elf32.elf"
        lie = os.path.join(d, "lie.elf")
        lie_aout = os.path.join(d, "lie.bin")
        for src, dst in ((elf32, lie), (build + "/tk-aout.bin", lie_aout)):
            subprocess.check_call([sys.executable,
                                   os.path.join(HERE, "mbcheck.py"),
                                   "--lie-bss", src, dst])
        # (description, kernel, append, modules, mem, expected FAIL set)
        cases = [
            ("elf32 positive", elf32, "tk.name=%s tk.mods=1 tk.loader=qemu" % elf32,
             [m1], "512", set()),
            ("high positive, 5G, 3 mods", build + "/tk-high.elf",
             "tk.name=%s/tk-high.elf tk.mods=3 tk.highmem=1" % build,
             [m1, m2, m3], "5G", set()),
            # tk.highmem=1 on a machine without RAM above 4 GiB: mmap.high
            # must fail rather than pass on nothing.
            ("highmem asked, 512M", elf32, "tk.mods=0 tk.highmem=1", [], "512",
             {"mmap.high"}),
            ("aout positive, 2 mods", build + "/tk-aout.bin",
             "tk.name=%s/tk-aout.bin tk.mods=2" % build, [m2, m1], "512", set()),
            ("selftest_fail", elf32, "tk.mods=1 tk.selftest_fail=1", [m1], "512",
             {"selftest"}),
            ("wrong expectations", elf32,
             "tk.name=nope tk.mods=2 tk.loader=GRUB",
             [bad], "512",
             {"cmdline.name", "mods.count", "loader_name", "mod0.len", "mod0.crc",
              "mod0.name"}),
            ("BSS lie (modules over BSS)", lie, "tk.mods=1", [m1], "512",
             {"bss", "overlap.kernel", "mod0.crc"}),
            ("a.out BSS lie", lie_aout, "tk.mods=1", [m1], "512",
             {"bss", "overlap.kernel", "mod0.crc"}),
        ]
        if big:
            cases.append(("256 MiB module", elf32, "tk.mods=1",
                          [make_mod(d, "big.bin", 256 << 20)], "1G", set()))
        for (desc, kern, append, mods, mem, expect_fail) in cases:
            rc, out, secs = run(kern, append, mods, mem)
            start, res, verdict = parse(out)
            fails = {k for k, v in res.items() if v == "FAIL"}
            want_rc = 3 if expect_fail else 1
            want_verdict = ("FAIL n=%d" % len(expect_fail)) if expect_fail else "PASS"
            ok = fails == expect_fail and rc == want_rc and verdict == want_verdict
            print("%s %-30s rc=%d %.1fs start=%s verdict=%s fails=%s" % (
                "ok  " if ok else "BAD ", desc, rc, secs, start, verdict,
                ",".join(sorted(fails)) or "-"))
            if not ok:
                failures += 1
                print(out)
    print("qemu self-test: %s" % ("PASS" if not failures else "%d BAD" % failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
