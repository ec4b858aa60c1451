#!/usr/bin/env python3
"""boottest.py - boot the conformance test kernel through Debian's PXELINUX.

Each case builds a TFTP root (pxelinux.0, ldlinux.c32, libcom32.c32, the
loader under test as mboot.c32, a test kernel packaging, generated modules),
boots it in QEMU and judges the result from what the kernel printed on COM1:
its own PASS/FAIL lines and verdict, plus the exact command-line strings it
received, compared here with what the config asked for.  Error cases check
the loader's message and that PXELINUX's boot: prompt came back.

Cases run with our module and, for comparison, with SYSLINUX's stock
mboot.c32; the stock runs are expected to differ where documented
(STOCK_EXPECTED_FAILS) and the summary shows every difference.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import gzip
import hashlib
import os
import random
import re
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import badkernels  # noqa: E402
import pxeboot  # noqa: E402

TK = ["tk-elf32.elf", "tk-high.elf", "tk-aout.bin", "tk-elf32.gz",
      "tk-elf64.elf"]


class Case:
    """One boot: a kernel, its args, modules, and what must happen."""

    def __init__(self, name, kernel, kargs="", modules=(), mem=512,
                 expect="pass", message=None, expect_fails=(), loader="ours",
                 opts="", line=None, forbid=None, extra_cfg="",
                 table=False, dry_first=False, option_rom=None,
                 ipappend=None, ipappend_to=None):
        self.name, self.kernel, self.kargs = name, kernel, kargs
        self.modules = list(modules)  # (file, size or bytes, extra args, -opts)
        self.mem, self.expect, self.message = mem, expect, message
        self.expect_fails = set(expect_fails)
        self.loader, self.opts, self.line = loader, opts, line
        self.forbid = forbid  # a regex the console must not show
        self.extra_cfg = extra_cfg  # more pxelinux.cfg lines (labels)
        # The placement table (-v) must agree with what the kernel reports.
        self.table = table
        # Boot with -n first (a dry run), then type the real line at the
        # boot: prompt that must come back.
        self.dry_first = dry_first
        # An option ROM (a file in BUILD/boottest/data) QEMU gives SeaBIOS.
        self.option_rom = option_rom
        # IPAPPEND value of the label booted (the line becomes a LABEL's
        # APPEND), and who must get the strings: "kernel" or a module
        # index (0 = the first module).
        self.ipappend, self.ipappend_to = ipappend, ipappend_to


# What PXELINUX appends under QEMU's user network (slirp's defaults:
# client 10.0.2.15, server and gateway 10.0.2.2, a /24) for the first NIC
# with QEMU's default MAC 52:54:00:12:34:56, by IPAPPEND bit.
IPAPPEND_STRINGS = ["ip=10.0.2.15:10.0.2.2:10.0.2.2:255.255.255.0",
                    "BOOTIF=01-52-54-00-12-34-56"]


def ipappend_text(value):
    """The strings PXELINUX appends for IPAPPEND @value, as one text."""
    return " ".join(s for i, s in enumerate(IPAPPEND_STRINGS)
                    if value & (1 << i))


def fake_bzimage(seed, size):
    """@size bytes that look like a Linux bzImage: "HdrS" at 0x202."""
    b = bytearray(random_bytes(seed, size))
    b[0x202:0x206] = b"HdrS"
    return bytes(b)


def random_bytes(seed, size):
    """@size bytes from a PRNG seeded with @seed: fixed from run to run,
    with no period, so a piece of a transfer put at a wrong offset (by any
    distance, e.g. a resume that skips a multiple of 256 bytes too many)
    changes the CRC-32 the kernel checks."""
    rnd = random.Random(seed)
    return rnd.randbytes(size) if hasattr(rnd, "randbytes") else \
        bytes(rnd.getrandbits(8) for _ in range(size))


def text_bytes(seed, size):
    """@size bytes of words that a PRNG seeded with @seed draws from a
    512-word vocabulary of its own: compressible (gzip refers back to
    earlier words, about 3:1) but, unlike a repeated block, without a
    period, so a misplaced piece changes the CRC-32."""
    rnd = random.Random(seed)
    letters = b"abcdefghijklmnopqrstuvwxyz"
    words = [bytes(rnd.choice(letters) for _ in range(rnd.randint(2, 9)))
             for _ in range(512)]
    out = bytearray()
    while len(out) < size:
        out += rnd.choice(words) + b" "
    return bytes(out[:size])


# -sha256=@ in a case's opts or module opts stands for the digest of that
# part's file (@upper: the same in capitals), -sha256=@wrong for this one,
# which no test file has.  In a case's message, @SHA(name)@, @LEN(name)@
# and @WRONG@ stand for a file's digest and size and this digest.
WRONG_SHA256 = hashlib.sha256(b"not the file that was named").hexdigest()


def resolve_sha256(case, opts, fname, data):
    """@opts with its -sha256=@... placeholder filled in for file @fname
    (contents @data); records the file in case.digests."""
    if "-sha256=@" not in opts:
        return opts
    digest = hashlib.sha256(data).hexdigest()
    case.digests[fname] = (digest, len(data))
    return (opts.replace("-sha256=@wrong", "-sha256=" + WRONG_SHA256)
            .replace("-sha256=@upper", "-sha256=" + digest.upper())
            .replace("-sha256=@", "-sha256=" + digest))


def expected_message(case):
    """case.message with the digest placeholders filled in."""
    if not case.message:
        return case.message
    m = case.message.replace("@WRONG@", WRONG_SHA256)
    m = re.sub(r"@SHA\(([^)]+)\)@", lambda g: case.digests[g.group(1)][0], m)
    return re.sub(r"@LEN\(([^)]+)\)@",
                  lambda g: str(case.digests[g.group(1)][1]), m)


def same_file(path, content):
    """True if @path exists and holds exactly @content (so a fixture is
    rewritten whenever its generator changes, not only its size)."""
    if not os.path.exists(path) or os.path.getsize(path) != len(content):
        return False
    with open(path, "rb") as f:
        return f.read() == content


def auto_gunzip(name, content, mopts):
    """True if ours decompresses module @name (@content) without -gunzip
    (lib/gzelf.h): a ".gz" name, gzip holding an ELF file, no -nogunzip
    and no -cat."""
    return (name.lower().endswith(".gz") and content[:2] == b"\x1f\x8b"
            and "-nogunzip" not in mopts and "-cat" not in mopts
            and gzip.decompress(content)[:4] == b"\x7fELF")


def bootcfg(case, name="boot.cfg"):
    """@case with its kernel and modules in a VMware boot.cfg @name (at
    the TFTP root, so names need no prefix) booted by "mboot.c32 -c"."""
    case.bootcfg = name
    return case


def with_line_opts(case, opts):
    """@case whose IPAPPEND label's APPEND starts with loader options
    @opts (a -c case's other options stay in its boot.cfg)."""
    case.line_opts = opts
    return case


def write_bootcfg(case, data_dir, files, kopts, kname, kargs, parts):
    """Write case.bootcfg into @data_dir for the kernel part (@kopts,
    @kname, @kargs) and the module @parts (each "[opts] name args"), with
    the keys VMware's own files have that ours ignores, a comment and CR
    LF endings on some lines; add it to @files; return the KERNEL line."""
    text = ("# written by qemu/boottest.py\r\n"
            "bootstate=0\n"
            "title=boottest %s\r\n"
            "timeout=5\n"
            "kernel=%s%s\n"
            "kernelopt=%s\n"
            "modules=%s\n"
            "build=1.0\n"
            "updated=0\n") % (case.name, kopts + " " if kopts else "",
                               kname, kargs, " --- ".join(parts))
    path = os.path.join(data_dir, "%s-%s" % (case.name, case.bootcfg))
    with open(path, "w") as f:
        f.write(text)
    files[case.bootcfg] = path
    return "mboot.c32 -c " + case.bootcfg


def write_cat(case, data_dir, files, content, mopts):
    """The files of a -cat module (@content: [(name, bytes)]) written into
    @data_dir and added to @files; returns (their bytes joined, @mopts
    with -sha256=@ as every file's digest joined by '+', or
    -sha256=@last-wrong: all right but the last)."""
    for name, data in content:
        with open(os.path.join(data_dir, name), "wb") as f:
            f.write(data)
        files[name] = os.path.join(data_dir, name)
    digests = [hashlib.sha256(d).hexdigest() for _, d in content]
    for name, data in content:
        case.digests[name] = (hashlib.sha256(data).hexdigest(), len(data))
    if "-sha256=@last-wrong" in mopts:
        mopts = mopts.replace("-sha256=@last-wrong", "-sha256=" +
                              "+".join(digests[:-1] + [WRONG_SHA256]))
    mopts = mopts.replace("-sha256=@", "-sha256=" + "+".join(digests))
    return b"".join(d for _, d in content), mopts


def build_case(case, build, default_line=None):
    """Create the TFTP root for @case; returns (root, default line,
    expected kernel cmdline, expected module strings).  @default_line
    replaces the line the config boots."""
    root = os.path.join(build, "boottest", "%s-%s" % (case.loader, case.name))
    data_dir = os.path.join(build, "boottest", "data")
    os.makedirs(data_dir, exist_ok=True)
    files = {}
    case.digests = {}
    if case.kernel:
        src = os.path.join(build, "tk", case.kernel)
        if not os.path.exists(src):
            src = os.path.join(data_dir, case.kernel)
        files[case.kernel] = src
    parts, mod_strings = [], []
    kname = case.kernel or "missing.elf"
    kargs = "tk.name=%s tk.mods=%d %s" % (kname, len(case.modules), case.kargs)
    kargs = kargs.strip()
    kopts = case.opts
    if "-sha256=@" in kopts:
        with open(files[kname], "rb") as f:
            kopts = resolve_sha256(case, kopts, kname, f.read())
    parts.append((kopts + " " if kopts else "") + kname + " " + kargs)
    for i, (mname, content, extra, mopts) in enumerate(case.modules):
        if isinstance(content, list):  # -cat: one module of several files
            payload, mopts = write_cat(case, data_dir, files, content, mopts)
            margs = "len=%d crc=%08x name=%s %s" % (
                len(payload), zlib.crc32(payload) & 0xffffffff, mname, extra)
            parts.append(mopts + " " + mname + " " + margs.strip())
            mod_strings.append(mname + " " + margs.strip())
            continue
        path = os.path.join(data_dir, mname)
        if content is not None:
            if isinstance(content, int):
                content = random_bytes(mname, content)
            if not same_file(path, content):
                with open(path, "wb") as f:
                    f.write(content)
            files[mname] = path
            payload = content
            if "-gunzip" in mopts or auto_gunzip(mname, content, mopts):
                payload = gzip.decompress(content)
            margs = "len=%d crc=%08x name=%s" % (
                len(payload), zlib.crc32(payload) & 0xffffffff, mname)
        else:
            margs = "len=0 crc=00000000"
        if extra:
            margs += " " + extra
        mopts = resolve_sha256(case, mopts, mname, content or b"")
        parts.append((mopts + " " if mopts else "") + mname + " " + margs)
        mod_strings.append(mname + " " + margs)
    line = case.line or ("mboot.c32 " + " --- ".join(parts))
    if getattr(case, "bootcfg", None):
        line = write_bootcfg(case, data_dir, files, kopts, kname, kargs,
                             parts[1:])
    for word in line.split():  # files named only in a hand-written line
        if word not in files and os.path.isfile(os.path.join(data_dir, word)):
            files[word] = os.path.join(data_dir, word)
    loader = os.path.join(build, "mboot.c32") if case.loader == "ours" \
        else pxeboot.STOCK_MBOOT
    extra_cfg = case.extra_cfg
    want_cmdline = kname + " " + kargs
    if case.ipappend is not None:
        # PXELINUX appends the strings to a label's line: boot one.
        append = line.split(" ", 1)[1]
        if getattr(case, "line_opts", ""):
            append = case.line_opts + " " + append
        extra_cfg += "LABEL ipa\n  KERNEL mboot.c32\n  APPEND %s\n  IPAPPEND %d\n" % (
            append, case.ipappend)
        default_line = "ipa"
        text = ipappend_text(case.ipappend)
        if case.ipappend_to == "kernel":
            want_cmdline += " " + text
        elif case.ipappend_to is not None:
            mod_strings[case.ipappend_to] += " " + text
    pxeboot.make_tftp_root(root, loader, files, default_line or line,
                           extra_cfg)
    return root, line, want_cmdline, mod_strings


def parse_kernel(boot):
    """The kernel's report: {check: (ok, detail)}, verdict, INFO strings."""
    checks, verdict, info = {}, None, {"mods": {}}
    for _, l in boot.lines:
        m = re.match(r"^(PASS|FAIL) (\S+) ?(.*)$", l)
        if m:
            ok = m.group(1) == "PASS"
            # Keep the first failure if a check is reported twice.
            if m.group(2) not in checks or not ok:
                checks[m.group(2)] = (ok, m.group(3))
        m = re.match(r"^TK VERDICT (PASS|FAIL)", l)
        if m:
            verdict = m.group(1)
        m = re.match(r"^INFO cmdline=(.*)$", l)
        if m:
            info["cmdline"] = m.group(1)
        m = re.match(r"^INFO mod(\d+) start=\S+ end=\S+ string=(.*)$", l)
        if m:
            info["mods"][int(m.group(1))] = m.group(2)
        m = re.match(r"^INFO loader=(.*)$", l)
        if m:
            info["loader"] = m.group(1)
    return checks, verdict, info


TABLE_HEAD = re.compile(r"^mboot: placement \(Multiboot (\d)\)")
TABLE_ROW = re.compile(
    r"^mboot:   0x([0-9a-f]+) 0x([0-9a-f]+) +(\d+) \| (?:none|e820\[(\d+)\] "
    r"0x([0-9a-f]+)-0x([0-9a-f]+) (\S+)) \| (.*)$")


def parse_tables(boot):
    """Every placement table on the console (lib/plantable.h's format):
    a list of (protocol, rows), each row a dict."""
    tables = []
    for _, l in boot.lines:
        m = TABLE_HEAD.match(l)
        if m:
            tables.append((int(m.group(1)), []))
            continue
        m = TABLE_ROW.match(l)
        if m and tables:
            tables[-1][1].append({
                "start": int(m.group(1), 16), "end": int(m.group(2), 16),
                "size": int(m.group(3)),
                "map": None if m.group(4) is None else int(m.group(4)),
                "map_start": int(m.group(5) or "0", 16),
                "map_end": int(m.group(6) or "0", 16),
                "map_type": m.group(7), "what": m.group(8)})
    return tables


def check_table(rows, boot):
    """Problems with the placement table @rows against what the test
    kernel reported: module ranges, the information's address, the memory
    map entries named, and (Multiboot 2) the strings and memory map inside
    the tags and the load base."""
    if not rows:
        return ["no placement table printed"]
    problems = []
    by_what = {r["what"]: r for r in rows}
    mmap, mods, tags = [], {}, []
    mbi = load_base = None
    for _, l in boot.lines:
        m = re.match(r"^INFO mmap 0x([0-9a-f]+) 0x([0-9a-f]+) (\d+)", l)
        if m:
            mmap.append((int(m.group(1), 16), int(m.group(2), 16)))
        m = re.match(r"^INFO mod(\d+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) ", l)
        if m:
            mods[int(m.group(1))] = (int(m.group(2), 16), int(m.group(3), 16))
        m = re.match(r"^INFO tag (\d+) size=(\d+) at=0x([0-9a-f]+)", l)
        if m:
            tags.append((int(m.group(1)), int(m.group(2)), int(m.group(3), 16)))
        m = re.match(r"^PASS mbi\.(?:flags|align) mbi=0x([0-9a-f]+)", l)
        if m:
            mbi = int(m.group(1), 16)
        m = re.match(r"^PASS load_base load_base_addr=0x([0-9a-f]+)", l)
        if m:
            load_base = int(m.group(1), 16)
    prev = None
    for r in rows:
        if r["end"] - r["start"] != r["size"]:
            problems.append("row %r: size %d is not end - start" % (r["what"], r["size"]))
        if r["map"] is None or r["map_type"] != "RAM":
            problems.append("row %r is in no RAM map entry" % r["what"])
        elif r["map"] >= len(mmap) or (r["map_start"], r["map_end"]) != \
                (mmap[r["map"]][0], sum(mmap[r["map"]])):
            problems.append("row %r names e820[%d] 0x%x-0x%x; the kernel's "
                            "map entry differs" % (r["what"], r["map"],
                                                   r["map_start"], r["map_end"]))
        if not r["what"].startswith(" "):
            if prev and r["size"] and prev["size"] and r["start"] < prev["end"]:
                problems.append("rows %r and %r overlap" % (prev["what"], r["what"]))
            prev = r
    table_mods = [r for r in rows if r["what"].startswith("module ")]
    if len(mods) != len(table_mods):
        problems.append("kernel reports %d modules, the table %d" % (
            len(mods), len(table_mods)))
    for i, (start, end) in sorted(mods.items()):
        r = [x for x in table_mods if x["what"].startswith("module %d " % (i + 1))]
        if not r or (r[0]["start"], r[0]["end"]) != (start, end):
            problems.append("module %d at 0x%x-0x%x, the table says %s" % (
                i + 1, start, end,
                r and "0x%x-0x%x" % (r[0]["start"], r[0]["end"])))
    info = by_what.get("info")
    if mbi is None or not info or info["start"] != mbi:
        problems.append("information at %s, the table says %s" % (
            mbi and hex(mbi), info and hex(info["start"])))
    nmod = 0
    for t, size, at in tags:
        want = {1: ("  info cmdline kernel", at + 8),
                2: ("  info loader name", at + 8),
                6: ("  info memory map", at)}.get(t)
        if t == 3:
            nmod += 1
            want = ("  info cmdline module %d" % nmod, at + 16)
        if want and (want[0] not in by_what or
                     by_what[want[0]]["start"] != want[1]):
            problems.append("%s: the kernel has it at 0x%x, the table at %s" % (
                want[0].strip(), want[1],
                want[0] in by_what and hex(by_what[want[0]]["start"])))
    if load_base is not None and \
            by_what.get("kernel segment 0", {}).get("start") != load_base:
        problems.append("load base 0x%x is not kernel segment 0" % load_base)
    return problems


def check_dry_run(case, build, boot, tables):
    """Problems with a dry run followed by the real boot typed at the
    boot: prompt: the verdict (kernel, protocol, file count, bytes), the
    prompt after it and before the kernel ran, and the dry run's table
    the same as the one the real boot printed (-v): the same rows, sizes,
    map entries and kernel segments.  Addresses inside the arena may
    differ: every command run from boot: moves PXELINUX's largest free
    block (measured: even a run that fails parsing its line moves it)."""
    problems = []
    text = boot.text
    m = re.search(r"^mboot: dry run: (\S+) would boot \(Multiboot (\d)\), "
                  r"(\d+) files, (\d+) bytes$", text, re.M)
    if not m:
        return ["no dry-run verdict"]
    kpath = os.path.join(build, "tk", case.kernel)
    with open(kpath, "rb") as f:
        kernel = f.read()
    if kernel[:2] == b"\x1f\x8b":
        kernel = gzip.decompress(kernel)
    size = len(kernel)
    for mname, content, _, mopts in case.modules:
        if isinstance(content, int):
            size += content
        else:
            size += len(gzip.decompress(content) if "-gunzip" in mopts else content)
    want = (case.kernel, str(1 + len(case.modules)), str(size))
    if (m.group(1), m.group(3), m.group(4)) != want:
        problems.append("verdict %r, expected kernel, files, bytes %r" % (
            m.group(0), want))
    prompt = re.search(r"^boot: *$", text, re.M)
    start = re.search(r"^TK START", text, re.M)
    if not prompt or prompt.start() < m.start() or \
            not start or start.start() < prompt.start():
        problems.append("not: verdict, then boot:, then the kernel")
    if re.search(r"^mboot: booting ", text[:prompt.start()] if prompt else text, re.M):
        problems.append("the dry run said it was booting")
    if len(tables) != 2:
        problems.append("%d placement tables, expected the dry run's and "
                        "the real boot's" % len(tables))
    else:
        def shape(rows):
            return [(r["what"], r["size"], r["map"]) +
                    ((r["start"],) if r["what"].startswith("kernel segment")
                     else ()) for r in rows]
        a, b = shape(tables[0][1]), shape(tables[1][1])
        if tables[0][0] != tables[1][0] or a != b:
            problems.append("the dry run planned differently: %s" % [
                (x, y) for x, y in zip(a, b) if x != y][:3])
    return problems


def verdict_problems(case, verdict, checks, reason):
    """Problems with the kernel's verdict for a case that boots: it must
    be PASS when no check may fail, FAIL when some must (expect_fails,
    or expect="kernel-fail").  The set of failed checks is compared
    separately; this catches a verdict that disagrees with the lines (a
    FAIL line the parser did not see) or no verdict at all."""
    if verdict is None:
        return ["no verdict from the test kernel (%s)" % reason]
    want = "PASS" if not case.expect_fails else "FAIL"
    if case.expect == "kernel-fail":
        want = "FAIL"
    if verdict != want:
        return ["kernel verdict %s, expected %s" % (verdict, want)]
    return []


def run_case(case, build, verbose=False):
    """Boot @case; returns (passed, summary line, kernel checks)."""
    root, line, want_cmdline, want_mods = build_case(case, build)
    replies = ()
    if case.dry_first:  # the same line with -n first; typed for real after
        replies = (line,)
        root, _, _, _ = build_case(
            case, build, default_line=line.replace("mboot.c32 ", "mboot.c32 -n ", 1))
    if case.loader == "stock":
        # The stock module rebuilds command lines from argv: runs of spaces
        # become one (measured).  Ours passes the text as typed.
        want_cmdline = " ".join(want_cmdline.split())
        want_mods = [" ".join(m.split()) for m in want_mods]
    log = os.path.join(build, "boottest", "%s-%s.log" % (case.loader, case.name))
    # The kernel ends QEMU itself after its verdict (isa-debug-exit).
    stops = [r"Boot failed", r"No bootable"]
    extra = ()
    if case.option_rom:
        extra = ("-option-rom",
                 os.path.join(build, "boottest", "data", case.option_rom))
    boot = pxeboot.run(pxeboot.qemu_command(root, mem=case.mem, extra=extra),
                       timeout=240,
                       stop_patterns=stops, echo=verbose, log_path=log,
                       replies=replies)
    # After the verdict, give QEMU a moment to exit through isa-debug-exit.
    checks, verdict, info = parse_kernel(boot)
    problems = []
    if case.expect == "pass" or case.expect == "kernel-fail":
        problems += verdict_problems(case, verdict, checks, boot.reason)
        failed = {c for c, (ok, _) in checks.items() if not ok}
        if failed != case.expect_fails:
            problems.append("failed checks %s, expected %s" % (
                sorted(failed) or "none", sorted(case.expect_fails) or "none"))
        if verdict and "cmdline" in info and info["cmdline"] != want_cmdline:
            problems.append("kernel cmdline %r, expected %r" % (
                info["cmdline"], want_cmdline))
        for i, want in enumerate(want_mods):
            got = info["mods"].get(i)
            if verdict and got != want:
                problems.append("module %d string %r, expected %r" % (i, got, want))
        if verdict and "cmdline" not in info:
            problems.append("kernel printed no cmdline")
        if case.message and not re.search(expected_message(case), boot.text, re.M):
            problems.append("message /%s/ not seen" % expected_message(case))
        if case.forbid and re.search(case.forbid, boot.text, re.M):
            problems.append("console shows /%s/" % case.forbid)
        tables = parse_tables(boot)
        if case.table or case.dry_first:
            problems += check_table(tables[-1][1] if tables else [], boot)
        if case.dry_first:
            problems += check_dry_run(case, build, boot, tables)
    else:  # an error case: the message, then PXELINUX's prompt
        if verdict is not None:
            problems.append("the kernel ran (verdict %s)" % verdict)
        if case.message and not re.search(expected_message(case), boot.text, re.M):
            problems.append("message /%s/ not seen" % expected_message(case))
        if case.forbid and re.search(case.forbid, boot.text, re.M):
            problems.append("console shows /%s/" % case.forbid)
        if boot.reason != "stop:^boot: *$":
            problems.append("no boot: prompt (%s)" % boot.reason)
    nchecks = len(checks)
    npass = sum(1 for ok, _ in checks.values() if ok)
    status = "PASS" if not problems else "FAIL"
    summary = "%s %-6s %-16s %5.1fs  kernel checks %d/%d%s" % (
        status, case.loader, case.name, boot.seconds, npass, nchecks,
        "" if not problems else "  <- " + "; ".join(problems))
    if problems:
        tail = boot.lines[-25:]
        summary += "\n    log: %s\n" % log + "\n".join("    | " + l for _, l in tail)
    return not problems, summary, checks


def cases():
    """Every case, ours first, then the stock module for comparison."""
    gz_module = gzip.compress(text_bytes("gzmod", 60000), 9, mtime=0)
    # What the rule looks at: gzip whose contents start with an ELF
    # identification (the rest need not be a kernel: it is a module).
    gz_elf = gzip.compress(b"\x7fELF" + text_bytes("gzelf", 50000), 9, mtime=0)
    ours = [
        Case("elf32", "tk-elf32.elf", "tk.loader=PXELINUX  x=--  y", [
            ("mod-a.bin", 100000, "first module", ""),
            ("mod-b.bin", 3, "", ""),
        ]),
        Case("high", "tk-high.elf", "", [("mod-c.bin", 70000, "", "")]),
        Case("aout", "tk-aout.bin", "", [("mod-d.bin", 12345, "", "")]),
        Case("gzip", "tk-elf32.gz", "", [("mod-gz.gz", gz_module, "kept compressed", "")],
             opts="-verbose"),
        Case("elf64", "tk-elf64.elf", "", [("mod-e.bin", 5000, "", "")]),
        # Linked higher-half (p_vaddr = p_paddr + 3 GiB): e_entry physical
        # (inside a segment's physical range, no virtual one: used as it
        # is) and virtual (translated through its segment).  The stock
        # module boots both (its cases below).
        Case("hh-phys", "tk-hh-phys.elf", "", [("mod-e.bin", 5000, "", "")]),
        Case("hh-virt", "tk-hh-virt.elf", "", [("mod-e.bin", 5000, "", "")]),
        # -solaris: the DHCP ACK in the drives fields (tk.solaris=1 checks
        # them), as the stock module gives it (its case below); on its own
        # for an ELF32 whose OS ABI byte is 6, unless -nosolaris.
        Case("solaris", "tk-elf32.elf", "tk.solaris=1",
             [("mod-e.bin", 5000, "", "")], opts="-solaris"),
        Case("solaris-abi", "tk-solaris.elf", "tk.solaris=1", []),
        Case("nosolaris", "tk-solaris.elf", "tk.solaris=0", [],
             opts="-nosolaris"),
        Case("no-solaris", "tk-elf32.elf", "tk.solaris=0", []),
        # A ".gz" module holding an ELF file (Xen under tboot) is
        # decompressed as the stock module does, with no option; a gzip
        # initrd stays byte-exact; -nogunzip keeps the ELF one too.
        Case("gz-elf-module", "tk-elf32.elf", "", [
            ("kern-elf.gz", gz_elf, "", ""),
            ("mod-gz.gz", gz_module, "", "")],
             message=r"mboot: kern-elf\.gz: a gzip-compressed ELF image: decompressed"),
        Case("gz-elf-nogunzip", "tk-elf32.elf", "", [
            ("kern-elf.gz", gz_elf, "", "-nogunzip")],
             forbid=r"decompressed"),
        # -c FILE: a boot.cfg with 120 modules (far past the 2047
        # characters of an APPEND line); every module's length and CRC
        # checked by the kernel, and its string.
        bootcfg(Case("bootcfg-120", "tk-elf32.elf", "",
                     [("c%03d.bin" % i, 100 + 37 * i, "", "")
                      for i in range(120)], opts="-quiet")),
        # An ESXi kernel has no Multiboot header: the error says so.
        bootcfg(Case("bootcfg-noheader", "noheader.bin", expect="error",
                     message=r"mboot: error: noheader\.bin: no Multiboot header in the first 8192 bytes \(not a Multiboot kernel\)")),
        # -cat: a module of two files joined (a shared initrd and a
        # per-host overlay), each with its own digest; the kernel checks
        # the joined length and CRC.
        Case("cat", "tk-elf32.elf", "", [
            ("base.bin+host.bin", [("base.bin", random_bytes("base", 70000)),
                                   ("host.bin", random_bytes("host", 3001))],
             "", "-cat -sha256=@"),
            ("mod-e.bin", 5000, "", "")],
             message=r"mboot: base\.bin\+host\.bin: 2 files joined, 73001 bytes"),
        Case("cat-bad-sha", "tk-elf32.elf", "", [
            ("base.bin+host.bin", [("base.bin", random_bytes("base", 70000)),
                                   ("host.bin", random_bytes("host", 3001))],
             "", "-cat -sha256=@last-wrong")], expect="error",
             message=r"mboot: error: host\.bin: SHA-256 mismatch: expected @WRONG@, "
                     r"got @SHA(host.bin)@ \(over the 3001 bytes fetched\)"),
        # A kernel gzip of two members: ISIZE alone undercounts.
        Case("gzip-members", "tk-members.gz", "", [("mod-f.bin", 777, "", "")]),
        # 5 GiB: QEMU puts 2 GiB of it above 4 GiB; tk.highmem=1 makes
        # mmap.high fail unless fw_cfg shows that RAM and the map has all
        # of it as usable.
        Case("highmem", "tk-elf32.elf", "tk.highmem=1", [], mem="5G",
             message=r"mboot: warning: tk-elf32\.elf asks for page-aligned modules but none were given"),
        Case("mb2-highmem", "tk-mb2.elf", "tk.highmem=1", [], mem="5G",
             message=r"INFO protocol=mb2"),
        Case("many", "tk-elf32.elf", "",
             [("m%02d.bin" % i, 1000 + 37 * i, "", "") for i in range(40)]),
        Case("gunzip", "tk-elf32.elf", "", [("mod-gz.gz", gz_module, "", "-gunzip")]),
        Case("selftest", "tk-elf32.elf", "tk.selftest_fail=1", [],
             expect="kernel-fail", expect_fails={"selftest"}),
        Case("missing-kernel", None, expect="error",
             message=r"mboot: error: missing\.elf: file not found",
             line="mboot.c32 missing.elf a b --- x"),
        Case("missing-module", "tk-elf32.elf", expect="error",
             message=r"mboot: error: nosuch\.bin: file not found",
             line="mboot.c32 tk-elf32.elf --- nosuch.bin"),
        Case("no-header", "noheader.bin", expect="error",
             message=r"mboot: error: noheader\.bin: no Multiboot header in the first 8192 bytes",
             line="mboot.c32 noheader.bin"),
        Case("trailing-sep", "tk-elf32.elf", expect="error",
             message=r"mboot: error: module 1 is empty",
             line="mboot.c32 tk-elf32.elf a ---"),
        # Hostile kernels (qemu/badkernels.py): one clear line each.
        Case("bad-checksum", None, expect="error",
             message=r"mboot: error: bad-checksum\.elf: Multiboot header at offset \d+ has a bad checksum",
             line="mboot.c32 bad-checksum.elf"),
        Case("required-flag", None, expect="error",
             message=r"mboot: error: flag2\.elf: Multiboot header requires flag bit 2 \(video mode information; flags 0x00000007\)",
             line="mboot.c32 flag2.elf"),
        Case("segment-not-ram", None, expect="error",
             message=r"mboot: error: not-ram\.elf: segment 0xe0000000-0xe00\w+ is not inside usable RAM",
             line="mboot.c32 not-ram.elf"),
        Case("segment-low", None, expect="error",
             message=r"mboot: error: low\.elf: segment 0x00008000-0x000\w+ lies below 1 MiB",
             line="mboot.c32 low.elf"),
        Case("gzip-bad-crc", None, expect="error",
             message=r"mboot: error: bad-crc\.gz: gzip data error at compressed offset \d+: .*CRC",
             line="mboot.c32 bad-crc.gz"),
        Case("gzip-truncated", None, expect="error",
             message=r"mboot: error: truncated\.gz: (gzip data error at compressed offset \d+: unexpected end of input|gzip trailer claims \d+ bytes from \d+ compressed: the file is truncated or corrupt)",
             line="mboot.c32 truncated.gz"),
        Case("empty-kernel", None, expect="error",
             message=r"mboot: error: empty\.elf: file is empty",
             line="mboot.c32 empty.elf"),
        Case("line-too-long", "tk-elf32.elf", expect="error",
             message=r"cmdline too long",
             line="mboot.c32 tk-elf32.elf " + "x" * 2100),
        # -fallback=LABEL: the error, then the named label boots instead.
        Case("fallback", "tk-elf32.elf", "",
             message=r"mboot: error: missing\.elf: file not found(.|\n)*running fallback label \"rescue\"",
             line="mboot.c32 -fallback=rescue missing.elf",
             extra_cfg="LABEL rescue\n  KERNEL mboot.c32\n  APPEND tk-elf32.elf tk.name=tk-elf32.elf tk.mods=0\n"),
        # Nearly all of a small machine's RAM in one module, byte-exact.
        Case("big", "tk-elf32.elf", "", [("big.bin", 120 << 20, "", "")],
             mem=160),
        # Too big: refused from its size alone, before any byte is read
        # (the 200 MiB file is sparse; reading it would show a rate line).
        Case("out-of-memory", "tk-elf32.elf", expect="error", mem=128,
             message=r"mboot: error: huge\.bin: out of memory: needs 209715200 bytes",
             forbid=r"huge\.bin: \d+ bytes in",
             line="mboot.c32 tk-elf32.elf --- small.bin --- huge.bin"),
        # Multiboot 2 (tests/kernel: tk-mb2*.elf).  An image with only the
        # Multiboot 2 header is booted with Multiboot 2.
        Case("mb2", "tk-mb2.elf", "tk.loader=PXELINUX", [
            ("mod-m2a.bin", 70000, "first module", ""),
            ("mod-m2b.bin", 5, "", ""),
        ], message=r"INFO protocol=mb2",
             # No BIOS boot device tag (5): a network boot has no disk.
             forbid=r"^INFO tag 5 "),
        # Relocatable (tag 10: 16-256 MiB, 2 MiB aligned, preference high):
        # linked at 16 MiB, the ~1.2 MiB image must end up at the highest
        # 2 MiB boundary that keeps its end at or below 256 MiB.
        Case("mb2-reloc", "tk-mb2-reloc.elf", "", [("mod-m2c.bin", 30000, "", "")],
             message=r"INFO reloc delta=0xee00000 (.|\n)*"
                     r"PASS load_base load_base_addr=0xfe00000 kernel_start=0xfe00000"),
        # Both headers (like Xen): Multiboot 1 by default, 2 with -mb2.
        Case("mb2-both", "tk-mb2-both.elf", "", [("mod-m2d.bin", 4097, "", "")],
             message=r"INFO protocol=mb1"),
        Case("mb2-both-mb2", "tk-mb2-both.elf", "", [("mod-m2d.bin", 4097, "", "")],
             opts="-mb2", message=r"INFO protocol=mb2"),
        # The placement table (-v) tells the truth: every row checked
        # against what the kernel reports (module ranges, the information's
        # address, the map entries; Multiboot 2: the strings and memory map
        # inside the tags, the relocated load base).
        Case("table", "tk-elf32.elf", "", [
            ("mod-a.bin", 100000, "first module", ""),
            ("mod-b.bin", 3, "", ""),
        ], opts="-v", table=True),
        Case("table-mb2", "tk-mb2-reloc.elf", "", [
            ("mod-m2a.bin", 70000, "first module", ""),
            ("mod-m2b.bin", 5, "", ""),
        ], opts="-v", table=True),
        # Dry run (-n): the verdict and the table, back to boot:; then the
        # real line typed there boots and passes, with the same plan.
        Case("dry-run", "tk-elf32.gz", "", [
            ("mod-a.bin", 100000, "first module", ""),
            ("mod-gz.gz", gz_module, "", "-gunzip"),
        ], opts="-v", dry_first=True),
        Case("dry-run-mb2", "tk-mb2.elf", "", [("mod-m2c.bin", 30000, "", "")],
             opts="-v", dry_first=True),
        # A dry run of a broken entry: the error, no verdict, boot: again.
        Case("dry-run-oom", "tk-elf32.elf", expect="error", mem=128,
             message=r"mboot: error: huge\.bin: out of memory: needs 209715200 bytes",
             forbid=r"dry run:|huge\.bin: \d+ bytes in",
             line="mboot.c32 -n tk-elf32.elf --- small.bin --- huge.bin"),
        Case("dry-run-missing", "tk-elf32.elf", expect="error",
             message=r"mboot: error: nosuch\.bin: file not found",
             forbid=r"dry run:",
             line="mboot.c32 -dry-run tk-elf32.elf --- nosuch.bin"),
        # A dry run never boots, not even its -fallback label.
        Case("dry-run-fallback", "tk-elf32.elf", expect="error",
             message=r"mboot: error: missing\.elf: file not found(.|\n)*"
                     r"mboot: dry run: would run fallback label \"rescue\"",
             forbid=r"running fallback label|TK START",
             line="mboot.c32 -n -fallback=rescue missing.elf",
             extra_cfg="LABEL rescue\n  KERNEL mboot.c32\n  APPEND tk-elf32.elf tk.name=tk-elf32.elf tk.mods=0\n"),
        # An ACPI 2.0 RSDP (revision 2) in the EBDA (QEMU 7.2's SeaBIOS
        # tables are revision 0 on pc and q35 alike; RSDP2_ROM puts one
        # there): tag 14 and tag 15 must both carry it.
        Case("mb2-acpi2", "tk-mb2.elf", "", [("mod-m2c.bin", 30000, "", "")],
             option_rom="rsdp2.rom",
             message=r"^INFO tag 15 size=44 (.|\n)*"
                     r"^PASS acpi\.rsdp sig=ok sum=0x0 rev=2 (.|\n)*"
                     r"^PASS acpi\.rsdp2 sig=ok length=36 sum=0x0 ext_sum=0x0 rev=2 "),
        # A required EFI boot services tag cannot be honoured on BIOS.
        Case("mb2-efi", "tk-mb2-efi.elf", expect="error",
             message=r"mboot: error: tk-mb2-efi\.elf: Multiboot2 header tag 7 \(EFI boot services\) is not marked optional: the kernel requires EFI boot services",
             line="mboot.c32 tk-mb2-efi.elf"),
        # -sha256=HEX (ours only): right digests on a gzip kernel (streamed),
        # a module read into place, a -gunzip module (read whole, digest of
        # the compressed bytes); the option never reaches a command line
        # (the kernel checks its own and every module string).
        Case("sha256", "tk-elf32.gz", "", [
            ("mod-s1.bin", 70000, "", "-sha256=@upper"),
            ("mod-gz.gz", gz_module, "", "-gunzip -sha256=@"),
            ("mod-s3.bin", 5, "", ""),
        ], opts="-sha256=@",
             message=r"mboot: tk-elf32\.gz: SHA-256 matches(.|\n)*"
                     r"mboot: mod-gz\.gz: SHA-256 matches(.|\n)*"
                     r"mboot: mod-s1\.bin: SHA-256 matches"),
        # Wrong digests: the message, nothing booted, back to boot:.
        # (The plain kernel's right digest: checked on the streamed read.)
        Case("sha256-bad-module", "tk-elf32.elf", "", [
            ("mod-s1.bin", 70000, "", "-sha256=@"),
            ("mod-s4.bin", 40000, "", "-sha256=@wrong"),
        ], opts="-sha256=@", expect="error",
             message=r"mboot: tk-elf32\.elf: SHA-256 matches(.|\n)*"
                     r"mboot: error: mod-s4\.bin: SHA-256 mismatch: expected @WRONG@, "
                     r"got @SHA(mod-s4.bin)@ \(over the @LEN(mod-s4.bin)@ bytes fetched\)"),
        Case("sha256-bad-gunzip", "tk-elf32.elf", "", [
            ("mod-gz.gz", gz_module, "", "-gunzip -sha256=@wrong"),
        ], expect="error",
             message=r"mboot: error: mod-gz\.gz: SHA-256 mismatch: expected @WRONG@, "
                     r"got @SHA(mod-gz.gz)@ \(over the @LEN(mod-gz.gz)@ bytes fetched\)"),
        # The kernel is checked before any module is read.
        Case("sha256-bad-kernel", "tk-elf32.gz", "", [("mod-s5.bin", 3000, "", "")],
             opts="-sha256=@wrong", expect="error",
             message=r"mboot: error: tk-elf32\.gz: SHA-256 mismatch: expected @WRONG@, "
                     r"got @SHA(tk-elf32.gz)@ \(over the @LEN(tk-elf32.gz)@ bytes fetched\)",
             forbid=r"mod-s5\.bin: \d+ bytes in"),
        # -quiet: no mboot line at all on a boot that succeeds, though
        # this kernel without modules draws the page-aligned warning
        # (case highmem) and every file a summary line.
        Case("quiet", "tk-elf32.elf", "", [], opts="-quiet", forbid=r"mboot:"),
        # The plan comes after the kernel and every -gunzip module have
        # been downloaded (their sizes are needed): the out-of-memory
        # refusal follows their summary lines, but precedes any byte of
        # the plain module that does not fit.
        Case("out-of-memory-gunzip", "tk-elf32.elf", "", [
            ("mod-gz.gz", gz_module, "", "-gunzip"),
            ("huge.bin", None, "", ""),
        ], expect="error", mem=128,
             message=r"^mboot: tk-elf32\.elf: \d+ bytes in (.|\n)*"
                     r"^mboot: mod-gz\.gz: \d+ bytes in (.|\n)*"
                     r"^mboot: error: huge\.bin: out of memory: needs 209715200 bytes",
             forbid=r"huge\.bin: \d+ bytes in"),
        # IPAPPEND 1, 2, 3: the strings PXELINUX appends to the label's
        # line (so to the last module) go to the first module that is a
        # Linux bzImage (here the second: the first is not one); a
        # look-alike typed at the end of the APPEND line stays where it
        # was typed; with no Linux kernel they go to the Multiboot kernel;
        # -ipappend=keep leaves them on the last module.
        Case("ipappend-1", "tk-elf32.elf", "", [
            ("bz.bin", fake_bzimage("bz", 9000), "console=hvc0", ""),
            ("initrd.bin", 5000, "", ""),
        ], ipappend=1, ipappend_to=0,
             message=r'mboot: IPAPPEND strings "ip=10\.0\.2\.15:[^"]*" go to module 1 bz\.bin'),
        Case("ipappend-2", "tk-elf32.elf", "", [
            ("notbz.bin", 3000, "", ""),
            ("bz.bin", fake_bzimage("bz", 9000), "console=hvc0", ""),
            ("initrd.bin", 5000, "BOOTIF=01-aa-bb-cc-dd-ee-ff", ""),
        ], ipappend=2, ipappend_to=1),
        Case("ipappend-3", "tk-elf32.elf", "", [
            ("bz.bin", fake_bzimage("bz", 9000), "console=hvc0", ""),
            ("initrd.bin", 5000, "", ""),
        ], ipappend=3, ipappend_to=0),
        Case("ipappend-nolinux", "tk-elf32.elf", "", [
            ("notbz.bin", 3000, "", ""), ("initrd.bin", 5000, "", ""),
        ], ipappend=3, ipappend_to="kernel"),
        Case("ipappend-keep", "tk-elf32.elf", "", [
            ("bz.bin", fake_bzimage("bz", 9000), "console=hvc0", ""),
            ("initrd.bin", 5000, "", ""),
        ], opts="-ipappend=keep", ipappend=3, ipappend_to=1),
        # -c boot.cfg: the parts come from the file; -ipappend=1 on the
        # line names its first module (auto would take bz.bin).
        with_line_opts(bootcfg(Case("ipappend-bootcfg", "tk-elf32.elf", "", [
            ("notbz.bin", 3000, "", ""),
            ("bz.bin", fake_bzimage("bz", 9000), "console=hvc0", ""),
            ("initrd.bin", 5000, "", ""),
        ], ipappend=3, ipappend_to=0)), "-ipappend=1"),
        # A part that does not exist: refused before any download.
        Case("ipappend-bad-part", "tk-elf32.elf", "", [
            ("bz.bin", fake_bzimage("bz", 9000), "", ""),
        ], opts="-ipappend=2", ipappend=2, expect="error",
             message=r"mboot: error: -ipappend=2: there is no module 2 \(the line has the kernel and 1 module\)",
             forbid=r"bytes in"),
        Case("sha256-bad-hex", "tk-elf32.elf", expect="error",
             message=r"mboot: error: -sha256 for module 1 has 63 hex digits; a SHA-256 digest has 64",
             line="mboot.c32 tk-elf32.elf --- -sha256=" + "0" * 63 + " x.bin"),
    ]
    stock = []
    for c in ours[:5] + [c for c in ours if c.name in ("big", "hh-phys")]:
        s = Case(c.name, c.kernel, c.kargs, c.modules, c.mem, loader="stock",
                 expect_fails=STOCK_EXPECTED_FAILS.get(c.name, set()))
        stock.append(s)
    # The stock module knows no Multiboot 2: it loads tk-mb2.elf's ELF
    # segments anyway (no Multiboot 1 header needed) and enters it with the
    # Multiboot 1 magic and information.
    # The stock module leaves the strings where PXELINUX put them: on
    # the last module, where no kernel reads them.
    ip3 = [c for c in ours if c.name == "ipappend-3"][0]
    stock.append(Case(ip3.name, ip3.kernel, ip3.kargs, ip3.modules,
                      loader="stock", ipappend=3, ipappend_to=1,
                      expect_fails={"seg.fs", "seg.gs"}))
    mb2 = [c for c in ours if c.name == "mb2"][0]
    stock.append(Case("mb2", mb2.kernel, mb2.kargs, mb2.modules, loader="stock",
                      expect="kernel-fail", message=r"INFO protocol=mb1",
                      expect_fails=STOCK_EXPECTED_FAILS["mb2"]))
    # The stock module's -solaris gives the same ACK (the test kernel's
    # solaris check passes).
    sol = [c for c in ours if c.name == "solaris"][0]
    stock.append(Case("solaris", sol.kernel, sol.kargs, sol.modules,
                      loader="stock", opts=sol.opts,
                      expect_fails=STOCK_EXPECTED_FAILS["solaris"]))
    # Its -nosolaris never worked: "-no" is stripped and "solaris" is
    # compared with "-solaris", so the word is taken as the kernel's name.
    stock.append(Case("nosolaris", "tk-solaris.elf", "tk.solaris=0", [],
                      loader="stock", opts="-nosolaris", expect="error",
                      message=r"Loading -nosolaris\.\.\. failed"))
    return ours + stock


# Where SYSLINUX's stock mboot.c32 is known to differ (measured).
STOCK_EXPECTED_FAILS = {
    "elf32": {"seg.fs", "seg.gs"},
    "high": {"seg.fs", "seg.gs"},
    "aout": {"seg.fs", "seg.gs"},
    # The stock module gunzips every gzip file, modules included, so the
    # kernel gets different bytes (and length) than the file on the server.
    "gzip": {"seg.fs", "seg.gs", "mod0.len", "mod0.crc"},
    "elf64": {"seg.fs", "seg.gs"},
    "big": {"seg.fs", "seg.gs"},
    "hh-phys": {"seg.fs", "seg.gs"},
    "solaris": {"seg.fs", "seg.gs"},
    # Booted with Multiboot 1 (EAX 0x2BADB002) though it has only a
    # Multiboot 2 header; the kernel then checks the Multiboot 1 MBI.
    "mb2": {"magic", "seg.fs", "seg.gs"},
}


# An option ROM for SeaBIOS whose init routine copies a revision 2 ACPI
# RSDP (RSDT and XSDT addresses 0: the test kernel checks the structure,
# not the tables) to offset 0x200 of the EBDA, the first place the ACPI
# specification has a BIOS keep one, so it is found before SeaBIOS's own
# (revision 0, in the F segment).  SeaBIOS's EBDA data ends at 0x121 of
# its first KiB, and it copies the whole EBDA when it moves it.
# write_fixtures fills in the checksums.
RSDP2_ROM = """
        bits 16
        org 0
        db 0x55, 0xAA, 1                ; signature, size in 512-byte units
        jmp init                        ; offset 3: called at POST
init:   pushf
        push ds
        push es
        push si
        push di
        push cx
        push ax
        cld
        xor ax, ax
        mov ds, ax
        mov ax, [0x40E]                 ; the EBDA's segment (BIOS data area)
        mov es, ax
        mov di, 0x200
        push cs
        pop ds
        mov si, rsdp
        mov cx, 36
        rep movsb
        pop ax
        pop cx
        pop di
        pop si
        pop es
        pop ds
        popf
        retf
        align 16
rsdp:   db "RSD PTR "
        db 0                            ; checksum of bytes 0-19
        db "MBOOTT"                     ; OEM ID
        db 2                            ; revision
        dd 0                            ; RSDT address
        dd 36                           ; length
        dq 0                            ; XSDT address
        db 0                            ; checksum of all 36 bytes
        db 0, 0, 0
        times 512 - ($ - $$) db 0
"""


def write_rsdp2_rom(path):
    """Assemble RSDP2_ROM into @path with its RSDP checksums and the
    ROM's own (all 512 bytes summing to 0) filled in."""
    src = path + ".asm"
    with open(src, "w") as f:
        f.write(RSDP2_ROM)
    subprocess.run(["nasm", "-f", "bin", src, "-o", path + ".tmp"], check=True)
    with open(path + ".tmp", "rb") as f:
        rom = bytearray(f.read())
    os.unlink(path + ".tmp")
    o = rom.find(b"RSD PTR ")
    rom[o + 8] = -sum(rom[o:o + 20]) & 0xff
    rom[o + 32] = -sum(rom[o:o + 36]) & 0xff
    rom[511] = -sum(rom[:511]) & 0xff
    with open(path, "wb") as f:
        f.write(rom)


def higher_half(elf, offset, virtual_entry):
    """@elf (an ELF32 test kernel linked at its physical addresses) as a
    higher-half link would describe it: every PT_LOAD's p_vaddr moved up
    by @offset (p_paddr kept, so the same bytes load at the same place and
    the code, which runs with paging off, is unchanged).  e_entry becomes
    virtual (entry + @offset) when @virtual_entry, else stays physical:
    the two conventions higher-half kernels are linked with (issue 20)."""
    k = bytearray(elf)
    phoff, = struct.unpack_from("<I", k, 28)
    phentsize, phnum = struct.unpack_from("<HH", k, 42)
    for i in range(phnum):
        at = phoff + i * phentsize
        ptype, _, vaddr = struct.unpack_from("<III", k, at)
        if ptype == 1:
            struct.pack_into("<I", k, at + 8, vaddr + offset)
    if virtual_entry:
        entry, = struct.unpack_from("<I", k, 24)
        struct.pack_into("<I", k, 24, entry + offset)
    return bytes(k)


def write_fixtures(build):
    """Write the generated files the cases name (bad kernels, a two-member
    gzip kernel, huge/small modules, a kernel with no header) into
    BUILD/boottest/data; also used by tests/checker/checktest.py."""
    data = os.path.join(build, "boottest", "data")
    os.makedirs(data, exist_ok=True)
    badkernels.write_all(os.path.join(build, "tk", "tk-elf32.elf"), data)
    with open(os.path.join(build, "tk", "tk-elf32.elf"), "rb") as f:
        k = f.read()
    with open(os.path.join(data, "tk-members.gz"), "wb") as f:  # 2 members
        f.write(gzip.compress(k[:5000], 9, mtime=0) +
                gzip.compress(k[5000:], 9, mtime=0))
    for name, virt in (("tk-hh-phys.elf", False), ("tk-hh-virt.elf", True)):
        with open(os.path.join(data, name), "wb") as f:
            f.write(higher_half(k, 0xC0000000, virt))
    with open(os.path.join(data, "tk-solaris.elf"), "wb") as f:
        f.write(k[:7] + bytes([6]) + k[8:])  # OS ABI: Solaris
    with open(os.path.join(data, "huge.bin"), "wb") as f:
        f.truncate(200 << 20)
    with open(os.path.join(data, "small.bin"), "wb") as f:
        f.write(b"small module\n")
    write_rsdp2_rom(os.path.join(data, "rsdp2.rom"))
    with open(os.path.join(data, "noheader.bin"), "wb") as f:
        f.write(random_bytes("noheader", 20000).replace(b"\x02\xb0\xad\x1b", b"xxxx"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", help="regex of case names to run")
    ap.add_argument("--loader", choices=["ours", "stock", "both"], default="both")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("-v", action="store_true", help="stream consoles")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    write_fixtures(build)
    todo = [c for c in cases()
            if (args.loader == "both" or c.loader == args.loader)
            and (not args.only or re.search(args.only, c.name))]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.j) as ex:
        for ok, summary, _ in ex.map(lambda c: run_case(c, build, args.v), todo):
            print(summary, flush=True)
            passed += ok
            failed += not ok
    print("boot: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
