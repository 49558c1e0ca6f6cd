"""Undo and redo for a session's board, kept in the session folder (a reload keeps them).

Before each change the project as it was is written to history/undo/ (at most `LIMIT` steps; the oldest go).
Undo moves the current project to history/redo/ and puts the last undone-to state back; redo the reverse; a new
change clears redo. A step that replaced the whole board (Plan) also keeps the old board's panels/ folder, so undo
brings the panels back too. Every file is written atomically before the one it replaces is removed, so a kill at
any point loses no state (at worst a step is kept twice). Callers hold the session's lock (session.transact).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .. import store
from ..errors import InputError

HISTORY = "history"
LIMIT = 50
PANELS = "panels"


def _stack(folder: Path, kind: str) -> Path:
    path = folder / HISTORY / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def _steps(folder: Path, kind: str) -> list[Path]:
    """The steps of a stack, oldest first: NNNNNNNN.json with a NNNNNNNN.txt label (and NNNNNNNN.panels/)."""
    return sorted(p for p in _stack(folder, kind).glob("*.json") if p.stem.isdigit())


def _push(folder: Path, kind: str, data: bytes, label: str, panels: Path | None = None, copy: bool = False) -> None:
    steps = _steps(folder, kind)
    number = int(steps[-1].stem) + 1 if steps else 1
    stem = _stack(folder, kind) / f"{number:08d}"
    store.atomic_write_bytes(stem.with_suffix(".txt"), label.encode("utf-8"))
    if panels is not None and panels.is_dir() and not panels.is_symlink():
        if copy:
            shutil.copytree(panels, stem.with_suffix(".panels"), symlinks=True)
        else:
            panels.rename(stem.with_suffix(".panels"))
    store.atomic_write_bytes(stem.with_suffix(".json"), data)  # last: a step exists once its project is whole
    for old in _steps(folder, kind)[:-LIMIT]:
        _drop(old)


def _drop(step: Path) -> None:
    shutil.rmtree(step.with_suffix(".panels"), ignore_errors=True)
    step.with_suffix(".txt").unlink(missing_ok=True)
    step.unlink(missing_ok=True)


def _label(step: Path) -> str:
    try:
        return step.with_suffix(".txt").read_text(encoding="utf-8")[:200]
    except OSError:
        return "a change"


def record(folder: Path, label: str, keep_panels: str = "") -> None:
    """Keep the project as it is now (before `label` changes it); a new change clears what could be redone.
    `keep_panels`: the change replaces the panels too — "move" them into the step (Plan: nothing can fail after
    it) or "copy" them (opening a file, which may still be refused)."""
    current = store.project_path(folder)
    if not current.is_file():
        return  # nothing to go back to (the first Plan)
    _push(folder, "undo", current.read_bytes(), label, folder / PANELS if keep_panels else None,
          copy=keep_panels == "copy")
    for step in _steps(folder, "redo"):
        _drop(step)


def undo(folder: Path) -> str:
    """Put back the project as it was before the last change; returns what was undone."""
    return _move(folder, "undo", "redo", "nothing to undo")


def redo(folder: Path) -> str:
    """Apply again the last change undone; returns what was redone."""
    return _move(folder, "redo", "undo", "nothing to redo")


def _move(folder: Path, source: str, target: str, empty: str) -> str:
    steps = _steps(folder, source)
    if not steps:
        raise InputError(empty)
    step, label = steps[-1], _label(steps[-1])
    data = step.read_bytes()
    store.from_data(store.parse_json(data, "history"))  # a damaged step is refused before anything changes
    kept_panels = step.with_suffix(".panels")
    current = store.project_path(folder)
    _push(folder, target, current.read_bytes(), label, folder / PANELS if kept_panels.is_dir() else None)
    if kept_panels.is_dir():
        kept_panels.rename(folder / PANELS)
    store.atomic_write_bytes(current, data)
    _drop(step)
    return label


def counts(folder: Path) -> tuple[int, int]:
    """(steps that can be undone, steps that can be redone)."""
    return len(_steps(folder, "undo")), len(_steps(folder, "redo"))
