"""Who the people of a story are, read from the whole text before any beat is made (no parser).

1. Runs of capitalised words outside quotations are the candidates: "Remedios Alcázar", "Inès Haddad".
   Words of the language's lists (function words, nouns of places, times and people) never are.
2. Each occurrence gives evidence from the word before and after it:
   - a person for sure: after a title ("Frau Gruber"), a naming word ("namens Emre", "llamado Tito"), a
     person noun ("seine Schwester Deniz"), or next to a speech verb ("dit Inès", "Napoléon crie");
   - a place: after a place preposition ("à Marseille") or a place noun ("cine Alhambra");
   - a common noun: after an article, determiner or adjective ("die Wirtin", "ein schweres Gewitter");
   - a name, most likely: inside a sentence, where only names are capitalised (not in German), or
     opening a sentence before a pronoun ("Fermín le enseña"), or opening two sentences.
3. Every word of a person's run is theirs: "Remedios" and "Alcázar" both stand for "Remedios Alcázar".
4. Roles: a person noun introducing a name ("une jeune femme … Elle s'appelle Inès"), in apposition
   ("Fermín, el proyeccionista") or before it ("seine Schwester Deniz") becomes a way to refer to them
   ("el proyeccionista", "die Schwester"); titles and nouns give a gender.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .lexicon_intl import Lexicon, words
from .rules_text import Sentence, Token

STRONG = ("title", "named", "speech", "apposed")
PARTICLES = words("von van zu de del du da di")


@dataclass
class People:
    names: dict[str, str] = field(default_factory=dict)  # a run of words → the full name it stands for
    genders: dict[str, str] = field(default_factory=dict)  # full name → "m" / "f"
    roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # noun → full names
    places: set[str] = field(default_factory=set)  # proper names of places ("Marseille")
    intros: dict[tuple[int, int], str] = field(default_factory=dict)  # (sentence, noun token) → full name
    descriptions: dict[str, str] = field(default_factory=dict)  # full name → its appositive

    def add_role(self, noun: str, name: str) -> None:
        if name not in self.roles[noun.casefold()]:
            self.roles[noun.casefold()].append(name)

    def set_gender(self, name: str, gender: str) -> None:
        if gender and name not in self.genders:
            self.genders[name] = gender


@dataclass
class _Run:
    sentence: int
    start: int
    end: int
    text: str


def find_people(sentences: list[Sentence], lex: Lexicon) -> People:
    people = People()
    # 1-2. candidates and their evidence
    evidence: dict[str, Counter] = defaultdict(Counter)
    runs: list[_Run] = []
    coordinated: list[tuple[str, str]] = []
    for s in sentences:
        previous = ""
        for start, end in candidate_runs(s.tokens, lex):
            run = _Run(s.index, start, end, " ".join(t.text for t in s.tokens[start:end]))
            runs.append(run)
            kinds = _evidence(s.tokens, start, end, lex)
            evidence[run.text].update(kinds)
            if "coord" in kinds and previous:
                coordinated.append((previous, run.text))
            previous = run.text
    persons = {text for text, ev in evidence.items() if _is_person(ev, lex)}
    for before, after in coordinated:  # "Emre und Deniz": alike
        if before in persons and not evidence[after]["noun"] and not evidence[after]["place"]:
            persons.add(after)
    _whole_names(runs, persons, lex)
    people.places = {text for text, ev in evidence.items() if text not in persons and ev["place"]}
    # 3. every word of a person's run is theirs
    words_of = {text: set(text.split()) - PARTICLES for text in persons}
    for run in runs:
        words = run.text.split()
        owners: list[str] = []
        spans = [words[:j] for j in range(len(words), 0, -1)] + [words[k:] for k in range(1, len(words))]
        for span in spans:  # "Herr Oberholzer Musik" is Oberholzer's, "Förster Karl Brandt" Karl Brandt's
            parts = set(span) - PARTICLES
            owners = [text for text, ws in words_of.items() if parts and parts <= ws]
            if owners:
                break
        if not owners or run.text in people.places:
            continue
        longest = max(len(words_of[o]) for o in owners)
        full = {o for o in owners if len(words_of[o]) == longest}
        people.names[run.text] = full.pop() if len(full) == 1 else run.text
    # 4. genders and roles
    for run in runs:
        name = people.names.get(run.text)
        if name:
            _describe(sentences[run.sentence], run, name, people, lex)
    _introductions(sentences, people, lex)
    return people


def _whole_names(runs: list[_Run], persons: set[str], lex: Lexicon) -> None:
    """Runs that hold a person's word but are no person themselves: "Förster Karl Brandt" gives "Karl
    Brandt". In German, where nouns are capitalised too, the first run of a person's word is their whole
    name ("von Aylin Demir"), and a later run that adds an unknown word ends before it ("hört Herr
    Oberholzer Musik": Musik is a noun)."""
    first_run: dict[str, str] = {}
    for run in runs:
        for w in run.text.split():
            first_run.setdefault(w, run.text)
    person_words = {w for text in persons if " " not in text for w in [text]}
    for text in dict.fromkeys(run.text for run in runs):
        words = text.split()
        k = next((k for k, w in enumerate(words) if w in person_words), None)
        if k is None or len(words) == 1:
            continue
        if text not in persons:
            if k > 0:
                persons.add(" ".join(words[k:]))
            elif lex.capitalised_nouns and first_run[words[0]] == text:
                persons.add(text)
        elif lex.capitalised_nouns and first_run[words[0]] != text and any(first_run[w] == text for w in words[1:]):
            persons.discard(text)


def candidate_runs(tokens: list[Token], lex: Lexicon) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words outside quotations; titles are not part of a run."""
    out, i = [], 0
    while i < len(tokens):
        after_title = i > 0 and tokens[i - 1].low in lex.titles and not tokens[i - 1].quoted
        if not _candidate(tokens[i], lex, loose=after_title):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if _candidate(tokens[j], lex, loose=True):
                j += 1
            elif tokens[j].low in PARTICLES and j + 1 < len(tokens) and _candidate(tokens[j + 1], lex) and (
                i > 0 and tokens[i - 1].low in lex.titles
            ):
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


def _candidate(tok: Token, lex: Lexicon, loose: bool = False) -> bool:
    """A capitalised word that may be (part of) a name. Where only names are capitalised, a surname may be a
    noun too ("Marchand", "Pastor"); in German only after a title or a first name ("Frau Koch", "Anna Koch")."""
    if tok.quoted or not tok.is_word or not tok.capitalised or tok.low in lex.titles or lex.function_word(tok.text):
        return False
    if lex.capitalised_nouns and not loose:
        return not lex.known_word(tok.text) and not lex.place_kind(tok.text)
    return True


def _evidence(tokens: list[Token], start: int, end: int, lex: Lexicon) -> list[str]:
    """What the words around one occurrence of a run say it is."""
    prev = tokens[start - 1] if start > 0 else None
    before = tokens[start - 2] if start > 1 else None
    after = tokens[end] if end < len(tokens) else None
    kinds = []
    if after is not None and after.text[:1].islower() and lex.is_speech_verb(after.text) and not after.quoted:
        kinds.append("speech")
    if prev is None or prev.quoted or prev.text in ":;—–(«»„“\"":
        kinds += _opening(after, lex)
        return kinds
    low = prev.low
    if low in lex.titles:
        kinds.append("title")
    elif _naming(tokens, start - 1, lex):
        kinds.append("named")
    elif prev.text[:1].islower() and lex.is_speech_verb(prev.text):
        kinds.append("speech")
    elif low in ("a", "à", "zu", "to") and any(lex.is_speech_verb(t.text) for t in tokens[max(0, start - 3) : start]):
        kinds.append("speech")  # "dit à Inès", "demande-t-il à Odile": the one spoken to is a person too
    elif _person_noun(prev, lex) or (low == "," and before is not None and _person_noun(before, lex)):
        kinds.append("apposed")
    elif low in lex.city_preps or lex.place_kind(prev.text) or (
        low in lex.of_words and before is not None and lex.place_kind(before.text)
    ):
        kinds.append("place")
    elif lex.is_noun_marker(low) or _adjective(tokens, start - 1, lex):
        kinds.append("noun")
    elif low in lex.conjunctions:
        kinds.append("coord")
    elif low in lex.with_preps:
        kinds.append("noun" if lex.capitalised_nouns else "mid")
    elif low in lex.prepositions:
        kinds.append("noun" if lex.capitalised_nouns else "prep")
    elif low == "," and lex.capitalised_nouns:
        kinds += _opening(after, lex)
    elif prev.is_word and prev.capitalised:
        kinds.append("noun" if lex.capitalised_nouns else "mid")
    else:
        kinds.append("mid")
    return kinds


def _opening(after: Token | None, lex: Lexicon) -> list[str]:
    """A run opening a sentence is a name when what follows is a verb, not an article or a preposition."""
    if after is None or not after.is_word or not after.text[:1].islower():
        return ["initial"]
    if after.low in lex.clitics and after.low not in lex.articles:
        return ["initial", "clitic"]  # "Fermín le enseña"; "la" could open "Abre la silla" too
    if lex.is_noun_marker(after.low) or after.low in lex.prepositions or after.low in lex.conjunctions:
        return ["initial"]
    return ["initial", "opens"]


def _naming(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Token i is a naming word: "llamado", "namens", and "s'appelle", "se llama" (not "appelle Paul")."""
    tok = tokens[i]
    if tok.low not in lex.naming_words:
        return False
    if lex.is_speech_verb(tok.text):
        return i > 0 and tokens[i - 1].low in ("s'", "se", "sich", "m'", "t'", "me", "te")
    return True


def _person_noun(tok: Token, lex: Lexicon) -> bool:
    """A person noun written as a noun: capitalised in German ("Schwester"), in lower case elsewhere."""
    return tok.is_word and tok.capitalised == lex.capitalised_nouns and lex.person_gender(tok.low) is not None


def _adjective(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Token i is a lower-case word between an article (or a preposition, in German) and a noun."""
    k = i
    while k >= 0 and tokens[k].is_word and tokens[k].text[:1].islower() and not lex.known_word(tokens[k].text):
        k -= 1
    if k == i or k < 0:
        return False
    marker = tokens[k].low
    return lex.is_noun_marker(marker) or (lex.capitalised_nouns and marker in lex.prepositions)


def _is_person(ev: Counter, lex: Lexicon) -> bool:
    if any(ev[k] for k in STRONG):
        return True
    if ev["place"] and ev["place"] >= ev["mid"] + ev["clitic"] + ev["opens"]:
        return False  # "à Marseille"; but "Odile lui montre … Odile sort … à Odile" is a woman
    if lex.capitalised_nouns:  # German: a capital alone says nothing; a subject twice, or once and inside
        return not ev["noun"] and (ev["opens"] >= 2 or (ev["opens"] and ev["mid"]))
    if ev["mid"] + ev["clitic"] > ev["noun"] or ev["opens"] + ev["clitic"] >= 2:
        return True
    return not lex.pro_drop and ev["opens"] > ev["noun"]  # French, English: a sentence opens on its subject


# -- genders and roles ---------------------------------------------------------------------------


def _describe(sentence: Sentence, run: _Run, name: str, people: People, lex: Lexicon) -> None:
    tokens = sentence.tokens
    prev = tokens[run.start - 1] if run.start > 0 else None
    if prev is not None and prev.low in lex.titles:
        people.set_gender(name, lex.titles[prev.low])
        people.add_role(prev.low, name)
    article = next((t.low for t in reversed(tokens[max(0, run.start - 2) : run.start]) if t.low in lex.articles), "")
    people.set_gender(name, lex.articles.get(article, ""))  # "une certaine Jeanne", "la pequeña Ana"
    noun = _noun_before(tokens, run.start, lex)
    if noun is not None:  # "seine Schwester Deniz", "su marido, Ernesto"
        people.set_gender(name, lex.noun_gender(noun.text, ""))
        people.add_role(noun.low, name)
    apposition = _apposition(tokens, run.end, lex)
    if apposition:  # "Fermín, el proyeccionista, …"
        article, noun_tok, phrase = apposition
        people.add_role(noun_tok.low, name)
        people.set_gender(name, lex.noun_gender(noun_tok.text, article))
        people.descriptions.setdefault(name, phrase)


def _noun_before(tokens: list[Token], start: int, lex: Lexicon) -> Token | None:
    k = start - 1
    if k >= 0 and tokens[k].text == ",":
        k -= 1
    if k >= 0 and _person_noun(tokens[k], lex) and tokens[k].low not in lex.titles:
        return tokens[k]
    return None


def _apposition(tokens: list[Token], end: int, lex: Lexicon) -> tuple[str, Token, str] | None:
    """ ", el proyeccionista, …" after a name: (article, noun, the phrase up to the next mark)."""
    if end + 2 >= len(tokens) or tokens[end].text != ",":
        return None
    if tokens[end + 1].low not in lex.articles and tokens[end + 1].low not in lex.possessives:
        return _bare_apposition(tokens, end, lex)
    article, k = tokens[end + 1].low, end + 2  # ", el proyeccionista", ", su tía", ", le petit-fils de Raymond"
    if lex.capitalised_nouns:
        while k < len(tokens) and tokens[k].is_word and tokens[k].text[:1].islower() and k < end + 5:
            k += 1  # German adjectives
    else:
        words = []
        while k < len(tokens) and tokens[k].is_word and tokens[k].text[:1].islower() and len(words) < 3:
            if lex.function_word(tokens[k].text):
                break
            words.append(k)
            k += 1
        if not words:
            return None  # the noun is the person noun among them, else the last ("el viejo proyeccionista")
        k = next((j for j in words if lex.person_gender(tokens[j].low) is not None), words[-1])
    if k >= len(tokens) or not tokens[k].is_word or tokens[k].quoted:
        return None
    if lex.capitalised_nouns != tokens[k].text[:1].isupper():
        return None
    stop = next((j for j in range(k, len(tokens)) if tokens[j].text in ",.;:!?"), len(tokens))
    phrase = " ".join(t.text for t in tokens[end + 1 : stop])
    return article, tokens[k], phrase[:80]


def _bare_apposition(tokens: list[Token], end: int, lex: Lexicon) -> tuple[str, Token, str] | None:
    """ "Hector Delaunay, accordeur de pianos, monte": a noun without article, closed by a comma."""
    noun = tokens[end + 1]
    stop = next((j for j in range(end + 1, len(tokens)) if tokens[j].text in ",.;:!?"), len(tokens))
    if stop >= len(tokens) or tokens[stop].text != "," or stop - end > 8 or noun.quoted or not noun.is_word:
        return None
    if noun.capitalised != lex.capitalised_nouns or lex.function_word(noun.text) or lex.is_speech_verb(noun.text):
        return None
    return "", noun, " ".join(t.text for t in tokens[end + 1 : stop])[:80]


def _introductions(sentences: list[Sentence], people: People, lex: Lexicon) -> None:
    """ "un niño … llamado Tito", "une jeune femme entre. Elle s'appelle Inès": the noun is Tito, Inès.
    The naming may come a few sentences after the noun, in the same paragraph or the next."""
    for s in sentences:
        for i, tok in enumerate(s.tokens):
            if tok.quoted or not _naming(s.tokens, i, lex) or i + 1 >= len(s.tokens):
                continue
            name = people.names.get(_run_text(s.tokens, i + 1, lex))
            if not name:
                continue
            gender = _naming_gender(tok.low) or people.genders.get(name, "")
            pronoun = next((t for t in s.tokens[:i] if t.low in lex.subject_pronouns), None)
            if pronoun is not None:
                gender = gender or lex.subject_pronouns[pronoun.low]
            told = [p for p in sentences[max(0, s.index - 8) : s.index] if p.paragraph >= s.paragraph - 2]
            earlier = [p for p in told if any(not t.quoted and t.is_word for t in p.tokens)][-3:]  # narration
            for source in [s] + earlier[::-1]:
                limit = i if source is s else len(source.tokens)
                chain = _last_indefinite(source, limit, gender, lex)
                for k, noun_gender in chain:
                    people.intros[(source.index, k)] = name
                    people.add_role(source.tokens[k].low, name)
                    gender = gender or noun_gender
                if chain or _names_someone(source, limit, people, lex):
                    break  # the nearest introduction; someone named in between stops the search
            people.set_gender(name, gender)


def _names_someone(s: Sentence, limit: int, people: People, lex: Lexicon) -> bool:
    runs = candidate_runs(s.tokens[:limit], lex)
    return any(" ".join(t.text for t in s.tokens[a:b]) in people.names for a, b in runs)


def _run_text(tokens: list[Token], start: int, lex: Lexicon) -> str:
    end = start
    while end < len(tokens) and _candidate(tokens[end], lex):
        end += 1
    return " ".join(t.text for t in tokens[start:end])


def _naming_gender(word: str) -> str:
    if word.endswith(("ada", "ée")):
        return "f"
    if word.endswith(("ado", "é")):
        return "m"
    return ""


def _last_indefinite(s: Sentence, limit: int, gender: str, lex: Lexicon) -> list[tuple[int, str]]:
    """The last "un/une/ein + (adjectives) + person noun" before token `limit` whose gender fits, with those
    it stands in apposition to ("un espectador: un niño … llamado Tito")."""
    found: list[tuple[int, int, str]] = []  # (article, noun, gender)
    for i, tok in enumerate(s.tokens[:limit]):
        if tok.low not in lex.indefinite or tok.quoted:
            continue
        for k in range(i + 1, min(i + 4, limit)):
            noun_gender = lex.person_gender(s.tokens[k].low)
            if noun_gender is not None and _person_noun(s.tokens[k], lex):
                noun_gender = lex.noun_gender(s.tokens[k].text, tok.low)
                if not gender or not noun_gender or gender == noun_gender:
                    found.append((i, k, noun_gender))
                break
    chain = found[-1:]
    for earlier in reversed(found[:-1]):  # "un chico con un rebaño, un pastor … que se llama Nicolás"
        between = s.tokens[earlier[1] + 1 : chain[-1][0]]
        if not between or between[-1].text not in ":,—–" or len(between) > 8:
            break
        if any(t.text in ".;!?" or t.low in lex.that or lex.is_speech_verb(t.text) for t in between):
            break
        chain.append(earlier)
    return [(k, g) for _, k, g in chain]
