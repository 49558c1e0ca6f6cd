"""Per-browser-session working folders, locks and cancel tokens.

Each browser session gets its own folder under the sessions root; the project
lives there (autosaved after every change) with its panels and exports. The
folder path is the session's gr.State value; when Gradio drops the state (tab
closed), its folder is deleted. Changes go through `transact`, which holds the
session's lock, loads the latest project, applies the change and saves.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import store
from ..errors import StoryboardError
from ..progress import CancelToken
from ..project import Project

T = TypeVar("T")
MAX_AGE_S = 24 * 3600


def sessions_root() -> Path:
    """Where session folders live: $STORYBOARD_SESSIONS, else a folder in the temp dir."""
    root = Path(os.environ.get("STORYBOARD_SESSIONS") or Path(tempfile.gettempdir()) / "storyboard-sessions")
    root.mkdir(parents=True, exist_ok=True)
    return root.resolve()


_locks: dict[str, threading.RLock] = {}
_tokens: dict[str, CancelToken] = {}
_owners: dict[str, str] = {}  # folder → the token of the browser session that holds it now
_guard = threading.Lock()


def new_session() -> str:
    folder = sessions_root() / uuid.uuid4().hex
    folder.mkdir()
    return str(folder)


def resume_or_new(name: str | None) -> str:
    """The folder a browser had before a reload (its name kept in the browser), else a new one."""
    if name and len(name) == 32 and all(ch in "0123456789abcdef" for ch in name):
        folder = sessions_root() / name
        if folder.is_dir():
            folder.touch()
            return str(folder)
    return new_session()


def claim(folder: str) -> tuple[str, str]:
    """Mark `folder` as held by a new browser session; returns the (folder, token) to release it with."""
    token = uuid.uuid4().hex
    with _guard:
        _owners[folder] = token
    return folder, token


def release(owner: tuple[str, str] | None) -> None:
    """Gradio dropped a session's state: delete its folder unless a reload has claimed it since."""
    if not owner:
        return
    folder, token = owner
    with _guard:
        if _owners.get(folder) != token:
            return
        _owners.pop(folder, None)
    close_session(folder)


def check(folder: str | None) -> Path:
    """The session folder, refusing anything outside the sessions root."""
    if not folder:
        raise StoryboardError("the session has expired; reload the page")
    path = Path(folder).resolve()
    if path.parent != sessions_root():
        raise StoryboardError("the session has expired; reload the page")
    path.mkdir(exist_ok=True)
    return path


def close_session(folder: str | None) -> None:
    """Delete a closed session's folder (Gradio calls this when the state is dropped)."""
    if not folder:
        return
    path = Path(folder).resolve()
    if path.parent == sessions_root():
        shutil.rmtree(path, ignore_errors=True)
    with _guard:
        _locks.pop(str(path), None)
        _tokens.pop(str(path), None)


def sweep(max_age_s: float = MAX_AGE_S) -> int:
    """Remove session folders untouched for `max_age_s` (left by a crash); returns how many."""
    now, removed = time.time(), 0
    for path in sessions_root().iterdir():
        try:
            if path.is_dir() and now - path.stat().st_mtime > max_age_s:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def lock(folder: Path) -> threading.RLock:
    with _guard:
        return _locks.setdefault(str(folder), threading.RLock())


def cancel_token(folder: Path, fresh: bool = False) -> CancelToken:
    with _guard:
        if fresh or str(folder) not in _tokens:
            _tokens[str(folder)] = CancelToken()
        return _tokens[str(folder)]


def load(folder: Path) -> Project | None:
    """The session's project, or None before the first plan."""
    if not store.project_path(folder).is_file():
        return None
    return store.load(folder)


def transact(folder: Path, change: Callable[[Project], T]) -> tuple[Project, T]:
    """Load the latest project, apply `change`, save; on any error nothing is saved."""
    with lock(folder):
        project = load(folder)
        if project is None:
            raise StoryboardError("there is no board yet: write or load a story and press Plan")
        result = change(project)
        store.save(project, folder)
        return project, result
