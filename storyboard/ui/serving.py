"""Files reach the browser only through Gradio's own file cache.

The sessions root is not among the paths Gradio serves: a panel, an export or a
preview is copied into Gradio's upload cache (a folder named by a keyed hash of
the file's content, swept by the app's `delete_cache`) and that copy's path is
what the page gets. No URL the page sees names a session folder.
"""

from __future__ import annotations

from pathlib import Path

from gradio import processing_utils, utils


def served(path: str | Path | None) -> str | None:
    """The path of `path`'s copy in Gradio's file cache (made once per content), or None for no file."""
    if not path:
        return None
    return processing_utils.save_file_to_cache(path, utils.get_upload_folder())


def served_all(paths: list[str]) -> list[str]:
    return [served(p) for p in paths]
