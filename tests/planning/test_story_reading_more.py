"""More of the English reader: who a person turns out to be, who answers whom, places by what is done there, and
times that are not now (people.py, prose.py, places.py, times.py)."""

from __future__ import annotations

from storyboard.planning import plan_text

from .story import names, scene_with, speaker_of

# -- who a person turns out to be ------------------------------------------------------------------


def test_a_role_met_first_and_named_by_be_is_one_person(nlp):
    project = plan_text(
        "Paris opens the shop. A tall man in a wet suit steps in out of the rain. He is Arjun Mehta, an engineer. "
        "Her coach is waiting. Her coach is Emmanuel Quaye, a former boxer."
    )
    assert "Arjun Mehta" in names(project)
    assert "Tall Man" not in names(project)
    assert "Coach" not in names(project)


def test_a_role_set_beside_a_name_finds_that_person_later(nlp):
    project = plan_text(
        "Their father, Kwesi Mensah, a retired harbour pilot, sits under the mango tree. Efua brings cake. "
        "Their father gets up slowly. The conductor, a cheerful woman called Bronwen, punches the ticket. "
        "The conductor laughs."
    )
    assert "Father" not in names(project)
    assert "Kwesi Mensah" in scene_with(project, "Their father gets up").characters
    assert "Conductor" not in names(project)
    assert "Bronwen" in scene_with(project, "The conductor laughs").characters


def test_a_nickname_in_the_apposition_and_a_word_given_as_a_name(nlp):
    project = plan_text(
        "The bartender, a gaunt old man whom everyone calls Preacher, polishes a glass. Their leader, a tall girl "
        "with braces called Precious, points at the kite and snorts. \"Is that a kite or a lemon?\""
    )
    assert "Bartender" not in names(project)
    assert "Preacher" in names(project)
    assert speaker_of(project, "kite or a lemon") == "Precious"


def test_titles_epithets_and_hyphens_make_whole_names(nlp):
    project = plan_text(
        "Sergeant William Marsh, a giant of a man, ducks in through the doorway. Fisi the hyena lay across the "
        "waterhole. The hyena laughed. The new commis, Hassan Al-Amin, plates the lamb."
    )
    cast = names(project)
    assert "Sergeant William Marsh" in cast
    assert "Man" not in cast  # "a giant of a man" is Marsh
    assert "Fisi" in cast and "Fisi" in scene_with(project, "The hyena laughed").characters
    assert "Hassan Al-Amin" in cast


def test_things_named_with_the_or_an_article_are_not_people(nlp):
    project = plan_text(
        "The hill that the men call the Anvil has changed hands. Marek, a silver-haired Czech, calls the tickets."
    )
    assert "Anvil" not in names(project)
    assert "Czech" not in names(project)


def test_a_name_opening_a_sentence_that_acts_like_a_person(nlp):
    project = plan_text('Layla dials the paper. Fenwick answers on the second ring: "Is Roe with you?"')
    assert speaker_of(project, "Is Roe with you") == "Fenwick"


# -- who speaks ------------------------------------------------------------------------------------


def test_the_person_called_by_name_answers_the_next_line(nlp):
    project = plan_text(
        "Otto Brandt takes the stand. Judge Olsen watches. Lincoln rises slowly. "
        '"Mr. Brandt, when did your shift end?"\n\n"At midnight."\n\n"With your back to the elevators?"'
    )
    assert speaker_of(project, "At midnight") == "Otto Brandt"
    assert speaker_of(project, "back to the elevators") == "Lincoln"


def test_whom_the_speaker_acts_on_answers(nlp):
    project = plan_text(
        "Colm pushes through the doors. Hassan knocks the jus onto the floor. Bea grabs him by the apron. "
        "\"What did you cook at home?\" she says.\n\n\"My grandmother's lamb.\""
    )
    assert speaker_of(project, "grandmother's lamb") == "Hassan"


def test_forms_of_address_voices_and_labels_speak(nlp):
    project = plan_text(
        "Lord Ashby, the Duchess's nephew, corners the captain beside the punch bowl. "
        '"You look like a man carrying news," his lordship drawls.\n\n'
        'Siobhan plays a voicemail from her mother in Galway: "Your father would be so proud of you." '
        '"Thanks, Mam," she whispers.\n\nVoice-over: "Some journeys are worth every minute."'
    )
    assert speaker_of(project, "carrying news") == "Lord Ashby"
    assert speaker_of(project, "so proud of you") == "Mother"
    assert "Mother" not in scene_with(project, "so proud of you").characters  # a voice, off screen
    assert speaker_of(project, "Thanks, Mam") == "Siobhan"  # the voicemail's voice is never a later "she"
    assert speaker_of(project, "worth every minute") == "Voice-over"


def test_his_or_her_on_the_noun_that_is_the_named_person_teaches_no_gender(nlp):
    project = plan_text(
        "Button, a teddy bear, has waited there for nine years. His best friend is Brolly, a black umbrella. "
        '"Nobody is coming back for us," she grumbles.'
    )
    assert speaker_of(project, "Nobody is coming back") == "Brolly"


def test_he_goes_on_with_the_last_subject_when_nobody_was_named_since(nlp):
    project = plan_text(
        "The bartender, a gaunt old man whom everyone calls Preacher, polishes a glass.\n\n"
        "Marshal Dallas Reed steps out of the back room. He is young and nervous. "
        '"Ma\'am," he says, "you can\'t walk in here with a rifle."'
    )
    assert speaker_of(project, "walk in here with a rifle") == "Marshal Dallas Reed"


# -- where -----------------------------------------------------------------------------------------


def test_places_named_by_what_is_done_there(nlp):
    cases = {
        "Every morning Paris unlocks the Tidewrack, a crooked bookshop on the quay.": "Tidewrack",
        "Nike trains at the Dockside Boxing Club every evening.": "Dockside Boxing Club",
        "Courtroom 4B of the Hale County courthouse is already stifling.": "Courtroom 4B",
        "I reach the Lantern and Anchor at dusk, soaked through.": "Lantern and Anchor",
        "Sunil and Bernadette run the only cake shop in Little Harrowby.": "cake shop",
        "The building is one of those old tenements behind the fish market.": "tenements",
        "That evening, the two of us walk down to the harbour wall with a lantern.": "harbour wall",
    }
    for text, place in cases.items():
        project = plan_text(text, force="prose")
        assert place.casefold() in project.scenes[0].location.casefold(), (text, project.scenes[0].location)


def test_where_a_movement_ends_and_what_does_not_move_the_scene(nlp):
    project = plan_text(
        "Haruto climbs onto the tram, up the steps of the station and into a carriage of the 09:12. "
        "He needs the codebook; the telephone wire to the ridge has been cut. "
        "A pigeon flaps in with news: the girl is leaving the city on the evening train."
    )
    assert "carriage" in scene_with(project, "onto the tram").location.casefold()
    assert "ridge" not in scene_with(project, "telephone wire").location.casefold()
    assert "train" not in scene_with(project, "with news").location.casefold().replace("carriage", "")
    assert "Girl" not in names(project)  # the news tells of her; she is not here


def test_the_taggers_noun_for_verb_slips_do_not_lose_the_place(nlp):
    project = plan_text(
        "For verse two she slips out the back door and boards the last night bus.\n\nThe stadium groans."
    )
    assert "bus" in scene_with(project, "boards the last").location.casefold()
    assert "stadium" in scene_with(project, "stadium groans").location.casefold()


# -- when ------------------------------------------------------------------------------------------


def test_times_that_are_not_now(nlp):
    project = plan_text(
        "Courtroom 4B is stifling at ten in the morning. He tells the jury that he saw her leave the building at "
        "two in the morning. The guns will start again at dawn. Hassan is on his third night and his second cut "
        "finger. From his wallet he takes a photograph of a boat called the Morning Star."
    )
    assert {s.time_of_day for s in project.scenes} == {"MORNING"}


def test_times_said_plainly(nlp):
    project = plan_text("Yelena is asleep; it is three in the morning, ship time.\n\nAt breakfast I show her the "
                        "photograph.", force="prose")
    assert scene_with(project, "three in the morning").time_of_day == "NIGHT"
    assert scene_with(project, "At breakfast").time_of_day == "MORNING"


def test_standing_at_a_staircase_stays_in_the_room_but_moving_along_a_corridor_goes_there(nlp):
    project = plan_text(
        "Three hundred candles burn in her ballroom. The Duchess greets her guests at the top of the marble "
        "staircase. Lord Ashby corners the captain beside the punch bowl.\n\n"
        "The three of them roll the cheese down a long corridor toward the loading dock."
    )
    assert "ballroom" in scene_with(project, "greets her guests").location.casefold()
    assert "ballroom" in scene_with(project, "corners the captain").location.casefold()
    assert "corridor" in scene_with(project, "roll the cheese").location.casefold()


def test_sending_something_somewhere_does_not_move_the_scene_but_a_goal_after_passing_through_does(nlp):
    project = plan_text(
        "Ingrid waits in her clinic. She leads him through the waiting room into the treatment bay. "
        "The Duchess sends her maid to the library. Yelena throws the spanner into the airlock."
    )
    assert "treatment bay" in scene_with(project, "leads him through").location.casefold()
    assert "library" not in scene_with(project, "sends her maid").location.casefold()
    assert "airlock" not in scene_with(project, "throws the spanner").location.casefold()
