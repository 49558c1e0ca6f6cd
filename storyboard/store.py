"""Load and save project.json: atomic, with a backup, validated, migrated.

Save writes a temp file in the same folder, fsyncs it, keeps the current file
as project.json.bak and renames the temp file over project.json, so a crash at
any moment leaves either the old or the new project, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ProjectError
from .project import SCHEMA_VERSION, Project
from .schema import SchemaError, from_json, to_json

PROJECT_FILE = "project.json"
BACKUP_SUFFIX = ".bak"
MAX_PROJECT_BYTES = 64 * 1024 * 1024


def project_path(folder: str | os.PathLike) -> Path:
    path = Path(folder)
    return path if path.suffix == ".json" else path / PROJECT_FILE


def atomic_write_bytes(path: Path, data: bytes, keep_backup: bool = False) -> None:
    """Write `data` to `path` so readers see the old or the new file, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            os.replace(path, backup)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


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


def inside(folder: str | os.PathLike, relative: str | os.PathLike) -> Path | None:
    """FOLDER/RELATIVE if it stays inside FOLDER, else None (paths in project.json are untrusted)."""
    base = Path(folder).resolve()
    try:
        path = (base / relative).resolve()
        path.relative_to(base)
    except (ValueError, OSError):
        return None
    return path


def dumps(project: Project) -> str:
    return json.dumps(to_json(project), ensure_ascii=False, indent=2) + "\n"


def save(project: Project, folder: str | os.PathLike) -> Path:
    """Atomically save `project` to FOLDER/project.json (or a .json path)."""
    project.validate()
    path = project_path(folder)
    atomic_write_bytes(path, dumps(project).encode("utf-8"), keep_backup=True)
    return path


def load(folder: str | os.PathLike) -> Project:
    """Load and validate a project; raise ProjectError naming the problem."""
    path = project_path(folder)
    if not path.is_file():
        raise ProjectError(f"no project found at {path}")
    if path.stat().st_size > MAX_PROJECT_BYTES:
        raise ProjectError(f"{path} is larger than {MAX_PROJECT_BYTES // 2**20} MB; is it a project file?")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ProjectError(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise ProjectError(f"{path} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    return from_data(data, source=str(path))


def from_data(data: Any, source: str = "project") -> Project:
    """Validate parsed JSON as a project, migrating older schema versions."""
    if not isinstance(data, dict):
        raise ProjectError(f"{source}: expected a JSON object at the top level")
    try:
        data = migrate(data)
        if "scenes" not in data:
            raise SchemaError("scenes: missing field")
        return from_json(Project, data)
    except SchemaError as err:
        raise ProjectError(f"{source}: {err}") from None


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
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaError(f"schema_version: expected a whole number, got {version!r}")
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
