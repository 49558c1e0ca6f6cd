"""Who is who in a screenplay: the cue names, the introductions in action that describe them, their aliases.

- "JUNE (30s, soaked raincoat) shivers." describes JUNE as "30s, soaked raincoat";
- one introduction naming two cues (LASZLO "LACI" SZABO for the cues LACI and MR. SZABO) makes them one person,
  called by the cue that speaks most;
- an upper-case introduction with a description but no cue is a silent character ("A GUARD (50s) dozes");
- "an old man with a lantern" makes a character Old Man described as "old man with a lantern", or describes
  the cue OLD MAN when there is one.
"""

from __future__ import annotations

import re
from collections import Counter

from ..project import Character
from . import lexicon
from .fountain import Screenplay

_TITLES = frozenset(
    """MR MRS MS MISS DR SIR LADY LORD AUNT UNCLE OFFICER DETECTIVE CAPTAIN CAPT SGT SERGEANT PROFESSOR PROF
    AGENT NURSE DOCTOR MADAME MONSIEUR HERR FRAU""".split()  # noqa: SIM905
)
_ANIMALS = frozenset(("dog", "cat", "horse"))
_NOT_DESCRIPTIONS = frozenset(("OS", "VO", "OC", "CONT'D", "CONTD", "OFF", "OFFSCREEN", "PRELAP", "FILTERED"))
_WORD = re.compile(r"\S+")
_DESCRIPTION = re.compile(r"\s*\(([^()]{1,120})\)")
_ARTICLE = re.compile(r"(?<!\w)(?:a|an|An|A)\s+")
_TAIL_START = frozenset(("with", "in", "wearing", "carrying", "holding", "from"))
_KEEP_BEFORE = frozenset(("a", "an", "the", "his", "her", "their", "of", "with", "and", "in"))
_PUNCTUATION = "\"“”‘’,.;:!?"


def _is_upper(text: str) -> bool:
    return text == text.upper() and text != text.lower()


def _describes(bracket: str) -> bool:
    """ "(60s, cardigan)" describes someone; "(O.S.)" after a sound does not."""
    return bool(bracket) and bracket.upper().replace(".", "").replace(" ", "") not in _NOT_DESCRIPTIONS


def _core(cue: str) -> list[str]:
    """The words that name the person: "MR. SZABO" → ["SZABO"], "OTIS KAVANAGH" → ["OTIS", "KAVANAGH"]."""
    words = [w.strip(".") for w in cue.upper().split()]
    return words[1:] if len(words) > 1 and words[0] in _TITLES else words


def shouted(text: str) -> list[tuple[int, int]]:
    """Spans of five or more upper-case words: text on screen or a shout ("A poster: SIR REGINALD IS KING LEAR")."""
    spans, run = [], []
    for match in [*_WORD.finditer(text), None]:
        word = match.group().strip(_PUNCTUATION) if match else ""
        if match and _is_upper(word):
            run.append(match)
            continue
        if len(run) >= 5:
            spans.append((run[0].start(), run[-1].end()))
        run = []
    return spans


def upper_intros(text: str) -> list[tuple[str, str]]:
    """Upper-case runs and the description in brackets after them: [("OTIS KAVANAGH", "60s, waistcoat")…]."""
    found, run = [], []
    for match in [*_WORD.finditer(text), None]:
        word = match.group().strip(_PUNCTUATION) if match else ""
        if match and len(word) > 1 and _is_upper(word) and not match.group().startswith("("):
            run.append(match)
            if match.group()[-1] not in ",.;:!?":
                continue
        if 0 < len(run) <= 4:
            described = _DESCRIPTION.match(text, run[-1].end())
            name = " ".join(m.group().strip(_PUNCTUATION) for m in run)
            found.append((name, described.group(1).strip() if described else ""))
        run = []
    return found


def lower_intros(text: str) -> list[tuple[str, str]]:
    """ "an old man with a lantern shuffles in" → [("Old Man", "old man with a lantern")]."""
    found = []
    for article in _ARTICLE.finditer(text):
        clause = re.split(r"[.,;:!?()]", text[article.end():], maxsplit=1)[0].split()
        for k, word in enumerate(clause[:3]):
            if not word.islower():
                break
            if lexicon.in_vocab(word, lexicon.PERSON_NOUNS) and word not in _ANIMALS:
                phrase, tail = " ".join(clause[:k + 1]), clause[k + 1:]
                found.append((phrase.title(), " ".join([phrase, *_tail(tail)])))
                break
    return found


def _tail(words: list[str]) -> list[str]:
    """ "with a lantern shuffles in" → "with a lantern": a prepositional tail, cut where a verb seems to start."""
    if not words or words[0] not in _TAIL_START:
        return []
    kept = []
    for k, word in enumerate(words[:7]):
        if k >= 2 and word.endswith(("s", "ed")) and words[k - 1] not in _KEEP_BEFORE:
            break
        kept.append(word)
    return kept


class ScriptCast:
    """The people of one screenplay: canonical names, descriptions and how action text names them."""

    def __init__(self, script: Screenplay):
        lines = Counter(line.character for scene in script.scenes for line in scene.dialogue)
        cues = list(dict.fromkeys(line.character for scene in script.scenes for line in scene.dialogue))
        intros: list[tuple[str, str]] = []  # (name, description) in script order
        order: list[str] = []  # names in order of first appearance, cues and introductions mixed
        for scene in script.scenes:
            for kind, text in scene.elements:
                if kind == "dialogue":
                    order.append(text.split(":", 1)[0])
                elif kind == "action":
                    found = [i for i in upper_intros(text) if _describes(i[1])] + lower_intros(text)
                    intros += found
                    order += [name for name, _ in found]
        self.canon: dict[str, str] = {cue: cue for cue in cues}
        self.descriptions: dict[str, str] = {}
        self.silent: list[str] = []
        for name, description in intros:
            self._introduce(name, description, cues, lines)
        self.order = list(dict.fromkeys(self.canonical(n) for n in order if self._known(n)))
        self._pattern = self._aliases(intros)

    def _known(self, name: str) -> bool:
        return name in self.canon or name in self.silent

    def _introduce(self, name: str, description: str, cues: list[str], lines: Counter) -> None:
        words = set(name.upper().replace('"', " ").split())
        named = [c for c in cues if set(_core(c)) <= words and _core(c)]
        if not named:
            if name not in self.silent and name.upper() not in self.canon:
                self.silent.append(name)
                self.descriptions.setdefault(name, description)
            return
        people = {self.canonical(c) for c in named}
        main = max(people, key=lambda c: (lines[c], -cues.index(c)))
        for cue, person in self.canon.items():
            if person in people:
                self.canon[cue] = main
        for person in people - {main}:
            if person in self.descriptions:
                self.descriptions.setdefault(main, self.descriptions.pop(person))
        self.descriptions.setdefault(main, description)

    def _aliases(self, intros: list[tuple[str, str]]) -> re.Pattern | None:
        """One pattern that finds every name a person goes by in action text."""
        self.alias: dict[str, str] = {}
        for cue, person in self.canon.items():
            self.alias.setdefault(cue.upper(), person)
            self.alias.setdefault(" ".join(_core(cue)), person)
        for name in self.silent:
            self.alias.setdefault(name.upper(), name)
        for name, _ in intros:  # "OTIS KAVANAGH" and "KAVANAGH" name the cue OTIS
            words = name.upper().replace('"', " ").split()
            owner = {self.alias[w] for w in words if w in self.alias}
            if len(owner) == 1:
                person = owner.pop()
                self.alias.setdefault(" ".join(words), person)
                for word in words:
                    if len(word) > 2 and word not in _TITLES:
                        self.alias.setdefault(word, person)
        names = sorted((a for a in self.alias if a), key=len, reverse=True)
        if not names:
            return None
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in names) + r")(?!\w)", re.IGNORECASE)

    def canonical(self, name: str) -> str:
        return self.canon.get(name, name)

    def mentioned(self, text: str) -> list[str]:
        """The people a piece of action names (by any alias, written with a capital), in order."""
        if self._pattern is None:
            return []
        found, signs = [], shouted(text)
        for match in self._pattern.finditer(text):
            if any(a <= match.start() < b for a, b in signs):
                continue  # a name on a poster or a sign is not a person in the shot
            if match.group()[0].isupper() or not match.group()[0].isalpha() or " " in match.group():
                found.append(self.alias[match.group().upper()])
        return list(dict.fromkeys(found))

    def characters(self) -> list[Character]:
        people = list(dict.fromkeys([*self.order, *self.canon.values(), *self.silent]))
        return [Character(name=n, description=self.descriptions.get(n, "")) for n in people]
