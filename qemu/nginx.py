#!/usr/bin/env python3
"""nginx.py - a private nginx (Debian's /usr/sbin/nginx) serving one directory.

Each instance has its own prefix directory (config, pid file, logs, temp
directories) and listens on 127.0.0.1:<a free port>, so it touches nothing
of the system's nginx.  QEMU's user network forwards the guest's TCP
connections to 10.0.2.2:PORT to the host's 127.0.0.1:PORT, so a PXE-booted
guest fetches http://10.0.2.2:PORT/<file> from it.

    with Nginx(root_dir, prefix_dir) as web:
        url = "http://10.0.2.2:%d/file" % web.port

Run as a script it serves a directory until interrupted:
    python3 qemu/nginx.py DIR [--prefix DIR] [--port N]

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

NGINX = "/usr/sbin/nginx"

CONFIG = """\
daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 30;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        autoindex off;
        {extra}
    }}
}}
"""


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """One nginx process serving @root from 127.0.0.1:port."""

    def __init__(self, root, prefix, port=None, limit_rate=None):
        self.root = os.path.abspath(root)
        self.prefix = os.path.abspath(prefix)
        self.port = port
        self.limit_rate = limit_rate  # e.g. "1m": bytes/s per connection
        self.proc = None

    @property
    def access_log(self):
        return os.path.join(self.prefix, "access.log")

    def requests(self):
        """The access log's lines so far."""
        try:
            with open(self.access_log) as f:
                return f.read().splitlines()
        except OSError:
            return []

    def _try_start(self, port):
        """Start on @port; True once it answers HTTP, False if it died."""
        if os.path.isdir(self.prefix):
            shutil.rmtree(self.prefix)
        for d in ("tmp", "logs"):  # nginx -p wants logs/ for early errors
            os.makedirs(os.path.join(self.prefix, d))
        conf = os.path.join(self.prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(CONFIG.format(
                prefix=self.prefix, port=port, root=self.root,
                extra="limit_rate %s;" % self.limit_rate if self.limit_rate
                else ""))
        err = open(os.path.join(self.prefix, "stderr.log"), "w")
        self.proc = subprocess.Popen(
            [NGINX, "-p", self.prefix + "/", "-c", conf],
            stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        err.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                # Any HTTP answer (even 404) means it is serving.
                urllib.request.urlopen("http://127.0.0.1:%d/" % port,
                                       timeout=1).close()
                return True
            except urllib.error.HTTPError:
                return True
            except OSError:
                time.sleep(0.1)
        self.stop()
        return False

    def start(self):
        """Start nginx (on a free port unless one was given)."""
        for _ in range(5):
            port = self.port or free_port()
            if self._try_start(port):
                self.port = port
                return self
            if self.port:
                break
        log = os.path.join(self.prefix, "stderr.log")
        detail = open(log).read().strip() if os.path.exists(log) else ""
        raise RuntimeError("nginx did not start: %s" % detail)

    def stop(self):
        """Stop nginx and wait for it."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--prefix", default="build/nginx")
    ap.add_argument("--port", type=int)
    args = ap.parse_args()
    with Nginx(args.root, args.prefix, args.port) as web:
        print("serving %s on http://127.0.0.1:%d/ (guest: http://10.0.2.2:%d/)"
              % (web.root, web.port, web.port), flush=True)
        try:
            web.proc.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
