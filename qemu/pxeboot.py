"""pxeboot.py - boot a TFTP root through Debian's pxelinux.0 in QEMU.

Shared by the conformance boot tests (boottest.py) and the Xen demo: builds
a PXELINUX TFTP root, runs QEMU (TCG) with the serial console on a pipe,
watches the console for patterns and ends QEMU when a verdict is reached.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import select
import shutil
import subprocess
import time

PXELINUX = "/usr/lib/PXELINUX/pxelinux.0"
BIOS_MODULES = "/usr/lib/syslinux/modules/bios"
STOCK_MBOOT = os.path.join(BIOS_MODULES, "mboot.c32")


def make_tftp_root(root, loader, files, default_line, extra_cfg=""):
    """Create the TFTP root @root: pxelinux.0, ldlinux.c32, libcom32.c32,
    @loader as mboot.c32, @files ({name in root: source path}, hard-linked or
    copied) and pxelinux.cfg/default booting @default_line."""
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "pxelinux.cfg"))
    base = {"pxelinux.0": PXELINUX,
            "ldlinux.c32": os.path.join(BIOS_MODULES, "ldlinux.c32"),
            "libcom32.c32": os.path.join(BIOS_MODULES, "libcom32.c32"),
            "mboot.c32": loader}
    base.update(files)
    for name, src in base.items():
        dst = os.path.join(root, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\n" + extra_cfg +
                "DEFAULT " + default_line + "\n")


def qemu_command(root, mem="512", cpu=None, extra=()):
    """The QEMU command line for a PXE boot of @root."""
    cmd = ["qemu-system-x86_64", "-m", str(mem), "-smp", "1",
           "-display", "none", "-serial", "stdio", "-monitor", "none",
           "-no-reboot", "-boot", "n",
           "-netdev", "user,id=n0,tftp=%s,bootfile=pxelinux.0" % root,
           "-device", "e1000,netdev=n0",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if cpu:
        cmd += ["-cpu", cpu]
    return cmd + list(extra)


class Boot:
    """One QEMU run: the console text, when each line arrived, how it ended."""

    def __init__(self):
        self.lines = []        # (seconds since start, text)
        self.exit_code = None  # QEMU's status, None if we ended it
        self.reason = ""       # "exit", "stop:<pattern>", "timeout"
        self.seconds = 0.0
        # The host's clock (time.time()) when QEMU was started: what
        # turns a packet capture's timestamps (QEMU filter-dump writes the
        # host's clock) into seconds since start (qemu/uefibench.py).
        self.wall_start = None

    @property
    def text(self):
        return "\n".join(l for _, l in self.lines)

    def first(self, pattern):
        """Seconds at which the first line matching @pattern arrived."""
        rx = re.compile(pattern)
        for t, l in self.lines:
            if rx.search(l):
                return t
        return None


def run(cmd, timeout, stop_patterns=(), echo=False, log_path=None,
        prompt_patterns=(r"^boot: *$",), decode=None, replies=()):
    """Run QEMU @cmd; end it after @timeout seconds, when a console line
    matches one of @stop_patterns (regexes), or when the unfinished last
    line matches one of @prompt_patterns (a prompt has no newline).
    @replies: lines to type on the serial console, one at each prompt, in
    order (followed by CR); a prompt ends the run only once they are used.
    @decode, if given, turns each raw chunk of console output into text
    lines first (OVMF's screen, see uefi.Screen); the raw bytes then also
    go to @log_path + ".raw".  Returns a Boot."""
    boot = Boot()
    rxs = [re.compile(p) for p in stop_patterns]
    prompts = [re.compile(p) for p in prompt_patterns]
    start = time.monotonic()
    boot.wall_start = time.time()
    replies = list(replies)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if replies else
                            subprocess.DEVNULL)
    buf = b""
    log = open(log_path, "w") if log_path else None
    rawlog = open(log_path + ".raw", "wb") if log_path and decode else None
    if log:
        log.write("# " + " ".join(cmd) + "\n")

    def add(now, line):
        boot.lines.append((now, line))
        if log:
            log.write("[%7.2f] %s\n" % (now, line))
            log.flush()  # readers watch the log while QEMU runs

    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                boot.reason = "timeout"
                break
            r, _, _ = select.select([proc.stdout], [], [], min(left, 0.5))
            if not r:
                if proc.poll() is not None:
                    boot.reason = "exit"
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                proc.wait()
                boot.reason = "exit"
                break
            if rawlog:
                rawlog.write(chunk)
            if decode:
                chunk = decode(chunk)
            if echo:
                os.write(1, chunk)
            buf += chunk
            *done, buf = re.split(rb"\r?\n|\r(?!\n)", buf)
            now = time.monotonic() - start
            stop = None
            for raw in done:
                line = raw.decode("latin-1")
                line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)
                line = re.sub(r"[\x00-\x08\x0b-\x1f]", "", line)
                if not line.strip() and boot.lines and \
                        not boot.lines[-1][1].strip():
                    continue    # runs of blank lines
                add(now, line)
                for rx in rxs:
                    if stop is None and rx.search(line):
                        stop = rx.pattern
            # "boot: " is a prompt without a newline: look at the tail too.
            tail = buf.decode("latin-1")
            for rx in prompts:
                if stop is None and rx.search(tail):
                    add(now, tail)
                    buf = b""
                    if not replies:
                        stop = rx.pattern
                        break
                    typed = replies.pop(0)
                    if log:
                        log.write("# typed: %s\n" % typed)
                    proc.stdin.write(typed.encode() + b"\r")
                    proc.stdin.flush()
                    break
            if stop:
                boot.reason = "stop:" + stop
                break
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        else:
            boot.exit_code = proc.returncode
        if log:
            log.write("# end: %s after %.1f s\n" % (
                boot.reason, time.monotonic() - start))
            log.close()
        if rawlog:
            rawlog.close()
    boot.seconds = time.monotonic() - start
    return boot


class SwTpm:
    """A software TPM 2.0 for one QEMU run (measured boot tests): swtpm
    (package swtpm) serving a fresh state in @directory over a Unix socket
    there; tpm_args(device) are QEMU's options for it (device "tpm-tis":
    the FIFO interface at 0xFED40000 that SeaBIOS, OVMF and the test
    kernel use).  The PCRs start at zero with each instance.  Use as a
    context manager, or call stop()."""

    def __init__(self, directory):
        if os.path.isdir(directory):
            shutil.rmtree(directory)
        os.makedirs(directory)
        self.sock = os.path.join(directory, "swtpm.sock")
        self.log = os.path.join(directory, "swtpm.log")
        self.proc = subprocess.Popen(
            ["swtpm", "socket", "--tpm2", "--terminate",
             "--tpmstate", "dir=" + directory,
             "--ctrl", "type=unixio,path=" + self.sock,
             "--log", "file=%s,level=1" % self.log],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        for _ in range(100):       # the socket appears once it listens
            if os.path.exists(self.sock) or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not os.path.exists(self.sock):
            self.stop()
            raise RuntimeError("swtpm did not start (see %s)" % self.log)

    def tpm_args(self, device="tpm-tis"):
        """QEMU's options for this TPM."""
        return ["-chardev", "socket,id=chrtpm,path=" + self.sock,
                "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                "-device", device + ",tpmdev=tpm0"]

    def stop(self):
        """End swtpm (it ends by itself when QEMU disconnects)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
