"""Figures in pose: a `layout.Figure` drawn from `poses` geometry in the sketch renderer's greyscale style.

Placement: the layout puts the head centre for a standing adult at (fig.x, fig.head_y) with one head unit
= fig.head frame heights. Every figure is then moved down by `poses.ground_offset` (head units) so its
lowest point (soles, kneeling knee, a lying back, paws) stays on the ground a standing adult would stand
on: a child (build.height 0.65: head ×0.85, body shorter) or a sitting figure keeps the adult's feet line
and its head drops. Pass `ground=False` where the head must stay where the layout put it (close shots).
Animals use the same head unit (see `poses`: a dog's back at an adult's knee-to-hip) and stand on the
same ground. build.height scales everything (a puppy at 0.65). The name label is the caller's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .. import poses as P
from ..layout import Figure

_HEADISH = frozenset(("head", "hair", "hat", "beard"))


@dataclass
class Drawn:
    box: tuple[float, float, float, float]  # the figure's pixel box (not clipped: may go past the frame)
    face: tuple[float, float, float, float]  # the head's pixel box (keep arrows and labels off it)
    hand: tuple[float, float]  # the pixel point where a held prop goes (the forward hand; an animal's mouth)
    grip: float  # a good prop size in pixels at that hand (about 0.8 head)


@dataclass
class _Plan:
    parts: list  # poses.Part in head units about the layout's head centre (ground offset included)
    head: tuple[float, float]  # the drawn head centre
    axis: float  # degrees the head is turned in the picture (0 upright)
    hs: float  # head scale
    bs: float  # body scale
    sf: float  # where the face looks in the head's frame: -1 left … 1 right (sin of the yaw)
    hand: tuple[float, float]
    sign: int


def _rot(u: float, v: float, a: float) -> tuple[float, float]:
    c, s = math.cos(a), math.sin(a)
    return u * c - v * s, u * s + v * c


def _head_parts(build: P.Build, sf: float, axis: float, back: bool) -> list[P.Part]:
    """Hair, hat and beard in the head's frame (u across, v down), turned by the head's axis."""
    a = math.radians(axis)
    rx, ry = P.HEAD_RX, P.HEAD_RY
    poly = lambda pts, z, role: P.Part("poly", tuple(_rot(u, v, a) for u, v in pts), (), z, role)
    arc = lambda t0, t1, k, n=12: [(rx * k * math.cos(t), ry * k * math.sin(t))
                                   for t in (t0 + (t1 - t0) * i / n for i in range(n + 1))]
    out = []
    if build.hair != "bald":
        if build.hair == "long":
            back_shift = -0.14 * sf
            out.append(poly([(u + back_shift, v) for u, v in arc(math.pi, 2 * math.pi, 1.12)]
                            + [(0.5 + back_shift, 1.15), (-0.5 + back_shift, 1.15)], 9.5, "hair"))
        if back:
            out.append(poly(arc(0, 2 * math.pi, 1.03, 20), 10.5, "hair"))
        else:
            t0 = math.pi + 0.3 - 1.1 * max(0.0, sf)
            t1 = 2 * math.pi - 0.3 + 1.1 * max(0.0, -sf)
            out.append(poly(arc(t0, t1, 1.04) + [(0.2 * sf, -0.3)], 10.5, "hair"))
    if build.beard and not back:
        s = 0.16 * sf
        out.append(poly([(s - 0.32, 0.1), (s - 0.08, 0.22), (s + 0.08, 0.22), (s + 0.32, 0.1), (s + 0.24, 0.4),
                         (s, 0.58), (s - 0.24, 0.4)], 10.3, "beard"))
    if build.hat:
        out.append(poly([(-0.3, -0.72), (0.3, -0.72), (0.38, -0.3), (-0.38, -0.3)], 10.6, "hat"))  # a low crown
        out.append(poly([(-0.64 + 0.1 * sf, -0.36), (0.64 + 0.1 * sf, -0.36), (0.64 + 0.1 * sf, -0.24),
                         (-0.64 + 0.1 * sf, -0.24)], 10.7, "hat"))
    return out


def _plan(fig: Figure, ground: bool = True) -> _Plan:
    build = fig.build if fig.build.kind in P.KINDS else replace(fig.build, kind="person")
    kind = build.kind
    pose = fig.pose if fig.pose in P.POSES else "stand"
    hs, bs = P.scales(build, fig.view)
    dy = P.ground_offset(build, pose, fig.facing, fig.variant, fig.view) if ground else 0.0
    sign = P.direction(pose, fig.facing, fig.variant)
    if kind != "person":
        joints = P.skeleton(pose, fig.facing, fig.variant, kind, fig.view)
        parts = [_scaled(p, hs, hs, (0.0, 0.0), dy) for p in P.parts(pose, fig.facing, fig.variant, kind, fig.view)]
        sx, sy = joints["snout"]
        return _Plan(parts, (0.0, dy), 0.0, hs, hs, 0.0, (sx * hs, sy * hs + dy), sign)
    body, joints, theta = P.person_parts(pose, fig.facing, fig.variant, fig.view, fig.back, build.coat)
    head = body[-1]
    sf = math.sin(theta)
    parts = body + _head_parts(build, sf, head.size[2], fig.back)
    neck = joints["neck"]
    parts = [_scaled(p, hs if p.role in _HEADISH else bs, hs, neck, dy) for p in parts]
    if pose == "hold":
        hand = tuple((a + b) / 2 for a, b in zip(joints["hand_l"], joints["hand_r"]))
    else:
        hand = max((joints["hand_l"], joints["hand_r"]), key=lambda p: p[0] * sign)
    hx, hy = P.grow((hand,), hs, bs, neck)[0]
    return _Plan(parts, (0.0, dy), head.size[2], hs, bs, sf, (hx, hy + dy), sign)


def _scaled(part: P.Part, k: float, hs: float, neck, dy: float) -> P.Part:
    """A part grown to the build (head pieces by the head scale about the head centre) and grounded."""
    if part.role in _HEADISH:
        pts = tuple((x * hs, y * hs + dy) for x, y in part.points)
    else:
        pts = tuple((x, y + dy) for x, y in P.grow(part.points, hs, k, neck))
    size = part.size
    if part.shape == "capsule":
        size = tuple(r * k for r in size)
    elif part.shape == "ellipse":
        size = (size[0] * k, size[1] * k, size[2])
    return P.Part(part.shape, pts, size, part.z, part.role)


def _outline(part: P.Part, inset: float = 0.0) -> list[tuple[float, float]]:
    """The part's outline in head units; ellipses and capsules shrunk by `inset`."""
    if part.shape == "poly":
        return list(part.points)
    if part.shape == "ellipse":
        (cx, cy), (rx, ry, a) = part.points[0], part.size
        rx, ry = max(0.0, rx - inset), max(0.0, ry - inset)
        c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
        out = []
        for i in range(24):
            t = i * math.pi / 12
            u, v = rx * math.cos(t), ry * math.sin(t)
            out.append((cx + u * c - v * s, cy + u * s + v * c))
        return out
    (x0, y0), (x1, y1) = part.points
    r0, r1 = max(0.0, part.size[0] - inset), max(0.0, part.size[1] - inset)
    d = math.atan2(y1 - y0, x1 - x0)
    out = []
    for i in range(7):  # the far end's half circle, then the near end's
        t = d - math.pi / 2 + i * math.pi / 6
        out.append((x1 + r1 * math.cos(t), y1 + r1 * math.sin(t)))
    for i in range(7):
        t = d + math.pi / 2 + i * math.pi / 6
        out.append((x0 + r0 * math.cos(t), y0 + r0 * math.sin(t)))
    return out


_SHADE = {"torso": 0, "leg": 0, "coat": -18, "arm": 8, "far": 18, "head": 25, "hair": -35, "hat": -45, "beard": -30}


def draw_figure(canvas, fig: Figure, ground: bool = True) -> Drawn:
    """Draw `fig` on the sketch canvas (see the module docstring for placement) and say where it went."""
    if fig.from_above:
        return _from_above(canvas, fig)
    plan = _plan(fig, ground)
    unit, tone = canvas.L(fig.head), fig.tone
    cx, cy = canvas.X(fig.x), canvas.Y(fig.head_y)
    fine = {"cat": 0.7, "bird": 0.4}.get(fig.build.kind, 1.0)  # small animals: finer lines
    ink, width = max(0, tone - 70), max(1, int(unit * 0.035 * plan.bs * fine))
    draw, inset = canvas.draw, width / unit
    for part in sorted(plan.parts, key=lambda p: p.z):
        fill = min(255, max(0, tone + _SHADE.get(part.role, 0)))
        px = lambda pts: [(cx + x * unit, cy + y * unit) for x, y in pts]
        outer = px(_outline(part))
        if part.shape == "poly":  # PIL's wide polygon outline masks the whole canvas: a line is much faster
            draw.polygon(outer, fill=fill)
            draw.line(outer + outer[:1], fill=ink, width=width, joint="curve")
        else:  # round shapes: ink, then the fill inset by the line width
            draw.polygon(outer, fill=ink)
            draw.polygon(px(_outline(part, inset)), fill=fill)
    head = (cx + plan.head[0] * unit, cy + plan.head[1] * unit)
    if fig.build.kind not in P.KINDS or fig.build.kind == "person":
        if not fig.back:
            _face(canvas.draw, head, unit * plan.hs, plan, fig, ink, width)
    else:
        _animal_face(canvas.draw, head, unit * plan.hs, fig.build.kind, plan.sign, ink, width)
    return _drawn(plan, cx, cy, unit)


def _drawn(plan: _Plan, cx: float, cy: float, unit: float) -> Drawn:
    px = lambda b: (cx + b[0] * unit, cy + b[1] * unit, cx + b[2] * unit, cy + b[3] * unit)
    face = [p for p in plan.parts if p.role in _HEADISH and p.z >= 1.0] or plan.parts
    return Drawn(box=px(P.bounds(plan.parts)), face=px(P.bounds(face)),
                 hand=(cx + plan.hand[0] * unit, cy + plan.hand[1] * unit), grip=0.8 * unit * plan.hs)


def _face(draw, head, size: float, plan: _Plan, fig: Figure, ink: int, width: int) -> None:
    """Eyes, nose and mouth (and glasses) in the head's frame: they follow the yaw and the head's tilt."""
    a = math.radians(plan.axis)
    at = lambda u, v: (head[0] + _rot(u, v, a)[0] * size, head[1] + _rot(u, v, a)[1] * size)
    sf = plan.sf
    shift, tv = 0.17 * sf, P.head_tilt(fig.pose) * 0.004
    profile = abs(sf) > 0.8
    eyes = (shift + 0.06 * sf,) if profile else (shift - 0.13, shift + 0.13)
    r = max(1.5 / size, 0.045)
    for u in eyes:
        x, y = at(u, -0.02 + tv)
        draw.ellipse((x - r * size, y - r * size, x + r * size, y + r * size), fill=ink)
        if fig.build.glasses:
            g = 0.095 * size
            draw.ellipse((x - g, y - g, x + g, y + g), outline=ink, width=width)
    if fig.build.glasses and not profile:
        draw.line([at(eyes[0] + 0.095, -0.02 + tv), at(eyes[1] - 0.095, -0.02 + tv)], fill=ink, width=width)
    nose = shift * 1.6
    point = 1 if sf >= 0 else -1
    draw.line([at(nose, 0.03 + tv), at(nose + 0.07 * point, 0.16 + tv), at(nose, 0.18 + tv)], fill=ink, width=width)
    half = 0.1 * (1 - 0.4 * abs(sf))
    draw.line([at(shift - half, 0.31 + tv), at(shift + half, 0.31 + tv)], fill=ink, width=width)


def _animal_face(draw, head, size: float, kind: str, sign: int, ink: int, width: int) -> None:
    rx, ry = P._BEASTS[kind].head
    x, y, r = head[0] + rx * 0.35 * sign * size, head[1] - ry * 0.2 * size, max(1.5, 0.05 * size)
    draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)


def _above_geometry(fig: Figure) -> tuple[float, float, float, bool]:
    """Bird's eye: (centre x, centre y in frame units, size in frame heights, animal) as sketch.py drew it."""
    return fig.x, min(max(fig.head_y + 0.2, 0.25), 0.75), fig.head * 0.8 * max(0.3, fig.build.height), \
        fig.build.kind not in ("person", "")


def _above_boxes(cx, cy, h, sign, animal):
    if animal:
        body = (cx - 1.4 * h, cy - 0.5 * h, cx + 1.4 * h, cy + 0.5 * h)
        head = (cx + sign * 1.5 * h - 0.4 * h, cy - 0.35 * h, cx + sign * 1.5 * h + 0.4 * h, cy + 0.35 * h)
    else:
        body = (cx - 0.95 * h, cy - 0.45 * h, cx + 0.95 * h, cy + 0.45 * h)
        head = (cx - 0.38 * h, cy - 0.4 * h, cx + 0.38 * h, cy + 0.36 * h)
    return body, head


def _from_above(canvas, fig: Figure) -> Drawn:
    x, y, size, animal = _above_geometry(fig)
    cx, cy, h, tone = canvas.X(x), canvas.Y(y), canvas.L(size), fig.tone
    ink, width = max(0, tone - 70), max(1, int(h * 0.05))
    sign = P.direction(fig.pose, fig.facing, fig.variant)
    body, head = _above_boxes(cx, cy, h, sign, animal)
    canvas.draw.ellipse(body, fill=tone, outline=ink, width=width)
    hair = min(255, tone + 25) if fig.build.hair == "bald" and not animal else max(0, tone - 30)
    canvas.draw.ellipse(head, fill=hair, outline=ink, width=width)
    if fig.build.hat and not animal:
        canvas.draw.ellipse((head[0] - 0.2 * h, head[1] - 0.2 * h, head[2] + 0.2 * h, head[3] + 0.2 * h),
                            outline=ink, width=width)
    box = (min(body[0], head[0]) - 0.2 * h, min(body[1], head[1]) - 0.2 * h, max(body[2], head[2]) + 0.2 * h,
           max(body[3], head[3]) + 0.2 * h)
    hand = (body[2] if sign > 0 else body[0], cy)
    return Drawn(box=box, face=head, hand=hand, grip=0.8 * h)


def figure_box(fig: Figure, ratio: float, ground: bool = True) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) draw_figure draws, in frame units: x in frame widths of a frame `ratio`
    (width / height) wide, y in frame heights. Not clipped to the frame."""
    if fig.from_above:
        x, y, size, animal = _above_geometry(fig)
        body, head = _above_boxes(0.0, 0.0, size, P.direction(fig.pose, fig.facing, fig.variant), animal)
        x0, y0 = min(body[0], head[0]) - 0.2 * size, min(body[1], head[1]) - 0.2 * size
        x1, y1 = max(body[2], head[2]) + 0.2 * size, max(body[3], head[3]) + 0.2 * size
        return x + x0 / ratio, y + y0, x + x1 / ratio, y + y1
    u0, v0, u1, v1 = P.bounds(_plan(fig, ground).parts)
    k = fig.head
    return fig.x + u0 * k / ratio, fig.head_y + v0 * k, fig.x + u1 * k / ratio, fig.head_y + v1 * k
