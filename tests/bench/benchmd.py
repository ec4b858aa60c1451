"""benchmd.py - one bench script's section of docs/BENCH.md.

Each bench script (qemu/*bench.py) opens a Section when it starts and
writes it when it ends: BUILD/bench/NAME.md holds the exact command that
ran, the commit (git describe --always --dirty), the start and end time
(UTC) and the load average at both ends, the form (default: make bench;
full: make bench-full; by hand), then the tables the script printed.  tests/bench/collect.sh assembles the sections into
docs/BENCH.md, so the published figures are always what a script printed.

A script that sets Section.data (a JSON-able value: the numbers its
tables were made from) also gets BUILD/bench/NAME.json, written with the
section and carrying the same command, commit, times, load and form plus
the machine kind; tests/bench/figures.py draws docs/bench/*.svg from
those files, never from the Markdown.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import json
import os
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _loadavg():
    """/proc/loadavg's three averages, as printed there."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _describe():
    """git describe --always --dirty of the repository, or '?'."""
    try:
        return subprocess.run(
            ["git", "-C", REPO, "describe", "--always", "--dirty"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _now():
    """The time now, UTC, as the sections print it."""
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


def machine():
    """The machine kind, as collect.sh's header names it: "2 CPUs, <CPU
    model>, 23.5 GiB RAM"."""
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])     # MemTotal: N kB
    except (OSError, ValueError, IndexError):
        kib = 0
    return "%d CPUs, %s, %.1f GiB RAM" % (os.cpu_count() or 0, model,
                                          kib / 1048576)


def form():
    """Which form of the bench is running, from BENCH_FORM (set by
    tests/bench/run-bench.sh); the same words as benchmd.sh's md_form."""
    return {"default": "default (make bench: the budgeted form)",
            "full": "full (make bench-full: the long form)"}.get(
                os.environ.get("BENCH_FORM", ""),
                "by hand (not through make bench or make bench-full)")


class Section:
    """The section NAME of docs/BENCH.md, written to BUILD/bench/NAME.md."""

    def __init__(self, build, name, title):
        """Record the command line, commit, time and load average now."""
        self.path = os.path.join(build, "bench", name + ".md")
        self.title = title
        self.command = "python3 " + " ".join(
            shlex.quote(a) for a in [os.path.relpath(sys.argv[0], REPO)] +
            sys.argv[1:])
        self.commit = _describe()
        self.start = _now()
        self.load0 = _loadavg()
        self.body = []
        self.data = None       # set by the script: written as NAME.json

    def add(self, lines):
        """Append @lines (a list of str: Markdown) to the section."""
        self.body.extend(lines)

    def write(self):
        """Write BUILD/bench/NAME.md (the end time and load: now), and
        BUILD/bench/NAME.json when the script set self.data."""
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        end, load1 = _now(), _loadavg()
        head = ["## " + self.title, "",
                "Command: `%s`  " % self.command,
                "Commit: %s; ran %s to %s; load average (1/5/15 min) at "
                "start %s, at end %s  " % (self.commit, self.start, end,
                                           self.load0, load1),
                "Form: " + form(),
                ""]
        if self.data is not None:
            jpath = self.path[:-3] + ".json"
            with open(jpath + ".tmp", "w") as f:
                json.dump({"title": self.title, "command": self.command,
                           "commit": self.commit, "start": self.start,
                           "end": end, "load_start": self.load0,
                           "load_end": load1, "form": form(),
                           "machine": machine(), "data": self.data},
                          f, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(jpath + ".tmp", jpath)
        with open(self.path + ".tmp", "w") as f:
            f.write("\n".join(head + self.body).rstrip("\n") + "\n")
        os.replace(self.path + ".tmp", self.path)
        print("bench: section written to %s" % self.path, file=sys.stderr)
