"""Where panels and their text go on a PDF page.

Two layouts share one `Cell` shape:
- grid: the caption sits under its panel, aligned with the panel's edges;
- beside: the text sits to the right of its panel, top-aligned with it (Storyboarder's row style; the
  "auto" layout uses it for 2 and 3 per landscape page, where a grid left the lower half of the page empty).
Coordinates are PDF points from the bottom-left corner of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape, letter, portrait

from .options import PdfOptions

GRIDS = {1: (1, 1), 2: (2, 1), 3: (3, 1), 6: (3, 2), 9: (3, 3)}  # (columns, rows) in landscape
ROWS = {  # (columns, rows) of the beside layout: each cell is one panel with its text to the right
    "landscape": {1: (1, 1), 2: (1, 2), 3: (1, 3), 6: (2, 3), 9: (3, 3)},
    "portrait": {1: (1, 1), 2: (1, 2), 3: (1, 3), 6: (1, 6), 9: (1, 9)},
}
BASE_SIZE = {1: 11.0, 2: 10.0, 3: 9.0, 6: 8.0, 9: 7.0}  # caption font size, points
LEADING = 1.2
MARGIN, HEADER, GAP_X, GAP_Y = 28.0, 30.0, 14.0, 12.0
TEXT_GAP = 10.0  # between a panel and its text beside it
MIN_TEXT_SHARE = 0.36  # the beside layout keeps at least this share of a cell's width for text
RESERVED_LINES = 6  # caption lines a grid keeps room for at most; longer captions shrink, then cut with "…"


@dataclass(frozen=True)
class Cell:
    """One panel's place on a page: its frame and the box its text fills."""

    frame: tuple[float, float, float, float]  # panel x, y (bottom), width, height
    text: tuple[float, float, float, float]  # text box x, top, width, height (lines go down from top)

    @property
    def bottom(self) -> float:
        """The lowest y the cell may use."""
        return min(self.frame[1], self.text[1] - self.text[3])


def page_dimensions(options: PdfOptions) -> tuple[float, float]:
    """(width, height) of a page in points."""
    base = {"A4": A4, "Letter": letter}[options.page_size]
    return landscape(base) if options.orientation == "landscape" else portrait(base)


def grid_shape(options: PdfOptions) -> tuple[int, int]:
    """(columns, rows) of the cells on a page."""
    if options.beside:
        return ROWS[options.orientation][options.per_page]
    cols, rows = GRIDS[options.per_page]
    return (cols, rows) if options.orientation == "landscape" else (rows, cols)


def caption_lines(options: PdfOptions) -> int:
    """How many caption lines a grid cell keeps room for under its panel."""
    return (
        any((options.show_number, options.show_shot, options.show_duration))
        + options.show_location
        + 2 * options.show_action
        + 2 * options.show_dialogue
        + options.show_notes
        + options.show_transition
    )


def layout_cells(page: tuple[float, float], options: PdfOptions, ratio: float) -> list[Cell]:
    """The cells of one page in reading order, each panel frame in `ratio` (width / height)."""
    cols, rows = grid_shape(options)
    width, height = page
    cell_w = (width - 2 * MARGIN - GAP_X * (cols - 1)) / cols
    cell_h = (height - 2 * MARGIN - HEADER - GAP_Y * (rows - 1)) / rows
    place = _beside if options.beside else _under
    cells = []
    for row in range(rows):
        for col in range(cols):
            x = MARGIN + col * (cell_w + GAP_X)
            top = height - MARGIN - HEADER - row * (cell_h + GAP_Y)
            cells.append(place(x, top, cell_w, cell_h, ratio, options))
    return cells


def _under(x: float, top: float, cell_w: float, cell_h: float, ratio: float, options: PdfOptions) -> Cell:
    """The panel as wide as the cell allows with its caption's lines reserved below; caption aligned to it."""
    lines = min(caption_lines(options), RESERVED_LINES)
    reserve = lines * BASE_SIZE[options.per_page] * LEADING + (4 if lines else 0)
    frame_w = cell_w
    frame_h = frame_w / ratio
    if frame_h > cell_h - reserve:
        frame_h = max(cell_h - reserve, cell_h * 0.3)
        frame_w = frame_h * ratio
    left = x + (cell_w - frame_w) / 2
    frame = (left, top - frame_h, frame_w, frame_h)
    return Cell(frame, (left, top - frame_h - 4, frame_w, cell_h - frame_h - 4))


def _beside(x: float, top: float, cell_w: float, cell_h: float, ratio: float, options: PdfOptions) -> Cell:
    """The panel at the cell's left, as tall as the cell allows; the text fills the rest of the row."""
    frame_w = min(cell_h * ratio, cell_w * (1 - MIN_TEXT_SHARE) - TEXT_GAP)
    frame_h = frame_w / ratio
    frame = (x, top - frame_h, frame_w, frame_h)
    text_x = x + frame_w + TEXT_GAP
    return Cell(frame, (text_x, top, x + cell_w - text_x, cell_h))
