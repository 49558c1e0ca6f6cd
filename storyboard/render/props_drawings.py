"""The line drawings behind `storyboard.render.props`: one small function per prop.

Each drawing works in its own units (DRAWINGS gives the extent it covers in
them, and a tilt in degrees) and draws through a `Pen`, which fits that extent
into the caller's pixel box keeping the proportions, turns unit coordinates
into pixels and knows the ink, the line width and the greys. Only PIL
ImageDraw primitives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import ImageDraw

Pt = tuple[float, float]
INK = -1  # "outline in the pen's ink"
DETAIL = 150  # grey of small details: text lines, seams, rays
LINE = 170  # lighter grey for text lines on paper


def bez(p0: Pt, p1: Pt, p2: Pt, n: int = 10) -> list[Pt]:
    """Points along the quadratic Bezier curve p0 → p2 pulled towards p1."""
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1]) for t in (k / n for k in range(n + 1))]


def oval(cx: float, cy: float, rx: float, ry: float, deg: float = 0.0, n: int = 20) -> list[Pt]:
    """An ellipse as a polygon, turned by `deg` degrees (PIL ellipses cannot turn)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    pts = [(rx * math.cos(2 * math.pi * k / n), ry * math.sin(2 * math.pi * k / n)) for k in range(n)]
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts]


def rect(cx: float, cy: float, w: float, h: float, deg: float = 0.0) -> list[Pt]:
    """A w×h rectangle centred on (cx, cy), turned by `deg` degrees."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2),
                                                                   (w / 2, h / 2), (-w / 2, h / 2))]


def polar(cx: float, cy: float, r: float, clock_deg: float) -> Pt:
    """The point at radius r, `clock_deg` degrees clockwise from 12 o'clock."""
    a = math.radians(clock_deg)
    return cx + r * math.sin(a), cy - r * math.cos(a)


class Pen:
    """Draws in a drawing's unit box, fitted (centred, proportions kept) into a pixel box."""

    def __init__(self, draw: ImageDraw.ImageDraw, box: Sequence[float], extent: Sequence[float],
                 ink: int, width: int, fill: int, tilt: float = 0.0) -> None:
        x0, y0, x1, y1 = box
        bw, bh = x1 - x0, y1 - y0
        self.draw, self.ink = draw, ink
        self.W, self.H = extent[2] - extent[0], extent[3] - extent[1]
        self.ux, self.uy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
        self.lw = max(1, min(int(width), round(min(bw, bh) / 13)))  # never heavier than the box can carry
        self.thin = max(1, round(self.lw * 0.5))
        self.fine = min(bw, bh) >= 90  # room for small details (hour marks, rivets, text lines)
        self.fill, self.light = fill, min(252, fill + 10)
        self.mid, self.shade, self.dark = max(0, fill - 22), max(0, fill - 44), max(0, fill - 120)
        a = math.radians(tilt)
        self._c, self._s = math.cos(a), math.sin(a)
        rw = abs(self.W * self._c) + abs(self.H * self._s)
        rh = abs(self.W * self._s) + abs(self.H * self._c)
        pad = self.lw + 1  # strokes are centred on the outline: keep them inside the box
        self.s = max(1e-3, min((bw - 2 * pad) / rw, (bh - 2 * pad) / rh))
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2

    def pt(self, x: float, y: float) -> Pt:
        dx, dy = (x - self.ux) * self.s, (y - self.uy) * self.s
        return self.cx + dx * self._c - dy * self._s, self.cy + dx * self._s + dy * self._c

    def px(self, units: float, least: int = 1) -> int:
        """A line width of `units` drawing units, in pixels."""
        return max(least, round(units * self.s))

    def _out(self, outline: int | None) -> int | None:
        return self.ink if outline == INK else outline

    def poly(self, pts: Sequence[Pt], fill: int | None = None, outline: int | None = INK, width: int = 0) -> None:
        self.draw.polygon([self.pt(*p) for p in pts], fill=fill, outline=self._out(outline), width=width or self.lw)

    def line(self, pts: Sequence[Pt], fill: int | None = None, width: int = 0) -> None:
        self.draw.line([self.pt(*p) for p in pts], fill=self.ink if fill is None else fill,
                       width=width or self.lw, joint="curve")

    def ellipse(self, cx: float, cy: float, rx: float, ry: float | None = None, fill: int | None = None,
                outline: int | None = INK, width: int = 0) -> None:
        x, y = self.pt(cx, cy)
        rx, ry = rx * self.s, (rx if ry is None else ry) * self.s
        self.draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=fill, outline=self._out(outline),
                          width=width or self.lw)

    def arc(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float,
            fill: int | None = None, width: int = 0) -> None:
        x, y = self.pt(cx, cy)
        rx, ry = rx * self.s, ry * self.s
        self.draw.arc((x - rx, y - ry, x + rx, y + ry), start, end, fill=self.ink if fill is None else fill,
                      width=width or self.lw)

    def ring(self, cx: float, cy: float, rx: float, ry: float, thick: float, fill: int) -> None:
        """A band with a real hole (the paper shows through), outlined both sides."""
        x, y = self.pt(cx, cy)
        rx, ry, t = rx * self.s, ry * self.s, max(1.0, thick * self.s)
        self.draw.ellipse((x - rx, y - ry, x + rx, y + ry), outline=fill, width=round(t))
        self.draw.ellipse((x - rx, y - ry, x + rx, y + ry), outline=self.ink, width=self.lw)
        if rx - t > self.lw and ry - t > self.lw:
            self.draw.ellipse((x - rx + t, y - ry + t, x + rx - t, y + ry - t), outline=self.ink, width=self.lw)

    def rrect(self, x0: float, y0: float, x1: float, y1: float, r: float = 0.0, fill: int | None = None,
              outline: int | None = INK, width: int = 0) -> None:
        if self._s:  # tilted: corners stay square
            self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill, outline, width)
            return
        (a, b), (c, d) = self.pt(x0, y0), self.pt(x1, y1)
        self.draw.rounded_rectangle((a, b, max(a, c), max(b, d)), radius=r * self.s, fill=fill,
                                    outline=self._out(outline), width=width or self.lw)

    def lines(self, x0: float, x1: float, ys: Sequence[float], slope: float = 0.0, fill: int = LINE) -> None:
        """Grey 'text' lines from x0 to x1 at each y (a shorter last line), only when there is room."""
        if self.fine:
            for k, y in enumerate(ys):
                end = x1 if k < len(ys) - 1 else x0 + (x1 - x0) * 0.6
                self.line([(x0, y), (end, y + slope * (end - x0))], fill, self.thin)


# --- the drawings --------------------------------------------------------------------------------


def _clock_face(p: Pen, cx: float, cy: float, r: float, hour: float, minute: float) -> None:
    for k in range(12):
        if k % 3 == 0 or p.fine:
            long = k % 3 == 0
            p.line([polar(cx, cy, r * (0.72 if long else 0.82), k * 30), polar(cx, cy, r * 0.92, k * 30)],
                   p.ink if long else DETAIL, p.lw if long else p.thin)
    p.line([(cx, cy), polar(cx, cy, r * 0.5, hour * 30 + minute / 2)], width=p.px(r * 0.12, p.lw))
    p.line([(cx, cy), polar(cx, cy, r * 0.8, minute * 6)], width=p.lw)
    p.ellipse(cx, cy, r * 0.09, fill=p.ink, outline=None)


def watch(p: Pen) -> None:
    p.rrect(15, 0, 45, 30, 4, fill=p.shade)
    p.rrect(15, 70, 45, 100, 4, fill=p.shade)
    if p.fine:
        for y in (80, 89):
            p.ellipse(30, y, 2.2, fill=p.dark, outline=None)
    p.rrect(52, 45, 59, 55, 1.5, fill=p.mid)
    p.ellipse(30, 50, 26, fill=p.mid)
    p.ellipse(30, 50, 20.5, fill=p.light)
    _clock_face(p, 30, 50, 20.5, 10, 10)


def knife(p: Pen) -> None:
    blade = [(80, 11), (166, 11), (198, 16)] + bez((198, 16), (186, 38), (146, 39))[1:] + [(80, 39)]
    p.poly(blade, fill=p.light)
    p.line(bez((192, 19), (182, 32), (146, 33)) + [(84, 33)], DETAIL, p.thin)
    p.rrect(70, 7, 82, 43, 2, fill=p.shade)
    p.rrect(3, 13, 72, 37, 11, fill=DETAIL)
    if p.fine:
        for x in (22, 40, 58):
            p.ellipse(x, 25, 3.2, fill=p.light, width=p.thin)


def gun(p: Pen) -> None:
    p.poly([(42, 30), (86, 30), (84, 46), (76, 104), (33, 104), (27, 96)], fill=p.shade)  # grip
    p.poly([(46, 50), (76, 50), (70, 96), (38, 96)], fill=DETAIL, outline=None)
    p.line([(86, 46), (86, 60), (93, 67), (107, 67), (115, 57), (115, 43)])  # trigger guard
    p.line([(101, 43), (101, 52), (96, 59)], width=p.px(3, p.lw))  # trigger
    p.poly([(78, 30), (152, 30), (152, 42), (86, 46)], fill=p.mid)  # frame
    p.poly([(38, 13), (28, 6), (24, 13), (36, 24)], fill=p.shade)  # hammer
    p.rrect(150, 13, 159, 27, 1, fill=p.dark)  # muzzle
    p.rrect(146, 3, 152, 9, 1, fill=p.ink, outline=None)
    p.rrect(40, 3, 48, 9, 1, fill=p.ink, outline=None)
    p.rrect(36, 8, 156, 32, 3, fill=p.mid)  # slide
    if p.fine:
        p.rrect(96, 12, 124, 20, 1, fill=p.shade, width=p.thin)
        for x in range(46, 66, 4):
            p.line([(x, 12), (x, 28)], DETAIL, p.thin)


def phone(p: Pen) -> None:
    p.rrect(2, 2, 58, 108, 10, fill=p.dark)
    p.rrect(7, 14, 53, 94, 3, fill=p.light)
    p.line([(24, 8), (36, 8)], DETAIL, p.thin)
    p.ellipse(30, 101, 3.5, outline=DETAIL, width=p.thin)
    if p.fine:
        p.rrect(11, 22, 38, 32, 3, fill=p.shade, outline=None)
        p.rrect(22, 38, 49, 48, 3, fill=p.mid, outline=None)
        p.rrect(11, 54, 34, 64, 3, fill=p.shade, outline=None)


def letter(p: Pen) -> None:
    p.poly([(8, 44), (152, 44), (80, 8)], fill=p.mid)  # the open flap, behind
    p.poly([(34, 4), (130, 12), (126, 80), (30, 72)], fill=p.light, width=p.thin)  # the folded sheet
    p.lines(40, 120, [18, 27, 36], slope=0.07)
    p.rrect(8, 44, 152, 116, 2, fill=p.fill)
    p.line([(8, 44), (80, 86), (152, 44)], width=p.thin)
    p.line([(8, 116), (64, 78)], DETAIL, p.thin)
    p.line([(152, 116), (96, 78)], DETAIL, p.thin)


def key(p: Pen) -> None:
    p.ring(38, 40, 34, 34, 14, p.mid)
    p.rrect(70, 28, 82, 52, 2, fill=p.shade)
    p.poly([(150, 44), (192, 44), (192, 72), (184, 72), (184, 62), (176, 62), (176, 72), (166, 72), (166, 60),
            (158, 60), (158, 68), (150, 68)], fill=p.fill)
    p.rrect(81, 34, 194, 46, 3, fill=p.fill)


def _wave(x: float, y0: float, y1: float, amp: float) -> list[Pt]:
    return [(x + amp * math.sin(k / 10 * 2 * math.pi), y0 + (y1 - y0) * k / 10) for k in range(11)]


def cup(p: Pen) -> None:
    for x in (40, 57, 74):
        p.line(_wave(x, 30, 2, 4), DETAIL)
    p.ring(94, 78, 21, 24, 8, p.mid)
    p.rrect(18, 38, 96, 116, 12, fill=p.fill)
    p.ellipse(57, 38, 39, 8, fill=p.mid)
    p.ellipse(57, 39.5, 32, 5, fill=DETAIL, outline=None)
    p.line([(28, 54), (28, 100)], p.light, p.px(4))


def glass(p: Pen) -> None:
    bowl = [(40 + 30 * math.cos(math.radians(a)), 14 + 54 * math.sin(math.radians(a))) for a in range(0, 181, 10)]
    p.poly(bowl, fill=p.light)
    lo = math.degrees(math.asin(22 / 54))
    p.poly([(40 + 30 * math.cos(math.radians(a)), 14 + 54 * math.sin(math.radians(a)))
            for a in [lo + (180 - 2 * lo) * k / 12 for k in range(13)]], fill=p.shade, outline=None)
    p.ellipse(40, 36, 27.4, 4, fill=p.mid, outline=DETAIL, width=p.thin)
    p.poly(bowl, outline=INK)
    p.ellipse(40, 14, 30, 7, fill=None)
    p.rrect(37, 66, 43, 116, 1, fill=p.fill)
    p.ellipse(40, 119, 24, 6, fill=p.fill)
    p.line(bez((17, 24), (14, 38), (20, 50)), 252, p.px(3))


def book(p: Pen) -> None:
    p.poly([(3, 18), (90, 26), (177, 18), (177, 104), (90, 110), (3, 104)], fill=DETAIL)  # cover
    for side in (1, -1):
        def m(pts: list[Pt], side: int = side) -> list[Pt]:
            return [(90 + side * (x - 90), y) for x, y in pts]
        p.line(m(bez((10, 99), (50, 91), (90, 105))), p.mid, p.thin)
        p.poly(m(bez((90, 22), (50, 4), (10, 12)) + bez((10, 94), (50, 86), (90, 100))), fill=p.light)
        if p.fine:
            for y in range(28, 84, 9):
                p.line(m([(22, y - 6 * (1 - (y - 28) / 80)), (78, y + 4)]), LINE, p.thin)
    p.line([(90, 22), (90, 100)])


def bag(p: Pen) -> None:
    p.ring(70, 46, 32, 38, 7, p.shade)
    p.poly([(26, 44), (114, 44)] + bez((130, 100), (134, 114), (120, 114), 4) + bez((20, 114), (6, 114), (10, 100), 4),
           fill=p.fill)
    p.poly([(24, 44), (116, 44), (112, 74), (70, 86), (28, 74)], fill=p.mid)
    if p.fine:
        p.line([(34, 50), (106, 50), (104, 69), (70, 79), (36, 69), (34, 50)], DETAIL, p.thin)
    p.rrect(62, 76, 78, 92, 2, fill=DETAIL)


def lantern(p: Pen) -> None:
    for deg in (-60, -90, -120, 60, 90, 120):
        p.line([polar(50, 78, 41, deg), polar(50, 78, 48, deg)], DETAIL)
    p.arc(50, 30, 26, 26, 180, 360)
    p.rrect(43, 17, 57, 25, 2, fill=p.shade)
    p.poly([(30, 24), (70, 24), (80, 40), (20, 40)], fill=p.shade)
    p.ellipse(50, 78, 30, 38, fill=p.light)
    p.poly(bez((50, 56), (58, 76), (50, 88), 6) + bez((50, 88), (42, 76), (50, 56), 6)[1:], fill=p.mid)
    p.line([(50, 88), (50, 96)], width=p.px(3))
    for side in (1, -1):
        p.line(bez((50 + side * 18, 42), (50 + side * 28, 78), (50 + side * 18, 114)), width=p.thin)
    p.rrect(16, 112, 84, 140, 5, fill=p.shade)
    p.rrect(10, 136, 90, 146, 3, fill=p.mid)


def car(p: Pen) -> None:
    p.ellipse(110, 96, 100, 3, fill=p.mid, outline=None)
    p.poly([(6, 66), (10, 50), (30, 46), (62, 44), (82, 20), (150, 20), (176, 44), (206, 48), (214, 58), (214, 76),
            (6, 78)], fill=p.fill)
    p.poly([(88, 27), (112, 27), (112, 43), (72, 43)], fill=p.shade, width=p.thin)
    p.poly([(118, 27), (146, 27), (164, 43), (118, 43)], fill=p.shade, width=p.thin)
    p.line([(115, 46), (115, 74)], width=p.thin)
    p.line([(120, 52), (130, 52)], width=p.thin)
    p.ellipse(207, 57, 4, 3, fill=p.light, width=p.thin)
    p.rrect(6, 54, 12, 62, 1, fill=DETAIL, width=p.thin)
    for x in (54, 166):
        p.ellipse(x, 78, 17, fill=p.dark)
        p.ellipse(x, 78, 7, fill=p.mid, width=p.thin)


def door_handle(p: Pen) -> None:
    p.rrect(6, 6, 46, 154, 16, fill=p.mid)
    if p.fine:
        for y in (18, 142):
            p.ellipse(26, y, 3, fill=p.fill, width=p.thin)
    p.poly([(26, 44), (96, 42), (114, 46), (116, 60), (106, 64), (96, 58), (26, 60)], fill=p.fill)
    p.line([(40, 56), (96, 54)], DETAIL, p.thin)
    p.ellipse(26, 52, 14, fill=p.fill)
    p.ellipse(26, 104, 6, fill=p.dark, outline=None)
    p.poly([(22, 106), (30, 106), (32, 124), (20, 124)], fill=p.dark, outline=None)


def footprints(p: Pen) -> None:
    (x0, y0), (x1, y1) = (28, 112), (170, 30)
    deg = math.degrees(math.atan2(y1 - y0, x1 - x0))
    ux, uy = (x1 - x0) / math.hypot(x1 - x0, y1 - y0), (y1 - y0) / math.hypot(x1 - x0, y1 - y0)
    for k in range(4):
        side = 1 if k % 2 else -1
        cx, cy = x0 + (x1 - x0) * k / 3 - uy * 13 * side, y0 + (y1 - y0) * k / 3 + ux * 13 * side
        p.poly(oval(cx + ux * 7, cy + uy * 7, 16, 10, deg), fill=p.shade)
        p.poly(oval(cx - ux * 17, cy - uy * 17, 8, 8, deg, 14), fill=p.shade)
        if p.fine:
            for d in (2, 10):
                p.line([(cx + ux * d - uy * 5, cy + uy * d + ux * 5), (cx + ux * d + uy * 5, cy + uy * d - ux * 5)],
                       DETAIL, p.thin)


def photo(p: Pen) -> None:
    p.poly([(0, 0), (150, 0), (150, 120), (0, 120)], fill=p.light)
    p.poly([(10, 10), (140, 10), (140, 90), (10, 90)], fill=p.mid, width=p.thin)
    p.poly(bez((10, 66), (60, 46), (140, 62)) + [(140, 90), (10, 90)], fill=p.shade, width=p.thin)
    p.ellipse(112, 30, 9, fill=p.light, width=p.thin)
    p.ellipse(58, 42, 6, fill=p.dark, outline=None)
    p.line([(58, 46), (58, 66)], p.dark, p.px(5))
    p.line([(50, 78), (58, 64), (66, 78)], p.dark, p.px(3))
    p.line([(48, 58), (58, 52), (68, 58)], p.dark, p.px(3))
    p.poly(rect(12, 4, 34, 12, -35), fill=p.shade, outline=None)


def map_(p: Pen) -> None:
    tops = [(2, 10), (46, 2), (90, 10), (134, 2), (178, 10)]
    bottoms = [(2, 118), (46, 110), (90, 118), (134, 110), (178, 118)]
    for i in range(4):
        p.poly([tops[i], tops[i + 1], bottoms[i + 1], bottoms[i]], fill=p.fill if i % 2 else p.mid)
    if p.fine:
        p.line(bez((110, 110), (100, 60), (170, 48)), DETAIL, p.px(4))  # a river
    route = bez((20, 96), (40, 30), (96, 70), 8) + bez((96, 70), (130, 100), (148, 40), 8)[1:]
    for a, b in zip(route[::2], route[1::2]):
        p.line([a, b], width=p.px(3.5, p.lw))
    p.ellipse(20, 96, 4, fill=p.ink, outline=None)
    p.line([(141, 29), (157, 45)], width=p.px(4.5, p.lw))
    p.line([(157, 29), (141, 45)], width=p.px(4.5, p.lw))


def bottle(p: Pen) -> None:
    body = [(23, 12), (37, 12), (37, 44)] + bez((37, 44), (54, 50), (54, 72)) + [(54, 144), (50, 148), (10, 148),
                                                                                  (6, 144)] + bez((6, 72), (6, 50),
                                                                                                  (23, 44))
    p.poly(body, fill=p.shade)
    p.rrect(24, 2, 36, 14, 2, fill=DETAIL)
    p.rrect(10, 84, 50, 122, 2, fill=p.light)
    p.lines(16, 44, [94, 103, 112])
    p.line([(12, 72), (12, 132)], p.light, p.px(3))


def candle(p: Pen) -> None:
    p.ring(72, 132, 8, 8, 3, p.mid)
    p.ellipse(40, 138, 34, 9, fill=p.mid)
    p.rrect(26, 46, 54, 138, 2, fill=p.light)
    p.ellipse(40, 46, 14, 4, fill=p.fill)
    p.poly([(47, 48), (52, 47), (52, 72), (49, 74)], fill=p.fill, width=p.thin)
    p.line([(40, 44), (40, 34)], p.ink, p.px(2.5))
    p.poly(bez((40, 6), (52, 26), (40, 36), 6) + bez((40, 36), (28, 26), (40, 6), 6)[1:], fill=p.light)
    p.poly(oval(40, 28, 3.5, 6), fill=p.mid, outline=None)


def ring(p: Pen) -> None:
    p.ring(50, 64, 40, 32, 8, p.mid)
    p.poly([(38, 30), (62, 30), (56, 40), (44, 40)], fill=p.shade)
    p.poly([(36, 14), (64, 14), (72, 22), (50, 42), (28, 22)], fill=p.light)
    p.line([(28, 22), (72, 22)], width=p.thin)
    p.line([(36, 14), (42, 22), (50, 42), (58, 22), (64, 14)], DETAIL, p.thin)
    if p.fine:
        for a, b in (((82, 6), (82, 18)), ((76, 12), (88, 12))):
            p.line([a, b], DETAIL, p.thin)


def sword(p: Pen) -> None:
    p.poly([(70, 24), (222, 24), (238, 30), (222, 36), (70, 36)], fill=p.light)
    p.line([(76, 30), (206, 30)], DETAIL, p.thin)
    p.rrect(18, 24, 62, 36, 2, fill=DETAIL)
    if p.fine:
        for x in range(24, 60, 7):
            p.line([(x, 25), (x + 5, 35)], p.dark, p.thin)
    p.rrect(60, 6, 72, 54, 3, fill=p.shade)
    p.ellipse(12, 30, 9, fill=p.shade)


def flower(p: Pen) -> None:
    p.line(bez((50, 56), (60, 100), (46, 148)), width=p.px(4, p.lw))
    p.poly(oval(66, 108, 13, 5.5, -35), fill=p.shade)
    p.poly(oval(37, 124, 11, 5, 30), fill=p.shade)
    for k in range(6):
        cx, cy = polar(50, 40, 20, k * 60)
        p.poly(oval(cx, cy, 14, 9, k * 60 - 90, 16), fill=p.light)
    p.ellipse(50, 40, 10, fill=DETAIL)


def umbrella(p: Pen) -> None:
    top = [(80 - 76 * math.cos(math.radians(a)), 72 - 62 * math.sin(math.radians(a))) for a in range(0, 181, 10)]
    scallops: list[Pt] = []
    for xa, xb in ((156, 118), (118, 80), (80, 42), (42, 4)):
        scallops += bez((xa, 72), ((xa + xb) / 2, 60), (xb, 72), 6)[1:]
    p.poly(top + scallops, fill=p.mid)
    for x in (42, 118):
        p.line(bez((80, 10), (x * 0.9 + 8, 30), (x, 72)), width=p.thin)
    p.line([(80, 10), (80, 2)], width=p.px(3, p.lw))
    p.line([(80, 72), (80, 132)], width=p.px(3, p.lw))
    p.arc(92, 130, 12, 12, 0, 180, width=p.px(4, p.lw))


def suitcase(p: Pen) -> None:
    p.rrect(56, 4, 104, 26, 7, width=p.px(5, p.lw))
    p.rrect(6, 20, 154, 122, 10, fill=p.fill)
    for x in (36, 112):
        p.rrect(x, 20, x + 12, 122, 0, fill=p.mid, width=p.thin)
    p.rrect(72, 22, 88, 30, 1, fill=p.dark, outline=None)
    p.rrect(14, 120, 28, 126, 1, fill=p.dark, outline=None)
    p.rrect(132, 120, 146, 126, 1, fill=p.dark, outline=None)


def money(p: Pen) -> None:
    for cx, cy, deg, shade in ((78, 56, -12, p.shade), (84, 52, -5, p.mid), (86, 54, 3, p.light)):
        p.poly(rect(cx, cy, 134, 66, deg), fill=shade)
    if p.fine:
        p.poly(rect(86, 54, 118, 50, 3), outline=DETAIL, width=p.thin)
        for dx in (-46, 46):
            p.ellipse(86 + dx, 54 + dx * 0.05, 5, outline=DETAIL, width=p.thin)
    p.poly(oval(86, 54, 13, 17, 3), fill=p.mid, width=p.thin)
    for k in range(3):
        p.ellipse(150, 102 - 7 * k, 22, 8, fill=p.mid if k % 2 else p.fill)


def camera(p: Pen) -> None:
    p.poly([(50, 22), (60, 6), (100, 6), (110, 22)], fill=p.shade)
    p.rrect(118, 10, 136, 22, 2, fill=p.dark)
    p.rrect(6, 20, 154, 104, 10, fill=p.fill)
    p.rrect(6, 40, 154, 86, 0, fill=p.mid, outline=DETAIL, width=p.thin)
    p.rrect(18, 27, 40, 36, 1, fill=p.light, width=p.thin)
    p.ellipse(80, 62, 34, fill=p.shade)
    p.ellipse(80, 62, 24, fill=p.dark)
    p.ellipse(73, 55, 6, fill=p.light, outline=None)


def clock(p: Pen) -> None:
    for x in (28, 92):
        p.line([(60, 80), (x * 1.3 - 18, 146)], width=p.px(5, p.lw))
        p.ellipse(x, 24, 18, fill=p.mid)
    p.line([(60, 8), (60, 28)], width=p.px(4, p.lw))
    p.ellipse(60, 82, 52, fill=p.mid)
    p.ellipse(60, 82, 43, fill=p.light)
    _clock_face(p, 60, 82, 43, 3, 0)


def cigarette(p: Pen) -> None:
    p.line(bez((178, 30), (154, 20), (170, 11)) + bez((170, 11), (184, 3), (162, 0))[1:], DETAIL)
    p.rrect(46, 32, 174, 54, 2, fill=p.light)
    p.rrect(4, 32, 50, 54, 3, fill=p.shade)
    if p.fine:
        for x in (16, 28, 40):
            p.ellipse(x, 43, 1.6, fill=DETAIL, outline=None)
    p.rrect(172, 32, 190, 54, 3, fill=DETAIL)
    p.line([(190, 35), (190, 51)], p.dark, p.px(3))


def newspaper(p: Pen) -> None:
    p.poly([(4, 8), (146, 2), (148, 116), (8, 120)], fill=p.light)
    p.poly([(14, 12), (136, 8), (136, 24), (14, 28)], fill=p.dark, outline=None)  # headline
    p.poly([(14, 36), (70, 34), (70, 72), (14, 74)], fill=p.shade, width=p.thin)  # photo
    if p.fine:
        for x0 in (80, 110):
            for k in range(8):
                y = 36 + k * 9
                p.line([(x0, y - x0 * 0.03), (x0 + 24, y - (x0 + 24) * 0.03)], LINE, p.thin)
        for k in range(3):
            p.line([(14, 84 + k * 9), (70, 83 + k * 9)], LINE, p.thin)


DRAWINGS: dict[str, tuple[tuple[float, float, float, float], float, Callable[[Pen], None]]] = {
    # canonical name: (the drawing's extent in its units: x0, y0, x1, y1; tilt in degrees; drawing)
    "watch": ((3, 0, 60, 100), 0, watch),
    "knife": ((3, 7, 198, 43), 0, knife),
    "gun": ((24, 3, 159, 104), 0, gun),
    "phone": ((2, 2, 58, 108), 0, phone),
    "letter": ((8, 4, 152, 116), 0, letter),
    "key": ((4, 6, 194, 74), 0, key),
    "cup": ((18, 2, 115, 116), 0, cup),
    "glass": ((10, 7, 70, 125), 0, glass),
    "book": ((3, 9, 177, 110), 0, book),
    "bag": ((9, 8, 131, 114), 0, bag),
    "lantern": ((2, 4, 98, 146), 0, lantern),
    "car": ((6, 20, 214, 99), 0, car),
    "door handle": ((6, 6, 116, 154), 0, door_handle),
    "footprints": ((-1, 25, 198, 118), 0, footprints),
    "photo": ((0, 0, 150, 120), -7, photo),
    "map": ((2, 2, 178, 118), 0, map_),
    "bottle": ((6, 2, 54, 148), 0, bottle),
    "candle": ((6, 6, 80, 147), 0, candle),
    "ring": ((10, 6, 90, 96), 0, ring),
    "sword": ((3, 6, 238, 54), 0, sword),
    "flower": ((19, 6, 81, 148), 0, flower),
    "umbrella": ((4, 2, 156, 142), 0, umbrella),
    "suitcase": ((6, 4, 154, 126), 0, suitcase),
    "money": ((5, 9, 172, 110), 0, money),
    "camera": ((6, 6, 154, 104), 0, camera),
    "clock": ((8, 6, 112, 147), 0, clock),
    "cigarette": ((4, 0, 191, 54), 0, cigarette),
    "newspaper": ((4, 2, 148, 120), 0, newspaper),
}
