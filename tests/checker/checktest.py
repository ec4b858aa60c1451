#!/usr/bin/env python3
"""checktest.py - mboot-check on the host, against the module's own verdicts.

1. Agreement: every case of qemu/boottest.py (its case table, imported)
   for our module is laid out as boottest lays it out (same fixtures: test
   kernels from build/tk, qemu/badkernels.py's bad kernels, generated
   modules, the sparse 200 MiB module for a 128 MiB machine) and checked
   with `mboot-check --ram <the case's -m> ROOT ROOT/pxelinux.cfg/default`.
   The checker's exit status must be the module's verdict: 0 where the
   boot test expects the kernel to run, 1 where it expects the module to
   fail; for a failure, the module's message (boottest's regex) must be
   the checker's error too, and for a boot the module's warnings must be
   the checker's warnings.  Where the two legitimately judge different
   things the case is listed in DIFFERENT with the reason.
2. Checker-only cases: config parsing (labels, INCLUDE, path prefix,
   ::names, URLs), the lints, digests, a corrupt module, --strict, usage,
   --memmap, and real Xen 4.17 + dom0 (the files of qemu/xen/demo.py).
3. Tables: three of those roots booted in QEMU with -v (and the Xen
   entry's dry run); the module's placement table and the checker's must
   match row for row (arena addresses within the model's accuracy).
4. The limit: the largest module the checker says fits in 48 MiB beside
   the test kernel; the module's own dry run, through its default
   transport (its own TFTP client), must accept ARENA_SLACK bytes less
   and refuse ARENA_SLACK bytes more, without a stalled transfer.

Prints one line per case and "checker: N passed, M failed".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "qemu"))
sys.path.insert(0, os.path.join(REPO, "qemu", "xen"))
import boottest  # noqa: E402
import pxeboot  # noqa: E402

# Cases where the checker's verdict differs from the boot's, by design.
DIFFERENT = {
    # The entry's own kernel is missing, so mboot.c32 fails (and says so);
    # then its -fallback label boots.  The checker judges the entry: 1.
    "fallback": (1, r"mboot-check: error: missing\.elf: file not found"),
}


def write_boottest_data(build):
    """The generated fixtures, written by boottest's own code."""
    boottest.write_fixtures(build)


class Runner:
    """Runs mboot-check and counts results."""

    def __init__(self, checker, verbose):
        self.checker, self.verbose = checker, verbose
        self.passed = self.failed = 0

    def run(self, args):
        """mboot-check @args: (exit status, output)."""
        r = subprocess.run([self.checker] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        return r.returncode, r.stdout

    def judge(self, name, problems, out):
        ok = not problems
        self.passed += ok
        self.failed += not ok
        print("%s %-28s%s" % ("PASS" if ok else "FAIL", name,
                              "" if ok else "  <- " + "; ".join(problems)))
        if not ok or self.verbose:
            for line in out.splitlines()[-30:]:
                print("    | " + line)
        sys.stdout.flush()

    def expect(self, name, args, status, present=(), absent=()):
        """Check: exit @status, every regex of @present in the output,
        none of @absent."""
        rc, out = self.run(args)
        problems = []
        if rc != status:
            problems.append("exit %d, expected %d" % (rc, status))
        for rx in present:
            if not re.search(rx, out, re.M):
                problems.append("no /%s/" % rx)
        for rx in absent:
            if re.search(rx, out, re.M):
                problems.append("unexpected /%s/" % rx)
        self.judge(name, problems, out)
        return out


def mem_arg(mem):
    """boottest's -m value as a --ram size (plain numbers are MiB)."""
    mem = str(mem)
    return mem if mem[-1].isalpha() else mem + "M"


def agreement(r, build):
    """Part 1: every boottest case of our module."""
    cbuild = os.path.join(build, "checker")
    os.makedirs(cbuild, exist_ok=True)
    for link, target in (("tk", os.path.join(build, "tk")),
                         ("mboot.c32", os.path.join(build, "mboot.c32"))):
        p = os.path.join(cbuild, link)
        if os.path.lexists(p):
            os.unlink(p)
        os.symlink(target, p)
    write_boottest_data(cbuild)
    for case in boottest.cases():
        if case.loader != "ours":
            continue
        root, _, _, _ = boottest.build_case(case, cbuild)
        args = ["--ram", mem_arg(case.mem), root,
                os.path.join(root, "pxelinux.cfg", "default")]
        rc, out = r.run(args)
        message = boottest.expected_message(case) \
            if hasattr(boottest, "expected_message") else case.message
        problems = []
        # The module's own error and warning lines in boottest's regex
        # (the parts between "(.|\n)*"; the rest is the console's).
        parts = [p for p in re.split(r"\(\.\|\\n\)\*", message or "")
                 if re.match(r"mboot: (error|warning):", p)]
        if case.name in DIFFERENT:
            want, rx = DIFFERENT[case.name]
            parts = [rx]
        else:
            # "pass", "kernel-fail": the module boots the kernel
            want = 1 if case.expect == "error" else 0
            parts = [p.replace("mboot: ", "mboot-check: ", 1) for p in parts]
        if rc != want:
            problems.append("checker exit %d, module verdict %s (%d)" % (
                rc, case.expect, want))
        for rx in parts:
            if not re.search(rx, out, re.M):
                problems.append("module's message /%s/ not in the checker's "
                                "output" % rx[:90])
        if want == 0 and not re.search(r"^mboot-check: verdict: \S+ would boot \(Multiboot \d\)", out, re.M):
            problems.append("no placement verdict")
        r.judge("agree " + case.name, problems, out)


ROW = re.compile(r"^(?:mboot|mboot-check):   0x([0-9a-f]+) 0x([0-9a-f]+) +(\d+) \| "
                 r"(.*?) \| (.*)$")
# Rows inside mboot.c32's arena (everything but kernel segments and the
# information's low-memory home) sit at the model's arena start plus the
# same offsets as the module's.  Measured (h8, 2026-12-07, this suite's
# parts 3 and 4 and the Xen dry run): the module's rows lay +0 (table,
# table-mb2), +48 (gzip), +16 (the limit case) and -80 (xen dry run)
# bytes from the model's; the model's notes (tools/pxemodel.c) give at
# most 96 for Xen's configs.  ARENA_SLACK is that 96: a module that
# allocates more before it takes its block moves every arena row past it
# and fails here until PXE_HEAP_USED_BASE is refitted
# (tests/checker/measure_space.py says how).
ARENA_SLACK = 96
IN_ARENA = re.compile(r"^\s*(info|boot area|kernel image copy|ELF sections|module )")


def table_rows(text, prefix):
    """The placement table rows printed with @prefix: [(start, end, size,
    map column, what)]."""
    rows = []
    for line in text.splitlines():
        m = ROW.match(line)
        if m and line.startswith(prefix + ":"):
            rows.append((int(m.group(1), 16), int(m.group(2), 16),
                         int(m.group(3)), m.group(4), m.group(5).strip()))
    return rows


def table_cases(r, build, names=("table", "table-mb2", "gzip")):
    """Part 3: the module's own table (boot in QEMU with -v) against the
    checker's for the same root and RAM: the same rows, sizes and map
    entries; the same addresses, but for the information structure,
    placed at the arena's start, which the model knows within
    INFO_SLACK bytes."""
    import concurrent.futures
    cbuild = os.path.join(build, "checker")
    todo = [c for c in boottest.cases() if c.loader == "ours" and c.name in names]

    def boot(case):
        root = os.path.join(cbuild, "boottest", "ours-" + case.name)
        b = pxeboot.run(pxeboot.qemu_command(root, mem=case.mem), timeout=180,
                        stop_patterns=[r"TK VERDICT", r"Boot failed"],
                        log_path=root + ".table.log")
        return case, root, b.text
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        for case, root, console in ex.map(boot, todo):
            compare_tables(r, "table " + case.name, console, root,
                           mem_arg(case.mem))


def compare_tables(r, name, console, root, mem):
    """The module's table in @console against the checker's for @root's
    default entry on @mem of RAM: the same rows (what, size, map entry);
    the same addresses outside the arena, within ARENA_SLACK inside."""
    rc, out = r.run(["--ram", mem_arg(mem), root,
                     os.path.join(root, "pxelinux.cfg", "default")])
    mod, chk = table_rows(console, "mboot"), table_rows(out, "mboot-check")
    problems = []
    if not mod:
        problems.append("the module printed no table")
    if len(mod) != len(chk):
        problems.append("%d rows, the module printed %d" % (len(chk), len(mod)))
    worst = 0
    for a, b in zip(mod, chk):
        arena = IN_ARENA.match(b[4]) and b[0] >= 0x100000
        off = a[0] - b[0]
        if a[2:] != b[2:] or (off and not arena) or abs(off) > ARENA_SLACK:
            problems.append("row %r, the module's %r" % (
                "0x%x %s" % (b[0], b[4]), "0x%x %s" % (a[0], a[4])))
        if arena and abs(off) > abs(worst):
            worst = off
    out += "\n--- the module:\n" + "\n".join(
        l for l in console.splitlines() if ROW.match(l))
    r.judge("%s (arena rows off by %+d)" % (name, worst), problems, out)


def limit_cases(r, build, mem="48"):
    """Part 4: the verdict at the limit.  The checker finds the largest
    module that fits beside tk-elf32.elf in -m @mem; the module's own dry
    run (QEMU, its default transport: mboot's TFTP client) must accept
    ARENA_SLACK bytes less and refuse ARENA_SLACK bytes more (the model's
    arena start is within that of the module's, and the model repeats
    the module's 64 KiB arena search, so its end is too), and no
    transfer may stall ("no data for N s": before the fix in tftp.c's
    session_run, a session whose last blocks QEMU's slirp lost after
    ending the transfer waited out 3 s and the whole module was read
    again)."""
    root = os.path.join(build, "checker", "limit")
    if os.path.isdir(root):
        shutil.rmtree(root)
    line = ("mboot.c32 -n tk-elf32.elf tk.name=tk-elf32.elf "
            "tk.mods=1 --- big.bin")
    pxeboot.make_tftp_root(root, os.path.join(build, "mboot.c32"),
                           {"tk-elf32.elf": os.path.join(build, "tk", "tk-elf32.elf")},
                           line)
    cfg = os.path.join(root, "pxelinux.cfg", "default")

    def fits(size):
        with open(os.path.join(root, "big.bin"), "wb") as f:
            f.truncate(size)
        return r.run(["--ram", mem + "M", root, cfg])[0] == 0
    lo, hi = 1 << 20, int(mem) << 20
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    for size, ok in ((lo - ARENA_SLACK, True), (lo + ARENA_SLACK, False)):
        fits(size)
        rc, out = r.run(["--ram", mem + "M", root, cfg])
        b = pxeboot.run(pxeboot.qemu_command(root, mem=mem), timeout=180,
                        stop_patterns=[r"Boot failed"],
                        log_path=root + "-%d.log" % size)
        problems = []
        want = r"mboot: dry run: tk-elf32\.elf would boot" if ok else \
            r"mboot: error: big\.bin: out of memory"
        if not re.search(want, b.text, re.M):
            problems.append("the module did not print /%s/" % want)
        if re.search(r"no data for \d+ s", b.text):
            problems.append("a transfer stalled")
        if (rc == 0) != ok:
            problems.append("checker exit %d" % rc)
        r.judge("limit %s MiB, module of %d bytes %s" % (
            mem, size, "fits" if ok else "does not"), problems,
            out + "\n--- the module:\n" + "\n".join(
                l for l in b.text.splitlines() if l.startswith("mboot")))
    if os.path.exists(os.path.join(root, "big.bin")):
        os.unlink(os.path.join(root, "big.bin"))


def write(path, data, mode="wb"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def own_cases(r, build):
    """Part 2: what only the checker does."""
    base = os.path.join(build, "checker", "own")
    if os.path.isdir(base):
        shutil.rmtree(base)
    tk = os.path.join(build, "tk")
    root = os.path.join(base, "root")
    kernel = open(os.path.join(tk, "tk-elf32.elf"), "rb").read()
    write(os.path.join(root, "boot", "tk.elf"), kernel)
    shutil.copyfile(os.path.join(build, "mboot.c32"),
                    os.path.join(root, "boot", "c32dir", "mboot.c32")) \
        if os.makedirs(os.path.join(root, "boot", "c32dir")) is None else None
    write(os.path.join(root, "abs", "m1.bin"), b"module one\n")
    write(os.path.join(root, "boot", "m2.bin"), b"module two\n" * 100)
    cpio = b"070701" + bytes(5000)
    write(os.path.join(root, "boot", "initrd.gz"), gzip.compress(cpio, mtime=0))
    bad = bytearray(gzip.compress(bytes(range(256)) * 100, mtime=0))
    bad[-8] ^= 0xff  # the CRC-32 field
    write(os.path.join(root, "boot", "badcrc.gz"), bytes(bad))
    write(os.path.join(root, "www", "h.bin"), b"over http\n")
    bz = bytearray(8192)
    bz[0x202:0x206] = b"HdrS"  # a Linux bzImage's header
    write(os.path.join(root, "boot", "bz.bin"), bytes(bz))
    inc = os.path.join(root, "boot", "pxelinux.cfg", "labels.inc")
    write(inc, "LABEL two\n  KERNEL mboot.c32\n"
          "  APPEND tk.elf --- ::abs/m1.bin --- m2.bin\n", "w")
    cfg = os.path.join(root, "boot", "pxelinux.cfg", "default")
    write(cfg, "\n".join([
        "PROMPT 0",
        "APPEND global-append-is-not-used-by-labels-with-their-own",
        "LABEL one",
        "  MENU LABEL the first",
        "  COM32 mboot.c32",
        "  APPEND tk.elf a=1 --- m2.bin",
        "  TEXT HELP",
        "  KERNEL not-this",
        "  ENDTEXT",
        "INCLUDE pxelinux.cfg/labels.inc",
        "label tftp",
        "  kernel mboot.c32",
        "  append tftp://10.0.2.2/boot/tk.elf --- http://10.0.2.2/h.bin",
        "LABEL dashes",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf x -- m2.bin",
        "LABEL dashes2",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf x -- initrd.img y=1",
        "LABEL trailing",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf ---",
        "LABEL gunzip-initrd",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf --- -gunzip initrd.gz",
        "LABEL badcrc",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf --- badcrc.gz",
        "LABEL sysappend",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf --- m2.bin",
        "  IPAPPEND 2",
        "LABEL sysappend-bz",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf --- ::abs/m1.bin --- bz.bin --- m2.bin",
        "  IPAPPEND 3",
        "LABEL sysappend-keep",
        "  KERNEL mboot.c32",
        "  APPEND -ipappend=keep tk.elf --- m2.bin",
        "  IPAPPEND 2",
        "LABEL sysappend-bad",
        "  KERNEL mboot.c32",
        "  APPEND -ipappend=5 tk.elf --- m2.bin",
        "  IPAPPEND 2",
        "LABEL viapath",
        "  KERNEL mboot.c32",
        "  APPEND tk.elf --- m2.bin",
        "LABEL fb-bad",
        "  KERNEL mboot.c32",
        "  APPEND -fallback=nolabel tk.elf --- m2.bin",
        "LABEL fb-good",
        "  KERNEL mboot.c32",
        "  APPEND -fallback=one tk.elf --- m2.bin",
        "LABEL notmboot",
        "  KERNEL vmlinuz",
        "PATH nowhere:c32dir",
        "DEFAULT one extra=arg",
        ""]), "w")
    cfg2 = os.path.join(root, "boot", "pxelinux.cfg", "ontimeout")
    write(cfg2, "PROMPT 1\nTIMEOUT 50\nDEFAULT one\nONTIMEOUT two\n"
          "INCLUDE pxelinux.cfg/labels.inc\nLABEL one\n KERNEL mboot.c32\n"
          " APPEND tk.elf --- m2.bin\n", "w")
    cfg3 = os.path.join(root, "boot", "pxelinux.cfg", "menu")
    write(cfg3, "UI menu.c32\nDEFAULT one\nLABEL one\n KERNEL mboot.c32\n"
          " APPEND tk.elf --- m2.bin\nLABEL three\n MENU DEFAULT\n"
          " KERNEL mboot.c32\n APPEND tk.elf --- ::abs/m1.bin\n", "w")
    r.expect("config ONTIMEOUT", [root, cfg2], 0,
             [r'label "two" \(ONTIMEOUT \(PROMPT 1, TIMEOUT set\)\)'])
    r.expect("config UI MENU DEFAULT", [root, cfg3], 0,
             [r'label "three" \(MENU DEFAULT\)'])
    ram = ["--ram", "256M"]
    # DEFAULT names a label; the config's directory gives the prefix boot/.
    r.expect("config default label", ram + [root, cfg], 0, [
        r'label "one" \(DEFAULT\) runs: \.com32 mboot\.c32 tk\.elf a=1 --- m2\.bin extra=arg',
        r"module 1 m2\.bin$", r"verdict: tk\.elf would boot \(Multiboot 1\), 2 files"])
    r.expect("config INCLUDE, ::name", ram + [root, cfg, "two"], 0, [
        r'label "two" \(as asked\)', r"module 1 ::abs/m1\.bin", r"module 2 m2\.bin",
        r"would boot \(Multiboot 1\), 3 files"])
    r.expect("--all", ["--all", "-q"] + ram + [root, cfg], 1, [
        r'=== label "one"', r'=== label "badcrc"',
        r"all: 15 entries run mboot\.c32 \(1 other label skipped\): "
        r"12 would boot, 3 would not"], [r'=== label "notmboot"'])
    r.expect("usage: --all with a label", ["--all", root, cfg, "one"], 2)
    # CONFIG FILE DIR (as qemu/fetchtest.py's subdir case): FILE from the
    # working directory, then DIR appended to it for the new file's names.
    sub = os.path.join(root, "boot", "sub")
    write(os.path.join(sub, "tk.elf"), kernel)
    write(os.path.join(sub, "s0.bin"), b"s0")
    write(os.path.join(sub, "sub.cfg"), "DEFAULT mboot.c32 tk.elf --- s0.bin "
          "--- ::boot/sub/s0.bin --- 10.0.2.2::boot/m2.bin\n", "w")
    cfgc = os.path.join(root, "boot", "pxelinux.cfg", "config")
    write(cfgc, "DEFAULT sub\nLABEL sub\n  CONFIG sub/sub.cfg sub/\n", "w")
    r.expect("config CONFIG FILE DIR", ram + [root, cfgc], 0, [
        r"CONFIG sub/sub\.cfg: reading .*/boot/sub/sub\.cfg, working directory ::boot/sub/",
        r"module 1 s0\.bin", r"would boot \(Multiboot 1\), 4 files"])
    r.expect("config no such label", [root, cfg, "nine"], 1,
             [r'error: .*no label "nine"', r"would NOT boot"])
    r.expect("config PATH", [root, cfg, "viapath"], 0,
             [r"mboot\.c32: found as c32dir/mboot\.c32 \(PATH\)"], [r"warning:"])
    stock = os.path.join(base, "stock")
    os.makedirs(stock)
    shutil.copyfile(pxeboot.STOCK_MBOOT, os.path.join(stock, "mboot.c32"))
    shutil.copyfile(os.path.join(tk, "tk-elf32.elf"), os.path.join(stock, "k.elf"))
    r.expect("stock module in the root", ["--line", "k.elf", stock], 0,
             [r"warning: mboot\.c32 is not this project's mboot\.c32"])
    r.expect("config no module", ["--prefix", "abs/", "--line", "x", root], 1,
             [r"warning: mboot\.c32 not found \(looked for ::abs/mboot\.c32\)"])
    r.expect("-fallback label missing", [root, cfg, "fb-bad"], 0,
             [r'warning: -fallback=nolabel: .* has no label "nolabel"'])
    r.expect("-fallback label present", [root, cfg, "fb-good"], 0,
             [r'-fallback=one: on a failure mboot\.c32 runs label "one"'], [r"warning:"])
    r.expect("config not mboot", [root, cfg, "notmboot"], 1,
             [r'runs "vmlinuz", not mboot\.c32'])
    r.expect("url tftp:// and http://", ram + [root, cfg, "tftp"], 0, [
        r"warning: http://10\.0\.2\.2/h\.bin: not checked: URL",
        r"TFTP host 10\.0\.2\.2: looked up in the root",
        r"would boot as far as checked"])
    r.expect("url --http-root", ram + ["--http-root", os.path.join(root, "www"),
                                       root, cfg, "tftp"], 0,
             [r"module 1 http://10\.0\.2\.2/h\.bin", r"would boot \(Multiboot 1\)"],
             [r"warning:"])
    r.expect("lint lone --", [root, cfg, "dashes"], 0, [
        r'warning: "--" followed by "m2\.bin", a file on the server: "---" was probably meant'])
    r.expect("lint lone -- before a name", [root, cfg, "dashes2"], 0, [
        r'warning: "--" followed by "initrd\.img", which looks like a file name: "---" was probably meant'])
    r.expect("lint trailing ---", [root, cfg, "trailing"], 1, [
        r'warning: the line ends with "---"', r"error: module 1 is empty"])
    r.expect("lint -gunzip initrd", ram + [root, cfg, "gunzip-initrd"], 0, [
        r"warning: module 1 \(initrd\.gz\) is a gzip initrd marked -gunzip",
        r"module 1 initrd\.gz"])
    # IPAPPEND: where mboot.c32 puts the strings (lib/ipappend.h), from
    # the files' contents: here no module is a Linux kernel.
    r.expect("IPAPPEND to the kernel", [root, cfg, "sysappend"], 0,
             [r"^mboot-check: IPAPPEND/SYSAPPEND 2 adds BOOTIF= at the end of the line: "
              r"mboot\.c32 takes them off the last module, m2\.bin, and gives them to the "
              r"Multiboot kernel tk\.elf \(no module is a Linux kernel\)$"],
             [r"warning:"])
    r.expect("IPAPPEND to a Linux kernel", [root, cfg, "sysappend-bz"], 0,
             [r"IPAPPEND/SYSAPPEND 3 adds ip=, BOOTIF= at the end of the line: "
              r"mboot\.c32 takes them off the last module, m2\.bin, and gives them to "
              r"module 2 bz\.bin \(the first module that is a Linux kernel\)$"])
    r.expect("IPAPPEND -ipappend=keep", [root, cfg, "sysappend-keep"], 0,
             [r"warning: IPAPPEND/SYSAPPEND 2 adds BOOTIF= at the end of the line: "
              r"with -ipappend=keep they stay on the last file, module 1 m2\.bin"])
    r.expect("IPAPPEND -ipappend=N past the last", [root, cfg, "sysappend-bad"], 1,
             [r"error: -ipappend=5: there is no module 5 \(the line has the kernel and 1 module\)"])
    r.expect("strict fails on warnings", ["--strict", root, cfg, "sysappend-keep"], 1,
             [r"--strict: fails"])
    r.expect("module gzip CRC", [root, cfg, "badcrc"], 1, [
        r"error: badcrc\.gz: gzip data error at compressed offset \d+: CRC-32 mismatch"])
    r.expect("usage: no root", [], 2)
    r.expect("usage: bad --ram", ["--ram", "lots", root, cfg], 2)
    r.expect("--line, --prefix", ["--prefix", "boot/", "--ram", "64M", "--line",
                                  "tk.elf --- m2.bin --- ::abs/m1.bin", root], 0,
             [r"would boot \(Multiboot 1\), 3 files"])
    r.expect("--line too long", ["--line", "tk.elf " + "x" * 2040, root], 1,
             [r'refuses 2048 or more \("cmdline too long"\)'])
    # A memory map file (the test kernel's INFO mmap lines, 40 MiB machine)
    # and a module that does not fit in it.
    mm = os.path.join(base, "map.txt")
    write(mm, "INFO mmap 0x0 0x9c400 1\nINFO mmap 0x100000 0x2700000 1\n"
          "INFO mmap 0x2800000 0x20000 2\n", "w")
    write(os.path.join(root, "boot", "big.bin"), b"")
    with open(os.path.join(root, "boot", "big.bin"), "wb") as f:
        f.truncate(36 << 20)
    r.expect("--memmap fits", ["--memmap", mm, "--prefix", "boot/", "--line",
                               "tk.elf --- m2.bin", root], 0,
             [r"memory: .*map\.txt", r"e820\[1\] 0x00100000-0x02800000 RAM \| kernel segment 0"])
    r.expect("--memmap out of memory", ["--memmap", mm, "--prefix", "boot/",
                                        "--line", "tk.elf --- big.bin", root], 1,
             [r"error: big\.bin: out of memory: needs 37748736 bytes"])
    # Digests over the file as fetched (lib/digest.c, as the module).
    good = hashlib.sha256(open(os.path.join(root, "boot", "initrd.gz"), "rb")
                          .read()).hexdigest()
    r.expect("sha256 match", ["--prefix", "boot/", "--ram", "64M", "--line",
                              "tk.elf --- -sha256=%s initrd.gz" % good, root], 0,
             [r"initrd\.gz: SHA-256 matches"])
    r.expect("sha256 mismatch", ["--prefix", "boot/", "--line",
                                 "tk.elf --- -sha256=%s m2.bin" % good, root], 1,
             [r"error: m2\.bin: SHA-256 mismatch: expected %s, got [0-9a-f]{64} "
              r"\(over the 1100 bytes fetched\)" % good])


def xen_cases(r, build):
    """Real Xen 4.17 + dom0 + initrd: the demo's own TFTP root and line,
    then broken variants of it."""
    import demo  # noqa: E402  (qemu/xen/demo.py)
    debs = demo.fetch_debs(build, quiet=True)
    initrd = demo.make_initrd(build, debs["busybox"], 0, "gzip")
    root = demo.make_tftp_root(build, "checker", os.path.join(build, "mboot.c32"),
                               debs, initrd, "")
    if not isinstance(root, str):
        root = demo.tftp_root_dir(build, "checker")
    cfg = os.path.join(root, "pxelinux.cfg", "default")
    r.expect("xen good entry", ["--ram", "1024M", root, cfg], 0, [
        r"xen\.gz: Multiboot 1, ELF32, 1 segment, .*\(Xen\)",
        r"kernel image copy", r"module 1 vmlinuz", r"module 2 initrd\.gz",
        r"verdict: xen\.gz would boot \(Multiboot 1\), 3 files"], [r"warning:"])
    line = open(cfg).read().split("DEFAULT mboot.c32 ", 1)[1].split("\n")[0]
    parts = line.split(" --- ")
    swapped = " --- ".join([parts[0], parts[2], parts[1]])
    r.expect("xen dom0 not first", ["--ram", "1024M", "--line", swapped, root], 0, [
        r"warning: module 2 \(vmlinuz\) is a Linux kernel but module 1 \(initrd\.gz\) is not"])
    r.expect("xen -gunzip initrd", ["--ram", "1024M", "--line",
                                    line.replace("--- initrd.gz", "--- -gunzip initrd.gz"),
                                    root], 0,
             [r"warning: module 2 \(initrd\.gz\) is a gzip initrd marked -gunzip"])
    # Xen's module limit: 64 up to 4.19, 63 from 4.20 (tools/lint.h).
    many = line + " --- vmlinuz" * 64
    r.expect("xen over 64 modules", ["--line", many, root], 0,
             [r"warning: 66 modules: Xen uses only the first 64 up to 4\.19 "
              r"\(modules 65-66 are ignored\) and the first 63 from 4\.20 "
              r"\(modules 64-66\)"])
    r.expect("xen 64 modules", ["--line", line + " --- vmlinuz" * 62, root], 0,
             [r"warning: 64 modules: Xen 4\.20 and later use only the first "
              r"63 \(module 64 is ignored\); Xen 4\.19 and earlier use all 64"])
    r.expect("xen 63 modules", ["--line", line + " --- vmlinuz" * 61, root], 0,
             [], [r"warning: \d+ modules"])
    # Xen's own sorting of its modules (tools/xenlint.c): xenmods.py.
    import xenmods  # noqa: E402
    xenmods.cases(r, root, line)
    # The module's own dry run (-n -v) of the same entry in QEMU, -m 1024:
    # its table and the checker's, row for row.
    if not getattr(r, "no_qemu", False):
        droot = demo.make_tftp_root(build, "checker-dry",
                                    os.path.join(build, "mboot.c32"), debs,
                                    initrd, "-n -v")
        if not isinstance(droot, str):
            droot = demo.tftp_root_dir(build, "checker-dry")
        b = pxeboot.run(pxeboot.qemu_command(droot, mem="1024"), timeout=240,
                        stop_patterns=[r"Boot failed"],
                        log_path=droot + ".dry.log")
        compare_tables(r, "table xen dry run", b.text, droot, "1024")
    # tboot first, Xen as its first module (the demo's --tboot entry).
    troot = demo.make_tftp_root(build, "checker-tboot",
                                os.path.join(build, "mboot.c32"), debs,
                                initrd, "", tboot=True)
    if not isinstance(troot, str):
        troot = demo.tftp_root_dir(build, "checker-tboot")
    tcfg = os.path.join(troot, "pxelinux.cfg", "default")
    r.expect("tboot good entry", ["--ram", "1024M", troot, tcfg], 0, [
        r"module 1 \(xen\.gz\) is Xen, booted by tboot\.gz",
        r"verdict: tboot\.gz would boot \(Multiboot 1\), 4 files"], [r"warning:"])
    tline = open(tcfg).read().split("DEFAULT mboot.c32 ", 1)[1].split("\n")[0]
    tp = tline.split(" --- ")
    r.expect("tboot dom0 not first", ["--line", " --- ".join(
        [tp[0], tp[1], tp[3], tp[2]]), troot], 0, [
        r"warning: module 3 \(vmlinuz\) is a Linux kernel but module 2 "
        r"\(initrd\.gz\) is not"])
    xenmods.tboot_cases(r, troot, tline)
    r.expect("xen too little RAM", ["--ram", "16M", root, cfg], 1,
             [r"error: .*out of memory|error: less than 2048 KiB"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--no-qemu", action="store_true",
                    help="skip the table comparison with real boots")
    ap.add_argument("-v", action="store_true", help="show every output")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    r = Runner(os.path.join(build, "mboot-check"), a.v)
    r.no_qemu = a.no_qemu
    agreement(r, build)
    own_cases(r, build)
    if not a.no_qemu:
        table_cases(r, build)
        limit_cases(r, build)
    # SYSLINUX's files and their versions (tools/sysver.c).
    import sysvercases  # noqa: E402
    sysvercases.cases(r, build, a.no_qemu)
    if not a.no_xen:
        try:
            xen_cases(r, build)
        except (SystemExit, OSError, KeyError) as e:  # no Debian files
            r.judge("xen cases", ["cannot lay out the Xen files: %s" % e], "")
    print("checker: %d passed, %d failed" % (r.passed, r.failed))
    return 0 if r.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
