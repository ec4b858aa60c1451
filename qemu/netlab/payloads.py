"""payloads.py - what the lab's clients boot, and how a boot is judged.

TkPayload: the conformance test kernel (tests/kernel, PROTOCOL.md) with a
few MB of random modules whose length and CRC-32 the kernel checks, so every
client proves that each module arrived byte-exact.  Ends with the kernel's
verdict (it stops QEMU through isa-debug-exit).

XenPayload: Debian's Xen 4.17 + dom0 kernel + the busybox initrd of
qemu/xen/demo.py, whose /init md5-checks the initrd (MBOOT-INITRD-OK) after
printing the userspace marker; judged by demo.analyse.

Both give: the files of the boot root, the pxelinux.cfg DEFAULT line (file
names prefixed for HTTP), the QEMU memory and CPU, the file whose transfer
triggers a dnsmasq restart, a stop rule and a judgement per client.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import random
import re
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
QEMU_DIR = os.path.dirname(HERE)
sys.path.insert(0, QEMU_DIR)
sys.path.insert(0, os.path.join(QEMU_DIR, "xen"))
import boottest  # noqa: E402  (parse_kernel)
import demo  # noqa: E402  (qemu/xen/demo.py)

RE_PROMPT = re.compile(r"^boot: *$")
RE_BOOT_FAILED = re.compile(r"^Boot failed")
# The loader's own lines worth keeping (not its in-place progress redraws).
RE_LOADER = re.compile(r"mboot|Loading |(?i:retr|fail|error|timed? ?out|abort|"
                       r"giv(e|ing) up|resum|stall)")
RE_PROGRESS = re.compile(r"\d+ / \d+ bytes +\d+%")


def loader_messages(client, kernel_rx):
    """The loader's lines on @client's console before the first line
    matching @kernel_rx (the kernel's own output), progress redraws left
    out, repeats folded; at most 40 (first and last 20)."""
    out = []
    for t, line in client.lines:
        if kernel_rx.search(line):
            break
        line = line.strip()
        if not line or not RE_LOADER.search(line) or RE_PROGRESS.search(line):
            continue
        if out and out[-1][1] == line:
            continue
        out.append((round(t, 2), line))
    if len(out) > 40:
        out = out[:20] + [(None, "... %d lines ..." % (len(out) - 40))] + \
            out[-20:]
    return out


def trigger_regex(name):
    """A console fragment showing the loader transferring file @name: the
    stock module's "Loading NAME..." or our "mboot: NAME: x / y bytes"."""
    return re.compile(r"(Loading |mboot: )\S*%s(\.\.\.|: \d+ / )"
                      % re.escape(name))


def _given_up(client):
    """"boot-prompt" once PXELINUX's boot: prompt is on @client's console
    (the loader returned), "boot-failed" once PXELINUX says "Boot failed"
    (it waits for a key or a reset then), else None."""
    if RE_PROMPT.match(client.partial) or \
            (client.lines and RE_PROMPT.match(client.lines[-1][1])):
        return "boot-prompt"
    if RE_BOOT_FAILED.search(client.partial) or \
            (client.lines and RE_BOOT_FAILED.search(client.lines[-1][1])):
        return "boot-failed"
    return None


class TkPayload:
    """tk-elf32.elf + random modules of @mod_sizes bytes."""
    kind = "tk"
    mem = 256
    cpu = None
    first_label = "kernel"   # what t_first measures
    kernel_rx = re.compile(r"^TK START")
    done_label = "verdict"   # what t_done measures

    def __init__(self, build, loader, mod_sizes):
        self.build = build
        self.loader = loader
        data = os.path.join(build, "netlab", "data")
        os.makedirs(data, exist_ok=True)
        self.kernel = os.path.join(build, "tk", "tk-elf32.elf")
        if not os.path.exists(self.kernel):
            raise RuntimeError("%s is missing (make testkernels BUILD=%s)"
                               % (self.kernel, build))
        self.mods = []  # (name, path, len, crc)
        for i, size in enumerate(mod_sizes):
            name = "mod%d.bin" % i
            path = os.path.join(data, "mod%d-%d.bin" % (i, size))
            if not os.path.exists(path) or os.path.getsize(path) != size:
                rnd = random.Random("netlab-%d-%d" % (i, size))
                with open(path + ".tmp", "wb") as f:
                    f.write(rnd.randbytes(size))
                os.rename(path + ".tmp", path)
            with open(path, "rb") as f:
                crc = zlib.crc32(f.read()) & 0xffffffff
            self.mods.append((name, path, size, crc))
        self.trigger_name = max(self.mods, key=lambda m: m[2])[0] \
            if self.mods else "tk-elf32.elf"

    def files(self):
        """{name in the root: source path}."""
        out = {"tk-elf32.elf": self.kernel}
        for name, path, _, _ in self.mods:
            out[name] = path
        return out

    def line(self, prefix):
        """The DEFAULT line; @prefix goes before each file name."""
        parts = ["%stk-elf32.elf tk.mods=%d" % (prefix, len(self.mods))]
        for name, _, size, crc in self.mods:
            parts.append("%s%s len=%d crc=%08x" % (prefix, name, size, crc))
        return "mboot.c32 " + " --- ".join(parts)

    def stop(self, client):
        """Why @client is done (the kernel ends QEMU itself), or None."""
        return _given_up(client)

    def judge(self, client):
        """{"ok", "t_first", "t_done", "reasons", "detail"} for @client:
        ok when the verdict came, every module's len and crc check passed
        and no other check failed (the stock module: only seg.fs/seg.gs,
        its documented FS=GS=0)."""
        checks, verdict, _ = boottest.parse_kernel(client)
        allowed = {"seg.fs", "seg.gs"} if self.loader == "stock" else set()
        reasons = []
        if verdict is None:
            reasons.append("no verdict (%s)" % client.outcome)
        good = 0
        for i in range(len(self.mods)):
            ok = all(checks.get("mod%d.%s" % (i, k), (False,))[0]
                     for k in ("len", "crc"))
            good += ok
            if verdict is not None and not ok:
                reasons.append("mod%d not byte-exact: %s" % (i, "; ".join(
                    "%s %s" % (k, checks.get("mod%d.%s" % (i, k),
                                             (0, "missing"))[1])
                    for k in ("len", "crc"))))
        failed = sorted(c for c, (ok, _) in checks.items()
                        if not ok and c not in allowed
                        and not re.match(r"mod\d+\.(len|crc)$", c))
        if failed:
            reasons.append("failed checks: " + " ".join(failed))
        return {"ok": not reasons,
                "t_first": client.first(r"^TK START"),
                "t_done": client.first(r"^TK VERDICT"),
                "reasons": reasons,
                "detail": "crc %d/%d" % (good, len(self.mods))}


class XenPayload:
    """Xen 4.17 + Debian's vmlinuz + the demo's busybox initrd."""
    kind = "xen"
    mem = 1024
    cpu = "max,-smap"
    first_label = "xen"
    kernel_rx = demo.RE_XEN
    done_label = "userspace"
    trigger_name = "vmlinuz"

    def __init__(self, build, loader):
        self.loader = loader
        debs = demo.fetch_debs(build, quiet=True)
        self.debs = debs
        self.initrd = demo.make_initrd(build, debs["busybox"], 0, "gzip")
        self.dom0_args = "%s mboot.initrd_size=%d mboot.initrd_md5=%s" % (
            demo.DOM0_ARGS, self.initrd[1], self.initrd[2])

    def files(self):
        """{name in the root: source path}."""
        return {"xen.gz": self.debs["xen_gz"],
                "vmlinuz": self.debs["vmlinuz"],
                "initrd.gz": self.initrd[0]}

    def line(self, prefix):
        """The DEFAULT line (as demo.py's); @prefix before each file."""
        return "mboot.c32 %sxen.gz %s --- %svmlinuz %s --- %sinitrd.gz" % (
            prefix, demo.XEN_ARGS, prefix, self.dom0_args, prefix)

    def stop(self, client):
        """Done: loader gave up, or the initrd check line came."""
        if _given_up(client):
            return _given_up(client)
        if client.lines and demo.RE_INITRD.search(client.lines[-1][1]):
            return "initrd-checked"
        return None

    def judge(self, client):
        """As demo.analyse (Xen banner, command lines, dom0 built, marker,
        initrd md5); the stock module gunzips initrd.gz, which is its
        documented behaviour, so a gunzipped initrd counts for it."""
        outcome = {"stop:boot-prompt": "boot-prompt",
                   "stop:boot-failed": "boot-prompt",
                   "timeout": "timeout"}.get(client.outcome, "exit")
        ok, fields, reasons, notes = demo.analyse(
            client, outcome, demo.XEN_ARGS, self.dom0_args, self.initrd,
            self.loader == "stock")
        t_xen = client.first(demo.RE_XEN.pattern)
        t_marker = client.first(re.escape(demo.MARKER))
        return {"ok": ok, "t_first": t_xen, "t_done": t_marker,
                "reasons": reasons + notes if not ok else [],
                "detail": fields.split()[-1]}
