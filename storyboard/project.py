"""The project model: the one source of truth every stage reads and writes.

Plain dataclasses, saved as project.json (see `store.py`). Each class has a
`validate()` that raises ValueError("field: problem") so loading can name the
exact bad field. Scene numbers are stable strings ("1", "2", "2A"); `id` is an
internal key that never changes, used for panel file names, so it must match
`SCENE_ID` (letters, digits, "-" and "_"; no path characters): an id that does
not is replaced when the project is loaded.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from . import film
from .slug import name_key

SCHEMA_VERSION = 1
SCENE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # what a scene id may be (it names files)


def valid_scene_id(value: object) -> bool:
    return isinstance(value, str) and SCENE_ID.fullmatch(value) is not None


@dataclass
class DialogueLine:
    character: str
    text: str
    parenthetical: str = ""  # "(whispering)", kept as written
    extension: str = ""  # "V.O.", "O.S.", "CONT'D"


@dataclass
class Character:
    name: str
    description: str = ""
    references: list[str] = field(default_factory=list)  # reference image paths
    lora: str = ""  # path of a trained adapter, relative to the project or loras/
    trigger: str = ""  # the rare token a LoRA was trained on

    def validate(self) -> None:
        if not self.name.strip():
            raise ValueError("name: a character needs a name")


@dataclass
class Panel:
    """A rendered panel image and the settings that made it."""

    path: str  # relative to the project folder
    backend: str
    settings: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""  # hash of everything that decides the pixels
    inputs: str = ""  # hash of the board's part of them (scene, cast, aspect, style): differs → out of date
    width: int = 0
    height: int = 0
    rendered_at: str = ""


@dataclass
class Scene:
    number: str
    id: str = ""
    heading: str = ""  # the slugline as written, e.g. "INT. LIGHTHOUSE - NIGHT"
    interior: str = ""  # "INT", "EXT", "INT/EXT" or ""
    location: str = ""
    time_of_day: str = ""
    characters: list[str] = field(default_factory=list)
    action: str = ""
    dialogue: list[DialogueLine] = field(default_factory=list)
    shot: str = "MS"
    angle: str = "eye level"
    move: str = "static"
    duration_s: float = 3.0
    transition: str = ""
    notes: str = ""
    prompt: str = ""
    seed: int = 0
    locked: bool = False  # a locked panel is kept by "render all"
    panel: Panel | None = None

    def validate(self) -> None:
        if not str(self.number).strip():
            raise ValueError("number: a scene needs a number")
        for name, check in (
            ("shot", film.normalize_shot),
            ("angle", film.normalize_angle),
            ("move", film.normalize_move),
        ):
            try:
                setattr(self, name, check(getattr(self, name)))
            except ValueError as err:
                raise ValueError(f"{name}: {err}") from None
        if not 0 <= self.duration_s <= 3600:
            raise ValueError(f"duration_s: must be between 0 and 3600 seconds, got {self.duration_s}")
        if not 0 <= self.seed < 2**32:
            raise ValueError(f"seed: must be between 0 and 2**32-1, got {self.seed}")


SHOT_NUMBERING = ("letters", "dashes")  # 4, 4A, 4B … or 4-1, 4-2, 4-3 (see `shot_numbers`)


@dataclass
class Project:
    schema_version: int = SCHEMA_VERSION
    title: str = "Untitled"
    synopsis: str = ""
    author: str = ""  # author or studio, printed on the PDF's cover page
    shot_numbering: str = "letters"  # how shots are numbered on the board and in every export
    source_format: str = "prose"  # "prose" or "screenplay"
    style: str = "clean pencil storyboard sketch"
    negative_prompt: str = ""
    aspect_ratio: str = "16:9"
    characters: list[Character] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)

    def validate(self) -> None:
        try:
            self.aspect_ratio = film.normalize_aspect(self.aspect_ratio)
        except ValueError as err:
            raise ValueError(f"aspect_ratio: {err}") from None
        numbering = str(self.shot_numbering).strip().lower()
        if numbering not in SHOT_NUMBERING:
            raise ValueError(
                f"shot_numbering: must be letters (4A, 4B) or dashes (4-1, 4-2), got {self.shot_numbering!r}"
            )
        self.shot_numbering = numbering
        seen: set[str] = set()
        for i, scene in enumerate(self.scenes):
            try:
                scene.validate()
            except ValueError as err:
                raise ValueError(f"scenes[{i}].{err}") from None
            if scene.number in seen:
                raise ValueError(f"scenes[{i}].number: scene number {scene.number!r} is used twice")
            seen.add(scene.number)
        ensure_ids(self)

    # -- characters -------------------------------------------------------
    def character(self, name: str) -> Character | None:
        key = name_key(name)
        return next((c for c in self.characters if name_key(c.name) == key), None)

    def tone(self, name: str) -> int:
        """The grey level (0-255) a character keeps across the whole board."""
        names = [name_key(c.name) for c in self.characters]
        key = name_key(name)
        index = names.index(key) if key in names else zlib.crc32(key.encode()) % 7
        # Spread tones so neighbours in the cast list differ clearly.
        return 70 + (index * 47) % 130

    # -- scenes -----------------------------------------------------------
    def shot_number(self, scene: Scene) -> str:
        """The printed shot number of `scene` (one of this project's scenes; its own number if it is not)."""
        if self.shot_numbering != "dashes":
            return scene.number
        index = next((i for i, other in enumerate(self.scenes) if other is scene), None)
        return scene.number if index is None else self.shot_numbers()[index]

    def shot_numbers(self) -> list[str]:
        """The printed shot number of each scene, in board order, as `shot_numbering` asks.

        Letters print the scene's own number (4, 4A, 4B). Dashes number the shots of each run of one
        scene: 4A, 4B, 4C → 4-1, 4-2, 4-3; a lone 5 → 5-1; a forced 12A-1 stays as written.
        """
        if self.shot_numbering != "dashes":
            return [scene.number for scene in self.scenes]
        out: list[str] = []
        previous, count = None, 0
        for scene in self.scenes:
            base = scene_part(scene.number)
            count = count + 1 if base == previous else 1
            previous = base
            out.append(scene.number if re.search(r"-\d+$", scene.number) else f"{base}-{count}")
        return out

    def scene_index(self, number: str) -> int:
        for i, scene in enumerate(self.scenes):
            if scene.number == str(number):
                return i
        raise KeyError(number)


def scene_seed(title: str, scene_id: str) -> int:
    """A stable default seed for a scene."""
    return zlib.crc32(f"{title}\x00{scene_id}".encode()) & 0x7FFFFFFF


def ensure_ids(project: Project) -> None:
    """Give every scene a unique, safe id: older or hand-written files lack them, a
    copied scene repeats one, an untrusted file may hold a path ("../x") instead."""
    used = {s.id for s in project.scenes if valid_scene_id(s.id)}
    counter = len(used)
    seen: set[str] = set()
    for scene in project.scenes:
        if valid_scene_id(scene.id) and scene.id not in seen:
            seen.add(scene.id)
            continue
        while True:
            counter += 1
            candidate = f"s{counter:04d}"
            if candidate not in used:
                break
        scene.id = candidate
        used.add(candidate)
        seen.add(candidate)


def new_scene_id(project: Project) -> str:
    used = {s.id for s in project.scenes}
    n = len(used) + 1
    while f"s{n:04d}" in used:
        n += 1
    return f"s{n:04d}"


_NUMBER = re.compile(r"^(\d*)([A-Z]*)$")


def scene_part(number: str) -> str:
    """The scene a shot number belongs to: "4B" → "4", "12A-1" → "12A", "4" → "4"; other text as written."""
    text = str(number).strip()
    dashed = re.fullmatch(r"(.+)-\d+", text)
    if dashed:
        return dashed.group(1)
    lettered = re.fullmatch(r"(\d+)[A-Za-z]+", text)
    return lettered.group(1) if lettered else text


def renumber(project: Project) -> None:
    """Number scenes 1, 2, 3 … in their current order."""
    for i, scene in enumerate(project.scenes, start=1):
        scene.number = str(i)


def insert_number(project: Project, after: int) -> str:
    """The number a scene inserted after index `after` gets: 2 → 2A, 2A → 2B."""
    base = project.scenes[after].number.upper()
    match = _NUMBER.match(base)
    digits, letters = (match.group(1), match.group(2)) if match else (base, "")
    used = {s.number.upper() for s in project.scenes}
    suffix = _next_letters(letters)
    while digits + suffix in used:
        suffix = _next_letters(suffix)
    return digits + suffix


def _next_letters(letters: str) -> str:
    if not letters:
        return "A"
    if letters[-1] != "Z":
        return letters[:-1] + chr(ord(letters[-1]) + 1)
    return letters + "A"
