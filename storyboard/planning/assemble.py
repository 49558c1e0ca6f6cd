"""Shots → a numbered, seeded Project with film grammar applied.

Shots of one group (a beat, or a screenplay scene) share its number with letters: 4A, 4B, 4C; a group of
one shot keeps "4". A number the source forces (#12#) stands for the group's position; a forced number
that ends in a letter takes a dash before the shot's own: 12A-1, 12A-2.
"""

from __future__ import annotations

from ..project import Character, Project, Scene, ensure_ids, scene_seed
from ..render.prompts import scene_prompt
from . import grammar
from .beats import Beat


def build_project(
    beats: list[Beat],
    characters: list[Character],
    *,
    title: str,
    synopsis: str,
    source_format: str,
    aspect_ratio: str = "16:9",
    style: str | None = None,
    film: list[tuple[str, str, str, float] | None] | None = None,
) -> Project:
    """The project of `beats`; `film` gives a beat's own shot size, angle, move and seconds (a language model's),
    None (or no list) leaves them to the grammar rules."""
    project = Project(
        title=title or "Untitled",
        synopsis=synopsis,
        source_format=source_format,
        aspect_ratio=aspect_ratio,
        characters=list(characters),
    )
    if style:
        project.style = style
    known = {c.name for c in project.characters}
    numbers = shot_numbers(beats)
    chosen = film or [None] * len(beats)
    for number, (beat, *rules), own in zip(numbers, grammar.apply(beats), chosen):
        shot, angle, move, seconds = own or rules
        for name in beat.characters:
            if name not in known:
                project.characters.append(Character(name=name))
                known.add(name)
        project.scenes.append(
            Scene(
                number=number,
                heading=beat.heading,
                interior=beat.interior,
                location=beat.location,
                time_of_day=beat.time_of_day,
                characters=list(beat.characters),
                action=beat.action,
                dialogue=list(beat.dialogue),
                shot=shot,
                angle=angle,
                move=move,
                duration_s=seconds,
                transition=beat.transition,
                notes=beat.notes,
            )
        )
    _unique_numbers(project)
    ensure_ids(project)
    for scene in project.scenes:
        scene.seed = scene_seed(project.title, scene.id)
        scene.prompt = scene_prompt(scene, project)
    project.validate()
    return project


def shot_numbers(beats: list[Beat]) -> list[str]:
    """One number per shot: consecutive shots of one group share the group's number, lettered when several."""
    spans: list[list[int]] = []  # indices of each run of one group
    for i, beat in enumerate(beats):
        if spans and beats[spans[-1][0]].group == beat.group and beat.group >= 0:
            spans[-1].append(i)
        else:
            spans.append([i])
    numbers = [""] * len(beats)
    for position, span in enumerate(spans, start=1):
        base = beats[span[0]].number or str(position)
        for k, i in enumerate(span):
            if len(span) == 1:
                numbers[i] = base
            elif base[-1].isdigit():
                numbers[i] = base + _letters(k)
            else:
                numbers[i] = f"{base}-{k + 1}"
    return numbers


def _letters(k: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB."""
    out = ""
    k += 1
    while k:
        k, rest = divmod(k - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _unique_numbers(project: Project) -> None:
    """Forced numbers (screenplay #12#) may repeat or clash: fall back to their position."""
    seen: set[str] = set()
    for i, scene in enumerate(project.scenes, start=1):
        if scene.number in seen:
            scene.number = str(i)
            while scene.number in seen:
                scene.number += "A"
        seen.add(scene.number)
