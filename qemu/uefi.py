"""uefi.py - boot a TFTP root through Debian's syslinux.efi under OVMF.

The UEFI counterpart of pxeboot.py: builds a syslinux.efi TFTP root
(syslinux.efi, ldlinux.e64, libcom32.c32, the loader under test as
mboot.c32, the files of the case, pxelinux.cfg/default), runs QEMU (TCG)
with OVMF from pflash and a fresh copy of its variable store, PXE-boots
it, streams the serial console (OVMF mirrors its console there, and
syslinux.efi writes to that console) and stops on patterns, as
pxeboot.run does.

NICs: "virtio-net-pci,romfile=" uses OVMF's own PXE driver (closest to
real firmware, the default here); "virtio-net-pci" or "e1000" use the
iPXE EFI option ROM QEMU ships.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import random
import re
import select
import shutil
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pxeboot  # noqa: E402

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
SYSLINUX_EFI = "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi"
EFI64_MODULES = "/usr/lib/syslinux/modules/efi64"
STOCK_MBOOT = os.path.join(EFI64_MODULES, "mboot.c32")

# Console lines that end a run early: firmware or core giving up.
FATAL_PATTERNS = (
    r"!!!! X64 Exception Type",       # OVMF's CPU exception dump
    r"Failed to load ldlinux\.e64",
    r"No bootable option or device was found",
    r"BdsDxe: No bootable option",
)

NICS = {
    "ovmf": "virtio-net-pci,netdev=n0,romfile=,bootindex=1",
    "ipxe": "virtio-net-pci,netdev=n0,bootindex=1",
    "e1000": "e1000,netdev=n0,bootindex=1",
}


def link_or_copy(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.lexists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def make_tftp_root(root, loader, files, default_line, extra_cfg="",
                   modules=("libcom32.c32",)):
    """Create the TFTP root @root: syslinux.efi, ldlinux.e64, the efi64
    @modules, @loader as mboot.c32, @files ({name in root: source path})
    and pxelinux.cfg/default booting @default_line at once.  If the line
    fails, ldlinux shows its boot: prompt (the harness stops there)."""
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "pxelinux.cfg"))
    base = {"syslinux.efi": SYSLINUX_EFI,
            "ldlinux.e64": os.path.join(EFI64_MODULES, "ldlinux.e64"),
            "mboot.c32": loader}
    for m in modules:
        base[m] = os.path.join(EFI64_MODULES, m)
    base.update(files)
    for name, src in base.items():
        link_or_copy(src, os.path.join(root, name))
    # No SERIAL line: syslinux.efi's console is the firmware's, which OVMF
    # already mirrors to the serial port.
    with open(os.path.join(root, "pxelinux.cfg", "default"), "w") as f:
        f.write("PROMPT 0\nTIMEOUT 0\n" + extra_cfg +
                "DEFAULT " + default_line + "\n")


def qemu_command(root, vars_path, mem="512", nic="ovmf", cpu=None,
                 extra=(), link=None):
    """The QEMU command line for an OVMF PXE boot of @root, with @vars_path
    as the (writable, per-run) variable store.  @link: a LossyLink the NIC
    reaches QEMU's user network through (default: directly)."""
    user = "user,id=%s,tftp=%s,bootfile=syslinux.efi" % (
        "u0" if link else "n0", root)
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-m", str(mem),
           "-smp", "1", "-display", "none", "-serial", "stdio",
           "-monitor", "none", "-no-reboot",
           "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" +
           OVMF_CODE,
           "-drive", "if=pflash,format=raw,unit=1,file=" + vars_path,
           "-netdev", user]
    if link:
        cmd += link.netdev_args()
    cmd += ["-device", NICS.get(nic, nic)]
    if cpu:
        cmd += ["-cpu", cpu]
    return cmd + list(extra)


class LossyLink:
    """A link between the NIC and QEMU's user network (DHCP, TFTP) that
    loses frames: the NIC's netdev n0 and the user network's hub (hub 1,
    through netdev l1) are QEMU dgram netdevs on Unix datagram sockets in
    @directory, and a thread here passes every Ethernet frame from one to
    the other, dropping each with probability @loss (0..1, a PRNG seeded
    with @seed: the same drops for the same traffic) once @armed says so.
    No IP address is used: the sockets are files.

    @armed(frame, from_nic) is asked about every frame until it returns
    True (the loss starts with that frame); default: at once.  Counts:
    passed/dropped frames per direction ("up": from the NIC)."""

    def __init__(self, directory, loss, seed=1, armed=None):
        os.makedirs(directory, exist_ok=True)
        self.paths = {k: os.path.join(directory, k + ".sock")
                      for k in ("q0", "r0", "q1", "r1")}
        for p in self.paths.values():
            if os.path.exists(p):
                os.unlink(p)
        self.loss = loss
        self.rng = random.Random(seed)
        self.armed_fn = armed
        self.armed = armed is None
        self.counts = {"up": [0, 0], "down": [0, 0]}   # passed, dropped
        self.socks = {}
        for k in ("r0", "r1"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(self.paths[k])
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
            self.socks[k] = s
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def netdev_args(self):
        """QEMU arguments: n0 (the NIC's) and l1 on hub 1 with u0."""
        p = self.paths
        return ["-netdev", "dgram,id=n0,local.type=unix,local.path=%s,"
                "remote.type=unix,remote.path=%s" % (p["q0"], p["r0"]),
                "-netdev", "dgram,id=l1,local.type=unix,local.path=%s,"
                "remote.type=unix,remote.path=%s" % (p["q1"], p["r1"]),
                "-netdev", "hubport,id=h0,hubid=1,netdev=u0",
                "-netdev", "hubport,id=h1,hubid=1,netdev=l1"]

    def _run(self):
        """Pass frames until close(): r0 (from the NIC) to q1, r1 to q0."""
        out = {"r0": ("r1", "q1", "up"), "r1": ("r0", "q0", "down")}
        rev = {s: k for k, s in self.socks.items()}
        while not self.stop:
            r, _, _ = select.select(list(self.socks.values()), [], [], 0.2)
            for s in r:
                k = rev[s]
                try:
                    frame = s.recv(65536)
                except OSError:
                    continue
                via, dst, way = out[k]
                if not self.armed and self.armed_fn(frame, way == "up"):
                    self.armed = True
                if self.armed and self.rng.random() < self.loss:
                    self.counts[way][1] += 1
                    continue
                self.counts[way][0] += 1
                try:
                    self.socks[via].sendto(frame, self.paths[dst])
                except OSError:   # QEMU not up yet, or gone
                    pass

    def close(self):
        """Stop the thread and remove the sockets."""
        self.stop = True
        self.thread.join(5)
        for s in self.socks.values():
            s.close()
        for p in self.paths.values():
            if os.path.exists(p):
                os.unlink(p)


def tftp_request_for(name):
    """An @armed test for LossyLink: True for the NIC's TFTP read request
    (IPv4, UDP to port 69, opcode 1) of file @name."""
    want = b"\x00\x01" + name.encode() + b"\x00"

    def armed(frame, from_nic):
        if not from_nic or len(frame) < 42 or frame[12:14] != b"\x08\x00" \
                or frame[23] != 17:
            return False
        ihl = (frame[14] & 15) * 4
        udp = 14 + ihl
        return frame[udp + 2:udp + 4] == b"\x00\x45" and \
            frame[udp + 8:udp + 8 + len(want)] == want
    return armed


def fresh_vars(path):
    """A fresh copy of OVMF's variable store at @path."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(OVMF_VARS, path)
    return path


class Screen:
    """Turns OVMF's serial console stream into lines.

    OVMF draws its text console on the serial port with VT100 cursor
    positioning (ESC[row;colH before every character, often no newline at
    all).  A move to another row ends the current line, except to column 1
    after a full row (syslinux wrapping a long line); a move back
    to column 1 of the same row is a carriage return; other escape
    sequences are dropped."""

    # syslinux.efi's screen width here (OVMF's 100x31 text mode; OVMF
    # positions the cursor only up to column 80 and sends the rest of a
    # row as plain text).
    WIDTH = 100

    RX = re.compile(rb"\x1b\[([0-9;?=]*)([A-Za-z])|\x1bc")

    def __init__(self):
        self.row = None
        self.col = 1
        self.pending = b""

    def feed(self, data):
        """Decode @data (bytes); returns text bytes with newlines."""
        data = self.pending + data
        self.pending = b""
        # Keep an unfinished escape sequence for the next call.
        k = data.rfind(b"\x1b")
        if k >= 0 and not self.RX.match(data, k) and len(data) - k < 16:
            data, self.pending = data[:k], data[k:]
        out = bytearray()
        pos = 0
        for m in self.RX.finditer(data):
            self._text(out, data[pos:m.start()])
            pos = m.end()
            if m.group(2) == b"H":
                parts = (m.group(1) or b"1;1").split(b";")
                try:
                    row = int(parts[0] or 1)
                    col = int(parts[1] or 1) if len(parts) > 1 else 1
                except ValueError:
                    continue
                if self.row is not None and row != self.row:
                    # Column 1 after a full row is syslinux wrapping a
                    # long line: not a new line.
                    if not (self.col > self.WIDTH and col == 1):
                        out += b"\n"
                elif self.row is not None and col < self.col and col == 1:
                    out += b"\r"
                self.row, self.col = row, col
            elif m.group(2) == b"J" and self.row is not None:
                out += b"\n"
                self.row = None
        self._text(out, data[pos:])
        return bytes(out)

    def _text(self, out, text):
        """Append @text, following the cursor column."""
        out += text
        for c in text:
            if c in (10, 13):
                self.col = 1
            elif c >= 32:
                self.col += 1


def run(cmd, timeout, stop_patterns=(), echo=False, log_path=None,
        prompt_patterns=(r"^boot: *$",), replies=()):
    """pxeboot.run, with OVMF's screen decoded into lines (see Screen)."""
    return pxeboot.run(cmd, timeout, stop_patterns, echo=echo,
                       log_path=log_path, prompt_patterns=prompt_patterns,
                       decode=Screen().feed, replies=replies)


def boot(root, timeout, stop_patterns=(), mem="512", nic="ovmf", cpu=None,
         echo=False, log_path=None, extra=(), replies=(), link=None):
    """PXE-boot @root under OVMF until @timeout seconds pass, a console
    line matches one of @stop_patterns or FATAL_PATTERNS, or ldlinux's
    boot: prompt shows (@replies: lines typed at the first prompts
    instead, see pxeboot.run).  @link: a LossyLink between the NIC and
    the user network.  Returns a pxeboot.Boot."""
    vars_path = fresh_vars(root.rstrip("/") + ".vars.fd")
    cmd = qemu_command(root, vars_path, mem=mem, nic=nic, cpu=cpu,
                       extra=extra, link=link)
    b = run(cmd, timeout, tuple(stop_patterns) + FATAL_PATTERNS,
                    echo=echo, log_path=log_path, replies=replies)
    b.cmd = cmd
    return b
