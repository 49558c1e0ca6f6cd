"""The printable storyboard: a PDF of panels with their captions, an optional cover and appendix.

Drawn straight onto a reportlab canvas (no platypus story) so a 1000-scene
board stays fast. Panels are embedded with `canvas.drawImage(path)`, which
stores each file once. Captions are wrapped by measuring text run by run
(DejaVu with the Droid fallback) and shrunk, then cut with an ellipsis, so
they never leave their box; text is cut before it is measured, so a scene
holding a novel still exports quickly. Panels outside the project or larger
than the renderer makes are drawn as labelled empty frames. Where panels and
text go is `pdf_layout`; the cover and appendix pages are `pdf_pages`.
"""

from __future__ import annotations

import io
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen import canvas as pdfcanvas

from .. import film
from ..dialogue import format_line
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project, Scene
from ..store import atomic_write_bytes
from . import fonts, pdf_pages
from .options import (
    PdfOptions,
    check_destination,
    check_panel_folder,
    clip,
    duration_text,
    one_line,
    panel_status,
    place_text,
    require_scenes,
    shot_text,
)
from .pdf_layout import BASE_SIZE, HEADER, LEADING, MARGIN, Cell, layout_cells, page_dimensions
from .pdf_text import ELLIPSIS, draw_text, ellipsize, wrap

__all__ = ["HEADER", "MARGIN", "export_pdf", "layout_cells", "page_dimensions"]

SHRINK = (1.0, 0.9, 0.8, 0.7)  # caption sizes tried before cutting lines
MAX_BLOCKS = 60  # caption blocks (action, dialogue lines, notes) considered; no cell shows more lines
PLACE, PLAIN, RIGHT = "place", "plain", "right"  # how a caption line is drawn

_reportlab_config = threading.Lock()


def export_pdf(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    options: PdfOptions | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write the storyboard PDF to `out_path` and return its path."""
    # 1. Check options and input.
    options = options or PdfOptions()
    options.validate()
    require_scenes(project)
    out = check_destination(out_path, (".pdf",))
    check_panel_folder(folder)
    progress = progress or no_progress
    fonts.register_fonts()

    # 2. Lay out one page; every page uses the same cells.
    page = page_dimensions(options)
    cells = layout_cells(page, options, film.ASPECT_RATIOS.get(project.aspect_ratio, 16 / 9))
    title = options.title_override.strip() or project.title.strip() or "Untitled"
    today = date.today().isoformat()
    numbers = project.shot_numbers()

    # 3. Draw the cover, the board page by page, and the coherence appendix (when asked for and a check was made).
    scenes = project.scenes
    appendix = pdf_pages.coherence_page(folder) if options.coherence_appendix else None
    total, pages = len(scenes), math.ceil(len(scenes) / options.per_page)
    all_pages = pages + (1 if appendix else 0)
    buffer = io.BytesIO()
    with _binary_streams():
        c = pdfcanvas.Canvas(buffer, pagesize=page, pageCompression=1)
        c.setTitle(fonts.clean(clip(title, 500)))
        c.setAuthor(fonts.clean(clip(project.author.strip(), 500)))
        c.setCreator("Storyboard Studio")
        c.setSubject("Storyboard")
        if options.cover:
            pdf_pages.draw_cover(c, page, project, folder, title, today)
            c.showPage()
        for number in range(pages):
            _draw_header(c, page, title, f"Page {number + 1}/{all_pages} · {today}")
            start = number * options.per_page
            for offset, scene in enumerate(scenes[start : start + options.per_page]):
                if cancel is not None:
                    cancel.check()
                _draw_scene(c, cells[offset], project, scene, numbers[start + offset], folder, options)
                progress(start + offset + 1, total, f"PDF: shot {numbers[start + offset]}")
            c.showPage()
        if appendix:
            _draw_header(c, page, f"{title} — coherence", f"Page {all_pages}/{all_pages} · {today}")
            pdf_pages.draw_appendix(c, page, *appendix)
            c.showPage()
        c.save()

    # 4. Write atomically.
    atomic_write_bytes(out, buffer.getvalue())
    return out


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Skip reportlab's pure-Python ASCII85 stream encoding (about 3x faster for images)."""
    with _reportlab_config:
        old = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = old


def _draw_header(c: pdfcanvas.Canvas, page: tuple[float, float], title: str, right: str) -> None:
    width, height = page
    baseline = height - MARGIN - 14
    right_w = fonts.pdf_width(right, 9)
    draw_text(c, width - MARGIN - right_w, baseline, right, 9)
    title = ellipsize(title, 14, width - 2 * MARGIN - right_w - 24, bold=True)
    draw_text(c, MARGIN, baseline, title, 14, bold=True)
    c.setLineWidth(0.5)
    c.line(MARGIN, baseline - 8, width - MARGIN, baseline - 8)


def _draw_scene(
    c: pdfcanvas.Canvas, cell: Cell, project: Project, scene: Scene, number: str, folder, options: PdfOptions
) -> None:
    """The current panel (or an empty frame saying why not: "out of date", "not rendered" …) and its caption."""
    x, y, w, h = cell.frame
    size = BASE_SIZE[options.per_page]
    path, label = panel_status(folder, scene, project, number)
    drawn = False
    if path is not None:
        try:
            c.drawImage(str(path), x, y, w, h, preserveAspectRatio=True, anchor="c")
            drawn = True
        except Exception:  # unreadable or corrupt image: reportlab and PIL raise many kinds
            label = "panel unreadable"
    if not drawn:
        c.setFillGray(0.94)
        c.rect(x, y, w, h, stroke=0, fill=1)
        c.setFillGray(0.45)
        draw_text(c, x + (w - fonts.pdf_width(label, size)) / 2, y + h / 2 - size / 3, label, size)
        c.setFillGray(0)
    c.setLineWidth(0.75)
    c.rect(x, y, w, h, stroke=1, fill=0)
    _draw_caption(c, cell, scene, number, options)


def _draw_caption(c: pdfcanvas.Canvas, cell: Cell, scene: Scene, number: str, options: PdfOptions) -> None:
    x, top, width, height = cell.text
    header = any((options.show_number, options.show_shot, options.show_duration))
    size, lines = _fit_caption(scene, options, width, height, header)
    if size is None:
        return
    leading = size * LEADING
    baseline = top - size
    if header:
        _draw_caption_header(c, x, baseline, width, scene, number, options, size)
        baseline -= leading
    for line, style in lines:
        if style == RIGHT:
            draw_text(c, x + width - fonts.pdf_width(line, size, bold=True), baseline, line, size, bold=True)
        elif style == PLACE:
            c.setFillGray(0.3)
            draw_text(c, x, baseline, line, size)
            c.setFillGray(0)
        else:
            draw_text(c, x, baseline, line, size)
        baseline -= leading


def _draw_caption_header(
    c: pdfcanvas.Canvas, x: float, y: float, width: float, scene: Scene, number: str, options: PdfOptions,
    size: float,
) -> None:
    """ "Shot 2A  MS · low · dolly in" on the left, "3.0 s" on the right."""
    end = x + width
    if options.show_duration:
        right = duration_text(scene.duration_s)
        end -= fonts.pdf_width(right, size)
        draw_text(c, end, y, right, size)
        end -= size
    if options.show_number:
        label = ellipsize(f"Shot {number}", size, end - x, bold=True)
        x = draw_text(c, x, y, label, size, bold=True) + size * 0.6
    if options.show_shot and end - x > size:
        draw_text(c, x, y, ellipsize(shot_text(scene), size, end - x), size)


def _fit_caption(scene: Scene, options: PdfOptions, width: float, height: float, header: bool):
    """The largest size whose wrapped lines fit; at the smallest size cut blocks with "…"."""
    texts = _caption_texts(scene, options)
    for factor in SHRINK:
        size = BASE_SIZE[options.per_page] * factor
        capacity = int(height // (size * LEADING)) - header
        blocks = [[(line, style) for line in wrap(text, size, width, bold=style == RIGHT)] for text, style in texts]
        if capacity >= 0 and sum(map(len, blocks)) <= capacity:
            return size, [line for block in blocks for line in block]
    if capacity < 0:
        return None, []  # no room even for the header line
    return size, _cut(blocks, capacity, size, width)


def _cut(blocks: list[list[tuple[str, str]]], capacity: int, size: float, width: float) -> list[tuple[str, str]]:
    """Share `capacity` lines: one per block first (place, action, each dialogue line, notes), then in order."""
    quota = [0] * len(blocks)
    left = capacity
    for fill_all in (False, True):
        for i, block in enumerate(blocks):
            extra = min(len(block) - quota[i] if fill_all else 1, left)
            quota[i] += extra
            left -= extra
    kept: list[tuple[str, str]] = []
    for block, count in zip(blocks, quota):
        if count:
            kept.extend(block[:count])
            if count < len(block):
                kept[-1] = (ellipsize(kept[-1][0], size, width, force=True), kept[-1][1])
    if kept and not kept[-1][0].endswith(ELLIPSIS) and quota[-1] == 0:
        kept[-1] = (ellipsize(kept[-1][0], size, width, force=True), kept[-1][1])  # whole blocks were dropped
    return kept


def _caption_texts(scene: Scene, options: PdfOptions) -> list[tuple[str, str]]:
    """The caption blocks and how each is drawn, each cut to what a cell could ever show."""
    texts = []
    place = place_text(scene) if options.show_location else ""
    if place:
        texts.append((place, PLACE))
    if options.show_action and scene.action.strip():
        texts.append((one_line(scene.action), PLAIN))
    if options.show_dialogue:
        lines = (line for line in scene.dialogue if line.text.strip())
        texts.extend((one_line(format_line(line)), PLAIN) for _, line in zip(range(MAX_BLOCKS), lines))
    if options.show_notes and scene.notes.strip():
        texts.append(("Notes: " + one_line(scene.notes), PLAIN))
    texts = texts[:MAX_BLOCKS]
    if options.show_transition and scene.transition.strip():
        texts.append((one_line(scene.transition), RIGHT))
    return [(clip(text), style) for text, style in texts]
