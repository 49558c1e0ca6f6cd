"""Character regions of a blueprint as masks, for the per-character repaint."""

from __future__ import annotations

from ..layout import Blueprint

FEATHER = 0.02  # soft edge, as a fraction of the frame height


def figure_mask(plan: Blueprint, name: str, size: tuple[int, int]):
    """A white-on-black mask of where `name` stands (their figure box, clipped to the frame), or None."""
    from PIL import Image, ImageDraw, ImageFilter

    figure = next((f for f in plan.figures if f.name == name), None)
    if figure is None:
        return None
    width, height = size
    box = figure.pixel_box(width, height)
    if box[0] >= box[2] or box[1] >= box[3]:
        return None
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rectangle(box, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(max(1, FEATHER * height)))
