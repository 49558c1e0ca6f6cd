"""Run the exports a request asks for, into the project folder, with names from the board's title.

"The Ferry" exports as the-ferry-storyboard.pdf, the-ferry-shotlist.csv,
the-ferry-animatic.mp4, the-ferry-storyboarder/ (one Storyboarder scene per
script scene), the-ferry-timeline/ (.otio, .fcpxml, .xml, .edl and their stills)
and the-ferry-storyboard.zip, which carries the others when asked. An untitled
board exports as storyboard.pdf and so on.
"""

from __future__ import annotations

from pathlib import Path

from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project
from .folders import sweep
from .options import PdfOptions, export_stem

SUFFIXES = {
    "pdf": "storyboard.pdf",
    "strip": "strip.png",
    "grid": "sheet.png",
    "csv": "shotlist.csv",
    "animatic": "animatic.mp4",
    "gif": "animatic.gif",
    "storyboarder": "storyboarder",  # a folder
    "timeline": "timeline",  # a folder holding every timeline format asked for
    "zip": "storyboard.zip",
}
TIMELINE_KINDS = ("otio", "fcpxml", "xml", "edl")
TEXT_KINDS = ("csv",)  # exports that show no panel: no warning about panels that are not current
ORDER = ("pdf", "csv", "strip", "grid", "animatic", "gif", "storyboarder", *TIMELINE_KINDS)  # ZIP last


def output_name(project: Project, kind: str) -> str:
    """The file (or folder) name an export of `kind` gets: "<title slug>-<what>"."""
    stem, suffix = export_stem(project), SUFFIXES["timeline" if kind in TIMELINE_KINDS else kind]
    return suffix if stem == "storyboard" and suffix.startswith("storyboard") else f"{stem}-{suffix}"


def shows_panels(request) -> bool:
    """Whether any export asked for shows panels (so panels that are not current are worth a warning)."""
    return any(kind not in TEXT_KINDS for kind in request.kinds)


def pdf_options(request) -> PdfOptions:
    """The PDF options of an ExportRequest; an unknown caption field raises ExportError."""
    return PdfOptions.hiding(
        list(request.hidden_fields), per_page=request.per_page, orientation=request.orientation,
        page_size=request.page_size, layout=request.layout, cover=request.cover,
        coherence_appendix=request.coherence_appendix,
    )


def animatic_options(request):
    from .animatic import AnimaticOptions

    options = AnimaticOptions(fps=request.fps, width=request.width, captions=request.captions,
                              overlay=request.overlay, moves=request.moves, audio=request.audio or None)
    options.validate()
    return options


def run_exports(
    folder: Path,
    project: Project,
    request,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Path]:
    """Write every kind `request` (a studio.ExportRequest) asks for; returns kind → path, in ORDER then "zip".

    Options are all checked before the first file is written, so a bad one leaves every export as it was.
    """
    from . import export_csv, export_grid, export_pdf, export_strip, export_zip

    # 1. Check every option first.
    kinds = [kind for kind in ORDER if kind in request.kinds]
    pdf = pdf_options(request) if "pdf" in kinds else None
    if pdf is not None:
        pdf.validate()
    movie = animatic_options(request) if {"animatic", "gif"} & set(kinds) else None
    timelines = [kind for kind in kinds if kind in TIMELINE_KINDS]

    # 2. Write each export.
    out: dict[str, Path] = {}
    for kind in kinds:
        target = folder / output_name(project, kind)
        sweep(folder, f".{target.name}.")  # temp files a killed export left (an hour old)
        if kind == "pdf":
            out[kind] = export_pdf(project, folder, target, pdf, progress=progress, cancel=cancel)
        elif kind == "csv":
            out[kind] = export_csv(project, target)
        elif kind == "strip":
            out[kind] = export_strip(project, folder, target)
        elif kind == "grid":
            out[kind] = export_grid(project, folder, target)
        elif kind == "animatic":
            from .animatic import export_animatic

            out[kind] = export_animatic(project, folder, target, movie, progress=progress, cancel=cancel)
        elif kind == "gif":
            from .animatic import export_animatic_gif

            out[kind] = export_animatic_gif(project, folder, target, movie, progress=progress, cancel=cancel)
        elif kind == "storyboarder":
            from .storyboarder import export_storyboarder

            out[kind] = export_storyboarder(project, folder, target, progress=progress, cancel=cancel)
        elif kind == timelines[0]:
            from .timeline import export_timelines

            fps = movie.fps if movie else request.fps
            written = export_timelines(project, folder, target, timelines, fps=fps, progress=progress,
                                       cancel=cancel)
            out.update((name, path) for name, path in written.items() if name in TIMELINE_KINDS)  # not "media"

    # 3. The ZIP last, carrying the files just written when asked.
    if "zip" in request.kinds:
        extra = _zip_extras(out, folder) if request.zip_exports else []
        out["zip"] = export_zip(project, folder, folder / output_name(project, "zip"), extra=extra)
    return out


def _zip_extras(written: dict[str, Path], folder: Path) -> list[Path]:
    """The files and folders just written, each once (timeline formats share one folder)."""
    extras: list[Path] = []
    for kind, path in written.items():
        item = path.parent if kind in TIMELINE_KINDS and path.parent != folder else path
        if item not in extras:
            extras.append(item)
    return extras
