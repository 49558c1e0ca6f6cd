"""Export the board as Storyboarder scenes, so an artist can draw over the panels there.

Storyboarder (github.com/wonderunit/storyboarder) keeps one scene as a folder
NAME/ holding NAME.storyboarder, a JSON file (UTF-8, read with JSON.parse, so
no byte-order mark), and images/ with the layer PNGs of every board. We write
one such folder per script scene: a run of consecutive shots whose numbers share
the scene part ("4", "4A", "4B" → scene 4).

What its source says about the format (src/js/models/board.js,
src/js/window/main-window.js, src/js/main.js, src/js/exporters/common.js):

- file: version, aspectRatio (a float), fps, defaultBoardTiming (ms), boards.
- board: uid (5 characters of 0-9A-Z), url "board-<n>-<uid>.png" (n = its
  position, from 1), newShot, lastEdited (ms since 1970), layers, number, shot,
  time (start in ms), duration (ms), and the texts dialogue, action, notes.
- layers: {name: {url, opacity}}, url = the board's url with "-<name>" before
  ".png". Drawn bottom to top: shot-generator, reference, fill, tone, pencil,
  ink, notes. An imported image goes on the reference layer; the artist draws
  on fill (the layer selected on open) and those above it.
- images per board: each layer's PNG, "-thumbnail.png" (timeline, 2 x 60 px
  high) and "-posterframe.jpg" (full size). On open it writes placeholders for
  missing layer or thumbnail PNGs (with a warning) and regenerates missing
  posterframes, so we write all three. A file at `url` itself marks a project
  from before layers and gets migrated, so we do not write one.
- boards are 900 px high (900 wide when taller than wide).
- `number`, `shot` and `time` are recomputed from board order, newShot flags and
  durations every time the scene is shown; we write the same values it would.

Storyboarder shows `board.dialogue` as HTML (the timeline caption) in a window
that can run Node code, so "<" and ">" in dialogue become their full-width
forms. Every path is built inside a temp folder beside `out_dir`, which replaces
`out_dir` only when complete.
"""

from __future__ import annotations

import json
import math
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .. import film, paths
from ..dialogue import format_line
from ..errors import ExportError
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project, Scene, scene_part
from ..slug import slugify
from .folders import new_temp_folder, remove, swap_in
from .fonts import clean
from .images import panel_image
from .options import check_panel_folder, one_line, require_scenes, shot_text

STORYBOARDER_VERSION = "3.0.0"  # the release whose file format we write (its package.json)
FPS = 24  # frames per second of a new Storyboarder scene
DEFAULT_BOARD_TIMING = 2000  # ms a board the artist adds lasts (Storyboarder's own default)
BOARD_HEIGHT = 900  # px: a board's height, or its width when it is taller than wide (board.js)
THUMBNAIL_HEIGHT = 60  # px of a timeline thumbnail, stored at twice that
REFERENCE_OPACITY = 1.0  # what Storyboarder gives an imported image; the artist fades it with the layer slider
POSTERFRAME_QUALITY = 92  # the JPEG quality of a browser canvas' toDataURL("image/jpeg")
UID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UID_LENGTH = 5
MARKER = ".storyboard-studio-export"  # marks a folder we made, so a re-export may replace it
HTML_SAFE = str.maketrans({"<": "\uff1c", ">": "\uff1e"})


@dataclass
class SceneRun:
    """One script scene: the shots of one .storyboarder file."""

    part: str  # the scene part of its shot numbers, "4"
    name: str  # its folder and file name (a slug), "scene-4-int-lighthouse-night"
    indices: list[int] = field(default_factory=list)  # positions in project.scenes


def export_storyboarder(
    project: Project,
    folder: str | os.PathLike,
    out_dir: str | os.PathLike,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write one Storyboarder scene folder per script scene into `out_dir` (replaced whole) and return it."""
    # 1. Check input and the destination before any work.
    require_scenes(project)
    check_panel_folder(folder)
    out = check_out_dir(out_dir, folder)
    progress = progress or no_progress

    # 2. Plan: script scenes, board and thumbnail sizes, printed shot numbers.
    ratio = film.ASPECT_RATIOS.get(project.aspect_ratio, 16 / 9)
    size, thumb = board_size(ratio), thumbnail_size(ratio)
    runs = scene_runs(project)
    numbers = project.shot_numbers()
    edited = int(time.time() * 1000)

    # 3. Write every scene into a temp folder beside `out_dir`.
    tmp = new_temp_folder(out)
    try:
        done, total = 0, len(project.scenes)
        for run in runs:
            images = paths.make_folder(tmp, f"{run.name}/images", ExportError)
            boards, start_s, taken = [], 0.0, set()
            for position, index in enumerate(run.indices, start=1):
                if cancel is not None:
                    cancel.check()
                scene = project.scenes[index]
                uid = board_uid(scene.id or str(index), taken)
                end_s = start_s + max(0.0, float(scene.duration_s))
                board = board_entry(scene, numbers[index], position, uid, _ms(start_s), _ms(end_s), edited)
                _write_images(board, panel_image(folder, scene, size, project, numbers[index]), images, thumb)
                boards.append(board)
                start_s = end_s
                done += 1
                progress(done, total, f"Storyboarder: shot {numbers[index]}")
            data = scene_file(ratio, boards)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            _inside(tmp, f"{run.name}/{run.name}.storyboarder").write_bytes(text.encode("utf-8"))

        # 4. Record what was written (a re-export then sees the artist's drawings), swap the new export in; the
        # old one goes only once the new one is in place.
        _inside(tmp, MARKER).write_text(json.dumps({"files": _manifest(tmp)}) + "\n", encoding="utf-8")
        swap_in(tmp, out)
    except BaseException:
        remove(tmp)
        raise
    return out


# -- the plan --------------------------------------------------------------------


def board_size(ratio: float) -> tuple[int, int]:
    """A board's pixel size in Storyboarder: 900 high, or 900 wide when it is taller than wide."""
    if ratio >= 1:
        return math.floor(BOARD_HEIGHT * ratio + 1e-6), BOARD_HEIGHT
    return BOARD_HEIGHT, math.floor(BOARD_HEIGHT / ratio + 1e-6)


def thumbnail_size(ratio: float) -> tuple[int, int]:
    """A timeline thumbnail's pixel size: 60 high and as wide as the ratio says (whole px), stored at 2x."""
    return math.floor(THUMBNAIL_HEIGHT * ratio + 1e-6) * 2, THUMBNAIL_HEIGHT * 2


def scene_runs(project: Project) -> list[SceneRun]:
    """Consecutive shots sharing a scene part, each with a unique slug name from its number and heading."""
    runs: list[SceneRun] = []
    for index, scene in enumerate(project.scenes):
        part = scene_part(scene.number)
        if not runs or runs[-1].part != part:
            runs.append(SceneRun(part=part, name=""))
        runs[-1].indices.append(index)
    taken: set[str] = set()
    for run in runs:
        first = project.scenes[run.indices[0]]
        place = one_line(first.heading) or one_line(first.location)
        base = slugify(f"scene {run.part} {place}"[:200], fallback="scene")
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        run.name = name
    return runs


def board_uid(key: str, taken: set[str]) -> str:
    """A stable 5-character Storyboarder uid (0-9A-Z) from a scene id, unique among `taken` (then added)."""
    attempt = 0
    while True:
        value = zlib.crc32(f"{key}\x00{attempt}".encode()) % len(UID_CHARS) ** UID_LENGTH
        uid = ""
        for _ in range(UID_LENGTH):
            value, digit = divmod(value, len(UID_CHARS))
            uid = UID_CHARS[digit] + uid
        if uid not in taken:
            taken.add(uid)
            return uid
        attempt += 1


def layer_file(url: str, name: str) -> str:
    """Storyboarder's file name of a board's layer, thumbnail ("thumbnail") or posterframe ("posterframe")."""
    stem = url.removesuffix(".png")
    return f"{stem}-posterframe.jpg" if name == "posterframe" else f"{stem}-{name}.png"


def board_entry(scene: Scene, number: str, position: int, uid: str, start_ms: int, end_ms: int,
                edited: int) -> dict:
    """One board of a .storyboarder file: every shot starts a new Storyboarder shot."""
    url = f"board-{position}-{uid}.png"
    board = {
        "uid": uid,
        "url": url,
        "newShot": True,
        "lastEdited": edited,
        "layers": {"reference": {"url": layer_file(url, "reference"), "opacity": REFERENCE_OPACITY}},
        "number": position,
        "shot": f"{position}A",  # what Storyboarder derives: shot count + the board's letter within it
        "time": start_ms,
        "duration": end_ms - start_ms,
    }
    texts = {
        "dialogue": "\n".join(format_line(line) for line in scene.dialogue).translate(HTML_SAFE),
        "action": scene.action.strip(),
        "notes": board_notes(scene, number),
    }
    board.update({key: clean(value) for key, value in texts.items() if value})
    return board


def board_notes(scene: Scene, number: str) -> str:
    """Our printed shot number (Storyboarder numbers shots itself), camera, transition, then the notes."""
    head = " · ".join(part for part in (f"Shot {number}", shot_text(scene)) if part)
    return "\n".join(part for part in (head, scene.transition.strip(), scene.notes.strip()) if part)


def scene_file(ratio: float, boards: list[dict]) -> dict:
    return {
        "version": STORYBOARDER_VERSION,
        "aspectRatio": ratio,
        "fps": FPS,
        "defaultBoardTiming": DEFAULT_BOARD_TIMING,
        "boards": boards,
    }


# -- files -----------------------------------------------------------------------


def check_out_dir(out_dir: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """`out_dir` as a Path if a new export may go there: missing, or a folder an earlier export made (or empty)."""
    out = Path(out_dir)
    if out.is_symlink():
        raise ExportError(f"{out} is a link; give a real folder to export the Storyboarder scenes to")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder; give a folder to export the Storyboarder scenes to")
    if out.is_dir():
        resolved, project = out.resolve(), Path(folder).resolve()
        if project == resolved or project.is_relative_to(resolved):
            raise ExportError(f"{out} holds the project itself; export the Storyboarder scenes to a folder of its own")
        if not (out / MARKER).is_file() and any(out.iterdir()):
            raise ExportError(f"{out} already holds files that are not a Storyboarder export; choose another folder")
        changed = _changed_since_export(out)
        if changed:
            raise ExportError(f"{out} has work done in Storyboarder since it was exported ({changed}); a new export "
                              "would replace it: move that folder away or rename it, then export again")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create the folder {out.parent}: {err.strerror or err}") from None
    return out


def _manifest(root: Path) -> dict[str, list[int]]:
    """{relative path: [size, mtime in ns]} of every file below `root` but the marker."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != MARKER:
            stat = path.stat()
            files[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return files


def _changed_since_export(out: Path) -> str:
    """The first file below `out` added or changed since our export wrote it ("" when none; an empty folder, or a
    marker from before manifests were kept, has none)."""
    try:
        recorded = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    for name, stat in _manifest(out).items():
        if recorded.get(name) != stat:
            return name
    return ""


def _inside(root: Path, relative: str) -> Path:
    """ROOT/RELATIVE, which must lie inside ROOT (our names are slugs, so this is a safety net)."""
    path = paths.within(root, relative)
    if path is None:
        raise ExportError(f"refusing to write {relative!r} outside {root}")
    return path


def _write_images(board: dict, panel: Image.Image, images: Path, thumb: tuple[int, int]) -> None:
    """The reference layer, and the posterframe and thumbnail Storyboarder composites from its layers."""
    url = board["url"]
    panel.save(_inside(images, layer_file(url, "reference")), "PNG", compress_level=3)
    white = Image.new("RGB", panel.size, "white")
    composite = Image.blend(white, panel.convert("RGB"), REFERENCE_OPACITY)
    composite.save(_inside(images, layer_file(url, "posterframe")), "JPEG", quality=POSTERFRAME_QUALITY)
    small = composite.resize(thumb, Image.Resampling.LANCZOS, reducing_gap=3.0)
    small.save(_inside(images, layer_file(url, "thumbnail")), "PNG", compress_level=3)


def _ms(seconds: float) -> int:
    """Whole milliseconds; start times are rounded, so durations (their differences) add up exactly."""
    return round(seconds * 1000)
