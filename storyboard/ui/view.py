"""What the app shows of a project: plain data, no gradio (so it is unit-tested).

`View.of(project, folder, selected)` computes everything the tabs display: the board's cards (board.py turns them
into HTML), the selected scene's form, the cast. The app maps it onto components in one place (app.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import film
from ..dialogue import format_lines
from ..editing import SceneEdit
from ..project import Project, Scene


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class SceneForm:
    """The scene form: which scene, and its fields as the user edits them (an editing.SceneEdit)."""

    id: str = ""
    heading: str = "No scene selected"
    locked: bool = False
    seed: int = 0
    values: SceneEdit = field(default_factory=lambda: SceneEdit(shot="MS", angle="eye level", move="static",
                                                                duration_s="3.0", characters=[]))

    @classmethod
    def of(cls, scene: Scene | None, number: str = "") -> SceneForm:
        """The form of `scene`, headed with its printed shot `number` (default: its own)."""
        if scene is None:
            return cls()
        where = " — ".join(p for p in (scene.location, scene.time_of_day) if p)
        values = SceneEdit(
            shot=scene.shot, angle=scene.angle, move=scene.move, duration_s=f"{scene.duration_s:g}",
            characters=list(scene.characters), interior=scene.interior, location=scene.location,
            time_of_day=scene.time_of_day, action=scene.action, dialogue=format_lines(scene.dialogue),
            transition=scene.transition, notes=scene.notes, prompt=scene.prompt,
        )
        heading = f"Shot {number or scene.number}" + (f" · {where}" if where else "")
        return cls(id=scene.id, heading=heading, locked=scene.locked, seed=scene.seed, values=values)


@dataclass
class Card:
    """One panel card on the board: what an artist reads at a glance."""

    id: str
    number: str
    shot: str
    angle: str
    move: str
    duration_s: float
    characters: list[str]
    where: str
    action: str
    dialogue: list[str]  # "NAME: text", one per line
    panel: str = ""  # the panel's file ('' before it is drawn)
    locked: bool = False
    stale: bool = False  # drawn from other inputs than the scene has now

    @property
    def marks(self) -> str:
        return (" 🔒" if self.locked else "") + (" ⚠ out of date" if self.stale else "")


@dataclass
class View:
    has_project: bool = False
    title: str = ""
    aspect: str = "16:9"
    status: str = "No board yet: write or load a story, then press **Plan**."
    cards: list[Card] = field(default_factory=list)
    scene_choices: list[tuple[str, str]] = field(default_factory=list)  # (label, id)
    selected: str = ""
    form: SceneForm = field(default_factory=SceneForm)
    cast_table: list[list] = field(default_factory=list)
    cast_names: list[str] = field(default_factory=list)
    cast_choices: list[tuple[str, str]] = field(default_factory=list)  # ("Mara Lin — 12 shots", "Mara Lin")
    synopsis: str = ""  # the text the board was planned from (the Story box after a reload)
    locked_ids: list[str] = field(default_factory=list)  # scenes whose panel is locked (frozen)
    stale_ids: list[str] = field(default_factory=list)  # scenes whose panel was drawn from other inputs

    def locked_kept(self, scene_ids: list[str] | None = None) -> int:
        """How many locked panels a render of these scenes (None: all) kept as they are."""
        return sum(1 for sid in self.locked_ids if scene_ids is None or sid in scene_ids)

    @property
    def gallery(self) -> list[tuple[str, str]]:
        """(panel file, caption) of each drawn panel, in board order."""
        return [(c.panel, f"{c.number} · {c.shot}" + c.marks) for c in self.cards if c.panel]

    def selected_panel(self) -> str:
        """The file of the selected scene's panel ('' when it has none)."""
        return next((c.panel for c in self.cards if c.id == self.selected), "")

    @classmethod
    def of(cls, project: Project | None, folder: Path, selected: str = "") -> View:
        if project is None or not project.scenes:
            return cls()
        from ..render import out_of_date  # noqa: PLC0415  (the render package: only once there is a board)

        ids = [s.id for s in project.scenes]
        selected = selected if selected in ids else ids[0]
        numbers = project.shot_numbers()
        rendered = sum(1 for s in project.scenes if s.panel)
        runtime = sum(s.duration_s for s in project.scenes)
        view = cls(
            has_project=True,
            title=project.title,
            aspect=project.aspect_ratio,
            status=(f"**{project.title}** · {len(project.scenes)} scenes · {len(project.characters)} characters · "
                    f"{rendered} rendered · {runtime:.0f} s · {project.aspect_ratio}"),
            selected=selected,
            form=SceneForm.of(project.scenes[ids.index(selected)], numbers[ids.index(selected)]),
            cast_names=[c.name for c in project.characters],
            synopsis=project.synopsis,
        )
        for number, scene in zip(numbers, project.scenes):
            panel = panel_path(folder, scene)
            card = Card(id=scene.id, number=number, shot=scene.shot, angle=scene.angle, move=scene.move,
                        duration_s=scene.duration_s, characters=list(scene.characters),
                        where=" — ".join(p for p in (scene.interior, scene.location, scene.time_of_day) if p),
                        action=_short(scene.action, 240),
                        dialogue=[_short(f"{d.character}: {d.text}", 140) for d in scene.dialogue[:3]],
                        panel=panel, locked=scene.locked, stale=bool(panel) and out_of_date(scene, project, number))
            view.cards.append(card)
            view.stale_ids += [scene.id] if card.stale else []
            view.locked_ids += [scene.id] if scene.locked and scene.panel is not None else []
            view.scene_choices.append((f"{number} · {scene.shot} · {_short(scene.action, 40)}", scene.id))
        if view.stale_ids:
            n = len(view.stale_ids)
            view.status += f" · ⚠ {n} panel{'s' if n != 1 else ''} out of date — **Render** to update"
        counts = shot_counts(project)
        view.cast_table = [[c.name, c.description, shots(counts[c.name]), c.trigger, c.lora or "—"]
                           for c in project.characters]
        view.cast_choices = [(f"{c.name} — {shots(counts[c.name])}", c.name) for c in project.characters]
        return view


def shot_counts(project: Project) -> dict[str, int]:
    """In how many shots each character of the cast is on screen."""
    counts = {c.name: 0 for c in project.characters}
    for scene in project.scenes:
        for name in set(scene.characters):
            if name in counts:
                counts[name] += 1
    return counts


def shots(count: int) -> str:
    return f"{count} shot" if count == 1 else f"{count} shots"


def panel_path(folder: Path, scene: Scene) -> str:
    from ..paths import within

    if scene.panel is None:
        return ""
    path = within(folder, scene.panel.path)
    return str(path) if path is not None and path.is_file() else ""


SHOTS = list(film.SHOT_SIZES)
ANGLES = list(film.ANGLES)
MOVES = list(film.MOVES)
