"""Fonts for PDF and image exports, with a CJK fallback.

DejaVu Sans covers Latin, Greek, Cyrillic and many symbols; Droid Sans
Fallback covers CJK and more. Text is split into runs by which font has each
glyph (tested against the font's cmap as read by reportlab), so both the PDF
and the PIL helpers pick the same font for the same character.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}

_lock = threading.Lock()
_SURROGATES = re.compile("[\ud800-\udfff]")


def font_path(name: str) -> Path:
    return FONT_DIR / FONT_FILES[name]


_registered = False


@cache
def _ttfont(name: str) -> TTFont:
    return TTFont(name, str(font_path(name)))


def register_fonts() -> None:
    """Register the three fonts with reportlab (cheap after the first call)."""
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:
            for name in FONT_FILES:
                pdfmetrics.registerFont(_ttfont(name))
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
            _registered = True


@cache
def coverage(name: str) -> frozenset[int]:
    """The code points font `name` has a glyph for."""
    return frozenset(_ttfont(name).face.charToGlyph)


def clean(text: str) -> str:
    """`text` with lone surrogates (possible in JSON, never printable or encodable) as U+FFFD."""
    return _SURROGATES.sub("\ufffd", text) if not text.isascii() else text


def split_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split `text` into (font name, chunk) runs: DejaVu first, Droid for what it lacks.

    Spaces and combining marks stay in the current run when its font has
    them; characters neither font has stay in the current run (drawn as a box).
    Lone surrogates become U+FFFD.
    """
    primary = BOLD if bold else REGULAR
    if text.isascii():  # DejaVu has every printable ASCII glyph
        return [(primary, text)] if text else []
    text = clean(text)
    main, extra = coverage(primary), coverage(FALLBACK)
    runs: list[tuple[str, list[str]]] = []
    for ch in text:
        code = ord(ch)
        current = runs[-1][0] if runs else None
        if current and (ch.isspace() or unicodedata.combining(ch)) and code in coverage(current):
            font = current
        elif code in main:
            font = primary
        elif code in extra:
            font = FALLBACK
        else:
            font = current or primary
        if font == current:
            runs[-1][1].append(ch)
        else:
            runs.append((font, [ch]))
    return [(font, "".join(chars)) for font, chars in runs]


def paragraph_markup(text: str, bold: bool = False) -> str:
    """Reportlab Paragraph markup for `text`: XML-escaped `<font name=...>` runs."""
    register_fonts()
    return "".join(f'<font name="{font}">{escape(chunk)}</font>' for font, chunk in split_runs(text, bold))


def pdf_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` drawn in runs at `size`."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in split_runs(text, bold))


# -- PIL ----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _pil_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size)


def pil_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (bold) at `size` pixels, cached."""
    return _pil_font(BOLD if bold else REGULAR, max(1, int(size)))


def _pil_runs(text: str, size: int, bold: bool) -> list[tuple[ImageFont.FreeTypeFont, str]]:
    return [(_pil_font(font, max(1, int(size))), chunk) for font, chunk in split_runs(text, bold)]


def text_width(text: str, size: int, bold: bool = False) -> int:
    """Width in pixels of `text` drawn with `draw_text_with_fallback`."""
    total = sum(font.getlength(chunk) for font, chunk in _pil_runs(text, size, bold))
    return int(-(-total // 1))


def draw_text_with_fallback(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill,
    bold: bool = False,
) -> int:
    """Draw `text` with its top-left at `xy`, using Droid for glyphs DejaVu lacks.

    All runs share DejaVu's baseline. Returns the x where the text ends.
    """
    x, y = xy
    baseline = y + pil_font(size, bold).getmetrics()[0]
    for font, chunk in _pil_runs(text, size, bold):
        draw.text((x, baseline), chunk, font=font, fill=fill, anchor="ls")
        x += font.getlength(chunk)
    return int(round(x))
