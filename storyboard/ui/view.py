"""What the app shows of a project: plain data, no gradio (so it is unit-tested).

`View.of(project, folder, selected)` computes everything the tabs display; the
app turns it into component updates in one place (app.py). The shot list's
thumbnails are small JPEGs inlined as data: URIs, so the table names no file.
"""

from __future__ import annotations

import base64
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import film
from ..dialogue import format_lines
from ..editing import SceneEdit
from ..project import Project, Scene

TABLE_COLUMNS = ["panel", "#", "shot", "angle", "move", "sec", "characters", "where / when", "action", "dialogue",
                 "lock"]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class SceneForm:
    """The scene form: which scene, and its fields as the user edits them (an editing.SceneEdit)."""

    id: str = ""
    heading: str = "No scene selected"
    locked: bool = False
    seed: int = 0
    values: SceneEdit = field(default_factory=lambda: SceneEdit(shot="MS", angle="eye level", move="static",
                                                                duration_s="3.0", characters=[]))

    @classmethod
    def of(cls, scene: Scene | None) -> SceneForm:
        if scene is None:
            return cls()
        where = " — ".join(p for p in (scene.location, scene.time_of_day) if p)
        values = SceneEdit(
            shot=scene.shot, angle=scene.angle, move=scene.move, duration_s=f"{scene.duration_s:g}",
            characters=list(scene.characters), interior=scene.interior, location=scene.location,
            time_of_day=scene.time_of_day, action=scene.action, dialogue=format_lines(scene.dialogue),
            transition=scene.transition, notes=scene.notes, prompt=scene.prompt,
        )
        heading = f"Scene {scene.number}" + (f" · {where}" if where else "")
        return cls(id=scene.id, heading=heading, locked=scene.locked, seed=scene.seed, values=values)


@dataclass
class View:
    has_project: bool = False
    title: str = ""
    status: str = "No board yet: write or load a story, then press **Plan**."
    table: list[list] = field(default_factory=list)
    scene_choices: list[tuple[str, str]] = field(default_factory=list)  # (label, id)
    selected: str = ""
    form: SceneForm = field(default_factory=SceneForm)
    gallery: list[tuple[str, str]] = field(default_factory=list)  # (image path, caption)
    gallery_ids: list[str] = field(default_factory=list)  # scene id of each gallery item
    cast_table: list[list] = field(default_factory=list)
    cast_names: list[str] = field(default_factory=list)
    cast_choices: list[tuple[str, str]] = field(default_factory=list)  # ("Mara Lin — 12 shots", "Mara Lin")
    synopsis: str = ""  # the text the board was planned from (the Story box after a reload)
    locked_ids: list[str] = field(default_factory=list)  # scenes whose panel is locked (frozen)
    stale_ids: list[str] = field(default_factory=list)  # scenes whose panel was drawn from other inputs

    def locked_kept(self, scene_ids: list[str] | None = None) -> int:
        """How many locked panels a render of these scenes (None: all) kept as they are."""
        return sum(1 for sid in self.locked_ids if scene_ids is None or sid in scene_ids)

    def selected_panel(self) -> str:
        """The file of the selected scene's panel ('' when it has none)."""
        return next((path for (path, _), sid in zip(self.gallery, self.gallery_ids) if sid == self.selected), "")

    @classmethod
    def of(cls, project: Project | None, folder: Path, selected: str = "") -> View:
        if project is None or not project.scenes:
            return cls()
        from ..render import out_of_date  # noqa: PLC0415  (the render package: only once there is a board)

        ids = [s.id for s in project.scenes]
        selected = selected if selected in ids else ids[0]
        rendered = sum(1 for s in project.scenes if s.panel)
        runtime = sum(s.duration_s for s in project.scenes)
        view = cls(
            has_project=True,
            title=project.title,
            status=(f"**{project.title}** · {len(project.scenes)} scenes · {len(project.characters)} characters · "
                    f"{rendered} rendered · {runtime:.0f} s · {project.aspect_ratio}"),
            selected=selected,
            form=SceneForm.of(next(s for s in project.scenes if s.id == selected)),
            cast_names=[c.name for c in project.characters],
            synopsis=project.synopsis,
        )
        for scene in project.scenes:
            thumb = panel_path(folder, scene)
            uri = thumbnail_uri(thumb) if thumb else ""
            stale = bool(thumb) and out_of_date(scene, project)
            view.stale_ids += [scene.id] if stale else []
            view.locked_ids += [scene.id] if scene.locked and scene.panel is not None else []
            marks = (" 🔒" if scene.locked else "") + (" ⚠ out of date" if stale else "")
            view.table.append([
                f"![{scene.number}]({uri})" if uri else "—",
                scene.number, scene.shot, scene.angle, scene.move, scene.duration_s, ", ".join(scene.characters),
                " — ".join(p for p in (scene.location, scene.time_of_day) if p), _short(scene.action),
                _short(" / ".join(f"{d.character}: {d.text}" for d in scene.dialogue)), marks.strip(),
            ])
            view.scene_choices.append((f"{scene.number} · {scene.shot} · {_short(scene.action, 40)}", scene.id))
            if thumb:
                view.gallery.append((thumb, f"{scene.number} · {scene.shot}" + marks))
                view.gallery_ids.append(scene.id)
        if view.stale_ids:
            n = len(view.stale_ids)
            view.status += f" · ⚠ {n} panel{'s' if n != 1 else ''} out of date — **Render** to update"
        counts = shot_counts(project)
        view.cast_table = [[c.name, c.description, shots(counts[c.name]), c.trigger, c.lora or "—"]
                           for c in project.characters]
        view.cast_choices = [(f"{c.name} — {shots(counts[c.name])}", c.name) for c in project.characters]
        return view


def shot_counts(project: Project) -> dict[str, int]:
    """In how many shots each character of the cast is on screen."""
    counts = {c.name: 0 for c in project.characters}
    for scene in project.scenes:
        for name in set(scene.characters):
            if name in counts:
                counts[name] += 1
    return counts


def shots(count: int) -> str:
    return f"{count} shot" if count == 1 else f"{count} shots"


def panel_path(folder: Path, scene: Scene) -> str:
    from ..paths import within

    if scene.panel is None:
        return ""
    path = within(folder, scene.panel.path)
    return str(path) if path is not None and path.is_file() else ""


def thumbnail_uri(path: str) -> str:
    """A small JPEG of the panel as a data: URI, so the table names no file a browser could fetch."""
    try:
        stat = Path(path).stat()
    except OSError:
        return ""
    return _thumbnail(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)  # ~3 kB each; keyed by the file's time and size, so a redraw is a new entry
def _thumbnail(path: str, mtime_ns: int, size: int) -> str:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.draft("RGB", THUMB_SIZE)
            image.thumbnail(THUMB_SIZE)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=75)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


THUMB_SIZE = (160, 120)
SHOTS = list(film.SHOT_SIZES)
ANGLES = list(film.ANGLES)
MOVES = list(film.MOVES)
