"""Text burned into animatic frames: dialogue captions, the shot number and the running timecode.

Each piece is white text on a dark, half-transparent box, drawn once with PIL (per caption page, per shot)
and kept as a `Sticker`: two small uint16 arrays that blend onto a frame in place with one multiply-add.
Only the timecode changes every frame; its glyphs are drawn once and laid side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ..dialogue import format_line
from ..project import Scene
from . import fonts
from .options import clip

BOX_ALPHA = 165  # the dark box behind text (0 clear … 255 opaque)
CAPTION_CHARS = 600  # characters of one dialogue line captioned; a pasted novel still exports
LINES_PER_CAPTION = 2
ELLIPSIS = "…"


@dataclass
class Sticker:
    """White text on a dark box at (x, y), as `frame = frame * cover / 255 + paint / 255`."""

    x: int
    y: int
    cover: np.ndarray  # uint16 (h, w, 1): how much of the frame shows through, 0..255
    paint: np.ndarray  # uint16 (h, w, 1): white text, premultiplied, 0..65025

    @classmethod
    def from_mask(cls, mask: np.ndarray, x: int, y: int, box_alpha: int = BOX_ALPHA) -> Sticker:
        """A sticker from a text mask (uint8, 255 = text) over a box of `box_alpha`."""
        text = mask.astype(np.uint16)[:, :, None]
        cover = ((255 - box_alpha) * (255 - text) + 127) // 255
        return cls(x, y, cover, text * 255)

    def apply(self, frame: np.ndarray) -> None:
        """Blend onto `frame` (uint8 H×W×3) in place; parts outside the frame are left out."""
        h, w = self.cover.shape[:2]
        x0, y0 = max(0, self.x), max(0, self.y)
        x1, y1 = min(frame.shape[1], self.x + w), min(frame.shape[0], self.y + h)
        if x1 <= x0 or y1 <= y0:
            return
        window = (slice(y0 - self.y, y1 - self.y), slice(x0 - self.x, x1 - self.x))
        region = frame[y0:y1, x0:x1]
        mixed = region * self.cover[window] + self.paint[window]  # uint16, at most 255 * 255
        region[:] = (mixed + 128 + ((mixed + 128) >> 8)) >> 8  # exact rounding division by 255


def text_sticker(lines: list[str], size: int, pad: int, bold: bool = False) -> Sticker:
    """Lines of text centred on one box, with the box at (0, 0); place it by setting x and y."""
    leading = round(size * 1.25)
    ascent, descent = fonts.pil_font(size, bold).getmetrics()
    widths = [fonts.text_width(line, size, bold) for line in lines]
    box_w, box_h = max(widths) + 2 * pad, (len(lines) - 1) * leading + ascent + descent + 2 * pad
    mask = Image.new("L", (box_w, box_h), 0)
    draw = ImageDraw.Draw(mask)
    for row, (line, width) in enumerate(zip(lines, widths)):
        fonts.draw_text_with_fallback(draw, ((box_w - width) / 2, pad + row * leading), line, size, 255, bold)
    return Sticker.from_mask(np.asarray(mask), 0, 0)


# -- captions ---------------------------------------------------------------------


def caption_size(height: int) -> int:
    return max(9, round(height * 0.045))


def caption_pages(scene: Scene, width: int, height: int) -> list[tuple[int, Sticker]]:
    """The scene's dialogue as subtitles: (weight, sticker) per page of at most two lines, bottom centre.

    Each line reads "SPEAKER: text"; a long speech wraps onto several pages. The weight (characters shown)
    decides how long a page stays up.
    """
    size = caption_size(height)
    pad, margin = max(2, size // 3), max(2, round(height * 0.05))
    pages = []
    for line in scene.dialogue:
        text = " ".join(clip(format_line(line), CAPTION_CHARS).split())
        if not text:
            continue
        rows = wrap(text, size, round(width * 0.86) - 2 * pad)
        for first in range(0, len(rows), LINES_PER_CAPTION):
            chunk = rows[first : first + LINES_PER_CAPTION]
            sticker = text_sticker(chunk, size, pad)
            sticker.x = (width - sticker.cover.shape[1]) // 2
            sticker.y = height - margin - sticker.cover.shape[0]
            pages.append((max(12, sum(len(row) for row in chunk)), sticker))
    return pages


def wrap(text: str, size: int, width: int) -> list[str]:
    """`text` broken into lines at most `width` pixels wide: at spaces, or anywhere in a word (CJK) too long."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fonts.text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and fonts.text_width(word, size) > width:
            cut = _fitting(word, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _fitting(word: str, size: int, width: int) -> int:
    """How many leading characters of `word` fit `width` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if fonts.text_width(word[:mid], size) <= width:
            low = mid
        else:
            high = mid - 1
    return low


# -- overlay: shot number and timecode ----------------------------------------------


def overlay_size(height: int) -> int:
    return max(8, round(height / 30))


def shot_sticker(number: str, width: int, height: int, right: int | None = None) -> Sticker:
    """The shot number at the top right, its right edge at `right` (beside the timecode) or the frame's margin;
    cut with "…" if it would cover more than a third of the frame. (The top left is where a sketch panel
    prints its own label.)"""
    size = overlay_size(height)
    pad = max(2, size // 3)
    text = clip(str(number), 40)
    while len(text) > 1 and fonts.text_width(text, size, bold=True) > width / 3:
        text = text[:-2] + ELLIPSIS
    sticker = text_sticker([text], size, pad, bold=True)
    margin = max(2, round(height * 0.025))
    sticker.y = margin
    sticker.x = max(0, (width - margin if right is None else right) - sticker.cover.shape[1])
    return sticker


class Timecode:
    """The running timecode HH:MM:SS:FF at the top right, assembled from glyphs drawn once."""

    CHARS = "0123456789:"

    def __init__(self, fps: int, width: int, height: int) -> None:
        self.fps = fps
        size = overlay_size(height)
        self.pad = max(2, size // 3)
        digit = max(fonts.text_width(ch, size) for ch in "0123456789")  # all digits share one width
        line = sum(fonts.pil_font(size).getmetrics())
        self.glyphs = {}
        for ch in self.CHARS:
            cell = digit if ch.isdigit() else fonts.text_width(ch, size)
            mask = Image.new("L", (cell, line), 0)
            left = (cell - fonts.text_width(ch, size)) / 2
            fonts.draw_text_with_fallback(ImageDraw.Draw(mask), (left, 0), ch, size, 255)
            self.glyphs[ch] = np.asarray(mask)
        box_w = sum(self.glyphs[ch].shape[1] for ch in self.text(0)) + 2 * self.pad
        margin = max(2, round(height * 0.025))
        self.x, self.y = width - margin - box_w, margin
        self.gap = max(2, size // 2)  # between the shot number and the timecode

    def text(self, frame: int) -> str:
        seconds, frames = divmod(frame, self.fps)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"

    def sticker(self, frame: int) -> Sticker:
        row = np.hstack([self.glyphs[ch] for ch in self.text(frame)])
        mask = np.pad(row, self.pad)
        return Sticker.from_mask(mask, self.x, self.y)
