"""Edits to a project: the scene list and the cast, validated like a load.

Pure functions over a Project; the app (and any script) calls them, then
saves. Bad values raise InputError naming the field and the value, and leave
the project as it was.
"""

from __future__ import annotations

import copy
import itertools
import random
import re
from dataclasses import dataclass

from . import film
from .dialogue import parse_lines
from .errors import InputError
from .project import Character, Project, Scene, new_scene_id, scene_seed
from .render.prompts import scene_prompt
from .slug import name_key

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


def _interior(value) -> str:
    interior = (value or "").strip().upper()
    if interior not in ("", "INT", "EXT", "INT/EXT"):
        raise InputError(f"interior must be INT, EXT, INT/EXT or empty, got {value!r}")
    return interior


def _names(value) -> list[str]:
    return [_text(n, "character name") for n in (value or []) if str(n).strip()]


TEXT_FIELDS = ("location", "time_of_day", "action", "transition", "notes", "prompt")
# Each form field's own check: the value it stands for, or InputError naming the problem. The studio runs these
# per field before a save (the message goes on that field); apply_scene_edit runs them all.
FIELD_CHECKS = {
    "shot": lambda v: _grammar(v, film.normalize_shot, "shot size"),
    "angle": lambda v: _grammar(v, film.normalize_angle, "camera angle"),
    "move": lambda v: _grammar(v, film.normalize_move, "camera move"),
    "duration_s": parse_duration,
    "interior": _interior,
    "characters": _names,
    "dialogue": lambda v: parse_lines(_text(v, "dialogue")),
    **{name: (lambda v, name=name: _text(v, name)) for name in TEXT_FIELDS},
}


def field_problems(edit: SceneEdit) -> dict[str, str]:
    """Each field of the form whose value cannot be saved, with what is wrong with it ({} when all can)."""
    problems = {}
    for name, check in FIELD_CHECKS.items():
        try:
            check(getattr(edit, name))
        except InputError as err:
            problems[name] = str(err)
    return problems


def apply_scene_edit(project: Project, scene_id: str, edit: SceneEdit) -> Scene:
    """Validate every field first, then change the scene (all or nothing)."""
    _, scene = find(project, scene_id)
    checked = {name: check(getattr(edit, name)) for name, check in FIELD_CHECKS.items()}
    shot, angle, move, seconds = checked["shot"], checked["angle"], checked["move"], checked["duration_s"]
    interior, names, dialogue = checked["interior"], checked["characters"], checked["dialogue"]
    fields = {name: checked[name] for name in TEXT_FIELDS}
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
    """A new scene at the end (after 12C comes 13), or a shot right after a scene (see `insert_number`)."""
    if after_id is None or not project.scenes:
        scene = _new_scene(project, next_number(project))
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
    index, _ = find(project, scene_id)
    if not 0 <= index + delta < len(project.scenes):
        raise InputError("the scene is already " + ("first" if delta < 0 else "last"))
    move_scene_to(project, scene_id, index + delta)


def move_scene_to(project: Project, scene_id: str, position: int) -> None:
    """Put a scene at `position` (0-based) on the board; the others keep their order (and numbers)."""
    index, scene = find(project, scene_id)
    if not isinstance(position, int) or not 0 <= position < len(project.scenes):
        raise InputError(f"a scene can move to places 1 to {len(project.scenes)}, not {position!r}")
    project.scenes.pop(index)
    project.scenes.insert(position, scene)


def reroll(project: Project, scene_id: str, rng: random.Random | None = None) -> int:
    """Give a scene a new seed (a new take); returns it. A locked scene is frozen: InputError."""
    _, scene = find(project, scene_id)
    if scene.locked:
        raise InputError(f"scene {scene.number} is locked: unlock it to re-roll it")
    rng = rng or random.Random()
    seed = scene.seed
    while seed == scene.seed:
        seed = rng.randrange(2**31)
    scene.seed = seed
    return seed


def set_locked(project: Project, scene_id: str, locked: bool) -> None:
    find(project, scene_id)[1].locked = bool(locked)


# -- scene numbers ------------------------------------------------------------
#
# A board numbers shots by the beat (story beat or screenplay scene) they cover:
# "4" when the beat is one shot, "4A", "4B", "4C" when it is several (see
# planning/assemble.py). A number that already ends in a letter takes "-1", "-2"
# for what comes under it ("2A" → "2A-1"), as forced screenplay numbers do.

_PART = re.compile(r"\d+|[A-Z]+")


def number_key(number: str) -> tuple:
    """How numbers sort on a board: 4 < 4A < 4A-1 < 4A-2 < 4B < … < 4Z < 4AA < 5."""
    return tuple((0, int(part), "") if part.isdigit() else (1, len(part), part)
                 for part in _PART.findall(number.upper()))


def leading_number(number: str) -> int | None:
    """The beat a number belongs to: its first run of digits (12C → 12), or None."""
    match = re.search(r"\d+", number)
    return int(match.group()) if match else None


def _next_letters(letters: str) -> str:
    """A → B, Z → AA, AZ → BA: the order the planner letters shots in."""
    if not letters:
        return "A"
    if letters[-1] != "Z":
        return letters[:-1] + chr(ord(letters[-1]) + 1)
    return _next_letters(letters[:-1]) + "A"


def _next_sibling(number: str) -> str | None:
    """The next number at the same level (4A → 4B, 4A-1 → 4A-2); a plain scene number has none."""
    parts = list(_PART.finditer(number))
    if len(parts) < 2:
        return None
    last = parts[-1].group()
    step = str(int(last) + 1) if last.isdigit() else _next_letters(last)
    return number[: parts[-1].start()] + step + number[parts[-1].end():]


def _children(number: str):
    """The numbers under one, in order: 4 → 4A, 4B …; 4A → 4A-1, 4A-2 …; 4A-1 → 4A-1A …"""
    if number[-1:].isalpha():
        k = 1
        while True:
            yield f"{number}-{k}"
            k += 1
    letters = "A"
    while True:
        yield number + letters
        letters = _next_letters(letters)


def insert_number(project: Project, after: int) -> str:
    """The number of a shot inserted right after the shot at index `after`.

    It takes the first free number that sorts between that shot and the one
    after it (by `number_key`), trying in turn
      1. the next number at the same level: 4A → 4B, 4A-1 → 4A-2, 12C → 12D
         (after a plain scene number this step is skipped: 4 is followed by 5);
      2. a number under it: 4 → 4A, 4B …; 4A → 4A-1, 4A-2 …; 4A-1 → 4A-1A …
    So after 4A with 4B taken the new shot is 4A-1 (never 4D), after 4 it is 4A,
    after the last shot 12C it is 12D. This is the film convention of locked
    numbers (a scene added after 10 is 10A) with the project's rule that a number
    ending in a letter branches with "-1" (letters after letters, 4AA, would read
    as the 27th shot of beat 4). When nothing free fits between (4A followed by
    its own 4A-1), the first free number under the shot is taken: unique, but out
    of order until the board is renumbered.
    """
    number = project.scenes[after].number.strip().upper()
    used = {s.number.strip().upper() for s in project.scenes}
    following = project.scenes[after + 1].number if after + 1 < len(project.scenes) else None
    limit = number_key(following) if following and number_key(following) > number_key(number) else None
    # 1. the next number at the same level, while it sorts before the following shot
    sibling = _next_sibling(number)
    while sibling is not None and (limit is None or number_key(sibling) < limit):
        if sibling not in used:
            return sibling
        sibling = _next_sibling(sibling)
    # 2. a number under it: the first free one that fits, else the first free one
    free = [c for c in itertools.islice(_children(number), len(used) + 1) if c not in used]  # never empty
    return next((c for c in free if limit is None or number_key(c) < limit), free[0])


def next_number(project: Project) -> str:
    """The number of a new scene at the end: one past the highest beat (after 12C comes 13)."""
    return str(max((n for s in project.scenes if (n := leading_number(s.number)) is not None), default=0) + 1)


def renumber_scenes(project: Project) -> None:
    """Number the board afresh in its order: 1, 2A, 2B, 3 …

    Neighbouring shots that share a beat (the same leading number: 2, 2A, 2A-1)
    stay one beat and are lettered; a beat of one shot gets a plain number.
    """
    runs: list[list[Scene]] = []
    for scene in project.scenes:
        beat = leading_number(scene.number)
        if runs and beat is not None and leading_number(runs[-1][0].number) == beat:
            runs[-1].append(scene)
        else:
            runs.append([scene])
    for position, run in enumerate(runs, start=1):
        if len(run) == 1:
            run[0].number = str(position)
            continue
        letters = "A"
        for scene in run:
            scene.number, letters = f"{position}{letters}", _next_letters(letters)


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
    _rename(project, char.name, name)
    char.name, char.description = name, _text(description, "description")
    return char


def delete_character(project: Project, name: str) -> None:
    char = project.character(name)
    if char is None:
        raise InputError(f"no character called {name!r}")
    project.characters.remove(char)
    for scene in project.scenes:
        scene.characters = [n for n in scene.characters if n != char.name]


def merge_characters(project: Project, name: str, into: str) -> Character:
    """One person the planner split in two ("the stranger" and the name he gives later): every shot and line of
    `name` becomes `into`'s, and `name` leaves the cast. `into` keeps its own description, LoRA and references,
    taking `name`'s where it has none."""
    gone, kept = project.character(name or ""), project.character(into or "")
    if gone is None:
        raise InputError(f"no character called {name!r}")
    if kept is None:
        raise InputError(f"choose the character to merge {gone.name} into")
    if gone is kept:
        raise InputError(f"{gone.name} cannot be merged into themselves; choose another character")
    _rename(project, gone.name, kept.name)
    kept.description = kept.description or gone.description
    kept.references = kept.references or gone.references
    if not kept.lora:
        kept.lora, kept.trigger = gone.lora, gone.trigger
    project.characters.remove(gone)
    return kept


def _rename(project: Project, old: str, new: str) -> None:
    """`old` becomes `new` in every shot and every line of dialogue (a speaker written in capitals stays so)."""
    key = name_key(old)
    for scene in project.scenes:
        names = [new if name_key(n) == key else n for n in scene.characters]
        scene.characters = list(dict.fromkeys(names))  # once each, in order
        for line in scene.dialogue:
            if name_key(line.character) == key:
                line.character = new.upper() if line.character.isupper() else new
