"""Keeping track of who is who while reading a story.

`Cast` gives each character one spelling for the whole project: the first
full mention wins ("Mara Lin"), later short forms ("Mara", "Lin", "Mara's")
resolve to it, and pronouns resolve to the last character named.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
import warnings

from ..project import Character

log = logging.getLogger(__name__)

TITLES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "doctor",
        "captain",
        "capt.",
        "capt",
        "sir",
        "lady",
        "lord",
        "professor",
        "prof",
        "prof.",
        "officer",
        "detective",
        "sergeant",
        "sgt",
        "sgt.",
        "agent",
        "father",
        "mother",
        "sister",
        "brother",
        "aunt",
        "uncle",
        "king",
        "queen",
        "coach",
        "nurse",
        "judge",
        "chef",
        "inspector",
        "constable",
        "commander",
        "admiral",
        "general",
        "colonel",
        "major",
        "lieutenant",
        "marshal",
        "sheriff",
        "deputy",
        "mayor",
        "governor",
        "president",
        "senator",
        "reverend",
        "rev",
        "rev.",
        "duchess",
        "duke",
        "prince",
        "princess",
    ]
)


_MALE = frozenset(
    [
        "he",
        "him",
        "his",
        "himself",
        "man",
        "boy",
        "brother",
        "father",
        "son",
        "husband",
        "king",
        "prince",
        "uncle",
        "mr",
        "mr.",
        "sir",
        "lord",
    ]
)
_FEMALE = frozenset(
    [
        "she",
        "her",
        "hers",
        "herself",
        "woman",
        "girl",
        "sister",
        "mother",
        "daughter",
        "wife",
        "queen",
        "princess",
        "aunt",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "lady",
    ]
)


def gender_of(words: str, description: str = "") -> str:
    """ "m", "f" or "" from words that describe a person or refer to one; in a description, "-man" and
    "-woman" words too ("a stocky Welshman", "a fisherwoman")."""
    tokens = set(f"{words} {description}".casefold().replace("'s", " ").split())
    described = [w for w in description.casefold().split() if w not in ("his", "her", "hers", "their")]
    tokens -= {"his", "her", "hers"} - set(words.casefold().split())  # "Her coach, a Welshman": his own gender
    male = bool(tokens & _MALE) or any(t.endswith("man") and not t.endswith("woman") for t in described)
    female = bool(tokens & _FEMALE) or any(t.endswith("woman") for t in described)
    return "m" if male and not female else "f" if female and not male else ""


def first_name_gender(name: str) -> str:
    """ "f"/"m" when the first name is given to one gender in at least nine cases of ten across the
    countries of nomquamgender's data ("Siobhan", "Kwame"), else "" ("Dakota", "Paris", or no data)."""
    words = [w for w in name.replace(".", " ").split() if w.casefold() not in TITLES]
    return _first_name_gender(words[0]) if words and words[0][:1].isupper() else ""


@functools.lru_cache(maxsize=4096)
def _first_name_gender(first: str) -> str:
    model = _name_model()
    if model is None:
        return ""
    verdict = model.classify([first])[0]
    return {"gf": "f", "gm": "m"}.get(verdict, "")


@functools.lru_cache(maxsize=1)
def _name_model():
    """nomquamgender's classifier (MIT; name–gender data from many countries), loaded on first use."""
    try:
        with warnings.catch_warnings():  # its data loading uses importlib.resources.open_text, deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            import nomquamgender  # noqa: PLC0415  (pandas and a 4 MB table: only when prose is planned)
    except ImportError:
        log.warning("nomquamgender is not installed: no gender from first names (pip install -r requirements.txt)")
        return None
    return nomquamgender.NBGC()


def _clean_name(text: str) -> str:
    """Trim a mention to a name: no possessive, no emoji or symbols, single spaces."""
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "SC" or ch.isspace())
    text = " ".join(text.replace("’", "'").split())
    for suffix in ("'s", "'"):
        text = text.removesuffix(suffix)
    return text.strip(" ,.;:!?\"'()[]")


def _role_words(char: Character) -> set[str]:
    """A character's title ("Captain" in "Captain Thomas Fairweather") and the head of its description."""
    words = {w for w in char.name.casefold().replace(".", "").split()[:1] if w in TITLES}
    own = char.description.casefold().split("'s ")[-1].split()
    if own and not char.description.startswith(char.name):
        words.add(own[-1].strip(",.;:"))
    return words


NARRATOR = "Narrator"
RECENT = 3  # how many recently named people a he/she looks back over for a known gender first


class Cast:
    def __init__(self) -> None:
        self.characters: list[Character] = []
        self._alias: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        self.last_named: list[str] = []  # most recent last
        self._learned: dict[str, str] = {}  # gender read from the story ("starts her shift")
        self.roles: set[str] = set()  # characters known only by a role ("Landlady", "Old Woman")
        self.merged: dict[str, str] = {}  # a role character → the named character it turned out to be
        self._roles_of: dict[str, set[str]] = {}  # named character → role nouns set beside their name

    def __contains__(self, name: str) -> bool:
        return self.resolve(name) is not None

    def resolve(self, text: str) -> str | None:
        key = _clean_name(text).casefold()
        if key in self._alias:
            return self._alias[key]
        parts = [p for p in key.split() if p not in TITLES]
        if len(parts) == 1 and parts[0] in self._alias and parts[0] not in self._ambiguous:
            return self._alias[parts[0]]
        if len(parts) > 1 and " ".join(parts) in self._alias:
            return self._alias[" ".join(parts)]  # "Sir Bohdan Kral" is "Bohdan Kral"
        return None

    def _short_form_of(self, name: str) -> str | None:
        """ "Roe" met first, then "Declan Roe": the one character whose whole name is one word of the new name."""
        parts = [p for p in name.casefold().split() if p not in TITLES]
        hits = {self._alias[p] for p in parts if p in self._alias and p not in self._ambiguous
                and self._alias[p].casefold() in parts}
        return hits.pop() if len(hits) == 1 else None

    def add(self, text: str, description: str = "") -> str | None:
        """Register (or find) a character; returns its canonical name."""
        name = _clean_name(text)
        if not name or not any(ch.isalpha() for ch in name) or len(name) > 60:
            return None
        canonical = self.resolve(name) or self._short_form_of(name)
        if canonical is None:
            canonical = name
            self.characters.append(Character(name=canonical, description=description))
            self._register(canonical, canonical)
        elif description:
            char = next(c for c in self.characters if c.name == canonical)
            if not char.description:
                char.description = description
        if name.casefold() != canonical.casefold():
            self._register(name, canonical)
        self.mention(canonical)
        return canonical

    def _register(self, alias: str, canonical: str) -> None:
        key = alias.casefold()
        self._alias[key] = canonical
        untitled = " ".join(p for p in key.split() if p not in TITLES)
        if untitled and untitled != key:
            self._alias.setdefault(untitled, canonical)  # "Sir Bohdan Kral" is also "Bohdan Kral"
        for part in key.split():
            if part in TITLES or len(part) < 2:
                continue
            owner = self._alias.get(part)
            if owner is not None and owner != canonical:
                self._ambiguous.add(part)
            else:
                self._alias[part] = canonical

    def heard(self, text: str) -> str | None:
        """A voice only heard (a voicemail): a character, but not one a later he/she refers to."""
        known = self.resolve(text)
        name = self.add(text)
        if name and not known:
            self.last_named.remove(name)
        return name

    def alias(self, text: str, canonical: str) -> None:
        """Another name for a known character: a nickname ("whom the crew calls Sparrow")."""
        name = _clean_name(text)
        if name and self.resolve(name) is None:
            self._register(name, canonical)

    def add_roles(self, canonical: str, nouns: set[str]) -> None:
        """Role nouns a named person was introduced with: "Their father, Kwesi Mensah" → father."""
        self._roles_of.setdefault(canonical, set()).update(n.casefold() for n in nouns)

    def by_role(self, noun: str) -> str | None:
        """The one character whose title or description is this role noun ("the captain", "the paramedic")."""
        key = noun.casefold()
        hits = [c.name for c in self.characters if key in _role_words(c) | self._roles_of.get(c.name, set())]
        return hits[0] if len(set(hits)) == 1 else None

    def role_character(self, noun: str, gender: str = "") -> str | None:
        """The most recent character known only by this role noun (or, with `gender`, by any role of it)."""
        for name in reversed(self.last_named):
            if name not in self.roles:
                continue
            if noun and name.casefold().split()[-1] == noun.casefold():
                return name
            if not noun and gender and self.gender(name) == gender:
                return name
        return None

    def merge(self, role: str, canonical: str) -> None:
        """The character met by a role is `canonical`: one person from now on (`merged` renames earlier beats)."""
        if role not in self.roles or role == canonical:
            return
        self.roles.discard(role)
        self.merged[role] = canonical
        self.characters = [c for c in self.characters if c.name != role]
        for key, owner in list(self._alias.items()):
            if owner == role:
                self._alias[key] = canonical
        self.last_named = [n for n in self.last_named if n != role]
        self.mention(canonical)

    def renamed(self, name: str) -> str:
        while name in self.merged:
            name = self.merged[name]
        return name

    def learn_gender(self, canonical: str, gender: str) -> None:
        if gender and not self.gender(canonical):
            self._learned[canonical] = gender

    def mention(self, canonical: str) -> None:
        if canonical in self.last_named:
            self.last_named.remove(canonical)
        self.last_named.append(canonical)

    def last(self, pronoun: str = "", among: list[str] | None = None) -> str | None:
        """The most recently named character (of `among`, default all) a pronoun can refer to."""
        order = self.last_named if among is None else among
        wanted = gender_of(pronoun)
        if wanted:  # "he"/"she" is never the narrator ("I"); a known gender beats an unknown one nearby
            order = [n for n in order if n != NARRATOR] or order
            recent = order[-RECENT:]
            for name in reversed(recent):
                if self.gender(name) == wanted:
                    return name
        for name in reversed(order):
            if not wanted or self.gender(name) in (wanted, ""):
                return name
        return order[-1] if order else None

    def gender(self, canonical: str) -> str:
        char = next((c for c in self.characters if c.name == canonical), None)
        if char is None:
            return ""
        if canonical in self._learned:
            return self._learned[canonical]
        own = char.description.split("'s ")[-1]  # "Mara's brother" describes Tom, not Mara
        if canonical in self.roles:  # "Barman" is not a first name
            return gender_of(canonical, own)
        return gender_of(canonical, own) or first_name_gender(canonical)  # every word: "Teenage Boy", "Mrs Pell"

    def describe(self, canonical: str, description: str) -> None:
        char = next((c for c in self.characters if c.name == canonical), None)
        if char is not None and description and not char.description:
            char.description = description
