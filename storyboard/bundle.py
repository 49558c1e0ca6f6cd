"""Restoring a project from a ZIP (the one `export_zip` writes), safely.

The archive is untrusted: it must be a real ZIP of bounded size, member names
may not escape the folder, only project.json and panel images are taken, every
image is opened and checked, and project.json is validated like any load. The
new project is unpacked beside the target and swapped in only when all of that
passed, so a broken upload leaves the current project as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from . import store
from .errors import ProjectError
from .export.images import member_name
from .project import Project

MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # a member may expand at most this many times (zip bombs)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def import_bundle(zip_path: str | Path, folder: str | Path) -> tuple[Project, list[str]]:
    """Replace the project in `folder` with the one in `zip_path`; returns (project, warnings)."""
    zip_path, folder = Path(zip_path), Path(folder)
    name = zip_path.name
    if not zip_path.is_file():
        raise ProjectError(f"{name}: file not found")
    if zip_path.stat().st_size > MAX_ZIP_BYTES:
        raise ProjectError(f"{name} is larger than {MAX_ZIP_BYTES // 2**20} MB")
    if not zipfile.is_zipfile(zip_path):
        raise ProjectError(f"{name} is not a ZIP file; upload the storyboard.zip the app or CLI exported")
    try:
        with zipfile.ZipFile(zip_path) as archive:
            members = _checked_members(archive, name)
            prefix = _root(members, name)
            data = _read_project(archive, prefix + store.PROJECT_FILE, name)
            project = store.from_data(data, source=f"{name}: project.json")
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".import-", dir=folder.parent))
            try:
                warnings = _unpack_panels(archive, members, prefix, project, staging)
                store.save(project, staging)
                _swap(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except zipfile.BadZipFile as err:
        raise ProjectError(f"{name} is a damaged ZIP file ({err})") from None
    return project, warnings


def _checked_members(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ProjectError(f"{name} holds {len(infos)} files; a project has at most {MAX_MEMBERS}")
    total, out = 0, {}
    for info in infos:
        if info.is_dir():
            continue
        clean = member_name(info.filename)
        if clean is None:
            raise ProjectError(f"{name}: unsafe file name inside the ZIP: {info.filename!r}")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
            raise ProjectError(f"{name} unpacks to far more data than a project holds; it was not opened")
        out[clean] = info
    return out


def _root(members: dict[str, zipfile.ZipInfo], name: str) -> str:
    """"" when project.json is at the top, "board/" when the ZIP wraps one folder."""
    candidates = sorted((m for m in members if m.rsplit("/", 1)[-1] == store.PROJECT_FILE), key=len)
    if not candidates or candidates[0].count("/") > 1:
        raise ProjectError(f"{name} has no project.json; is it a Storyboard Studio project?")
    return candidates[0][: -len(store.PROJECT_FILE)]


def _read_project(archive: zipfile.ZipFile, member: str, name: str):
    raw = archive.read(member)
    if len(raw) > store.MAX_PROJECT_BYTES:
        raise ProjectError(f"{name}: project.json is too large")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProjectError(f"{name}: project.json is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise ProjectError(f"{name}: project.json is not valid JSON (line {err.lineno}: {err.msg})") from None


def _unpack_panels(archive, members, prefix: str, project: Project, staging: Path) -> list[str]:
    from PIL import Image, UnidentifiedImageError

    warnings = []
    for scene in project.scenes:
        if scene.panel is None:
            continue
        rel = member_name(scene.panel.path)
        info = members.get(prefix + rel) if rel else None
        ok = rel is not None and rel.startswith("panels/") and rel.lower().endswith(IMAGE_SUFFIXES) and info
        if ok:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            try:
                with Image.open(target) as image:
                    image.verify()
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
                target.unlink()
                ok = False
        if not ok:
            warnings.append(f"scene {scene.number}: its panel image was missing or damaged; render it again")
            scene.panel = None
    return warnings


def _swap(staging: Path, folder: Path) -> None:
    """Put `staging` where `folder` is; the old folder is removed only after the swap."""
    trash = None
    if folder.exists():
        trash = Path(tempfile.mkdtemp(prefix=".old-", dir=folder.parent))
        folder.rename(trash / "project")
    staging.rename(folder)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)
