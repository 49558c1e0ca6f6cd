"""Restoring a project from a ZIP (the one `export_zip` writes), safely.

The archive is untrusted: it must be a real ZIP of bounded size, member names
may not escape the folder, only project.json and panel images are taken, every
image is opened and checked (its size from the header first: nothing larger
than the renderer makes is decoded or kept), panel files land only inside the
new project's panels/ folder, and project.json is validated like any load. The
new project is unpacked beside the target and swapped in only when all of that
passed, so a broken upload leaves the current project as it was.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

from . import paths, store
from .errors import ProjectError
from .export.images import member_name
from .project import Project

MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # a member may expand at most this many times (zip bombs)
MAX_PANEL_BYTES = 64 * 1024 * 1024  # a 4096x4096 RGBA PNG stored without compression
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
PANEL_DIR = "panels"
# what reading a crafted member can raise: bad CRC, bad deflate data, encryption, unknown compression, cut short
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError,
               struct.error, OverflowError, IndexError)


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
            notes: list[str] = []  # what the loader repaired (ids regenerated, say)
            project = store.from_data(data, source=f"{name}: project.json", notes=notes)
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".import-", dir=folder.parent))
            try:
                warnings = notes + _unpack_panels(archive, members, prefix, project, staging)
                store.save(project, staging)
                _swap(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    # IndexError: zipfile on a cut extra field; UnicodeDecodeError: a member name flagged UTF-8 that is not
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, struct.error, OverflowError,
            IndexError, UnicodeDecodeError) as err:
        raise ProjectError(f"{name} is a damaged ZIP file ({str(err)[:200] or type(err).__name__})") from None
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
    if archive.getinfo(member).file_size > store.MAX_PROJECT_BYTES:
        raise ProjectError(f"{name}: project.json is too large")
    try:
        raw = archive.read(member)
    except READ_ERRORS as err:
        raise ProjectError(f"{name}: project.json cannot be read from the ZIP ({_brief(err)})") from None
    if len(raw) > store.MAX_PROJECT_BYTES:
        raise ProjectError(f"{name}: project.json is too large")
    return store.parse_json(raw, f"{name}: project.json")  # one clear line for any text JSON cannot hold


def _brief(err: BaseException) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:200]


def _unpack_panels(archive, members, prefix: str, project: Project, staging: Path) -> list[str]:
    """Copy each scene's panel image into staging/panels/; a missing, damaged or oversized one is dropped."""
    warnings = []
    panels = paths.make_folder(staging, PANEL_DIR, ProjectError)
    for scene in project.scenes:
        if scene.panel is None:
            continue
        rel = member_name(scene.panel.path) if scene.panel.path else None
        info = members.get(prefix + rel) if rel else None
        target = paths.within(staging, rel) if rel else None
        if info is None:
            problem = "was missing"
        elif target is None or target.parent != panels or not rel.lower().endswith(IMAGE_SUFFIXES):
            problem = "is not a PNG, JPEG or WebP file directly in panels/"
        else:
            problem = _copy_panel(archive, info, target)
            scene.panel.path = rel  # normalised: "panels//a.png" → "panels/a.png"
        if problem:
            warnings.append(f"scene {scene.number}: its panel image {problem}; render it again")
            scene.panel = None
    return warnings


def _copy_panel(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> str:
    """Check one panel member (header size first, then the whole file) and copy it to `target`; "" or the problem."""
    from PIL import Image, UnidentifiedImageError

    if target.is_file():
        return ""  # two scenes share this file: it was checked and copied already
    if info.file_size > MAX_PANEL_BYTES:
        return f"is larger than {MAX_PANEL_BYTES // 2**20} MB"
    try:
        with archive.open(info) as stream, Image.open(stream) as image:
            if not paths.fits_panel_limits(image.size):
                width, height = image.size
                return f"is {width}x{height} pixels, larger than the renderer makes ({paths.MAX_PANEL_SIDE} a side)"
            image.verify()
        with archive.open(info) as stream, open(target, "xb") as out:
            shutil.copyfileobj(stream, out)
    except (UnidentifiedImageError, SyntaxError, Image.DecompressionBombError, *READ_ERRORS):
        target.unlink(missing_ok=True)
        return "was damaged"
    return ""


def _swap(staging: Path, folder: Path) -> None:
    """Put `staging` where `folder` is; the old folder is removed only after the swap."""
    trash = None
    if folder.exists():
        trash = Path(tempfile.mkdtemp(prefix=".old-", dir=folder.parent))
        folder.rename(trash / "project")
    staging.rename(folder)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)
