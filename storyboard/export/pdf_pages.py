"""The pages around the panels: the cover and the coherence appendix (the last `check`)."""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as pdfcanvas

from .. import film, paths
from ..project import Project, scene_part
from .options import clip, one_line, panel_status, running_time, timecode
from .pdf_layout import HEADER, MARGIN
from .pdf_text import draw_text, ellipsize, wrap

COVER_TITLE, COVER_TEXT = 30.0, 11.0  # font sizes, points
MAX_SYNOPSIS = 4000  # characters of a synopsis measured for the cover
KEY_PANELS = 4  # panels shown along the foot of the cover


def scene_count(project: Project) -> int:
    """How many script scenes the shots belong to (runs of shots sharing a scene number)."""
    parts = [scene_part(scene.number) for scene in project.scenes]
    return sum(1 for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])


def draw_cover(
    c: pdfcanvas.Canvas, page: tuple[float, float], project: Project, folder, title: str, today: str
) -> None:
    """Title, author or studio, date, shot and scene counts, running time, the synopsis (prose only) and a
    row of the first panels."""
    width, height = page
    strip_top = _draw_key_panels(c, page, project, folder)
    text_w = width - 4 * MARGIN
    left, y = 2 * MARGIN, height - 3 * MARGIN - COVER_TITLE
    for line in wrap(clip(one_line(title), 300), COVER_TITLE, text_w, bold=True)[:3]:
        draw_text(c, left, y, line, COVER_TITLE, bold=True)
        y -= COVER_TITLE * 1.2
    y -= COVER_TEXT * 0.6
    c.setFillGray(0.3)
    for line in (project.author.strip(), today):
        if line:
            draw_text(c, left, y, ellipsize(one_line(line), COVER_TEXT * 1.3, text_w), COVER_TEXT * 1.3)
            y -= COVER_TEXT * 1.3 * 1.4
    c.setFillGray(0)
    y -= COVER_TEXT
    c.setLineWidth(0.75)
    c.line(left, y + COVER_TEXT, width - 2 * MARGIN, y + COVER_TEXT)
    shots, scenes = len(project.scenes), scene_count(project)
    facts = (f"{shots} shot{'s' * (shots != 1)} · {scenes} scene{'s' * (scenes != 1)} · "
             f"running time {timecode(running_time(project))} · {project.aspect_ratio}")
    y -= COVER_TEXT * 0.8
    draw_text(c, left, y, facts, COVER_TEXT, bold=True)
    y -= COVER_TEXT * 2.4
    synopsis = project.synopsis.strip() if project.source_format != "screenplay" else ""
    first, _, rest = synopsis.partition("\n")
    if first.strip() == project.title.strip():
        synopsis = rest.strip()  # the story's own title line is printed above already
    if synopsis:
        _draw_synopsis(c, left, y, strip_top + COVER_TEXT, text_w, synopsis)


def _draw_key_panels(c: pdfcanvas.Canvas, page: tuple[float, float], project: Project, folder) -> float:
    """Up to four of the first drawable panels in a row at the foot of the cover; returns the row's top."""
    width, _ = page
    found = []
    for scene in project.scenes:
        path, _ = panel_status(folder, scene, project)
        if path is not None:
            found.append(path)
            if len(found) == KEY_PANELS:
                break
    if not found:
        return 2 * MARGIN
    ratio = film.ASPECT_RATIOS.get(project.aspect_ratio, 16 / 9)
    gap = 10.0
    panel_w = (width - 4 * MARGIN - gap * (KEY_PANELS - 1)) / KEY_PANELS
    panel_h = min(panel_w / ratio, page[1] * 0.22)
    panel_w = panel_h * ratio
    x, y = 2 * MARGIN, 2 * MARGIN
    for path in found:
        try:
            c.drawImage(str(path), x, y, panel_w, panel_h, preserveAspectRatio=True, anchor="c")
        except Exception:  # unreadable or corrupt image: reportlab and PIL raise many kinds
            continue
        c.setLineWidth(0.5)
        c.rect(x, y, panel_w, panel_h, stroke=1, fill=0)
        x += panel_w + gap
    return y + panel_h


def _draw_synopsis(c: pdfcanvas.Canvas, left: float, top: float, bottom: float, width: float, synopsis: str) -> None:
    """The synopsis paragraph by paragraph, cut with "…" above `bottom`."""
    size, leading = COVER_TEXT, COVER_TEXT * 1.35
    room = int((top - bottom) // leading)
    if room <= 0:
        return
    lines: list[str] = []
    for paragraph in clip(synopsis, MAX_SYNOPSIS).split("\n\n"):
        if paragraph.strip():
            lines.extend(wrap(one_line(paragraph), size, width))
            lines.append("")
    lines = lines[:-1]
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = ellipsize(lines[-1], size, width, force=True)
    y = top
    for line in lines:
        draw_text(c, left, y, line, size)
        y -= leading


def coherence_page(folder) -> tuple[Path, list[str]] | None:
    """(heatmap, lines) from the last coherence check in the project folder, or None."""
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


def draw_appendix(c: pdfcanvas.Canvas, page: tuple[float, float], heat: Path, lines: list[str]) -> None:
    width, height = page
    top = height - MARGIN - HEADER
    image = ImageReader(str(heat))
    iw, ih = image.getSize()
    scale = min((width - 2 * MARGIN) / iw, (top - MARGIN) * 0.6 / ih, 2.0)
    c.drawImage(image, MARGIN, top - ih * scale, iw * scale, ih * scale)
    y = top - ih * scale - 18
    for line in lines[:40]:
        draw_text(c, MARGIN, y, line[:160], 9)  # names in any script print, not as boxes
        y -= 12
        if y < MARGIN:
            break


