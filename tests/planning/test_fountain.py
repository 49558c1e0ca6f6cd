"""Tests for the Fountain / plain screenplay parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyboard.planning.fountain import ParsedScene, Screenplay, looks_like_screenplay, parse_screenplay
from storyboard.project import DialogueLine

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def sample() -> Screenplay:
    return parse_screenplay((DATA / "last_light.fountain").read_text(encoding="utf-8"))


# --- the complete sample ---------------------------------------------------------------

def test_title_page(sample):
    assert sample.title == "THE LAST LIGHT A Coastal Tale"
    assert sample.title_page["Author"] == "Mara Quill"
    assert sample.title_page["Credit"] == "Written by"
    assert sample.title_page["Draft date"] == "1/5/2024"
    assert sample.title_page["Contact"] == "Quill Films\nmara@example.com"


def test_scene_list(sample):
    # "FADE IN:" alone before the first slugline makes no preamble scene
    assert [s.heading for s in sample.scenes] == [
        "INT. LIGHTHOUSE - LAMP ROOM - NIGHT",
        "EXT. CLIFF PATH - CONTINUOUS",
        "FLASHBACK - BEACH HOUSE",
        "int./ext. car - moving - day",
        "EXT. HARBOR - DAWN (FLASHBACK)",
        "I/E ELENA'S TRUCK - LATER",
    ]
    assert looks_like_screenplay((DATA / "last_light.fountain").read_text(encoding="utf-8"))


def test_first_scene(sample):
    scene = sample.scenes[0]
    assert (scene.interior, scene.location, scene.time_of_day, scene.number) == (
        "INT", "LIGHTHOUSE - LAMP ROOM", "NIGHT", "1")
    assert scene.action == [
        "Rain hammers the glass. ELENA (60s) trims the wick with steady hands. The beam sweeps the dark sea."
    ]
    assert scene.dialogue == [
        DialogueLine("ELENA", "Forty years I kept this light.", "", "V.O."),
        DialogueLine("ELENA", "Forty years, and never once did it fail.", "(quietly)", "V.O."),
        DialogueLine("TOMÁS", "Mother? Are you up there?", "", "O.S."),
        DialogueLine("ELENA", "Come up, Tomás. Bring the oil.", "(calling down)", ""),
    ]
    assert scene.characters == ["ELENA", "TOMÁS"]
    assert scene.transition == "CUT TO:"
    assert scene.notes == ["Make the lamp the brightest thing in frame."]
    assert scene.elements == [
        ("action", scene.action[0]),
        ("dialogue", "ELENA: Forty years I kept this light."),
        ("dialogue", "ELENA: Forty years, and never once did it fail."),
        ("dialogue", "TOMÁS: Mother? Are you up there?"),
        ("dialogue", "ELENA: Come up, Tomás. Bring the oil."),
        ("transition", "CUT TO:"),
    ]
    everything = " ".join(scene.action + [d.text for d in scene.dialogue] + scene.notes)
    assert "dog" not in everything  # boneyard removed


def test_second_scene_dual_dialogue_lyrics_centered(sample):
    scene = sample.scenes[1]
    assert (scene.interior, scene.location, scene.time_of_day, scene.number) == (
        "EXT", "CLIFF PATH", "CONTINUOUS", "2A")
    assert scene.notes == ["Tomás climbs toward the light."]  # the synopsis
    assert scene.dialogue == [
        DialogueLine("TOMÁS", "I'm coming!", "", "CONT'D"),
        DialogueLine("ELENA", "Hurry!", "", ""),
        DialogueLine("ZOË", "Wait for me!", "", "V.O."),  # dual dialogue: '^' stripped
    ]
    assert scene.characters == ["TOMÁS", "ELENA", "ZOË"]
    assert scene.action == [
        "Tomás climbs, lantern swinging. Wind tears at his coat.",
        "Row, row, row the boat Gently down the stream",
        "THE STORM",
    ]
    kinds = [kind for kind, _ in scene.elements]
    assert kinds == ["action", "dialogue", "dialogue", "dialogue", "lyrics", "action"]
    assert scene.transition == ""


def test_forced_heading_section_forced_cue(sample):
    scene = sample.scenes[2]
    assert (scene.interior, scene.location, scene.time_of_day, scene.number) == (
        "", "FLASHBACK - BEACH HOUSE", "", "")
    assert scene.action == ["The house is warm and bright."]  # the "# Act Two" section is dropped
    assert scene.dialogue == [DialogueLine("McCLANE", "Yippee ki-yay.")]
    assert scene.characters == ["McCLANE"]


def test_lowercase_int_ext_forced_action_cyrillic_forced_transition(sample):
    scene = sample.scenes[3]
    assert (scene.interior, scene.location, scene.time_of_day) == ("INT/EXT", "car - moving", "DAY")
    assert scene.action == ["SILENCE."]
    assert scene.dialogue == [DialogueLine("АННА", "Привет, мир.")]
    assert scene.transition == "SMASH CUT TO:"


def test_time_with_flashback_tag_and_i_e(sample):
    harbor, truck = sample.scenes[4], sample.scenes[5]
    assert (harbor.interior, harbor.location, harbor.time_of_day) == ("EXT", "HARBOR", "DAWN")
    assert harbor.transition == "DISSOLVE TO:"
    assert (truck.interior, truck.location, truck.time_of_day) == ("INT/EXT", "ELENA'S TRUCK", "LATER")
    assert truck.dialogue == [DialogueLine("ELENA", "We made it.", "(to herself)", "")]
    assert truck.transition == "FADE OUT."


# --- headings ----------------------------------------------------------------------------

@pytest.mark.parametrize("line, interior, location, time_of_day", [
    ("INT. KITCHEN - DAY", "INT", "KITCHEN", "DAY"),
    ("EXT. PARK – MAGIC HOUR", "EXT", "PARK", "MAGIC HOUR"),
    ("EST. CITY SKYLINE - NIGHT", "EXT", "CITY SKYLINE", "NIGHT"),
    ("INT/EXT CAR - MOVING - NIGHT", "INT/EXT", "CAR - MOVING", "NIGHT"),
    ("EXT./INT. BARN - SAME", "INT/EXT", "BARN", "SAME"),
    ("INT. HOUSE - NIGHT - FLASHBACK", "INT", "HOUSE", "NIGHT"),
    ("INT. HOUSE - (FLASHBACK)", "INT", "HOUSE", "FLASHBACK"),
    ("INT. TWENTY-FOUR HOUR DINER - MOMENTS LATER", "INT", "TWENTY-FOUR HOUR DINER", "MOMENTS LATER"),
    ("INT. ATTIC", "INT", "ATTIC", ""),
    ("INT. LAB - EXPERIMENT ROOM", "INT", "LAB - EXPERIMENT ROOM", ""),
    ("INT. LOBBY - DAY - MOMENTS LATER", "INT", "LOBBY", "DAY"),  # a relative time gives way to a real one
    ("EXT. STAGE DOOR - NIGHT - LATER", "EXT", "STAGE DOOR", "NIGHT"),
    ("INT. GARAGE NIGHT", "INT", "GARAGE", "NIGHT"),  # no dash
    ("INT. HOUSE OF THE NIGHT", "INT", "HOUSE OF THE NIGHT", ""),
    ("ИНТ. КУХНЯ - ДЕНЬ", "INT", "КУХНЯ", "DAY"),  # Russian: ИНТ./НАТ., the time read into English
    ("НАТ. УЛИЦА У ДОМА НОЧЬ", "EXT", "УЛИЦА У ДОМА", "NIGHT"),
    ("ИНТ./НАТ. МАШИНА - УТРО", "INT/EXT", "МАШИНА", "MORNING"),
    ("INNEN. KÜCHE - TAG", "INT", "KÜCHE", "DAY"),  # German INNEN/AUSSEN
    ("AUSSEN. WALD - NACHT", "EXT", "WALD", "NIGHT"),
])
def test_heading_parts(line, interior, location, time_of_day):
    scene = parse_screenplay(f"{line}\n\nSomething happens.\n").scenes[0]
    assert (scene.heading, scene.interior, scene.location, scene.time_of_day) == (
        line, interior, location, time_of_day)


def test_scene_numbers_and_pdf_numbering():
    scenes = parse_screenplay("INT. A - DAY #12A#\n\nx\n\n12B   EXT. B - NIGHT   12B\n\ny\n").scenes
    assert [(s.heading, s.number) for s in scenes] == [("INT. A - DAY", "12A"), ("EXT. B - NIGHT", "12B")]


def test_not_headings():
    text = "Interior shots come later.\n\n..and then nothing.\n\nIntent is clear.\n"
    scenes = parse_screenplay(text).scenes
    assert len(scenes) == 1 and scenes[0].heading == ""
    assert len(scenes[0].action) == 3


# --- plain scripts, no sluglines, PDF pastes --------------------------------------------------

def test_dialogue_without_sluglines():
    text = "JOHN\nWhere were you?\n\nMARY (O.S.)\n(laughing)\nOut.\nJust out.\n\nJOHN\nFine.\n"
    screenplay = parse_screenplay(text)
    assert len(screenplay.scenes) == 1
    scene = screenplay.scenes[0]
    assert scene.heading == "" and scene.interior == "" and scene.number == ""
    assert scene.dialogue == [
        DialogueLine("JOHN", "Where were you?"),
        DialogueLine("MARY", "Out. Just out.", "(laughing)", "O.S."),
        DialogueLine("JOHN", "Fine."),
    ]
    assert scene.characters == ["JOHN", "MARY"]
    assert looks_like_screenplay(text)


def test_pdf_paste():
    text = (
        "                                        FADE IN:\r\n\r\n"
        "1   INT. DINER - NIGHT                                     1\r\n\r\n"
        "\tA neon sign flickers. MARGE wipes the counter.\r\n"
        "                    MARGE\r\n"
        "          Coffee's cold.\r\n\r\n"
        "                    HANK (CONT'D)\r\n"
        "               (grinning)\r\n"
        "          Just how I like it.\r\n"
        "2   EXT. PARKING LOT - CONTINUOUS                          2\r\n"
        "Rain.\f\r\n"
    )
    scenes = parse_screenplay(text).scenes
    assert [(s.heading, s.number) for s in scenes] == [
        ("INT. DINER - NIGHT", "1"), ("EXT. PARKING LOT - CONTINUOUS", "2")]
    assert scenes[0].action == ["A neon sign flickers. MARGE wipes the counter."]
    assert scenes[0].dialogue == [
        DialogueLine("MARGE", "Coffee's cold."),
        DialogueLine("HANK", "Just how I like it.", "(grinning)", "CONT'D"),
    ]
    assert scenes[1].action == ["Rain."]


def test_preamble_kept_only_with_content():
    scenes = parse_screenplay("[[draft 3]]\n\nFADE IN:\n\nINT. A - DAY\n\nx\n").scenes
    assert [s.heading for s in scenes] == ["INT. A - DAY"]
    assert scenes[0].notes == ["draft 3"]
    scenes = parse_screenplay("A storm rolls in.\n\nINT. A - DAY\n\nx\n").scenes
    assert [(s.heading, s.action) for s in scenes] == [("", ["A storm rolls in."]), ("INT. A - DAY", ["x"])]


def test_cue_rules():
    # an all-caps line with a blank line after it is action, not a cue
    scene = parse_screenplay("INT. A - DAY\n\nBOOM.\n\nSilence.\n").scenes[0]
    assert scene.action == ["BOOM.", "Silence."] and scene.dialogue == []
    # a CJK name needs '@'; with it, it works
    scene = parse_screenplay("张伟\n你好。\n\n@张伟\n你好。\n").scenes[0]
    assert scene.action == ["张伟 你好。"]
    assert scene.dialogue == [DialogueLine("张伟", "你好。")]
    # prose-style chapter headings are never cues
    scene = parse_screenplay("CHAPTER ONE\nIt begins.\n").scenes[0]
    assert scene.dialogue == [] and scene.action == ["CHAPTER ONE It begins."]


def test_emphasis_notes_and_escapes():
    text = "INT. A - DAY\n\nShe reads *Moby* **Dick** _slowly_ [[inline note]] in snake_case \\*stars\\*.\n"
    scene = parse_screenplay(text).scenes[0]
    assert scene.action == ["She reads Moby Dick slowly in snake_case *stars*."]
    assert scene.notes == ["inline note"]


def test_unclosed_boneyard_and_note_are_left_as_text():
    scene = parse_screenplay("INT. A - DAY\n\nOpen /* here.\n\nAnd [[ there.\n").scenes[0]
    assert scene.action == ["Open /* here.", "And [[ there."]


# --- detection -----------------------------------------------------------------------------------

PROSE = [
    "Interior designers often disagree about colour. They argue for hours.\n\nIn the end, beige wins.",
    "NASA announced on Tuesday that the probe had reached orbit.\n\nScientists cheered.",
    "The int type overflows. Int values wrap around; ext files are parsed later.\n\nSee chapter 2.",
    "Once upon a time there was a lighthouse keeper named Elena. She kept the light for forty years.\n\n"
    "Her son Tomás brought oil every evening, climbing the cliff path in the rain.",
    "CHAPTER ONE\nIt was a dark and stormy night.\n\nCHAPTER TWO\nThe morning came.\n",
    "Est. 1850, the town grew slowly.\n\nExt. walls were whitewashed every spring.",
    "",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_not_a_screenplay(text):
    assert not looks_like_screenplay(text)


@pytest.mark.parametrize("text", [
    "INT. KITCHEN - DAY\n\nMaria cooks.",
    ".SNIPER SCOPE POV\n\nCrosshairs drift.",
    "ext. beach - night\n\nWaves.",
    "BOB\nHi.\n\nALICE\nHello, Bob.\n",
])
def test_screenplays_are_detected(text):
    assert looks_like_screenplay(text)


# --- hostile input ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\t \r\n \f", "Title: Only a title\n", ".", "@", ">", "~", "!", "[[", "]]", "/*", "*/",
    "===", "#", "=", "^", "(", "><", "INT.", "JOHN\n(beat)", "JOHN\n(unclosed\n", "\x00\x01\x02\u2028\ufeff",
])
def test_degenerate_inputs(text):
    screenplay = parse_screenplay(text)
    assert isinstance(screenplay, Screenplay)
    assert all(isinstance(scene, ParsedScene) for scene in screenplay.scenes)
    looks_like_screenplay(text)


def test_empty_input():
    assert parse_screenplay("") == Screenplay("", {}, [])
    assert parse_screenplay("   \n\t\n").scenes == []


def test_mixed_scripts_and_emoji():
    text = (
        "Title: 🎬 Café ☕ — 映画\n\n"
        "INT. CAFÉ 🍰 - NIGHT\n\n"
        "Zoë 😀 enters. شخص يقرأ كتابا. 人们在说话。\n\n"
        "ZOË\n¡Hola! 🎉\n\n"
        "АННА (ЗК)\nПривет!\n\n"
        "@李雷\n你好 👋\n\n"
        "@שרה\nשלום!\n"
    )
    screenplay = parse_screenplay(text)
    assert screenplay.title == "🎬 Café ☕ — 映画"
    scene = screenplay.scenes[0]
    assert scene.location == "CAFÉ 🍰" and scene.time_of_day == "NIGHT"
    assert scene.action == ["Zoë 😀 enters. شخص يقرأ كتابا. 人们在说话。"]
    assert scene.dialogue == [
        DialogueLine("ZOË", "¡Hola! 🎉"),
        DialogueLine("АННА", "Привет!", "", "ЗК"),
        DialogueLine("李雷", "你好 👋"),
        DialogueLine("שרה", "שלום!"),
    ]


def test_dialogue_details():
    text = (
        "INT. A - DAY\n\n"
        "JOHN\n"
        "(looking out\n"
        "  to sea)\n"
        "It's calm.\n"
        "[[check the sea plate]]\n"
        "Too calm.\n"
        "(laughs) Isn't it?\n"
        "(beat)\n"
    )
    scene = parse_screenplay(text).scenes[0]
    assert scene.dialogue == [
        DialogueLine("JOHN", "It's calm. Too calm. (laughs) Isn't it?", "(looking out to sea)"),
        DialogueLine("JOHN", "", "(beat)"),
    ]
    assert scene.notes == ["check the sea plate"]
    assert scene.elements == [
        ("dialogue", "JOHN: It's calm. Too calm. (laughs) Isn't it?"),
        ("dialogue", "JOHN: "),
    ]


def test_transition_needs_blank_lines_unless_forced():
    scene = parse_screenplay("INT. A - DAY\n\nHe runs.\nCUT TO:\nthe chase.\n\n> FADE TO BLACK.\n").scenes[0]
    assert scene.action == ["He runs. CUT TO: the chase."]
    assert scene.transition == "FADE TO BLACK."


# --- sloppy scripts and spec details ---------------------------------------------------------------

SLOPPY = (
    "int kitchen night\n"
    "ROSA (60s, flour on her apron) kneads dough. Her grandson MILO (8) watches from a stool.\n"
    "MILO\n"
    "Can I help?\n"
    "ROSA\n"
    "(not looking up)\n"
    "Wash your hands first.\n"
    "Milo runs to the sink.\n"
    "ext back garden -- later\n"
    "Milo chases a hen. Rosa watches from the door.\n"
    "ROSA (O.S.)\n"
    "Leave her alone!\n"
)


def test_sloppy_script_is_a_screenplay():
    assert looks_like_screenplay(SLOPPY)
    kitchen, garden = parse_screenplay(SLOPPY).scenes
    assert (kitchen.interior, kitchen.location, kitchen.time_of_day) == ("INT", "kitchen", "NIGHT")
    assert (garden.interior, garden.location, garden.time_of_day) == ("EXT", "back garden", "LATER")
    assert kitchen.dialogue == [
        DialogueLine("MILO", "Can I help?"),
        DialogueLine("ROSA", "Wash your hands first.", "(not looking up)"),
    ]
    assert [kind for kind, _ in kitchen.elements] == ["action", "dialogue", "dialogue", "action"]
    assert kitchen.action[-1] == "Milo runs to the sink."  # action after a speech, no blank line between
    assert garden.dialogue == [DialogueLine("ROSA", "Leave her alone!", "", "O.S.")]


def test_indented_dialogue_naming_someone_stays_dialogue():
    text = "INT. A - DAY\n\nMILO (8) waits.\n\n          ROSA\n     Milo said so.\n     Milo knows.\n\nMILO\nI do.\n"
    scene = parse_screenplay(text).scenes[0]
    assert scene.dialogue[0] == DialogueLine("ROSA", "Milo said so. Milo knows.")


def test_caps_line_without_blank_is_a_cue_only_for_known_names():
    scene = parse_screenplay("INT. A - DAY\n\nThe radio crackles.\nSTATIC\nfills the room.\n").scenes[0]
    assert scene.dialogue == []  # STATIC is no one the script has met


def test_a_cue_the_action_just_mentioned_needs_no_blank_line():
    text = "ext. car park - day\nA wedding planner with two phones charges across.\nPLANNER\nYou're late!\n"
    scene = parse_screenplay(text).scenes[0]
    assert scene.dialogue == [DialogueLine("PLANNER", "You're late!")]
    text = "ext. car park - day\nThe end of the day.\nTHE END\nCredits roll.\n"
    assert parse_screenplay(text).scenes[0].dialogue == []  # "THE" is never part of such a name


def test_two_spaces_keep_a_speech_going():
    scene = parse_screenplay("INT. A - DAY\n\nBOB\nHello.\n  \nStill me.\n\nAfter.\n").scenes[0]
    assert scene.dialogue == [DialogueLine("BOB", "Hello. Still me.")]
    assert scene.action == ["After."]


def test_transition_with_trailing_spaces_needs_upper_case_and_blank_lines():
    scene = parse_screenplay("INT. A - DAY\n\nHe runs.\n\nCUT TO:   \n\nINT. B - DAY\n\nx\n").scenes[0]
    assert scene.transition == "CUT TO:"
    scene = parse_screenplay("INT. A - DAY\n\nHe runs.\n\ncut to:  \n\nx\n").scenes[0]
    assert scene.transition == "" and "cut to:" in scene.action


def test_cues_with_digits_symbols_emoji_and_ellipsis():
    text = "INT. A - DAY\n\nROBOT 🤖\nBeep.\n\nHAL 9000\nNo.\n\nMAN…\nWell.\n\nAGENT +1\nCopy.\n"
    names = [d.character for d in parse_screenplay(text).scenes[0].dialogue]
    assert names == ["ROBOT 🤖", "HAL 9000", "MAN…", "AGENT +1"]


@pytest.mark.parametrize("text, expected", [
    ("He dials *69 and waits.", "He dials *69 and waits."),  # a lone star stays
    ("*Italic* and **bold** and ***both***.", "Italic and bold and both."),
    ("Half *open and _half_ shut.", "Half *open and half shut."),
    ("A snake_case_name stays.", "A snake_case_name stays."),
    ("Mixed *star_ markers.", "Mixed *star_ markers."),  # different markers never pair
])
def test_emphasis_pairs_only(text, expected):
    assert parse_screenplay(f"INT. A - DAY\n\n{text}\n").scenes[0].action == [expected]


def test_emphasis_does_not_pair_across_paragraphs():
    scene = parse_screenplay("INT. A - DAY\n\nPress *6\n\nthen 9* again.\n").scenes[0]
    assert scene.action == ["Press *6", "then 9* again."]


def test_title_page_only_is_a_screenplay():
    assert looks_like_screenplay("Title: Only a title\nAuthor: Me\n")
