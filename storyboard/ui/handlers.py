"""What each button does, as plain functions of the session folder and inputs.

No gradio here: every handler works on the session's project through the same
stage functions as the CLI (storyboard.studio, storyboard.editing), raises a
StoryboardError for anything the user can fix, and returns a View to show.
The app (app.py) adapts them to gradio events.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from .. import editing, store, studio
from ..errors import Cancelled, InputError
from ..planning import DEFAULT_COVERAGE
from ..planning.text import MAX_INPUT_BYTES, require_text
from ..progress import ProgressFn, no_progress
from ..project import SHOT_NUMBERING, Panel, Project, Scene
from . import history, session
from .view import View
from .worker import Worker

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
MAX_UPLOAD_BYTES = MAX_INPUT_BYTES  # an upload, a pasted text and the CLI's input: one limit


def view(folder: str, selected: str = "") -> View:
    """What the page shows of the session's board (treat it as read-only: it may be shared with the next call).

    Views are kept by the project file's identity (inode, time, size: every save replaces the file), so the view
    an edit compares against (the board before it) is not computed again: on a board of 90 cards that was half of
    a save's time."""
    path = session.check(folder)
    key = (str(path), _stamp(path), selected)
    with _VIEWS_LOCK:
        shown = _VIEWS.get(key)
    if shown is None:
        shown = View.of(session.load(path), path, selected)
        _keep(key, shown)
    return shown


_VIEWS: dict[tuple, View] = {}  # (folder, project file stamp, selection) → view, the newest last
_VIEWS_LOCK = threading.Lock()


def _stamp(path: Path) -> tuple | None:
    try:
        stat = (path / store.PROJECT_FILE).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _keep(key: tuple, shown: View) -> None:
    with _VIEWS_LOCK:
        _VIEWS.pop(key, None)
        _VIEWS[key] = shown
        while len(_VIEWS) > 32:
            _VIEWS.pop(next(iter(_VIEWS)))


def example_text(name: str = "lighthouse.txt") -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def read_story_upload(path: str | None) -> str:
    """The text of an uploaded .txt/.fountain file (size, binary and encoding checked)."""
    from ..planning.text import read_text_file

    if not path:
        raise InputError("no file was uploaded")
    if Path(path).stat().st_size > MAX_UPLOAD_BYTES:
        raise InputError(f"{Path(path).name} is larger than {MAX_UPLOAD_BYTES // 2**20} MB; is it a story?")
    return read_text_file(path)


def check_story(text: str | None) -> None:
    """The story box's own check (before Plan): over the size limit, empty or without words → InputError."""
    require_text(text or "")


def model_options(planner: str, model: str = "", url: str = "", key_env: str = ""):
    """The Story tab's planner settings as checked planning.ModelOptions (None for the embedded planner)."""
    from ..planning import PLANNERS, ModelOptions

    planner = planner or "embedded"
    if planner not in PLANNERS:
        raise InputError(f"planner must be one of {', '.join(PLANNERS)}, not {planner!r}")
    if planner == "embedded":
        return None
    return ModelOptions(planner=planner, model=(model or "").strip(), url=(url or "").strip(),
                        key_env=(key_env or "").strip() or "STORYBOARD_LLM_KEY").checked()


def plan(folder: str, text: str, title: str, style: str, aspect: str, form: str = "auto",
         coverage: str = DEFAULT_COVERAGE, progress: ProgressFn = no_progress, author: str = "",
         numbering: str = "letters", model=None, notes: list[str] | None = None) -> View:
    """Plan a new board from text; the old board is replaced only when planning succeeded (not on a cancel).
    `model`: a planning.ModelOptions for a language model (None: the embedded planner); the parts the model could
    not plan are named in `notes`."""
    from ..planning import plan_text

    path = session.check(folder)
    aspect = studio.normalize_aspect(aspect or "16:9")
    project = plan_text(text, title=(title or "").strip(), style=(style or "").strip() or None, aspect_ratio=aspect,
                        force=form, coverage=coverage, progress=progress,
                        cancel=session.cancel_token(path, fresh=True), model=model, notes=notes)
    project.author = (author or "").strip() or project.author  # typed, else the script's title page
    project.shot_numbering = numbering if numbering in SHOT_NUMBERING else "letters"
    with session.lock(path):
        history.record(path, "Plan (the board before it)", keep_panels="move")  # Undo brings the old board back
        shutil.rmtree(path / "panels", ignore_errors=True)  # left only when there was no board to keep
        store.save(project, path)
    return View.of(project, path)


def sketch(folder: str, progress: ProgressFn = no_progress) -> tuple[View, str]:
    """Plan's second step: every panel drawn by the sketch renderer (the Render step's own path).

    A cancel is no error: the planned board keeps the panels drawn so far. Returns (view, what was drawn).
    """
    *_, last = sketch_live(folder, progress)
    return last


def sketch_live(folder: str, progress: ProgressFn = no_progress, selected: str = ""):
    """`sketch` with the panels streaming in: yields (view, None) as panels are saved, then (view, what was drawn)."""
    try:
        for shown, drawn in render_live(folder, "sketch", progress=lambda d, n, m: progress(d, n, f"sketching {m}"),
                                       selected=selected):
            yield shown, None if drawn is None else f"Sketched {len(drawn)} panel{'' if len(drawn) == 1 else 's'}."
    except Cancelled:
        shown = view(folder, selected)
        yield shown, (f"Sketching stopped: {len(shown.gallery)} of {len(shown.cards)} panels drawn; "
                      "**Render** draws the rest.")


def update_settings(folder: str, title: str, style: str, aspect: str, author: str | None = None,
                    numbering: str | None = None) -> View:
    """Change the title, author, shot numbering, style or aspect ratio of the current board (nothing else changes)."""
    path = session.check(folder)
    aspect = studio.normalize_aspect(aspect or "16:9")
    if numbering not in (None, *SHOT_NUMBERING):
        raise InputError(f"shot numbers are letters (4A, 4B) or dashes (4-1, 4-2), not {numbering!r}")

    def change(project: Project) -> None:
        project.title = (title or "").strip() or project.title
        project.author = project.author if author is None else author.strip()
        project.shot_numbering = numbering or project.shot_numbering
        project.style = (style or "").strip() or project.style
        project.aspect_ratio = aspect

    project, _ = session.transact(path, change, "board settings")
    return View.of(project, path)


def edit(folder: str, operation, selected: str = "", label: str = "an edit") -> View:
    """Apply `operation(project)` (returns the scene id to select, or None to keep); Undo can take it back."""
    path = session.check(folder)
    with session.lock(path):  # the view is kept under the file it was computed from (the next edit's "before")
        project, chosen = session.transact(path, operation, label)
        shown = View.of(project, path, chosen or selected)
        _keep((str(path), _stamp(path), chosen or selected), shown)
    return shown


def save_scene(folder: str, scene_id: str, form: editing.SceneEdit) -> View:
    return edit(folder, lambda p: editing.apply_scene_edit(p, scene_id, form).id, scene_id, "scene edit")


def add_scene(folder: str, after_id: str | None) -> View:
    return edit(folder, lambda p: editing.add_scene(p, after_id or None).id, label="new scene")


def duplicate_scene(folder: str, scene_id: str) -> View:
    return edit(folder, lambda p: editing.duplicate_scene(p, required(scene_id)).id, label="duplicate scene")


def delete_scene(folder: str, scene_id: str) -> View:
    def change(project: Project) -> str:
        index = editing.delete_scene(project, required(scene_id))
        return project.scenes[index].id

    return edit(folder, change, label="delete scene")


def move_scene(folder: str, scene_id: str, delta: int) -> View:
    return edit(folder, lambda p: editing.move_scene(p, required(scene_id), delta), scene_id, "move scene")


def move_scene_to(folder: str, scene_id: str, position, selected: str = "") -> View:
    """Drag or Alt+arrow on the board: the scene goes to `position` (0-based); the selection stays."""
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise InputError(f"a scene can only move to a place on the board, not {position!r}") from None
    return edit(folder, lambda p: editing.move_scene_to(p, required(scene_id), position), selected, "move scene")


def scene_form(folder: str, scene_id: str):
    """The form of one scene (a card was picked): only it is read, nothing else is computed."""
    from .view import SceneForm

    project = session.load(session.check(folder))
    ids = [s.id for s in project.scenes] if project else []
    if scene_id not in ids:
        raise InputError("that scene is no longer on the board; it may have been deleted in another tab")
    index = ids.index(scene_id)
    return SceneForm.of(project.scenes[index], project.shot_numbers()[index])


def _scene(folder: str, scene_id: str) -> Scene | None:
    """The session board's scene with this id, or None."""
    project = session.load(session.check(folder))
    return next((s for s in project.scenes if s.id == scene_id), None) if project else None


def renumber(folder: str, scene_id: str) -> View:
    return edit(folder, editing.renumber_scenes, scene_id, "renumber")


def set_locked(folder: str, scene_id: str, locked: bool) -> View:
    return edit(folder, lambda p: editing.set_locked(p, required(scene_id), locked), scene_id,
                "lock" if locked else "unlock")


def save_character(folder: str, old_name: str | None, name: str, description: str) -> View:
    return edit(folder, lambda p: editing.save_character(p, old_name or None, name, description) and None,
                label="character edit")


def merge_characters(folder: str, name: str, into: str) -> View:
    return edit(folder, lambda p: editing.merge_characters(p, required(name, "a character"), into) and None,
                label=f"merge {name} into {into}")


def delete_character(folder: str, name: str) -> View:
    return edit(folder, lambda p: editing.delete_character(p, required(name, "a character")),
                label="delete character")


def undo(folder: str, selected: str = "") -> tuple[View, str]:
    """Take back the last change to the board; returns (view, what was undone)."""
    return _history_step(folder, selected, history.undo)


def redo(folder: str, selected: str = "") -> tuple[View, str]:
    return _history_step(folder, selected, history.redo)


def _history_step(folder: str, selected: str, step) -> tuple[View, str]:
    path = session.check(folder)
    with session.lock(path):
        label = step(path)
    return view(folder, selected), label


def require_unlocked(folder: str, scene_id: str, doing: str) -> None:
    """InputError when the scene's panel is locked: a locked panel is frozen."""
    scene = _scene(folder, scene_id)
    if scene is not None and scene.locked:
        raise InputError(f"scene {scene.number} is locked: unlock it to {doing} it")


def required(value: str | None, what: str = "a scene") -> str:
    if not value:
        raise InputError(f"select {what} first")
    return value


# -- rendering ------------------------------------------------------------------


def render(folder: str, backend: str = "sketch", scene_ids: list[str] | None = None, force: bool = False,
           progress: ProgressFn = no_progress, settings: dict | None = None,
           long_side: int | None = None, on_save=None) -> tuple[View, list[str]]:
    """Render all (or the chosen) scenes; edits made meanwhile are kept. Returns (view, numbers drawn).

    The view's selection is the first scene: the app shows only the board parts of it (a render never moves the
    user's selection or rewrites the form they may be typing in). `on_save()` is called each time finished panels
    were saved (render_live streams them).
    """
    from ..render import render_scenes

    path = session.check(folder)
    snapshot = session.load(path)
    if snapshot is None:
        raise InputError("there is no board yet: write or load a story and press Plan")
    numbers = [s.number for s in snapshot.scenes if s.id in set(scene_ids)] if scene_ids else None
    token = session.cancel_token(path, fresh=True)
    batch = PanelBatch(path, on_save)
    try:
        drawn = render_scenes(snapshot, path, backend=backend, numbers=numbers, force=force, progress=progress,
                              cancel=token, commit=batch.add, settings=settings, long_side=long_side)
    finally:
        batch.flush()  # on success, cancel or error alike: finished panels are kept
    return View.of(session.load(path), path), drawn


class PanelBatch:
    """Finished panels, merged into the latest saved project in batches (edits made meanwhile are kept).

    Saving after every panel made a render of n scenes cost n saves of an n-scene project (quadratic). A batch is
    saved when `SAVE_EVERY_PANELS` panels wait, or when `SAVE_EVERY_S` seconds (or ten times what the last save
    took, so saving stays a small share of a long render) have passed since the last save; and at the end
    (`flush`). A slow renderer (seconds a panel) still saves each panel as it comes.
    """

    SAVE_EVERY_S = 1.0
    SAVE_EVERY_PANELS = 100

    def __init__(self, folder: Path, on_save=None) -> None:
        self.folder = folder
        self.on_save = on_save
        self.pending: dict[str, Panel | None] = {}  # scene id → its new panel
        self.saves = 0
        self._last = time.monotonic()
        self._cost = 0.0  # seconds the last save took

    def add(self, scene: Scene) -> None:
        self.pending[scene.id] = scene.panel
        waited = time.monotonic() - self._last
        if len(self.pending) >= self.SAVE_EVERY_PANELS or waited >= max(self.SAVE_EVERY_S, 10 * self._cost):
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        started = time.monotonic()
        pending, self.pending = self.pending, {}
        with session.lock(self.folder):
            latest = session.load(self.folder)
            if latest is not None:  # None: the project file is gone (nothing to merge into)
                for scene in latest.scenes:
                    if scene.id in pending:
                        scene.panel = pending[scene.id]
                store.save(latest, self.folder)
                self.saves += 1
        if self.on_save is not None:
            self.on_save()
        self._last = time.monotonic()
        self._cost = self._last - started


def render_live(folder: str, backend: str = "sketch", scene_ids: list[str] | None = None, force: bool = False,
                progress: ProgressFn = no_progress, settings: dict | None = None, long_side: int | None = None,
                selected: str = ""):
    """`render` in a worker thread: yields (view, None) each time finished panels were saved, so they stream onto
    the board, then (view, numbers drawn). Errors and a cancel are raised here, as `render` raises them."""
    saved = threading.Event()
    worker = Worker(lambda: render(folder, backend, scene_ids, force, progress, settings, long_side, saved.set))
    for _ in worker.ticks(saved):
        if saved.is_set():
            saved.clear()
            yield view(folder, selected), None
    _, drawn = worker.result()
    yield view(folder, selected), drawn


def new_seed(folder: str, scene_id: str) -> int:
    """A new seed (a new take) for one scene; a locked scene refuses. Undo can take it back."""
    _, seed = session.transact(session.check(folder), lambda p: editing.reroll(p, required(scene_id)), "re-roll")
    return seed


def reroll(folder: str, scene_id: str, backend: str = "sketch", settings: dict | None = None,
           long_side: int | None = None) -> View:
    """A new seed for one scene, then render it."""
    new_seed(folder, scene_id)
    return render(folder, backend, [scene_id], settings=settings, long_side=long_side)[0]


def cancel(folder: str) -> None:
    session.cancel_token(session.check(folder)).cancel()
