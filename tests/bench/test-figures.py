#!/usr/bin/env python3
"""test-figures.py - tests/bench/figures.py draws what its data says.

Copies the fixed data files of tests/bench/fixtures/figures/ (the files
make bench's scripts write: bench/xenbench.json, uefibench.json,
fetchbench.json, netbench.md's header and netlab/netbench-xen.json) to a
temporary build directory, runs figures.py on it and checks each SVG:
it parses as XML; each bar, segment and point the fixture implies is
there, found by its data-* attributes, at the place and size the
figure's own axis ticks give for the fixture's numbers (so a wrong
scale, origin, phase boundary or value fails); the labels, the rows of
loaders no bench measures, the "not run" points and the caption's
commit, date and machine are present.  Then the refusals: a netbench
JSON older than its section's run, and a missing xenbench.json, must
be said in the figure and make figures.py exit 1, and a fetchbench run
without iPXE's own fetches draws no reference line and says so.  The
expected numbers below are the fixture's (tests/bench/fixtures/figures/),
worked out by hand from it.

    python3 tests/bench/test-figures.py

Prints "test-figures: N passed, M failed".

SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import benchmd  # noqa: E402
FIXTURE = os.path.join(HERE, "fixtures", "figures")
NS = "{http://www.w3.org/2000/svg}"
TOL = 0.02          # pixels: coordinates are written with 2 decimals

passed = failed = 0


def check(ok, what):
    """Count and print one check."""
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + what)
    else:
        failed += 1
        print("FAIL " + what)
    return ok


def run(build, out):
    """figures.py on @build, SVGs to @out: (exit status, its output)."""
    p = subprocess.run([sys.executable, os.path.join(HERE, "figures.py"),
                        "--build", build, "--out", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def parse(path, name):
    """The SVG at @path as an element tree root, or None (a FAIL)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        check(False, "%s is well-formed XML: %s" % (name, e))
        return None
    check(root.tag == NS + "svg", "%s is an SVG document (root %s)" % (
        name, root.tag))
    return root


def find(root, tag, **data):
    """Elements @tag whose data-* attributes include @data."""
    return [e for e in root.iter(NS + tag)
            if all(e.get("data-" + k.replace("_", "-")) == str(v)
                   for k, v in data.items())]


def texts(root):
    """Every text element's text."""
    return [e.text or "" for e in root.iter(NS + "text")]


def near(a, b):
    """Pixel coordinates equal within the rounding."""
    return abs(a - b) <= TOL


def h_axis(root, axis):
    """(origin x, pixels per unit) of horizontal axis @axis from its tick
    marks (data-axis, data-value; x1)."""
    tk = sorted((float(e.get("data-value")), float(e.get("x1")))
                for e in find(root, "line", axis=axis))
    if len(tk) < 2:
        return None
    (v0, x0), (v1, x1) = tk[0], tk[-1]
    return x0 - v0 * (x1 - x0) / (v1 - v0), (x1 - x0) / (v1 - v0)


def v_axis(root, axis):
    """(base y, pixels per unit) of vertical axis @axis (y grows down)."""
    tk = sorted((float(e.get("data-value")), float(e.get("y1")))
                for e in find(root, "line", axis=axis))
    if len(tk) < 2:
        return None
    (v0, y0), (v1, y1) = tk[0], tk[-1]
    return y0 + v0 * (y0 - y1) / (v1 - v0), (y0 - y1) / (v1 - v0)


def check_caption(root, name, machine="2 CPUs, Test CPU, 4.0 GiB RAM"):
    """The caption names the fixture's commit, date and @machine."""
    cap = " ".join(e.text or "" for e in find(root, "text", role="caption"))
    check("commit abc1234" in cap and "2026-12-01 10:" in cap and
          machine in cap, "%s's caption names the data's commit, date and "
          "machine %s" % (name, machine))


# The BIOS panels' segments the fixture implies: (panel words, row,
# [(phase, name, start, end)]) - contiguous from 0 to the marker.
SMALL = "initrd small (1.0 MB)"
BIG = "initrd 200M (210.8 MB)"
UEFI = "UEFI (OVMF's PXE), the small initrd"
TIMELINE = [
    (SMALL, "ours-tftp (our mboot.c32)", [
        ("firmware", "QEMU start -> PXELINUX's banner", 0, 5.0),
        ("pxelinux", None, 5.0, 5.25),
        ("transfer", "xen.gz", 5.25, 5.5),
        ("own", "between files", 5.5, 5.75),
        ("transfer", "vmlinuz", 5.75, 6.5),
        ("transfer", "initrd.gz", 6.5, 6.75),
        ("handover", "hand-over", 6.75, 7.0),
        ("xen", "Xen", 7.0, 10.5),
        ("dom0", "dom0 to userspace", 10.5, 14.5)]),
    (SMALL, "stock-tftp (stock mboot.c32)", [
        ("firmware", None, 0, 5.5),
        ("pxelinux", None, 5.5, 5.5),
        ("transfer", "xen.gz", 5.5, 5.75),
        ("transfer", "vmlinuz", 5.75, 7.0),
        ("transfer", "initrd.gz", 7.0, 7.25),
        ("handover", None, 7.25, 7.5),
        ("xen", None, 7.5, 11.0),
        ("dom0", None, 11.0, 15.0)]),
    # three boots: the one with the median marker time (12.0)
    (SMALL, "ours-http (our mboot.c32)", [
        ("firmware", None, 0, 4.0),
        ("pxelinux", None, 4.0, 4.0),
        ("transfer", "xen.gz", 4.0, 4.5),
        ("handover", None, 4.5, 5.0),
        ("xen", None, 5.0, 8.0),
        ("dom0", None, 8.0, 12.0)]),
    # iPXE's own multiboot: its script's start, no PXELINUX segment
    (SMALL, "ipxe-own-http (iPXE's own multiboot)", [
        ("firmware", "QEMU start -> iPXE runs its script", 0, 4.5),
        ("transfer", "xen", 4.5, 4.75),
        ("transfer", "vmlinuz", 4.75, 5.0),
        ("transfer", "initrd.gz", 5.0, 5.25),
        ("handover", None, 5.25, 5.5),
        ("xen", None, 5.5, 9.0),
        ("dom0", None, 9.0, 13.5)]),
    # GRUB's BIOS netboot: grub.cfg's first line, no PXELINUX segment
    (BIG, "grub-tftp (GRUB 2 netboot)", [
        ("firmware", "QEMU start -> GRUB runs grub.cfg", 0, 6.0),
        ("transfer", "xen.gz", 6.0, 6.5),
        ("transfer", "vmlinuz", 6.5, 8.0),
        ("transfer", "initrd-pad200M.gz", 8.0, 38.0),
        ("handover", None, 38.0, 38.5),
        ("xen", None, 38.5, 42.0),
        ("dom0", None, 42.0, 50.0)]),
    (BIG, "ours-tftp (our mboot.c32)", [
        ("firmware", None, 0, 5.0),
        ("pxelinux", None, 5.0, 5.25),
        ("transfer", "xen.gz", 5.25, 5.5),
        ("transfer", "vmlinuz", 5.5, 6.5),
        ("transfer", "initrd.gz", 6.5, 30.0),
        ("handover", None, 30.0, 30.5),
        ("xen", None, 30.5, 34.0),
        ("dom0", None, 34.0, 40.0)]),
    (UEFI, "ours (syslinux.efi + mboot.c32)", [
        ("firmware", "QEMU start -> the firmware's DHCP", 0, 5.0),
        ("dhcp", None, 5.0, 8.5),
        ("pxelinux", "syslinux.efi", 8.5, 12.5),
        ("pxelinux", "ldlinux.e64", 12.5, 12.75),
        ("pxelinux", "default", 12.75, 12.8),
        ("pxelinux", "mboot.c32", 12.8, 12.9),
        ("pxelinux", "libcom32.c32", 12.9, 13.0),
        ("transfer", "xen.gz", 13.0, 13.5),
        ("transfer", "vmlinuz", 13.5, 16.0),
        ("own", None, 16.0, 16.25),
        ("transfer", "initrd.gz", 16.25, 16.5),
        ("handover", None, 16.5, 17.0),
        ("xen", None, 17.0, 22.0),
        ("dom0", None, 22.0, 26.5)]),
    (UEFI, "GRUB 2 EFI netboot (2.06)", [
        ("firmware", None, 0, 3.5),
        ("dhcp", None, 3.5, 7.25),
        ("pxelinux", "core.efi", 7.25, 7.5),
        ("pxelinux", "grub.cfg", 7.5, 7.6),
        ("transfer", "xen.gz", 7.6, 7.8),
        ("own", None, 7.8, 8.5),
        ("transfer", "vmlinuz", 8.5, 11.25),
        ("transfer", "initrd.gz", 11.25, 11.5),
        ("handover", None, 11.5, 12.0),
        ("xen", None, 12.0, 19.0),
        ("dom0", None, 19.0, 27.0)]),
]


def test_timeline(root):
    """The boot timeline's segments, rows and labels."""
    panels = {e.get("data-panel") for e in find(root, "text")
              if e.get("data-panel")}
    for words, row, segs in TIMELINE:
        panel = [p for p in panels if p.endswith(words)]
        if not check(len(panel) == 1, "timeline: one panel '%s'" % words):
            continue
        panel = panel[0]
        ax = h_axis(root, panel)
        if not check(ax is not None, "timeline %s: axis ticks" % words):
            continue
        x0, scale = ax
        got = find(root, "rect", panel=panel, row=row)
        check(len(got) == len(segs), "timeline %s / %s: %d segments (got "
              "%d)" % (words, row, len(segs), len(got)))
        for (phase, name, a, b), e in zip(segs, got):
            ok = (e.get("data-phase") == phase and
                  (name is None or e.get("data-name") == name) and
                  near(float(e.get("x")), x0 + a * scale) and
                  near(float(e.get("width")), (b - a) * scale))
            check(ok, "timeline %s / %s: %s %s from %g to %g s (got %s %s "
                  "x=%s width=%s; axis origin %.2f, %.3f px/s)" % (
                      words, row, phase, name or "", a, b,
                      e.get("data-phase"), e.get("data-name"), e.get("x"),
                      e.get("width"), x0, scale))
        end = find(root, "text", end_of=row, panel=panel)
        check(len(end) == 1 and end[0].text == "%.1f s" % segs[-1][3],
              "timeline %s / %s: labelled %.1f s" % (words, row,
                                                     segs[-1][3]))
    small = [p for p in panels if p.endswith(SMALL)]
    big = [p for p in panels if p.endswith(BIG)]
    if small and big:
        # iPXE's own multiboot ran with the small initrd only, GRUB with
        # the 200M one (fixture)
        for panel, row, n in ((small[0], "iPXE's own multiboot", 0),
                              (big[0], "iPXE's own multiboot", 1),
                              (small[0], "GRUB netboot (BIOS)", 1),
                              (big[0], "GRUB netboot (BIOS)", 0)):
            m = find(root, "text", missing=row, panel=panel)
            check(len(m) == n and all("not measured" in e.text for e in m),
                  "timeline %s: %s row '%s: not measured'" % (
                      panel[-22:], "a" if n else "no", row))
        m = find(root, "text", missing="stock-tftp (stock mboot.c32)",
                 panel=big[0])
        check(len(m) == 1 and "no boot reached" in m[0].text,
              "timeline 200M: the failed stock boot is a row saying so, "
              "no bar")
    legend = {e.get("data-legend") for e in find(root, "rect")
              if e.get("data-legend")}
    check(legend == {"firmware", "dhcp", "pxelinux", "transfer", "own",
                     "handover", "xen", "dom0"},
          "timeline: a legend entry per phase (%s)" % sorted(legend))
    check_caption(root, "timeline")


def test_loss(root):
    """The loss figure's bars, shading, curves and missing points."""
    xen = [e.get("data-panel") for e in find(root, "text")
           if (e.get("data-panel") or "").startswith("Xen + dom0")]
    srv = [e.get("data-panel") for e in find(root, "text")
           if (e.get("data-panel") or "").startswith("Server matrix")]
    if not check(xen and srv, "loss: the Xen and server-matrix panels"):
        return
    # (panel, series, loss, slowest client's time, its loader start)
    for panel, series, loss, t, pre in (
            (xen[0], "stock-tftp", 0, 8.5, 5.5),
            (xen[0], "ours-tftp", 0, 7.5, 6.0),
            (xen[0], "ours-http", 0, 7.0, 5.5),
            (xen[0], "ours-tftp", 5, 25.0, 6.5),
            (srv[0], "hpa", 0, 6.5, 5.0),
            (srv[0], "hpa", 5, 10.0, 5.5)):
        ax = v_axis(root, panel)
        if not check(ax is not None, "loss: %s axis" % panel[:20]):
            continue
        base, scale = ax
        top = find(root, "rect", panel=panel, series=series, loss=loss,
                   part="loader")
        low = find(root, "rect", panel=panel, series=series, loss=loss,
                   part="before")
        ok = (len(top) == 1 and len(low) == 1 and
              near(float(top[0].get("y")), base - t * scale) and
              near(float(top[0].get("height")), (t - pre) * scale) and
              near(float(low[0].get("y")), base - pre * scale) and
              near(float(low[0].get("height")), pre * scale))
        check(ok, "loss %s %d %%: bar to %g s, shaded below %g s (the "
              "loader's start)" % (series, loss, t, pre))
        lab = find(root, "text", label_of="%s %d" % (series, loss),
                   panel=panel)
        check(len(lab) == 1 and lab[0].text == "%.1f" % t,
              "loss %s %d %%: labelled %.1f" % (series, loss, t))
    m = find(root, "text", missing="stock-tftp 20", panel=xen[0])
    check(len(m) == 1 and m[0].text == "none of 2 booted in 1200 s",
          "loss: stock 20 %% says none of 2 booted in 1200 s (%s)" % (
              [e.text for e in m]))
    m = find(root, "text", missing="stock-http 0", panel=xen[0])
    check(len(m) == 1 and m[0].text == "not run",
          "loss: a case the run did not run is marked 'not run'")
    curve = find(root, "polyline", curve="ours-tftp", panel=xen[0])
    check(len(curve) == 1 and len(curve[0].get("points").split()) == 2,
          "loss: ours-tftp's curve joins its 2 measured points")
    check(not find(root, "polyline", curve="ours-http", panel=xen[0]),
          "loss: no curve through a single point")
    # netbench.md records no machine: the caption names the one that
    # drew the figure (make bench draws right after its steps), saying so.
    check_caption(root, "loss", benchmd.machine() + " (the drawing's")


def test_throughput(root):
    """The throughput bars: fetchbench's and the lab's rates."""
    ax = h_axis(root, "MB/s")
    if not check(ax is not None, "throughput: MB/s axis"):
        return
    x0, scale = ax
    for row, rate in (
            ("200 MiB: ours-tftp-name via PXE UDP, QEMU user-net TFTP", 9.5),
            ("200 MiB: ours-http-name via iPXE, nginx", 16.0),
            # 2 clients x (2e6 + 6e6) bytes in 2 x (0.5 + 1.0) s
            ("lab: dnsmasq TFTP via PXE UDP", 16e6 / 3.0 / 1e6),
            # one client's 4e6 + 8e6 bytes in 0.25 + 0.75 s
            ("lab: nginx HTTP via iPXE", 12.0),
            ("lab: tftpd-hpa TFTP via PXE UDP", 2.0)):
        bar = find(root, "rect", row=row)
        ok = (len(bar) == 1 and near(float(bar[0].get("x")), x0) and
              near(float(bar[0].get("width")), rate * scale))
        check(ok, "throughput: '%s' %.2f MB/s long" % (row, rate))
        lab = find(root, "text", label_of=row)
        check(len(lab) == 1 and lab[0].text == "%.1f" % rate,
              "throughput: '%s' labelled %.1f" % (row, rate))
    m = find(root, "text", missing="200 MiB: stock-tftp-name")
    check(len(m) == 1 and m[0].text.startswith("no rate"),
          "throughput: the stock run is a row saying it has no rate")
    # iPXE's own fetches: dashed lines across the rows, not bars.
    for label, rate in (("iPXE's own HTTP", 40.0), ("iPXE's own TFTP",
                                                    30.0)):
        ln = find(root, "line", reference=label)
        ok = (len(ln) == 1 and near(float(ln[0].get("x1")),
                                    x0 + rate * scale) and
              near(float(ln[0].get("x2")), x0 + rate * scale) and
              ln[0].get("stroke-dasharray"))
        check(ok, "throughput: %s is a dashed reference line at %g MB/s"
              % (label, rate))
        lab = find(root, "text", label_of=label)
        check(len(lab) == 1 and lab[0].text == "%s: %.1f MB/s" % (label,
                                                                  rate),
              "throughput: %s's line labelled %.1f MB/s" % (label, rate))
    check(not [r for r in find(root, "rect") if "ipxe-own" in
               (r.get("data-row") or "")],
          "throughput: iPXE's own fetches are no bars")
    check_caption(root, "throughput")


def main():
    """Run the checks; exit 1 if any failed."""
    tmp = tempfile.mkdtemp(prefix="test-figures.")
    try:
        build = os.path.join(tmp, "build")
        out = os.path.join(tmp, "out")
        shutil.copytree(FIXTURE, build)
        rc, text = run(build, out)
        check(rc == 0, "figures.py draws every figure from the fixture "
              "(exit %d)" % rc)
        if rc != 0:
            print(text)
        for name, test in (("timeline.svg", test_timeline),
                           ("loss.svg", test_loss),
                           ("throughput.svg", test_throughput)):
            root = parse(os.path.join(out, name), name)
            if root is not None:
                test(root)
        sec = open(os.path.join(build, "bench", "figures.md")).read()
        for name in ("timeline.svg", "loss.svg", "throughput.svg"):
            check("](%s)" % os.path.join(out, name) in sec,
                  "figures.md links %s" % name)
        # A netbench JSON from before its section's run: not drawn.
        os.utime(os.path.join(build, "netlab", "netbench-xen.json"),
                 (0, 0))
        os.remove(os.path.join(build, "bench", "xenbench.json"))
        # fetchbench without iPXE's own runs: no line, the caption says so.
        fb = os.path.join(build, "bench", "fetchbench.json")
        with open(fb) as f:
            j = json.load(f)
        j["data"]["runs"] = [r for r in j["data"]["runs"]
                             if not r["reference"]]
        with open(fb, "w") as f:
            json.dump(j, f)
        rc, text = run(build, out)
        check(rc == 1, "figures.py exits 1 when a figure has no data "
              "(exit %d)" % rc)
        loss = parse(os.path.join(out, "loss.svg"), "loss.svg (stale)")
        if loss is not None:
            cap = " ".join(texts(loss))
            check("another run's" in cap and not find(loss, "rect",
                                                     part="loader"),
                  "loss: a netbench JSON older than its section is "
                  "refused and said so")
        tp = parse(os.path.join(out, "throughput.svg"), "throughput.svg "
                   "(no iPXE runs)")
        if tp is not None:
            cap = " ".join(texts(tp))
            check(not find(tp, "line", reference="iPXE's own HTTP") and
                  "reference line for iPXE's own rate" in cap and
                  "this run measured none" in cap,
                  "throughput: without iPXE's own runs no reference line, "
                  "the caption says so")
        tl = parse(os.path.join(out, "timeline.svg"), "timeline.svg (no "
                   "xenbench)")
        if tl is not None:
            cap = " ".join(texts(tl))
            check("xenbench.json" in cap and not any(
                "BIOS" in (e.get("data-panel") or "")
                for e in find(tl, "rect")),
                "timeline: no xenbench.json: no BIOS bars, the caption "
                "says why")
    finally:
        shutil.rmtree(tmp)
    print("test-figures: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
