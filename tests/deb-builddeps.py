#!/usr/bin/env python3
"""deb-builddeps.py - are debian/control's Build-Depends what the build uses?

    tests/deb-builddeps.py STRACE_LOG debian/control

STRACE_LOG is `strace -f -e trace=execve,openat,open` of a whole
`dpkg-buildpackage -b`.  Every file the build executed or opened (with
success) is mapped to its installed package (dpkg -S).  Two checks:

  * used but not declared: a package the build read that is neither in
    Build-Depends nor pulled in by them (Depends/Pre-Depends), nor by the
    toolchain every package build has (build-essential, debhelper, the
    Essential packages: Depends, Pre-Depends and Recommends, since their
    tools use recommended perl modules when present); the closure is over
    the installed packages, alternatives and Provides included;
  * declared but unused: a Build-Depends entry (debhelper-compat aside)
    whose package's files the build never touched.

Prints one line per finding and "builddeps: ..." at the end; exits 1 on
any finding.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import subprocess
import sys

# Debian 12's build-essential package depends on these.
BUILD_ESSENTIAL = ["libc6-dev", "gcc", "g++", "make", "dpkg-dev"]
# Read when present, never needed: time zone and locale aliases that perl,
# date and gettext look up (the build gives the same bytes without them).
OPPORTUNISTIC = {"tzdata": "time zone data read by date/perl",
                 "locales": "locale.alias read by gettext"}
CALL = re.compile(r'^\d+\s+(?:execve|openat|open)\((?:AT_FDCWD, )?"([^"]+)"')


def used_paths(log):
    """Absolute paths the build executed or opened successfully."""
    paths = set()
    with open(log, errors="replace") as f:
        for line in f:
            m = CALL.match(line)
            if not m or "= -1 " in line or "<unfinished" in line:
                continue
            p = m.group(1)
            if p.startswith("/") and not re.match(r"/(tmp|proc|dev|sys|work|root|home)/", p):
                paths.add(p)
    return paths


def owners(paths):
    """Map each path (or its resolved form) to the packages owning it."""
    found = {}
    todo = sorted(paths)
    for i in range(0, len(todo), 200):
        chunk = todo[i:i + 200]
        cands = []
        for p in chunk:
            cands.append(p)
            r = os.path.realpath(p)
            if r != p:
                cands.append(r)
        out = subprocess.run(["dpkg", "-S"] + cands, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            if line.startswith("diversion by") or ": " not in line:
                continue
            pkgs, path = line.split(": ", 1)
            for pkg in pkgs.split(","):
                found.setdefault(pkg.strip().split(":")[0], set()).add(path)
    return found


def installed():
    """Installed packages: name -> (essential, [dependency alternative
    groups], [recommends groups]), and virtual name -> providers."""
    fmt = "${Package}\\t${Essential}\\t${Depends}, ${Pre-Depends}\\t${Recommends}\\t${Provides}\\t${Status}\\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True,
                         text=True, check=True).stdout
    pkgs, provides = {}, {}
    for line in out.splitlines():
        name, ess, deps, recs, prov, status = line.split("\t")
        if not status.endswith(" installed"):
            continue
        pkgs[name] = (ess == "yes", alternatives(deps), alternatives(recs))
        for p in prov.split(","):
            if p.strip():
                provides.setdefault(p.strip().split()[0], set()).add(name)
    return pkgs, provides


def alternatives(field):
    """A Depends-style field as a list of alternative groups of names."""
    return [[a.strip().split()[0].split(":")[0] for a in g.split("|")]
            for g in field.split(",") if g.strip()]


def closure(roots, pkgs, provides, recommends=False):
    """Every installed package reachable from @roots through dependencies
    (each installed alternative of a group counts), and through
    Recommends too when @recommends."""
    seen, todo = set(), list(roots)
    while todo:
        n = todo.pop()
        for real in ({n} if n in pkgs else set()) | provides.get(n, set()):
            if real in seen:
                continue
            seen.add(real)
            for group in pkgs[real][1] + (pkgs[real][2] if recommends else []):
                todo.extend(group)
    return seen


def build_depends(control):
    """Package names of the source stanza's Build-Depends field."""
    text, field, out = open(control).read(), None, []
    for line in text.split("\n\n")[0].splitlines():
        if line.startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            field = line.split(":", 1)[0]
            line = line.split(":", 1)[1] if ":" in line else ""
        if field == "Build-Depends":
            out.append(line)
    return [g.split("|")[0].strip().split()[0].split("(")[0]
            for g in " ".join(out).split(",") if g.strip()]


def main():
    log, control = sys.argv[1], sys.argv[2]
    declared = build_depends(control)
    pkgs, provides = installed()
    essential = [n for n, v in pkgs.items() if v[0]]
    toolchain = ["debhelper"] + BUILD_ESSENTIAL + essential
    allowed = closure(toolchain, pkgs, provides, recommends=True) | \
        closure([d for d in declared if d != "debhelper-compat"], pkgs, provides)
    used = owners(used_paths(log))
    bad = 0
    for pkg in sorted(used):
        if pkg in allowed:
            continue
        if pkg in OPPORTUNISTIC:
            print("note %s read (%s), not needed" % (pkg, OPPORTUNISTIC[pkg]))
            continue
        bad += 1
        print("FAIL build used %s (%s) but no Build-Depends brings it" %
              (pkg, sorted(used[pkg])[0]))
    for d in declared:
        if d == "debhelper-compat":
            continue
        if d not in used:
            bad += 1
            print("FAIL Build-Depends %s: the build never touched its files" % d)
        else:
            print("ok   Build-Depends %s used: %s" % (d, sorted(used[d])[0]))
    print("builddeps: %d packages touched, %d declared, %d findings" %
          (len(used), len(declared), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
