"""Screenplays through the whole planner: sluglines → scenes, cues → characters and dialogue."""

from __future__ import annotations

from pathlib import Path

from storyboard.planning import plan_text

SCRIPT = (Path(__file__).parent / "data" / "last_light.fountain").read_text(encoding="utf-8")


def test_screenplay_scenes_fields():
    project = plan_text(SCRIPT)
    assert project.source_format == "screenplay"
    assert project.title == "THE LAST LIGHT A Coastal Tale"
    first = project.scenes[0]
    assert first.number == "1"
    assert (first.interior, first.location, first.time_of_day) == ("INT", "Lighthouse - Lamp Room", "NIGHT")
    assert first.transition == "CUT TO:"
    assert "brightest" in first.notes
    assert "Rain hammers the glass" in first.action
    lines = [(d.character, d.extension, d.parenthetical, d.text) for d in first.dialogue]
    assert lines[0] == ("ELENA", "V.O.", "", "Forty years I kept this light.")
    assert lines[1][2] == "(quietly)"
    assert ("TOMÁS", "O.S.", "", "Mother? Are you up there?") in lines
    assert first.characters == ["ELENA"]  # TOMÁS is only heard, off screen (O.S.)
    assert project.scenes[1].number == "2A"
    assert project.scenes[1].interior == "EXT"


def test_screenplay_characters_keep_one_spelling_and_all_appear():
    project = plan_text(SCRIPT)
    names = [c.name for c in project.characters]
    assert len(names) == len(set(names))
    assert {"ELENA", "TOMÁS", "ZOË", "АННА"} <= set(names)
    assert all(set(s.characters) <= set(names) for s in project.scenes)


def test_screenplay_shot_grammar_uses_dialogue_and_places():
    project = plan_text(SCRIPT)
    harbour = next(s for s in project.scenes if "Harbor" in s.location)
    assert harbour.shot in ("EWS", "LS")  # a new place with no one talking opens wide
    talk = project.scenes[1]  # Tomás and Elena on screen, Zoë only in voice-over
    assert talk.characters == ["TOMÁS", "ELENA"]
    assert talk.shot in ("OTS", "two-shot")
    assert project.scenes[0].shot in ("CU", "MCU")  # one person talking


def test_screenplay_without_sluglines():
    text = "MARA\nWhere were you?\n\nTOM\n(tired)\nOut at sea.\n\nMARA\nFor three days?\n"
    project = plan_text(text)
    assert project.source_format == "screenplay"
    assert {"MARA", "TOM"} <= {c.name for c in project.characters}
    spoken = [d.text for s in project.scenes for d in s.dialogue]
    assert spoken == ["Where were you?", "Out at sea.", "For three days?"]
    assert len(project.scenes) >= 3  # one scene gets coverage: master, the scene, a close-up
    assert all(s.characters for s in project.scenes)


def test_plain_pasted_screenplay_is_detected():
    text = "INT. KITCHEN - NIGHT\n\nMara waits.\n\nMARA\nTom?\n\nEXT. STREET - NIGHT\n\nTom runs.\n"
    project = plan_text(text)
    assert {s.location for s in project.scenes} >= {"Kitchen", "Street"}
