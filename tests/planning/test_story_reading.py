"""The English reader's understanding: who is there, who speaks, where and when (people.py, places.py, times.py)."""

from __future__ import annotations

import pytest

from storyboard.planning import plan_text
from storyboard.planning.reading import double_quotes
from storyboard.planning.times import clock_time

from .story import names, scene_with, speaker_of


def test_a_name_the_model_labels_a_place_is_a_person_by_what_it_does(nlp):
    project = plan_text(
        "Just after midnight a paramedic, Chelsea Ward, pushes a stretcher through the ambulance doors. "
        '"He fell from a roof," she says. Ingrid follows the nurse to the ward.'
    )
    assert "Chelsea Ward" in names(project)
    assert speaker_of(project, "fell from a roof") == "Chelsea Ward"
    assert "Ingrid" in names(project)
    assert all("Ingrid" not in s.location for s in project.scenes)


def test_people_in_object_place_and_role_nouns_are_characters(nlp):
    project = plan_text("Omar and Lena search the barn at dusk. They find an old woman asleep in the hay.")
    assert "Old Woman" in names(project)
    assert "Old Woman" in scene_with(project, "find an old woman").characters


def test_things_with_names_are_not_people(nlp):
    project = plan_text(
        "Rosa drives a rusty truck called Old Betsy down to the harbour of Port Ellery, where the Morning Star "
        "waits. Rosa climbs aboard."
    )
    assert "Old Betsy" not in names(project)
    assert "Morning Star" not in names(project)
    assert "Rosa" in names(project)


def test_nicknames_join_the_person_they_name(nlp):
    project = plan_text(
        "Tomasz, whom the whole class calls Tomato, paints the lava orange. Later Tomato grins at the teacher. "
        "The whole staff calls her Seun. Seun nods."
    )
    assert "Tomato" not in names(project)
    assert "Tomasz" in scene_with(project, "Later Tomato grins").characters


def test_a_short_name_met_first_is_the_same_person_as_the_full_name(nlp):
    project = plan_text(
        "Roe waits on the deck. Declan Roe lights a cigarette. Sir Bohdan Kral bows. Bohdan Kral smiles."
    )
    assert names(project).count("Roe") + names(project).count("Declan Roe") == 1
    assert len([n for n in names(project) if "Kral" in n]) == 1


def test_people_only_talked_about_are_not_on_screen(nlp):
    project = plan_text(
        "Captain Thomas Fairweather arrives with a letter from Admiral Hale in his pocket. "
        "Mara looks at a photo of her sister Tess."
    )
    on_screen = {n for s in project.scenes for n in s.characters}
    assert "Admiral Hale" not in on_screen and "Tess" not in on_screen


def test_a_first_person_narrator_is_a_character(nlp):
    project = plan_text("I drive across the river in the dark. An old man waits on the landing. He squints at me.")
    assert "Narrator" in names(project)
    assert "Narrator" in scene_with(project, "drive across the river").characters
    assert "Narrator" in scene_with(project, "squints at me").characters


def test_a_pronoun_speaker_finds_the_person_by_gender_learned_from_the_story(nlp):
    project = plan_text(
        "Siobhan limps off the pitch with her knee bleeding. Her coach, a stocky Welshman named Rhys, meets her "
        'at the tunnel.\n\n"Can you run?" he asks.\n\n"I can walk," she says.'
    )
    assert speaker_of(project, "Can you run") == "Rhys"
    assert speaker_of(project, "I can walk") == "Siobhan"
    assert "Welshman" not in names(project)


def test_a_quote_after_someones_action_is_theirs_and_a_capitalised_attribution_joins_its_quote(nlp):
    project = plan_text(
        'Aroha stirs the paint. "It is dead," Aroha says.\n\n'
        'Coach Powell sticks his head round the door. "Two minutes!"\n\n"Need a hand?" India asks sweetly.'
    )
    assert speaker_of(project, "Two minutes") == "Coach Powell"
    assert speaker_of(project, "Need a hand") == "India"


def test_an_and_clause_keeps_its_subject_for_the_quote(nlp):
    project = plan_text(
        'The Duchess waits. Behind a locked door, Fairweather breaks the seal and reads aloud: "The fleet has sailed."'
    )
    assert speaker_of(project, "The fleet has sailed") == "Fairweather"


def test_british_single_quotes_are_dialogue_and_apostrophes_are_not():
    text = double_quotes("'She's here,' Colm says. 'Table nine.' The boy's lamb.")
    assert text == "\"She's here,\" Colm says. \"Table nine.\" The boy's lamb."
    assert double_quotes('He said "no" and \'yes\'.') == 'He said "no" and \'yes\'.'  # a text with "…" keeps its '


# -- places -----------------------------------------------------------------------------------------------------


def test_a_place_only_mentioned_in_backstory_is_not_the_scene(nlp):
    project = plan_text(
        "Nell grew up in a cottage by the mill. Now she works in the bakery on Fore Street. She kneads the dough."
    )
    assert "Bakery" in scene_with(project, "kneads the dough").location
    assert all("ottage" not in s.location for s in project.scenes)


@pytest.mark.parametrize(
    "sentence, place",
    [
        ("Mara steps onto the bus.", "Bus"),
        ("Mara runs up the stairs.", "Stairs"),
        ("Mara rides the lift down.", "Lift"),
        ("At dawn Kwame wakes in the recovery ward.", "Recovery ward"),
    ],
)
def test_motion_verbs_move_the_scene(nlp, sentence, place):
    project = plan_text(f"Mara waits in the kitchen. {sentence} She sighs.")
    assert place in scene_with(project, "She sighs").location


def test_rooms_nest_in_their_building_and_spots_do_not_move_the_scene(nlp):
    project = plan_text(
        "The detective arrives at the rain-soaked manor house. She crosses the hall into the library. "
        "Lord Ashby lies dead beside the fireplace. She kneels by the door."
    )
    arrival = scene_with(project, "arrives at")
    assert arrival.location.startswith("Rain-soaked manor house") and arrival.interior == "EXT"
    body = scene_with(project, "lies dead")
    assert body.location == "Rain-soaked manor house - Library" and body.interior == "INT"
    assert "Lord Ashby" in body.characters
    assert scene_with(project, "kneels by the door").location == body.location


def test_a_place_in_quotes_is_not_where_the_scene_is(nlp):
    project = plan_text('Ada waits in the garage. "He was pinned under a van for an hour," she says.')
    assert all(s.location == "Garage" for s in project.scenes)


# -- times ------------------------------------------------------------------------------------------------------


def test_clock_times_read_as_their_hour():
    assert clock_time("at three in the morning")[0] == "NIGHT"
    assert clock_time("by 7 p.m. the hall is full")[0] == "EVENING"
    assert clock_time("at 9:30 am sharp")[0] == "MORNING"
    assert clock_time("at half past eleven") is None  # day or night? the words do not say


def test_backstory_and_job_times_do_not_set_the_scene_time(nlp):
    project = plan_text(
        "On Monday morning Sunil opens the shop, tired from last night's party. Gita, a night cleaner, waves. "
        "He wants to forget the afternoon his brother drowned."
    )
    assert {s.time_of_day for s in project.scenes} == {"MORNING"}


def test_three_in_the_morning_is_night(nlp):
    project = plan_text("At three in the morning the phone rings. Omar answers it in the kitchen.")
    assert {s.time_of_day for s in project.scenes} == {"NIGHT"}


def test_a_quarter_to_three_in_the_morning_and_sundown(nlp):
    assert clock_time("At a quarter to three in the morning the van stops")[0] == "NIGHT"
    project = plan_text("Aiyana waits by the creek. At sundown she saddles her horse.")
    assert scene_with(project, "saddles").time_of_day == "DUSK"


def test_a_place_the_story_travels_to_is_not_where_it_opens(nlp):
    project = plan_text("Aiyana finds her only well poisoned. She rides into Redbank at noon. She ties her horse.")
    assert scene_with(project, "well poisoned").location != "Redbank"
    assert scene_with(project, "ties her horse").location == "Redbank"


def test_a_building_and_a_room_in_one_clause_nest(nlp):
    project = plan_text("I cross the flat to the bedroom. The baby sleeps in her cot.")
    assert scene_with(project, "baby sleeps").location == "Flat - Bedroom"


def test_the_place_of_what_someone_watches_is_not_theirs(nlp):
    project = plan_text(
        "Reed and Aiyana wait on the water tower. They watch Mercer's men roll barrels toward the creek."
    )
    assert scene_with(project, "roll barrels").location == "Water tower"


def test_first_names_give_a_gender_only_when_the_data_agrees():
    from storyboard.planning.cast import first_name_gender

    assert first_name_gender("Siobhan Ní Bhriain") == "f"
    assert first_name_gender("Dr. Kwame Mensah") == "m"  # the title is not the first name
    assert first_name_gender("Dakota") == ""  # given to both
    assert first_name_gender("Narrator") == ""  # no data


def test_a_first_name_decides_she_when_the_story_has_not(nlp):
    project = plan_text(
        'Aiyana and Cal wait by the creek at dusk.\n\n"Tonight we take our water back," she whispers.'
    )
    assert speaker_of(project, "take our water back") == "Aiyana"
