"""The embedded sketch renderer: a blueprint drawn as a greyscale storyboard panel.

No model, no GPU: clean blocking panels so the whole job works anywhere.
Figures are mannequins in the tone their character keeps across the board
(head and shoulders at CU, full body at LS), the horizon or room box shows the
camera angle, arrows and frame-in-frame show the camera move, and the shot
label sits in the corner. Drawing is supersampled 2× and reduced for clean
lines. Pure function of its inputs: the same scene gives the same pixels.
"""

from __future__ import annotations

import math
from typing import Any

from PIL import Image, ImageDraw

from .. import film
from ..export.fonts import draw_text_with_fallback, text_width
from ..layout import FIGURE_HEADS, Blueprint, Figure
from ..project import Project, Scene
from .base import Rendered

PAPER = 248
INK = 35
GUIDE = 175
SCALE = 2  # supersampling factor


class SketchRenderer:
    name = "sketch"
    version = "1"
    shows_number = True  # the shot number is drawn in the panel's corner: a new number needs a new panel

    def render(self, scene: Scene, plan: Blueprint, project: Project, size: tuple[int, int],
               settings: dict[str, Any] | None = None, step=None, cancel=None) -> Rendered:
        return Rendered(self.draw(scene, plan, size))

    def draw(self, scene: Scene, plan: Blueprint, size: tuple[int, int], notation: bool = True) -> Image.Image:
        """The panel in greyscale; without notation (labels, arrows) it is the diffusion layout guide."""
        width, height = size[0] * SCALE, size[1] * SCALE
        pad = int(max(width, height) * 0.25) if plan.tilt_deg else 0
        canvas = _Canvas(width, height, pad)
        # 1. the set: horizon and perspective, or a floor grid from above
        canvas.background(plan)
        # 2. the cast, far figures first
        for fig in plan.figures:
            canvas.figure(fig)
        if plan.insert_label:
            canvas.insert_object(plan.insert_label)
        image = canvas.finish(plan.tilt_deg)
        if not notation:
            return image.reduce(SCALE)
        draw = ImageDraw.Draw(image)
        # 3. notation on the untilted frame: POV mask, move arrows, labels
        if plan.pov_of:
            _pov_mask(image, plan.pov_of)
        _move_notation(draw, plan, width, height)
        _labels(draw, plan, scene, width, height)
        draw.rectangle((0, 0, width - 1, height - 1), outline=INK, width=2 * SCALE)
        return image.reduce(SCALE)


class _Canvas:
    """Drawing in frame units (x, y in 0..1 of the frame; lengths in frame heights)."""

    def __init__(self, width: int, height: int, pad: int) -> None:
        self.w, self.h, self.pad = width, height, pad
        self.image = Image.new("L", (width + 2 * pad, height + 2 * pad), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def X(self, x: float) -> float:  # noqa: N802 - reads like the maths
        return self.pad + x * self.w

    def Y(self, y: float) -> float:  # noqa: N802
        return self.pad + y * self.h

    def L(self, length: float) -> float:  # noqa: N802
        return length * self.h

    def line(self, points, fill=GUIDE, width=1) -> None:
        self.draw.line([(self.X(x), self.Y(y)) for x, y in points], fill=fill, width=width * SCALE)

    def background(self, plan: Blueprint) -> None:
        left, right = -self.pad / self.w, 1 + self.pad / self.w
        top, bottom = -self.pad / self.h, 1 + self.pad / self.h
        if plan.horizon is None:  # bird's eye: a floor grid seen from above
            for i in range(-2, 14):
                self.line([(i / 12, top), (i / 12, bottom)], fill=225)
            for j in range(-2, 10):
                self.line([(left, j / 8), (right, j / 8)], fill=225)
            return
        hy, vx = plan.horizon, plan.vanishing_x
        if plan.interior:
            # one-point room: back wall around the vanishing point, edges to the corners
            wall = (vx - 0.28, hy - 0.32, vx + 0.28, hy + 0.22)
            self.draw.rectangle(
                (self.X(wall[0]), self.Y(wall[1]), self.X(wall[2]), self.Y(wall[3])), outline=GUIDE, width=SCALE
            )
            for (wx, wy), (cx, cy) in (
                ((wall[0], wall[1]), (left, top)),
                ((wall[2], wall[1]), (right, top)),
                ((wall[0], wall[3]), (left, bottom)),
                ((wall[2], wall[3]), (right, bottom)),
            ):
                self.line([(wx, wy), (cx, cy)], fill=GUIDE)
            self.line([(left, hy), (right, hy)], fill=215)
        else:
            self.line([(left, hy), (right, hy)], fill=140, width=2)
            for i in range(-3, 9):
                self.line([(vx, hy), (vx + (i / 3 - 0.5) * 3, bottom)], fill=222)

    def figure(self, fig: Figure) -> None:
        if fig.from_above:
            return self._figure_from_above(fig)
        h, tone = self.L(fig.head), fig.tone
        cx, cy = self.X(fig.x), self.Y(fig.head_y)
        outline, width = max(0, tone - 70), max(1, int(h * 0.035))
        turn = 1 - 0.35 * min(abs(fig.facing), 1)  # a figure seen side-on is narrower
        d = self.draw
        # body from the feet up, so the head is drawn last (on top)
        hip_y, feet_y = cy + 3.4 * h, cy - 0.5 * h + (FIGURE_HEADS - 0.1) * h
        for side in (-1, 1):
            leg = [
                (cx + side * 0.12 * h * turn, hip_y),
                (cx + side * 0.62 * h * turn, hip_y),
                (cx + side * 0.42 * h * turn, feet_y),
                (cx + side * 0.12 * h * turn, feet_y),
            ]
            d.polygon(leg, fill=tone, outline=outline, width=width)
            arm = [
                (cx + side * 0.78 * h * turn, cy + 0.8 * h),
                (cx + side * 1.02 * h * turn, cy + 0.95 * h),
                (cx + side * 0.98 * h * turn, cy + 3.3 * h),
                (cx + side * 0.74 * h * turn, cy + 3.3 * h),
            ]
            d.polygon(arm, fill=min(255, tone + 12), outline=outline, width=width)
        torso = [
            (cx - 0.85 * h * turn, cy + 0.8 * h),
            (cx + 0.85 * h * turn, cy + 0.8 * h),
            (cx + 0.62 * h * turn, cy + 2.7 * h),
            (cx + 0.7 * h * turn, hip_y),
            (cx - 0.7 * h * turn, hip_y),
            (cx - 0.62 * h * turn, cy + 2.7 * h),
        ]
        d.polygon(torso, fill=tone, outline=outline, width=width)
        d.rectangle(
            (cx - 0.15 * h, cy + 0.35 * h, cx + 0.15 * h, cy + 0.85 * h), fill=tone, outline=outline, width=width
        )
        head = (cx - 0.39 * h, cy - 0.5 * h, cx + 0.39 * h, cy + 0.5 * h)
        d.ellipse(head, fill=min(255, tone + 25), outline=outline, width=width)
        if fig.back:
            d.chord(head, 180, 360, fill=max(0, tone - 25))  # hair: we see the back of the head
            d.ellipse(head, outline=outline, width=width)
        else:
            self._face(cx, cy, h, fig.facing, outline, width)
        self._name(fig.name, cx, cy - 0.5 * h, h)

    def _face(self, cx: float, cy: float, h: float, facing: float, ink: int, width: int) -> None:
        shift = 0.16 * h * max(-1.0, min(1.0, facing))
        eye_y, r = cy - 0.02 * h, max(1.5, 0.045 * h)
        for ex in (-0.13, 0.13):
            x = cx + ex * h + shift
            self.draw.ellipse((x - r, eye_y - r, x + r, eye_y + r), fill=ink)
        nose_x = cx + shift * 1.6
        self.draw.line(
            [
                (nose_x, eye_y + 0.05 * h),
                (nose_x + 0.06 * h * (1 if facing >= 0 else -1), eye_y + 0.18 * h),
                (nose_x, eye_y + 0.2 * h),
            ],
            fill=ink,
            width=width,
        )
        self.draw.line(
            [(cx + shift - 0.1 * h, cy + 0.3 * h), (cx + shift + 0.1 * h, cy + 0.3 * h)], fill=ink, width=width
        )

    def _figure_from_above(self, fig: Figure) -> None:
        h, tone = self.L(fig.head) * 0.8, fig.tone
        cx, cy = self.X(fig.x), self.Y(min(max(fig.head_y + 0.2, 0.25), 0.75))
        outline, width = max(0, tone - 70), max(1, int(h * 0.05))
        self.draw.ellipse(
            (cx - 0.95 * h, cy - 0.45 * h, cx + 0.95 * h, cy + 0.45 * h), fill=tone, outline=outline, width=width
        )
        self.draw.ellipse(
            (cx - 0.38 * h, cy - 0.4 * h, cx + 0.38 * h, cy + 0.36 * h),
            fill=max(0, tone - 30),
            outline=outline,
            width=width,
        )
        self._name(fig.name, cx, cy - 0.5 * h, h)

    def _name(self, name: str, cx: float, head_top: float, h: float) -> None:
        size = int(max(11 * SCALE, min(22 * SCALE, h * 0.28)))
        tw = text_width(name, size, bold=True)
        y = head_top - size * 1.9
        y = min(max(y, self.Y(0) + 6 * SCALE + size * 1.8), self.Y(1) - size * 2)  # stay in frame, below the shot label
        x = min(max(cx - tw / 2, self.X(0) + 6 * SCALE), self.X(1) - tw - 6 * SCALE)
        box = (x - 5 * SCALE, y - 3 * SCALE, x + tw + 5 * SCALE, y + size * 1.25)
        self.draw.rounded_rectangle(box, radius=4 * SCALE, fill=255, outline=INK, width=SCALE)
        draw_text_with_fallback(self.draw, (x, y), name, size, fill=INK, bold=True)

    def insert_object(self, label: str) -> None:
        cx, cy, w, h = self.X(0.5), self.Y(0.52), self.L(0.62), self.L(0.42)
        shape = [
            (cx - w / 2, cy - h / 2 + 0.06 * h),
            (cx + w / 2, cy - h / 2),
            (cx + w / 2 - 0.04 * w, cy + h / 2),
            (cx - w / 2 + 0.03 * w, cy + h / 2 - 0.04 * h),
        ]
        self.draw.polygon(shape, fill=236, outline=INK, width=2 * SCALE)
        for k in range(1, 5):
            y = cy - h / 2 + k * h / 5.5
            self.draw.line([(cx - w * 0.38, y), (cx + w * 0.36, y - 0.01 * h)], fill=170, width=SCALE * 2)
        size = int(self.L(0.07))
        tw = text_width(label.upper(), size, bold=True)
        draw_text_with_fallback(self.draw, (cx - tw / 2, cy + h / 2 + 0.03 * self.h), label.upper(), size, INK, True)

    def finish(self, tilt_deg: float) -> Image.Image:
        image = self.image
        if tilt_deg:
            image = image.rotate(tilt_deg, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
        if self.pad:
            image = image.crop((self.pad, self.pad, self.pad + self.w, self.pad + self.h))
        return image


def _pov_mask(image: Image.Image, who: str) -> None:
    """Darken outside an oval: we see through someone's eyes."""
    w, h = image.size
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse((-0.08 * w, -0.12 * h, 1.08 * w, 1.12 * h), fill=255)
    dark = Image.new("L", (w, h), 120)
    image.paste(Image.composite(image, dark, mask))


def _arrow(draw: ImageDraw.ImageDraw, start, end, width: int) -> None:
    """A thick arrow with a white halo, so it reads over any drawing."""
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = width * 4
    tip = [
        end,
        (end[0] - head * math.cos(angle - 0.45), end[1] - head * math.sin(angle - 0.45)),
        (end[0] - head * math.cos(angle + 0.45), end[1] - head * math.sin(angle + 0.45)),
    ]
    for fill, extra in ((255, width), (INK, 0)):
        draw.line([start, end], fill=fill, width=width + extra)
        draw.polygon(tip, fill=fill, outline=fill, width=extra or 1)


def _move_notation(draw: ImageDraw.ImageDraw, plan: Blueprint, w: int, h: int) -> None:
    move, sign, lw = plan.move, plan.move_direction, 4 * SCALE
    size = 16 * SCALE
    text = move.upper()
    if move in ("pan", "truck"):
        y = h * (0.22 if move == "pan" else 0.9)
        a, b = (w * 0.3, y), (w * 0.7, y)
        _arrow(draw, a if sign > 0 else b, b if sign > 0 else a, lw)
        _tag(draw, text, w * 0.5, y + lw * 2, size)
    elif move == "tilt":
        x = w * 0.94
        _arrow(draw, (x, h * 0.7), (x, h * 0.3), lw)
        _tag(draw, text, x - text_width(text, size, True) / 2 - 8 * SCALE, h * 0.74, size)
    elif move == "crane":
        box = (w * 0.04, h * 0.3, w * 0.3, h * 0.95)
        draw.arc(box, 200, 300, fill=INK, width=lw)
        end = (
            box[0] + (box[2] - box[0]) * 0.5 + (box[2] - box[0]) * 0.5 * math.cos(math.radians(300)),
            box[1] + (box[3] - box[1]) * 0.5 + (box[3] - box[1]) * 0.5 * math.sin(math.radians(300)),
        )
        _arrow(draw, (end[0] - 6 * SCALE, end[1] + 6 * SCALE), end, lw)
        _tag(draw, text, w * 0.12, h * 0.62, size)
    elif move in ("dolly in", "dolly out", "zoom"):
        inset = 0.2
        inner = (w * inset, h * inset, w * (1 - inset), h * (1 - inset))
        _dashed_rect(draw, inner, INK, 2 * SCALE, 14 * SCALE)
        corners = (
            (0.04, 0.04, inset, inset),
            (0.96, 0.04, 1 - inset, inset),
            (0.04, 0.96, inset, 1 - inset),
            (0.96, 0.96, 1 - inset, 1 - inset),
        )
        for ox, oy, ix, iy in corners:
            outer_pt, inner_pt = (w * ox, h * oy), (w * ix, h * iy)
            if plan.move_direction < 0:
                _arrow(draw, inner_pt, outer_pt, lw - SCALE)
            else:
                _arrow(draw, outer_pt, inner_pt, lw - SCALE)
        _tag(draw, text, w * 0.5, h * (1 - inset) + 4 * SCALE, size)


def _dashed_rect(draw, box, fill, width: int, dash: int) -> None:
    x0, y0, x1, y1 = box
    for (ax, ay), (bx, by) in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))):
        length = math.hypot(bx - ax, by - ay)
        steps = max(1, int(length // (dash * 2)))
        for i in range(steps):
            t0, t1 = (2 * i) * dash / length, min(1.0, (2 * i + 1) * dash / length)
            draw.line(
                [(ax + (bx - ax) * t0, ay + (by - ay) * t0), (ax + (bx - ax) * t1, ay + (by - ay) * t1)],
                fill=fill,
                width=width,
            )


def _tag(draw, text: str, cx: float, y: float, size: int) -> None:
    tw = text_width(text, size, bold=True)
    x = cx - tw / 2
    draw.rectangle((x - 4 * SCALE, y - 2 * SCALE, x + tw + 4 * SCALE, y + size * 1.2), fill=255)
    draw_text_with_fallback(draw, (x, y), text, size, INK, True)


def _labels(draw, plan: Blueprint, scene: Scene, w: int, h: int) -> None:
    size = 17 * SCALE
    number = f"SC {plan.number or scene.number}"
    detail = f"{plan.shot} · {plan.angle}" + (f" · {plan.move}" if plan.move != "static" else "")
    if plan.pov_of:
        detail += f" · POV {plan.pov_of}"
    x, y = 8 * SCALE, 8 * SCALE
    nw = text_width(number, size, True)
    dw = text_width(detail, size)
    draw.rectangle(
        (x - 4 * SCALE, y - 3 * SCALE, x + nw + dw + 18 * SCALE, y + size * 1.3), fill=255, outline=INK, width=SCALE
    )
    draw_text_with_fallback(draw, (x, y), number, size, INK, True)
    draw_text_with_fallback(draw, (x + nw + 10 * SCALE, y), detail, size, 80)
    place = film.place_line(scene.interior, scene.location, scene.time_of_day)
    if place:
        small = 13 * SCALE
        py = h - small * 1.6
        pw = text_width(place, small)
        draw.rectangle((x - 4 * SCALE, py - 2 * SCALE, x + pw + 6 * SCALE, py + small * 1.3), fill=255)
        draw_text_with_fallback(draw, (x, py), place, small, 90)
