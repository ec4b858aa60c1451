#!/bin/sh
# Keep docs/ERRORS.md and the code's error messages together, both ways:
#
#  - every message the module can fail with - each format string given to
#    mb_fail() in lib/*.c and com32/*.c, and each gzip cause of lib/gzip.c
#    (gz_messages, the %s of "gzip data error at compressed offset N: %s")
#    - appears in docs/ERRORS.md inside `...` (a conversion such as %s or
#    %u stands for any text: NAME, N, a real file name or number);
#  - every `mboot: error: ...` line quoted in docs/ERRORS.md is one the
#    code can print: it matches one of those format strings whole.
#
# So a message changed, added or removed in the code fails this check until
# docs/ERRORS.md says the same.  Prints one line per check and
# "errors: N passed, M failed".
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")/.." || exit 2
exec python3 - <<'EOF'
import glob
import re
import sys

def c_literals(src, i):
    """The C string literals (adjacent ones joined) starting at src[i],
    after blanks and comments; None when there is none."""
    parts = []
    while True:
        i = re.compile(r"(?:\s|/\*.*?\*/)*", re.S).match(src, i).end()
        if i >= len(src) or src[i] != '"':
            return ("".join(parts) if parts else None)
        j = i + 1
        buf = []
        while src[j] != '"':
            if src[j] == "\\":
                buf.append({"n": "\n", "t": "\t"}.get(src[j + 1], src[j + 1]))
                j += 2
            else:
                buf.append(src[j])
                j += 1
        parts.append("".join(buf))
        i = j + 1

def formats():
    """{format: [file:line, ...]} for every mb_fail() call with a literal
    format."""
    found = {}
    for path in sorted(glob.glob("lib/*.c") + glob.glob("com32/*.c")):
        src = open(path).read()
        for m in re.finditer(r"\bmb_fail\s*\(", src):
            i, depth, commas = m.end(), 0, 0
            while commas < 2 and i < len(src):  # skip err and the code
                c = src[i]
                depth += c in "(["
                depth -= c in ")]"
                commas += c == "," and depth == 0
                i += 1
            text = c_literals(src, i)
            if text is not None:
                line = src.count("\n", 0, m.start()) + 1
                found.setdefault(text, []).append("%s:%d" % (path, line))
    return found

def gzip_causes():
    """The messages of lib/gzip.c's gz_messages for the GZ_ERR_ codes."""
    src = open("lib/gzip.c").read()
    return re.findall(r'\[GZ_ERR_[A-Z_]+\]\s*=\s*"([^"]+)"', src)

CONV = re.compile(r"%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t)?[diouxXcsp%]")

def to_regex(fmt):
    """A regular expression for what printf-style @fmt can print (each
    conversion: some text)."""
    out, pos = [], 0
    for m in CONV.finditer(fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append("%" if m.group(0) == "%%" else ".*?")
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "".join(out)

doc = open("docs/ERRORS.md").read()
# Code spans, a line break inside one read as a space.
quoted = [" ".join(q.split()) for q in re.findall(r"`([^`]+)`", doc)]
passed = failed = 0

def report(ok, what):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what)
    passed += ok
    failed += not ok

fmts = formats()
if len(fmts) < 50:
    report(False, "only %d mb_fail() formats found in lib/ and com32/" % len(fmts))
for fmt, where in sorted(fmts.items(), key=lambda kv: kv[1][0]):
    rx = re.compile(to_regex(fmt))
    ok = any(rx.search(q) for q in quoted)
    report(ok, "%s \"%s\"%s" % (where[0], fmt, "" if ok else
                              " is not in docs/ERRORS.md"))
causes = gzip_causes()
if not causes:
    report(False, "no gzip causes found in lib/gzip.c")
for cause in causes:
    ok = any(cause in q for q in quoted)
    report(ok, "lib/gzip.c cause \"%s\"%s" % (cause, "" if ok else
                                            " is not in docs/ERRORS.md"))
regexes = [re.compile(to_regex(f) + r"\Z") for f in fmts]
errors = [q[len("mboot: error: "):] for q in quoted
          if q.startswith("mboot: error: ") and q != "mboot: error: <message>"]
if not errors:
    report(False, "no `mboot: error: ...` lines found in docs/ERRORS.md")
for msg in errors:
    ok = any(rx.match(msg) for rx in regexes)
    report(ok, "docs/ERRORS.md \"mboot: error: %s\"%s" % (
        msg, "" if ok else " matches no mb_fail() format in lib/ or com32/"))
print("errors: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
