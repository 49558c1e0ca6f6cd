"""Rendering panels for a project's scenes, skipping what is up to date.

`render_scenes` is the stage function the CLI and the app call. Each panel is
written atomically as panels/<number>-<id>.png with its provenance in the PNG
text metadata and in project.json (scene.panel). A panel whose inputs did not
change (same fingerprint) is not drawn again; a locked panel is never redrawn
(not even when its scene is named). The project is saved every few panels, so a cancel or a crash
keeps the finished work. Every file written or deleted lies directly in the
project's own panels/ folder (a panels/ link leading out is refused, whatever
the scene ids hold), and a file another scene points at is never replaced or
deleted.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import film, paths, store
from ..errors import RenderError
from ..layout import blueprint
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Panel, Project, Scene
from . import base

log = logging.getLogger(__name__)

PANEL_DIR = "panels"
DEFAULT_LONG_SIDE = {"sketch": 960, "diffusion": 768}  # SD 1.5 composes best near its 512–768 training sizes
SAVE_EVERY = 25
NUMBER_SETTING = "shot_number"  # the printed number a panel shows, in its settings (renderers that draw it)


def panel_filename(scene: Scene) -> str:
    """panels/sc<number>-<id>.png, built only from letters, digits, "-" and "_" whatever the scene holds."""
    number = re.sub(r"[^0-9A-Za-z]", "", str(scene.number)) or "x"
    digits = re.match(r"\d*", number).group(0)
    number = digits.zfill(3) + number[len(digits) :] if digits else number
    return f"{PANEL_DIR}/sc{number[:16]}-{_safe_id(str(scene.id))}.png"


def _safe_id(ident: str) -> str:
    """The id itself when it is plain (s0001); else its plain characters and a hash, so ids stay apart."""
    if re.fullmatch(r"[0-9A-Za-z_-]{1,40}", ident):
        return ident
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    kept = re.sub(r"[^0-9A-Za-z_-]", "", ident)[:24]
    return f"{kept}-{digest}" if kept else digest


CAPTION_ONLY = ("duration_s", "transition", "notes")  # printed beside the panel, never drawn in it


def _board_part(scene: Scene, project: Project, legacy: bool = False) -> list:
    """What the board decides of a panel: the scene (less what only its caption shows), its cast, the aspect ratio,
    the style and the characters' sides in its script scene. `legacy`: as panels drawn before kept it (with the
    caption-only fields, without the sides)."""
    fields = asdict(scene)
    for name in ("panel", "locked", *(() if legacy else CAPTION_ONLY)):
        fields.pop(name, None)
    cast = [
        (c.name, project.tone(c.name), c.description, c.lora, c.trigger)
        for c in project.characters
        if c.name in scene.characters
    ]
    part = [project.aspect_ratio, project.style, project.negative_prompt, fields, cast]
    if not legacy:  # the sides of the frame its script scene gives each character (the 180° rule)
        from ..layout import screen_sides

        part.append(screen_sides(scene, project))
    return part


def _digest(payload: list) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:20]


def fingerprint(
    scene: Scene, project: Project, renderer: base.Renderer, size: tuple[int, int], settings: dict[str, Any]
) -> str:
    """Hash of everything that decides the panel's pixels."""
    return _digest([renderer.name, renderer.version, size, *_board_part(scene, project), settings])


def _legacy_fingerprint(
    scene: Scene, project: Project, renderer: base.Renderer, size: tuple[int, int], settings: dict[str, Any]
) -> str:
    return _digest([renderer.name, renderer.version, size, *_board_part(scene, project, legacy=True), settings])


def inputs_digest(scene: Scene, project: Project, legacy: bool = False) -> str:
    """Hash of the board's part of a panel's inputs (whatever the renderer): a panel whose `inputs` differ is out of
    date (the scene, a character's description or LoRA, the aspect ratio or the style changed since). A new
    duration, transition or note is not: the caption shows those, the panel does not."""
    return _digest(_board_part(scene, project, legacy))


def out_of_date(scene: Scene, project: Project, number: str | None = None) -> bool:
    """The scene has a panel drawn from other inputs than it has now (panels from before this was kept: never),
    or one showing another shot number than it prints now (`number`, else computed)."""
    panel = scene.panel
    if panel is None:
        return False
    shown = panel.settings.get(NUMBER_SETTING)
    if shown is not None and shown != (number if number is not None else project.shot_number(scene)):
        return True
    if not panel.inputs or panel.inputs == inputs_digest(scene, project):
        return False
    return panel.inputs != inputs_digest(scene, project, legacy=True)  # a panel drawn before CAPTION_ONLY


def number_settings(renderer: base.Renderer, scene: Scene, project: Project) -> dict[str, str]:
    """{"shot_number": "4-2"} for a renderer that draws the printed number into the panel, else {}: part of the
    panel's fingerprint (a renumbered shot is drawn again) and kept with the panel (so it shows as out of date)."""
    return {NUMBER_SETTING: project.shot_number(scene)} if getattr(renderer, "shows_number", False) else {}


def select(project: Project, numbers: list[str] | None) -> list[Scene]:
    if not numbers:
        return list(project.scenes)
    wanted, out = [str(n).strip() for n in numbers], []
    known = {printed.upper(): s for printed, s in zip(project.shot_numbers(), project.scenes)}  # 2-2 …
    known.update({s.number.upper(): s for s in project.scenes})  # … or the scene's own number, 2B
    missing = [n for n in wanted if n.upper() not in known]
    if missing:
        raise RenderError(f"no scene numbered {', '.join(missing)} (scenes: {_span(project)})")
    for n in wanted:
        scene = known[n.upper()]
        if scene not in out:
            out.append(scene)
    return out


def _span(project: Project) -> str:
    numbers = [s.number for s in project.scenes]
    return ", ".join(numbers) if len(numbers) <= 8 else f"{numbers[0]} … {numbers[-1]}"


def render_scenes(
    project: Project,
    folder: str | Path,
    *,
    backend: str = "sketch",
    numbers: list[str] | None = None,
    force: bool = False,
    long_side: int | None = None,
    settings: dict[str, Any] | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    commit: Callable[[Scene], None] | None = None,
) -> list[str]:
    """Render the chosen scenes (all by default); returns the numbers drawn.

    Without `commit` the project is saved every few panels and at the end. With
    it, each finished scene is handed to `commit` instead (the app merges it into
    the latest saved project, so edits made during a render are kept).
    """
    if not project.scenes:
        raise RenderError("the project has no scenes to render")
    backend = base.resolve(backend, settings)
    long_side = long_side or DEFAULT_LONG_SIDE.get(backend, 960)
    if not 64 <= long_side <= paths.MAX_PANEL_SIDE:
        raise RenderError(f"panel size must be between 64 and {paths.MAX_PANEL_SIDE} pixels, got {long_side}")
    renderer = base.get(backend)
    settings = dict(settings or {})
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)  # the project folder the caller named; panels/ only below it
    panels = paths.make_folder(folder, PANEL_DIR, RenderError)
    owners = _panel_owners(project, folder)
    scenes = select(project, numbers)
    size = film.frame_size(project.aspect_ratio, long_side)
    drawn: list[str] = []
    try:
        for i, scene in enumerate(scenes):
            progress(i, len(scenes), f"scene {scene.number}")
            if cancel is not None:
                cancel.check()
            if scene.locked and scene.panel is not None:
                continue  # a locked panel is frozen, even when its scene is asked for by number
            shown = number_settings(renderer, scene, project)
            key = fingerprint(scene, project, renderer, size, {**settings, **shown})
            current = scene.panel
            if not force and current and _is_file(folder, current.path) and current.fingerprint in (
                key, _legacy_fingerprint(scene, project, renderer, size, {**settings, **shown})
            ):
                continue
            def step(k: int, steps: int, i=i, scene=scene) -> None:
                progress(i + k / max(steps, 1), len(scenes), f"scene {scene.number} · step {k}/{steps}")

            call_settings = {**settings, "project_folder": str(folder)}  # where relative LoRA paths live
            result = renderer.render(scene, blueprint(scene, project), project, size, call_settings, step, cancel)
            scene.panel = _save_panel(result.image, scene, owners, folder, panels, renderer,
                                      {**settings, **shown, **result.provenance}, key)
            scene.panel.inputs = inputs_digest(scene, project)
            drawn.append(scene.number)
            if commit is not None:
                commit(scene)
            elif len(drawn) % SAVE_EVERY == 0:
                store.save(project, folder)
        progress(len(scenes), len(scenes), "done")
    finally:
        if commit is None:
            store.save(project, folder)
    return drawn


def _is_file(folder: Path, relative: str) -> bool:
    path = paths.within(folder, relative)
    return path is not None and path.is_file()


def _save_panel(
    image, scene: Scene, owners: dict[Path, set[int]], folder: Path, panels: Path, renderer: base.Renderer,
    settings: dict[str, Any], key: str,
) -> Panel:
    """Write the panel atomically under panels/ and drop the scene's previous file if no other scene uses it.

    `panels` is the resolved panels folder (checked to be inside the project). The
    file is written as a plain name in it, never through a link; a file another
    scene points at (see `_panel_owners`) is neither overwritten nor deleted.
    """
    from PIL.PngImagePlugin import PngInfo

    def others_use(path: Path) -> bool:
        return bool(owners.get(path, set()) - {id(scene)})

    rel = panel_filename(scene)
    stem, n = rel[: -len(".png")], 2
    while others_use(panels / rel.rsplit("/", 1)[-1]):
        rel, n = f"{stem}-{n}.png", n + 1
    target = panels / rel.rsplit("/", 1)[-1]
    panel = Panel(
        path=rel,
        backend=renderer.name,
        settings={"renderer_version": renderer.version, **settings},
        fingerprint=key,
        width=image.width,
        height=image.height,
        rendered_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    info = PngInfo()
    info.add_itxt(
        "storyboard",
        json.dumps(
            {"scene": scene.number, "seed": scene.seed, "prompt": scene.prompt, **asdict(panel)}, ensure_ascii=False
        ),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, compress_level=3)
    old = scene.panel.path if scene.panel else None
    store.atomic_write_bytes(target, buffer.getvalue())  # replaces a link at `target`, never writes through it
    stale = paths.within(folder, old) if old and old != rel else None
    if stale is not None:
        owners.get(stale, set()).discard(id(scene))
    owners.setdefault(target, set()).add(id(scene))
    if stale is not None and stale.parent == panels and stale != target and stale.is_file():
        if others_use(stale):
            log.warning("scene %s: kept %s, another scene's panel", scene.number, old)
        else:
            stale.unlink()  # renumbered: drop the file of the old number
    return panel


def _panel_owners(project: Project, folder: Path) -> dict[Path, set[int]]:
    """Resolved panel file → the scenes (by object id) pointing at it; their files are never replaced or deleted."""
    out: dict[Path, set[int]] = {}
    for scene in project.scenes:
        path = paths.within(folder, scene.panel.path) if scene.panel is not None and scene.panel.path else None
        if path is not None:
            out.setdefault(path, set()).add(id(scene))
    return out
