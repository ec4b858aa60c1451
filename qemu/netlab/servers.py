"""servers.py - dnsmasq (DHCP + TFTP + IPv6 RA) and nginx inside a namespace.

Both run as our own children through `ip netns exec` (which execs the
daemon, so the child's pid is the daemon's), with their own configuration,
pid, lease and log files under a work directory; neither touches the
system's instances.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import nginx  # noqa: E402  (qemu/nginx.py: its configuration template)
from clients import die_with_parent  # noqa: E402


def _wait_gone(proc, seconds):
    """Wait up to @seconds for @proc to end; kill it if it does not."""
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Dnsmasq:
    """Debian's dnsmasq (dnsmasq-base) as DHCP/TFTP server on br0."""

    def __init__(self, ns, root, workdir, first_host=100, last_host=199):
        self.ns = ns
        self.root = root
        self.workdir = workdir
        net = ns.ipv4.rsplit(".", 1)[0]
        self.range4 = "%s.%d,%s.%d,255.255.255.0,1h" % (net, first_host,
                                                        net, last_host)
        self.range6 = ns.ipv6.rsplit("::", 1)[0] + "::,ra-only,64"
        self.proc = None
        self.starts = 0
        self.log = os.path.join(workdir, "dnsmasq.log")

    def command(self):
        """dnsmasq's argument list: no config file, no DNS, br0 only."""
        w = self.workdir
        return ["dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--interface=br0", "--bind-interfaces", "--port=0",
                "--user=root", "--no-resolv", "--no-hosts",
                "--dhcp-authoritative",
                # Without it dnsmasq pings each address it is about to offer
                # and waits 3 s for an answer, blocking everything else:
                # 8 clients' DISCOVERs then take 24 s and iPXE gives up.
                "--no-ping",
                "--dhcp-range=" + self.range4,
                "--dhcp-range=" + self.range6, "--enable-ra",
                "--dhcp-boot=pxelinux.0",
                "--enable-tftp", "--tftp-root=" + self.root,
                "--dhcp-leasefile=" + os.path.join(w, "dnsmasq.leases"),
                "--pid-file=" + os.path.join(w, "dnsmasq.pid"),
                "--log-facility=" + self.log, "--log-dhcp"]

    def start(self):
        """Start dnsmasq and wait until it logs that it runs.  Returns self;
        raises RuntimeError with its output if it dies."""
        err = open(os.path.join(self.workdir, "dnsmasq.stderr"), "a")
        self.proc = subprocess.Popen(self.ns.prefix(self.command()),
                                     stdin=subprocess.DEVNULL, stdout=err,
                                     stderr=err, start_new_session=True,
            preexec_fn=die_with_parent)
        err.close()
        self.starts += 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("dnsmasq exited with status %d: %s" % (
                    self.proc.returncode, _tail(os.path.join(
                        self.workdir, "dnsmasq.stderr"))))
            if _count(self.log, "TFTP root is") >= self.starts:
                return self
            time.sleep(0.05)
        raise RuntimeError("dnsmasq did not report its TFTP root in 10 s")

    def sent_of(self, name):
        """How far dnsmasq has read root/@name (the byte offset of its
        open file: it reads each block just before sending it), the largest
        over its open descriptors; None while it does not hold the file
        open.  From /proc/PID/fd and fdinfo."""
        if not self.proc or self.proc.poll() is not None:
            return None
        want = os.path.join(os.path.abspath(self.root), name)
        fddir = "/proc/%d/fd" % self.proc.pid
        best = None
        try:
            fds = os.listdir(fddir)
        except OSError:
            return None
        for fd in fds:
            try:
                if os.readlink(os.path.join(fddir, fd)) != want:
                    continue
                with open("/proc/%d/fdinfo/%s" % (self.proc.pid, fd)) as f:
                    pos = int(f.readline().split()[1])
                best = pos if best is None else max(best, pos)
            except (OSError, ValueError, IndexError):
                continue
        return best

    def kill(self):
        """SIGKILL dnsmasq (a crash: open TFTP transfers just stop)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        """End dnsmasq (TERM, then KILL after 5 s).  Never raises."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            _wait_gone(self.proc, 5)


class WebServer:
    """nginx serving @root on http://IPV4:80/ inside the namespace."""

    def __init__(self, ns, root, workdir):
        self.ns = ns
        self.root = root
        self.prefix = os.path.join(workdir, "nginx")
        self.proc = None

    @property
    def access_log(self):
        """nginx's access log file."""
        return os.path.join(self.prefix, "access.log")

    def start(self):
        """Start nginx and wait until it accepts a connection.  Returns
        self; raises RuntimeError with its error log otherwise."""
        for d in ("tmp", "logs"):
            os.makedirs(os.path.join(self.prefix, d), exist_ok=True)
        conf = os.path.join(self.prefix, "nginx.conf")
        template = nginx.CONFIG.replace("listen 127.0.0.1:{port};",
                                        "listen {port};")
        with open(conf, "w") as f:
            f.write(template.format(prefix=self.prefix,
                                    port="%s:80" % self.ns.ipv4,
                                    root=os.path.abspath(self.root),
                                    extra=""))
        err = open(os.path.join(self.prefix, "stderr.log"), "w")
        self.proc = subprocess.Popen(
            self.ns.prefix(["nginx", "-p", self.prefix + "/", "-c", conf]),
            stdin=subprocess.DEVNULL, stdout=err, stderr=err,
            start_new_session=True,
            preexec_fn=die_with_parent)
        err.close()
        probe = ("import socket,sys\nfor i in range(100):\n"
                 " try: socket.create_connection(('%s',80),1).close(); "
                 "sys.exit(0)\n except OSError:\n  import time; "
                 "time.sleep(0.1)\nsys.exit(1)\n" % self.ns.ipv4)
        r = subprocess.run(self.ns.prefix([sys.executable, "-c", probe]))
        if r.returncode != 0 or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("nginx did not start: %s" % _tail(
                os.path.join(self.prefix, "stderr.log")))
        return self

    def served(self):
        """{path: [status, ...]} from the access log."""
        out = {}
        try:
            with open(self.access_log) as f:
                for line in f:
                    parts = line.split('"')
                    if len(parts) > 2:
                        req = parts[1].split()
                        status = parts[2].split()[:1]
                        if len(req) >= 2 and status:
                            out.setdefault(req[1], []).append(status[0])
        except OSError:
            pass
        return out

    def stop(self):
        """End nginx.  Never raises."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            _wait_gone(self.proc, 5)


def _count(path, text):
    """How many lines of file @path contain @text (0 if unreadable)."""
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if text in line)
    except OSError:
        return 0


def _tail(path, n=5):
    """The last @n lines of @path, joined (for error messages)."""
    try:
        with open(path, errors="replace") as f:
            return " | ".join(f.read().strip().splitlines()[-n:])
    except OSError:
        return "(no output)"
