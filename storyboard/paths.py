"""Keeping every file the program touches for a project inside that project's folders.

Paths named by project.json (panel files, reference images, LoRA files) and file
names built from it (scene ids in panel names) are untrusted: an uploaded project
may say "../../elsewhere/x", "/etc/passwd" or hold a NUL byte, and a folder inside
the project may be a symbolic link that leads out of it. Every path the program
writes, deletes or reads for a project goes through `within`, which resolves
symbolic links and answers only when the result is still below the folder.
`make_folder` creates folders one level at a time below a folder it
checked, so a hostile name never makes the program create folders elsewhere.
`image_size` reads only an image's header, so an oversized panel is refused
before it is decoded.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StoryboardError

MAX_PANEL_SIDE = 4096  # the renderer's largest long side: no panel a project holds is bigger
MAX_REFERENCE_SIDE = 12_000  # a character's reference photo (a 60-megapixel camera's long side is about 9500)


def within(root: str | os.PathLike, relative: str | os.PathLike) -> Path | None:
    """ROOT/RELATIVE with symbolic links resolved, if that lies strictly below ROOT (resolved too); else None.

    An absolute RELATIVE counts only if it is below ROOT. NUL bytes, link loops,
    unencodable or over-long names give None, never an exception.
    """
    try:
        text = os.fspath(relative)
        if not isinstance(text, str) or "\x00" in text or "\x00" in os.fspath(root) or not text.strip():
            return None
        base = Path(root).resolve()
        path = (base / text).resolve()
    except (TypeError, ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return None
    if path == base or not path.is_relative_to(base) or not _usable(path):
        return None
    return path


def _usable(path: Path) -> bool:
    """Whether the system can take this path at all (encodable, no name over 255 bytes, at most 4096 in all)."""
    try:
        encoded = os.fsencode(path)
    except (UnicodeError, ValueError):
        return False
    return len(encoded) <= 4096 and all(len(os.fsencode(part)) <= 255 for part in path.parts)


def within_any(roots: list[Path], relative: str | os.PathLike) -> Path | None:
    """The first existing file `relative` names below one of `roots` (see `within`), else None."""
    for root in roots:
        path = within(root, relative)
        if path is not None and path.is_file():
            return path
    return None


def make_folder(root: str | os.PathLike, relative: str, error: type[StoryboardError]) -> Path:
    """The folder ROOT/RELATIVE, created level by level below ROOT (which must exist); never above it.

    A level that is a link leading out of ROOT, or a file, raises `error`.
    """
    target = within(root, relative)
    if target is None:
        raise error(f"the folder {_shown(relative)} {_why_outside(root, relative)}; "
                    "make it a real folder inside the project")
    base = Path(root).resolve()
    current = base
    for part in target.relative_to(base).parts:
        current = current / part
        try:
            current.mkdir(exist_ok=True)
        except FileExistsError:
            raise error(f"{current} is a file, not a folder; move it out of the way") from None
        except OSError as err:
            raise error(f"cannot create the folder {current}: {err.strerror or err}") from None
    if within(root, relative) != target or not target.is_dir():  # changed under us
        raise error(f"the folder {_shown(relative)} {_why_outside(root, relative)}")
    return target


def image_size(path: str | os.PathLike) -> tuple[int, int] | None:
    """(width, height) from an image file's header (nothing is decoded); None if it is not a readable image."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except Exception:  # unreadable, truncated, not an image, or a decompression bomb: PIL raises many kinds
        return None


def fits_panel_limits(size: tuple[int, int] | None, limit: int = MAX_PANEL_SIDE) -> bool:
    """Whether an image of `size` is one the renderer could have made (each side at most `limit`)."""
    return size is not None and 0 < size[0] <= limit and 0 < size[1] <= limit


def _shown(relative) -> str:
    text = repr(os.fspath(relative)) if isinstance(relative, (str, os.PathLike)) else repr(relative)
    return text if len(text) <= 120 else text[:117] + "…'"


def _why_outside(root, relative) -> str:
    """Why `relative` is refused, naming a link that leads out when there is one."""
    try:
        current = Path(root)
        for part in Path(os.fspath(relative)).parts:
            current = current / part
            if current.is_symlink():
                return f"leads outside the project folder (it goes through a link to {os.readlink(current)})"
    except (TypeError, ValueError, OSError):
        pass
    return "is not inside the project folder"


def missing_path_or_hub_id(ref: str) -> str:
    """For a model reference that is not an existing folder or file: "path" when it was meant as one (absolute,
    relative, with a separator beyond owner/name), "hub" for an owner/name hub id, else "" (neither)."""
    if Path(ref).expanduser().is_absolute() or ref.startswith((".", "~")) or os.sep in ref.replace("/", "", 1):
        return "path"
    if ref.count("/") == 1 and all(part.strip() for part in ref.split("/")):
        return "hub"
    return ""
