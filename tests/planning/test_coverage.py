"""Coverage: beats → the shots a board artist draws, at sparse / normal / dense."""

from __future__ import annotations

import re

import pytest

from storyboard.errors import InputError
from storyboard.planning import plan_text
from storyboard.planning.assemble import build_project
from storyboard.planning.beats import Beat
from storyboard.planning.coverage import check_level, cover, object_phrase
from storyboard.project import DialogueLine, insert_number

# The labels the shared scorer (score_planner.py) reads as shots with no source words.
SYNTHETIC_BEFORE = re.compile(r"^(Establishing|Wide):")
SYNTHETIC_AFTER = re.compile(r"^(Close on .*: reaction\.|Close detail\.)$")
INSERT = re.compile(r"^Insert: .+\.$")


def exchange(*speakers: str, action: str = "Mara and Tom sit at the kitchen table.") -> Beat:
    lines = [DialogueLine(name, f"Line {k} from {name.lower()}.") for k, name in enumerate(speakers)]
    people = list(dict.fromkeys(speakers))
    return Beat(action=action, characters=people, dialogue=lines, location="Kitchen", interior="INT",
                time_of_day="NIGHT", heading="INT. KITCHEN - NIGHT")


def spoken(shots: list[Beat]) -> list[str]:
    return [line.text for shot in shots for line in shot.dialogue]


def source_words(shots: list[Beat]) -> str:
    """The action of every shot that is not a synthetic one, in order."""
    real = [s.action for s in shots if s.action and not (
        SYNTHETIC_BEFORE.match(s.action) or SYNTHETIC_AFTER.match(s.action) or INSERT.match(s.action))]
    return " ".join(real)


# --- exchanges ----------------------------------------------------------------------------------

def test_two_person_exchange_normal_is_master_then_alternating_reverses():
    beat = exchange("MARA", "TOM", "MARA", "TOM")
    shots = cover([beat], "normal")
    assert [s.kind for s in shots] == ["master", "ots", "ots", "ots"]
    master = shots[0]
    assert master.action == "Mara and Tom sit at the kitchen table."
    assert master.characters == ["MARA", "TOM"]
    assert [d.character for d in master.dialogue] == ["MARA"]  # the exchange starts on the master
    for shot, speaker, listener in zip(shots[1:], ["TOM", "MARA", "TOM"], ["MARA", "TOM", "MARA"]):
        assert shot.characters == [speaker, listener]  # over the listener's shoulder, onto the speaker
        assert [d.character for d in shot.dialogue] == [speaker]
    assert spoken(shots) == [d.text for d in beat.dialogue]  # every line exactly once, in order
    assert {s.heading for s in shots} == {"INT. KITCHEN - NIGHT"}
    assert len({s.group for s in shots}) == 1


def test_lines_of_one_speaker_stay_together_at_normal_and_split_at_dense():
    beat = exchange("MARA", "MARA", "TOM")
    assert [len(s.dialogue) for s in cover([beat], "normal") if s.dialogue] == [2, 1]
    dense = cover([exchange("MARA", "MARA", "TOM")], "dense")
    assert [len(s.dialogue) for s in dense if s.dialogue] == [1, 1, 1]


def test_three_people_get_singles_of_the_speaker():
    shots = cover([exchange("MARA", "TOM", "JO", "MARA")], "normal")
    assert shots[0].kind == "master" and shots[0].characters == ["MARA", "TOM", "JO"]
    for shot in shots[1:]:
        assert shot.kind == "single"
        assert shot.characters == [shot.dialogue[0].character]


def test_dense_exchange_adds_reverses_singles_and_a_reaction():
    beat = exchange("MARA", "TOM", "MARA", "TOM", "MARA")
    normal = cover([exchange("MARA", "TOM", "MARA", "TOM", "MARA")], "normal")
    dense = cover([beat], "dense")
    assert len(dense) > len(normal)
    kinds = [s.kind for s in dense]
    assert kinds[0] == "master" and not dense[0].dialogue  # the master holds the action
    assert kinds[1:3] == ["ots", "ots"] and set(kinds[3:-1]) == {"single"}
    assert dense[-1].action == "Close on TOM: reaction." and dense[-1].characters == ["TOM"]
    assert spoken(dense) == [d.text for d in beat.dialogue]


def test_a_voice_off_screen_plays_over_the_listener():
    beat = exchange("MARA", "TOM")
    beat.characters = ["MARA"]
    beat.dialogue[1] = DialogueLine("TOM", "I'm downstairs.", "(on speakerphone)")
    shots = cover([beat], "normal")
    assert shots[-1].dialogue[0].character == "TOM"
    assert shots[-1].characters == ["MARA"]
    assert all("TOM" not in s.characters for s in shots)


# --- objects, reactions, establishing -------------------------------------------------------------

def test_object_beat_gets_an_insert_and_an_emotional_one_a_reaction():
    beat = Beat("Mara kneels and picks up a broken watch.", characters=["Mara"], cues={"object"})
    shots = cover([beat], "normal")[1:]  # after the wide a story this short opens on
    assert [s.action for s in shots] == ["Mara kneels and picks up a broken watch.", "Insert: the broken watch."]
    assert shots[1].characters == [] and shots[1].kind == "insert"
    sad = Beat("Mara finds Dad's letter and weeps.", characters=["Mara"], cues={"object", "emotion"},
               transition="CUT TO:", notes="Hold on the letter.")
    shots = cover([sad], "normal")
    assert [s.transition for s in shots] == ["", "", "CUT TO:"]  # the cut ends the beat, once
    assert [s.notes for s in shots] == ["Hold on the letter.", "", ""]
    assert [s.action for s in shots] == ["Mara finds Dad's letter and weeps.", "Insert: Dad's letter.",
                                         "Close on Mara: reaction."]
    project = build_project(shots, [], title="t", synopsis="s", source_format="prose")
    assert [s.shot for s in project.scenes] == ["MS", "insert", "CU"]


@pytest.mark.parametrize("text, phrase", [
    ("She kneels and picks up a broken watch.", "the broken watch"),
    ("He finds a photo of her mother in the drawer.", "the photo of her mother"),
    ("Tom reads Dad's letter twice.", "Dad's letter"),
    ("He hands her the envelope.", "the envelope"),
    ("Rain hammers the glass. She trims the wick with steady hands.", ""),  # no one handles the glass
    ("She watches the sea.", ""),  # a verb, not a watch
])
def test_object_phrase(text, phrase):
    assert object_phrase(text) == phrase


def test_establishing_only_where_the_place_is_new():
    first = exchange("MARA", "TOM")
    first.cues = {"new_location"}
    second = exchange("TOM", "MARA", action="Tom pours the tea.")
    shots = cover([first, second], "normal")
    openers = [s for s in shots if s.establishing]
    assert len(openers) == 1 and shots[0] is openers[0]
    assert shots[0].action == "Establishing: Kitchen, night."
    assert shots[0].group == shots[1].group  # the opener is a shot of the beat it opens


def test_a_tiny_story_still_gets_a_wide_and_a_close_up():
    shots = cover([Beat("Mara waits.", characters=["Mara"], location="Station")], "normal")
    assert [s.action for s in shots] == ["Wide: Station.", "Mara waits.", "Close on Mara: reaction."]


# --- levels, words, numbers -----------------------------------------------------------------------

SCRIPT = """INT. KITCHEN - NIGHT #4#

Mara sits alone at the table. She turns a broken watch over in her hands.

MARA
You said you'd fix it.

TOM
I said I'd try.

MARA
(quietly)
You always try.

Tom picks up the watch and pockets it. Mara looks away, tears in her eyes.

TOM
I'll take it to the shop tomorrow.

EXT. STREET - CONTINUOUS

Tom walks into the rain. He stops under a lamp and opens his hand: the watch, ticking.
"""


@pytest.fixture(scope="module")
def levels():
    return {level: plan_text(SCRIPT, coverage=level) for level in ("sparse", "normal", "dense")}


def test_sparse_gives_fewer_shots_than_normal_than_dense(levels):
    counts = [len(levels[level].scenes) for level in ("sparse", "normal", "dense")]
    assert counts[0] < counts[1] < counts[2], counts


@pytest.mark.parametrize("level", ["sparse", "normal", "dense"])
def test_every_word_lands_in_exactly_one_shot(levels, level):
    scenes = levels[level].scenes
    lines = [d.text for s in scenes for d in s.dialogue]
    assert lines == ["You said you'd fix it.", "I said I'd try.", "You always try.",
                     "I'll take it to the shop tomorrow."]
    action = source_words(scenes)
    for sentence in ("Mara sits alone at the table.", "She turns a broken watch over in her hands.",
                     "Tom picks up the watch and pockets it.", "Mara looks away, tears in her eyes.",
                     "Tom walks into the rain.", "He stops under a lamp and opens his hand: the watch, ticking."):
        assert action.count(sentence) == 1, (level, sentence)
    for scene in scenes:  # the labels the scorer recognises, nothing else invented
        if not scene.dialogue and scene.action and scene.action not in action:
            assert SYNTHETIC_BEFORE.match(scene.action) or SYNTHETIC_AFTER.match(scene.action) \
                or INSERT.match(scene.action), scene.action


def test_screenplay_scene_shots_are_lettered_and_keep_the_heading(levels):
    scenes = levels["normal"].scenes
    kitchen = [s for s in scenes if s.heading == "INT. KITCHEN - NIGHT #4#".removesuffix(" #4#")]
    assert [s.number for s in kitchen] == [f"4{chr(ord('A') + k)}" for k in range(len(kitchen))]
    assert scenes[:len(kitchen)] == kitchen and len(kitchen) >= 4
    street = scenes[len(kitchen):]
    assert {s.heading for s in street} == {"EXT. STREET - CONTINUOUS"}
    assert {s.time_of_day for s in street} == {"NIGHT"}
    insert = next(s for s in scenes if s.shot == "insert")
    assert insert.action == "Insert: the watch." and insert.characters == []
    levels["normal"].validate()  # numbers are unique and valid
    assert insert_number(levels["normal"], 0) not in {s.number for s in scenes}


def test_shot_sizes_follow_the_kind_and_durations_the_words(levels):
    scenes = levels["normal"].scenes
    by_kind = {s.shot for s in scenes if s.dialogue}
    assert by_kind <= {"two-shot", "OTS", "MCU", "CU", "MS"}
    talk = [s for s in scenes if s.dialogue and s.heading.startswith("INT.")]
    assert talk[0].shot == "two-shot" and talk[1].shot == "OTS"
    long = plan_text(SCRIPT.replace("I said I'd try.", "I said I'd try, " + "and I tried, " * 15 + "I did."))
    longer = next(s for s in long.scenes if any("tried" in d.text for d in s.dialogue))
    assert longer.duration_s > talk[1].duration_s


def test_prose_beats_are_covered_too():
    text = ("Mara opens the door of the lighthouse. She finds an old letter on the stairs and reads it, "
            "crying.\n\nTom climbs after her. \"What is it?\" he asks.")
    sparse = plan_text(text, force="prose", coverage="sparse")
    normal = plan_text(text, force="prose", coverage="normal")
    assert len(normal.scenes) > len(sparse.scenes)
    assert any(s.action.startswith("Insert: ") for s in normal.scenes)


def test_level_is_checked():
    assert check_level(" Dense ") == "dense" and check_level("") == "normal"
    with pytest.raises(InputError, match="coverage must be one of"):
        check_level("lots")
