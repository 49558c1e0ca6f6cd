"""Spanish, French and German prose through the rule-based reader: people, speakers, places and times."""

from __future__ import annotations

import pytest

from storyboard.planning import plan_text
from storyboard.planning.language import detect
from storyboard.planning.lexicon_de import GERMAN
from storyboard.planning.lexicon_es import SPANISH
from storyboard.planning.lexicon_fr import FRENCH
from storyboard.planning.prose import plan_prose
from storyboard.planning.rules_text import dialogue_turns, split_story, story_paragraphs
from storyboard.planning.text import is_english

SPANISH_STORY = """La tormenta

Al amanecer, Lucía Ferrer abre la panadería de la calle Mayor. Su hermano Julián ya está en la cocina, con las \
manos llenas de harina.

—¿Has visto el cielo? —pregunta Julián—. Va a llover todo el día.
—Entonces venderemos más pan —responde ella.

A mediodía entra un cartero empapado. El cartero deja una carta sobre el mostrador y se marcha sin decir nada. \
Lucía la lee en silencio.

Por la tarde, los dos hermanos cierran la tienda y caminan hasta el puerto. Allí los espera la señora Ortega, su \
tía, bajo un paraguas negro.

—Llegáis tarde —dice la anciana.
—Perdón, tía.
—No importa. Vamos a casa.
"""

FRENCH_STORY = """Le dernier train

Un soir d'hiver, Madame Colette Marchand attend sur le quai de la gare de Lille. Elle porte une valise rouge et \
un vieux chapeau.

Un jeune homme s'approche d'elle. Il s'appelle Karim et il vend des journaux.
— Vous attendez le train de Paris ? demande-t-il.
— Oui. Il a encore du retard, répond Colette.
— Comme toujours.

Dans la salle d'attente, Colette ouvre sa valise. Karim lui apporte un café. « Merci, mon garçon », dit la vieille \
dame. Elle sourit pour la première fois.

À minuit, le train arrive enfin. Colette monte dans le wagon et Karim lui fait signe depuis le quai.
"""

GERMAN_STORY = """Der Fund im Wald

Am frühen Morgen geht Förster Karl Brandt mit seinem Hund durch den Wald. Der Nebel hängt noch zwischen den Bäumen.

Plötzlich bleibt der Hund stehen. Unter einer alten Eiche liegt eine Kiste aus Metall. Karl kniet sich hin und \
öffnet den Deckel.

»Was ist das?«, flüstert er. In der Kiste liegen Briefe, ein Schlüssel und eine Karte.

Am Nachmittag sitzt Karl in der Küche seiner Nachbarin. Frau Helga Lenz liest die Briefe langsam vor.
„Die sind von meinem Großvater“, sagt sie leise.
„Und der Schlüssel?“, fragt Karl.
„Der gehört zur Kapelle am See.“

Am Abend fahren die beiden zum See. Die Tür der Kapelle ist verschlossen. Helga steckt den Schlüssel ins Schloss.
"""


def lines(plan) -> list[tuple[str, str]]:
    return [(d.character, d.text) for b in plan.beats for d in b.dialogue]


def beat_with(plan, words: str):
    return next(b for b in plan.beats if words.casefold() in b.action.casefold())


# -- the language ---------------------------------------------------------------------------------


def test_each_language_is_told_by_its_function_words():
    assert detect(SPANISH_STORY) == "es"
    assert detect(FRENCH_STORY) == "fr"
    assert detect(GERMAN_STORY) == "de"
    assert detect("Mara climbs the stairs of the lighthouse and lights the lamp. She waits for the ship.") == "en"
    assert detect("灯台守のマラは階段を上り、ランプに火をともす。") == "other"
    assert is_english("The keeper climbs the stairs and opens the door.")
    assert not is_english(GERMAN_STORY)


# -- people --------------------------------------------------------------------------------------


def test_spanish_names_with_their_titles_and_an_unnamed_postman():
    plan = plan_prose(SPANISH_STORY)
    assert [c.name for c in plan.characters] == ["Lucía Ferrer", "Julián", "Cartero", "Ortega"]
    assert beat_with(plan, "Lucía la lee").characters == ["Lucía Ferrer"]  # "Lucía" is Lucía Ferrer
    assert "Ortega" in beat_with(plan, "dice la anciana").characters  # the old woman is the aunt just named


def test_french_sentence_openings_inside_quotes_are_no_names():
    plan = plan_prose(FRENCH_STORY)
    assert [c.name for c in plan.characters] == ["Colette Marchand", "Karim"]  # no "Vous", "Oui", "Comme"
    assert beat_with(plan, "s'approche").characters[0] == "Karim"  # "Un jeune homme … Il s'appelle Karim"


def test_german_common_nouns_are_not_characters():
    plan = plan_prose(GERMAN_STORY)
    assert [c.name for c in plan.characters] == ["Karl Brandt", "Helga Lenz"]  # not Nebel, Hund, Kiste, Briefe…
    assert beat_with(plan, "öffnet den Deckel").characters == ["Karl Brandt"]  # "… und öffnet": still Karl
    assert set(beat_with(plan, "fahren die beiden").characters) == {"Karl Brandt", "Helga Lenz"}


# -- speakers ------------------------------------------------------------------------------------


def test_spanish_dash_dialogue_attribution_and_turns():
    said = lines(plan_prose(SPANISH_STORY))
    assert said[:3] == [
        ("Julián", "¿Has visto el cielo?"),
        ("Julián", "Va a llover todo el día."),  # after the attribution, the same turn
        ("Lucía Ferrer", "Entonces venderemos más pan"),  # "responde ella": the woman last named
    ]
    assert said[3] == ("Ortega", "Llegáis tarde")  # "dice la anciana"
    assert said[-1] == ("Ortega", "No importa. Vamos a casa.")  # a new turn with no attribution: the listener


def test_french_inverted_attribution_and_alternation():
    said = lines(plan_prose(FRENCH_STORY))
    assert said == [
        ("Karim", "Vous attendez le train de Paris ?"),  # demande-t-il
        ("Colette Marchand", "Oui. Il a encore du retard"),  # répond Colette
        ("Karim", "Comme toujours."),  # a bare turn: the one spoken to answers
        ("Colette Marchand", "Merci, mon garçon"),  # dit la vieille dame
    ]


def test_german_quotes_of_both_kinds_and_a_reply_on_its_own_line():
    said = lines(plan_prose(GERMAN_STORY))
    assert said == [
        ("Karl Brandt", "Was ist das?"),  # »…«, flüstert er
        ("Helga Lenz", "Die sind von meinem Großvater"),  # sagt sie
        ("Karl Brandt", "Und der Schlüssel?"),  # fragt Karl
        ("Helga Lenz", "Der gehört zur Kapelle am See."),  # a new line, no attribution: the reply
    ]


# -- places and times -----------------------------------------------------------------------------


def test_spanish_places_nest_in_their_building_and_times_carry_on():
    plan = plan_prose(SPANISH_STORY)
    first, kitchen = plan.beats[0], beat_with(plan, "en la cocina")
    assert (first.location, first.interior, first.time_of_day) == ("Panadería de la calle Mayor", "INT", "DAWN")
    assert kitchen.location == "Panadería de la calle Mayor - Cocina"
    assert beat_with(plan, "A mediodía").time_of_day == "DAY"
    port = beat_with(plan, "hasta el puerto")
    assert (port.location, port.interior, port.time_of_day) == ("Puerto", "EXT", "AFTERNOON")


def test_french_places_and_times():
    plan = plan_prose(FRENCH_STORY)
    assert (plan.beats[0].location, plan.beats[0].time_of_day) == ("Gare - Quai", "EVENING")
    assert beat_with(plan, "salle d'attente").location == "Gare - Salle d'attente"
    assert beat_with(plan, "un café").location == "Gare - Salle d'attente"  # a coffee is no café
    assert beat_with(plan, "le train arrive").time_of_day == "NIGHT"  # "À minuit"; the train is no place here
    assert beat_with(plan, "le train arrive").location == "Gare - Salle d'attente"


def test_german_places_and_times():
    plan = plan_prose(GERMAN_STORY)
    assert (plan.beats[0].location, plan.beats[0].interior, plan.beats[0].time_of_day) == ("Wald", "EXT", "MORNING")
    assert beat_with(plan, "Metall").location == "Wald"  # "aus Metall" is no town
    kitchen = beat_with(plan, "in der Küche")
    assert (kitchen.location, kitchen.interior, kitchen.time_of_day) == ("Küche", "INT", "AFTERNOON")
    assert (beat_with(plan, "zum See").location, beat_with(plan, "zum See").time_of_day) == ("See", "EVENING")


# -- the pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "lex", "turns"),
    [
        ("—Ven —dice Tito—. Ya es tarde. —No quiero.", SPANISH, ["«Ven» dice Tito. «Ya es tarde.»", "«No quiero.»"]),
        ("— Tu viens ? demande-t-elle. Il fait nuit.", FRENCH, ["«Tu viens ?» demande-t-elle. «Il fait nuit.»"]),
        ("Tito dice: —Hola.", SPANISH, ["Tito dice: «Hola.»"]),
        ("Remedios — que tiene ochenta años — abre.", SPANISH, ["Remedios — que tiene ochenta años — abre."]),
    ],
)
def test_dash_dialogue_becomes_quotations(paragraph, lex, turns):
    assert dialogue_turns(paragraph, lex) == turns


def test_a_line_opening_on_a_quote_is_a_turn_of_its_own():
    text = "Anna wartet am Tor.\n„Kommst du?“, fragt sie.\n„Gleich.“"
    assert story_paragraphs(text, GERMAN) == ["Anna wartet am Tor.", "„Kommst du?“, fragt sie.", "„Gleich.“"]


def test_inverted_pronouns_and_elisions_are_words_of_their_own():
    sentence = split_story(["« Vous venez ? » demande-t-elle à l'homme qu'il aime."], FRENCH)[0]
    words = [t.text for t in sentence.tokens if not t.quoted]
    assert words == ["demande", "elle", "à", "l'", "homme", "qu'", "il", "aime", "."]
    assert sentence.quotes == ["Vous venez ?"]


def test_plan_text_routes_a_german_story_to_the_rules():
    project = plan_text(GERMAN_STORY)
    assert [c.name for c in project.characters] == ["Karl Brandt", "Helga Lenz"]
    assert {s.location for s in project.scenes} >= {"Wald", "Küche", "See"}


def test_english_without_spacy_still_finds_people_and_speakers():
    plan = plan_prose('Mara waits at the pier at dawn. Tom runs up the gangway. "You are late," Mara says. '
                      '"The ferry was early," Tom answers.')
    assert [c.name for c in plan.characters] == ["Mara", "Tom"]
    assert lines(plan) == [("Mara", "You are late"), ("Tom", "The ferry was early")]
    assert plan.beats[0].time_of_day == "DAWN"


def test_backstory_moves_no_scene_and_shops_are_known_by_their_ending():
    french = plan_prose("Paul entre dans la cuisine à midi. Il a vu une annonce à la boulangerie. Il s'assoit.")
    assert [b.location for b in french.beats] == ["Cuisine"] * 3  # "il a vu … à la boulangerie": before now
    spanish = plan_prose("Por la tarde, Marta entra en la zapatería de su tío. Marta se prueba unas botas.")
    assert (spanish.beats[0].location, spanish.beats[0].interior) == ("Zapatería de su tío", "INT")


def test_a_role_learned_from_the_verb_to_be_names_the_speaker():
    plan = plan_prose("Am Morgen öffnet Herr Otto Vogel seinen Laden. Er ist seit dreißig Jahren Uhrmacher. "
                      "Eine Frau namens Lea bringt eine alte Uhr.\n\n„Geht sie noch?“, fragt Lea.\n\n"
                      "„Bald wieder“, sagt der Uhrmacher.")
    assert lines(plan) == [("Lea", "Geht sie noch?"), ("Otto Vogel", "Bald wieder")]


def test_times_of_day_in_their_usual_turns():
    plan = plan_prose("Ce matin-là, Paul ouvre la boutique. Vers une heure du matin, Paul ferme la boutique.")
    assert [b.time_of_day for b in plan.beats] == ["MORNING", "NIGHT"]  # one in the morning is night
    plan = plan_prose("Ana trabaja en la cocina hasta la noche. Mañana viaja a Lima.")
    assert [b.time_of_day for b in plan.beats] == ["", ""]  # "hasta la noche", "mañana": not now
