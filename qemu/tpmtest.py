#!/usr/bin/env python3
"""tpmtest.py - measured boot (issue 21) under QEMU with a software TPM.

Every measured case boots mboot.c32 with a fresh swtpm TPM 2.0 (QEMU
tpm-tis, qemu/pxeboot.py SwTpm), and the test kernel reads PCR 8 and 9
through the TPM's TIS interface and dumps the firmware's event log
(tests/kernel/tis.h: tk-elf32.elf with tk.tpm=2 on BIOS, tk-tpm64.bin on
UEFI).  Those PCRs must equal what `mboot-check --pcrs` computes from the
same files and line; the log (cut where its last record ends) must parse
with tpm2_eventlog, replay to the same PCR 8 and 9 (SHA-256 bank), and
hold mboot's records: EV_IPL, the file name or "kernel_cmdline: ..." /
"module_cmdline: ..." as text, the checker's digests.

  bios-measured     SeaBIOS: a kernel and a module, measured as predicted
  bios-module-byte  one byte of the module changed: PCR 9 changes (to the
                    prediction), PCR 8 does not
  bios-argument     one argument changed: PCR 8 changes, PCR 9 does not
  bios-notpm        no TPM: "nothing was measured", the kernel starts
  bios-required     no TPM and -tpm-required: the error, nothing booted
  bios-dryrun       -n with the TPM: the measurements it would make are
                    the checker's, line for line
  bios-gzip         tk-elf32.gz and a -gunzip module: PCR 9 covers the
                    files as the server has them (compressed)
  efi-measured      OVMF (Debian's OVMF_CODE.fd has EFI_TCG2_PROTOCOL):
                    as bios-measured, the log from GetEventLog
  efi-changed       OVMF, one module byte changed: PCR 9 changes, PCR 8
                    does not
  efi-gzip          OVMF, a gzip kernel and a -gunzip module (the bytes
                    as fetched are kept for HashLogExtendEvent)
  efi-notpm         OVMF without a TPM: "nothing was measured", the
                    kernel starts

Prints "PASS/FAIL <case>" lines and "tpm: N passed, M failed, K skipped"
(every case is skipped when swtpm or tpm2_eventlog is missing).

--cost MIB (not in make check): what measuring a module of MIB MiB costs
at the TPM step on each firmware - the console time from the kernel's
command line's measurement to the module's (-v prints one line each):
the firmware's second pass over the module on UEFI, none on BIOS.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import gzip
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pxeboot  # noqa: E402
import uefi  # noqa: E402

MODULE_SIZE = 5000
EV_IPL = 0x0d
SHA256 = 0x000b


def module_bytes():
    """The module: fixed pseudo-random bytes (the same in every run)."""
    out, x = bytearray(), 12345
    while len(out) < MODULE_SIZE:
        x = (x * 1103515245 + 12345) & 0x7fffffff
        out.append((x >> 16) & 0xff)
    return bytes(out)


def margs(data):
    """The test kernel's check arguments for a module holding @data."""
    return "len=%d crc=%08x" % (len(data), zlib.crc32(data) & 0xffffffff)


def predict(build, root, line):
    """mboot-check --pcrs for @line over @root: (events, pcr8, pcr9),
    events as (pcr, hex digest, text)."""
    out = subprocess.run([os.path.join(build, "mboot-check"), "--pcrs",
                          "--line", line, root], capture_output=True,
                         text=True).stdout
    events = [(int(m.group(1)), m.group(2), m.group(3)) for m in
              re.finditer(r'^mboot-check: measure: PCR (\d+) sha256 '
                          r'([0-9a-f]{64}) "(.*)"$', out, re.M)]
    pcr = dict(re.findall(r"^mboot-check: expected PCR (\d) sha256 "
                          r"([0-9a-f]{64})$", out, re.M))
    return events, pcr.get("8"), pcr.get("9")


def read_pcrs(b):
    """PCR 8 and 9 as the test kernel printed them."""
    pcr = dict(re.findall(r"TK PCR (\d) sha256 ([0-9a-f]{64})", b.text))
    return pcr.get("8"), pcr.get("9")


def log_bytes(b):
    """The event log the test kernel dumped, and the offset of its last
    record (UEFI's GetEventLog says; None on BIOS)."""
    data = b"".join(bytes.fromhex(h) for h in
                    re.findall(r"TK TPMLOG ([0-9a-f]+)$", b.text, re.M))
    m = re.search(r"TK TPMLOG-LAST ([0-9a-f]+)", b.text)
    return data, int(m.group(1), 16) if m else None


def parse_log(data, last):
    """Walk the crypto-agile log: the Spec ID record, then TCG_PCR_EVENT2
    records up to the one at @last (UEFI), or until a record of zeros
    (BIOS: the area after the log is zero).  Returns (end offset,
    [(pcr, type, {alg: digest}, event bytes)])."""
    ev_size = struct.unpack_from("<I", data, 28)[0]
    spec = data[32:32 + ev_size]
    assert spec.startswith(b"Spec ID Event03\0"), "no Spec ID event"
    nalg = struct.unpack_from("<I", spec, 24)[0]
    sizes = dict(struct.unpack_from("<HH", spec, 28 + 4 * k)
                 for k in range(nalg))
    off, recs = 32 + ev_size, []
    while off + 12 <= len(data):
        start = off
        pcr, typ, count = struct.unpack_from("<III", data, off)
        if last is None and pcr == 0 and typ == 0 and count == 0:
            break
        off += 12
        digests = {}
        for _ in range(count):
            alg = struct.unpack_from("<H", data, off)[0]
            digests[alg] = data[off + 2:off + 2 + sizes[alg]]
            off += 2 + sizes[alg]
        n = struct.unpack_from("<I", data, off)[0]
        recs.append((pcr, typ, digests, data[off + 4:off + 4 + n]))
        off += 4 + n
        if last is not None and start >= last:
            break
    return off, recs


def replay(recs, index):
    """PCR @index's SHA-256 value from the log's records."""
    v = bytes(32)
    for pcr, _, digests, _ in recs:
        if pcr == index and SHA256 in digests:
            v = hashlib.sha256(v + digests[SHA256]).digest()
    return v.hex()


class Result:
    def __init__(self, name):
        self.name, self.problems, self.notes = name, [], []

    def need(self, ok, what):
        if not ok:
            self.problems.append(what)
        return ok


def check_log(res, b, events, pcr8, pcr9, workdir):
    """The dumped log: tpm2_eventlog parses it, it replays to the PCRs
    read, and mboot's records are the checker's events, in order."""
    data, last = log_bytes(b)
    if not res.need(len(data) > 64, "no event log dumped"):
        return
    try:
        end, recs = parse_log(data, last)
    except (AssertionError, KeyError, struct.error) as e:
        res.need(False, "event log unreadable: %r" % e)
        return
    path = os.path.join(workdir, res.name + ".eventlog")
    with open(path, "wb") as f:
        f.write(data[:end])
    p = subprocess.run(["tpm2_eventlog", path], capture_output=True,
                       text=True)
    res.need(p.returncode == 0, "tpm2_eventlog: exit %d: %s" % (
        p.returncode, p.stderr.strip()[-200:]))
    res.need(replay(recs, 8) == pcr8 and replay(recs, 9) == pcr9,
             "the log does not replay to PCR 8/9 read")
    ours = [(pcr, d[SHA256].hex(), ev.rstrip(b"\0").decode("latin-1"))
            for pcr, typ, d, ev in recs
            if pcr in (8, 9) and typ == EV_IPL and SHA256 in d]
    res.need(ours == events, "log records %r, checker %r" % (ours, events))
    res.notes.append("log %d bytes, %d records, tpm2_eventlog ok" %
                     (end, len(recs)))


def boot(args, firmware, name, line, files, tpm=True, stops=(
        r"TK VERDICT", r"mboot: error:")):
    """One boot of @line with @files; returns the pxeboot.Boot."""
    root = os.path.join(args.work, "tftp-" + name)
    logp = os.path.join(args.work, name + ".log")
    tpmdir = os.path.join(args.work, "swtpm-" + name)
    loader = os.path.join(args.build, "mboot.c32" if firmware == "bios"
                          else "efi64/mboot.c32")
    swtpm = pxeboot.SwTpm(tpmdir) if tpm else None
    extra = swtpm.tpm_args() if swtpm else []
    try:
        if firmware == "bios":
            pxeboot.make_tftp_root(root, loader, files, "mboot.c32 " + line)
            cmd = pxeboot.qemu_command(root, extra=extra)
            b = pxeboot.run(cmd, 120, stops, echo=args.echo, log_path=logp)
        else:
            uefi.make_tftp_root(root, loader, files, "mboot.c32 " + line)
            b = uefi.boot(root, 180, stops, echo=args.echo, log_path=logp,
                          extra=extra)
    finally:
        if swtpm:
            swtpm.stop()
    b.root = root
    return b


def measured(args, firmware, name, kernel, kargs, mod, want=None,
             line_mod=None, gzip_mod=False):
    """A measured boot; the PCRs read must be the checker's (and differ
    from, or equal, those of @want as its keys say).  The module's
    arguments are those of @line_mod (default @mod): another module's,
    so that only the file changes (the test kernel's CRC check of it then
    fails, and only that).  @gzip_mod: the server has it gzip-compressed
    as mod.gz, loaded with -gunzip (the kernel checks the decompressed
    bytes; PCR 9 must cover the compressed file).  Returns (Result, pcr8,
    pcr9)."""
    res = Result(name)
    mname = "mod.gz" if gzip_mod else "mod.bin"
    line = "-v %s %s --- %s%s %s" % (kernel[0], kargs,
                                     "-gunzip " if gzip_mod else "", mname,
                                     margs(line_mod or mod))
    modpath = os.path.join(args.work, name + ".mod")
    with open(modpath, "wb") as f:
        f.write(gzip.compress(mod, mtime=0) if gzip_mod else mod)
    b = boot(args, firmware, name, line, {kernel[0]: kernel[1],
                                          mname: modpath})
    events, e8, e9 = predict(args.build, b.root, line)
    p8, p9 = read_pcrs(b)
    res.need(bool(events) and e8 and e9, "mboot-check --pcrs gave nothing")
    fails = re.findall(r"^FAIL (\S+)", b.text, re.M)
    res.need("TK VERDICT" in b.text and fails == (
        ["mod0.crc"] if line_mod and firmware == "bios" else []),
        "kernel checks failed: %s (%s)" % (fails, b.reason))
    res.need(p8 is not None, "PCRs not read")
    res.need(p8 == e8, "PCR 8 %s, checker %s" % (p8, e8))
    res.need(p9 == e9, "PCR 9 %s, checker %s" % (p9, e9))
    res.need(re.search(r"mboot: measured 2 files and 2 command lines", b.text),
             "no 'measured' line")
    if gzip_mod or kernel[0].endswith(".gz"):
        res.need(re.search(r"decompressed", b.text), "nothing decompressed")
    for pcr, value, same in (want or {}).get("pcrs", ()):
        got = p8 if pcr == 8 else p9
        res.need((got == value) == same, "PCR %d %s the earlier boot's" % (
            pcr, "differs from" if same else "equals"))
    check_log(res, b, events, p8, p9, args.work)
    res.notes.append("PCR 8 %s.. PCR 9 %s.." % ((p8 or "?")[:12],
                                                 (p9 or "?")[:12]))
    return res, p8, p9


def notpm(args, firmware, name, kernel, kargs):
    """No TPM: one line says nothing was measured and the kernel boots."""
    res = Result(name)
    b = boot(args, firmware, name, "%s %s" % (kernel[0], kargs),
             {kernel[0]: kernel[1]}, tpm=False)
    res.need(re.search(r"^mboot: nothing was measured: no TPM 2\.0 \(",
                       b.text, re.M), "no 'nothing was measured' line")
    res.need("TK START" in b.text, "the kernel did not start (%s)" %
             b.reason)
    return res


def required(args, kernel):
    """No TPM with -tpm-required: the error, and nothing booted."""
    res = Result("bios-required")
    b = boot(args, "bios", "bios-required", "-tpm-required %s" % kernel[0],
             {kernel[0]: kernel[1]}, tpm=False,
             stops=(r"TK START", r"^boot: *$"))
    res.need(re.search(r"^mboot: error: -tpm-required: no TPM 2\.0 to measure "
                       r"into \(.+\)$",
                       b.text, re.M), "no -tpm-required error")
    res.need("TK START" not in b.text, "the kernel was started")
    return res


def dryrun(args, kernel, mod):
    """-n with a TPM: the dry run lists the checker's measurements."""
    res = Result("bios-dryrun")
    modpath = os.path.join(args.work, "bios-dryrun.mod")
    with open(modpath, "wb") as f:
        f.write(mod)
    line = "-n %s x=1 --- mod.bin y=2" % kernel[0]
    b = boot(args, "bios", "bios-dryrun", line,
             {kernel[0]: kernel[1], "mod.bin": modpath},
             stops=(r"^mboot: dry run: .* would boot", r"mboot: error:"))
    events, _, _ = predict(args.build, b.root, line)
    got = [(int(p), d, t) for p, d, t in re.findall(
        r'^mboot: dry run: would measure: PCR (\d+) sha256 ([0-9a-f]{64}) '
        r'"(.*)"$', b.text, re.M)]
    res.need(events and got == events, "dry run %r, checker %r" % (got,
                                                                  events))
    res.need(re.search(r"mboot: dry run: TPM 2\.0 via the TCG BIOS "
                       r"interface.*: 4 measurements would be made", b.text),
             "no dry run TPM line")
    return res


def cost(args, mib):
    """--cost: the time the module's measurement takes on each firmware."""
    big = os.urandom(mib << 20)
    for fw, k in (("bios", ("tk-elf32.elf", "tk-elf32.elf")),
                  ("efi", ("tk-tpm64.bin", "tk-tpm64.bin"))):
        r, _, _ = measured(args, fw, fw + "-cost", (
            k[0], os.path.join(args.build, "tk", k[1])), "tk.tpm=1", big)
        with open(os.path.join(args.work, fw + "-cost.log")) as f:
            t = [float(m.group(1)) for m in re.finditer(
                r"^\[\s*([\d.]+)\] mboot: measured: PCR", f.read(), re.M)]
        ok = len(t) == 4 and not [p for p in r.problems
                                  if "log" not in p]
        print("%s: module of %d MiB: its measurement took %.2f s%s" % (
            fw, mib, t[2] - t[1] if len(t) == 4 else -1,
            "" if ok else " (boot failed: %s)" % "; ".join(r.problems)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", action="append", help="run these cases")
    ap.add_argument("--echo", action="store_true")
    ap.add_argument("--cost", type=int, metavar="MIB",
                    help="time the measurement of a MIB MiB module instead")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.work = os.path.join(args.build, "tpm")
    os.makedirs(args.work, exist_ok=True)
    if args.cost:
        cost(args, args.cost)
        return 0
    names = ["bios-measured", "bios-module-byte", "bios-argument",
             "bios-notpm", "bios-required", "bios-dryrun", "bios-gzip",
             "efi-measured", "efi-changed", "efi-gzip", "efi-notpm"]
    run = [n for n in names if not args.only or n in args.only]
    missing = [t for t in ("swtpm", "tpm2_eventlog") if not shutil.which(t)]
    if missing:
        for n in run:
            print("SKIP %s (%s not installed)" % (n, ", ".join(missing)))
        print("tpm: 0 passed, 0 failed, %d skipped" % len(run))
        return 0
    tk = os.path.join(args.build, "tk")
    bios_k = ("tk-elf32.elf", os.path.join(tk, "tk-elf32.elf"))
    efi_k = ("tk-tpm64.bin", os.path.join(tk, "tk-tpm64.bin"))
    mod = module_bytes()
    changed = bytearray(mod)
    changed[1234] ^= 0x01
    changed = bytes(changed)
    results, base = [], {}

    def want(n):
        return n in run

    if want("bios-measured") or want("bios-module-byte") or \
            want("bios-argument"):
        r, p8, p9 = measured(args, "bios", "bios-measured", bios_k,
                             "tk.tpm=2", mod)
        base["bios"] = (p8, p9)
        if want("bios-measured"):
            results.append(r)
    if want("bios-module-byte"):
        p8, p9 = base["bios"]
        results.append(measured(args, "bios", "bios-module-byte", bios_k,
                                "tk.tpm=2", changed,
                                {"pcrs": ((8, p8, True), (9, p9, False))},
                                line_mod=mod)[0])
    if want("bios-argument"):
        p8, p9 = base["bios"]
        results.append(measured(args, "bios", "bios-argument", bios_k,
                                "tk.tpm=2 other=1", mod,
                                {"pcrs": ((8, p8, False), (9, p9, True))})[0])
    if want("bios-notpm"):
        results.append(notpm(args, "bios", "bios-notpm", bios_k, ""))
    if want("bios-required"):
        results.append(required(args, bios_k))
    if want("bios-dryrun"):
        results.append(dryrun(args, bios_k, mod))
    if want("bios-gzip"):
        results.append(measured(args, "bios", "bios-gzip", (
            "tk-elf32.gz", os.path.join(tk, "tk-elf32.gz")), "tk.tpm=2",
            mod, gzip_mod=True)[0])
    if want("efi-measured") or want("efi-changed"):
        r, p8, p9 = measured(args, "efi", "efi-measured", efi_k, "a=b", mod)
        if want("efi-measured"):
            results.append(r)
        if want("efi-changed"):
            results.append(measured(
                args, "efi", "efi-changed", efi_k, "a=b", changed,
                {"pcrs": ((8, p8, True), (9, p9, False))}, line_mod=mod)[0])
    if want("efi-gzip"):
        kgz = os.path.join(args.work, "tk-tpm64.bin.gz")
        with open(efi_k[1], "rb") as f, open(kgz, "wb") as g:
            g.write(gzip.compress(f.read(), mtime=0))
        results.append(measured(args, "efi", "efi-gzip", (
            "tk-tpm64.gz", kgz), "a=b", mod, gzip_mod=True)[0])
    if want("efi-notpm"):
        results.append(notpm(args, "efi", "efi-notpm", efi_k, ""))
    passed = 0
    for r in results:
        ok = not r.problems
        passed += ok
        print("%s %s%s" % ("PASS" if ok else "FAIL", r.name,
                           ": " + "; ".join(r.problems + r.notes)))
    print("tpm: %d passed, %d failed" % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
