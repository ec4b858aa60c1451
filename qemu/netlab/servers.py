"""servers.py - dnsmasq (DHCP + TFTP + IPv6 RA), tftpd-hpa, atftpd and
nginx inside a namespace.

Each runs as our own child through `ip netns exec` (which execs the
daemon, so the child's pid is the daemon's), with its own configuration,
pid, lease and log files under a work directory; none touches the
system's instances.  The TFTP server is one of dnsmasq's own TFTP
(Dnsmasq(tftp=True)), tftpd-hpa's in.tftpd (TftpdHpa) or atftpd (Atftpd),
the last two bound to the bridge address's port 69 while dnsmasq does DHCP
only; make_tftp_server() picks one by name.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import shutil
import signal
import socket
import threading
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

    def __init__(self, ns, root, workdir, first_host=100, last_host=199,
                 tftp=True):
        self.ns = ns
        self.tftp = tftp
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
        """dnsmasq's argument list: no config file, no DNS, br0 only; its
        TFTP server only when self.tftp (otherwise another program serves
        TFTP on the same address, which DHCP names as next server)."""
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
                "--dhcp-leasefile=" + os.path.join(w, "dnsmasq.leases"),
                "--pid-file=" + os.path.join(w, "dnsmasq.pid"),
                "--log-facility=" + self.log, "--log-dhcp"] + (
                    ["--enable-tftp", "--tftp-root=" + self.root]
                    if self.tftp else [])

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
            # With TFTP its last start-up line names the TFTP root; without,
            # the DHCP range line is the last.
            if _count(self.log, "TFTP root is" if self.tftp
                      else "DHCP, IP range") >= self.starts:
                return self
            time.sleep(0.05)
        raise RuntimeError("dnsmasq did not report its %s in 10 s" % (
            "TFTP root" if self.tftp else "DHCP range"))

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


# Where tests/install-deps.sh unpacks Debian's atftpd package (dpkg-deb -x):
# it conflicts with tftpd-hpa, so it is not installed, only unpacked.
ATFTPD_CACHE = "/var/cache/mboot-lab/atftpd"
ATFTPD = os.path.join(ATFTPD_CACHE, "usr/sbin/atftpd")
IN_TFTPD = "/usr/sbin/in.tftpd"
TFTP_SERVERS = ("dnsmasq", "hpa", "atftpd")


def tftp_server_missing(kind):
    """A sentence saying what is missing to run TFTP server @kind, or
    None when it can run."""
    if kind == "hpa" and not os.access(IN_TFTPD, os.X_OK):
        return "%s not found (package tftpd-hpa; tests/install-deps.sh)" \
            % IN_TFTPD
    if kind == "atftpd" and not os.access(ATFTPD, os.X_OK):
        return "%s not found (tests/install-deps.sh unpacks Debian's " \
            "atftpd there)" % ATFTPD
    return None


class _Daemon:
    """A TFTP daemon run in the foreground inside the namespace, bound to
    the bridge address's port 69.  Subclasses give command() and name."""

    name = "tftpd"
    stderr_is_log = False  # the daemon writes its log to its stderr

    def __init__(self, ns, root, workdir):
        self.ns = ns
        self.root = os.path.abspath(root)
        self.workdir = workdir
        self.proc = None
        self.log = os.path.join(workdir, self.name + ".log")

    def wrap(self, cmd):
        """@cmd as started inside the namespace (subclasses may add a
        shell around it)."""
        return self.ns.prefix(cmd)

    def start(self):
        """Start the daemon and wait until something answers a TFTP read
        request on ADDR:69 (an error for a missing file is an answer).
        Returns self; raises RuntimeError with its output otherwise."""
        missing = tftp_server_missing(self.kind)
        if missing:
            raise RuntimeError(missing)
        errpath = self.log if self.stderr_is_log else \
            os.path.join(self.workdir, self.name + ".stderr")
        err = open(errpath, "a")
        self.proc = subprocess.Popen(self.wrap(self.command()),
                                     stdin=subprocess.DEVNULL, stdout=err,
                                     stderr=err, start_new_session=True,
                                     preexec_fn=die_with_parent)
        err.close()
        probe = ("import socket,sys,time\n"
                 "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                 "s.settimeout(0.2)\n"
                 "for i in range(50):\n"
                 " s.sendto(b'\\0\\1netlab-start-probe\\0octet\\0',"
                 "('%s',69))\n"
                 " try: s.recvfrom(600); sys.exit(0)\n"
                 " except OSError: pass\n"
                 "sys.exit(1)\n" % self.ns.ipv4)
        r = subprocess.run(self.ns.prefix([sys.executable, "-c", probe]))
        if r.returncode != 0 or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("%s did not answer on %s:69: %s" % (
                self.name, self.ns.ipv4, _tail(errpath)))
        return self

    def sent_of(self, name):
        """Not followed for this server (the restart case is dnsmasq's)."""
        return None

    def kill(self):
        """SIGKILL the daemon."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        """End the daemon and the children it forked per transfer (its
        process group: TERM, then KILL after 5 s).  Never raises."""
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except OSError:
                pass
            _wait_gone(self.proc, 5)
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass


class TftpdHpa(_Daemon):
    """tftpd-hpa's in.tftpd, standalone (--listen), --secure (chroot to the
    root), as Debian's default configuration runs it.  It logs only to
    syslog: its /dev/log is a datagram socket of ours (bind-mounted over
    /dev inside the namespace's own mount namespace, which `ip netns exec`
    makes private), whose messages go to tftpd-hpa.log."""

    name = "tftpd-hpa"
    kind = "hpa"

    def __init__(self, ns, root, workdir):
        super().__init__(ns, root, workdir)
        self.dev = os.path.join(workdir, "tftpd-hpa.dev")
        self.sock = None
        self.thread = None

    def command(self):
        """in.tftpd's arguments: foreground, one address, verbose."""
        return [IN_TFTPD, "--foreground", "--listen", "--address",
                "%s:69" % self.ns.ipv4, "--secure", "--verbose",
                "--verbose", self.root]

    def wrap(self, cmd):
        """A shell that puts our /dev (null, zero, urandom, log) in place
        first, then execs in.tftpd."""
        shutil.rmtree(self.dev, ignore_errors=True)
        os.makedirs(self.dev)
        binds = []
        for dev in ("null", "zero", "urandom"):
            open(os.path.join(self.dev, dev), "w").close()
            binds.append("mount --bind /dev/%s %s/%s" % (dev, self.dev, dev))
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(os.path.join(self.dev, "log"))
        os.chmod(os.path.join(self.dev, "log"), 0o666)
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()
        script = " && ".join(binds + ["mount --bind %s /dev" % self.dev,
                                      'exec "$@"'])
        return self.ns.prefix(["sh", "-c", script, "sh"] + list(cmd))

    def _collect(self):
        """Append each syslog datagram to the log file, until stop()."""
        sock = self.sock
        with open(self.log, "a") as f:
            while True:
                try:
                    data = sock.recv(4096)
                except OSError:
                    return
                f.write("%.3f %s\n" % (time.time(), data.decode(
                    "utf-8", "replace").rstrip("\n")))
                f.flush()

    def stop(self):
        """End in.tftpd and its children, then close the log socket."""
        super().stop()
        if self.sock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None


class Atftpd(_Daemon):
    """atftpd (Debian's 0.8.0, unpacked under ATFTPD_CACHE) standalone,
    without forking, bound to the bridge address, with its built-in
    defaults (retry timeout 5 s, Sorcerer's Apprentice prevention off, as
    Debian's package runs it), logging to atftpd.log through its stderr
    ("--logfile -": with a file name 0.8.0 wrote no file here)."""

    name = "atftpd"
    kind = "atftpd"
    stderr_is_log = True

    def command(self):
        """atftpd's arguments."""
        return [ATFTPD, "--daemon", "--no-fork", "--bind-address",
                self.ns.ipv4, "--port", "69", "--user", "root",
                "--group", "root", "--verbose=6", "--logfile", "-",
                self.root]


def make_tftp_server(kind, ns, root, workdir):
    """The servers for TFTP server @kind ("dnsmasq", "hpa", "atftpd"):
    (dnsmasq, tftp daemon or None); neither started.  dnsmasq serves TFTP
    itself only for "dnsmasq"."""
    if kind == "dnsmasq":
        return Dnsmasq(ns, root, workdir), None
    cls = {"hpa": TftpdHpa, "atftpd": Atftpd}[kind]
    return Dnsmasq(ns, root, workdir, tftp=False), cls(ns, root, workdir)


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


class Tgtd:
    """Debian's tgt (userspace iSCSI target, no kernel target modules) in
    the namespace, exporting @image as LUN 1 of target @iqn to every
    initiator on port 3260.  Its management socket
    (/var/run/tgtd/socket.<port>, outside the namespace's reach) gets a
    port of its own per lab, so labs and a system tgtd do not meet."""

    def __init__(self, ns, workdir, image, iqn):
        self.ns, self.workdir, self.image, self.iqn = ns, workdir, image, iqn
        self.port = 20000 + os.getpid() % 12000  # tgtd takes <= 32767
        self.log = os.path.join(workdir, "tgtd.log")
        self.proc = None

    def adm(self, *args):
        """tgtadm on our socket; raises RuntimeError with its output."""
        r = subprocess.run(self.ns.prefix(
            ["tgtadm", "-C", str(self.port), "--lld", "iscsi"] + list(args)),
            capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("tgtadm %s: %s" % (" ".join(args),
                                                  (r.stdout + r.stderr).strip()))
        return r.stdout

    def start(self):
        """Start tgtd in the foreground and configure the target.  Returns
        self; raises RuntimeError with its log's tail if it does not come
        up in 10 s."""
        out = open(self.log, "w")
        self.proc = subprocess.Popen(
            self.ns.prefix(["tgtd", "-f", "-C", str(self.port)]),
            stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            start_new_session=True, preexec_fn=die_with_parent)
        out.close()
        sock = "/var/run/tgtd/socket.%d" % self.port
        deadline = time.monotonic() + 10
        while not os.path.exists(sock):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("tgtd did not start: %s" % _tail(self.log))
            time.sleep(0.05)
        self.adm("--op", "new", "--mode", "target", "--tid", "1", "-T",
                 self.iqn)
        self.adm("--op", "new", "--mode", "logicalunit", "--tid", "1",
                 "--lun", "1", "-b", self.image)
        self.adm("--op", "bind", "--mode", "target", "--tid", "1", "-I",
                 "ALL")
        return self

    def sessions(self):
        """The initiators logged in, from tgtadm's target listing."""
        try:
            text = self.adm("--op", "show", "--mode", "target")
        except RuntimeError:
            return []
        return [l.split(":", 1)[1].strip() for l in text.splitlines()
                if l.strip().startswith("Initiator:")]

    def stop(self):
        """Stop tgtd (SIGTERM, then SIGKILL) and remove its socket."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            _wait_gone(self.proc, 5)  # SIGKILL after 5 s
        for suffix in ("", ".lock"):
            try:
                os.unlink("/var/run/tgtd/socket.%d%s" % (self.port, suffix))
            except OSError:
                pass
        self.proc = None
