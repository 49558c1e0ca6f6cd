"""The application service: the stage functions the CLI and the app share.

Each function takes plain arguments, works on a project folder and returns
what it made. Problems the user can fix raise StoryboardError subclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import film, store
from .errors import ExportError, InputError
from .progress import CancelToken, ProgressFn, no_progress
from .project import Project

EXPORT_KINDS = ("pdf", "strip", "grid", "zip", "csv")
EXPORT_FILES = {
    "pdf": "storyboard.pdf",
    "strip": "strip.png",
    "grid": "grid.png",
    "zip": "storyboard.zip",
    "csv": "shotlist.csv",
}


def plan(
    text: str,
    out_dir: str | Path,
    *,
    title: str = "",
    aspect_ratio: str = "16:9",
    style: str | None = None,
    form: str = "auto",
    coverage: str = "normal",
    fallback_title: str = "Untitled",
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Plan a project from text and save it to OUT_DIR/project.json."""
    from .planning import plan_text

    aspect_ratio = normalize_aspect(aspect_ratio)
    project = plan_text(
        text,
        title=title,
        fallback_title=fallback_title,
        aspect_ratio=aspect_ratio,
        style=style,
        force=form,
        coverage=coverage,
        progress=progress,
        cancel=cancel,
    )
    store.save(project, out_dir)
    return project


def plan_file(path: str | Path, out_dir: str | Path, **options) -> Project:
    from .planning.text import read_text_file

    path = Path(path)
    text = read_text_file(path)
    name = path.stem.replace("_", " ").replace("-", " ").strip().title() or "Untitled"
    return plan(text, out_dir, fallback_title=name, **options)


def render(
    folder: str | Path,
    *,
    backend: str = "sketch",
    numbers: list[str] | None = None,
    force: bool = False,
    aspect_ratio: str | None = None,
    settings: dict | None = None,
    long_side: int | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[Project, list[str]]:
    """Render the project's panels (all, or the scene numbers given) with renderer settings
    (for diffusion: model, steps, guidance, scheduler, controlnet …)."""
    from .render import render_scenes

    project = store.load(folder)
    if aspect_ratio:
        project.aspect_ratio = normalize_aspect(aspect_ratio)
    drawn = render_scenes(project, folder, backend=backend, numbers=numbers, force=force, settings=settings,
                          long_side=long_side, progress=progress, cancel=cancel)
    return project, drawn


@dataclass
class ExportRequest:
    kinds: list[str] = field(default_factory=lambda: ["pdf", "strip"])
    per_page: int = 6
    orientation: str = "landscape"
    hidden_fields: list[str] = field(default_factory=list)  # "action", "dialogue", "duration", "shot", "number"
    coherence_appendix: bool = False  # a last PDF page with the coherence check (run `check` first)


def export(
    folder: str | Path,
    request: ExportRequest | None = None,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Path]:
    """Write the requested exports into the project folder; returns kind → path."""
    from . import export as exporters

    request = request or ExportRequest()
    unknown = [k for k in request.kinds if k not in EXPORT_KINDS]
    if unknown:
        raise ExportError(f"unknown export {', '.join(unknown)}; use {', '.join(EXPORT_KINDS)}")
    folder = Path(folder)
    project = store.load(folder)
    out: dict[str, Path] = {}
    for kind in request.kinds:
        if kind == "zip":
            continue  # last, so it can carry the other files
        target = folder / EXPORT_FILES[kind]
        if kind == "pdf":
            options = exporters.PdfOptions(
                per_page=request.per_page,
                orientation=request.orientation,
                coherence_appendix=request.coherence_appendix,
                **{f"show_{name}": False for name in request.hidden_fields},
            )
            out[kind] = exporters.export_pdf(project, folder, target, options, progress=progress, cancel=cancel)
        elif kind == "strip":
            out[kind] = exporters.export_strip(project, folder, target)
        elif kind == "grid":
            out[kind] = exporters.export_grid(project, folder, target)
        elif kind == "csv":
            out[kind] = exporters.export_csv(project, target)
    if "zip" in request.kinds:
        out["zip"] = exporters.export_zip(project, folder, folder / EXPORT_FILES["zip"], extra=list(out.values()))
    return out


def make(
    path: str | Path,
    out_dir: str | Path,
    *,
    backend: str = "sketch",
    settings: dict | None = None,
    long_side: int | None = None,
    request: ExportRequest | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    **plan_options,
) -> dict[str, Path]:
    """Text file → project → panels → exports, in one go."""
    plan_file(path, out_dir, progress=progress, cancel=cancel, **plan_options)
    render(out_dir, backend=backend, settings=settings, long_side=long_side, progress=progress, cancel=cancel)
    exports = export(out_dir, request, progress=progress, cancel=cancel)
    return {"project": store.project_path(out_dir), **exports}


def normalize_aspect(value: str) -> str:
    """The canonical aspect ratio, or InputError listing the allowed ones."""
    try:
        return film.normalize_aspect(value)
    except ValueError as err:
        raise InputError(str(err)) from None
