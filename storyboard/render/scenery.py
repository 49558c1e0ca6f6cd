"""Set dressing, night and weather for the sketch renderer.

Call order on a `_Canvas` (see sketch.py):
  1. `draw_sky(canvas, night, horizon, interior)` — before the background lines (night tones; marks the canvas);
  2. `canvas.background(plan)`;
  3. `draw_set(canvas, pieces, horizon, vanishing_x, interior, keep_clear, seed)` — behind the figures;
  4. the figures; then `image = apply_weather(image, weather, seed, horizon, pad)` on the whole image.

Everything is light line art (outlines 110-175, fills 180-246) so the cast always reads first, and a pure
function of its inputs: the seed only nudges small things (which side comes first, flame and wave jitter).
The piece drawings live in `scenery_pieces`; this module places them (beside the faces in `keep_clear`,
not behind them) and does the sky and the weather.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from . import scenery_pieces as sp

SET_PIECES = ("door", "window", "table", "bed", "fireplace", "stairs", "trees", "street", "sea", "car")
WEATHER = ("rain", "fog", "snow")

NIGHT_SKY = 108
NIGHT_GROUND = 192
NIGHT_WALL = 200
NIGHT_ABOVE = 188  # bird's eye at night: the ground we look down on
HEAD_MARGIN = 0.045  # frame widths kept free either side of a face


# -- sky ------------------------------------------------------------------------------------------


def draw_sky(canvas, night: bool, horizon: float | None, interior: bool) -> None:
    """Night tones under the background lines; by day nothing (the paper stays white).

    It also marks the canvas (`canvas.scenery_night`), so `draw_set` then draws dark window panes."""
    canvas.scenery_night = night
    if not night:
        return
    draw, (width, height) = canvas.draw, canvas.image.size
    if horizon is None or interior:
        draw.rectangle((0, 0, width, height), fill=NIGHT_ABOVE if horizon is None else NIGHT_WALL)
        return
    hy = canvas.Y(horizon)
    draw.rectangle((0, 0, width, hy), fill=NIGHT_SKY)
    draw.rectangle((0, hy, width, height), fill=NIGHT_GROUND)
    if horizon < 0.06:
        return
    stars = random.Random(7)  # the same sky on every night panel
    for _ in range(16):
        x, y = stars.uniform(0.02, 0.98), stars.uniform(0.02, 0.94) * horizon
        sp.disc(canvas, x, y, stars.choice((0.0025, 0.0035, 0.005)), fill=stars.choice((200, 220, 240)))
    if horizon >= 0.18:  # a crescent moon
        r, mx, my = min(0.05, horizon * 0.22), 0.84, max(0.07, horizon * 0.35)
        sp.disc(canvas, mx, my, r, fill=238)
        sp.disc(canvas, mx + 0.35 * r * canvas.h / canvas.w, my - 0.2 * r, r * 0.9, fill=NIGHT_SKY)


# -- set pieces -------------------------------------------------------------------------------------


class _Slots:
    """Frame-x spans already taken, and the faces that tall pieces keep clear of."""

    def __init__(self, keep_clear: list[float]) -> None:
        self.faces = [x for x in keep_clear if -0.2 <= x <= 1.2]
        self.taken: list[tuple[float, float]] = []

    def clash(self, span: tuple[float, float]) -> float:
        """How badly a span collides (0 = free): overlaps with taken spans, faces inside it."""
        a, b = span
        score = sum(max(0.0, min(b, d) - max(a, c)) for c, d in self.taken)
        return score + sum(1.0 + min(x - a, b - x) for x in self.faces if a - HEAD_MARGIN < x < b + HEAD_MARGIN)

    def pick(self, candidates: list):
        """The first free candidate ((span, value) pairs in order of preference), else the least bad."""
        if not candidates:
            return None
        best = min(candidates, key=lambda c: (self.clash(c[0]) > 0, self.clash(c[0])))
        self.taken.append(best[0])
        return best[1]


def _order(items: list, rng: random.Random, centre: float = 0.5) -> list:
    """The same preferences, or their mirror image about `centre`: the seed picks which side comes first.

    Items are numbers (x positions, sides) or tuples whose first value is one."""
    if rng.random() < 0.5:
        return items
    return [(2 * centre - i[0], *i[1:]) if isinstance(i, tuple) else 2 * centre - i for i in items]


def draw_set(canvas, pieces: list[str], horizon: float | None, vanishing_x: float, interior: bool,
             keep_clear: list[float], seed: int = 0, *, night: bool | None = None) -> None:
    """Light set dressing behind the figures; unknown names are ignored.

    `night` defaults to what `draw_sky` marked on the canvas (dark window panes, dimmer surfaces)."""
    wanted = [p for p in SET_PIECES if p in set(pieces)]  # a fixed drawing order: far things first
    if not wanted:
        return
    if night is None:
        night = bool(getattr(canvas, "scenery_night", False))
    st, rng, slots = (sp.NIGHT if night else sp.DAY), random.Random(seed), _Slots(keep_clear)
    if horizon is None:
        _draw_plan(canvas, wanted, st, rng, slots)
    elif interior:
        _draw_room(canvas, wanted, horizon, vanishing_x, st, rng, slots)
    else:
        _draw_outside(canvas, wanted, horizon, vanishing_x, st, rng, slots)
    if "car" in wanted and horizon is not None:
        free = [((x - 0.16, x + 0.16), x) for x in _order([0.3, 0.7], rng)]
        sp.car(canvas, slots.pick(free), st)


def _room_walls(space: sp.Space) -> list[sp.Plane]:
    """The back wall and, where they show, the side walls of the background's room box."""
    half = 0.28 * space.aspect * sp.ROOM_DEPTH
    walls = [sp.facing_plane(space, -half, sp.ROOM_DEPTH, 2 * half)]
    for side in (-1, 1):
        edge = (1 - space.vx) if side > 0 else space.vx
        z_edge = half / max(edge * space.aspect, 1e-3)
        if sp.ROOM_DEPTH - z_edge > 1.8:
            walls.append(sp.side_plane(space, side, side * half, sp.ROOM_DEPTH, z_edge + 0.2))
    return walls


def _wall_spot(walls: list[sp.Plane], slots: _Slots, width: float, rng: random.Random):
    """(wall, u) for a piece `width` metres wide: the back wall first, beside the faces, else a side wall."""
    candidates = []
    for wall in walls:
        room = wall.width - width - 0.5
        if room < 0:
            continue
        mid = 0.25 + room / 2
        us = [mid + room * k / 6 for k in (-3, 3, -2, 2, -1, 1, 0)]  # the ends first: beside, not behind
        us = _order(us, rng, mid)
        candidates += [(wall.xspan(u - 0.15, u + width + 0.15), (wall, u)) for u in us]
    return slots.pick(candidates)


def _draw_room(canvas, wanted, horizon, vanishing_x, st, rng, slots) -> None:
    space = sp.Space(canvas, horizon, vanishing_x, sp.ROOM_EYE)
    walls = _room_walls(space)
    half = walls[0].width / 2
    views = [sp.VIEWS[p] for p in ("sea", "trees", "street") if p in wanted]
    if "window" in wanted or views:
        wall, u = _wall_spot(walls, slots, 1.3, rng)
        view = (lambda c, w, pane, s: [v(c, w, pane, s) for v in views]) if views else None
        sp.window(canvas, wall, u, st, view)
    if "door" in wanted:
        wall, u = _wall_spot(walls, slots, 0.95, rng)
        sp.door(canvas, wall, u, st)
    if "fireplace" in wanted:
        wall, u = _wall_spot(walls, slots, 1.5, rng)
        sp.fireplace(canvas, wall, u, st, rng)
    if "stairs" in wanted:
        sides = _order([-1, 1], rng, 0.0)
        x = slots.pick([(_span(space, s * (half - 0.6), 0.7, 2.6), s * (half - 0.6)) for s in sides])
        sp.stairs(canvas, space, x, 2.6, sp.ROOM_DEPTH, st)
    if "bed" in wanted:
        xs = _order([-half + 0.9, half - 0.9, 0.0], rng, 0.0)
        x = slots.pick([(_span(space, x, 0.8, sp.ROOM_DEPTH - 2.0), x) for x in xs])
        sp.bed(canvas, space, x, sp.ROOM_DEPTH - 0.05, st)
    if "table" in wanted:
        z = 3.0
        xs = [space.lateral(fx, z) for fx in _order([0.22, 0.78, 0.5], rng)]
        x = slots.pick([(_span(space, x, 0.6, z - 0.4), x) for x in xs])
        sp.table(canvas, space, x, z, st)


def _span(space: sp.Space, x: float, half_width: float, z: float) -> tuple[float, float]:
    """The frame-x span of something half_width metres either side of X = x at depth z (its nearest)."""
    return space.point(x - half_width, 0, z)[0], space.point(x + half_width, 0, z)[0]


def _free_gaps(slots: _Slots) -> list[tuple[float, float]]:
    """Frame-x intervals between the faces (and the frame edges), widest first."""
    cuts = sorted(x for x in slots.faces if 0 < x < 1)
    edges = [0.0] + [c for x in cuts for c in (x - HEAD_MARGIN, x + HEAD_MARGIN)] + [1.0]
    gaps = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2) if edges[i + 1] - edges[i] > 0.02]
    return sorted(gaps, key=lambda g: g[0] - g[1])


def _draw_outside(canvas, wanted, horizon, vanishing_x, st, rng, slots) -> None:
    space = sp.Space(canvas, horizon, vanishing_x, sp.STREET_EYE)
    if "sea" in wanted:
        sp.sea(canvas, space, st, rng)
    if "trees" in wanted:
        _trees(canvas, space, st, rng, slots)
    if "street" in wanted:
        candidates = []
        for z in (12.0, 20.0, 34.0):
            for side in _order([-1, 1], rng, 0.0):
                x = side * 4.6
                head = space.point(x + (-0.8 if x > 0 else 0.8), 5.2, z)[0]
                pole = space.point(x, 0, z)[0]
                candidates.append(((min(head, pole) - 0.01, max(head, pole) + 0.01), (x, z)))
        lamp = slots.pick(candidates)
        sp.street(canvas, space, lamp, st, rng)
    if "door" in wanted or "window" in wanted:
        _facade(canvas, space, wanted, st, slots)
    for name, z in (("fireplace", 6.0), ("stairs", 7.0), ("bed", 6.0), ("table", 5.0)):
        if name in wanted:
            xs = [space.lateral(fx, z) for fx in _order([0.2, 0.8, 0.5, 0.35, 0.65], rng)]
            x = slots.pick([(_span(space, x, 0.8, z), x) for x in xs])
            if name == "fireplace":
                sp.campfire(canvas, space, x, z, st, rng)
            elif name == "stairs":
                sp.stairs(canvas, space, x, z, z + 3.0, st)
            elif name == "bed":
                sp.bed(canvas, space, x, z + 2.0, st)
            else:
                sp.table(canvas, space, x, z, st)


def _trees(canvas, space: sp.Space, st, rng: random.Random, slots: _Slots) -> None:
    """A few trees on the ground between the horizon and us, none behind a face; far ones first."""
    planted: list[tuple[float, float, float]] = []
    for z in (40.0, 26.0, 16.0):
        height = 7.0 + rng.uniform(-1.0, 1.5)
        reach = 1.3 * 0.28 * height
        fxs = _order([0.08, 0.92, 0.25, 0.75, 0.5, 0.38, 0.62], rng)
        for fx in fxs:
            fx += rng.uniform(-0.03, 0.03)
            x = space.lateral(fx, z)
            span = (space.point(x - reach, 0, z)[0], space.point(x + reach, 0, z)[0])
            if slots.clash(span) == 0 and all(abs(fx - other) > 0.12 for other, _, _ in planted):
                planted.append((fx, z, height))
                break
    if not planted:  # every spot is behind someone: one small tree far away at the freest spot
        gap = _free_gaps(slots)[0] if _free_gaps(slots) else (0.0, 0.1)
        planted.append(((gap[0] + gap[1]) / 2, 60.0, 6.0))
    for fx, z, height in planted:
        sp.tree(canvas, space, space.lateral(fx, z), z, height, st, rng)


def _facade(canvas, space: sp.Space, wanted, st, slots: _Slots) -> None:
    """A house front across the widest gap between the faces, with the door and windows in it."""
    z = 14.0
    gaps = _free_gaps(slots) or [(0.0, 0.3)]
    a, b = gaps[0]
    x0, x1 = space.lateral(max(a, -0.05), z), space.lateral(min(b, 1.05), z)
    front = sp.facing_plane(space, x0, z, x1 - x0)
    sp.poly(canvas, front.quad(0, 0, front.width, 6.2), fill=st.fill, outline=st.line, w=1.5)
    sp.line(canvas, [front(-0.3, 6.2), front(front.width + 0.3, 6.2)], st.line, 2)  # the eaves
    slots.taken.append((a, b))
    u = 0.6 if "window" in wanted else max(0.4, front.width / 2 - 0.5)
    if "door" in wanted and front.width > 1.6:
        sp.door(canvas, front, u, st)
        u += 1.6
    while "window" in wanted and u + 1.5 < front.width:
        sp.window(canvas, front, u, st)
        sp.window(canvas, sp.Plane(space, lambda uu, v: (x0 + uu, v + 3.0, z), front.width), u, st)
        u += 2.0


def _draw_plan(canvas, wanted, st, rng, slots) -> None:
    """Bird's eye: plan symbols; a fireplace, a car or a window without a wall make no sense from above."""
    if "sea" in wanted:
        sp.plan_sea(canvas, st, rng)
    if "street" in wanted:
        sp.plan_street(canvas, st)
    openings = []
    for name in ("door", "window"):
        if name in wanted:
            xs = _order([0.15, 0.85, 0.3, 0.7, 0.5], rng)
            openings.append((name, slots.pick([((x - 0.12, x + 0.12), x) for x in xs])))
    if openings:
        sp.plan_wall(canvas, openings, st)
    for name, draw, half in (("table", sp.plan_table, 0.1), ("bed", sp.plan_bed, 0.08),
                             ("stairs", sp.plan_stairs, 0.06)):
        if name in wanted:
            xs = _order([0.15, 0.85, 0.32, 0.68, 0.5], rng)
            draw(canvas, slots.pick([((x - half, x + half), x) for x in xs]), 0.45, st)
    if "trees" in wanted:
        spots = _order([(0.1, 0.3), (0.9, 0.65), (0.55, 0.85)], rng)
        free = [spot for spot in spots if slots.clash((spot[0] - 0.08, spot[0] + 0.08)) == 0] or spots[:1]
        for fx, fy in free:
            sp.plan_tree(canvas, fx, fy, 0.1, st)


# -- weather ----------------------------------------------------------------------------------------


def apply_weather(image: Image.Image, weather: str, seed: int, horizon: float | None, pad: int = 0) -> Image.Image:
    """Rain, fog or snow over the finished drawing (the whole "L" image, pad included).

    Returns a new image; "" or an unknown weather returns `image` itself, unchanged."""
    if weather not in WEATHER:
        return image
    rng = random.Random(seed)
    frame = (pad, image.width - 2 * pad, image.height - 2 * pad)
    if weather == "fog":
        return _fog(image, rng, horizon, frame)
    image = image.copy()
    if weather == "rain":
        _rain(image, rng, horizon, frame)
    else:
        _snow(image, rng, horizon, frame)
    return image


def _rain(image: Image.Image, rng: random.Random, horizon: float | None, frame) -> None:
    """Slanted streaks over everything, mostly light, a few darker; splash ticks on the ground."""
    pad, fw, fh = frame
    draw, (width, height) = ImageDraw.Draw(image), image.size
    thin = max(1, round(fh / 540))
    slant = 0.32  # dx per dy: the wind leans every streak the same way
    for _ in range(width * height // 6500):
        length = fh * rng.uniform(0.025, 0.08)
        x, y = rng.uniform(-0.1 * width, 1.1 * width), rng.uniform(-length, height)
        dark = rng.random() < 0.18
        tone = rng.randint(125, 150) if dark else rng.randint(196, 218)
        draw.line([(x, y), (x - slant * length, y + length)], fill=tone, width=thin)
    if horizon is None or horizon > 0.9:
        return
    top = max(horizon + 0.06, 0.6)
    for _ in range(40):
        x, y = rng.uniform(0, width), pad + fh * rng.uniform(top, 0.99)
        a = fh * 0.008
        draw.line([(x - a, y - 1.3 * a), (x, y), (x + a, y - 1.3 * a)], fill=165, width=thin)


def _fog(image: Image.Image, rng: random.Random, horizon: float | None, frame) -> Image.Image:
    """A white veil: thickest at the horizon (far away), thinning towards the foreground, in soft bands."""
    pad, _, fh = frame
    y = (np.arange(image.height, dtype=np.float32) - pad) / max(fh, 1)
    if horizon is None:  # looking down: the same distance everywhere
        veil = np.full_like(y, 0.38)
    else:
        below = np.clip((y - horizon) / max(1.0 - horizon, 0.05), 0.0, 1.0)
        above = np.clip((horizon - y) / max(horizon, 0.05), 0.0, 1.0)
        veil = np.where(y >= horizon, 0.08 + 0.5 * (1.0 - below) ** 1.6, 0.58 - 0.13 * above)
    phase, bands = rng.uniform(0, 2 * math.pi), rng.uniform(5.0, 8.0)
    veil = np.clip(veil * (1.0 + 0.1 * np.sin(2 * math.pi * bands * y + phase)), 0.0, 0.88)
    mask = Image.fromarray((veil * 255).astype(np.uint8).reshape(-1, 1), "L").resize(image.size, Image.NEAREST)
    return Image.composite(Image.new("L", image.size, 246), image, mask)


_SNOW_COVER = [v + round(max(0, 252 - v) * 0.6 * min(1.0, max(0.0, (v - 184) / 10))) for v in range(256)]


def _snow(image: Image.Image, rng: random.Random, horizon: float | None, frame) -> None:
    """Round flakes of a few sizes (grey-rimmed so they show on paper) and a ground lightened by snow cover."""
    pad, _, fh = frame
    width, height = image.size
    ground = 0 if horizon is None else int(pad + fh * min(max(horizon, 0.0), 1.0))
    if ground < height:  # snow cover: only the light ground tones rise, the figures keep theirs
        region = (0, ground, width, height)
        image.paste(image.crop(region).point(_SNOW_COVER), region)
    draw = ImageDraw.Draw(image)
    unit = max(1.0, fh / 540)
    for _ in range(width * height // 7000):
        r = unit * rng.choice((0.8, 0.8, 1.2, 1.2, 1.8, 2.6))
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=250, outline=rng.choice((170, 185, 200)))
