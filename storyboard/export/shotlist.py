"""The shot list as CSV: one row per scene, Excel-friendly and formula-safe."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..dialogue import format_line
from ..project import Project, Scene, scene_part
from ..store import atomic_write_bytes
from .fonts import clean
from .options import check_destination, shot_label

COLUMNS = (  # after StudioBinder's shot-list anatomy: where, what the camera does, who, what happens
    "shot",  # the printed shot number: 4B, or 4-2 (the project's numbering)
    "scene",  # the script scene it belongs to: 4
    "heading",
    "int_ext",
    "location",
    "time_of_day",
    "size",  # the shot code: CU
    "size_name",  # close-up
    "angle",
    "move",
    "duration_s",
    "characters",
    "action",
    "dialogue",
    "notes",
    "transition",
    "id",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767  # characters a spreadsheet cell holds (Excel's limit); longer text is cut with "…"


def export_csv(project: Project, out_path: str | os.PathLike) -> Path:
    """Write the shot list (UTF-8 with BOM so Excel detects the encoding)."""
    out = check_destination(out_path, (".csv",))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number, scene in zip(project.shot_numbers(), project.scenes):
        writer.writerow(shot_row(scene, number))
    atomic_write_bytes(out, buffer.getvalue().encode("utf-8-sig"))
    return out


def shot_row(scene: Scene, number: str) -> list[str]:
    """One CSV row for the shot printed as `number`; every text cell is guarded, the numeric duration is not."""
    texts = {
        "shot": number,
        "scene": scene_part(scene.number),
        "id": scene.id,
        "heading": scene.heading,
        "int_ext": scene.interior,
        "location": scene.location,
        "time_of_day": scene.time_of_day,
        "size": scene.shot,
        "size_name": shot_label(scene.shot),
        "angle": scene.angle,
        "move": scene.move,
        "characters": "; ".join(scene.characters),
        "action": scene.action.strip(),
        "dialogue": " / ".join(format_line(line) for line in scene.dialogue),
        "transition": scene.transition,
        "notes": scene.notes.strip(),
    }
    row = {name: safe_cell(value) for name, value in texts.items()}
    row["duration_s"] = f"{float(scene.duration_s):g}"
    return [row[name] for name in COLUMNS]


def safe_cell(value: object) -> str:
    """Text a spreadsheet reads as typed: NUL and lone surrogates go, formulas (=, +, -, @) get an apostrophe
    in front, and a cell longer than a spreadsheet holds is cut with "…"."""
    text = clean(str(value)).replace("\x00", "")
    text = "'" + text if text.startswith(FORMULA_START) else text
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
