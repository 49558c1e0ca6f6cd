"""Per-browser-session working folders, signed session tokens, locks and cancel tokens.

Each browser session gets its own folder under the sessions root; the project
lives there (autosaved after every change) with its panels and exports. The
folder path is the session's gr.State value, which never leaves the server.
The browser keeps only a session token, "<id>.<signature>": the signature is an
HMAC of the id with a server secret ($STORYBOARD_SECRET, else a file in the
sessions root, so tokens survive a restart), and the folder name is another
HMAC of the id, so neither can be guessed, forged or derived from the other. A
token that does not verify, or whose folder is gone, gives a new empty session.

Every open tab claims its folder; when Gradio drops a tab's state, its claim is
released. A folder is deleted only when no live tab holds it and it has been
idle for `IDLE_S` (no change, no request); folders untouched for a day are swept
at start. Changes go through `transact`, which holds the session's lock, loads
the latest project, applies the change and saves.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
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
MAX_AGE_S = 24 * 3600  # the sweep at start removes folders untouched for this long
IDLE_S = 3600  # a folder no live tab holds is deleted once it has been idle this long
REAP_EVERY_S = 60  # how often requests look for such folders
SECRET_ENV = "STORYBOARD_SECRET"
SECRET_FILE = ".secret"
TRASH_PREFIX = ".trash-"
EXPIRED = "the session has expired; reload the page"


def sessions_root() -> Path:
    """Where session folders live: $STORYBOARD_SESSIONS, else a folder in the temp dir."""
    root = Path(os.environ.get("STORYBOARD_SESSIONS") or Path(tempfile.gettempdir()) / "storyboard-sessions")
    root.mkdir(parents=True, exist_ok=True)
    return root.resolve()


_locks: dict[str, threading.RLock] = {}
_tokens: dict[str, CancelToken] = {}
_holders: dict[str, set[str]] = {}  # folder → the claims of the live tabs that hold it
_unheld: set[str] = set()  # folders whose last tab has gone: deleted once idle
_active: dict[str, float] = {}  # folder → when a request last used it (this server run)
_secrets: dict[str, bytes] = {}
_guard = threading.Lock()
_last_reap = 0.0


# -- tokens ---------------------------------------------------------------------


def secret() -> bytes:
    """The server secret: $STORYBOARD_SECRET, else a random one kept (mode 0600) in the sessions root."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode("utf-8")
    root = sessions_root()
    with _guard:
        if str(root) in _secrets:
            return _secrets[str(root)]
        path = root / SECRET_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            value = path.read_bytes().strip()
            if len(value) < 32:
                raise StoryboardError(f"{path} is damaged (too short); delete it to make a new one") from None
        else:
            value = secrets.token_hex(32).encode("ascii")
            with os.fdopen(fd, "wb") as handle:
                handle.write(value)
        _secrets[str(root)] = value
        return value


def _mac(purpose: str, session_id: str) -> str:
    return hmac.new(secret(), f"{purpose}:{session_id}".encode(), hashlib.sha256).hexdigest()


def _folder_of(session_id: str) -> Path:
    return sessions_root() / _mac("folder", session_id)[:32]


def browser_secret() -> str:
    """The key gr.BrowserState encrypts the token with (it is sent to the page, so not the server secret)."""
    return _mac("browser-state", "v1")


def verify(token: str | None) -> str | None:
    """The session id a token carries, or None when it is malformed or not signed by this server."""
    if not isinstance(token, str) or len(token) > 200 or token.count(".") != 1:
        return None
    session_id, signature = token.split(".")
    if len(session_id) != 32 or any(ch not in "0123456789abcdef" for ch in session_id):
        return None
    return session_id if hmac.compare_digest(signature, _mac("session", session_id)) else None


def open_session(token: str | None) -> tuple[str, str]:
    """(folder, token): the session a valid token names if its folder still exists, else a new empty one."""
    session_id = verify(token)
    if session_id is not None:
        folder = _folder_of(session_id)
        with _guard:
            if folder.is_dir():
                _active[str(folder)] = time.time()
                return str(folder), token
    session_id = uuid.uuid4().hex
    folder = _folder_of(session_id)
    folder.mkdir()
    return str(folder), f"{session_id}.{_mac('session', session_id)}"


def new_session() -> str:
    """A new empty session folder (its token is not needed: tests and scripts)."""
    return open_session(None)[0]


# -- who holds a folder, and when it goes -------------------------------------------


def claim(folder: str) -> tuple[str, str]:
    """Mark `folder` as held by one more live tab; returns the (folder, claim) to release it with."""
    mark = uuid.uuid4().hex
    with _guard:
        _holders.setdefault(folder, set()).add(mark)
        _unheld.discard(folder)
        _active[folder] = time.time()
    reap(force=False)
    return folder, mark


def release(owner: tuple[str, str] | None) -> None:
    """Gradio dropped a tab's state: forget its claim; the folder goes once no tab holds it and it is idle."""
    if not owner:
        return
    folder, mark = owner
    with _guard:
        holders = _holders.get(folder, set())
        holders.discard(mark)
        if holders:
            return  # another tab is still working on this board
        _holders.pop(folder, None)
        _unheld.add(folder)
    reap()


def idle_for(folder: str | Path) -> float:
    """Seconds since the folder was last used: a request, or a change to it, its project or its panels."""
    path = Path(folder)
    last = _active.get(str(path), 0.0)
    for part in (path, path / store.PROJECT_FILE, path / "panels"):
        try:
            last = max(last, part.stat().st_mtime)
        except OSError:
            continue
    return time.time() - last


def reap(force: bool = True) -> list[str]:
    """Delete the folders no live tab holds that have been idle for IDLE_S; returns them."""
    global _last_reap
    now = time.time()
    doomed: list[tuple[str, Path]] = []
    with _guard:
        if not force and now - _last_reap < REAP_EVERY_S:
            return []
        _last_reap = now
        for folder in list(_unheld):
            if _holders.get(folder):
                _unheld.discard(folder)
            elif idle_for(folder) >= IDLE_S:
                _unheld.discard(folder)
                doomed.append((folder, _to_trash(Path(folder))))
    for folder, trash in doomed:
        _forget(folder)
        shutil.rmtree(trash, ignore_errors=True)
    return [folder for folder, _ in doomed]


def _to_trash(path: Path) -> Path:
    """Rename a folder out of the way (one atomic step, so no request can resume it half deleted)."""
    trash = path.with_name(f"{TRASH_PREFIX}{uuid.uuid4().hex}")
    try:
        path.rename(trash)
    except OSError:
        return path
    return trash


def _forget(folder: str) -> None:
    with _guard:
        _locks.pop(folder, None)
        _tokens.pop(folder, None)
        _active.pop(folder, None)


def check(folder: str | None) -> Path:
    """The session folder, refusing anything outside the sessions root (and noting that it is in use)."""
    if not folder:
        raise StoryboardError(EXPIRED)
    path = Path(folder).resolve()
    if path.parent != sessions_root() or path.name.startswith("."):
        raise StoryboardError(EXPIRED)
    with _guard:
        _active[str(path)] = time.time()
    path.mkdir(exist_ok=True)
    reap(force=False)
    return path


def close_session(folder: str | None) -> None:
    """Delete a session's folder now, whoever holds it (tests and scripts)."""
    if not folder:
        return
    path = Path(folder).resolve()
    if path.parent == sessions_root() and not path.name.startswith("."):
        shutil.rmtree(path, ignore_errors=True)
    with _guard:
        _holders.pop(str(path), None)
        _unheld.discard(str(path))
    _forget(str(path))


def sweep(max_age_s: float = MAX_AGE_S) -> int:
    """Remove session folders untouched for `max_age_s` (left by a crash or a restart); returns how many."""
    removed = 0
    for path in sessions_root().iterdir():
        try:
            if not path.is_dir():
                continue
            with _guard:
                held = bool(_holders.get(str(path)))
            if path.name.startswith(TRASH_PREFIX) or (not held and idle_for(path) > max_age_s):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


# -- locks and changes -----------------------------------------------------------------


def lock(folder: Path) -> threading.RLock:
    with _guard:
        return _locks.setdefault(str(folder), threading.RLock())


def cancel_token(folder: Path, fresh: bool = False) -> CancelToken:
    with _guard:
        if fresh or str(folder) not in _tokens:
            _tokens[str(folder)] = CancelToken()
        return _tokens[str(folder)]


def load(folder: Path) -> Project | None:
    """The session's project, or None before the first plan (a project.json lost in a crash is recovered)."""
    if not store.has_project(folder):
        return None
    return store.load(folder)


def transact(folder: Path, change: Callable[[Project], T], label: str = "") -> tuple[Project, T]:
    """Load the latest project, apply `change`, save; on any error nothing is saved. With a `label` the project
    as it was is kept first, so Undo can bring it back (history.py)."""
    from . import history  # noqa: PLC0415  (session.py stays importable without it for scripts)

    with lock(folder):
        project = load(folder)
        if project is None:
            raise StoryboardError("there is no board yet: write or load a story and press Plan")
        result = change(project)
        if label:
            history.record(folder, label)
        store.save(project, folder)
        return project, result
