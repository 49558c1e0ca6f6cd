"""Staging read from a scene's text: who does what (poses), who holds what, the set, night and weather, who is who."""

from __future__ import annotations

import pytest

from storyboard.project import Character, Project, Scene
from storyboard.staging import build_of, read_staging, set_pieces


def _read(action: str, cast=("Harriet", "Tom"), **fields):
    project = Project(characters=[Character(n) for n in cast])
    scene = Scene(number="1", characters=list(cast), action=action, **fields)
    return read_staging(scene, project, list(cast))


@pytest.mark.parametrize("action, pose", [
    ("Harriet kneels by the grave.", "kneel"),
    ("Harriet runs for the gate.", "run"),
    ("Harriet is running through the rain.", "run"),
    ("Harriet sat on the bench.", "sit"),
    ("Harriet lies asleep on the sofa.", "lie"),
    ("Harriet stumbles and falls.", "fall"),
    ("Harriet climbs the ladder.", "climb"),
    ("Harriet points at the ship.", "point"),
    ("Harriet looks up at the stars.", "look up"),
    ("Harriet slumps against the wall.", "slump"),
    ("Harriet crouches behind the car.", "crouch"),
    ("Harriet walks to the window.", "walk"),
    ("Harriet waits.", None),
])
def test_a_verb_poses_its_subject(action, pose):
    assert _read(action).poses.get("Harriet") == pose


def test_verbs_go_to_their_own_subjects_and_pronouns_to_the_last_subject():
    staged = _read("Tom sits at the table. Harriet kneels beside him. She looks up.")
    assert staged.poses == {"Tom": "sit", "Harriet": "kneel"}  # kneeling outranks looking up
    assert _read("Harriet and Tom run to the pier.").poses == {"Harriet": "run", "Tom": "run"}
    assert _read("Tom hands Harriet a letter.").poses == {"Tom": "hold"}


def test_a_held_prop_goes_in_the_right_hand():
    staged = _read("Tom picks up the knife. Harriet stands by the door, with a lantern.")
    assert staged.holds == {"Tom": "knife", "Harriet": "lantern"}
    assert _read("Harriet checks her wristwatch.").holds == {"Harriet": "watch"}
    assert _read("Harriet sees a gun on the table.").holds == {}  # seeing is not holding
    assert _read("A gun and a letter lie on the table.").props == ["gun", "letter"]


def test_set_pieces_from_the_place_then_the_action():
    assert set_pieces("INT. KITCHEN - NIGHT", "She opens the window.", True) == ["table", "window"]
    assert set_pieces("EXT. HARBOUR - DAY", "Trees sway by the road.", False) == ["sea", "trees", "street"]
    assert set_pieces("INT. CAR - DAY", "", True) == ["car"]
    assert "car" not in set_pieces("EXT. STREET - DAY", "A car passes.", False)  # in the action a car is a prop
    assert "bed" not in set_pieces("EXT. FIELD - DAY", "He dreams of his bed.", False)


def test_night_and_weather_from_the_heading_and_the_action():
    night_rain = _read("Rain hammers the roof.", heading="EXT. PIER - NIGHT", time_of_day="NIGHT")
    assert (night_rain.night, night_rain.weather) == (True, "rain")
    day = _read("Harriet waits.", heading="EXT. PIER - DAY", time_of_day="DAY")
    assert (day.night, day.weather) == (False, "")
    assert _read("Fog rolls in over the moor.").weather == "fog"
    assert _read("Snow falls on the village.").weather == "snow"
    assert _read("Harriet waits.", notes="a snowy morning").weather == "snow"


@pytest.mark.parametrize("description, expected", [
    ("a small girl of seven", dict(kind="person", height=0.65, hair="long")),
    ("a 10-year-old boy", dict(height=0.65, hair="short")),
    ("an old sheepdog", dict(kind="dog")),
    ("a ginger cat", dict(kind="cat")),
    ("a bearded fisherman in a cap and glasses", dict(beard=True, hat=True, glasses=True, height=1.0)),
    ("a bald man in a long trench coat", dict(hair="bald", coat=True)),
    ("a woman with short hair", dict(hair="short")),
    ("a woman in her thirties", dict(hair="long", height=1.0)),
])
def test_a_description_gives_a_silhouette(description, expected):
    build = build_of(Character("X", description=description))
    assert {key: getattr(build, key) for key in expected} == expected
