"""Planning: synopsis or screenplay text → a Project of scenes.

`plan_text` picks the reader: a screenplay (sluglines, character cues) goes
through the Fountain parser; prose goes through spaCy plus rules when it is
English and the model is installed, else through language-independent rules.
"""

from __future__ import annotations

import logging

from ..errors import InputError
from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Project
from .assemble import build_project
from .coverage import COVERAGE_LEVELS, DEFAULT_COVERAGE, check_level, cover
from .fountain import looks_like_screenplay, parse_screenplay, split_title_page
from .llm.planner import PLANNERS, ModelOptions, plan_windows
from .reading import propose_title
from .text import MAX_SCENES, is_english, require_text, too_many_shots

log = logging.getLogger(__name__)


def plan_text(
    text: str,
    *,
    title: str = "",
    fallback_title: str = "",
    aspect_ratio: str = "16:9",
    style: str | None = None,
    force: str = "auto",
    coverage: str = "normal",
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    model: ModelOptions | None = None,
    notes: list[str] | None = None,
) -> Project:
    """Plan a project from text. `force` is "auto", "prose" or "screenplay"; `coverage` is one of COVERAGE_LEVELS.

    The title is `title`, else the script's title page or the story's own title line, else `fallback_title` (the
    file's name), else a working title from the story's leads ("Mara and Tom"), else "Untitled"."""
    coverage = check_level(coverage)
    text = require_text(text)
    title_page, body = split_title_page(text)
    if title_page and not body.strip():
        raise InputError("the script has only a title page; add scene headings, action or dialogue to plan from")
    as_script = force == "screenplay" or (force == "auto" and looks_like_screenplay(text))
    film, planned = None, None
    if model is not None and model.checked().planner != "embedded":
        planned = _plan_with_model(text, body if title_page else text, as_script, model, coverage, progress, cancel,
                                   notes)
    if planned is not None:
        beats, characters, film, planned_title, source = planned
        title = title or planned_title or title_page.get("title", "")
    elif as_script:
        from .screenplay import screenplay_beats

        script = parse_screenplay(text)
        beats, characters = screenplay_beats(script)
        title = title or script.title
        title_page = script.title_page or title_page
        source = "screenplay"
    else:
        from . import nlp, prose

        story = body if title_page else text  # a Fountain title page is not part of the story
        plan = prose.plan_prose(story, nlp.load() if is_english(story) else None, progress, cancel,
                                max_beats=MAX_SCENES)
        beats = plan.beats
        characters = plan.characters
        title = title or title_page.get("title", "") or plan.title
        source = "prose"
    if film is None:
        beats = cover(beats, coverage)
    if len(beats) > MAX_SCENES:
        raise too_many_shots(f"{len(beats):,}")
    project = build_project(
        beats,
        characters,
        title=title or fallback_title or propose_title(beats) or "Untitled",
        synopsis=text,
        source_format=source,
        aspect_ratio=aspect_ratio,
        style=style,
        film=film,
    )
    authors = [value for key, value in title_page.items() if key.lower() in ("author", "authors")]
    project.author = " ".join(" ".join(authors).split())  # the title page's author, for the PDF's cover
    return project


def _plan_with_model(text: str, story: str, as_script: bool, model: ModelOptions, coverage: str,
                     progress: ProgressFn, cancel: CancelToken | None, notes: list[str] | None):
    """(beats, characters, film, title, source) planned window by window with the language model, or None when
    the embedded planner had to plan every window (then it plans the whole text); a line per window it took over
    goes to `notes` (else to the log)."""
    from .llm.windows import prose_windows, script_windows
    from .reading import split_title

    if as_script:
        script = parse_screenplay(text)
        windows, cast = script_windows(script, coverage)
        title, source = script.title, "screenplay"
    else:
        title, body = split_title(story)
        windows, cast, source = prose_windows(body or story, coverage), [], "prose"
    plan = plan_windows(windows, model, coverage, cast=cast, progress=progress, cancel=cancel)
    if notes is not None:
        notes += plan.notes
    for note in plan.notes if notes is None else []:
        log.warning("%s", note)
    if all(f is None for f in plan.film):
        return None  # the model planned nothing: the embedded planner reads the whole text at once (one cast)
    return plan.beats, plan.characters, plan.film, title, source


__all__ = ["COVERAGE_LEVELS", "DEFAULT_COVERAGE", "MAX_SCENES", "PLANNERS", "ModelOptions", "plan_text"]
