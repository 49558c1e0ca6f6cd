"""The embedded sketch renderer: a blueprint drawn as a greyscale storyboard panel.

No model, no GPU: clean blocking panels so the whole job works anywhere. The
set comes first (horizon or room, set pieces from the place, a night sky),
then the cast far to near — each figure in its pose and silhouette, in the
tone its character keeps across the board, with what it holds in its hand —
or, for an insert, the object itself; then the weather (rain, fog, snow) over
it all. The notation (move arrows, name tags, the shot label) is placed clear
of the faces. Drawing is supersampled 2× and reduced for clean lines. A pure
function of its inputs: the same scene gives the same pixels.
"""

from __future__ import annotations

import math
from typing import Any

from PIL import Image, ImageDraw

from ..export.fonts import draw_text_with_fallback, text_width
from ..layout import Blueprint
from ..project import Project, Scene
from . import figures, props, scenery
from . import notation as marks
from .base import Rendered

PAPER = 248
INK = 35
GUIDE = 175
SCALE = marks.SCALE  # supersampling factor


class SketchRenderer:
    name = "sketch"
    version = "2"  # 2: poses, silhouettes, props, set pieces, night and weather
    shows_number = True  # the shot number is drawn in the panel's corner: a new number needs a new panel

    def render(self, scene: Scene, plan: Blueprint, project: Project, size: tuple[int, int],
               settings: dict[str, Any] | None = None, step=None, cancel=None) -> Rendered:
        return Rendered(self.draw(scene, plan, size))

    def draw(self, scene: Scene, plan: Blueprint, size: tuple[int, int], notation: bool = True) -> Image.Image:
        """The panel in greyscale; without notation (labels, arrows, night, weather) it is the diffusion layout
        guide: the set, the figures and the props only."""
        image, faces = self.picture(plan, size, conditions=notation)
        if not notation:
            return image.reduce(SCALE)
        draw = ImageDraw.Draw(image)
        width, height = image.size
        if plan.pov_of:
            marks.pov_mask(image)
        heads = [box for _, box in faces]
        taken = marks.labels(draw, plan, scene, width, height, heads)
        taken += marks.move_notation(draw, plan, width, height, heads, taken)  # clear of faces, then of labels
        for name, face in faces:
            if face[3] - face[1] >= 6 * SCALE:  # a speck in the distance gets no tag
                taken.append(marks.name_tag(draw, name, face, width, height, heads, taken))
        draw.rectangle((0, 0, width - 1, height - 1), outline=INK, width=2 * SCALE)
        return image.reduce(SCALE)

    def picture(self, plan: Blueprint, size: tuple[int, int], conditions: bool = True):
        """(the supersampled panel without notation, [(name, face box in its pixels)])."""
        width, height = size[0] * SCALE, size[1] * SCALE
        pad = int(max(width, height) * 0.25) if plan.tilt_deg else 0
        canvas = _Canvas(width, height, pad)
        # 1. the set: sky, horizon and perspective (or a floor grid from above), set pieces
        if conditions:
            scenery.draw_sky(canvas, plan.night, plan.horizon, plan.interior)
        canvas.background(plan)
        clear = [f.x for f in plan.figures if not f.back]
        scenery.draw_set(canvas, plan.set_pieces, plan.horizon, plan.vanishing_x, plan.interior, clear, plan.seed)
        # 2. the cast, far figures first, each with what it holds; or the insert's object
        faces = []
        for fig in plan.figures:
            drawn = figures.draw_figure(canvas, fig, ground=False)  # the layout has put its feet on the ground
            if fig.holds and not (fig.back or fig.from_above) and drawn.grip >= 6 * SCALE:
                g, (hx, hy) = drawn.grip, drawn.hand
                props.draw_prop(canvas.draw, fig.holds, (hx - g / 2, hy - g / 2, hx + g / 2, hy + g / 2),
                                ink=INK, width=max(SCALE, int(g * 0.05)))
            faces.append((fig.name, drawn.face))
        if plan.shot == "insert":
            canvas.insert_object(plan)
        # 3. the weather over everything
        if conditions and plan.weather:
            canvas.image = scenery.apply_weather(canvas.image, plan.weather, plan.seed, plan.horizon, pad)
        image = canvas.finish(plan.tilt_deg)
        return image, [(name, _placed(box, pad, plan.tilt_deg, canvas)) for name, box in faces]


def _placed(box, pad: int, tilt_deg: float, canvas: _Canvas) -> tuple[float, float, float, float]:
    """A box drawn on the padded canvas, in the finished (tilted, cropped) panel's pixels."""
    if not tilt_deg:
        return (box[0] - pad, box[1] - pad, box[2] - pad, box[3] - pad)
    cx, cy = canvas.image.width / 2, canvas.image.height / 2
    t = math.radians(tilt_deg)
    points = []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        points.append((cx + dx * math.cos(t) + dy * math.sin(t) - pad, cy - dx * math.sin(t) + dy * math.cos(t) - pad))
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


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

    def insert_object(self, plan: Blueprint) -> None:
        """The object the insert shows, drawn large on the table, its name under it; an unknown one on a card."""
        cx, cy, w, h = self.X(0.5), self.Y(0.5), self.L(0.8), self.L(0.56)
        box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        label = (plan.insert_label or plan.insert_prop).upper()
        if not (plan.insert_prop and props.draw_prop(self.draw, plan.insert_prop, box, INK, 3 * SCALE)):
            props.draw_card(self.draw, label, box, INK, 2 * SCALE)
            return
        size = int(self.L(0.055))
        tw = text_width(label, size, bold=True)
        y = cy + h / 2 + 0.025 * self.h
        self.draw.rectangle((cx - tw / 2 - 4 * SCALE, y - 2 * SCALE, cx + tw / 2 + 4 * SCALE, y + size * 1.2), fill=255)
        draw_text_with_fallback(self.draw, (cx - tw / 2, y), label, size, INK, True)

    def finish(self, tilt_deg: float) -> Image.Image:
        image = self.image
        if tilt_deg:
            image = image.rotate(tilt_deg, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
        if self.pad:
            image = image.crop((self.pad, self.pad, self.pad + self.w, self.pad + self.h))
        return image
