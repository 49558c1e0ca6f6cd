"""The project as files: exports, the project ZIP to download, and opening a project someone saved.

Handlers like those in handlers.py: plain functions of the session folder, StoryboardError for what the user can
fix, no gradio.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .. import store, studio
from ..bundle import import_bundle
from ..errors import InputError
from ..progress import ProgressFn, no_progress
from . import history, session
from .view import View


def export(folder: str, request: studio.ExportRequest,
           progress: ProgressFn = no_progress) -> tuple[list[str], str | None, str | None, str]:
    """Write the chosen exports; returns (files to download, PDF first-page preview PNG or None, the animatic or
    None, what was written and what is not current). A folder export (Storyboarder, timelines) downloads as a ZIP
    of that folder."""
    from ..export.images import zip_folder
    from ..export.options import panel_warnings
    from ..export.service import TIMELINE_KINDS, shows_panels

    path = session.check(folder)
    if not request.kinds:
        raise InputError("choose at least one thing to export")
    token = session.cancel_token(path, fresh=True)
    with session.lock(path):  # a snapshot: edits in other tabs go on while a long animatic is written
        project = session.load(path)
    if project is None:
        raise InputError("there is no board yet: write or load a story and press Plan")
    problems = panel_warnings(project, path) if shows_panels(request) else []
    files = studio.export_project(path, project, request, progress=progress, cancel=token)
    downloads = []
    for item in dict.fromkeys(p.parent if kind in TIMELINE_KINDS else p for kind, p in files.items()):
        downloads.append(str(zip_folder(item) if item.is_dir() else item))
    preview = pdf_preview(files["pdf"]) if "pdf" in files else None
    movie = str(files["animatic"]) if "animatic" in files else None
    message = f"Exported {len(downloads)} file{'' if len(downloads) == 1 else 's'}."
    if problems:
        message += " ⚠ Shown as blank frames: " + "; ".join(problems) + "."
    return downloads, preview, movie, message


def export_warnings(folder: str) -> str:
    """What an export would show that is not a current panel ("" when every panel is current)."""
    from ..export.options import panel_warnings

    path = session.check(folder)
    project = session.load(path)
    if project is None:
        return ""
    problems = panel_warnings(project, path)
    if not problems:
        return ""
    return "⚠ " + "; ".join(problems) + ". Exports show only current panels: these print as blank frames."


def pdf_preview(pdf: Path, width: int = 900) -> str:
    """The PDF's first page as a PNG beside it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    out = pdf.with_name("preview.png")
    image.save(out)
    return str(out)


def project_zip(folder: str) -> str:
    """The whole project (project.json + panels) as a ZIP to download."""
    path = session.check(folder)
    with session.lock(path):
        if session.load(path) is None:
            raise InputError("there is no board yet to save")
        return str(studio.export(path, studio.ExportRequest(kinds=["zip"]))["zip"])


def open_project(folder: str, upload: str | None) -> tuple[View, list[str]]:
    """Replace the session's project with an uploaded project ZIP (or project.json)."""
    path = session.check(folder)
    if not upload:
        raise InputError("no file was uploaded")
    upload_path = Path(upload)
    with session.lock(path):
        history.record(path, "Open (the board before it)", keep_panels="copy")  # the file may still be refused
        if upload_path.suffix.lower() == ".json":
            if upload_path.stat().st_size > store.MAX_PROJECT_BYTES:
                raise InputError(f"{upload_path.name} is too large to be a project file")
            project = store.load(upload_path)
            for scene in project.scenes:
                scene.panel = None  # a bare project.json carries no images
            shutil.rmtree(path / "panels", ignore_errors=True)
            store.save(project, path)
            warnings = []
        else:
            project, warnings = import_bundle(upload_path, path)
    return View.of(project, path), warnings
