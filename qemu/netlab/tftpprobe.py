#!/usr/bin/env python3
"""tftpprobe.py - what a TFTP server does with options, early, duplicate
and missing ACKs: facts a client is designed around, measured in the lab.

    tftpprobe.py --server dnsmasq|hpa|atftpd|all [--json OUT]
    tftpprobe.py --client ADDR FILE SIZE      (inside a namespace; JSON out)

--server builds the network lab's namespace (qemu/netlab/namespace.py:
br0 = 10.77.0.1), starts the server as netlab does (servers.py: dnsmasq's
own TFTP, or tftpd-hpa / atftpd on 10.77.0.1:69 with dnsmasq doing DHCP
only) on a root holding one 4 MiB file of random bytes, and runs the
probes from a second namespace whose veth is a port of br0 (so the server
sees a client on the bridge with its 1500-byte MTU, not on lo).  Probes,
each its own session (a fresh UDP port):

  oack      RRQ with blksize 65464, tsize 0, windowsize 16: the answer (the
            OACK's options, or DATA / ERROR), then ACK 0 and how many
            blocks come before the client says anything more.
  ahead     blksize 1024, no window: after DATA n, ACK n and at once ACK
            n+1 (a block the server has not sent yet, or that is still on
            the way): which blocks come (acknowledge-ahead works when n+1
            and n+2 come, one each).  Then, in fresh sessions, right
            after DATA 4: ACK 5 (one ahead: a block not sent yet, as when
            an ACK of an acknowledge-ahead stream is lost) or ACK 9 (far
            ahead): what comes, and when.  (--quick leaves out "timeout".)
  duprrq    the same RRQ twice from one port: how many transfer ports
            (sessions) answer.
  stale     ACK 2 and at once ACK 4 (DATA 4 the last sent): is the
            valid ACK still acted on after the stale one?
  lost      after DATA n, ACK n; DATA n+1 arrives but is treated as lost
            and ACKed anyway: does DATA n+2 come (the server cannot tell).
  dupack    after DATA n+1 (ACKed n), ACK n again, a duplicate of an
            earlier block: does the server send n+1 again (Sorcerer's
            Apprentice) or ignore it; then with windowsize 4 (if granted),
            after blocks 1..4 ACK 2: what comes (RFC 7440: resend from 3).
  timeout   after DATA 1 no ACK: the times DATA 1 comes again and when the
            server gives up (an ERROR, or 12 s of silence), up to 60 s;
            with windowsize 4 (if granted) which blocks come again.

Every received block's bytes are compared with the file's (a mismatch is
reported).  Prints one JSON object per server and a short summary.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)

PROBE_FILE = "probe.bin"
PROBE_SIZE = 4 << 20
PROBE_HOST = "10.77.0.50"

RRQ, DATA, ACK, ERROR, OACK = 1, 3, 4, 5, 6


class Session:
    """One TFTP read session from a fresh UDP port."""

    def __init__(self, server, name, content):
        self.server = (server, 69)
        self.peer = None
        self.name = name
        self.content = content
        self.blksize = 512
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Room for a whole window of 64 KB blocks: the default buffer
        # (~208 KB) holds three, and the rest would be lost here, not on
        # the wire.
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.s.bind(("", 0))
        self.t0 = time.monotonic()
        self.mismatches = 0

    def rrq(self, options):
        """Send the read request with @options [(name, value)]."""
        pkt = struct.pack("!H", RRQ) + self.name.encode() + b"\0octet\0"
        for k, v in options:
            pkt += k.encode() + b"\0" + str(v).encode() + b"\0"
        self.s.sendto(pkt, self.server)

    def ack(self, block):
        """ACK @block (mod 65536) to the server's transfer port."""
        self.s.sendto(struct.pack("!HH", ACK, block & 0xffff), self.peer)

    def error(self):
        """End the session with an ERROR (code 0) so the server stops."""
        if self.peer:
            self.s.sendto(struct.pack("!HH", ERROR, 0) + b"probe done\0",
                          self.peer)
        self.s.close()

    def recv(self, timeout):
        """The next packet within @timeout s as (t, kind, value) - kind
        "data" (value: block), "oack" (dict), "error" (text) - or None.
        Learns the server's transfer port from the first answer and
        checks DATA bytes against the file."""
        self.s.settimeout(max(timeout, 0.001))
        try:
            pkt, addr = self.s.recvfrom(70000)
        except (socket.timeout, BlockingIOError):
            return None
        t = time.monotonic() - self.t0
        if self.peer is None:
            self.peer = addr
        op = struct.unpack("!H", pkt[:2])[0]
        if op == DATA:
            block = struct.unpack("!H", pkt[2:4])[0]
            off = (block - 1) * self.blksize
            if pkt[4:] != self.content[off:off + len(pkt) - 4]:
                self.mismatches += 1
            return (t, "data", block)
        if op == OACK:
            parts = pkt[2:].split(b"\0")
            opts = {parts[i].decode().lower(): parts[i + 1].decode()
                    for i in range(0, len(parts) - 1, 2)}
            if "blksize" in opts:
                self.blksize = int(opts["blksize"])
            return (t, "oack", opts)
        if op == ERROR:
            return (t, "error", pkt[4:].split(b"\0")[0].decode(
                "ascii", "replace"))
        return (t, "op%d" % op, None)

    def collect(self, seconds):
        """Every packet for @seconds: [(t, kind, value)]."""
        out = []
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return out
            p = self.recv(left)
            if p:
                out.append(p)

    def wait_data(self, block, seconds=3.0):
        """Packets until DATA @block arrives (True) or @seconds pass."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            p = self.recv(end - time.monotonic())
            if p and p[1] == "data" and p[2] == block:
                return True
            if p and p[1] == "error":
                return False
        return False

    def start(self, options):
        """RRQ with @options; ACK the OACK if one comes; returns the first
        answer (t, kind, value) or None.  After it the next expected
        packet is DATA 1."""
        self.rrq(options)
        first = self.recv(3.0)
        if first and first[1] == "oack":
            self.ack(0)
        return first


def blocks(packets):
    """The DATA block numbers in @packets, in order."""
    return [p[2] for p in packets if p[1] == "data"]


def timed(packets, since):
    """@packets as [[seconds after @since (session time), kind, value]]:
    a retransmission by timer is told from an answer by its delay."""
    return [[round(p[0] - since, 3), p[1], p[2]] for p in packets]


def probe_oack(server, content):
    """The OACK probe (see the module doc)."""
    s = Session(server, PROBE_FILE, content)
    s.rrq([("blksize", 65464), ("tsize", 0), ("windowsize", 16)])
    first = s.recv(3.0)
    out = {"asked": "blksize 65464 tsize 0 windowsize 16"}
    if first is None:
        out["answer"] = "nothing in 3 s"
    elif first[1] == "oack":
        out["answer"] = "OACK"
        out["options"] = first[2]
        s.ack(0)
        got = s.collect(0.6)
        out["blocks_after_ack0"] = blocks(got)
        out["block_bytes"] = s.blksize
    else:
        out["answer"] = "%s %s" % (first[1], first[2])
    out["mismatches"] = s.mismatches
    s.error()
    return out


def probe_ahead(server, content):
    """Acknowledge-ahead, lost-block and far-ahead probes."""
    out = {}
    s = Session(server, PROBE_FILE, content)
    s.start([("blksize", 1024)])
    ok = s.wait_data(1)
    for n in (1, 2, 3):  # a few lock-step blocks first
        s.ack(n)
        ok = ok and s.wait_data(n + 1)
    n = 4
    # ACK n and at once n+1 (not yet sent when the server reads it, or on
    # its way): which blocks come?
    s.ack(n)
    s.ack(n + 1)
    t = time.monotonic() - s.t0
    got = s.collect(1.0)
    out["ack_n_and_n+1"] = {"n": n, "blocks": blocks(got),
                            "packets": timed(got, t),
                            "meaning": "acknowledge-ahead works when n+1 "
                            "and n+2 come once each"}
    s.error()
    # ACK one ahead (DATA 4 just arrived, ACK 5: a block not sent yet -
    # what a lost ACK in an acknowledge-ahead stream looks like), and far
    # ahead (ACK 9), each in its own session right after DATA 4 arrives,
    # so that a resend by the server's timer (>= 1 s later) is told from
    # an answer (within milliseconds).
    for key, ahead in (("ack_one_ahead", 1), ("ack_far_ahead", 5)):
        s = Session(server, PROBE_FILE, content)
        s.start([("blksize", 1024)])
        s.wait_data(1)
        for n in (1, 2, 3):
            s.ack(n)
            s.wait_data(n + 1)
        s.ack(4 + ahead)
        t = time.monotonic() - s.t0
        got = s.collect(0.9)
        out[key] = {"last_sent": 4, "acked": 4 + ahead,
                    "packets": timed(got, t)}
        s.error()
    # Lost block, acknowledged anyway.
    s = Session(server, PROBE_FILE, content)
    s.start([("blksize", 1024)])
    s.wait_data(1)
    s.ack(1)
    s.wait_data(2)          # arrives; we act as if it had been lost
    s.ack(2)                # ... and acknowledge it ahead all the same
    t = time.monotonic() - s.t0
    got = s.collect(1.0)
    out["ack_of_lost_block"] = {"acked": 2, "blocks": blocks(got),
                                "packets": timed(got, t)}
    out["mismatches"] = s.mismatches
    s.error()
    # A stale ACK just before a valid one (both in the server's socket
    # buffer at once): is the valid one still acted on, or does the stale
    # one make the server discard what is queued behind it?
    s = Session(server, PROBE_FILE, content)
    s.start([("blksize", 1024)])
    s.wait_data(1)
    for n in (1, 2, 3):
        s.ack(n)
        s.wait_data(n + 1)
    s.ack(2)                # stale
    s.ack(4)                # valid: the block last sent
    t = time.monotonic() - s.t0
    got = s.collect(1.5)
    out["stale_then_valid"] = {"acks": [2, 4], "packets": timed(got, t)}
    s.error()
    return out


def probe_duprrq(server, content):
    """The same read request twice from one port (as a client whose first
    RRQ or its OACK was lost resends it): how many server ports answer."""
    s = Session(server, PROBE_FILE, content)
    s.rrq([("blksize", 1024), ("tsize", 0)])
    s.rrq([("blksize", 1024), ("tsize", 0)])
    s.s.settimeout(1.0)
    ports = {}
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        try:
            pkt, addr = s.s.recvfrom(70000)
        except (socket.timeout, BlockingIOError):
            break
        ports.setdefault(addr[1], []).append(struct.unpack("!H", pkt[:2])[0])
    for port in ports:  # end every session the probe opened
        s.s.sendto(struct.pack("!HH", ERROR, 0) + b"probe done\0",
                   (server, port))
    s.s.close()
    return {"server_ports": len(ports),
            "opcodes_per_port": {str(k): v for k, v in ports.items()}}


def probe_dupack(server, content, window_ok):
    """Duplicate ACK of an earlier block, lock-step and (when the server
    grants windowsize) in a window."""
    out = {}
    s = Session(server, PROBE_FILE, content)
    s.start([("blksize", 1024)])
    s.wait_data(1)
    for n in (1, 2, 3):
        s.ack(n)
        s.wait_data(n + 1)
    # Got DATA 4 after ACK 3: ACK 3 again.
    s.ack(3)
    t = time.monotonic() - s.t0
    got = s.collect(1.5)
    # A resend by timer comes after the server's timeout (>= 1 s for all
    # three); an answer to the duplicate comes within milliseconds.
    quick = [p for p in got if p[0] - t < 0.2]
    out["lockstep_dup_ack"] = {
        "after": "ACK 3, DATA 4 received, ACK 3 again",
        "blocks": blocks(got), "packets": timed(got, t),
        "verdict": "resends at once" if 4 in blocks(quick) else
        "ignores (nothing within 0.2 s)"}
    s.error()
    if window_ok:
        s = Session(server, PROBE_FILE, content)
        first = s.start([("blksize", 1024), ("windowsize", 4)])
        got = s.collect(0.6)
        win = blocks(got)
        s.ack(2)
        t = time.monotonic() - s.t0
        got2 = s.collect(1.0)
        out["window_ack_inside"] = {
            "oack": first[2] if first and first[1] == "oack" else None,
            "first_window": win, "acked": 2, "then": blocks(got2),
            "packets": timed(got2, t)}
        s.error()
    out["mismatches"] = s.mismatches
    return out


def probe_timeout(server, content, window_ok, limit=60.0, quiet=12.0):
    """Retransmissions of DATA 1 when nothing is ACKed (lock-step, then
    windowsize 4)."""
    out = {}
    for label, opts in (("lockstep", [("blksize", 1024)]),
                        ("window4", [("blksize", 1024), ("windowsize", 4)])):
        if label == "window4" and not window_ok:
            continue
        s = Session(server, PROBE_FILE, content)
        s.start(opts)
        pkts = []
        end = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < end and time.monotonic() - last < quiet:
            p = s.recv(min(end, last + quiet) - time.monotonic())
            if p:
                pkts.append(p)
                last = time.monotonic()
                if p[1] == "error":
                    break
        ones = [round(p[0], 2) for p in pkts if p[1] == "data" and
                p[2] == 1]
        out[label] = {
            "data1_times": ones,
            "intervals": [round(b - a, 2) for a, b in zip(ones, ones[1:])],
            "packets": len(pkts),
            "blocks_seen": sorted(set(blocks(pkts))),
            "end": ("error %r at %.1f s" % (pkts[-1][2], pkts[-1][0])
                    if pkts and pkts[-1][1] == "error" else
                    "silence after %.1f s" % (pkts[-1][0] if pkts else 0))}
        s.error()
    return out


def client_main(addr, path, size):
    """Run every probe against @addr for file @path (its bytes: read from
    the root copy at @path's local name); print JSON."""
    with open(path, "rb") as f:
        content = f.read()
    assert len(content) == size
    res = {"oack": probe_oack(addr, content)}
    opts = res["oack"].get("options", {})
    window_ok = "windowsize" in opts
    res["ahead"] = probe_ahead(addr, content)
    res["duprrq"] = probe_duprrq(addr, content)
    res["dupack"] = probe_dupack(addr, content, window_ok)
    res["timeout"] = {} if os.environ.get("TFTPPROBE_QUICK") else \
        probe_timeout(addr, content, window_ok)
    print(json.dumps(res))
    return 0


def _run(cmd):
    """Run @cmd; raise RuntimeError with its stderr on failure."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout


def server_main(kind, workdir):
    """Lab + server @kind + the probing host; returns the probes' dict."""
    import namespace
    import servers
    ns = namespace.Namespace("netprobe-%d" % os.getpid())
    host = "netprobec-%d" % os.getpid()
    root = os.path.join(workdir, "root")
    os.makedirs(root, exist_ok=True)
    path = os.path.join(root, PROBE_FILE)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(os.urandom(PROBE_SIZE))
    os.chmod(root, 0o755)
    os.chmod(path, 0o644)
    dns = tftpd = None
    try:
        ns.create()
        _run(["ip", "netns", "add", host])
        _run(["ip", "-n", ns.name, "link", "add", "probe0", "type", "veth",
              "peer", "name", "eth0", "netns", host])
        _run(["ip", "-n", ns.name, "link", "set", "probe0", "master", "br0",
              "up"])
        _run(["ip", "-n", host, "addr", "add", PROBE_HOST + "/24", "dev",
              "eth0"])
        _run(["ip", "-n", host, "link", "set", "eth0", "up"])
        _run(["ip", "-n", host, "link", "set", "lo", "up"])
        dns, tftpd = servers.make_tftp_server(kind, ns, root, workdir)
        dns.start()
        if tftpd:
            tftpd.start()
        time.sleep(0.5)
        r = subprocess.run(["ip", "netns", "exec", host, sys.executable,
                            os.path.abspath(__file__), "--client", ns.ipv4,
                            path, str(PROBE_SIZE)], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise RuntimeError("probe failed: %s" % r.stderr.strip())
        return json.loads(r.stdout)
    finally:
        if tftpd:
            tftpd.stop()
        if dns:
            dns.stop()
        subprocess.run(["ip", "netns", "delete", host], capture_output=True)
        ns.delete()


def summary(kind, r):
    """Short human lines for server @kind's result @r."""
    o = r["oack"]
    a = r["ahead"]
    d = r["dupack"]
    t = r["timeout"]
    out = ["%s: answer to '%s': %s %s; blocks after ACK 0: %s" % (
        kind, o["asked"], o["answer"], o.get("options", ""),
        o.get("blocks_after_ack0"))]
    out.append("  ACK n + ACK n+1 at once (n=%d): %s; ACK far ahead "
               "(%d when %d was last): %s" % (
                   a["ack_n_and_n+1"]["n"], a["ack_n_and_n+1"]["packets"],
                   a["ack_far_ahead"]["acked"],
                   a["ack_far_ahead"]["last_sent"],
                   a["ack_far_ahead"]["packets"]))
    out.append("  ACK one ahead (%d when %d was last): %s" % (
        a["ack_one_ahead"]["acked"], a["ack_one_ahead"]["last_sent"],
        a["ack_one_ahead"]["packets"]))
    out.append("  stale ACK 2 then valid ACK 4 at once: %s" %
               a["stale_then_valid"]["packets"])
    out.append("  the same RRQ twice from one port: %d server port(s) "
               "answer %s" % (r["duprrq"]["server_ports"],
                              r["duprrq"]["opcodes_per_port"]))
    out.append("  ACK of a block treated as lost: then %s" %
               a["ack_of_lost_block"]["packets"])
    out.append("  duplicate ACK (lock-step): %s %s" % (
        d["lockstep_dup_ack"]["verdict"], d["lockstep_dup_ack"]["packets"]))
    if "window_ack_inside" in d:
        w = d["window_ack_inside"]
        out.append("  window 4 (OACK %s): first window %s, ACK 2 -> %s" % (
            w["oack"], w["first_window"], w["packets"]))
    for k, v in t.items():
        out.append("  no ACK (%s): DATA 1 at %s s (intervals %s), blocks "
                   "seen %s, %s" % (k, v["data1_times"], v["intervals"],
                                    v["blocks_seen"], v["end"]))
    return out


def main():
    """Command line (see the module doc)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", choices=("dnsmasq", "hpa", "atftpd", "all"))
    ap.add_argument("--client", nargs=3, metavar=("ADDR", "FILE", "SIZE"))
    ap.add_argument("--json")
    ap.add_argument("--quick", action="store_true",
                    help="leave out the (slow) timeout probes")
    args = ap.parse_args()
    if args.client:
        return client_main(args.client[0], args.client[1],
                           int(args.client[2]))
    if not args.server:
        ap.error("--server or --client")
    if args.quick:
        os.environ["TFTPPROBE_QUICK"] = "1"  # inherited by --client
    kinds = ("dnsmasq", "hpa", "atftpd") if args.server == "all" \
        else (args.server,)
    results = {}
    with tempfile.TemporaryDirectory(prefix="tftpprobe-") as wd:
        for kind in kinds:
            sub = os.path.join(wd, kind)
            os.makedirs(sub)
            try:
                results[kind] = server_main(kind, sub)
            except RuntimeError as e:
                print("tftpprobe: %s: cannot run: %s" % (kind, e),
                      file=sys.stderr)
                return 2
            for line in summary(kind, results[kind]):
                print(line, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
