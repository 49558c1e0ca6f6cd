"""Screenplays through the whole planner: sluglines → scenes, cues → characters and dialogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyboard.errors import InputError
from storyboard.planning import plan_text

SCRIPT = (Path(__file__).parent / "data" / "last_light.fountain").read_text(encoding="utf-8")


def shots_of(project, heading):
    return [s for s in project.scenes if s.heading == heading]


def test_screenplay_scenes_fields():
    project = plan_text(SCRIPT)
    assert project.source_format == "screenplay"
    assert project.title == "THE LAST LIGHT A Coastal Tale"
    first = shots_of(project, "INT. LIGHTHOUSE - LAMP ROOM - NIGHT")
    assert [s.number for s in first] == [f"1{letter}" for letter in "ABCDEF"[:len(first)]]
    assert project.scenes[:len(first)] == first  # a scene's shots stay together, in order
    for shot in first:
        assert (shot.interior, shot.location, shot.time_of_day) == ("INT", "Lighthouse - Lamp Room", "NIGHT")
    assert first[-1].transition == "CUT TO:" and all(not s.transition for s in first[:-1])
    assert "brightest" in " ".join(s.notes for s in first)
    assert "Rain hammers the glass" in " ".join(s.action for s in first)
    lines = [(d.character, d.extension, d.parenthetical, d.text) for s in first for d in s.dialogue]
    assert lines[0] == ("ELENA", "V.O.", "", "Forty years I kept this light.")
    assert lines[1][2] == "(quietly)"
    assert ("TOMÁS", "O.S.", "", "Mother? Are you up there?") in lines
    assert all("TOMÁS" not in s.characters for s in first)  # TOMÁS is only heard, off screen (O.S.)
    cliff = shots_of(project, "EXT. CLIFF PATH - CONTINUOUS")
    assert [s.number for s in cliff][:2] == ["2A-1", "2A-2"]  # a forced number with a letter: dash, then the shot
    assert {s.interior for s in cliff} == {"EXT"}
    assert {s.time_of_day for s in cliff} == {"NIGHT"}  # CONTINUOUS carries the time of the scene before


def test_screenplay_characters_keep_one_spelling_and_all_appear():
    project = plan_text(SCRIPT)
    names = [c.name for c in project.characters]
    assert len(names) == len(set(names))
    assert {"ELENA", "TOMÁS", "ZOË", "АННА"} <= set(names)
    assert all(set(s.characters) <= set(names) for s in project.scenes)
    assert project.character("ELENA").description == "60s"  # "ELENA (60s) trims the wick"


def test_screenplay_shot_grammar_uses_dialogue_and_places():
    project = plan_text(SCRIPT)
    harbour = next(s for s in project.scenes if "Harbor" in s.location)
    assert harbour.shot in ("EWS", "LS")  # a new place with no one talking opens wide
    cliff = shots_of(project, "EXT. CLIFF PATH - CONTINUOUS")
    talk = [s for s in cliff if s.dialogue and not s.action]
    assert [d.character for s in talk for d in s.dialogue] == ["TOMÁS", "ELENA", "ZOË"]
    assert talk[0].shot == "two-shot" and talk[0].characters == ["TOMÁS", "ELENA"]  # the master
    assert talk[1].shot == "OTS" and talk[1].characters == ["ELENA", "TOMÁS"]  # the reverse, on the speaker
    assert "ZOË" not in talk[2].characters  # voice-over plays over the two on the path
    assert cliff[0].shot in ("EWS", "LS")  # a new place that opens on an emotional moment: establishing first


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


# --- scenes broken into shots, who is in each ---------------------------------------------------------

SCENE_FOUR = """INT. BRICK'S PATIO - NIGHT #4#

JUNE (30s, soaked raincoat) waits under the awning. An old man with a lantern shuffles past.

OLD MAN
Storm's coming.

JUNE
It's here.

Brick steps out with two beers.

BRICK
(handing her one)
You came back.

INT. BRICK'S KITCHEN - CONTINUOUS

The phone rings. Brick answers it.

DISPATCH
(over the speakerphone)
Unit four, report.

BRICK
Not tonight.

INT. BRICK'S KITCHEN - SAME

June pours the beer down the sink.
"""


def units(scenes) -> int:
    """The shared scorer's count: consecutive shots with one heading are one scene."""
    return sum(1 for k, s in enumerate(scenes) if k == 0 or s.heading != scenes[k - 1].heading)


def test_a_scene_is_broken_into_its_moments_and_stays_one_unit():
    project = plan_text(SCENE_FOUR)
    patio = [s for s in project.scenes if s.heading == "INT. BRICK'S PATIO - NIGHT"]
    assert len(patio) >= 4
    assert [s.number for s in patio] == [f"4{chr(ord('A') + k)}" for k in range(len(patio))]
    assert {(s.location, s.time_of_day) for s in patio} == {("Brick's Patio", "NIGHT")}
    assert units(project.scenes) == 3  # the two kitchen headings differ only by SAME/CONTINUOUS: still two
    texts = [s.action or " / ".join(d.text for d in s.dialogue) for s in patio]
    assert texts.index("Storm's coming.") < texts.index("It's here.") < texts.index("Brick steps out with two beers.")


def test_who_is_in_each_moment():
    project = plan_text(SCENE_FOUR)
    opening = next(s for s in project.scenes if s.action.startswith("JUNE"))
    assert opening.characters == ["JUNE", "OLD MAN"]  # named in the action; Brick is not there yet
    brick = next(s for s in project.scenes if s.action == "Brick steps out with two beers.")
    assert brick.characters == ["BRICK"]
    dispatch = next(s for s in project.scenes if any(d.character == "DISPATCH" for d in s.dialogue))
    assert "DISPATCH" not in dispatch.characters  # a voice on the speakerphone is off screen
    assert all("DISPATCH" not in s.characters for s in project.scenes)


def test_introductions_describe_characters():
    project = plan_text(SCENE_FOUR)
    assert project.character("JUNE").description == "30s, soaked raincoat"
    assert project.character("OLD MAN").description == "old man with a lantern"
    silent = plan_text("INT. BARN - DAY\n\nAn old woman with a lantern feeds the goats.\n\nA GUARD (50s) dozes.\n")
    assert silent.character("Old Woman").description == "old woman with a lantern"
    assert silent.character("GUARD").description == "50s"
    sound = plan_text("INT. BAR - NIGHT\n\nMUSIC (O.S.) thumps next door.\n\nJO\nHi.\n")
    assert [c.name for c in sound.characters] == ["JO"]  # a sound heard off screen is no one


def test_one_introduction_makes_two_cues_one_person():
    text = ('INT. SHOP - DAY\n\nMARGARET "PEG" OLSEN (50s, cardigan) counts coins.\n\n'
            "MRS. OLSEN (O.S.)\nWe're closed!\n\nINT. BACK ROOM - DAY\n\nPeg sits.\n\nPEG\nTea?\n\nPEG\nNo?\n")
    project = plan_text(text)
    assert [c.name for c in project.characters] == ["PEG"]
    assert {d.character for s in project.scenes for d in s.dialogue} == {"PEG"}
    assert project.character("PEG").description == "50s, cardigan"


def test_relative_times_carry_the_time_before_and_headings_keep_the_word():
    project = plan_text(SCENE_FOUR)
    kitchen = [s for s in project.scenes if "KITCHEN" in s.heading]
    assert {s.time_of_day for s in kitchen} == {"NIGHT"}
    assert {s.heading for s in kitchen} == {"INT. BRICK'S KITCHEN - CONTINUOUS", "INT. BRICK'S KITCHEN - SAME"}


def test_sloppy_script_through_the_planner():
    text = ("int boathouse night\nKOFI (40s, wet boots) bails out a dinghy. His daughter AMA (12) holds the torch.\n"
            "AMA\nIs it sinking?\nKOFI\nNot yet.\nAma laughs.\next jetty -- later\nThe dinghy floats. Kofi rows.\n")
    project = plan_text(text)
    assert project.source_format == "screenplay"
    assert units(project.scenes) == 2
    assert [(d.character, d.text) for s in project.scenes for d in s.dialogue] == [
        ("AMA", "Is it sinking?"), ("KOFI", "Not yet.")]
    assert {c.name for c in project.characters} == {"KOFI", "AMA"}
    jetty = [s for s in project.scenes if s.heading == "ext jetty -- later"]
    assert {(s.interior, s.location, s.time_of_day) for s in jetty} == {("EXT", "jetty", "NIGHT")}


def test_title_page_only_is_refused_with_a_message():
    with pytest.raises(InputError, match="only a title page"):
        plan_text("Title: Only\nAuthor: Me\n")
