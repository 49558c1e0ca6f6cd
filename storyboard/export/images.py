"""Image exports (a one-row strip, a contact sheet) and the project ZIP.

Unrendered scenes and missing, unreadable or oversized panel files (and paths
leading outside the project) become a light grey placeholder with the scene
number, so an export never fails on one bad panel. Caption text is cut before
it is measured, so a scene holding a novel still exports.
"""

from __future__ import annotations

import io
import math
import os
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw

from .. import film
from ..errors import ExportError
from ..project import Project, Scene
from ..store import PROJECT_FILE, atomic_write_bytes, dumps
from . import fonts
from .options import (
    atomic_output,
    check_destination,
    check_panel_folder,
    clip,
    one_line,
    panel_file,
    panel_status,
    require_scenes,
    shot_text,
)

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
MAX_SIDE = {"PNG": 2**31 - 1, "JPEG": 65_500, "WEBP": 16_383}
MAX_PIXELS = 250_000_000  # about 750 MB of RGB in memory
STRIP_MAX_WIDTH, STRIP_MIN_HEIGHT = 60_000, 48
PLACEHOLDER, BORDER, INK, MUTED = (228, 228, 228), (170, 170, 170), (20, 20, 20), (110, 110, 110)
COMPRESSED = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".zip", ".gz", ".mp4"}
ELLIPSIS = "…"


def export_strip(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    height: int = 270,
    gap: int = 12,
    labels: bool = True,
) -> Path:
    """All panels in one row, each with its scene number under it."""
    # 1. Check input; shrink big boards so the row stays at most 60000 px wide.
    require_scenes(project)
    out = check_destination(out_path, tuple(FORMATS))
    check_panel_folder(folder)
    _check_int("strip height", height, STRIP_MIN_HEIGHT, 4096)
    _check_int("gap", gap, 0, 512)
    ratio = _ratio(project)
    count = len(project.scenes)
    height, gap = strip_size(count, ratio, height, gap)
    panel_w = max(1, round(height * ratio))
    size = min(36, max(10, round(height * 0.09)))
    label_h = round(size * 1.6) if labels else 0

    # 2. Paste panels left to right, numbers centred under them.
    sheet = _blank(out, gap + count * (panel_w + gap), 2 * gap + height + label_h)
    draw = ImageDraw.Draw(sheet)
    for i, (number, scene) in enumerate(zip(project.shot_numbers(), project.scenes)):
        x = gap + i * (panel_w + gap)
        sheet.paste(panel_image(folder, scene, (panel_w, height), project, number), (x, gap))
        if labels:
            text = _fit(number, size, panel_w, bold=True)
            left = x + (panel_w - fonts.text_width(text, size, bold=True)) / 2
            fonts.draw_text_with_fallback(draw, (left, gap + height + size * 0.3), text, size, INK, bold=True)
    return _save(sheet, out)


def strip_size(count: int, ratio: float, height: int, gap: int) -> tuple[int, int]:
    """(height, gap) scaled down together so `count` panels fit the width cap (height ≥ 48)."""

    def width(h: int, g: int) -> int:
        return g + count * (max(1, round(h * ratio)) + g)

    full = width(height, gap)
    if full <= STRIP_MAX_WIDTH:
        return height, gap
    scale = STRIP_MAX_WIDTH / full
    new_gap = max(min(gap, 1), math.floor(gap * scale))
    new_height = max(STRIP_MIN_HEIGHT, math.floor(height * scale))
    while new_height > STRIP_MIN_HEIGHT and width(new_height, new_gap) > STRIP_MAX_WIDTH:
        new_height -= 1
    return new_height, new_gap


def export_grid(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    columns: int = 4,
    cell_width: int = 480,
    captions: bool = True,
) -> Path:
    """A contact sheet: panels in rows of `columns`, number, shot and action under each."""
    # 1. Check input and size the cells.
    require_scenes(project)
    out = check_destination(out_path, tuple(FORMATS))
    check_panel_folder(folder)
    _check_int("columns", columns, 1, 64)
    _check_int("cell width", cell_width, 64, 4096)
    count = len(project.scenes)
    panel_h = max(1, round(cell_width / _ratio(project)))
    size = max(11, round(cell_width / 32))
    leading = round(size * 1.35)
    caption_h = 2 * leading + size // 2 if captions else 0
    pad = max(8, cell_width // 24)
    cols = min(columns, count)
    rows = math.ceil(count / cols)
    width, height = pad + cols * (cell_width + pad), pad + rows * (panel_h + caption_h + pad)

    # 2. Paste each panel with a frame and its two caption lines.
    sheet = _blank(out, width, height)
    draw = ImageDraw.Draw(sheet)
    for i, (number, scene) in enumerate(zip(project.shot_numbers(), project.scenes)):
        x = pad + (i % cols) * (cell_width + pad)
        y = pad + (i // cols) * (panel_h + caption_h + pad)
        sheet.paste(panel_image(folder, scene, (cell_width, panel_h), project, number), (x, y))
        draw.rectangle((x, y, x + cell_width - 1, y + panel_h - 1), outline=BORDER)
        if captions:
            top = y + panel_h + size // 3
            head = _fit(f"{number}  {shot_text(scene)}", size, cell_width, bold=True)
            fonts.draw_text_with_fallback(draw, (x, top), head, size, INK, bold=True)
            action = _fit(one_line(scene.action), size, cell_width)
            fonts.draw_text_with_fallback(draw, (x, top + leading), action, size, MUTED)
    return _save(sheet, out)


def export_zip(
    project: Project,
    folder: str | os.PathLike,
    out_path: str | os.PathLike,
    extra: list[Path] | None = None,
) -> Path:
    """project.json, the panel files under their relative paths and `extra` files or folders under exports/.

    A folder goes in with every regular file below it (links are not followed, so nothing outside it is read).
    """
    out = check_destination(out_path, (".zip",))
    check_panel_folder(folder)
    extras = [Path(item) for item in extra or []]
    for item in extras:
        if item.is_symlink() or not (item.is_file() or item.is_dir()):
            raise ExportError(f"cannot add {item} to the ZIP: no such file or folder")
    with atomic_output(out) as handle, zipfile.ZipFile(handle, "w", strict_timestamps=False) as archive:
        archive.writestr(PROJECT_FILE, dumps(project), compress_type=zipfile.ZIP_DEFLATED)
        names = {PROJECT_FILE}
        for scene in project.scenes:
            path = panel_file(folder, scene)
            if path is None:
                continue
            name = member_name(scene.panel.path) or f"panels/{_safe_file_name(path.name)}"
            if name not in names:
                names.add(name)
                archive.write(path, name, compress_type=_compression(path))
        for item in extras:
            for path, relative in _files_of(item):
                if path.resolve() == out.resolve():
                    continue
                name = _unique(f"exports/{relative}", names)
                names.add(name)
                archive.write(path, name, compress_type=_compression(path))
    return out


def zip_folder(item: Path) -> Path:
    """A ZIP beside folder `item` (ITEM.zip) holding it with every regular file below it, for one download."""
    out = item.with_name(item.name + ".zip")
    with atomic_output(out) as handle, zipfile.ZipFile(handle, "w", strict_timestamps=False) as archive:
        for path, name in _files_of(item):
            archive.write(path, name, compress_type=_compression(path))
    return out


def _files_of(item: Path) -> Iterator[tuple[Path, str]]:
    """(file, its name in the ZIP) for a file, or for every regular file below a folder, in a stable order."""
    if item.is_file():
        yield item, _safe_file_name(item.name)
        return
    top = _safe_file_name(item.name)
    for root, dirs, files in os.walk(item):  # does not follow links to folders
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                parts = path.relative_to(item).parts
                yield path, "/".join([top, *(_safe_file_name(part) for part in parts)])


def member_name(path: str) -> str | None:
    """A normalized relative POSIX name for `path`, or None if it could escape the ZIP root."""
    name = posixpath.normpath(str(path).replace("\\", "/"))
    parts = name.split("/")
    if name.startswith("/") or ":" in parts[0] or ".." in parts or name in ("", "."):
        return None
    return name


def panel_image(
    folder: str | os.PathLike, scene: Scene, size: tuple[int, int], project: Project, number: str | None = None
) -> Image.Image:
    """The scene's current panel fitted and centred in `size` (RGB), or a placeholder with its printed shot
    `number` (default: the project's) saying why not (not rendered, out of date, missing …)."""
    number = number or project.shot_number(scene)
    path, note = panel_status(folder, scene, project, number)
    if path is not None:
        try:
            with Image.open(path) as source:
                source.draft("RGB", size)  # fast JPEG downscale; a no-op for PNG
                fitted = _fit_image(source, size)
            tile = Image.new("RGB", size, "white")
            mask = fitted if fitted.mode in ("LA", "RGBA") else None
            tile.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2), mask)
            return tile
        except Exception:  # unreadable or truncated image: PIL raises many kinds
            note = "panel unreadable"
    return placeholder(number, size, note)


def _fit_image(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` scaled to fit inside `size`, keeping its aspect ratio and any transparency."""
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA")
    scale = min(size[0] / image.width, size[1] / image.height)
    target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def placeholder(number: str, size: tuple[int, int], note: str) -> Image.Image:
    """A light grey tile with the shot number (and `note` when there is room)."""
    tile = Image.new("RGB", size, PLACEHOLDER)
    draw = ImageDraw.Draw(tile)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=BORDER)
    big = max(8, min(size[1] // 4, size[0] // 4))
    number = _fit(number, big, size[0] - 4, bold=True)
    small = max(8, big // 3)
    show_note = size[1] >= 4 * small + big
    top = (size[1] - big - (small * 1.5 if show_note else 0)) / 2
    left = (size[0] - fonts.text_width(number, big, bold=True)) / 2
    fonts.draw_text_with_fallback(draw, (left, top), number, big, MUTED, bold=True)
    if show_note:
        note = _fit(note, small, size[0] - 4)
        left = (size[0] - fonts.text_width(note, small)) / 2
        fonts.draw_text_with_fallback(draw, (left, top + big * 1.3), note, small, MUTED)
    return tile


# -- helpers ---------------------------------------------------------------------


def _ratio(project: Project) -> float:
    return film.ASPECT_RATIOS.get(project.aspect_ratio, 16 / 9)


def _check_int(what: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ExportError(f"{what} must be a whole number from {low} to {high}, got {value!r}")


def _fit(text: str, size: int, width: float, bold: bool = False) -> str:
    """`text`, cut with "…" to fit `width` pixels."""
    text = clip(text)
    if fonts.text_width(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fonts.text_width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def _blank(out: Path, width: int, height: int) -> Image.Image:
    """A white canvas, after checking the size suits memory and the output format."""
    kind = FORMATS[out.suffix.lower()]
    if width * height > MAX_PIXELS:
        raise ExportError(f"the image would be {width}x{height} pixels; use smaller panels or a PDF")
    if max(width, height) > MAX_SIDE[kind]:
        raise ExportError(f"the image would be {width}x{height} pixels, too large for {kind}; save as PNG")
    return Image.new("RGB", (width, height), "white")


def _save(image: Image.Image, out: Path) -> Path:
    kind = FORMATS[out.suffix.lower()]
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"compress_level": 3} if kind == "PNG" else {"quality": 90}))
    atomic_write_bytes(out, buffer.getvalue())
    return out


def _compression(path: Path) -> int:
    return zipfile.ZIP_STORED if path.suffix.lower() in COMPRESSED else zipfile.ZIP_DEFLATED


def _safe_file_name(name: str) -> str:
    cleaned = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "_" for ch in name)
    cleaned = cleaned.strip(" .")
    return cleaned or "file"


def _unique(name: str, taken: set[str]) -> str:
    stem, suffix = posixpath.splitext(name)
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    return candidate
