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
NFT_TX_TABLE = "netlab_tx"


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

    def add_dead_tap(self, name):
        """Create tap @name in the namespace, up but on no bridge: a NIC on
        it reaches nothing (a client's other NIC, in the iSCSI scenario)."""
        self.ip("tuntap", "add", "dev", name, "mode", "tap")
        self.ip("link", "set", name, "up")
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

    def set_server_link(self, rate_mbps=None, burst_kb=64):
        """Count every frame the namespace's host (the servers) sends out
        of br0 - the bridge family's output hook sees exactly those: frames
        between clients take the forward hook - and, when @rate_mbps is
        given, police them: frames over @rate_mbps MB/s (nft's mbytes,
        1024 x 1024 bytes) with a @burst_kb KB (x 1024) burst are dropped,
        as a thin server uplink or an overflowing switch buffer would.
        The chain runs at priority -10, before the loss chain (priority
        0): what it counts is all the servers sent, and the random loss
        applies to what the policer passed.  Three counters: all frames,
        those dropped by the policer, those passed."""
        subprocess.run(self.prefix(["nft", "delete", "table", "bridge",
                                    NFT_TX_TABLE]), capture_output=True)
        police = ""
        if rate_mbps is not None:
            if rate_mbps <= 0 or burst_kb <= 0:
                raise RuntimeError("server rate and burst must be > 0")
            rate = ("%d mbytes/second" % rate_mbps
                    if rate_mbps == int(rate_mbps) else
                    "%d kbytes/second" % round(rate_mbps * 1024))
            police = (" limit rate over %s burst %d kbytes counter drop;"
                      % (rate, burst_kb))
        else:
            police = " counter;"  # a placeholder: 0 dropped, keeps order
        rules = ("table bridge %s {\n"
                 " chain out { type filter hook output priority -10; "
                 "policy accept; counter;%s counter; }\n"
                 "}\n" % (NFT_TX_TABLE, police))
        _run(self.prefix(["nft", "-f", "-"]), stdin=rules)

    def server_link_counters(self):
        """{"sent": (frames, bytes), "dropped": (...), "passed": (...)}
        from set_server_link's counters (bytes: whole frames as the
        bridge counts them); {} when the table is missing.  "dropped" is
        (0, 0) when no rate was set."""
        r = subprocess.run(self.prefix(["nft", "list", "table", "bridge",
                                        NFT_TX_TABLE]), capture_output=True,
                           text=True)
        if r.returncode != 0:
            return {}
        pairs = [(int(a), int(b)) for a, b in re.findall(
            r"packets (\d+) bytes (\d+)", r.stdout)]
        if len(pairs) != 3:
            return {}
        out = {"sent": pairs[0], "passed": pairs[2]}
        out["dropped"] = (pairs[1] if "limit rate" in r.stdout else (0, 0))
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
