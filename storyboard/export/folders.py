"""Folder exports (Storyboarder scenes, timeline stills) written whole or not at all.

An export is built in a hidden temp folder beside its destination, then swapped
in: the old folder is renamed aside, the new one renamed in, and only then the
old one deleted. A failure or a cancel removes the temp folder and leaves the
previous export as it was. Temp folders a crash left behind are swept after an hour.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import time
from pathlib import Path

from ..errors import ExportError

log = logging.getLogger(__name__)

STALE_TEMP_S = 3600.0  # a temp folder untouched this long was left by a crash
TEMP_SUFFIX = ".tmp"


def new_temp_folder(final: Path) -> Path:
    """An empty folder `.NAME.<random>.tmp` beside `final`; stale ones from crashed exports are swept first."""
    sweep(final.parent, f".{final.name}.")
    while True:
        temp = final.with_name(f".{final.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            temp.mkdir()
            return temp
        except FileExistsError:
            continue
        except OSError as err:
            raise ExportError(f"cannot write into {final.parent}: {err.strerror or err}") from None


def swap_in(new: Path, final: Path) -> None:
    """Put folder `new` where `final` is; the old `final` (a folder, or a link, never followed) goes after."""
    old = None
    try:
        if final.exists() or final.is_symlink():
            old = final.with_name(f".{final.name}.{secrets.token_hex(6)}.old{TEMP_SUFFIX}")
            os.replace(final, old)
        try:
            os.replace(new, final)
        except BaseException:
            if old is not None:
                os.replace(old, final)
            raise
    except OSError as err:
        raise ExportError(f"cannot replace {final} with the new export: {err.strerror or err}") from None
    if old is not None:
        remove(old)


def remove(path: Path) -> None:
    """Delete a temp folder of ours (or a link left where a folder was); never follow a link."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
    except OSError as err:
        log.warning("could not remove %s: %s", path, err)


def sweep(folder: Path, prefix: str) -> None:
    """Remove temp files and folders named `prefix…tmp` in `folder` that a crashed export left (an hour old)."""
    now = time.time()
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for path in entries:
        try:
            if now - path.lstat().st_mtime > STALE_TEMP_S:
                remove(path)
        except OSError:
            continue
