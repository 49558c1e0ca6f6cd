"""The printable storyboard: a PDF with a grid of panels and captions.

Drawn straight onto a reportlab canvas (no platypus story) so a 1000-scene
board stays fast. Panels are embedded with `canvas.drawImage(path)`, which
stores each file once. Captions are wrapped by measuring text run by run
(DejaVu with the Droid fallback) and shrunk, then cut with an ellipsis, so
they never leave their cell; text is cut before it is measured, so a scene
holding a novel still exports quickly. Panels outside the project or larger
than the renderer makes are drawn as labelled empty frames.
"""

from __future__ import annotations

import io
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape, letter, portrait
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdfcanvas

from .. import film, paths
from ..dialogue import format_line
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project, Scene
from ..store import atomic_write_bytes
from . import fonts
from .options import (
    PdfOptions,
    check_destination,
    check_panel_folder,
    clip,
    duration_text,
    one_line,
    panel_status,
    require_scenes,
    shot_text,
)

GRIDS = {1: (1, 1), 2: (2, 1), 3: (3, 1), 6: (3, 2), 9: (3, 3)}  # (columns, rows) in landscape
BASE_SIZE = {1: 11.0, 2: 10.0, 3: 9.0, 6: 8.0, 9: 7.0}  # caption font size, points
SHRINK = (1.0, 0.9, 0.8, 0.7)  # caption sizes tried before cutting lines
LEADING = 1.2
MARGIN, HEADER, GAP_X, GAP_Y = 28.0, 30.0, 14.0, 12.0
ELLIPSIS = "…"
MAX_BLOCKS = 60  # caption blocks (action, dialogue lines, notes) considered; no cell shows more lines

_reportlab_config = threading.Lock()


@dataclass(frozen=True)
class Cell:
    """One grid cell on a page, in points from the bottom-left corner."""

    x: float  # left of the cell
    width: float
    frame: tuple[float, float, float, float]  # panel frame x, y, width, height
    caption_h: float


def page_dimensions(options: PdfOptions) -> tuple[float, float]:
    """(width, height) of a page in points."""
    base = {"A4": A4, "Letter": letter}[options.page_size]
    return landscape(base) if options.orientation == "landscape" else portrait(base)


def grid_shape(per_page: int, orientation: str) -> tuple[int, int]:
    """(columns, rows) of the panel grid."""
    cols, rows = GRIDS[per_page]
    return (cols, rows) if orientation == "landscape" else (rows, cols)


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

    # 3. Draw page by page (and the coherence appendix, when asked for and a check was made).
    scenes = project.scenes
    appendix = _coherence(folder) if options.coherence_appendix else None
    total, pages = len(scenes), math.ceil(len(scenes) / options.per_page)
    all_pages = pages + (1 if appendix else 0)
    buffer = io.BytesIO()
    with _binary_streams():
        c = pdfcanvas.Canvas(buffer, pagesize=page, pageCompression=1)
        c.setTitle(fonts.clean(clip(title, 500)))
        c.setCreator("Storyboard Studio")
        c.setSubject("Storyboard")
        for number in range(pages):
            _draw_header(c, page, title, f"Page {number + 1}/{all_pages} · {today}")
            start = number * options.per_page
            for offset, scene in enumerate(scenes[start : start + options.per_page]):
                if cancel is not None:
                    cancel.check()
                _draw_scene(c, cells[offset], scene, folder, options)
                progress(start + offset + 1, total, f"PDF: scene {scene.number}")
            c.showPage()
        if appendix:
            _draw_header(c, page, f"{title} — coherence", f"Page {all_pages}/{all_pages} · {today}")
            _draw_appendix(c, page, *appendix)
            c.showPage()
        c.save()

    # 4. Write atomically.
    atomic_write_bytes(out, buffer.getvalue())
    return out


def _coherence(folder) -> tuple[Path, list[str]] | None:
    """(heatmap, lines) from the last coherence check in the project folder, or None."""
    import json

    report, heat = paths.within(folder, "coherence.json"), paths.within(folder, "coherence.png")
    if report is None or heat is None or not report.is_file() or not heat.is_file():
        return None
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        panels = data["panels"]
    except (ValueError, KeyError, OSError):
        return None
    lines = [f"{len(panels)} panels checked · identity "
             + ("measured with ArcFace" if data.get("identity_measured") else
                f"not measured: {data.get('identity_note', '')}")]
    lines += [f"Scene {p['number']}: {'; '.join(p['reasons'])}" for p in panels if p.get("flagged")]
    return heat, lines


def _draw_appendix(c, page: tuple[float, float], heat: Path, lines: list[str]) -> None:
    width, height = page
    top = height - MARGIN - HEADER
    from reportlab.lib.utils import ImageReader

    image = ImageReader(str(heat))
    iw, ih = image.getSize()
    scale = min((width - 2 * MARGIN) / iw, (top - MARGIN) * 0.6 / ih, 2.0)
    c.drawImage(image, MARGIN, top - ih * scale, iw * scale, ih * scale)
    y = top - ih * scale - 18
    for line in lines[:40]:
        x = MARGIN
        for font, chunk in fonts.split_runs(line[:160]):  # names in any script print, not as boxes
            c.setFont(font, 9)
            c.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, font, 9)
        y -= 12
        if y < MARGIN:
            break


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


def layout_cells(page: tuple[float, float], options: PdfOptions, ratio: float) -> list[Cell]:
    """Cells in reading order, each with a panel frame in `ratio` and room for its caption."""
    cols, rows = grid_shape(options.per_page, options.orientation)
    width, height = page
    cell_w = (width - 2 * MARGIN - GAP_X * (cols - 1)) / cols
    cell_h = (height - 2 * MARGIN - HEADER - GAP_Y * (rows - 1)) / rows
    lines = (
        any((options.show_number, options.show_shot, options.show_duration))
        + 2 * options.show_action
        + 2 * options.show_dialogue
        + options.show_notes
    )
    reserve = lines * BASE_SIZE[options.per_page] * LEADING + (4 if lines else 0)
    frame_w = cell_w
    frame_h = frame_w / ratio
    if frame_h > cell_h - reserve:
        frame_h = max(cell_h - reserve, cell_h * 0.3)
        frame_w = frame_h * ratio
    cells = []
    for row in range(rows):
        for col in range(cols):
            x = MARGIN + col * (cell_w + GAP_X)
            top = height - MARGIN - HEADER - row * (cell_h + GAP_Y)
            frame = (x + (cell_w - frame_w) / 2, top - frame_h, frame_w, frame_h)
            cells.append(Cell(x, cell_w, frame, cell_h - frame_h - 4))
    return cells


def _draw_header(c: pdfcanvas.Canvas, page: tuple[float, float], title: str, right: str) -> None:
    width, height = page
    baseline = height - MARGIN - 14
    right_w = fonts.pdf_width(right, 9)
    _draw_text(c, width - MARGIN - right_w, baseline, right, 9)
    title = _ellipsize(title, 14, width - 2 * MARGIN - right_w - 24, bold=True)
    _draw_text(c, MARGIN, baseline, title, 14, bold=True)
    c.setLineWidth(0.5)
    c.line(MARGIN, baseline - 8, width - MARGIN, baseline - 8)


def _draw_scene(c: pdfcanvas.Canvas, cell: Cell, scene: Scene, folder, options: PdfOptions) -> None:
    """The panel (or an empty labelled frame) and its caption."""
    x, y, w, h = cell.frame
    size = BASE_SIZE[options.per_page]
    path, label = panel_status(folder, scene)
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
        _draw_text(c, x + (w - fonts.pdf_width(label, size)) / 2, y + h / 2 - size / 3, label, size)
        c.setFillGray(0)
    c.setLineWidth(0.75)
    c.rect(x, y, w, h, stroke=1, fill=0)
    _draw_caption(c, cell, scene, options)


def _draw_caption(c: pdfcanvas.Canvas, cell: Cell, scene: Scene, options: PdfOptions) -> None:
    width = cell.width
    header = any((options.show_number, options.show_shot, options.show_duration))
    size, lines = _fit_caption(scene, options, width, cell.caption_h, header)
    if size is None:
        return
    leading = size * LEADING
    baseline = cell.frame[1] - 4 - size
    if header:
        _draw_caption_header(c, cell.x, baseline, width, scene, options, size)
        baseline -= leading
    for line in lines:
        _draw_text(c, cell.x, baseline, line, size)
        baseline -= leading


def _draw_caption_header(
    c: pdfcanvas.Canvas, x: float, y: float, width: float, scene: Scene, options: PdfOptions, size: float
) -> None:
    """ "Scene 2A  MS · low · dolly in" on the left, "3.0 s" on the right."""
    end = x + width
    if options.show_duration:
        right = duration_text(scene.duration_s)
        end -= fonts.pdf_width(right, size)
        _draw_text(c, end, y, right, size)
        end -= size
    if options.show_number:
        number = _ellipsize(f"Scene {scene.number}", size, end - x, bold=True)
        x = _draw_text(c, x, y, number, size, bold=True) + size * 0.6
    if options.show_shot and end - x > size:
        _draw_text(c, x, y, _ellipsize(shot_text(scene), size, end - x), size)


def _fit_caption(scene: Scene, options: PdfOptions, width: float, height: float, header: bool):
    """The largest size whose wrapped lines fit; at the smallest size cut blocks with "…"."""
    texts = _caption_texts(scene, options)
    for factor in SHRINK:
        size = BASE_SIZE[options.per_page] * factor
        capacity = int(height // (size * LEADING)) - header
        blocks = [wrap(text, size, width) for text in texts]
        if capacity >= 0 and sum(map(len, blocks)) <= capacity:
            return size, [line for block in blocks for line in block]
    if capacity < 0:
        return None, []  # no room even for the header line
    return size, _cut(blocks, capacity, size, width)


def _cut(blocks: list[list[str]], capacity: int, size: float, width: float) -> list[str]:
    """Share `capacity` lines: one per block first (action, each dialogue line, notes), then in order."""
    quota = [0] * len(blocks)
    left = capacity
    for fill_all in (False, True):
        for i, block in enumerate(blocks):
            extra = min(len(block) - quota[i] if fill_all else 1, left)
            quota[i] += extra
            left -= extra
    kept: list[str] = []
    for block, count in zip(blocks, quota):
        if count:
            kept.extend(block[:count])
            if count < len(block):
                kept[-1] = _ellipsize(kept[-1], size, width, force=True)
    if kept and not kept[-1].endswith(ELLIPSIS) and quota[-1] == 0:
        kept[-1] = _ellipsize(kept[-1], size, width, force=True)  # whole blocks were dropped
    return kept


def _caption_texts(scene: Scene, options: PdfOptions) -> list[str]:
    """The caption blocks, each cut to what a cell could ever show (long text is not measured in full)."""
    texts = []
    if options.show_action and scene.action.strip():
        texts.append(one_line(scene.action))
    if options.show_dialogue:
        lines = (line for line in scene.dialogue if line.text.strip())
        texts.extend(one_line(format_line(line)) for _, line in zip(range(MAX_BLOCKS), lines))
    if options.show_notes and scene.notes.strip():
        texts.append("Notes: " + one_line(scene.notes))
    return [clip(text) for text in texts[:MAX_BLOCKS]]


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
            cut = _fit_chars(word, size, width, bold)
            lines.append(word[:cut])
            word = word[cut:]
            word_w = fonts.pdf_width(word, size, bold)
        line, line_w = word, word_w
    if line:
        lines.append(line)
    return lines


def _fit_chars(text: str, size: float, width: float, bold: bool, suffix: str = "") -> int:
    """How many leading characters of `text` (plus `suffix`) fit in `width`; at least 1."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fonts.pdf_width(text[:mid] + suffix, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def _ellipsize(text: str, size: float, width: float, bold: bool = False, force: bool = False) -> str:
    """`text` if it fits, else the longest prefix that fits with "…" (always with it if `force`)."""
    text = clip(text)
    if not force and fonts.pdf_width(text, size, bold) <= width:
        return text
    if fonts.pdf_width(text + ELLIPSIS, size, bold) <= width:
        return text + ELLIPSIS
    if len(text) <= 1:
        return ELLIPSIS
    return text[: _fit_chars(text, size, width, bold, ELLIPSIS)].rstrip() + ELLIPSIS


def _draw_text(c: pdfcanvas.Canvas, x: float, y: float, text: str, size: float, bold: bool = False) -> float:
    """Draw `text` run by run from baseline point (x, y); return the end x."""
    for font, chunk in fonts.split_runs(text, bold):
        c.setFont(font, size)
        c.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
    return x
