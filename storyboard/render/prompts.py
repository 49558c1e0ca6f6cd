"""What a renderer should draw for a scene, in words, most important first.

Album level (style) → scene level (shot, angle, characters, action, place,
time). The diffusion engine fits this into CLIP's 77-token window, so the
order matters: framing and who come before where and when.
"""

from __future__ import annotations

from .. import film
from ..project import Project, Scene


def character_phrase(project: Project, name: str) -> str:
    char = project.character(name)
    if char is None:
        return name
    parts = [p for p in (char.trigger, name) if p]
    text = " ".join(parts)
    return f"{text} ({char.description})" if char.description else text


def scene_prompt(scene: Scene, project: Project) -> str:
    shot = film.SHOT_SIZES[scene.shot].prompt
    angle = film.ANGLES[scene.angle]
    people = ", ".join(character_phrase(project, n) for n in scene.characters)
    setting = {"INT": "interior", "EXT": "exterior", "INT/EXT": "interior and exterior"}.get(scene.interior, "")
    place = " ".join(p for p in (setting, scene.location) if p)
    when = scene.time_of_day.lower()
    parts = [f"{shot}, {angle}", people, scene.action.strip(), place, when, project.style]
    return "; ".join(p for p in parts if p)


def region_prompt(scene: Scene, project: Project, name: str) -> str:
    """What one character's region of the frame shows: the framing, who they are, the board's style.

    The scene's action and place stay in the whole-frame prompt: in a character's region they would pull the
    background (or the other characters) into it.
    """
    shot = film.SHOT_SIZES[scene.shot].prompt
    parts = [f"{shot}, {film.ANGLES[scene.angle]}", character_phrase(project, name), project.style]
    return "; ".join(p for p in parts if p)
