"""clients.py - QEMU PXE clients on the lab's taps, and their consoles.

Each client is one `qemu-system-x86_64` (TCG) run inside the namespace with
`-netdev tap,ifname=tapN,script=no,downscript=no`, its own MAC and its
serial console on a pipe.  The console is split into lines at LF and at a
lone CR (the loaders redraw progress lines with CR), each stamped with the
seconds since the clients were started; the unfinished tail is kept too,
since "Loading x... " and "boot: " come without a newline.

firmware="ovmf" makes a UEFI client instead of the BIOS one (SeaBIOS and
the e1000's iPXE ROM): q35, OVMF from pflash with its own copy of the
variable store (@vars_path), OVMF's own PXE through virtio-net-pci with no
option ROM (as qemu/uefi.py's default NIC), and OVMF's VT100 screen turned
into lines by qemu/uefi.py's Screen before the splitting above.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import ctypes
import os
import re
import select
import signal
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1bc")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


class Client:
    """One QEMU client: index, MAC, tap, console lines, how it ended."""

    def __init__(self, index, ns, mem, cpu, logpath, sercon_file=None,
                 firmware="bios", vars_path=None, dead_nic=False):
        self.index = index
        self.tap = "tap%d" % index
        self.mac = "52:54:00:77:%02x:%02x" % (index // 256, index % 256)
        self.dead_mac = "52:54:00:76:%02x:%02x" % (index // 256, index % 256)
        self.logpath = logpath
        self.decode = None
        tap = ["-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no"
               % self.tap]
        if firmware == "ovmf":
            import uefi  # noqa: E402  (qemu/uefi.py)
            shutil.copyfile(uefi.OVMF_VARS, vars_path)
            self.decode = uefi.Screen().feed
            cmd = ["qemu-system-x86_64", "-machine", "q35", "-m", str(mem),
                   "-smp", "1", "-display", "none", "-serial", "stdio",
                   "-monitor", "none", "-no-reboot",
                   "-drive", "if=pflash,format=raw,unit=0,readonly=on,"
                   "file=" + uefi.OVMF_CODE,
                   "-drive", "if=pflash,format=raw,unit=1,file=" + vars_path
                   ] + tap + [
                   "-device", "virtio-net-pci,netdev=n0,romfile=,"
                   "bootindex=1,mac=" + self.mac]
        else:
            # dead_nic: a first e1000 without a boot ROM on tap dead<i>
            # (on no bridge), so the machine boots from its second NIC,
            # the one on br0 with self.mac; Linux names the first eth0.
            dead = ["-netdev", "tap,id=n9,ifname=dead%d,script=no,"
                    "downscript=no" % index, "-device",
                    "e1000,netdev=n9,romfile=,mac=" + self.dead_mac] \
                if dead_nic else []
            cmd = ["qemu-system-x86_64", "-m", str(mem), "-smp", "1",
                   "-display", "none", "-serial", "stdio", "-monitor",
                   "none", "-no-reboot", "-boot", "n"] + dead + tap + [
                   "-device", "e1000,netdev=n0,mac=" + self.mac,
                   "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
        if cpu:
            cmd += ["-cpu", cpu]
        if sercon_file:  # SeaBIOS and iPXE text mirrored to COM1
            cmd += ["-fw_cfg", "name=etc/sercon-port,file=" + sercon_file]
        self.cmd = ns.prefix(cmd)
        self.proc = None
        self.t0 = None
        self.lines = []        # (seconds, text)
        self.partial = ""      # text after the last line break
        self.outcome = None    # "exit", "stop:<why>", "timeout", "interrupted"
        self.exit_code = None
        self.end_t = None
        self._raw = b""
        self._log = None

    def start(self, t0):
        """Start QEMU; @t0 is the common time origin (time.monotonic())."""
        self.t0 = t0
        self._log = open(self.logpath, "w")
        self._log.write("# " + " ".join(self.cmd) + "\n")
        err = open(self.logpath[:-len(".log")] + ".stderr", "w")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=err,
                                     start_new_session=True,
                                     preexec_fn=die_with_parent)
        err.close()  # QEMU's own messages: client<i>.stderr

    @property
    def running(self):
        """True from start until finish."""
        return self.proc is not None and self.outcome is None

    def fileno(self):
        """The console pipe's descriptor (for select)."""
        return self.proc.stdout.fileno()

    def now(self):
        """Seconds since the common start."""
        return time.monotonic() - self.t0

    def feed(self, data):
        """Add console bytes; returns the new complete lines."""
        if self.decode:
            data = self.decode(data)
        data = self._raw + data
        self._raw = b""
        if data.endswith(b"\r"):  # maybe the first half of CR LF
            self._raw, data = b"\r", data[:-1]
        text = ANSI.sub("", data.decode("latin-1"))
        parts = re.split(r"\r?\n|\r(?!\n)", self.partial + text)
        self.partial = parts.pop()
        now = self.now()
        new = []
        for p in parts:
            line = CONTROL.sub("", p)
            if not line.strip() and self.lines and \
                    not self.lines[-1][1].strip():
                continue
            self.lines.append((now, line))
            new.append(line)
            self._log.write("[%8.3f] %s\n" % (now, line))
        self._log.flush()
        return new

    def first(self, pattern, after=0.0):
        """Seconds of the first line matching regex @pattern, or None."""
        rx = re.compile(pattern)
        for t, line in self.lines:
            if t >= after and rx.search(line):
                return t
        return None

    def finish(self, outcome):
        """Stop QEMU (if still running) and record @outcome."""
        if self.outcome is not None:
            return
        self.outcome = outcome
        self.end_t = self.now()
        stop_process(self.proc)
        self.exit_code = self.proc.returncode
        try:  # whatever was still in the pipe
            while True:
                r, _, _ = select.select([self.proc.stdout], [], [], 0.1)
                if not r:
                    break
                data = os.read(self.fileno(), 65536)
                if not data:
                    break
                self.feed(data)
        except (OSError, ValueError):
            pass
        if self.partial.strip():
            self.lines.append((self.end_t, CONTROL.sub("", self.partial)))
            self._log.write("[%8.3f] %s\n" % (self.end_t, self.partial))
            self.partial = ""
        self._log.write("# end: %s at %.1f s, qemu status %s\n" % (
            outcome, self.end_t, self.exit_code))
        self._log.close()
        self.proc.stdout.close()


def die_with_parent():
    """preexec_fn for our children: the kernel sends them SIGKILL when this
    Python process dies, even by SIGKILL, so no QEMU, dnsmasq or nginx
    outlives a lab (prctl PR_SET_PDEATHSIG; kept across `ip netns exec`'s
    exec)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def stop_process(proc):
    """TERM then KILL the process group of @proc (started with
    start_new_session); wait for it.  Never raises."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def watch(clients, timeout, judge_stop, on_text=None, tick=None,
          period=0.5):
    """Stream every client's console until each has ended.

    @judge_stop(client), asked about every running client each @period
    seconds (and whenever output arrives), returns a reason string when that client is done (its QEMU is
    then stopped) or None.  @on_text(client, fragments) sees
    every new line plus the unfinished tail; @tick(now) runs at least
    every @period seconds.  A client still running after @timeout seconds ends with
    "timeout"."""
    while any(c.running for c in clients):
        live = [c for c in clients if c.running]
        r, _, _ = select.select(live, [], [], period)
        for c in r:
            try:
                data = os.read(c.fileno(), 65536)
            except OSError:
                data = b""
            if not data:
                c.proc.wait()
                c.finish("exit")
                continue
            new = c.feed(data)
            if on_text:
                on_text(c, new + [c.partial])
        for c in clients:
            why = c.running and judge_stop(c)
            if why:
                c.finish("stop:" + why)
            elif c.running and c.proc.poll() is not None:
                c.finish("exit")
            elif c.running and c.now() > timeout:
                c.finish("timeout")
        if tick:
            tick(time.monotonic())
