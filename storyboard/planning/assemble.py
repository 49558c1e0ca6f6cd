"""Beats → a numbered, seeded Project with film grammar applied."""

from __future__ import annotations

from ..project import Character, Project, Scene, ensure_ids, scene_seed
from ..render.prompts import scene_prompt
from . import grammar
from .beats import Beat, establishing

MIN_SCENES = 3


def cover_short(beats: list[Beat]) -> list[Beat]:
    """A story of one or two beats still gets coverage: a wide master, the beat, a close-up."""
    if len(beats) >= MIN_SCENES or not beats:
        return beats
    main = max(beats, key=lambda b: len(b.action) + 40 * len(b.dialogue))
    out = list(beats)
    if not out[0].establishing:
        out.insert(0, establishing(main, "Wide"))
    if len(out) < MIN_SCENES:
        who = main.characters[0] if main.characters else ""
        out.append(
            Beat(
                action=f"Close on {who}: reaction." if who else "Close detail.",
                characters=[who] if who else [],
                location=main.location,
                interior=main.interior,
                time_of_day=main.time_of_day,
                heading=main.heading,
                cues={"emotion"},
            )
        )
    return out


def build_project(
    beats: list[Beat],
    characters: list[Character],
    *,
    title: str,
    synopsis: str,
    source_format: str,
    aspect_ratio: str = "16:9",
    style: str | None = None,
) -> Project:
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
    for i, (beat, shot, angle, move, seconds) in enumerate(grammar.apply(beats), start=1):
        for name in beat.characters:
            if name not in known:
                project.characters.append(Character(name=name))
                known.add(name)
        project.scenes.append(
            Scene(
                number=beat.number or str(i),
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


def _unique_numbers(project: Project) -> None:
    """Forced numbers (screenplay #12#) may repeat or clash: fall back to their position."""
    seen: set[str] = set()
    for i, scene in enumerate(project.scenes, start=1):
        if scene.number in seen:
            scene.number = str(i)
            while scene.number in seen:
                scene.number += "A"
        seen.add(scene.number)
