"""The set pieces of `scenery`, one small function each, in light line art.

Geometry is a pinhole camera in metres: `Space.point(X, Y, Z)` maps a point
X metres right of the camera axis, Y metres above the floor and Z metres
away to frame units, with the horizon and vanishing point of the blueprint.
A `Plane` is a flat rectangle facing the camera (a back wall, a facade) or a
side wall, addressed in local metres (u across, v up), so a door or a window
is drawn the same way wherever it hangs. Tones stay light (outlines 110-175,
fills 180-246): the set sits behind the figures and never competes with them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

ROOM_DEPTH = 5.0  # metres to the back wall the background draws
ROOM_EYE = 1.1  # camera height in a room: the back wall (0.54 frame heights) is 2.7 m
STREET_EYE = 1.6  # camera height outside: the horizon goes through a standing figure's eyes
WALL_HEIGHT = 2.7


@dataclass(frozen=True)
class Style:
    line: int  # outlines
    soft: int  # secondary lines: panels, planks, waves
    fill: int  # surfaces
    shade: int  # surfaces turned from the light
    pane: int  # glass
    glint: int  # reflections on glass
    fire: int  # flame strokes
    hearth: int  # inside a fireplace, a lamp's glow


DAY = Style(line=150, soft=175, fill=238, shade=227, pane=246, glint=205, fire=130, hearth=210)
NIGHT = Style(line=118, soft=140, fill=196, shade=186, pane=96, glint=130, fire=236, hearth=150)


class Space:
    """A pinhole camera: metres → frame units (focal length one frame height)."""

    def __init__(self, canvas, horizon: float, vanishing_x: float, eye: float) -> None:
        self.canvas, self.hy, self.vx, self.eye = canvas, horizon, vanishing_x, eye
        self.aspect = canvas.w / canvas.h

    def point(self, x: float, y: float, z: float) -> tuple[float, float]:
        z = max(z, 0.05)
        return self.vx + x / (z * self.aspect), self.hy + (self.eye - y) / z

    def lateral(self, frame_x: float, z: float) -> float:
        """The X (metres) that is seen at frame x at depth z."""
        return (frame_x - self.vx) * self.aspect * z

    def frame_width(self, metres: float, z: float) -> float:
        return metres / (z * self.aspect)


class Plane:
    """A wall rectangle addressed in local metres: u across from its left edge, v up from the floor."""

    def __init__(self, space: Space, at: Callable[[float, float], tuple[float, float, float]], width: float) -> None:
        self.space, self._at, self.width = space, at, width

    def __call__(self, u: float, v: float) -> tuple[float, float]:
        return self.space.point(*self._at(u, v))

    def quad(self, u0: float, v0: float, u1: float, v1: float) -> list[tuple[float, float]]:
        return [self(u0, v0), self(u1, v0), self(u1, v1), self(u0, v1)]

    def xspan(self, u0: float, u1: float) -> tuple[float, float]:
        xs = [self(u, 0.0)[0] for u in (u0, u1)]
        return min(xs), max(xs)


def facing_plane(space: Space, x_left: float, z: float, width: float) -> Plane:
    return Plane(space, lambda u, v: (x_left + u, v, z), width)


def side_plane(space: Space, side: int, x: float, z_far: float, z_near: float) -> Plane:
    """A side wall at X = x, read left to right as we see it."""
    if side > 0:
        return Plane(space, lambda u, v: (x, v, z_far - u), z_far - z_near)
    return Plane(space, lambda u, v: (x, v, z_near + u), z_far - z_near)


# -- drawing helpers (frame units in, pixels out) ------------------------------------------


def width(canvas, factor: float = 1.0) -> int:
    return max(1, round(canvas.h / 540 * factor))


def px(canvas, pts) -> list[tuple[float, float]]:
    return [(canvas.X(x), canvas.Y(y)) for x, y in pts]


def poly(canvas, pts, fill=None, outline=None, w: float = 1.0) -> None:
    canvas.draw.polygon(px(canvas, pts), fill=fill, outline=outline, width=width(canvas, w))


def line(canvas, pts, fill: int, w: float = 1.0) -> None:
    canvas.draw.line(px(canvas, pts), fill=fill, width=width(canvas, w))


def disc(canvas, x: float, y: float, r: float, fill=None, outline=None, w: float = 1.0) -> None:
    """A circle of radius r frame heights around frame point (x, y)."""
    cx, cy, rr = canvas.X(x), canvas.Y(y), canvas.L(r)
    canvas.draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=fill, outline=outline, width=width(canvas, w))


def box(canvas, space: Space, x0, x1, y0, y1, z0, z1, st: Style) -> None:
    """A solid block seen from the camera: the faces that show, far ones first."""
    p = space.point
    faces = []
    if space.eye > y1:  # top seen from above
        faces.append(([p(x0, y1, z0), p(x1, y1, z0), p(x1, y1, z1), p(x0, y1, z1)], st.fill))
    if x0 > 0:
        faces.append(([p(x0, y0, z0), p(x0, y0, z1), p(x0, y1, z1), p(x0, y1, z0)], st.shade))
    if x1 < 0:
        faces.append(([p(x1, y0, z0), p(x1, y0, z1), p(x1, y1, z1), p(x1, y1, z0)], st.shade))
    faces.append(([p(x0, y0, z0), p(x1, y0, z0), p(x1, y1, z0), p(x0, y1, z0)], st.fill))  # the front
    for pts, fill in faces:
        poly(space.canvas, pts, fill=fill, outline=st.line)


# -- on a wall: door, window, fireplace ------------------------------------------------------


def door(canvas, wall: Plane, u: float, st: Style) -> None:
    w, h = 0.95, 2.1
    poly(canvas, wall.quad(u - 0.08, 0, u + w + 0.08, h + 0.08), fill=st.shade, outline=st.line)  # casing
    poly(canvas, wall.quad(u, 0, u + w, h), fill=st.fill, outline=st.line, w=1.5)
    for v0, v1 in ((0.25, 0.95), (1.15, 1.9)):
        poly(canvas, wall.quad(u + 0.15, v0, u + w - 0.15, v1), outline=st.soft)
    kx, ky = wall(u + w - 0.14, 1.0)
    disc(canvas, kx, ky, canvas_r(wall, u, 0.035), fill=st.line)


def canvas_r(wall: Plane, u: float, metres: float) -> float:
    """A small radius in frame heights for something `metres` across at u on the wall."""
    return abs(wall(u, 1.0)[1] - wall(u, 1.0 + metres)[1])


def window(canvas, wall: Plane, u: float, st: Style, view: Callable | None = None) -> tuple:
    w, v0, v1 = 1.3, 0.95, 2.15
    poly(canvas, wall.quad(u - 0.07, v0 - 0.07, u + w + 0.07, v1 + 0.07), fill=st.shade, outline=st.line)
    poly(canvas, wall.quad(u, v0, u + w, v1), fill=st.pane, outline=st.line)
    if view is not None:
        view(canvas, wall, (u, v0, u + w, v1), st)
    else:  # a glint on the glass
        for k in (0.2, 0.3):
            line(canvas, [wall(u + k * w, v1 - 0.25), wall(u + (k + 0.15) * w, v1 - 0.55)], st.glint)
    line(canvas, [wall(u + w / 2, v0), wall(u + w / 2, v1)], st.line, 1.5)  # mullion and transom
    line(canvas, [wall(u, (v0 + v1) / 2), wall(u + w, (v0 + v1) / 2)], st.line, 1.5)
    poly(canvas, wall.quad(u - 0.12, v0 - 0.12, u + w + 0.12, v0 - 0.04), fill=st.fill, outline=st.line)  # sill
    return u, v0, u + w, v1


def fireplace(canvas, wall: Plane, u: float, st: Style, rng: random.Random) -> None:
    w, h = 1.5, 1.15
    poly(canvas, wall.quad(u, 0, u + w, h), fill=st.fill, outline=st.line)
    poly(canvas, wall.quad(u + 0.3, 0, u + w - 0.3, 0.8), fill=st.hearth, outline=st.line, w=1.5)  # the opening
    poly(canvas, wall.quad(u - 0.12, h, u + w + 0.12, h + 0.1), fill=st.shade, outline=st.line)  # mantel shelf
    mid = u + w / 2
    for k in range(5):  # fire lines licking up from the logs
        x0 = mid + (k - 2) * 0.13
        lean = rng.uniform(-0.06, 0.06)
        tip = 0.45 + rng.uniform(0.0, 0.2) - abs(k - 2) * 0.08
        line(canvas, [wall(x0, 0.12), wall(x0 + 0.05 + lean, tip * 0.55), wall(x0 - 0.02 + lean, tip)], st.fire)
    line(canvas, [wall(mid - 0.35, 0.1), wall(mid + 0.35, 0.16)], st.line, 2)  # logs
    line(canvas, [wall(mid - 0.3, 0.17), wall(mid + 0.3, 0.09)], st.line, 2)


# -- on the floor: table, bed, stairs, campfire ---------------------------------------------


def table(canvas, space: Space, x: float, z: float, st: Style) -> None:
    w, d, h, top = 1.2, 0.8, 0.75, 0.05
    legs = [(x - w / 2 + 0.06, z + d / 2 - 0.06), (x + w / 2 - 0.06, z + d / 2 - 0.06),
            (x - w / 2 + 0.06, z - d / 2 + 0.06), (x + w / 2 - 0.06, z - d / 2 + 0.06)]
    for lx, lz in sorted(legs, key=lambda leg: -leg[1]):  # far legs first
        line(canvas, [space.point(lx, 0, lz), space.point(lx, h - top, lz)], st.line, 2)
    box(canvas, space, x - w / 2, x + w / 2, h - top, h, z - d / 2, z + d / 2, st)


def bed(canvas, space: Space, x: float, z_head: float, st: Style) -> None:
    w, length = 1.5, 2.0
    box(canvas, space, x - w / 2 - 0.05, x + w / 2 + 0.05, 0, 1.0, z_head, z_head + 0.08, st)  # headboard
    box(canvas, space, x - w / 2, x + w / 2, 0, 0.5, z_head - length, z_head, st)  # mattress
    p = space.point
    poly(canvas, [p(x - w / 2 + 0.1, 0.5, z_head - 0.1), p(x + w / 2 - 0.1, 0.5, z_head - 0.1),
                  p(x + w / 2 - 0.1, 0.62, z_head - 0.5), p(x - w / 2 + 0.1, 0.62, z_head - 0.5)],
         fill=st.pane if st is DAY else st.fill, outline=st.soft)  # the pillow
    line(canvas, [p(x - w / 2, 0.5, z_head - 0.8), p(x + w / 2, 0.5, z_head - 0.8)], st.soft, 1.5)  # blanket fold
    line(canvas, [p(x - w / 2, 0.5, z_head - 0.8), p(x - w / 2, 0.5, z_head - length)], st.line)


def stairs(canvas, space: Space, x: float, z_near: float, z_far: float, st: Style, steps: int = 8) -> None:
    w, rise = 1.1, 0.19
    run = (z_far - z_near) / steps
    for i in reversed(range(steps)):  # far (high) steps first, near ones cover them
        z, y = z_near + i * run, i * rise
        box(canvas, space, x - w / 2, x + w / 2, 0, y + rise, z, z + run, st)
    rail = [space.point(x + w / 2, 0.9 + i * rise, z_near + i * run) for i in (0, steps)]
    line(canvas, rail, st.line, 1.5)
    for i in range(0, steps + 1, 2):
        z, y = z_near + i * run, min(i, steps - 1) * rise + rise
        line(canvas, [space.point(x + w / 2, y, z), space.point(x + w / 2, 0.9 + i * rise, z)], st.soft)


def campfire(canvas, space: Space, x: float, z: float, st: Style, rng: random.Random) -> None:
    p = space.point
    for k in range(9):  # a ring of stones
        a = 2 * math.pi * k / 9
        sx, sy = p(x + 0.5 * math.cos(a), 0, z + 0.5 * math.sin(a))
        disc(canvas, sx, sy, 0.1 / z * 0.8, fill=st.shade, outline=st.line)
    for k in range(5):
        bx = x + (k - 2) * 0.12
        tip = 0.7 + rng.uniform(0, 0.3) - abs(k - 2) * 0.15
        line(canvas, [p(bx, 0.05, z), p(bx + 0.06, tip * 0.5, z), p(bx - 0.03, tip, z)], st.fire, 1.5)


# -- outside: trees, street, sea -------------------------------------------------------------


def tree(canvas, space: Space, x: float, z: float, height: float, st: Style, rng: random.Random) -> None:
    p = space.point
    trunk = 0.25 + height * 0.02
    poly(canvas, [p(x - trunk / 2, 0, z), p(x + trunk / 2, 0, z), p(x + trunk / 2, height * 0.55, z),
                  p(x - trunk / 2, height * 0.55, z)], fill=st.shade, outline=st.line)
    radius = height * 0.28
    blobs = [(0.0, 0.72, 1.0), (-0.55, 0.6, 0.7), (0.55, 0.62, 0.72), (rng.uniform(-0.2, 0.2), 0.9, 0.7)]
    centres = []
    for dx, dy, k in blobs:
        cx, cy = p(x + dx * radius, height * dy, z)
        centres.append((cx, cy, radius * k / z))
    edge = width(canvas, 1.5) / canvas.h
    for cx, cy, r in centres:  # outlines first, then fills, so the canopy reads as one cloud
        disc(canvas, cx, cy, r + edge, fill=st.line)
    for cx, cy, r in centres:
        disc(canvas, cx, cy, r, fill=st.fill)


def street(canvas, space: Space, lamp: tuple[float, float] | None, st: Style, rng: random.Random) -> None:
    p, bottom = space.point, max(space.eye / (1.05 - space.hy), 0.5)
    road, walk = 4.0, 7.5
    for side in (-1, 1):
        for x, y in ((side * road, 0.0), (side * road, 0.15)):  # kerb face and kerb top
            line(canvas, [p(x, y, 400), p(x, y, bottom)], st.line, 1.5)
        for z in (30, 50, 80, 140):  # building corners: vertical edges at different distances
            height = 9 + rng.uniform(0, 9)
            line(canvas, [p(side * walk, 0, z), p(side * walk, height, z)], st.soft, 1.5)
            line(canvas, [p(side * walk, height, z), p(side * walk, height, z * 1.6)], st.soft)
        for y in (3.5, 7.0):  # window rows running into the distance
            line(canvas, [p(side * walk, y, 400), p(side * walk, y, 18)], st.soft)
        line(canvas, [p(side * walk, 0, 400), p(side * walk, 0, bottom)], st.soft)
    for z in (8, 13, 21, 34, 55):  # centre-line dashes
        poly(canvas, [p(-0.08, 0, z), p(0.08, 0, z), p(0.08, 0, z * 1.3), p(-0.08, 0, z * 1.3)], fill=st.line)
    if lamp is not None:
        lamp_post(canvas, space, lamp[0], lamp[1], st)


def lamp_post(canvas, space: Space, x: float, z: float, st: Style) -> None:
    p, arm = space.point, (-0.8 if x > 0 else 0.8)
    line(canvas, [p(x, 0, z), p(x, 5.0, z)], st.line, 2.5)
    line(canvas, [p(x, 5.0, z), p(x + arm * 0.4, 5.3, z), p(x + arm, 5.2, z)], st.line, 2)
    hx, hy = p(x + arm, 5.0, z)
    r = 0.25 / z
    disc(canvas, hx, hy, r * 2.5 if st is NIGHT else r, fill=st.pane if st is DAY else 238, outline=st.line)


def sea(canvas, space: Space, st: Style, rng: random.Random) -> None:
    line(canvas, [(-space.canvas.pad / space.canvas.w, space.hy), (1 + space.canvas.pad / space.canvas.w, space.hy)],
         st.line, 2)
    z = 120.0
    while space.point(0, 0, z)[1] < 1.05:  # rows of wave crests, sparser and larger towards us
        y, size = space.point(0, 0, z)[1], min(0.03, 0.25 / z)
        for _ in range(int(4 + 8 / z ** 0.25)):
            x = rng.uniform(-0.05, 1.05)
            a = size * rng.uniform(1.5, 3.0) / space.aspect
            line(canvas, [(x - a, y), (x - a * 0.3, y - size * 0.5), (x + a * 0.2, y - size * 0.6), (x + a, y)],
                 st.soft if z > 12 else st.line)
        z /= 1.6


# -- inside a car ------------------------------------------------------------------------------


def car(canvas, wheel_x: float, st: Style) -> None:
    """From the back seat: seat backs below, the dashboard curve, windscreen pillars, the wheel at one side."""
    left, right = -canvas.pad / canvas.w, 1 + canvas.pad / canvas.w
    top = -canvas.pad / canvas.h
    dash = [(left, 0.78), (0.25, 0.7), (0.5, 0.68), (0.75, 0.7), (right, 0.78), (right, 1.1), (left, 1.1)]
    for side in (-1, 1):  # A-pillars: from the dashboard's ends up and out to the roof
        base, roof = (0.5 + side * 0.36, 0.72), (0.5 + side * 0.44, 0.08)
        poly(canvas, [base, (base[0] + side * 0.05, base[1]), (roof[0] + side * 0.09, roof[1]), roof],
             fill=st.shade, outline=st.line)
    poly(canvas, [(left, top), (right, top), (right, 0.08), (left, 0.08)], fill=st.shade, outline=st.line)  # roof
    poly(canvas, dash, fill=st.fill, outline=st.line, w=1.5)
    line(canvas, [(0.3, 0.72), (0.5, 0.705), (0.7, 0.72)], st.soft)  # the dash's top edge
    r = 0.15
    disc(canvas, wheel_x, 0.8, r, outline=st.line, w=5)
    disc(canvas, wheel_x, 0.8, r * 0.25, fill=st.shade, outline=st.line)
    for a in (200, 340, 90):
        rad = math.radians(a)
        line(canvas, [(wheel_x, 0.8), (wheel_x + r * 0.95 * math.cos(rad) * canvas.h / canvas.w,
                                         0.8 + r * 0.95 * math.sin(rad))], st.line, 2)
    for cx in (0.22, 0.78):  # the front seat backs, nearest of all
        canvas.draw.rounded_rectangle(
            (canvas.X(cx - 0.16), canvas.Y(0.86), canvas.X(cx + 0.16), canvas.Y(1.2)),
            radius=canvas.L(0.06), fill=st.shade, outline=st.line, width=width(canvas, 1.5))


# -- seen through a window (outdoor pieces in a room): drawn inside the pane, in its local metres ----


def sea_view(canvas, wall: Plane, pane: tuple, st: Style) -> None:
    u0, v0, u1, v1 = pane
    sea_v = v0 + 0.45 * (v1 - v0)
    poly(canvas, [wall(u0, v0), wall(u1, v0), wall(u1, sea_v), wall(u0, sea_v)], fill=(st.pane + st.shade) // 2)
    line(canvas, [wall(u0, sea_v), wall(u1, sea_v)], st.line)
    for row, v in enumerate((sea_v - 0.08, sea_v - 0.2, sea_v - 0.36)):
        size = 0.05 + 0.04 * row
        for k in range(2 + row % 2, 12, 3):
            u = u0 + (u1 - u0) * k / 12
            if u + size < u1:
                line(canvas, [wall(u - size, v), wall(u, v + size * 0.6), wall(u + size, v)], st.soft)


def trees_view(canvas, wall: Plane, pane: tuple, st: Style) -> None:
    u0, v0, u1, v1 = pane
    for k, (fu, fv, fr) in enumerate(((0.2, 0.45, 0.14), (0.55, 0.55, 0.2), (0.85, 0.4, 0.11))):
        u, r = u0 + (u1 - u0) * fu, (u1 - u0) * fr
        line(canvas, [wall(u, v0), wall(u, v0 + (v1 - v0) * fv)], st.line, 1.5)
        cx, cy = wall(u, v0 + (v1 - v0) * fv + r * 0.6)
        disc(canvas, cx, cy, abs(wall(u, 1.0)[1] - wall(u, 1.0 + r)[1]), fill=st.fill if k % 2 else st.shade,
             outline=st.line)


def street_view(canvas, wall: Plane, pane: tuple, st: Style) -> None:
    u0, v0, u1, v1 = pane
    for fu0, fu1, fh in ((0.04, 0.3, 0.75), (0.34, 0.62, 0.5), (0.66, 0.96, 0.85)):
        a, b, top = u0 + (u1 - u0) * fu0, u0 + (u1 - u0) * fu1, v0 + (v1 - v0) * fh
        poly(canvas, [wall(a, v0), wall(b, v0), wall(b, top), wall(a, top)], fill=st.shade, outline=st.line)
        for v in (top - 0.12, top - 0.3):
            if v > v0 + 0.08:
                line(canvas, [wall(a + 0.04, v), wall(b - 0.04, v)], st.soft)


VIEWS = {"sea": sea_view, "trees": trees_view, "street": street_view}


# -- from above (bird's eye): plan symbols in frame units ------------------------------------------


def _rect(canvas, x: float, y: float, w: float, h: float, fill, outline, lw: float = 1.5) -> None:
    """A rectangle centred on frame (x, y), w and h in frame heights."""
    a = canvas.h / canvas.w
    poly(canvas, [(x - w / 2 * a, y - h / 2), (x + w / 2 * a, y - h / 2), (x + w / 2 * a, y + h / 2),
                  (x - w / 2 * a, y + h / 2)], fill=fill, outline=outline, w=lw)


def plan_wall(canvas, openings: list[tuple[str, float]], st: Style) -> None:
    """The wall along the top of the frame with doors (a swing arc) and windows (a thin double line)."""
    left, right, y = -canvas.pad / canvas.w, 1 + canvas.pad / canvas.w, 0.07
    poly(canvas, [(left, y - 0.02), (right, y - 0.02), (right, y + 0.02), (left, y + 0.02)], fill=st.shade,
         outline=st.line)
    a = canvas.h / canvas.w
    for kind, x in openings:
        half = 0.09 * a
        poly(canvas, [(x - half, y - 0.02), (x + half, y - 0.02), (x + half, y + 0.02), (x - half, y + 0.02)],
             fill=st.pane if st is DAY else st.fill, outline=st.line)
        if kind == "door":
            r = canvas.L(0.18)
            hx, hy = canvas.X(x - half), canvas.Y(y + 0.02)
            canvas.draw.arc((hx - r, hy - r, hx + r, hy + r), 0, 90, fill=st.line, width=width(canvas))
            line(canvas, [(x - half, y + 0.02), (x - half, y + 0.2)], st.line, 2)
        else:
            line(canvas, [(x - half, y), (x + half, y)], st.line)


def plan_table(canvas, x: float, y: float, st: Style) -> None:
    for dx, dy in ((-0.07, -0.1), (0.07, -0.1), (-0.07, 0.1), (0.07, 0.1)):  # chairs tucked around it
        _rect(canvas, x + dx * canvas.h / canvas.w, y + dy, 0.06, 0.05, st.shade, st.line, 1)
    _rect(canvas, x, y, 0.24, 0.15, st.fill, st.line)


def plan_bed(canvas, x: float, y: float, st: Style) -> None:
    _rect(canvas, x, y, 0.2, 0.3, st.fill, st.line)
    _rect(canvas, x, y - 0.11, 0.15, 0.05, st.pane if st is DAY else st.shade, st.soft, 1)
    a = canvas.h / canvas.w
    line(canvas, [(x - 0.1 * a, y - 0.02), (x + 0.1 * a, y - 0.02)], st.soft, 1.5)


def plan_stairs(canvas, x: float, y: float, st: Style) -> None:
    _rect(canvas, x, y, 0.16, 0.36, st.fill, st.line)
    a = canvas.h / canvas.w
    for k in range(1, 9):
        yy = y - 0.18 + k * 0.04
        line(canvas, [(x - 0.08 * a, yy), (x + 0.08 * a, yy)], st.soft)
    line(canvas, [(x, y + 0.15), (x, y - 0.14)], st.line, 1.5)  # the arrow points up the flight
    line(canvas, [(x - 0.025 * a, y - 0.1), (x, y - 0.14), (x + 0.025 * a, y - 0.1)], st.line, 1.5)


def plan_tree(canvas, x: float, y: float, r: float, st: Style) -> None:
    a = canvas.h / canvas.w
    blobs = [(0, 0, 1.0), (-0.6, -0.3, 0.6), (0.6, -0.25, 0.65), (0.1, 0.6, 0.6)]
    edge = width(canvas, 1.5) / canvas.h
    for dx, dy, k in blobs:
        disc(canvas, x + dx * r * a, y + dy * r, r * k + edge, fill=st.line)
    for dx, dy, k in blobs:
        disc(canvas, x + dx * r * a, y + dy * r, r * k, fill=st.fill)
    disc(canvas, x, y, r * 0.12, fill=st.shade, outline=st.soft)


def plan_street(canvas, st: Style) -> None:
    left, right = -canvas.pad / canvas.w, 1 + canvas.pad / canvas.w
    for y in (0.76, 0.78, 0.98, 1.0):
        line(canvas, [(left, y), (right, y)], st.line, 1.5)
    for k in range(-1, 12):
        x = k / 10
        line(canvas, [(x, 0.88), (x + 0.05, 0.88)], st.line, 2)


def plan_sea(canvas, st: Style, rng: random.Random) -> None:
    left, right = -canvas.pad / canvas.w, 1 + canvas.pad / canvas.w
    shore = [(left + (right - left) * k / 12, 0.72 + 0.03 * math.sin(k * 1.3)) for k in range(13)]
    line(canvas, shore, st.line, 2)
    for _ in range(40):
        x, y = rng.uniform(0, 1), rng.uniform(0.77, 1.0)
        a = 0.015 * canvas.h / canvas.w
        line(canvas, [(x - a, y), (x, y - 0.008), (x + a, y)], st.soft)
