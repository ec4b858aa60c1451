#!/usr/bin/env python3
"""netlab.py - PXE clients booting from one real DHCP/TFTP/HTTP server,
in a private network namespace, with packet loss.

    netlab.py --build B --loader ours|stock --proto tftp|http --clients N
              --loss PCT --kernel tk|xen [--restart-dnsmasq-after SEC]
              [--tftp-server dnsmasq|hpa|atftpd]
              [--server-rate MBPS [--server-burst KB]]
              [--timeout SEC] [--json OUT] [--keep]
              [--pin] [--spoof [--spoof-rate PPS] [--spoof-from WHEN]
              [--spoof-seconds SEC]]

The lab (qemu/netlab/): a network namespace "netlab-<pid>" holding a bridge
br0 (10.77.0.1/24, fd00:77::1/64) and one tap per client; dnsmasq (DHCP,
TFTP, IPv6 router advertisements) and, for --proto http, nginx on
http://10.77.0.1/, both serving the same root; N QEMU clients started at
once, PXE-booting Debian's pxelinux.0, which runs the loader (ours:
B/mboot.c32, stock: SYSLINUX's mboot.c32) with a DEFAULT line naming the
files (http://10.77.0.1/NAME for --proto http).  --loss PCT drops PCT % of
the frames the bridge receives and of those it sends (nftables, bridge
family, input and output hooks), from the first DHCP packet on.

--tftp-server: who serves TFTP on 10.77.0.1:69: dnsmasq itself (default),
tftpd-hpa's in.tftpd (--secure, standalone) or atftpd (Debian's 0.8.0,
unpacked by tests/install-deps.sh under /var/cache/mboot-lab/atftpd, its
defaults); with the last two dnsmasq does DHCP only.  Their logs:
tftpd-hpa.log (its syslog lines) or atftpd.log in the work directory.

--server-rate MBPS polices what the servers send (the bridge's output
hook: nftables "limit rate over MBPS mbytes/second burst KB kbytes"), a
thin server uplink; --server-burst KB (default 64).  Every run counts the
frames and bytes the servers sent on that hook (and, with a rate, those
the policer dropped), and reports the bytes the server sent per byte the
clients needed: needed = per client, the size of every file of the TFTP
root (pxelinux.0, ldlinux.c32, libcom32.c32, mboot.c32, the config and
the kernel and modules) once; sent = all frame bytes out of br0 (headers,
DHCP, ARP and the HTTP server's included), dropped or not.  The ratio for
the payload files alone (kernel and modules) is reported too.

--kernel tk boots the test kernel with random modules (--tk-mods, MiB) whose
length and CRC-32 it checks: every client must get every module byte-exact.
--kernel xen boots Xen 4.17 + Debian's dom0 to the initrd's md5 check.
--kernel iscsi boots Xen + dom0 whose root is an iSCSI LUN that tgt
(servers.Tgtd) exports in the namespace, on clients with two NICs booting
from the second, one client per --iscsi-cases entry LOADER:IPAPPEND
(default ours:2,ours:3,stock:2; qemu/netlab/iscsi.py); it prints
"iscsi: N passed, M failed" last (a stock case passes when its dom0 finds
no BOOTIF=, the expected result).

--restart-dnsmasq-after SEC: dnsmasq is killed with SIGKILL in the middle
of its transfer of the biggest module (vmlinuz for xen), SEC seconds after
it sent that file's first block (--proto http: SEC seconds after a console
shows the loader at that file), and started again 5 s after that.

--pin puts -sha256=HEX (the file's digest, computed here) before every
file name on the DEFAULT line.

--spoof adds a third host on the segment (qemu/netlab/spoofer.py, a veth
from its own namespace into br0) that learns the clients' addresses from
their broadcast DHCP/ARP and, from the moment a console shows PXELINUX's
banner (--spoof-from pxelinux: iPXE's own download of pxelinux.0 is left
alone) or from the moment it knows a client (--spoof-from dhcp), sends
forged TFTP OACK+DATA (the file: a small Multiboot kernel of the
attacker's that prints "FORGED KERNEL RAN"), DATA and ERROR packets at the
clients' UDP ports,
most with the server's address as source, at --spoof-rate packets/s
(at most 5000), until the boot ends or --spoof-seconds (default: the
timeout) pass.  The result gets its counts and what the clients sent back
to forged source ports (see spoofer.py).

Per client: success, seconds from QEMU start to PXELINUX's banner, to the
loader's first line, to the kernel (first Xen line,
or tk's TK START) and to the end (dom0 userspace marker, or tk's verdict),
the loader's messages.  Logs: B/netlab/<label>/ (client<i>.log, dnsmasq.log,
nginx/).  The namespace and every process are removed at the end, also on
errors, Ctrl-C and SIGTERM.  Exit status 0 when every client booted.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "netlab"))
import pxeboot  # noqa: E402
import namespace  # noqa: E402  (qemu/netlab/namespace.py)
import servers  # noqa: E402
import clients  # noqa: E402
import payloads  # noqa: E402
import spoofer  # noqa: E402
import iscsi  # noqa: E402  (qemu/netlab/iscsi.py)

RESTART_GAP = 5.0  # seconds between dnsmasq's death and its restart
NO_BANNER_LIMIT = 240.0  # seconds a client may take to show PXELINUX


class LabError(Exception):
    """The lab could not be set up (missing tool, no root, ...)."""


class Interrupted(Exception):
    """SIGINT/SIGTERM/SIGHUP arrived."""


def label_of(opts):
    """A directory name describing the run."""
    return "%s-%s-%s%s-%dc-%gpct%s%s%s%s" % (
        opts.loader, opts.proto,
        "" if opts.tftp_server == "dnsmasq" else opts.tftp_server + "-",
        opts.kernel, opts.clients, opts.loss,
        "-rate%gb%g" % (opts.server_rate, opts.server_burst)
        if opts.server_rate is not None else "",
        "-restart%g" % opts.restart_dnsmasq_after
        if opts.restart_dnsmasq_after is not None else "",
        "-pin" if opts.pin else "", "-spoof" if opts.spoof else "")


def claim_workdir(build, label):
    """B/netlab/<label>, or <label>-<pid> when another run holds it.
    Returns (path, open lock file kept for the run's duration)."""
    base = os.path.join(build, "netlab")
    os.makedirs(base, exist_ok=True)
    for name in (label, "%s-%d" % (label, os.getpid())):
        lock = open(os.path.join(base, name + ".lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        path = os.path.join(base, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.makedirs(path)
        return path, lock
    raise LabError("cannot lock a work directory under %s" % base)


def remove_stale_namespaces():
    """Delete namespaces "netlab-<pid>" whose process is gone (left by a
    run that was killed with SIGKILL), after killing what still runs in
    them: QEMU and nginx die with their parent, but dnsmasq changes its
    credentials, which clears that request."""
    r = os.popen("ip netns list 2>/dev/null").read()
    for m in re.finditer(r"^netlab-(\d+)\b", r, re.M):
        pid = int(m.group(1))
        if pid != os.getpid() and not os.path.exists("/proc/%d" % pid):
            name = "netlab-%d" % pid
            for left in os.popen("ip netns pids %s 2>/dev/null" % name):
                try:
                    os.kill(int(left), signal.SIGKILL)
                except (ValueError, OSError):
                    pass
            os.system("ip netns delete %s 2>/dev/null" % name)


def make_payload(opts):
    """The TkPayload, XenPayload or IscsiPayload for @opts."""
    if opts.kernel == "iscsi":
        return iscsi.IscsiPayload(opts.build, loader_path(opts),
                                  pxeboot.STOCK_MBOOT, opts.iscsi_cases)
    if opts.kernel == "tk":
        sizes = [int(float(x) * (1 << 20)) for x in opts.tk_mods.split(",")
                 if x.strip()]
        return payloads.TkPayload(opts.build, opts.loader, sizes)
    return payloads.XenPayload(opts.build, opts.loader)


def loader_path(opts):
    """The loader module file for --loader."""
    if opts.loader == "stock":
        return pxeboot.STOCK_MBOOT
    path = os.path.join(opts.build, "mboot.c32")
    if not os.path.exists(path):
        raise LabError("%s is missing (make BUILD=%s)" % (path, opts.build))
    return path


def pinned_line(line, files):
    """DEFAULT line @line ("mboot.c32 KERNEL args --- MODULE args ...")
    with "-sha256=HEX " before each file name, HEX the SHA-256 of the file
    of that name (its last path component) in @files {name: path}."""
    head, rest = line.split(" ", 1)
    parts = []
    for part in rest.split(" --- "):
        name = part.split(" ", 1)[0]
        base = name.rsplit("/", 1)[-1]
        with open(files[base], "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        parts.append("-sha256=%s %s" % (digest, part))
    return head + " " + " --- ".join(parts)


def stuck_early(client):
    """"no-pxelinux" when @client has shown no PXELINUX banner after
    NO_BANNER_LIMIT seconds (seen before dnsmasq ran with --no-ping: it
    answered one DISCOVER per 3 s and iPXE gave up), else None."""
    if client.now() > NO_BANNER_LIMIT and \
            client.first(r"^PXELINUX \d") is None:
        return "no-pxelinux"
    return None


def dhcp_story(logpath, mac):
    """The DHCP message types dnsmasq logged for @mac, in order, repeats
    folded (e.g. "DISCOVER OFFER REQUEST ACK")."""
    seen = []
    try:
        with open(logpath, errors="replace") as f:
            for line in f:
                m = re.search(r"DHCP([A-Z]+)\(br0\).* %s" % mac, line)
                if m and (not seen or seen[-1] != m.group(1)):
                    seen.append(m.group(1))
    except OSError:
        pass
    return " ".join(seen) or "nothing"


def tree_size(root):
    """The total size in bytes of the files under @root."""
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(root) for f in files)


def needed_bytes(root_bytes, payload_bytes, clients, link):
    """The bytes-sent-per-byte-needed figures for @clients clients each
    needing @root_bytes (the whole TFTP root: boot files + payload), of
    which @payload_bytes are the kernel and modules, given the server link
    counters @link (Namespace.server_link_counters)."""
    out = {"needed_bytes": root_bytes * clients,
           "needed_payload_bytes": payload_bytes * clients,
           "sent_per_needed": None, "sent_per_needed_payload": None}
    if link and link.get("sent") and root_bytes and clients:
        out["sent_per_needed"] = link["sent"][1] / float(out["needed_bytes"])
        out["sent_per_needed_payload"] = \
            link["sent"][1] / float(out["needed_payload_bytes"])
    return out


def median(values):
    """The median of @values, None when empty."""
    return statistics.median(values) if values else None


def run_lab(opts, say=print):
    """Run one lab as @opts asks; returns the result dict (see main's
    --json).  Raises LabError if it cannot be set up; always tears down."""
    problems = namespace.missing_prerequisites()
    missing = servers.tftp_server_missing(opts.tftp_server)
    if missing:
        problems.append(missing)
    if problems:
        raise LabError("; ".join(problems))
    opts.build = os.path.abspath(opts.build)
    lpath = loader_path(opts)
    payload = make_payload(opts)
    label = label_of(opts)
    workdir, lock = claim_workdir(opts.build, label)
    root = os.path.join(workdir, "root")
    ns = namespace.Namespace("netlab-%d" % os.getpid())
    prefix = "http://%s/" % ns.ipv4 if opts.proto == "http" else ""
    line = payload.line(prefix)
    if opts.pin:
        line = pinned_line(line, payload.files())
    pxeboot.make_tftp_root(root, lpath, payload.files(), line,
                           extra_cfg="CONSOLE 0\n")
    root_sizes = tree_size(root)
    payload_sizes = sum(os.path.getsize(p) for p in payload.files().values())
    sercon = os.path.join(workdir, "sercon-port")
    with open(sercon, "wb") as f:
        f.write(b"\xf8\x03")
    remove_stale_namespaces()
    result = {"label": label, "workdir": workdir,
              "config": {k: getattr(opts, k) for k in (
                  "loader", "proto", "clients", "loss", "kernel",
                  "restart_dnsmasq_after", "timeout", "tk_mods", "pin",
                  "spoof", "spoof_rate", "spoof_from", "spoof_seconds",
                  "spoof_dense", "spoof_sweep", "tftp_server",
                  "server_rate", "server_burst")},
              "line": line, "events": [],
              "load_before": os.getloadavg()}
    dnsmasq = web = spoof = tftpd = tgt = None
    cls = []
    try:
        ns.create()
        for i in range(opts.clients):
            ns.add_tap("tap%d" % i)
            if getattr(payload, "dead_nic", False):
                ns.add_dead_tap("dead%d" % i)
        ns.set_loss(opts.loss)
        ns.set_server_link(opts.server_rate, opts.server_burst)
        dnsmasq, tftpd = servers.make_tftp_server(opts.tftp_server, ns,
                                                  root, workdir)
        dnsmasq.start()
        if tftpd:
            tftpd.start()
        if opts.proto == "http":
            web = servers.WebServer(ns, root, workdir).start()
        if payload.kind == "iscsi":  # the LUN dom0's root is on
            tgt = servers.Tgtd(ns, workdir, payload.image,
                               iscsi.TARGET).start()
        if opts.spoof:
            spoof = spoofer.Spoofer(workdir, opts.spoof_rate,
                                    opts.spoof_seconds, opts.spoof_dense,
                                    opts.spoof_sweep)
            spoof.start(ns, armed=opts.spoof_from == "dhcp")
        cls = [clients.Client(i, ns, payload.mem, payload.cpu,
                              os.path.join(workdir, "client%d.log" % i),
                              sercon if opts.sercon else None,
                              dead_nic=getattr(payload, "dead_nic", False))
               for i in range(opts.clients)]
        if hasattr(payload, "configs"):  # one pxelinux.cfg file per MAC
            for name, text in payload.configs(cls, ns.ipv4).items():
                with open(os.path.join(root, name), "w") as f:
                    f.write(text)
        restart = _Restarter(opts.restart_dnsmasq_after, dnsmasq,
                             payload.trigger_name, opts.proto == "tftp",
                             result["events"], say)
        say("netlab: %s: %d client(s), loss %g %%, namespace %s, logs %s"
            % (label, opts.clients, opts.loss, ns.name, workdir))
        t0 = time.monotonic()
        restart.t0 = t0

        def on_text(client, fragments):
            """The restart trigger; the spoofer's go at PXELINUX's banner."""
            restart.on_text(client, fragments)
            if spoof and not spoof.went and \
                    any(re.match(r"PXELINUX \d", f) for f in fragments):
                spoof.go()
                result["events"].append({
                    "t": round(time.monotonic() - t0, 2),
                    "what": "spoofer starts (client %d shows PXELINUX)"
                    % client.index})
        for c in cls:
            c.start(t0)
        clients.watch(cls, opts.timeout, lambda c: stuck_early(c) or
                      payload.stop(c), on_text=on_text,
                      tick=restart.tick,
                      period=0.02 if restart.after is not None else 0.5)
        result["loss_counters"] = ns.loss_counters()
        result["server_link"] = ns.server_link_counters()
        if web:
            result["http_served"] = web.served()
    finally:
        for c in cls:
            if c.proc is not None and c.outcome is None:
                c.finish("interrupted")
        if spoof:
            spoof.stop()
            result["spoofer"] = spoof.stats()
        if web:
            web.stop()
        if tgt:
            result["iscsi_sessions_at_end"] = tgt.sessions()
            tgt.stop()
        if tftpd:
            tftpd.stop()
        if dnsmasq:
            dnsmasq.stop()
        ns.delete()
        if not opts.keep:
            shutil.rmtree(root, ignore_errors=True)
        lock.close()
    result["load_after"] = os.getloadavg()
    result.update(needed_bytes(root_sizes, payload_sizes, len(cls),
                               result.get("server_link")))
    result["clients"] = []
    for c in cls:
        j = payload.judge(c)
        j["reasons"] = list(j["reasons"])
        if not j["ok"] and c.first(r"^PXELINUX \d") is None:
            j["reasons"].append("never reached PXELINUX; dnsmasq's DHCP log "
                                "for %s: %s" % (c.mac, dhcp_story(
                                    os.path.join(workdir, "dnsmasq.log"),
                                    c.mac)))
        result["clients"].append(dict(
            index=c.index, mac=c.mac, outcome=c.outcome, log=c.logpath,
            t_pxelinux=c.first(r"^PXELINUX \d"),
            t_loader=c.first(r"^(mboot: |Loading )"),
            loader_messages=payloads.loader_messages(c, payload.kernel_rx), **j))
    firsts = [c["t_first"] for c in result["clients"]
              if c["ok"] and c["t_first"] is not None]
    dones = [c["t_done"] for c in result["clients"]
             if c["ok"] and c["t_done"] is not None]
    result.update(
        booted=sum(c["ok"] for c in result["clients"]), total=len(cls),
        first_label=payload.first_label, done_label=payload.done_label,
        first_median=median(firsts), first_max=max(firsts, default=None),
        done_median=median(dones), done_max=max(dones, default=None))
    return result


class _Restarter:
    """Kills dnsmasq (SIGKILL) in the middle of the transfer of file @name
    and restarts it RESTART_GAP seconds later; a no-op if @after is None.

    Over TFTP (@by_tftp) the transfer is seen from dnsmasq's side (polled
    every 20 ms): the offset of its open root/@name, which it reads block by
    block as it sends.  dnsmasq is killed @after seconds after that offset
    was first above 0 (data flowing: a loader that only asks for the size
    opens the file without any block being read), if it still holds the
    file open then; otherwise at the next moment it does.  Over HTTP, dnsmasq sends nothing
    then: the trigger is the console showing the loader at @name, and the
    kill comes @after seconds later (DHCP/TFTP server gone meanwhile).
    Records events as {"t", "what"}."""

    def __init__(self, after, dnsmasq, name, by_tftp, events, say):
        self.after = after
        self.dnsmasq = dnsmasq
        self.rx = payloads.trigger_regex(name)
        self.name = name
        self.by_tftp = by_tftp
        self.events = events
        self.say = say
        self.t0 = None
        self.seen = self.killed = self.restarted = None

    def _event(self, what):
        """Record and print event @what; returns its time."""
        t = round(time.monotonic() - self.t0, 2)
        self.events.append({"t": t, "what": what})
        self.say("netlab: [%7.2f] %s" % (t, what))
        return t

    def on_text(self, client, fragments):
        """HTTP trigger: the console shows the loader at the file."""
        if self.after is None or self.by_tftp or self.seen is not None:
            return
        for frag in fragments:
            if self.rx.search(frag):
                self.seen = self._event("client %d transfers %s: %r" % (
                    client.index, self.name, frag.strip()[:80]))
                return

    def tick(self, now):
        """TFTP trigger, the kill and the restart, by the clock @now."""
        if self.after is None:
            return
        t = now - self.t0
        sent = None
        if self.by_tftp and self.killed is None:
            sent = self.dnsmasq.sent_of(self.name)
            if self.seen is None and sent:
                self.seen = self._event("dnsmasq is sending %s (at byte %d)"
                                        % (self.name, sent))
        if self.seen is None:
            return
        if self.killed is None and t >= self.seen + self.after and \
                (not self.by_tftp or sent is not None):
            self.dnsmasq.kill()
            self.killed = self._event("dnsmasq killed (SIGKILL)%s" % (
                " while sending %s, at byte %d" % (self.name, sent)
                if self.by_tftp else ""))
        elif self.killed is not None and self.restarted is None and \
                t >= self.killed + RESTART_GAP:
            self.dnsmasq.start()
            self.restarted = self._event("dnsmasq restarted")


def fmt_s(t):
    """Seconds @t as "12.3", or "-" for None."""
    return "-" if t is None else "%.1f" % t


def summary_lines(r):
    """The human summary of result @r: one headline, one row per client,
    then the reasons and interesting loader messages."""
    cfg = r["config"]
    link = r.get("server_link") or {}
    out = ["netlab: %s %s %s, %s, %d client(s), %g %% loss%s%s: %d/%d "
           "booted; %s median %s s max %s s; %s median %s s max %s s; "
           "server sent %s per byte needed" % (
               cfg["loader"], cfg["proto"], cfg["kernel"],
               cfg.get("tftp_server", "dnsmasq"), r["total"], cfg["loss"],
               ", server link %g MB/s burst %g KB" % (
                   cfg["server_rate"], cfg["server_burst"])
               if cfg.get("server_rate") is not None else "",
               ", dnsmasq restart" if cfg["restart_dnsmasq_after"]
               is not None else "", r["booted"], r["total"],
               r["first_label"], fmt_s(r["first_median"]),
               fmt_s(r["first_max"]), r["done_label"],
               fmt_s(r["done_median"]), fmt_s(r["done_max"]),
               "-" if r.get("sent_per_needed") is None
               else "%.2f" % r["sent_per_needed"])]
    out.append("  %-6s %-5s %9s %9s %9s %10s  %-12s %-18s %s" % (
        "client", "ok", "pxelinux", "loader", r["first_label"] + "(s)",
        r["done_label"] + "(s)", "check", "end", "loader messages"))
    for c in r["clients"]:
        msgs = c["loader_messages"]
        out.append("  %-6d %-5s %9s %9s %9s %10s  %-12s %-18s %d%s" % (
            c["index"], "PASS" if c["ok"] else "FAIL",
            fmt_s(c["t_pxelinux"]), fmt_s(c["t_loader"]), fmt_s(c["t_first"]),
            fmt_s(c["t_done"]), c["detail"], c["outcome"], len(msgs),
            (": " + msgs[-1][1][:70]) if msgs else ""))
    for c in r["clients"]:
        if "case" in c:  # iscsi: what each case came to
            out.append("  client %d (%s, boots from %s): %s" % (
                c["index"], c["case"], c["mac"], c["result"]))
    for c in r["clients"]:
        for why in c["reasons"]:
            out.append("  client %d: %s" % (c["index"], why))
        interesting = [m for m in c["loader_messages"] if re.search(
            r"retr|fail|error|timed? ?out|giv|resum|stall|abort|skipped|again",
            m[1], re.I)]
        for t, m in interesting[:12]:
            out.append("  client %d [%s] %s" % (c["index"], fmt_s(t), m))
        if not c["ok"]:
            out.append("  client %d log: %s" % (c["index"], c["log"]))
    if r.get("loss_counters"):
        out.append("  frames dropped: " + ", ".join(
            "%s %d of %d" % (k, v[1], v[0])
            for k, v in sorted(r["loss_counters"].items())))
    if link:
        out.append("  server link: sent %d frames, %.1f MB; policer dropped "
                   "%d frames, %.1f MB; passed %d frames, %.1f MB; clients "
                   "needed %.1f MB (boot files + payload, each client once; "
                   "payload alone %.1f MB): sent/needed %s, sent/payload %s"
                   % (link["sent"][0], link["sent"][1] / 1e6,
                      link["dropped"][0], link["dropped"][1] / 1e6,
                      link["passed"][0], link["passed"][1] / 1e6,
                      r["needed_bytes"] / 1e6,
                      r["needed_payload_bytes"] / 1e6,
                      "-" if r["sent_per_needed"] is None
                      else "%.2f" % r["sent_per_needed"],
                      "-" if r["sent_per_needed_payload"] is None
                      else "%.2f" % r["sent_per_needed_payload"]))
    for e in r["events"]:
        out.append("  event [%s] %s" % (fmt_s(e["t"]), e["what"]))
    if r.get("spoofer"):
        out += spoofer_lines(r)
    out.append("  load average before %.2f, after %.2f" % (
        r["load_before"][0], r["load_after"][0]))
    return out


def spoofer_lines(r):
    """What the spoofer of result @r sent, what the clients answered to
    forged ports, and what came of it per client."""
    sp = r["spoofer"]
    s = sp.get("sent", {})
    w = sp.get("witness", {})
    out = ["  spoofer: %d packets at %d/s from %s (go at %s s): oack %d, "
           "data %d, error %d; from the server's address %d, from its own "
           "%d; source port 69 %d, random %d; to 60000-60007 %d, sweep "
           "%s %d"
           % (s.get("packets", 0), sp.get("rate", 0), sp.get("own_ip"),
              sp.get("t_go"), s.get("oack", 0), s.get("data", 0),
              s.get("error", 0),
              sum(v for k, v in s.items() if k.endswith(":spoofed")),
              sum(v for k, v in s.items() if k.endswith(":own")),
              sum(v for k, v in s.items() if k.endswith(":sport69")),
              sum(v for k, v in s.items() if k.endswith(":sport_random")),
              sum(v for k, v in s.items() if k.endswith(":dense")),
              sp.get("sweep"),
              sum(v for k, v in s.items() if k.endswith(":sweep"))),
           "  spoofer: targets %s; bridge passed %d of its frames; clients "
           "answered forged ports: ACK to port 69 %d, ACK to a forged port "
           "%d, ERROR to 69 %d, ERROR to a forged port %d%s" % (
               ", ".join("%s (%s at %s s)" % (t["ip"], t["how"], t["t"])
                         for t in sp.get("targets", [])) or "none",
               w.get("bridged", 0), w.get("ack_69", 0),
               w.get("ack_forged", 0), w.get("error_69", 0),
               w.get("error_forged", 0),
               "; send errors %d" % s["send_errors"]
               if s.get("send_errors") else "")]
    if sp.get("error"):
        out.append("  spoofer: FAILED: %s" % sp["error"])
    return out


def parser():
    """The command-line parser (netbench.py builds its runs with it)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--loader", choices=("ours", "stock"), default="ours")
    ap.add_argument("--proto", choices=("tftp", "http"), default="tftp")
    ap.add_argument("--clients", type=int, default=1)
    ap.add_argument("--loss", type=float, default=0,
                    help="percent of frames dropped each way (integer)")
    ap.add_argument("--kernel", choices=("tk", "xen", "iscsi"), default="tk")
    ap.add_argument("--iscsi-cases", default="ours:2,ours:3,stock:2",
                    help="--kernel iscsi: one LOADER:IPAPPEND per client "
                    "(default %(default)s)")
    ap.add_argument("--restart-dnsmasq-after", type=float, metavar="SEC")
    ap.add_argument("--tftp-server", choices=servers.TFTP_SERVERS,
                    default="dnsmasq",
                    help="the TFTP server (default %(default)s; with hpa "
                    "or atftpd dnsmasq does DHCP only)")
    ap.add_argument("--server-rate", type=float, metavar="MBPS",
                    help="police what the servers send to MBPS MB/s")
    ap.add_argument("--server-burst", type=float, default=64, metavar="KB",
                    help="the policer's burst (default %(default)s KB)")
    ap.add_argument("--timeout", type=float,
                    help="seconds per client (default: tk 300, xen 600)")
    ap.add_argument("--tk-mods", default="3,2,1",
                    help="tk module sizes in MiB, comma-separated "
                    "(default %(default)s)")
    ap.add_argument("--sercon", action="store_true",
                    help="mirror SeaBIOS/iPXE screen text to the serial log "
                    "(shows iPXE's DHCP; but the loader's lines then come "
                    "twice and broken, so timings still work, messages less)")
    ap.add_argument("--pin", action="store_true",
                    help="-sha256=HEX before every file on the line")
    ap.add_argument("--spoof", action="store_true",
                    help="a third host sends forged TFTP packets at the "
                    "clients (qemu/netlab/spoofer.py)")
    ap.add_argument("--spoof-rate", type=int, default=spoofer.MAX_RATE,
                    metavar="PPS", help="packets per second (1..%d, default "
                    "%%(default)s)" % spoofer.MAX_RATE)
    ap.add_argument("--spoof-from", choices=("pxelinux", "dhcp"),
                    default="pxelinux",
                    help="start at PXELINUX's banner (default) or as soon "
                    "as a client's address is known")
    ap.add_argument("--spoof-seconds", type=float, metavar="SEC",
                    help="stop sending after SEC s (default: --timeout)")
    ap.add_argument("--spoof-dense", type=float, metavar="SHARE",
                    default=spoofer.DENSE_SHARE,
                    help="share of the packets for mboot's old ports "
                    "60000-60007 (default %(default)s)")
    ap.add_argument("--spoof-sweep", metavar="LO-HI",
                    default="%d-%d" % spoofer.SWEEP,
                    help="ports swept with the rest (default %(default)s; "
                    "PXELINUX's 49152-57343 always left out)")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--keep", action="store_true",
                    help="keep the boot root in the work directory")
    return ap


def fill_defaults(opts):
    """Defaults that depend on other options; checks ranges."""
    if opts.timeout is None:
        opts.timeout = 300.0 if opts.kernel == "tk" else 600.0
    if opts.kernel == "iscsi":  # one client per case
        try:
            opts.iscsi_cases = [(l, int(v)) for l, v in (
                c.split(":") for c in opts.iscsi_cases.split(","))]
        except ValueError:
            raise LabError("--iscsi-cases: LOADER:IPAPPEND,... expected")
        if any(l not in ("ours", "stock") or not 1 <= v <= 3
               for l, v in opts.iscsi_cases):
            raise LabError("--iscsi-cases: loaders ours|stock, IPAPPEND 1-3")
        opts.clients = len(opts.iscsi_cases)
    if opts.loss != int(opts.loss) or not 0 <= opts.loss < 100:
        raise LabError("--loss must be an integer percentage 0..99")
    opts.loss = int(opts.loss)
    if opts.restart_dnsmasq_after is not None and \
            opts.tftp_server != "dnsmasq":
        raise LabError("--restart-dnsmasq-after needs --tftp-server dnsmasq "
                       "(it follows dnsmasq's own TFTP transfer)")
    if opts.server_rate is not None and not (
            opts.server_rate > 0 and opts.server_burst > 0 and
            opts.server_burst == int(opts.server_burst)):
        raise LabError("--server-rate must be > 0 and --server-burst a "
                       "whole number of KB > 0")
    if not 1 <= opts.clients <= 64:
        raise LabError("--clients must be 1..64")
    if not 1 <= opts.spoof_rate <= spoofer.MAX_RATE:
        raise LabError("--spoof-rate must be 1..%d" % spoofer.MAX_RATE)
    if opts.spoof_seconds is None:
        opts.spoof_seconds = opts.timeout
    m = re.match(r"^(\d+)-(\d+)$", str(opts.spoof_sweep))
    if not m or not 1024 <= int(m.group(1)) <= int(m.group(2)) <= 65535:
        raise LabError("--spoof-sweep must be LO-HI within 1024-65535")
    opts.spoof_sweep = (int(m.group(1)), int(m.group(2)))
    if not 0 <= opts.spoof_dense <= 1:
        raise LabError("--spoof-dense must be 0..1")
    return opts


def install_signal_handlers():
    """SIGTERM and SIGHUP raise Interrupted (SIGINT raises
    KeyboardInterrupt), so run_lab's cleanup runs."""
    def handler(signum, frame):
        """Ignore further signals and unwind into the cleanup."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        raise Interrupted("signal %d" % signum)
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)


def main():
    """Run one lab from the command line; exit status 0 when all booted."""
    opts = parser().parse_args()
    install_signal_handlers()
    try:
        fill_defaults(opts)
        r = run_lab(opts)
    except (LabError, RuntimeError) as e:
        print("netlab: cannot run: %s" % e, file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Interrupted) as e:
        print("netlab: interrupted (%s); lab removed" % (e or "SIGINT"),
              file=sys.stderr)
        return 130
    print("\n".join(summary_lines(r)), flush=True)
    if opts.kernel == "iscsi":  # a suite line for tests/run-all.sh
        print("iscsi: %d passed, %d failed" % (r["booted"],
                                               r["total"] - r["booted"]))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump(r, f, indent=1)
    return 0 if r["booted"] == r["total"] else 1


if __name__ == "__main__":
    sys.exit(main())
