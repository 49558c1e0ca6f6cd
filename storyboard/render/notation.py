"""The storyboard notation drawn over a sketch panel: camera-move arrows, name tags, the shot label, the POV mask.

Everything here is placed clear of the faces (pixel boxes the figure drawing
reports): a PAN arrow moves to another band of the frame rather than cross a
face, a name tag goes beside a head when there is no room above it. Each
function returns the boxes it drew, so tests can check what it covered.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from .. import film
from ..export.fonts import draw_text_with_fallback, text_width
from ..layout import Blueprint
from ..project import Scene

INK = 35
SCALE = 2  # the sketch's supersampling: sizes below are in output pixels × SCALE

Box = tuple[float, float, float, float]


def overlap(a: Box, b: Box) -> float:
    """The area two boxes share (0 when apart)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def clearest(candidates: list[Box], faces: list[Box], others: list[Box] = (), margin: float = 4 * SCALE) -> int:
    """The index of the first candidate touching neither a face nor one of `others` (labels already drawn), else
    of the first touching no face (and the least of the others), else of the one covering the least face."""
    def cover(boxes: list[Box]) -> list[float]:
        return [sum(overlap(_grow(c, margin), b) for b in boxes) for c in candidates]

    on_faces, on_others = cover(faces), cover(list(others))
    return min(range(len(candidates)), key=lambda i: (on_faces[i] > 0, on_faces[i], on_others[i] > 0, i))


def pov_mask(image: Image.Image) -> None:
    """Darken outside an oval: we see through someone's eyes."""
    w, h = image.size
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse((-0.08 * w, -0.12 * h, 1.08 * w, 1.12 * h), fill=255)
    dark = Image.new("L", (w, h), 120)
    image.paste(Image.composite(image, dark, mask))


def arrow(draw: ImageDraw.ImageDraw, start, end, width: int) -> Box:
    """A thick arrow with a white halo, so it reads over any drawing; returns its box."""
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
    xs, ys = [start[0], end[0], *(p[0] for p in tip)], [start[1], end[1], *(p[1] for p in tip)]
    return _grow((min(xs), min(ys), max(xs), max(ys)), width)


def tag_box(text: str, cx: float, y: float, size: int) -> Box:
    tw = text_width(text, size, bold=True)
    return (cx - tw / 2 - 4 * SCALE, y - 2 * SCALE, cx + tw / 2 + 4 * SCALE, y + size * 1.2)


def tag(draw, text: str, cx: float, y: float, size: int) -> Box:
    """A bold word on white, centred on cx."""
    box = tag_box(text, cx, y, size)
    draw.rectangle(box, fill=255)
    draw_text_with_fallback(draw, (box[0] + 4 * SCALE, y), text, size, INK, True)
    return box


def _union(*boxes: Box) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def move_notation(draw: ImageDraw.ImageDraw, plan: Blueprint, w: int, h: int, faces: list[Box],
                  others: list[Box] = ()) -> list[Box]:
    """The camera move as arrows (pan, truck, tilt, crane) or a frame-in-frame (dolly, zoom), clear of faces
    (and of `others`, the labels, where there is room)."""
    move, sign, lw, size = plan.move, plan.move_direction, 4 * SCALE, 16 * SCALE
    text = move.upper()
    if move in ("pan", "truck"):
        rows = (0.22, 0.1, 0.5, 0.9, 0.75) if move == "pan" else (0.9, 0.75, 0.5, 0.1, 0.22)
        spans = ((0.3, 0.7), (0.08, 0.42), (0.58, 0.92))
        options = [(y, a, b) for y in rows for a, b in spans]
        boxes = [_union((w * a - lw * 5, h * y - lw * 5, w * b + lw * 5, h * y + lw * 5),
                        tag_box(text, w * (a + b) / 2, h * y + lw * 2, size)) for y, a, b in options]
        y, a, b = options[clearest(boxes, faces, others)]
        start, end = (w * a, h * y), (w * b, h * y)
        drawn = [arrow(draw, start if sign > 0 else end, end if sign > 0 else start, lw)]
        return drawn + [tag(draw, text, w * (a + b) / 2, h * y + lw * 2, size)]
    if move == "tilt":
        columns = (0.94, 0.06, 0.5, 0.8, 0.2)
        tw = text_width(text, size, True)
        boxes = [_union((w * x - lw * 5, h * 0.28, w * x + lw * 5, h * 0.72),
                        tag_box(text, min(max(w * x, tw / 2 + 8 * SCALE), w - tw / 2 - 8 * SCALE), h * 0.74, size))
                 for x in columns]
        x = columns[clearest(boxes, faces, others)]
        drawn = [arrow(draw, (w * x, h * 0.7), (w * x, h * 0.3), lw)]
        return drawn + [tag(draw, text, min(max(w * x, tw / 2 + 8 * SCALE), w - tw / 2 - 8 * SCALE), h * 0.74, size)]
    if move == "crane":  # an arc rising to an arrow, in a corner (large, else small) clear of faces
        arcs = [(w * x0, h * (1 - 0.65 * k) - h * 0.05, w * (x0 + 0.26 * k), h * 0.95)
                for k in (1.0, 0.6) for x0 in (0.04, 0.7 + 0.26 * (1 - k), 0.37)]
        spans = [_union((b[0], b[1], b[2], (b[1] + b[3]) / 2 + (b[3] - b[1]) * 0.1),
                        tag_box(text, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2 + (b[3] - b[1]) * 0.1, size)) for b in arcs]
        box = arcs[clearest(spans, faces, others)]
        draw.arc(box, 200, 300, fill=INK, width=lw)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        rx, ry = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
        end = (cx + rx * math.cos(math.radians(300)), cy + ry * math.sin(math.radians(300)))
        tail = (end[0] - 6 * SCALE, end[1] + 6 * SCALE)
        drawn = [(box[0], box[1], box[2], cy + ry * 0.1), arrow(draw, tail, end, lw)]
        return drawn + [tag(draw, text, cx, cy + ry * 0.2, size)]
    if move in ("dolly in", "dolly out", "zoom"):
        inset = 0.2
        _dashed_rect(draw, (w * inset, h * inset, w * (1 - inset), h * (1 - inset)), INK, 2 * SCALE, 14 * SCALE)
        drawn = []
        for ox, oy, ix, iy in ((0.04, 0.04, inset, inset), (0.96, 0.04, 1 - inset, inset),
                               (0.04, 0.96, inset, 1 - inset), (0.96, 0.96, 1 - inset, 1 - inset)):
            outer, inner = (w * ox, h * oy), (w * ix, h * iy)
            span = _grow(_union((*outer, *outer), (*inner, *inner)), lw * 2)
            if any(overlap(span, f) for f in (*faces, *others)):
                continue  # this corner's arrow would cross a face: the other corners say it
            drawn.append(arrow(draw, inner, outer, lw - SCALE) if sign < 0 else arrow(draw, outer, inner, lw - SCALE))
        spots = [tag_box(text, w * 0.5, h * y, size) for y in ((1 - inset) + 0.01, 0.87, 0.05, 0.5)]
        spot = spots[clearest(spots, faces, others)]
        return drawn + [tag(draw, text, (spot[0] + spot[2]) / 2, spot[1] + 2 * SCALE, size)]
    return []


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


def name_tag(draw, name: str, face: Box, w: int, h: int, faces: list[Box], taken: list[Box]) -> Box:
    """The character's name on a white tag above their head, or beside it (or below the chin) when the frame
    or another face leaves no room there; never over a face."""
    head_h = face[3] - face[1]
    size = int(max(11 * SCALE, min(22 * SCALE, head_h * 0.28)))
    tw, th = text_width(name, size, bold=True) + 10 * SCALE, size * 1.25 + 3 * SCALE
    cx, gap = (face[0] + face[2]) / 2, 4 * SCALE
    spots = [
        (cx - tw / 2, face[1] - th - gap),  # above
        (face[2] + gap, face[1] + head_h * 0.1),  # right of the head
        (face[0] - gap - tw, face[1] + head_h * 0.1),  # left of it
        (cx - tw / 2, face[3] + gap),  # under the chin
    ]
    top_band = 8 * SCALE + 17 * SCALE * 1.3 + 4 * SCALE  # the shot label's row
    boxes = []
    for x, y in spots:
        x = min(max(x, 4 * SCALE), w - tw - 4 * SCALE)
        y = min(max(y, top_band if x < w * 0.55 else 4 * SCALE), h - th - 4 * SCALE)
        boxes.append((x, y, x + tw, y + th))
    box = boxes[clearest(boxes, faces, taken)]
    draw.rounded_rectangle(box, radius=4 * SCALE, fill=255, outline=INK, width=SCALE)
    draw_text_with_fallback(draw, (box[0] + 5 * SCALE, box[1] + 2 * SCALE), name, size, fill=INK, bold=True)
    return box


def labels(draw, plan: Blueprint, scene: Scene, w: int, h: int, faces: list[Box]) -> list[Box]:
    """The shot label (number, size, angle, move) top left, the place line at the foot. When a face is in a top
    corner the label goes to the other; when both are taken the number stays alone in a corner and the rest of
    the label joins the place line."""
    size, small = 17 * SCALE, 13 * SCALE
    number = f"SC {plan.number or scene.number}"
    detail = f"{plan.shot} · {plan.angle}" + (f" · {plan.move}" if plan.move != "static" else "")
    if plan.pov_of:
        detail += f" · POV {plan.pov_of}"
    nw, dw = text_width(number, size, True), text_width(detail, size)
    tall = size * 1.3 + 3 * SCALE
    full, alone = nw + dw + 22 * SCALE, nw + 12 * SCALE
    options = [(4 * SCALE, full), (w - full - 4 * SCALE, full), (4 * SCALE, alone), (w - alone - 4 * SCALE, alone)]
    boxes = [(x, 5 * SCALE, x + width, 5 * SCALE + tall) for x, width in options]
    box = boxes[clearest(boxes, faces)]
    draw.rectangle(box, fill=255, outline=INK, width=SCALE)
    x, y = box[0] + 4 * SCALE, box[1] + 3 * SCALE
    draw_text_with_fallback(draw, (x, y), number, size, INK, True)
    place = film.place_line(scene.interior, scene.location, scene.time_of_day)
    if box[2] - box[0] == full:
        draw_text_with_fallback(draw, (x + nw + 10 * SCALE, y), detail, size, 80)
    else:
        place = " · ".join(part for part in (detail, place) if part)
    drawn = [box]
    if place:
        pw = text_width(place, small)
        spots = [(4 * SCALE, h - small * 1.6 - 2 * SCALE), (w - pw - 14 * SCALE, h - small * 1.6 - 2 * SCALE)]
        places = [(x, y, x + pw + 10 * SCALE, y + small * 1.3 + 2 * SCALE) for x, y in spots]
        pbox = places[clearest(places, faces)]
        draw.rectangle(pbox, fill=255)
        draw_text_with_fallback(draw, (pbox[0] + 4 * SCALE, pbox[1] + 2 * SCALE), place, small, 90)
        drawn.append(pbox)
    return drawn
