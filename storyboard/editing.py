"""Edits to a project: the scene list and the cast, validated like a load.

Pure functions over a Project; the app (and any script) calls them, then
saves. Bad values raise InputError naming the field and the value, and leave
the project as it was.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from . import film
from .dialogue import parse_lines
from .errors import InputError
from .project import Character, Project, Scene, insert_number, new_scene_id, renumber, scene_seed
from .render.prompts import scene_prompt

MAX_TEXT = 20_000


@dataclass
class SceneEdit:
    """What the scene form sends: every field as the user typed it."""

    shot: str
    angle: str
    move: str
    duration_s: str
    characters: list[str]
    location: str = ""
    time_of_day: str = ""
    interior: str = ""
    action: str = ""
    dialogue: str = ""
    transition: str = ""
    notes: str = ""
    prompt: str = ""


def find(project: Project, scene_id: str) -> tuple[int, Scene]:
    for i, scene in enumerate(project.scenes):
        if scene.id == scene_id:
            return i, scene
    raise InputError("that scene no longer exists; pick another one")


def _text(value: str, field: str) -> str:
    value = "" if value is None else str(value)
    if len(value) > MAX_TEXT:
        raise InputError(f"{field} is too long ({len(value)} characters; at most {MAX_TEXT})")
    return value.strip()


def parse_duration(value) -> float:
    try:
        seconds = float(str(value).strip().rstrip("s").strip())
    except ValueError:
        raise InputError(f"duration must be a number of seconds, got {str(value)!r}") from None
    if not 0 < seconds <= 3600 or seconds != seconds:
        raise InputError(f"duration must be between 0 and 3600 seconds, got {str(value)!r}")
    return round(seconds, 2)


def _grammar(value: str, normalize, field: str) -> str:
    try:
        return normalize(value or "")
    except ValueError as err:
        raise InputError(f"{field}: {err}") from None


def apply_scene_edit(project: Project, scene_id: str, edit: SceneEdit) -> Scene:
    """Validate every field first, then change the scene (all or nothing)."""
    _, scene = find(project, scene_id)
    shot = _grammar(edit.shot, film.normalize_shot, "shot size")
    angle = _grammar(edit.angle, film.normalize_angle, "camera angle")
    move = _grammar(edit.move, film.normalize_move, "camera move")
    seconds = parse_duration(edit.duration_s)
    interior = (edit.interior or "").strip().upper()
    if interior not in ("", "INT", "EXT", "INT/EXT"):
        raise InputError(f"interior must be INT, EXT, INT/EXT or empty, got {edit.interior!r}")
    names = [_text(n, "character name") for n in (edit.characters or []) if str(n).strip()]
    dialogue = parse_lines(_text(edit.dialogue, "dialogue"))
    fields = {name: _text(getattr(edit, name), name) for name in
              ("location", "time_of_day", "action", "transition", "notes", "prompt")}
    was_auto = scene.prompt == scene_prompt(scene, project)
    for name in names + [line.character for line in dialogue if line.character]:
        if project.character(name) is None:
            project.characters.append(Character(name=name))
    scene.shot, scene.angle, scene.move, scene.duration_s, scene.interior = shot, angle, move, seconds, interior
    scene.characters = list(dict.fromkeys(project.character(n).name for n in names))
    scene.dialogue = dialogue
    scene.location, scene.time_of_day = fields["location"], fields["time_of_day"].upper()
    scene.action, scene.transition, scene.notes = fields["action"], fields["transition"], fields["notes"]
    # A prompt the planner wrote follows the scene; one the user wrote is kept.
    scene.prompt = scene_prompt(scene, project) if was_auto or not fields["prompt"] else fields["prompt"]
    return scene


def _new_scene(project: Project, number: str, like: Scene | None = None) -> Scene:
    scene = copy.deepcopy(like) if like is not None else Scene(number=number)
    scene.number, scene.id, scene.panel, scene.locked = number, new_scene_id(project), None, False
    if like is None:
        scene.seed = scene_seed(project.title, scene.id)
        scene.prompt = scene_prompt(scene, project)
    return scene


def add_scene(project: Project, after_id: str | None = None) -> Scene:
    """A new scene at the end (numbered next), or right after a scene (numbered 2A, 2B …)."""
    if after_id is None or not project.scenes:
        last = max((int(s.number) for s in project.scenes if s.number.isdigit()), default=0)
        scene = _new_scene(project, str(last + 1))
        project.scenes.append(scene)
        return scene
    index, _ = find(project, after_id)
    scene = _new_scene(project, insert_number(project, index))
    project.scenes.insert(index + 1, scene)
    return scene


def duplicate_scene(project: Project, scene_id: str) -> Scene:
    index, original = find(project, scene_id)
    scene = _new_scene(project, insert_number(project, index), like=original)
    project.scenes.insert(index + 1, scene)
    return scene


def delete_scene(project: Project, scene_id: str) -> int:
    """Remove a scene; returns the index of the scene to select next."""
    index, _ = find(project, scene_id)
    if len(project.scenes) == 1:
        raise InputError("a board needs at least one scene; add another before deleting this one")
    project.scenes.pop(index)
    return min(index, len(project.scenes) - 1)


def move_scene(project: Project, scene_id: str, delta: int) -> None:
    index, scene = find(project, scene_id)
    target = index + delta
    if not 0 <= target < len(project.scenes):
        raise InputError("the scene is already " + ("first" if delta < 0 else "last"))
    project.scenes.pop(index)
    project.scenes.insert(target, scene)


def renumber_scenes(project: Project) -> None:
    renumber(project)


def reroll(project: Project, scene_id: str, rng: random.Random | None = None) -> int:
    """Give a scene a new seed (a new take); returns it."""
    _, scene = find(project, scene_id)
    rng = rng or random.Random()
    seed = scene.seed
    while seed == scene.seed:
        seed = rng.randrange(2**31)
    scene.seed = seed
    return seed


def set_locked(project: Project, scene_id: str, locked: bool) -> None:
    find(project, scene_id)[1].locked = bool(locked)


# -- the cast -----------------------------------------------------------------


def save_character(project: Project, old_name: str | None, name: str, description: str) -> Character:
    """Add a character, or rename/describe one (scenes and dialogue follow a rename)."""
    name = _text(name, "character name")
    if not name:
        raise InputError("a character needs a name")
    other = project.character(name)
    if old_name is None:
        if other is not None:
            raise InputError(f"there is already a character called {other.name}")
        char = Character(name=name, description=_text(description, "description"))
        project.characters.append(char)
        return char
    char = project.character(old_name)
    if char is None:
        raise InputError(f"no character called {old_name!r}")
    if other is not None and other is not char:
        raise InputError(f"there is already a character called {other.name}")
    for scene in project.scenes:
        scene.characters = [name if n == char.name else n for n in scene.characters]
        for line in scene.dialogue:
            if line.character == char.name:
                line.character = name
    char.name, char.description = name, _text(description, "description")
    return char


def delete_character(project: Project, name: str) -> None:
    char = project.character(name)
    if char is None:
        raise InputError(f"no character called {name!r}")
    project.characters.remove(char)
    for scene in project.scenes:
        scene.characters = [n for n in scene.characters if n != char.name]
