"""svg.py - a few SVG elements written as text, for tests/bench/figures.py.

No plotting library: make bench must run on a fresh Debian 12 with the
packages tests/install-deps.sh installs, and the figures are simple
(rectangles, lines, text).  Every element can carry data-* attributes
naming what it shows, so tests/bench/test-figures.py can find a bar by
its meaning and check its geometry against the axis.

SPDX-License-Identifier: GPL-2.0-or-later
"""
from xml.sax.saxutils import escape, quoteattr

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def num(v):
    """@v as an SVG coordinate: at most 2 decimals, no trailing zeros."""
    s = "%.2f" % v
    return s.rstrip("0").rstrip(".") if "." in s else s


class Svg:
    """An SVG document of @width x @height pixels, built element by
    element (height may be set once the content's extent is known)."""

    def __init__(self, width, height, title):
        """An empty drawing titled @title (its <title>, for viewers)."""
        self.width, self.height = width, height
        self.items = ["<title>%s</title>" % escape(title)]

    @staticmethod
    def _attrs(attrs, data):
        """' k="v"' for @attrs (underscores as dashes) and data-* for
        @data; None values left out."""
        out = []
        for k, v in attrs.items():
            if v is not None:
                out.append(" %s=%s" % (k.rstrip("_").replace("_", "-"),
                                       quoteattr(num(v) if isinstance(
                                           v, float) else str(v))))
        for k, v in (data or {}).items():
            if v is not None:
                out.append(" data-%s=%s" % (k, quoteattr(
                    ("%.3f" % v) if isinstance(v, float) else str(v))))
        return "".join(out)

    def rect(self, x, y, w, h, fill, tip=None, data=None, **attrs):
        """A rectangle; @tip: its tooltip (<title>)."""
        a = self._attrs(dict(x=float(x), y=float(y), width=float(max(w, 0)),
                             height=float(h), fill=fill, **attrs), data)
        if tip:
            self.items.append("<rect%s><title>%s</title></rect>" % (
                a, escape(tip)))
        else:
            self.items.append("<rect%s/>" % a)

    def line(self, x1, y1, x2, y2, stroke="#000", data=None, **attrs):
        """A straight line."""
        self.items.append("<line%s/>" % self._attrs(dict(
            x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2),
            stroke=stroke, **attrs), data))

    def polyline(self, points, stroke, data=None, **attrs):
        """Connected line segments through @points [(x, y)]."""
        self.items.append("<polyline%s/>" % self._attrs(dict(
            points=" ".join("%s,%s" % (num(x), num(y)) for x, y in points),
            stroke=stroke, fill="none", **attrs), data))

    def circle(self, x, y, r, fill, tip=None, data=None, **attrs):
        """A dot."""
        a = self._attrs(dict(cx=float(x), cy=float(y), r=float(r),
                             fill=fill, **attrs), data)
        if tip:
            self.items.append("<circle%s><title>%s</title></circle>" % (
                a, escape(tip)))
        else:
            self.items.append("<circle%s/>" % a)

    def text(self, x, y, s, size=12, anchor="start", data=None, **attrs):
        """@s at (@x, @y) (the baseline), in the figure's font."""
        self.items.append("<text%s>%s</text>" % (self._attrs(dict(
            x=float(x), y=float(y), font_size=size, text_anchor=anchor,
            **attrs), data), escape(s)))

    def render(self):
        """The document as text."""
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=%s>\n"
                "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
                "fill=\"#fff\"/>\n%s\n</svg>\n" % (
                    self.width, self.height, self.width, self.height,
                    quoteattr(FONT), self.width, self.height,
                    "\n".join(self.items)))


def ticks(vmax, n=6):
    """Round tick values from 0 to at least @vmax (about @n of them)."""
    if vmax <= 0:
        return [0, 1]
    raw = vmax / n
    mag = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    while mag > raw:
        mag /= 10
    for m in (1, 2, 5, 10):
        step = m * mag
        if vmax / step <= n:
            break
    out, v = [0], 0
    while v < vmax - 1e-9:
        v += step
        out.append(round(v, 6))
    return out


def wrap(s, width):
    """@s broken into lines of at most @width characters at spaces."""
    out, cur = [], ""
    for w in s.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        out.append(cur)
    return out
