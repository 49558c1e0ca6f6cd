"""Load and save project.json: atomic, with a backup, validated, migrated.

Save writes a temp file in the same folder and fsyncs it, then makes
project.json.bak a hard link to (or, where links are not supported, a copy of)
the current project.json, and finally renames the temp file over project.json
in one `os.replace`. project.json is never removed or renamed away, so a crash
(even kill -9) at any moment leaves the old or the new project, never half of
one and never none. Files get the usual permissions (0666 less the umask).

Load validates every field. If project.json is missing, empty or cut short (a
crash of an older version, a disk problem), it recovers the newest complete copy
from project.json.bak or a leftover temp file and says so: each such note is
logged as a warning and added to the `notes` list the caller may pass. Stale
temp files are swept by the next save, never one another writer still holds.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ProjectError
from .project import SCHEMA_VERSION, Project, valid_scene_id
from .schema import SchemaError, from_json, to_json

try:
    import fcntl
except ImportError:  # Windows: stale temp files are recognised by age alone
    fcntl = None

log = logging.getLogger(__name__)

PROJECT_FILE = "project.json"
BACKUP_SUFFIX = ".bak"
MAX_PROJECT_BYTES = 64 * 1024 * 1024
TEMP_SUFFIX = ".tmp"
TEMP_GRACE_S = 30.0  # a temp file younger than this may belong to a save that is just starting
MAX_MESSAGE = 300  # characters of a load error kept (a bad value may be megabytes long)


def project_path(folder: str | os.PathLike) -> Path:
    """FOLDER/project.json, or FOLDER itself when it names a .json file (never an existing folder)."""
    path = Path(folder)
    if path.suffix != ".json":
        return path / PROJECT_FILE
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file; it was left alone (choose another name)")
    return path


# -- writing ------------------------------------------------------------------


def new_temp(path: Path, tag: str = "") -> tuple[int, Path]:
    """Create `.NAME.<random>[tag].tmp` beside `path` (mode 0666 less the umask), locked while we write it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{tag}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
    if fcntl is not None:
        with contextlib.suppress(OSError):  # the lock tells `sweep_temps` this file is in use
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd, tmp


def atomic_write_bytes(path: Path, data: bytes, keep_backup: bool = False) -> None:
    """Write `data` to `path` so readers see the old or the new file, never a mix.

    With `keep_backup`, the current file also stays as PATH.bak; `path` itself is
    never removed, only replaced by the new file in one rename.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file; it was left alone", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = new_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup:
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _keep_backup(path: Path) -> None:
    """Make PATH.bak the current `path` (a hard link, else a copy) without ever touching `path`."""
    backup = path.with_name(path.name + BACKUP_SUFFIX)  # save() has refused a folder of that name
    if not path.is_file():
        return  # the first save: nothing to keep
    link = path.with_name(f".{path.name}.{secrets.token_hex(6)}.bak{TEMP_SUFFIX}")
    try:
        os.link(path, link)
    except FileNotFoundError:
        return
    except OSError:  # no hard links here (FAT, some network shares): copy instead
        fd, link = new_temp(path, ".bak")
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            link.unlink(missing_ok=True)
            raise
    try:
        os.replace(link, backup)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temps(path: Path) -> list[Path]:
    """The temp files saves of `path` make: `.NAME.*.tmp` in its folder."""
    prefix = f".{path.name}."
    try:
        return [p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return []


def _in_use(tmp: Path) -> bool:
    """Whether a live writer holds `tmp` (its lock dies with its process, even under kill -9)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return True  # gone or unreadable: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases our probe lock
    return False


def sweep_temps(path: Path, grace: float | None = None) -> list[Path]:
    """Delete temp files of `path` left by crashed saves; returns what was deleted.

    A temp file is stale when no process holds its lock and it has not changed
    for `grace` seconds (default TEMP_GRACE_S), so a save that has just created
    one is never disturbed.
    """
    grace = TEMP_GRACE_S if grace is None else grace
    removed = []
    now = time.time()
    for tmp in _temps(path):
        try:
            info = tmp.lstat()
            if now - max(info.st_mtime, info.st_ctime) < grace or _in_use(tmp):
                continue
            tmp.unlink()
        except OSError:
            continue
        removed.append(tmp)
    return removed


def dumps(project: Project) -> str:
    return json.dumps(to_json(project), ensure_ascii=False, indent=2) + "\n"


def save(project: Project, folder: str | os.PathLike) -> Path:
    """Atomically save `project` to FOLDER/project.json (or a .json path), keeping the last one as .bak."""
    project.validate()
    path = project_path(folder)
    for target in (path, path.with_name(path.name + BACKUP_SUFFIX)):
        if target.is_dir():
            raise ProjectError(f"{target} is a folder, not a project file; it was left alone (move it away)")
    atomic_write_bytes(path, dumps(project).encode("utf-8"), keep_backup=True)
    for stale in sweep_temps(path):
        log.info("removed %s, left by an interrupted save", stale)
    return path


# -- loading ------------------------------------------------------------------


class _Unreadable(Exception):
    """project.json is missing or damaged (not whole JSON): a case for recovery."""


def has_project(folder: str | os.PathLike) -> bool:
    """Whether FOLDER holds a project `load` can try: project.json, or a copy to recover it from."""
    path = project_path(folder)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    return path.is_file() or backup.is_file() or bool(_temps(path))


def load(folder: str | os.PathLike, notes: list[str] | None = None) -> Project:
    """Load and validate a project; raise ProjectError naming the problem.

    Anything the caller should tell the user (a recovered copy, a replaced scene
    id) is logged as a warning and appended to `notes` when given.
    """
    path = project_path(folder)
    try:
        data = _read_json(path)
    except _Unreadable as damage:
        found = _recover(path, notes)
        if found is None:
            missing = not path.exists()
            raise ProjectError(f"no project found at {path}" if missing else str(damage)) from None
        project, copy, mtime = found
        saved = time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))
        _note(notes, f"{damage}; loaded the copy saved {saved} ({copy.name}) instead; "
                     f"saving makes it {path.name} again")
        return project
    return from_data(data, source=str(path), notes=notes)


def _read_json(path: Path) -> Any:
    """Parsed JSON of `path`; _Unreadable when it is missing or not whole JSON, ProjectError otherwise."""
    if path.exists() and not path.is_file():
        raise ProjectError(f"{path} is {'a folder' if path.is_dir() else 'not a regular file'}, not a project file")
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_PROJECT_BYTES:
                raise ProjectError(f"{path} is larger than {MAX_PROJECT_BYTES // 2**20} MB; is it a project file?")
            raw = handle.read(MAX_PROJECT_BYTES + 1)
    except FileNotFoundError:
        raise _Unreadable(f"{path} is missing") from None
    except OSError as err:
        raise _Unreadable(f"{path} cannot be read ({err.strerror or err})") from None
    if not raw.strip():
        raise _Unreadable(f"{path} is empty")
    return parse_json(raw, str(path), damaged=_Unreadable)


def parse_json(raw: bytes, name: str, damaged: type[Exception] = ProjectError) -> Any:
    """JSON from the bytes of a project file, or one clear error (never a traceback).

    Text that is not UTF-8 or not whole JSON raises `damaged`; JSON Python cannot
    hold (numbers over 4300 digits, nesting past the recursion limit) ProjectError.
    """
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise damaged(f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise damaged(f"{name} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except ValueError:  # int('9' * 5000): Python refuses integers longer than 4300 digits
        raise ProjectError(f"{name} holds a number with thousands of digits; no project field takes one") from None
    except RecursionError:
        raise ProjectError(f"{name} is nested too deeply to be a project") from None


def _recover(path: Path, notes: list[str] | None) -> tuple[Project, Path, float] | None:
    """The newest complete, valid copy of `path`: its .bak or a temp file a crashed save left."""
    candidates = []
    for copy in [path.with_name(path.name + BACKUP_SUFFIX), *_temps(path)]:
        try:
            candidates.append((copy.stat().st_mtime, copy))
        except OSError:
            continue
    for mtime, copy in sorted(candidates, reverse=True)[:8]:
        try:
            data = _read_json(copy)
            return from_data(data, source=str(copy), notes=notes), copy, mtime
        except (_Unreadable, ProjectError):
            continue
    return None


def _note(notes: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if notes is not None:
        notes.append(message)


def _clip(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def from_data(data: Any, source: str = "project", notes: list[str] | None = None) -> Project:
    """Validate parsed JSON as a project, migrating older schema versions.

    Scene ids that are not safe file-name parts (see `project.SCENE_ID`) or that
    repeat are replaced, with a note naming the scene (see `load`).
    """
    if not isinstance(data, dict):
        raise ProjectError(f"{source}: expected a JSON object at the top level")
    try:
        data = migrate(data)
        if "scenes" not in data:
            raise SchemaError("scenes: missing field")
        scenes = data["scenes"] if isinstance(data["scenes"], list) else []
        ids = [scene.get("id") if isinstance(scene, dict) else None for scene in scenes]
        project = from_json(Project, data)
    except SchemaError as err:
        raise ProjectError(_clip(f"{source}: {err}")) from None
    except RecursionError:
        raise ProjectError(f"{source}: nested too deeply to be a project") from None
    for scene, old in zip(project.scenes, ids, strict=True):
        if isinstance(old, str) and old and old != scene.id:
            why = "repeats another scene's id" if valid_scene_id(old) else "is not a safe id (letters, digits, - and _)"
            _note(notes, _clip(f"{source}: scene {scene.number}: its id {old!r} {why}; it is now {scene.id!r}"))
    return project


# -- migrations -------------------------------------------------------------
# Each entry upgrades a dict from version N to N+1. A file without
# "schema_version" is version 0: a hand-written project where dialogue may be
# plain "NAME: line" strings and characters plain names.


def _v0_to_v1(data: dict) -> dict:
    chars = data.get("characters", [])
    if isinstance(chars, list):
        data["characters"] = [{"name": c} if isinstance(c, str) else c for c in chars]
    scenes = data.get("scenes", [])
    if isinstance(scenes, list):
        for i, scene in enumerate(scenes):
            if not isinstance(scene, dict):
                continue
            if "number" not in scene:
                scene["number"] = str(i + 1)
            elif isinstance(scene["number"], int) and not isinstance(scene["number"], bool):
                scene["number"] = str(scene["number"])
            lines = scene.get("dialogue", [])
            if isinstance(lines, list):
                scene["dialogue"] = [_line_v0(line) for line in lines]
    return data


def _line_v0(line: Any) -> Any:
    if isinstance(line, str):
        who, sep, text = line.partition(":")
        return {"character": who.strip(), "text": text.strip()} if sep else {"character": "", "text": line}
    return line


MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _v0_to_v1}


def migrate(data: dict) -> dict:
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise SchemaError(f"schema_version: expected a whole number from 0 to {SCHEMA_VERSION}, got {version!r}")
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"schema_version: {version} is newer than this Storyboard Studio "
            f"understands ({SCHEMA_VERSION}); please update the app"
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["schema_version"] = version
    return data
