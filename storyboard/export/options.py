"""Export options and the small helpers every exporter shares.

The helpers turn scene fields into the text printed on boards and shot lists,
find a scene's panel file (never outside the project folder, never one larger
than the renderer makes) and write output files atomically.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .. import film, paths, store
from ..errors import ExportError
from ..project import Project, Scene
from ..render import PANEL_DIR, out_of_date
from ..slug import slugify

log = logging.getLogger(__name__)

MAX_TEXT = 2000  # characters of one caption text measured; more than any cell shows
PER_PAGE = (1, 2, 3, 6, 9)
ORIENTATIONS = ("landscape", "portrait")
PAGE_SIZES = ("A4", "Letter")


LAYOUTS = ("auto", "grid", "beside")  # auto: text beside the panel for 2 or 3 per landscape page, else grid


@dataclass
class PdfOptions:
    """What a PDF board looks like and which caption fields it shows."""

    per_page: int = 6
    orientation: str = "landscape"
    page_size: str = "A4"
    layout: str = "auto"  # "grid": caption under each panel; "beside": text beside it (Storyboarder's rows)
    cover: bool = False  # a first page with title, author, date, synopsis, shot count and running time
    show_number: bool = True
    show_shot: bool = True
    show_duration: bool = True
    show_location: bool = True  # INT/EXT — location — time of day
    show_action: bool = True
    show_dialogue: bool = True
    show_notes: bool = True
    show_transition: bool = True  # "CUT TO:", right-aligned after the caption
    title_override: str = ""
    coherence_appendix: bool = False  # add a page with the coherence heatmap and flags (from `check`)

    def validate(self) -> None:
        """Raise ExportError naming the first bad option; normalize spelling."""
        if isinstance(self.per_page, bool) or self.per_page not in PER_PAGE:
            allowed = ", ".join(map(str, PER_PAGE))
            raise ExportError(f"panels per page must be one of {allowed}, got {self.per_page!r}")
        orientation = str(self.orientation).strip().lower()
        if orientation not in ORIENTATIONS:
            raise ExportError(f"orientation must be landscape or portrait, got {self.orientation!r}")
        self.orientation = orientation
        size = {s.lower(): s for s in PAGE_SIZES}.get(str(self.page_size).strip().lower())
        if size is None:
            raise ExportError(f"page size must be A4 or Letter, got {self.page_size!r}")
        self.page_size = size
        layout = str(self.layout).strip().lower()
        if layout not in LAYOUTS:
            raise ExportError(f"layout must be auto, grid or beside, got {self.layout!r}")
        self.layout = layout

    @classmethod
    def hiding(cls, fields: list[str], **options) -> PdfOptions:
        """Options with every caption field in `fields` switched off; an unknown field raises ExportError."""
        unknown = [name for name in fields if name not in film.CAPTION_FIELDS]
        if unknown:
            listed = ", ".join(map(repr, unknown))
            raise ExportError(f"unknown caption field {listed}; use {', '.join(film.CAPTION_FIELDS)}")
        return cls(**options, **{f"show_{name}": False for name in fields})

    @property
    def beside(self) -> bool:
        """Whether text goes beside each panel (else under it)."""
        if self.layout == "auto":  # a landscape row of 2 or 3 captioned panels leaves half the page empty
            return self.per_page in (2, 3) and self.orientation == "landscape"
        return self.layout == "beside"


# -- scene text -----------------------------------------------------------------


def shot_text(scene: Scene) -> str:
    """Shot code, angle and move, e.g. "MS · low · dolly in"."""
    return " · ".join(part for part in (scene.shot, scene.angle, scene.move) if part)


def shot_label(code: str) -> str:
    """The human label of a shot code ("MS" → "medium shot")."""
    size = film.SHOT_SIZES.get(code)
    return size.label if size else code


def place_text(scene: Scene) -> str:
    """ "INT. LAMP ROOM — NIGHT", or the heading as written when the scene has no parts."""
    return film.place_line(scene.interior, scene.location, scene.time_of_day) or one_line(scene.heading)


def duration_text(seconds: float) -> str:
    return f"{float(seconds):.1f} s"


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(str(text).split())


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """`text` cut to `limit` characters with "…", so measuring a caption never scales with pasted novels."""
    return text if len(text) <= limit else text[:limit] + "…"


def export_stem(project: Project) -> str:
    """The start of every export's file name, from the title: "The Ferry" → "the-ferry" ("storyboard" untitled)."""
    title = project.title.strip()
    if not title or title.casefold() == "untitled":
        return "storyboard"
    return slugify(title, fallback="storyboard")


def running_time(project: Project) -> float:
    """The board's running time in seconds: the sum of its shots' durations."""
    return sum(float(scene.duration_s) for scene in project.scenes)


def timecode(seconds: float) -> str:
    """"1:05" under an hour, "1:02:05" from an hour on (whole seconds, rounded)."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def panel_warnings(project: Project, folder: str | os.PathLike) -> list[str]:
    """What an export would show that is not a current panel, one line per kind, naming the shots.

    E.g. ["not rendered: shots 3, 5", "out of date: shot 2A"]. Empty when every panel is current.
    """
    numbers = project.shot_numbers()
    problems: dict[str, list[str]] = {}
    for number, scene in zip(numbers, project.scenes):
        path, why = panel_status(folder, scene, project, number)
        if path is None:
            problems.setdefault(why, []).append(number)
    lines = []
    for why, shots in problems.items():
        listed = ", ".join(shots[:12]) + (f" and {len(shots) - 12} more" if len(shots) > 12 else "")
        lines.append(f"{why}: shot{'' if len(shots) == 1 else 's'} {listed}")
    return lines


def require_scenes(project: Project) -> None:
    if not project.scenes:
        raise ExportError("the project has no scenes to export")


# -- files ----------------------------------------------------------------------


def panel_file(folder: str | os.PathLike, scene: Scene) -> Path | None:
    """The scene's panel image if it is an existing file inside `folder`, else None."""
    if scene.panel is None or not scene.panel.path:
        return None
    path = paths.within(folder, scene.panel.path)
    return path if path is not None and path.is_file() else None


def panel_status(
    folder: str | os.PathLike, scene: Scene, project: Project | None = None, number: str | None = None
) -> tuple[Path | None, str]:
    """(the panel file to draw, "") or (None, why there is none) for boards and sheets.

    With the `project`, a panel drawn from other inputs than the scene has now (or showing another shot number
    than `number`) is "out of date" and not drawn: exports show only current panels. A path leading outside the
    project and an image larger than the renderer makes (checked from its header, before decoding) are not
    drawn, with a warning.
    """
    if scene.panel is None or not scene.panel.path:
        return None, "not rendered"
    if project is not None and out_of_date(scene, project, number):
        return None, "out of date"
    path = paths.within(folder, scene.panel.path)
    if path is None:
        log.warning("scene %s: its panel path %r is outside the project folder; not drawn", scene.number,
                    clip(str(scene.panel.path), 120))
        return None, "outside the project"
    if not path.is_file():
        return None, "panel missing"
    size = paths.image_size(path)
    if size is None:
        return None, "panel unreadable"
    if not paths.fits_panel_limits(size):
        log.warning("scene %s: its panel is %dx%d pixels, larger than the renderer makes (%d); not drawn",
                    scene.number, size[0], size[1], paths.MAX_PANEL_SIDE)
        return None, "panel too large"
    return path, ""


def check_panel_folder(folder: str | os.PathLike) -> None:
    """ExportError when the project's panels/ folder is a link leading outside the project.

    Exports read panels only from inside the project, so such a board would come
    out blank; say so instead of writing a board of empty frames.
    """
    link = Path(folder) / PANEL_DIR
    if link.is_symlink() and paths.within(folder, PANEL_DIR) is None:
        raise ExportError(f"{link} is a link to {os.readlink(link)}, outside the project folder; exports read "
                          "panels only from inside the project (make panels/ a real folder)")


def check_destination(out_path: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """Validate an output path: not a folder, and one of `suffixes` (lower case)."""
    path = Path(out_path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name to export to")
    if path.suffix.lower() not in suffixes:
        raise ExportError(f"cannot export to {path.name}: use a {' or '.join(suffixes)} file name")
    return path


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """Stream into a temp file next to `path`, then rename it over `path`.

    The streaming twin of `store.atomic_write_bytes` for outputs too large to
    hold in memory (ZIPs of many panels): readers see the old file or the new
    one, and a failure or cancellation removes the temp file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = store.new_temp(path)  # mode 0666 less the umask, like every file the app writes
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
