"""English for the rule-based reader, used when spaCy's English model is missing (see lexicon_intl.Lexicon).

The place, time, person and speech words are the spaCy reader's own (lexicon.py, cast.py); this adds
what a reader without a parser needs: articles, pronouns, function words.
"""

from __future__ import annotations

from . import lexicon
from .cast import TITLES
from .lexicon_intl import Lexicon, gendered, words

_POSSESSIVES = "my your his her its our their"
_DETERMINERS = f"""{_POSSESSIVES} this that these those each every some any no other another many much few
    several all both either neither one two three four five six seven eight nine ten twenty hundred first
    last next"""
_PREPOSITIONS = """in at on by inside outside near into onto across through under beneath along toward
    towards to atop within behind beside of from with without for about over after before during between
    among around against past up down off out"""
_FUNCTION = f"""{_DETERMINERS} {_PREPOSITIONS} i you he she it we they me him us them and or but so yet nor
    because if when while where as than then there here now today tomorrow yesterday tonight soon later
    still already again also only just even never always not no yes suddenly finally meanwhile outside
    inside afterwards eventually together slowly quickly quietly what who whom whose which why how
    someone somebody nobody nothing everyone everybody everything something once twice perhaps maybe
    is was are were be been has have had do does did will would can could shall should may might must
    monday tuesday wednesday thursday friday saturday sunday hello oh well okay ok please thanks"""
_INTERIOR = lexicon.INTERIOR_PLACES
_SPOTS = words("door doorway window gate")

ENGLISH = Lexicon(
    code="en",
    articles=gendered(n="the a an"),
    indefinite=words("a an"),
    determiners=words(_DETERMINERS),
    possessives=words(_POSSESSIVES),
    prepositions=words(_PREPOSITIONS),
    place_preps=words("in at on inside outside near into onto across through under beneath along toward "
                      "towards atop within behind beside"),
    city_preps=words("in at"),
    with_preps=words("with"),
    of_words=words("of"),
    conjunctions=words("and or"),
    that=words("that"),
    function_words=words(_FUNCTION),
    subject_pronouns=gendered(m="he", f="she", n="they"),
    object_pronouns=gendered(m="him", f="her"),
    clitics=frozenset(),
    titles={t: ("m" if t in ("mr", "mr.", "sir", "lord", "father", "brother", "uncle", "king") else
                "f" if t in ("mrs", "mrs.", "ms", "ms.", "miss", "lady", "mother", "sister", "aunt", "queen") else "")
            for t in TITLES},
    person_nouns={**gendered(n=" ".join(lexicon.PERSON_NOUNS)),
                  **gendered(m="man boy father brother king prince", f="woman girl mother sister queen princess")},
    generic_people=words("man woman boy girl child"),
    person_adjectives=words("old young"),
    kin_nouns=words("mother father brother sister son daughter aunt uncle wife husband friend grandmother "
                    "grandfather cousin"),
    naming_words=words("named called"),
    speech_verbs=lexicon.SPEECH_VERBS | words("said told"),
    motion_verbs=lexicon.APPROACH | words("go went travel walk drive"),
    copulas=words("is was are were seems"),
    depiction_nouns=words("envelope photo photograph picture portrait painting letter drawing screen"),
    places={w: "spot" if w in _SPOTS else "building" if w in _INTERIOR else "outdoors" for w in lexicon.PLACES},
    time_words=dict(lexicon.TIME_WORDS),
    time_after_article=frozenset(),
    until=words("until till"),
    perfect=words("has have"),
    pluperfect=words("had"),
    participle=r"\w+(ed|en|wn|ght)",
    small_hours=words("one two three four 1 2 3 4"),
    group_words=lexicon.GROUP_WORDS - {"them", "their"},
    owner_template="{owner}'s {noun}",
    speech_forms=lexicon.forms,
)
