"""Fixtures: a small multilingual board with real PNG panels on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from storyboard.project import Character, DialogueLine, Panel, Project, Scene

PANEL_SIZE = (320, 180)


def write_panel(folder: Path, name: str, grey: int, size: tuple[int, int] = PANEL_SIZE) -> Panel:
    """A flat grey PNG with a dark ellipse, like a sketch panel."""
    path = folder / "panels" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("L", size, grey)
    box = (size[0] // 3, size[1] // 4, size[0] // 2, size[1] // 2)
    ImageDraw.Draw(image).ellipse(box, outline=10, width=3)
    image.save(path)
    return Panel(path=f"panels/{name}.png", backend="sketch", width=size[0], height=size[1])


def make_board(folder: Path, count: int = 7) -> Project:
    """`count` scenes numbered 1, 2, 2A, 3, 4 …; scene "3" is left unrendered."""
    numbers = ["1", "2", "2A"] + [str(n) for n in range(3, count)]
    scenes = []
    for i, number in enumerate(numbers[:count]):
        scene = Scene(
            number=number,
            id=f"s{i + 1:04d}",
            heading=f"INT. LIGHTHOUSE - NIGHT {number}",
            action=f"Action for scene {number}.",
            shot="MS",
            duration_s=3.0,
        )
        if number != "3":
            scene.panel = write_panel(folder, scene.id, grey=60 + 20 * (i % 8))
        scenes.append(scene)
    if count >= 2:
        second = scenes[1]
        second.characters = ["Zoë", "Дмитрий"]
        second.shot, second.angle, second.move = "CU", "low", "dolly in"
        second.duration_s = 2.5
        second.action = "Zoë hears footsteps on the stairs."
        second.notes = "Keep the lantern in frame"
        second.dialogue = [
            DialogueLine("Zoë", "Who's there? 👋", parenthetical="(whispering)"),
            DialogueLine("Дмитрий", "Кто там? Это я."),
        ]
    if count >= 3:
        scenes[2].characters = ["李明"]
        scenes[2].dialogue = [DialogueLine("李明", "我在这里。", extension="V.O.")]
    return Project(
        title="The Lighthouse",
        characters=[Character("Zoë"), Character("Дмитрий"), Character("李明")],
        scenes=scenes,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


@pytest.fixture
def board(folder: Path) -> Project:
    return make_board(folder)
