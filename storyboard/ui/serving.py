"""Files reach the browser only through Gradio's own file cache.

The sessions root is not among the paths Gradio serves: a panel, an export or a
preview is copied into Gradio's upload cache (a folder named by a keyed hash of
the file's content, swept by the app's `delete_cache`) and that copy's path is
what the page gets. No URL the page sees names a session folder.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from gradio import processing_utils, utils

CARD_SIZE = (480, 480)  # a card's image: sharp on a 2x screen at the board's card width


def served(path: str | Path | None) -> str | None:
    """The path of `path`'s copy in Gradio's file cache (made once per content), or None for no file."""
    if not path:
        return None
    return processing_utils.save_file_to_cache(path, utils.get_upload_folder())


def served_all(paths: list[str]) -> list[str]:
    return [served(p) for p in paths]


def card_image(path: str | Path) -> str | None:
    """A card-sized JPEG of a panel in Gradio's file cache (made once per version of the file), or None."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    cached = _card_image(str(path), stat.st_mtime_ns, stat.st_size)
    if cached and not Path(cached).is_file():  # swept from the cache meanwhile: make it again
        _card_image.cache_clear()
        cached = _card_image(str(path), stat.st_mtime_ns, stat.st_size)
    return cached


@functools.lru_cache(maxsize=4096)  # keyed by the file's time and size: a redrawn panel is a new entry
def _card_image(path: str, mtime_ns: int, size: int) -> str | None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.draft("RGB", CARD_SIZE)
            image.thumbnail(CARD_SIZE)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=82)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return processing_utils.save_bytes_to_cache(buffer.getvalue(), f"{Path(path).stem}.jpg", utils.get_upload_folder())
