"""Word lists the rule-based planner uses to read film grammar into prose.

Words are stored in base form; `stem()` folds simple English inflections
("climbs", "climbed", "climbing" → "climb") so lists stay short.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """The base forms a word may inflect from: "climbing" → {climbing, climb, climbe, …}."""
    w = word.lower().strip("'’")
    out = {w}
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("ied") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("es"):
        out.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        out.add(w[:-1])
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            base = w[: -len(suffix)]
            out.update((base, base + "e"))
            if len(base) > 2 and base[-1] == base[-2]:
                out.add(base[:-1])  # running → run
    if w.endswith("d") and w.endswith("ed"):
        out.add(w[:-1])  # stared → stare
    return frozenset(out)


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def in_vocab(word: str, vocab: frozenset[str]) -> bool:
    return not forms(word).isdisjoint(vocab)


BE = frozenset(("be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m", "’s", "’re"))


def base_is(tok, *bases: str) -> bool:
    """Whether a spaCy token is a form of one of these base words ("called" → call, "was" → be), with or
    without the pipeline's lemmatizer."""
    if tok.lemma_ and tok.lemma_ != tok.text and tok.lemma_ in bases:
        return True
    if "be" in bases and tok.lower_ in BE:
        return True
    return in_vocab(tok.text, frozenset(bases))


# Head nouns that name a place; "in the <place>" makes a location.
PLACES = _set(
    """room kitchen bedroom bathroom hall hallway corridor attic basement cellar office study library
    house home apartment flat cabin cottage hut mansion palace castle tower lighthouse church chapel temple
    school classroom station platform airport hangar harbor harbour port dock pier wharf marina
    street road alley avenue lane highway bridge tunnel square plaza market shop store bar pub cafe
    restaurant diner hotel motel inn lobby elevator lift stairs staircase stairwell roof rooftop balcony
    garden yard courtyard park field meadow farm barn forest wood woods jungle desert mountain hill valley
    cliff cliffs beach shore coast sea ocean lake river stream pond island cave canyon
    city town village camp base lab laboratory hospital ward clinic prison cell court courtroom
    ship boat deck cabin bridge train car truck van bus plane cockpit spaceship spacecraft station
    theater theatre stage studio gym arena stadium warehouse factory garage parking lot mall museum
    cemetery graveyard ruins den lair throne hangar vault bank gallery attic porch driveway
    lighthouse lantern-room lamp-room tent window doorway door gate"""
)
INTERIOR_PLACES = _set(
    """room kitchen bedroom bathroom hall hallway corridor attic basement cellar office study library
    house home apartment flat cabin cottage hut mansion palace church chapel temple school classroom
    hangar shop store bar pub cafe restaurant diner hotel motel inn lobby elevator lift stairwell
    lab laboratory hospital ward clinic prison cell court courtroom cockpit train car bus plane
    theater theatre stage studio gym warehouse factory garage mall museum vault bank gallery tent
    den lair throne cave"""
)
# Nouns for unnamed people who can still be characters ("a stranger arrives").
PERSON_NOUNS = _set(
    """man woman boy girl child kid baby stranger fisherman keeper guard soldier officer detective
    doctor nurse captain sailor pilot driver priest teacher student mother father brother sister
    grandmother grandfather king queen prince princess knight wizard witch thief robot android
    waiter waitress bartender clerk farmer hunter dog cat horse old-man old-woman"""
)
GROUP_WORDS = frozenset(
    [
        "they",
        "them",
        "their",
        "everyone",
        "everybody",
        "together",
        "both",
        "family",
        "group",
        "crowd",
        "couple",
        "friends",
    ]
)
PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers", "himself", "herself"])

TIME_WORDS = {
    "dawn": "DAWN",
    "daybreak": "DAWN",
    "sunrise": "DAWN",
    "morning": "MORNING",
    "noon": "DAY",
    "midday": "DAY",
    "afternoon": "AFTERNOON",
    "day": "DAY",
    "daylight": "DAY",
    "dusk": "DUSK",
    "twilight": "DUSK",
    "sunset": "DUSK",
    "evening": "EVENING",
    "night": "NIGHT",
    "midnight": "NIGHT",
    "nightfall": "NIGHT",
    "sundown": "DUSK",
    "sunup": "DAWN",
    "tonight": "NIGHT",
    "breakfast": "MORNING",
    "lunchtime": "DAY",
    "supper": "EVENING",
    "suppertime": "EVENING",
    "teatime": "AFTERNOON",
}

# Days, months and feasts: capitalised, and neither people nor places.
CALENDAR = _set("""monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december christmas easter halloween ramadan eid diwali hanukkah passover
    thanksgiving midsummer""")
# Cue words: each set marks a beat with a hint that the shot grammar reads.
EMOTION = _set(
    """cry weep sob tear tears smile grin laugh frown scream gasp whisper tremble shiver stare gaze glare
    blush panic fear afraid terrified shock shocked horror horrified relief realize realise remember
    hesitate sigh kiss hug embrace face eyes grief angry furious joy love hate heartbroken desperate"""
)
OBJECTS = _set(
    """letter note key keys photo photograph picture map ring knife gun pistol phone watch clock book
    diary journal envelope bottle glass cup lamp candle box coin badge card ticket bag locket necklace
    sword bomb switch button screen document file hand hands"""
)
OBJECT_VERBS = _set("find pick hold read open reveal grab notice discover drop hide pocket hand show examine")
MOTION = _set(
    """run chase race flee escape sprint drive ride fly fall jump leap climb walk wander march swim crawl
    fight battle storm rush hurry cross follow"""
)
APPROACH = _set("approach arrive enter reach return advance creep")
LEAVE = _set("leave depart exit retreat disappear vanish recede")
LOOK_UP = _set("climb rise ascend soar")
THREAT = _set("loom tower threaten menace menacing tower towering giant monster villain command dominate")
VULNERABLE = _set("alone lost small helpless collapse kneel cower trapped abandoned lonely defeated")
CHAOS = _set("chaos dizzy drunk madness confuse confused nightmare spin spinning crash explode explosion")
SPEECH_VERBS = _set(
    "say ask reply answer shout yell whisper mutter murmur call cry tell warn plead beg insist admit explain"
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def cues(text: str) -> set[str]:
    """The grammar hints a beat's text carries."""
    stems: set[str] = set()
    for w in words(text):
        stems |= forms(w)
    found = set()
    for name, vocab in (
        ("emotion", EMOTION),
        ("motion", MOTION),
        ("approach", APPROACH),
        ("leave", LEAVE),
        ("look_up", LOOK_UP),
        ("threat", THREAT),
        ("vulnerable", VULNERABLE),
        ("chaos", CHAOS),
    ):
        if stems & vocab:
            found.add(name)
    if stems & OBJECTS and stems & OBJECT_VERBS:
        found.add("object")
    return found


def object_word(text: str) -> str:
    """The first object noun in the text (for an insert shot's label)."""
    for w in words(text):
        if in_vocab(w, OBJECTS) and w.lower() not in ("hand", "hands"):
            return w.lower()
    return ""
