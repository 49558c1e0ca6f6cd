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
from .project import SHOT_NUMBERING, Project

EXPORT_KINDS = ("pdf", "strip", "grid", "csv", "animatic", "gif", "storyboarder", "otio", "fcpxml", "xml", "edl",
                "zip")


def plan(
    text: str,
    out_dir: str | Path,
    *,
    title: str = "",
    aspect_ratio: str = "16:9",
    style: str | None = None,
    form: str = "auto",
    coverage: str = "normal",
    fallback_title: str = "",
    author: str = "",
    numbering: str = "letters",
    model=None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Plan a project from text and save it to OUT_DIR/project.json. `author` (else the script's title page's) and
    the shot `numbering` ("letters": 4, 4A, 4B; "dashes": 4-1, 4-2) are the board's own."""
    from .planning import plan_text

    aspect_ratio = normalize_aspect(aspect_ratio)
    if numbering not in SHOT_NUMBERING:
        raise InputError(f"shot numbering must be letters or dashes, got {numbering!r}")
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
        model=model,  # a planning.ModelOptions for a language model; None: the embedded planner
    )
    project.author = author.strip() or project.author
    project.shot_numbering = numbering
    store.save(project, out_dir)
    return project


def plan_file(path: str | Path, out_dir: str | Path, **options) -> Project:
    from .planning.text import read_text_file

    path = Path(path)
    text = read_text_file(path)
    name = path.stem.replace("_", " ").replace("-", " ").strip().title()
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
    """Which exports to write and how; every option has the default the CLI and the app show."""

    kinds: list[str] = field(default_factory=lambda: ["pdf", "strip"])  # see EXPORT_KINDS
    # PDF
    per_page: int = 6
    orientation: str = "landscape"
    page_size: str = "A4"
    layout: str = "auto"  # "grid", "beside" (text beside each panel) or "auto"
    cover: bool = False  # a cover page: title, author, date, synopsis, shot count, running time
    hidden_fields: list[str] = field(default_factory=list)  # caption fields left out (export.options.CAPTION_FIELDS)
    coherence_appendix: bool = False  # a last PDF page with the coherence check (run `check` first)
    # Animatic, GIF and timelines
    fps: int = 24  # 24, 25 or 30
    width: int = 1280  # animatic frame width (the height follows the aspect ratio)
    captions: bool = True  # burned-in dialogue
    overlay: bool = True  # shot number and timecode
    moves: bool = True  # camera moves over the panel (pan, tilt, dolly …); off: every panel holds still
    audio: str | None = None  # a WAV or MP3 laid under the animatic
    # ZIP
    zip_exports: bool = True  # the ZIP also carries the other files of this export


def export(
    folder: str | Path,
    request: ExportRequest | None = None,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Path]:
    """Write the requested exports into the project folder, named from its title; returns kind → path."""
    return export_project(folder, store.load(folder), request, progress=progress, cancel=cancel)


def export_project(
    folder: str | Path,
    project: Project,
    request: ExportRequest | None = None,
    *,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Path]:
    """`export` of a project already loaded from `folder` (a snapshot the caller took)."""
    from .export.service import run_exports

    request = request or ExportRequest()
    unknown = [k for k in request.kinds if k not in EXPORT_KINDS]
    if unknown:
        raise ExportError(f"unknown export {', '.join(unknown)}; use {', '.join(EXPORT_KINDS)}")
    return run_exports(Path(folder), project, request, progress=progress, cancel=cancel)


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
