"""namespace.py - a private network namespace with one bridge, taps and loss.

Everything lives inside the namespace: the bridge br0 (an IPv4 /24 and an
fd00::/64-style IPv6 address), one tap per QEMU client, and the nftables
table that drops a share of the frames.  Nothing is linked to the host's
interfaces, and deleting the namespace removes it all.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import shutil
import subprocess

BRIDGE = "br0"
NFT_TABLE = "netlab"


def missing_prerequisites():
    """What this machine lacks for a lab (a list of sentences; empty when
    everything is there): root, /dev/net/tun, `ip netns`, the programs."""
    problems = []
    if os.geteuid() != 0:
        problems.append("netlab needs root (network namespaces, taps, "
                        "nftables); running as uid %d" % os.geteuid())
    if not os.path.exists("/dev/net/tun"):
        problems.append("/dev/net/tun does not exist (no tun/tap support: "
                        "modprobe tun)")
    for prog in ("ip", "nft", "dnsmasq", "nginx", "qemu-system-x86_64"):
        if not shutil.which(prog) and not os.path.exists("/usr/sbin/" + prog):
            problems.append("%s not found (packages: iproute2, nftables, "
                            "dnsmasq-base, nginx-light, qemu-system-x86)"
                            % prog)
    if not problems:
        r = subprocess.run(["ip", "netns", "list"], capture_output=True,
                           text=True)
        if r.returncode != 0:
            problems.append("`ip netns list` fails (status %d): %s"
                            % (r.returncode, r.stderr.strip()))
    return problems


class Namespace:
    """One network namespace @name with br0 = @ipv4/24 and @ipv6/64."""

    def __init__(self, name, ipv4="10.77.0.1", ipv6="fd00:77::1"):
        self.name = name
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.created = False
        self.taps = []

    def prefix(self, cmd):
        """@cmd (a list) run inside the namespace."""
        return ["ip", "netns", "exec", self.name] + list(cmd)

    def ip(self, *args):
        """Run `ip -n NS ARGS`; raises with ip's message on failure."""
        _run(["ip", "-n", self.name] + list(args))

    def create(self):
        """Create the namespace, lo, br0 with its addresses (no DAD, so they
        are usable at once) and no IP forwarding.  Returns self."""
        _run(["ip", "netns", "add", self.name])
        self.created = True
        self.ip("link", "set", "lo", "up")
        # gso_max_segs 1: one wire frame per packet the host sends; without
        # it the host's TCP (nginx) hands the bridge 64 KiB GSO packets, and
        # the loss rule, which sees each as one, would drop ~45 frames at a
        # time.  (Set at creation: older kernels cannot change it later.)
        self.ip("link", "add", BRIDGE, "gso_max_segs", "1", "type", "bridge",
                "stp_state", "0", "forward_delay", "0")
        self.ip("addr", "add", self.ipv4 + "/24", "dev", BRIDGE)
        self.ip("-6", "addr", "add", self.ipv6 + "/64", "dev", BRIDGE,
                "nodad")
        self.ip("link", "set", BRIDGE, "up")
        return self

    def add_tap(self, name):
        """Create tap @name in the namespace, enslaved to br0 and up."""
        self.ip("tuntap", "add", "dev", name, "mode", "tap")
        self.ip("link", "set", name, "master", BRIDGE, "up")
        self.taps.append(name)

    def set_loss(self, percent):
        """Drop @percent % of the frames the bridge delivers to its own
        address (input hook) and of those it sends (output hook), each frame
        decided at random; with counters.  0 removes the rule."""
        subprocess.run(self.prefix(["nft", "delete", "table", "bridge",
                                    NFT_TABLE]), capture_output=True)
        if percent <= 0:
            return
        rules = ("table bridge %s {\n"
                 " chain lossin { type filter hook input priority 0; "
                 "policy accept; counter; numgen random mod 100 < %d "
                 "counter drop; }\n"
                 " chain lossout { type filter hook output priority 0; "
                 "policy accept; counter; numgen random mod 100 < %d "
                 "counter drop; }\n"
                 "}\n" % (NFT_TABLE, percent, percent))
        _run(self.prefix(["nft", "-f", "-"]), stdin=rules)

    def loss_counters(self):
        """{"in": (frames seen, dropped), "out": (...)} from the nftables
        counters; {} when there is no loss table."""
        r = subprocess.run(self.prefix(["nft", "list", "table", "bridge",
                                        NFT_TABLE]), capture_output=True,
                           text=True)
        if r.returncode != 0:
            return {}
        out = {}
        for chain, body in re.findall(r"chain loss(in|out) \{(.*?)\}",
                                      r.stdout, re.S):
            packets = [int(n) for n in re.findall(r"packets (\d+)", body)]
            if len(packets) >= 2:
                out[chain] = (packets[0], packets[1])
        return out

    def delete(self):
        """Remove the namespace (with br0, the taps and the nft table).
        Processes started inside must be gone first.  Never raises."""
        if not self.created:
            return
        subprocess.run(["ip", "netns", "delete", self.name],
                       capture_output=True)
        self.created = False


def _run(cmd, stdin=None):
    """Run @cmd; raise RuntimeError naming it and its stderr on failure."""
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s: status %d: %s" % (
            " ".join(cmd), r.returncode, r.stderr.strip()))
    return r.stdout
