#!/usr/bin/env python3
"""figures.py - docs/bench/*.svg drawn from the numbers make bench measured.

    python3 tests/bench/figures.py [--build B] [--out DIR]

Reads what the bench scripts wrote beside their sections (never the
Markdown tables):

  B/bench/xenbench.json    per boot (BIOS, Debian's pxelinux.0): console
                           times of PXELINUX's banner, each file the loader
                           fetched (start, end), Xen's first line, dom0's
                           "Linux version", the dom0 userspace marker
  B/bench/uefibench.json   per boot (OVMF): console times of the boot
                           option's start, Xen, dom0, the marker, and each
                           TFTP transfer of the network trace
  B/bench/fetchbench.json  per run: the module's transfer rate and path
  B/netlab/netbench-xen.json  qemu/netbench.py's results (per case and
                           client: loader start, Xen/kernel time); its
                           command, commit and times from
                           B/bench/netbench.md's header, and used only
                           when the JSON was written during that run

and writes DIR (default docs/bench) timeline.svg (the boot timeline per
loader, split into phases), loss.svg (time to Xen / the kernel against
packet loss, the part before the loader shaded) and throughput.svg (MB/s
per transport and server), each with the date, machine kind and commit of
the data it shows and, in its caption, what it does not show because no
bench measures it.  Then B/bench/figures.md: docs/BENCH.md's section
linking them (tests/bench/collect.sh), which tests/bench/readme-update.py
renders into README's Measured section.

Exits 1 when a figure has none of its data (it is still written, saying
so), 2 on a usage error.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import json
import os
import re
import sys
import time
import calendar

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import benchmd  # noqa: E402
from svg import Svg, ticks, wrap  # noqa: E402

WIDTH = 960
LEFT = 230          # the bars' labels are left of this
RIGHT = 60
# Phases of a boot, in order, with their colours (the legend's order).
PHASES = [
    ("firmware", "firmware (BIOS: + DHCP + boot file, to the loader's "
     "first line)", "#9e9e9e"),
    ("dhcp", "UEFI: the firmware's DHCP", "#c8c8c8"),
    ("pxelinux", "PXELINUX's / GRUB's own files, config, module",
     "#f2b134"),
    ("transfer", "the loader's transfers (a segment per file)", "#2e7dd7"),
    ("own", "the loader's own work between files", "#9cc3ee"),
    ("handover", "last file -> Xen's first line", "#7b5ea7"),
    ("xen", "Xen: its first line -> dom0's first line", "#d9534f"),
    ("dom0", "dom0 Linux -> userspace (the marker)", "#4cae4c"),
]
COLOUR = {k: c for k, _, c in PHASES}
# Loaders the issue names that no bench boots: shown as rows saying so.
NOT_MEASURED_BIOS = [("ipxe", "iPXE's own multiboot"),
                     ("grub", "GRUB netboot (BIOS)")]
NOT_MEASURED_UEFI = ["stock mboot.c32 (efi64)", "iPXE's own multiboot"]
LOADER_NAMES = {"stock": "stock mboot.c32", "ours": "our mboot.c32",
                "ipxe": "iPXE's own multiboot", "grub": "GRUB 2 netboot"}
# What stands for PXELINUX's banner in a boot without PXELINUX (xenbench's
# timeline "kind"): the first line of the loader's own script.
FIRST_LINE = {"ipxe": "QEMU start -> iPXE runs its script",
              "grub": "QEMU start -> GRUB runs grub.cfg"}


class Source:
    """One bench's data file: its numbers and where they came from."""

    def __init__(self, name, path, meta, data):
        """@meta: command, commit, start, end, form, machine."""
        self.name, self.path, self.meta, self.data = name, path, meta, data

    def stamp(self):
        """"xenbench: commit X, 2026-12-07 23:41-23:48 UTC, form default"."""
        m = self.meta
        form = m.get("form", "?").split(" (")[0]     # default, full, by hand
        return "%s: commit %s, %s-%s UTC, %s" % (
            self.name, m.get("commit", "?"), m.get("start", "?")[:16],
            m.get("end", "?")[11:16], "by hand" if form == "by hand" else
            form + " form")


def load_json_source(build, name):
    """Source of B/bench/NAME.json (benchmd.Section's data file), or a
    str saying why there is none."""
    path = os.path.join(build, "bench", name + ".json")
    try:
        with open(path) as f:
            j = json.load(f)
    except FileNotFoundError:
        return "%s: no %s (the %s step did not run or wrote no data)" % (
            name, path, name)
    except (OSError, ValueError) as e:
        return "%s: cannot read %s: %s" % (name, path, e)
    if not isinstance(j, dict) or "data" not in j:
        return "%s: %s holds no \"data\"" % (name, path)
    return Source(name, path, j, j["data"])


RE_CMD = re.compile(r"^Command: `(.*)` *$")
RE_COMMIT = re.compile(r"^Commit: (\S+); ran (.+? UTC) to (.+? UTC);")
RE_FORM = re.compile(r"^Form: (.*)$")


def utc_seconds(stamp):
    """"2026-12-07 23:48:47 UTC" -> seconds since the epoch."""
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M:%S UTC"))


def load_netbench(build):
    """Source of qemu/netbench.py's results (B/netlab/netbench-xen.json,
    its default file) with the meta of B/bench/netbench.md's header; a str
    saying why there is none.  The JSON is taken only when it was written
    at or after that section's start: netbench.py saves it after every
    case and writes the section at its end, so an older JSON is another
    run's."""
    md = os.path.join(build, "bench", "netbench.md")
    path = os.path.join(build, "netlab", "netbench-xen.json")
    meta = {}
    try:
        with open(md) as f:
            for line in f:
                m = RE_CMD.match(line)
                if m:
                    meta["command"] = m.group(1)
                m = RE_COMMIT.match(line)
                if m:
                    meta["commit"], meta["start"], meta["end"] = m.groups()
                m = RE_FORM.match(line)
                if m:
                    meta["form"] = m.group(1)
    except OSError:
        return "netbench: no %s (the netbench step did not run)" % md
    if "start" not in meta:
        return "netbench: %s has no Commit line" % md
    try:
        mtime = os.path.getmtime(path)
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return "netbench: cannot read %s: %s" % (path, e)
    if mtime < utc_seconds(meta["start"]):
        return ("netbench: %s is older than the run %s records (%s): "
                "another run's" % (path, md, meta["start"]))
    return Source("netbench", path, meta, data)


def fmt(v):
    """A value for a label: "7.0" / "15.4"."""
    return "%.1f" % v


def footer(svg, y, sources, missing):
    """The figure's provenance: per source its commit, times and form;
    the machine; the drawing's date; then @missing, the caption's list of
    what is not shown.  Returns the y below it."""
    machines = sorted({s.meta.get("machine") for s in sources
                       if s.meta.get("machine")})
    lines = ["Data: " + "; ".join(s.stamp() for s in sources)
             if sources else "Data: none"]
    lines.append("Machine: %s.  Drawn %s by tests/bench/figures.py." % (
        " / ".join(machines) if machines else benchmd.machine() +
        " (the drawing's; the data's section records none)",
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    for m in missing:
        lines.extend(wrap("Not shown: " + m, 150))
    for i, l in enumerate(lines):
        svg.text(16, y + 14 * i, l, size=10, fill="#333",
                 data={"role": "caption"})
    return y + 14 * len(lines) + 6


def axis(svg, x0, x1, y, vmax, label, data_axis):
    """A horizontal axis at @y from @x0 to @x1 for 0..@vmax (rounded up
    to a tick); returns the scale (pixels per unit)."""
    tk = ticks(vmax)
    scale = (x1 - x0) / tk[-1]
    svg.line(x0, y, x1, y, stroke="#444")
    for v in tk:
        x = x0 + v * scale
        svg.line(x, y, x, y + 4, stroke="#444",
                 data={"axis": data_axis, "value": "%g" % v})
        svg.text(x, y + 16, "%g" % v, size=10, anchor="middle",
                 data={"axis": data_axis, "tick": "%g" % v})
    svg.text(x1, y + 30, label, size=10, anchor="end")
    return scale


# ---------------------------------------------------------------- timeline

def segments_bios(tl):
    """[(phase, name, start, end)] of a BIOS boot's timeline (xenbench):
    start -> banner -> PXELINUX -> the files (with the loader's work
    between them) -> hand-over -> Xen -> dom0; for iPXE's own and GRUB's
    boots (kind "ipxe", "grub") their script's first line stands for the
    banner, and there is no PXELINUX."""
    out = []
    files = tl.get("files") or []
    if tl.get("banner") is None:
        return out
    direct = tl.get("kind") in FIRST_LINE   # iPXE's or GRUB's: no PXELINUX
    out.append(("firmware", FIRST_LINE[tl["kind"]] if direct
                else "QEMU start -> PXELINUX's banner", 0.0, tl["banner"]))
    t = tl["banner"]
    if files and not direct:
        out.append(("pxelinux", "banner -> the first file (ldlinux.c32's "
                    "config, libraries, the module)", t, files[0]["start"]))
        t = files[0]["start"]
    segs, t = transfer_segments(files, t)
    return out + segs + segments_tail(tl, t)


def transfer_segments(files, t):
    """([(phase, name, start, end)], end) of the loader's @files fetched
    one after the other from time @t: each file's transfer, and the
    loader's own work in the gaps between them."""
    out = []
    for f in files:
        if f["start"] > t:
            out.append(("own", "between files", t, f["start"]))
        out.append(("transfer", os.path.basename(f["name"]),
                    max(f["start"], t), f["end"]))
        t = max(t, f["end"])
    return out, t


def segments_tail(tl, t):
    """The hand-over, Xen and dom0 segments after time @t."""
    out = []
    for phase, name, key in (("handover", "hand-over", "xen"),
                             ("xen", "Xen", "linux"),
                             ("dom0", "dom0 to userspace", "marker")):
        v = tl.get(key)
        if v is None:
            break
        out.append((phase, name, t, v))
        t = v
    return out


def segments_uefi(b):
    """[(phase, name, start, end)] of a UEFI boot (uefibench): firmware
    to its first DHCP packet, DHCP to the boot program's request, each
    boot-program file from its request to the next request, each payload
    file from its request to its last DATA, then as BIOS."""
    tr = b.get("trace")
    if not tr or not tr.get("files"):
        return []
    files = tr["files"]
    first = files[0]["start"]
    out = []
    if tr.get("dhcp") is not None and tr["dhcp"] < first:
        out.append(("firmware", "QEMU start -> the firmware's DHCP", 0.0,
                    tr["dhcp"]))
        out.append(("dhcp", "DHCP -> the boot program's request",
                    tr["dhcp"], first))
    else:
        out.append(("firmware", "QEMU start -> the boot program's request",
                    0.0, first))
    t = first
    boot_files = [f for f in files if not f["payload"]]
    payload = [f for f in files if f["payload"]]
    for i, f in enumerate(boot_files):
        nxt = boot_files[i + 1]["start"] if i + 1 < len(boot_files) else (
            payload[0]["start"] if payload else f["end"])
        out.append(("pxelinux", os.path.basename(f["name"]) or f["name"],
                    f["start"], nxt))
        t = nxt
    segs, t = transfer_segments(payload, t)
    return out + segs + segments_tail(b, t)


def pick(boots, key):
    """The boot of @boots whose @key time is the median (the lower one
    of an even count): a real boot, not averaged phases."""
    ok = sorted((b for b in boots if b.get(key) is not None),
                key=lambda b: b[key])
    return ok[(len(ok) - 1) // 2] if ok else None


def timeline_panels(xen, uefi):
    """[(panel title, [(row label, segments or a str: why no bar)])]."""
    panels = []
    if isinstance(xen, Source):
        sizes = xen.data.get("sizes", {})
        order = []
        for b in xen.data["boots"]:
            if b["size"] not in order:
                order.append(b["size"])
        for size in order:
            rows, runs = [], []
            for b in xen.data["boots"]:
                if b["size"] == size and b["run"] not in runs:
                    runs.append(b["run"])
            loaders = set()
            for run in runs:
                boots = [dict(b["timeline"] or {}, ok=b["ok"])
                         for b in xen.data["boots"]
                         if b["size"] == size and b["run"] == run]
                loader = [b["loader"] for b in xen.data["boots"]
                          if b["run"] == run][0]
                loaders.add(loader)
                b = pick([x for x in boots if x["ok"]], "marker")
                label = "%s (%s)" % (run, LOADER_NAMES.get(loader, loader))
                rows.append((label, segments_bios(b) if b else
                             "no boot reached dom0 userspace"))
            for loader, name in NOT_MEASURED_BIOS:
                if loader not in loaders:
                    rows.append((name, "not measured in this run"))
            panels.append(("BIOS (SeaBIOS, the NIC's iPXE ROM, Debian's "
                           "pxelinux.0), initrd %s (%.1f MB)" % (
                               size, sizes.get(size, 0) / 1e6), rows))
    if isinstance(uefi, Source):
        rows = []
        for who, label in sorted(uefi.data.get("loaders", {}).items(),
                                 key=lambda kv: kv[0] != "ours"):
            b = pick([x for x in uefi.data["boots"]
                      if x["loader"] == who and x["ok"]], "marker")
            segs = segments_uefi(b) if b else []
            rows.append((label, segs if segs else
                         "no boot reached dom0 userspace" if not b else
                         "no network trace of the boot"))
        for name in NOT_MEASURED_UEFI:
            rows.append((name, "not measured: no bench boots it"))
        panels.append(("UEFI (OVMF's PXE), the small initrd", rows))
    return panels


def draw_timeline(xen, uefi, out):
    """timeline.svg; returns the list of what it could not show."""
    missing = []
    for s in (xen, uefi):
        if not isinstance(s, Source):
            missing.append(s)
    panels = timeline_panels(xen, uefi)
    missing.append("PXELINUX's per-file split on BIOS (xenbench records "
                   "no network trace: the BIOS bars join firmware, DHCP and "
                   "pxelinux.0 up to the banner)")
    missing.append("the UEFI boots with the 200 MiB initrd (uefibench "
                   "boots the small one only)")
    if isinstance(uefi, Source):
        missing.append("one clock for the UEFI bars: DHCP and the files "
                       "are the network trace's times (host clock minus "
                       "QEMU's start), Xen and dom0 the console's, whose "
                       "lines arrive later (OVMF's screen is decoded from "
                       "the serial port)")
    bar, gap = 18, 6
    svg = Svg(WIDTH, 0, "Boot timelines per loader")     # height: at the end
    svg.text(16, 24, "Boot timeline per loader: seconds after QEMU started "
             "(QEMU TCG, -m 2048, Xen 4.17 + dom0)", size=15,
             font_weight="bold")
    y = 44
    for i, (key, label, colour) in enumerate(PHASES):
        x = 16 + (i % 2) * (WIDTH // 2)
        svg.rect(x, y + 24 * (i // 2), 14, 14, colour,
                 data={"legend": key})
        svg.text(x + 20, y + 24 * (i // 2) + 11, label, size=11)
    y += 24 * ((len(PHASES) + 1) // 2) + 10
    for title, rows in panels:
        svg.text(16, y + 14, title, size=13, font_weight="bold",
                 data={"panel": title})
        y += 24
        ends = [s[3] for _, segs in rows if not isinstance(segs, str)
                for s in segs]
        vmax = max(ends) if ends else 1.0
        x0, x1 = LEFT, WIDTH - RIGHT
        y_axis = y + (bar + gap) * len(rows)
        scale = axis(svg, x0, x1, y_axis, vmax, "seconds after QEMU "
                     "started", title)
        for label, segs in rows:
            svg.text(x0 - 8, y + bar - 5, label, size=11, anchor="end",
                     data={"row": label, "panel": title})
            if isinstance(segs, str):
                svg.text(x0 + 4, y + bar - 5, segs, size=11, fill="#888",
                         font_style="italic",
                         data={"missing": label, "panel": title})
            else:
                for phase, name, a, b in segs:
                    svg.rect(x0 + a * scale, y, (b - a) * scale, bar,
                             COLOUR[phase], stroke="#fff",
                             stroke_width="0.5",
                             tip="%s: %s, %.3f -> %.3f s (%.3f s)" % (
                                 label, name, a, b, b - a),
                             data={"panel": title, "row": label,
                                   "phase": phase, "name": name,
                                   "start": a, "end": b})
                end = segs[-1][3]
                svg.text(x0 + end * scale + 4, y + bar - 5, fmt(end) + " s",
                         size=10, data={"end-of": label, "panel": title})
            y += bar + gap
        y = y_axis + 40
    svg.height = footer(svg, y, [s for s in (xen, uefi)
                                 if isinstance(s, Source)], missing)
    write(out, svg)
    return missing, bool(panels)


# -------------------------------------------------------------------- loss

def slowest_client(r, key="t_first"):
    """The booted client of netlab result @r with the latest @key, or
    None."""
    ok = [c for c in r.get("clients", []) if c.get("ok") and
          c.get(key) is not None]
    return max(ok, key=lambda c: c[key]) if ok else None


LOSSES = (0, 5, 20)
XEN_SERIES = [("stock", "tftp", "#e08a1e"), ("ours", "tftp", "#2e7dd7"),
              ("stock", "http", "#c9a26b"), ("ours", "http", "#7fb0e8")]
SERVER_SERIES = [("dnsmasq", "dnsmasq", "#2e7dd7"),
                 ("hpa", "tftpd-hpa", "#4cae4c"),
                 ("atftpd", "atftpd", "#d9534f")]


def loss_points(results, series):
    """{(series name, loss): (slowest's time, its loader start, result)
    or a str (why no point)} for @series [(name, key function)]."""
    pts = {}
    for name, key_of in series:
        for loss in LOSSES:
            key = key_of(loss)
            if key not in results:
                pts[(name, loss)] = "not run"
                continue
            r = results[key]
            if r is None:
                pts[(name, loss)] = "could not run"
                continue
            c = slowest_client(r)
            if c is None:
                pts[(name, loss)] = "none of %d booted in %.0f s" % (
                    r.get("total", 0), r["config"]["timeout"])
                continue
            pts[(name, loss)] = (c["t_first"], c.get("t_loader"), r)
    return pts


def draw_loss_panel(svg, y, title, ylabel, series, pts, colours):
    """One panel: per loss level a group of bars (one per series), each
    the slowest client's time, the part before its loader's first line
    lighter; a line joins each series' tops.  Returns the y below."""
    h = 220
    x0, x1 = 90, WIDTH - 200
    svg.text(16, y + 14, title, size=13, font_weight="bold",
             data={"panel": title})
    y += 28
    vals = [p[0] for p in pts.values() if not isinstance(p, str)]
    tk = ticks(max(vals) if vals else 1.0, 5)
    scale = h / tk[-1]
    base = y + h
    svg.line(x0, base, x1, base, stroke="#444")
    svg.line(x0, y, x0, base, stroke="#444")
    for v in tk:
        yy = base - v * scale
        svg.line(x0 - 4, yy, x0, yy, stroke="#444",
                 data={"axis": title, "value": "%g" % v})
        svg.text(x0 - 6, yy + 4, "%g" % v, size=10, anchor="end",
                 data={"axis": title, "tick": "%g" % v})
    svg.text(16, y - 4, ylabel, size=10)
    group = (x1 - x0) / len(LOSSES)
    bw = min(28, (group - 20) / len(series))
    tops = {}
    for i, loss in enumerate(LOSSES):
        gx = x0 + group * i + (group - bw * len(series)) / 2
        svg.text(x0 + group * (i + 0.5), base + 16, "%d %% loss" % loss,
                 size=11, anchor="middle")
        for j, (name, label) in enumerate(series):
            x = gx + j * bw
            p = pts[(name, loss)]
            if isinstance(p, str):
                svg.text(x + bw / 2, base - 4, p, size=9, anchor="start",
                         fill="#888", transform="rotate(-90 %.2f %.2f)" % (
                             x + bw / 2 + 3, base - 4),
                         data={"missing": "%s %d" % (name, loss),
                               "panel": title})
                continue
            t, tl, _ = p
            pre = tl if tl is not None and tl <= t else 0.0
            svg.rect(x, base - t * scale, bw - 2, (t - pre) * scale,
                     colours[name],
                     tip="%s, %d %% loss: %.1f s (loader from %.1f s)" % (
                         label, loss, t, pre),
                     data={"panel": title, "series": name, "loss": loss,
                           "part": "loader", "value": t, "from": pre})
            svg.rect(x, base - pre * scale, bw - 2, pre * scale, "#d6d6d6",
                     tip="%s, %d %% loss: before the loader: %.1f s" % (
                         label, loss, pre),
                     data={"panel": title, "series": name, "loss": loss,
                           "part": "before", "value": pre})
            svg.text(x + bw / 2 - 1, base - t * scale - 3, fmt(t), size=9,
                     anchor="middle",
                     data={"label-of": "%s %d" % (name, loss),
                           "panel": title})
            tops.setdefault(name, []).append((x + bw / 2 - 1,
                                              base - t * scale))
    for name, label in series:
        if len(tops.get(name, [])) > 1:
            svg.polyline(tops[name], colours[name], stroke_width="1.5",
                         data={"curve": name, "panel": title})
    ly = y
    for name, label in series:
        svg.rect(x1 + 16, ly, 12, 12, colours[name],
                 data={"legend": name, "panel": title})
        svg.text(x1 + 34, ly + 10, label, size=11)
        ly += 18
    svg.rect(x1 + 16, ly, 12, 12, "#d6d6d6")
    svg.text(x1 + 34, ly + 10, "before the loader", size=11)
    svg.text(x1 + 34, ly + 24, "(QEMU start -> its", size=10)
    svg.text(x1 + 34, ly + 36, "first line)", size=10)
    return base + 36


def draw_loss(net, out):
    """loss.svg; returns (what it could not show, whether it drew data)."""
    missing = []
    have = isinstance(net, Source)
    results = {}
    if have:
        results = {tuple(k.split()): v for k, v in net.data.items()}
    else:
        missing.append(net)
    xen_series = [("%s-%s" % (ld, pr), "%s, %s" % (
        "stock mboot.c32" if ld == "stock" else "ours", pr.upper()))
        for ld, pr, _ in XEN_SERIES]
    # netbench's case keys: "loss-N PROTO LOADER", "matrix-SERVER-N tftp
    # ours" (qemu/netbench.py's bench_cases and matrix_cases).
    xen_pts = loss_points(results, [
        ("%s-%s" % (ld, pr),
         (lambda loss, ld=ld, pr=pr: ("loss-%d" % loss, pr, ld)))
        for ld, pr, _ in XEN_SERIES])
    srv_pts = loss_points(results, [
        (s, (lambda loss, s=s: ("matrix-%s-%d" % (s, loss), "tftp", "ours")))
        for s, _, _ in SERVER_SERIES])
    if not have:
        xen_pts = {k: "no data" for k in xen_pts}
        srv_pts = {k: "no data" for k in srv_pts}
    nrun = [k for k, v in list(xen_pts.items()) + list(srv_pts.items())
            if v == "not run"]
    if nrun:
        missing.append("the points marked \"not run\" (%d of %d): "
                       "netbench cases this run did not run (make bench "
                       "runs qemu/netbench.py's DEFAULT_CASES, make "
                       "bench-full every case)" % (
                           len(nrun), len(xen_pts) + len(srv_pts)))
    missing.append("per loader with tftpd-hpa and atftpd (the server "
                   "matrix runs ours only, with the test kernel) and GRUB "
                   "or iPXE's own multiboot (not in the lab)")
    svg = Svg(WIDTH, 0, "Time to the kernel against packet loss")
    svg.text(16, 24, "Loss curves: the slowest client's time to the kernel "
             "against packet loss each way (network lab, 2 clients)",
             size=15, font_weight="bold")
    y = 44
    y = draw_loss_panel(
        svg, y, "Xen + dom0, dnsmasq (DHCP, TFTP) and nginx: seconds to "
        "Xen's first line", "s to Xen", xen_series, xen_pts,
        {n: c for (n, _), (_, _, c) in zip(xen_series, XEN_SERIES)})
    y = draw_loss_panel(
        svg, y + 10, "Server matrix: ours, the test kernel (3+2+1 MiB "
        "modules), TFTP per server: seconds to the kernel", "s to the "
        "kernel", [(s, n) for s, n, _ in SERVER_SERIES], srv_pts,
        {s: c for s, _, c in SERVER_SERIES})
    svg.height = footer(svg, y + 10, [net] if have else [], missing)
    write(out, svg)
    drawn = any(not isinstance(v, str) for v in
                list(xen_pts.values()) + list(srv_pts.values()))
    return missing, drawn


# -------------------------------------------------------------- throughput

RE_SUMMARY = re.compile(r"mboot: \S+: (\d+) bytes in (\d+\.\d+) s "
                        r"\([\d.]+ MB/s\) via (\S+(?: \S+)?) \(")


def netlab_rates(results):
    """[(label, MB/s, tip)] at 0 % loss from the lab: per case, all
    clients' summary lines of ours (bytes over seconds, summed)."""
    out = []
    cases = [("loss-0 tftp ours", "dnsmasq TFTP"),
             ("loss-0 http ours", "nginx HTTP")] + [
        ("matrix-%s-0 tftp ours" % s, "%s TFTP" % n)
        for s, n, _ in SERVER_SERIES]
    for key, server in cases:
        r = results.get(key)
        if not r:
            continue
        nbytes = secs = 0.0
        via = set()
        for c in r["clients"]:
            for _, m in c.get("loader_messages", []):
                mm = RE_SUMMARY.search(m)
                if mm:
                    nbytes += int(mm.group(1))
                    secs += float(mm.group(2))
                    via.add(mm.group(3))
        if secs > 0:
            out.append(("lab: %s via %s" % (server, "/".join(sorted(via))),
                        nbytes / secs / 1e6,
                        "%s: %.0f bytes in %.3f s over %d clients' files" % (
                            key, nbytes, secs, len(r["clients"]))))
    return out


def draw_throughput(fetch, net, out):
    """throughput.svg; returns (what it could not show, whether it drew
    data)."""
    missing = []
    rows = []          # (label, MB/s or a str, tip, source)
    refs = []          # iPXE's own fetches: (label, MB/s, tip)
    if isinstance(fetch, Source):
        mib = fetch.data.get("bytes", 0) / 1048576.0
        for r in fetch.data["runs"]:
            via = re.sub(r" \(.*$", "", r["via"])
            if r.get("reference"):
                scheme = re.search(r"\((\w+)://", r["via"])
                label = "iPXE's own %s" % (scheme.group(1).upper()
                                           if scheme else r["run"])
                if r["rate"] is None:
                    missing.append("%s reference line (%s: %s)" % (
                        label, r["run"], r["via"].strip("()")))
                else:
                    refs.append((label, r["rate"], "%s, %d MiB: %s" % (
                        r["run"], mib, r["via"])))
                continue
            if r["rate"] is None:
                rows.append(("%d MiB: %s" % (mib, r["run"]),
                             "no rate: %s" % r["via"].strip("()"), "",
                             "fetchbench"))
            else:
                rows.append(("%d MiB: %s via %s, %s" % (mib, r["run"], via,
                                                        r["server"]),
                             r["rate"], "%s: %s" % (r["run"], r["via"]),
                             "fetchbench"))
    else:
        missing.append(fetch)
    if isinstance(net, Source):
        results = {k: v for k, v in net.data.items()}
        lab = netlab_rates(results)
        for label, rate, tip in lab:
            rows.append((label, rate, tip, "netbench"))
        if not any(k.startswith("matrix-") for k in results):
            missing.append("tftpd-hpa and atftpd (the server matrix: make "
                           "bench-full)")
    else:
        missing.append(net)
    if not refs:
        missing.append("a reference line for iPXE's own rate (iPXE "
                       "fetching the file itself, no module in between): "
                       "this run measured none")
    missing.append("the stock mboot.c32's rate (it prints none)")
    bar, gap = 20, 8
    svg = Svg(WIDTH, 0, "Fetch throughput per transport and server")
    svg.text(16, 24, "Fetch throughput per transport and server: MB/s "
             "(10^6 bytes) as our module's summary line reports it",
             size=15, font_weight="bold")
    svg.text(16, 42, "fetchbench: one module (size in the row), one "
             "client, QEMU's user network; lab: every client's Xen files "
             "at 0 % loss, the case's clients at once;", size=11,
             fill="#333")
    svg.text(16, 56, "dashed: iPXE's ROM fetching fetchbench's module "
             "itself (no PXELINUX, no module in between)", size=11,
             fill="#333")
    y = 78 + 16 * len(refs)     # the reference lines' labels above the rows
    x0, x1 = LEFT + 120, WIDTH - RIGHT
    rates = [r[1] for r in rows if not isinstance(r[1], str)]
    y_axis = y + (bar + gap) * len(rows)
    scale = axis(svg, x0, x1, y_axis, max(rates + [r[1] for r in refs])
                 if rates or refs else 1.0, "MB/s", "MB/s")
    # iPXE's own rate per transport: a dashed line across the rows, what
    # our module's transfers through iPXE or PXE could reach at most.
    for i, (label, rate, tip) in enumerate(refs):
        x = x0 + rate * scale
        svg.line(x, 76 + 16 * i, x, y_axis, stroke="#d9534f",
                 stroke_width="1.5", stroke_dasharray="5,3",
                 data={"reference": label, "value": rate})
        svg.text(x - 4, 74 + 16 * i + 12, "%s: %s MB/s" % (label,
                                                           fmt(rate)),
                 size=10, anchor="end", fill="#d9534f",
                 data={"label-of": label})
    colours = {"fetchbench": "#2e7dd7", "netbench": "#4cae4c"}
    for label, rate, tip, src in rows:
        svg.text(x0 - 8, y + bar - 6, label, size=11, anchor="end",
                 data={"row": label})
        if isinstance(rate, str):
            svg.text(x0 + 4, y + bar - 6, rate, size=11, fill="#888",
                     font_style="italic", data={"missing": label})
        else:
            svg.rect(x0, y, rate * scale, bar, colours[src], tip=tip,
                     data={"row": label, "source": src, "value": rate})
            svg.text(x0 + rate * scale + 4, y + bar - 6, fmt(rate),
                     size=10, data={"label-of": label})
        y += bar + gap
    svg.height = footer(svg, y_axis + 44, [s for s in (fetch, net)
                                           if isinstance(s, Source)],
                        missing)
    write(out, svg)
    return missing, bool(rates or refs)


def write(path, svg):
    """Write @svg to @path (atomically)."""
    with open(path + ".tmp", "w") as f:
        f.write(svg.render())
    os.replace(path + ".tmp", path)
    print("figures: wrote %s" % path, file=sys.stderr)


FIGURES = [("timeline.svg", "Boot timeline per loader, split into phases"),
           ("loss.svg", "Time to the kernel against packet loss, per loader "
            "and TFTP server"),
           ("throughput.svg", "Fetch throughput per transport and server")]


def main():
    """Draw the three figures and write their section."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--out", default=os.path.join(REPO, "docs", "bench"),
                    help="where the SVGs go (default docs/bench)")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    sec = benchmd.Section(build, "figures", "Figures drawn from this run's "
                          "data (tests/bench/figures.py)")
    xen = load_json_source(build, "xenbench")
    uefi = load_json_source(build, "uefibench")
    fetch = load_json_source(build, "fetchbench")
    net = load_netbench(build)
    results = [draw_timeline(xen, uefi, os.path.join(out, FIGURES[0][0])),
               draw_loss(net, os.path.join(out, FIGURES[1][0])),
               draw_throughput(fetch, net, os.path.join(out, FIGURES[2][0]))]
    # docs/BENCH.md lives in docs/: links relative to it when DIR is
    # docs/bench, else the absolute path.
    docs = os.path.join(REPO, "docs")
    body = []
    for (name, title), (missing, drawn) in zip(FIGURES, results):
        path = os.path.join(out, name)
        rel = os.path.relpath(path, docs) if path.startswith(docs + os.sep) \
            else path
        body += ["![%s](%s)" % (title, rel), ""]
        if not drawn:
            body += ["%s: no data from this run drawn." % name, ""]
        body += ["%s does not show: %s." % (name, "; ".join(missing)), ""]
    sec.add(body)
    sec.write()
    return 0 if all(d for _, d in results) else 1


if __name__ == "__main__":
    sys.exit(main())
