"""Text on a PDF page: measured word wrap, ellipsis cuts and drawing in font runs.

Every width is measured run by run (DejaVu with the Droid fallback, see
`fonts.split_runs`), so wrapped and cut lines fit whatever script they hold.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdfcanvas

from . import fonts
from .options import clip

ELLIPSIS = "…"


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy word wrap by measured width; words wider than a line break by character."""
    space = max(pdfmetrics.stringWidth(" ", font, size) for font in (fonts.REGULAR, fonts.FALLBACK))
    lines: list[str] = []
    line, line_w = "", 0.0
    for word in text.split():
        word_w = fonts.pdf_width(word, size, bold)
        if line and line_w + space + word_w <= width:
            line, line_w = f"{line} {word}", line_w + space + word_w
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and word_w > width:
            cut = fit_chars(word, size, width, bold)
            lines.append(word[:cut])
            word = word[cut:]
            word_w = fonts.pdf_width(word, size, bold)
        line, line_w = word, word_w
    if line:
        lines.append(line)
    return lines


def fit_chars(text: str, size: float, width: float, bold: bool, suffix: str = "") -> int:
    """How many leading characters of `text` (plus `suffix`) fit in `width`; at least 1."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fonts.pdf_width(text[:mid] + suffix, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def ellipsize(text: str, size: float, width: float, bold: bool = False, force: bool = False) -> str:
    """`text` if it fits, else the longest prefix that fits with "…" (always with it if `force`)."""
    text = clip(text)
    if not force and fonts.pdf_width(text, size, bold) <= width:
        return text
    if fonts.pdf_width(text + ELLIPSIS, size, bold) <= width:
        return text + ELLIPSIS
    if len(text) <= 1:
        return ELLIPSIS
    return text[: fit_chars(text, size, width, bold, ELLIPSIS)].rstrip() + ELLIPSIS


def draw_text(c: pdfcanvas.Canvas, x: float, y: float, text: str, size: float, bold: bool = False) -> float:
    """Draw `text` run by run from baseline point (x, y); return the end x."""
    for font, chunk in fonts.split_runs(text, bold):
        c.setFont(font, size)
        c.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
    return x
