"""What the rule-based reader knows of a language: one `Lexicon` per language, no parser.

Each language module (lexicon_es, lexicon_fr, lexicon_de, lexicon_en) builds one `Lexicon` from word lists
written as text. Words are stored case-folded; inflected forms are listed where they matter (speech verbs)
and plurals are folded by `noun_forms` (and, in German, compounds by their last part: "Gaststube" is a
"stube").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Where a place sits in a building: a room or a spot nests in the building the scene is in.
PLACE_KINDS = ("building", "room", "spot", "outdoors", "vehicle")
INTERIOR_KINDS = frozenset(("building", "room", "spot", "vehicle"))


def words(text: str) -> frozenset[str]:
    """A word list from text, case-folded."""
    return frozenset(w.casefold() for w in text.split())


def gendered(m: str = "", f: str = "", n: str = "") -> dict[str, str]:
    """Words with their grammatical person's gender: "m", "f" or "" (either, or a group)."""
    out = {w: "" for w in words(n)}
    out.update({w: "m" for w in words(m)})
    out.update({w: "f" for w in words(f)})
    return out


def kinds(**lists: str) -> dict[str, str]:
    """Place nouns by kind: kinds(building="house …", room="kitchen …")."""
    assert set(lists) <= set(PLACE_KINDS), f"unknown place kind in {sorted(lists)}"
    return {w: kind for kind, text in lists.items() for w in words(text)}


def times(**lists: str) -> dict[str, str]:
    """Time words by the time of day they give: times(NIGHT="noche …")."""
    return {w: when for when, text in lists.items() for w in words(text)}


def plural_forms(word: str) -> list[str]:
    """A noun and the singulars it may be a plural of (Romance and German endings, roughly)."""
    w = word.casefold()
    out = [w]
    for ending in ("s", "x", "e", "n", "en", "er", "es"):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            out.append(w[: -len(ending)])
    return out


@dataclass(frozen=True)
class Lexicon:
    code: str  # "es", "fr", "de", "en"
    articles: dict[str, str]  # definite and indefinite articles → gender ("" when it does not tell)
    indefinite: frozenset[str]  # indefinite articles: "une jeune femme" introduces someone new
    determiners: frozenset[str]  # demonstratives, possessives, quantifiers, number words: a noun follows
    possessives: frozenset[str]  # "su madre", "seine Schwester": a relative of someone
    prepositions: frozenset[str]  # every preposition and contraction ("del", "au", "im")
    place_preps: frozenset[str]  # prepositions that put someone in a place ("en", "dans", "im", "a")
    city_preps: frozenset[str]  # prepositions after which a capitalised word is a place ("en", "nach")
    with_preps: frozenset[str]  # "con", "avec", "mit": whoever follows is there too
    of_words: frozenset[str]  # "de", "von", "of": what follows describes the noun before
    conjunctions: frozenset[str]  # "y", "et", "und": coordinated words are alike
    that: frozenset[str]  # "que", "dass": after a speech verb, the rest is reported, not shown
    function_words: frozenset[str]  # words that open sentences and are never names
    subject_pronouns: dict[str, str]  # → gender; "" for a group
    object_pronouns: dict[str, str]  # unambiguous object and prepositional pronouns → gender
    clitics: frozenset[str]  # pronouns written before the verb: "Fermín le enseña" makes Fermín a subject
    titles: dict[str, str]  # "señora" → "f"; a title before a capitalised word makes it a person
    person_nouns: dict[str, str]  # "niño" → "m": unnamed people, and roles of named ones
    kin_nouns: frozenset[str]  # person nouns that take an owner ("su madre" → "madre de Tito")
    generic_people: frozenset[str]  # "el hombre", "la niña": whoever of that gender was named last
    person_adjectives: frozenset[str]  # "vieux", "viejo": a person, or an adjective ("son vieux tracteur")
    naming_words: frozenset[str]  # "llamado", "namens", "appelle": a name follows
    speech_verbs: frozenset[str]  # inflected forms: "dice", "dijo", "pregunta" …
    motion_verbs: frozenset[str]  # "llega", "entre", "fährt": a town named after one is where the scene goes
    copulas: frozenset[str]  # "es", "est", "ist": "Es el único conductor" describes the subject
    depiction_nouns: frozenset[str]  # "foto", "Brief": who is in one is not in the scene
    places: dict[str, str]  # place noun → kind (PLACE_KINDS)
    time_words: dict[str, str]  # → "MORNING", "NIGHT" …
    time_after_article: frozenset[str]  # "mañana" is tomorrow, "la mañana" the morning
    group_words: frozenset[str]  # "todos", "die beiden": everyone present
    until: frozenset[str]  # "hasta", "jusqu'", "bis": a time after it is not the scene's
    small_hours: frozenset[str]  # "une", "dos", "drei": "une heure du matin" is night
    perfect: frozenset[str]  # "ha", "a", "hat": with a participle, something that happened before
    pluperfect: frozenset[str]  # "había", "avait", "hatte": with a participle, backstory whatever the tense
    participle: str  # a regular expression for the participles that go with them
    owner_template: str  # how a relative is named: "{noun} de {owner}", "{owner}s {noun}"
    capitalised_nouns: bool = False  # German: every noun is capitalised, so a capital says little
    compounds: bool = False  # German: a compound is its last part ("Kesselwandhütte" is a "hütte")
    pro_drop: bool = False  # Spanish: the subject is often left out ("pregunta." = he asks)
    speech_forms: Callable[[str], set[str]] | None = None  # English: fold "says", "asked" (verbs) to their base
    feminine_suffix: str = ""  # German "-in": "Wirtin", "Lehrerin" are women
    shop_suffix: str = ""  # "panadería", "boulangerie", "Bäckerei": a shop, whatever it sells
    _compound_heads: tuple[str, ...] = field(default=(), repr=False)

    # -- lookups ----------------------------------------------------------------------------------

    def is_speech_verb(self, word: str) -> bool:
        return self._verb_in(word, self.speech_verbs)

    def is_motion_verb(self, word: str) -> bool:
        return self._verb_in(word, self.motion_verbs)

    def _verb_in(self, word: str, verbs: frozenset[str]) -> bool:
        w = word.casefold()
        if w in verbs:
            return True
        return self.speech_forms is not None and not self.speech_forms(w).isdisjoint(verbs)

    def place_kind(self, word: str) -> str:
        """The kind of place a noun names ("" when it names none)."""
        for form in plural_forms(word):
            if form in self.places:
                return self.places[form]
        w = word.casefold()
        if self.shop_suffix and w.endswith(self.shop_suffix) and len(w) > len(self.shop_suffix) + 3:
            return "building"
        if self.compounds:
            for head in self.compound_heads():
                if w.endswith(head) and len(w) - len(head) >= 3:
                    return self.places[head]
        return ""

    def compound_heads(self) -> tuple[str, ...]:
        """Place nouns long enough to end a compound, longest first ("stube" in "Gaststube")."""
        if not self._compound_heads:
            heads = tuple(sorted((w for w in self.places if len(w) >= 4), key=len, reverse=True))
            object.__setattr__(self, "_compound_heads", heads)
        return self._compound_heads

    def time_of(self, word: str, after_article: bool) -> str:
        """The time of day a word gives ("" when none)."""
        w = word.casefold()
        if "-" in w and w not in self.time_words:
            w = w.split("-")[0]  # "ce matin-là"
        if self.capitalised_nouns and w in self.time_after_article:
            after_article = word[:1].isupper()  # German "der Morgen" (the morning), not "morgen" (tomorrow)
        if w in self.time_after_article and not after_article:
            return ""
        if w in self.time_words:
            return self.time_words[w]
        if self.compounds and word[:1].isupper():
            for head in sorted(self.time_words, key=len, reverse=True):  # "Sonntagnachmittag" before "mittag"
                if len(head) >= 4 and w.endswith(head) and len(w) - len(head) >= 3:
                    return self.time_words[head]  # "Freitagabend"
        return ""

    def person_gender(self, noun: str) -> str | None:
        """The gender of a person noun ("m", "f", ""), or None when the word names no person."""
        w = noun.casefold()
        for form in plural_forms(w):
            if form in self.person_nouns:
                return self.person_nouns[form]
        if w in self.titles:
            return self.titles[w]
        suffix = self.feminine_suffix
        if suffix and w.endswith(suffix) and self.person_nouns.get(w[: -len(suffix)]) == "m":
            return "f"  # "Bäckerin" from "Bäcker"
        return None

    def is_participle(self, word: str) -> bool:
        return word[:1].islower() and re.fullmatch(self.participle, word.casefold()) is not None

    def is_plural_person(self, noun: str) -> bool:
        """ "hermanos", "Frauen": the plural of a person noun."""
        w = noun.casefold()
        return w not in self.person_nouns and w not in self.titles and self.person_gender(w) is not None

    def noun_gender(self, noun: str, article: str) -> str:
        """A person noun's gender from the noun itself, a feminine suffix, or its article."""
        known = self.person_gender(noun)
        if known:
            return known
        if self.feminine_suffix and noun.casefold().endswith(self.feminine_suffix) and len(noun) > 5:
            return "f"
        return self.articles.get(article.casefold(), "")

    def is_noun_marker(self, word: str) -> bool:
        """An article, determiner or possessive: the word after it is a noun."""
        w = word.casefold()
        return w in self.articles or w in self.determiners or w in self.possessives or w.isdigit()

    def function_word(self, word: str) -> bool:
        """An article, pronoun, preposition, conjunction or other word of grammar: never a name."""
        w = word.casefold()
        return (
            w in self.function_words
            or w in self.articles
            or w in self.determiners
            or w in self.prepositions
            or w in self.subject_pronouns
            or w in self.object_pronouns
            or w in self.conjunctions
            or w in self.group_words
        )

    def known_word(self, word: str) -> bool:
        """A word of the language's lists: a word of grammar, or a noun of people, places or times."""
        w = word.casefold()
        nouns = self.person_gender(w) is not None or bool(self.time_of(w, True)) or w in self.places
        return self.function_word(w) or nouns
