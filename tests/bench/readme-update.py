#!/usr/bin/env python3
"""readme-update.py - README's "Measured" section, rendered from docs/BENCH.md.

    python3 tests/bench/readme-update.py [--check] [--readme README]
                                         [--bench docs/BENCH.md]

Replaces everything between README's "Measured" heading and the next
heading with a rendering of docs/BENCH.md: a paragraph naming the machine,
the forms, commits, times and load averages the sections record, then per
section (in docs/BENCH.md's order) its command, commit, time, load and
form, a fixed description of what the bench does (DESCRIPTIONS below: no
figures in it), and the section's own text and tables:

  * a fenced block (a table the script printed) -> its lines indented by 4;
  * a Markdown table line ("|...") -> the same line;
  * a Markdown image ("![TITLE](PATH)", the figures section's links to
    docs/bench/*.svg, PATH relative to docs/) -> "Figure: docs/PATH
    (TITLE)";
  * a text line ending in ":" or longer than 100 characters (a legend or
    a description) -> a paragraph wrapped at 72 columns;
  * any other text line (a short result line such as "uefibench: ours
    slower than GRUB") -> the same line indented by 4.

So every table line and every short result line of the section is a line
of docs/BENCH.md (tests/bench/readme-figures.sh checks that), and the
whole section is what this script renders: --check prints the difference
and exits 1 when README's section is not that rendering (readme-figures.sh
runs it), so a figure edited by hand, or a docs/BENCH.md newer than the
README, fails `make check`.  `make bench-readme` runs `make bench` and
then this script.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import difflib
import os
import re
import sys
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# What each bench does, by section name (the script's name in the
# section's command); nothing here is a figure.
DESCRIPTIONS = {
    "inflate":
        "Every decoder's output SHA-256 is checked first; then -m64 wall "
        "clock, output MB/s, and instructions per output byte of the i386 "
        "builds under qemu-i386 -cpu pentium, where libdeflate has no CPU "
        "features to pick.",
    "memcpy":
        "-m64 wall clock, GB/s, page-aligned buffers, then source page+1 "
        "and destination page+3; then the i386 asm/memcpy.asm (mb_memcpy) "
        "against a byte loop, instructions for one copy as qemu-i386 counts "
        "them (each rep iteration counts as one, so that table says nothing "
        "about speed: on hardware a rep movsd's time is set by bandwidth).",
    "sha256":
        "-m64 MB/s of CPU time, every digest compared first; then the i386 "
        "module's own code (instructions per byte under qemu-i386, native "
        "MB/s) and what hashing adds to a download.",
    "fuzz":
        "libFuzzer; the committed corpus is replayed first, then each "
        "target fuzzes a copy of it for the seconds shown.",
    "membench":
        "A binary search on our plan's out-of-memory refusal, then each "
        "size booted for real, the test kernel checking the module's length "
        "and CRC-32 (a FAIL names the kernel's failed checks); then a 200 MB "
        "module, PXELINUX's banner to the kernel split into the transfer "
        "and our own work.",
    "fetchbench":
        "The test kernel checks the module's CRC-32; the transfer path is "
        "the one our module's summary line names.",
    "xenbench":
        "Debian's Xen 4.17 + dom0 + a busybox initrd through Debian's "
        "pxelinux.0 (-m 2048), per loader and name kind, with the initrd "
        "sizes of the first column (the larger one padded with random "
        "data); the target column holds issue #8's goals.",
    "uefibench":
        "OVMF's own PXE; seconds from QEMU's start; startup and files from "
        "the network trace (the boot program's request to xen.gz's, then "
        "to the last data packet).",
    "figures":
        "Plain SVG drawn by tests/bench/figures.py from the numbers the "
        "steps above wrote beside their sections (BUILD/bench/NAME.json) "
        "and from netbench's results file, never from typed numbers; each "
        "figure names the commit, date and machine of its data and what it "
        "does not show.",
    "netbench":
        "Stock against ours in qemu/netlab.py's lab (a private network "
        "namespace with dnsmasq and nginx; tftpd-hpa and atftpd in the "
        "server matrix); the rows are the cases the command ran.",
}

RE_CMD = re.compile(r"^Command: `(.*)` *$")
RE_COMMIT = re.compile(r"^Commit: (\S+); ran (.+?) to (.+?); load average "
                       r"\(1/5/15 min\) at start (\S+) \S+ \S+, at end "
                       r"(\S+) \S+ \S+ *$")
RE_FORM = re.compile(r"^Form: (default|full|by hand)\b")
RE_IMAGE = re.compile(r"^!\[(.*)\]\((.*)\)$")


class Section:
    """One "## " section of docs/BENCH.md."""

    def __init__(self, title):
        """An empty section titled @title."""
        self.title = title
        self.command = self.commit = self.start = self.end = None
        self.load0 = self.load1 = None
        self.form = "not recorded"     # sections written before forms were
        self.body = []

    @property
    def name(self):
        """The bench's name from its command: bench-NAME.sh, qemu/NAME.py;
        None for a section with no command (e.g. "Not run")."""
        if not self.command:
            return None
        m = re.search(r"bench-(\w+)\.sh|(?:qemu|tests/bench)/(\w+)\.py",
                      self.command)
        return (m.group(1) or m.group(2)) if m else None


def parse(path):
    """(header lines, [Section]) of docs/BENCH.md at @path; raises
    ValueError naming the line when a section's Command or Commit line is
    missing or malformed."""
    with open(path) as f:
        lines = f.read().splitlines()
    head, sections = [], []
    for i, line in enumerate(lines, 1):
        if line.startswith("## "):
            sections.append(Section(line[3:].strip()))
            continue
        if not sections:
            head.append(line)
            continue
        s = sections[-1]
        top = not any(l.strip() for l in s.body)    # before the body's text
        m = RE_CMD.match(line)
        if m and s.command is None and top:
            s.command = m.group(1)
            continue
        m = RE_COMMIT.match(line)
        if m and s.commit is None and top:
            s.commit, s.start, s.end, s.load0, s.load1 = m.groups()
            continue
        m = RE_FORM.match(line)
        if m and s.form == "not recorded" and top:
            s.form = m.group(1)
            continue
        if line.startswith("Commit:") and top:
            raise ValueError("%s:%d: a Commit line this script cannot read: "
                             "%s" % (path, i, line))
        s.body.append(line)
    for s in sections:
        if s.command is not None and s.commit is None:
            raise ValueError("%s: section \"%s\" has a Command line but no "
                             "Commit line" % (path, s.title))
    return head, sections


def wrap(text, indent=""):
    """@text as lines of at most 72 columns; raises ValueError if a line
    would start with "|" (readme-figures.sh reads those as table lines)."""
    out = textwrap.wrap(text, 72, break_long_words=False,
                        break_on_hyphens=False, initial_indent=indent,
                        subsequent_indent=indent)
    for line in out:
        if line.startswith("|"):
            raise ValueError("a wrapped line starts with '|': %s" % line)
    return out


def render_body(body):
    """README lines for a section's body (the rules in the header)."""
    out, fenced = [], False
    for line in body:
        if line.startswith("```"):
            fenced = not fenced
            continue
        image = RE_IMAGE.match(line)
        if fenced:
            out.append("    " + line if line.strip() else "")
        elif image:
            path = image.group(2)
            out.extend(wrap("Figure: %s (%s)" % (
                path if os.path.isabs(path) else "docs/" + path,
                image.group(1))))
        elif line.startswith("|") or not line.strip():
            out.append(line)
        elif line.rstrip().endswith(":") or len(line) > 100:
            if out and out[-1]:
                out.append("")
            out.extend(wrap(line.strip()))
            out.append("")
        else:
            out.append("    " + line)
    # Runs of blank lines to one; none at the ends.
    res = []
    for line in out:
        if line or (res and res[-1]):
            res.append(line)
    while res and not res[-1]:
        res.pop()
    return res


def hhmm(stamp):
    """"2026-12-07 19:36:38 UTC" -> "2026-12-07 19:36"."""
    return stamp[:16]


def render(head, sections):
    """The Measured section's lines (without its heading)."""
    info = {}
    for line in head:
        m = re.match(r"^- (assembled|machine|QEMU): (.*)$", line)
        if m:
            info[m.group(1)] = m.group(2)
    run = None      # run-bench.sh's line (collect.sh copies it)
    for line in head:
        m = re.match(r"^Last run of tests/bench/run-bench\.sh: (form .*? in "
                     r"all)", line)
        if m:
            run = m.group(1)
    timed = [s for s in sections if s.commit]
    out = []
    para = ("Rendered from docs/BENCH.md (assembled %s) by "
            "tests/bench/readme-update.py: `make bench-readme` runs `make "
            "bench` and then it, and tests/bench/readme-figures.sh fails "
            "when this section is not what it renders.  Machine: %s; QEMU: "
            "%s." % (info.get("assembled", "?"), info.get("machine", "?"),
                     info.get("QEMU", "?")))
    if timed:
        forms = {}
        for s in timed:
            forms.setdefault(s.form, []).append(s.name or s.title)
        loads = [float(x) for s in timed for x in (s.load0, s.load1)]
        commits = sorted({s.commit for s in timed})
        para += ("  The sections ran between %s and %s UTC, of commit%s %s, "
                 "in the form%s %s (each section names its own), at "
                 "1-minute load averages from %.2f to %.2f at their starts "
                 "and ends; the machine is shared, so absolute times are "
                 "noisy, the ratios within one table less so.  Each table "
                 "follows the command that printed it." % (
                     min(hhmm(s.start) for s in timed),
                     max(hhmm(s.end) for s in timed)[11:],
                     "s" if len(commits) > 1 else "", ", ".join(commits),
                     "s" if len(forms) > 1 else "",
                     "; ".join("%s (%s)" % (f, ", ".join(n))
                               for f, n in sorted(forms.items())),
                     min(loads), max(loads)))
    if run:
        para += ("  The last run of tests/bench/run-bench.sh that "
                 "docs/BENCH.md records: %s (its header has each step's "
                 "time)." % run)
    out.extend(wrap(para))
    for s in sections:
        out.append("")
        if s.command is None:   # "Not run" and the like: text only
            out.extend(wrap("%s: %s" % (s.title, " ".join(
                l.strip() for l in s.body if l.strip()))))
            continue
        out.append("%s:" % s.title)
        out.append("Command: `%s`" % s.command)
        out.extend(wrap(("Commit %s, form %s; ran %s to %s UTC, load "
                         "average %s at the start, %s at the end.  %s" % (
                             s.commit, s.form, hhmm(s.start),
                             hhmm(s.end)[11:], s.load0, s.load1,
                             DESCRIPTIONS.get(s.name, ""))).rstrip()))
        out.append("")
        out.extend(render_body(s.body))
    return out


def split_readme(text):
    """(before, section, after) of README's text around the Measured
    section's body: from after the "Measured" heading's dashes to the
    blank line before the next heading; raises ValueError if absent."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        if lines[i] == "Measured" and re.match(r"^-+$", lines[i + 1]):
            break
    else:
        raise ValueError("no 'Measured' heading (a line of dashes under it)")
    start = i + 2
    end = len(lines)
    for k in range(start, len(lines) - 1):
        if re.match(r"^-+$", lines[k + 1]) and re.match(r"^[^ |]", lines[k]):
            end = k
            break
    return lines[:start], lines[start:end], lines[end:]


def main():
    """Rewrite README's Measured section, or with --check compare it."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--readme", default=os.path.join(REPO, "README"))
    ap.add_argument("--bench", default=os.path.join(REPO, "docs", "BENCH.md"))
    ap.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 if README differs")
    args = ap.parse_args()
    try:
        head, sections = parse(args.bench)
        with open(args.readme) as f:
            text = f.read()
        before, old, after = split_readme(text)
        new = [""] + render(head, sections) + [""]
    except (OSError, ValueError) as e:
        print("readme-update: %s" % e, file=sys.stderr)
        return 2
    if args.check:
        if old == new:
            print("readme-update: %s's Measured section is %s's rendering"
                  % (os.path.relpath(args.readme), os.path.relpath(args.bench)))
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            [l + "\n" for l in old], [l + "\n" for l in new],
            "README (Measured)", "rendered from " + args.bench, n=1))
        print("readme-update: %s's Measured section differs from %s's "
              "rendering (run python3 tests/bench/readme-update.py)" % (
                  os.path.relpath(args.readme), os.path.relpath(args.bench)))
        return 1
    with open(args.readme + ".tmp", "w") as f:
        f.write("\n".join(before + new + after))
    os.replace(args.readme + ".tmp", args.readme)
    print("readme-update: %s's Measured section rendered from %s (%d "
          "sections)" % (args.readme, args.bench, len(sections)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
