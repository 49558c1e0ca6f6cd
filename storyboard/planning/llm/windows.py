"""The text cut into windows for the model — a screenplay scene each, prose a few paragraphs — each with the
embedded planner's plan of the same text ready as its fallback."""

from __future__ import annotations

from ...project import Character
from ..beats import Beat
from ..coverage import cover
from ..fountain import Screenplay
from .planner import WINDOW_CHARS, Window
from .prompt import scene_text


def script_windows(script: Screenplay, coverage: str) -> tuple[list[Window], list[Character]]:
    """One window per scene of the script, and the script's cast. The embedded plan of the whole script is made
    once; a window falls back to its scene's part of it."""
    from ..screenplay import screenplay_beats

    beats, characters = screenplay_beats(script)
    by_scene: dict[int, list[Beat]] = {}
    for beat in beats:
        by_scene.setdefault(beat.group, []).append(beat)
    windows = []
    for index, scene in enumerate(script.scenes):
        if not scene.heading and not scene.elements:
            continue
        part = by_scene.get(index, [])
        windows.append(Window(scene_text(scene), lambda part=part: (cover(part, coverage), []), scene=scene))
    return windows, characters


def prose_windows(story: str, coverage: str, limit: int = WINDOW_CHARS) -> list[Window]:
    """Paragraphs gathered into windows of about `limit` characters (a long paragraph is a window of its own)."""
    from ..reading import paragraphs

    windows, current = [], []
    for paragraph in paragraphs(story):
        if current and sum(len(p) for p in current) + len(paragraph) > limit:
            windows.append(_prose_window("\n\n".join(current), coverage))
            current = []
        current.append(paragraph)
    if current:
        windows.append(_prose_window("\n\n".join(current), coverage))
    return windows


def _prose_window(text: str, coverage: str) -> Window:
    def fallback() -> tuple[list[Beat], list[Character]]:
        from .. import nlp, prose
        from ..text import is_english

        plan = prose.plan_prose(text, nlp.load() if is_english(text) else None)
        return cover(plan.beats, coverage), plan.characters

    return Window(text, fallback)
