"""What one sentence says, outside its quotations: the people it mentions, the place and the time.

People: names (runs of capitalised words rules_names found to be people), roles ("la señora", "die
Wirtin", "su madre"), pronouns and group words. A mention after a preposition is not the subject; one in
reported speech ("le cuenta que su marido…") or in a picture ("une photo de sa grand-mère") is aside:
talked about, not in the scene.
Places: a place noun after a place preposition or an article ("in der Gaststube", "las puertas del cine"),
not after "de"/"con" ("des hommes du village", "con medio barrio"); a capitalised place after "en", "à",
"nach" ("en Valparaíso"). Time: the first time-of-day word.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon_intl import Lexicon
from .rules_names import People, candidate_runs
from .rules_text import Sentence, Token


@dataclass
class Mention:
    start: int  # token indices, [start, end)
    end: int
    kind: str  # "name", "role", "pronoun" or "group"
    name: str = ""  # a name's full form
    noun: str = ""  # a role's noun, case-folded
    noun_text: str = ""  # the noun as written ("Großvater")
    article: str = ""  # the word before a role's noun: "el", "su", "une"
    gender: str = ""
    object: bool = False  # an object or prepositional pronoun
    prep: str = ""  # the preposition before the mention
    before: str = ""  # the word before the mention, case-folded
    aside: bool = False  # reported or pictured: not in the scene


@dataclass
class Place:
    index: int  # token index of the place's noun
    label: str  # "Cabina de proyección", "Valparaíso"
    kind: str  # lexicon_intl.PLACE_KINDS, or "named"
    building: str = ""  # "Cine Alhambra" for "las puertas del cine Alhambra"
    head: str = ""  # the place noun phrase without its building: "Puertas"
    moving: bool = False  # a named place after a motion verb: "entra en Villaluz"


def aside_from(s: Sentence, lex: Lexicon) -> int:
    """The token from which the sentence talks about people elsewhere: after "que"/"dass" following a speech
    verb, after "habla de"/"spricht von", or from a picture or letter on."""
    spoke = False
    for i, tok in enumerate(s.tokens):
        if tok.quoted:
            continue
        if lex.is_speech_verb(tok.text) and tok.text[:1].islower():
            spoke = True
        elif (
            (spoke and tok.low in lex.that)
            or tok.low in lex.depiction_nouns
            or (tok.low in lex.of_words and i > 0 and lex.is_speech_verb(s.tokens[i - 1].text))
        ):
            return i
    return len(s.tokens)


def find_mentions(s: Sentence, people: People, lex: Lexicon, roles: dict[str, list[str]],
                  past: int | None = None) -> list[Mention]:
    """`roles`: the nouns known so far to stand for someone ("el proyeccionista", "der Imker"); `past`: the
    token from which the sentence tells what happened before (who is there is not in the scene)."""
    toks, out = s.tokens, []
    aside = min(aside_from(s, lex), len(toks) if past is None else past)
    runs = dict(candidate_runs(toks, lex))
    named_before = False
    i = 0
    while i < len(toks):
        tok = toks[i]
        mention = None
        if tok.quoted:
            i += 1
            continue
        if i in runs:
            name = people.names.get(" ".join(t.text for t in toks[i : runs[i]]))
            start = i - 1 if i > 0 and toks[i - 1].low in lex.titles else i
            mention = Mention(start, runs[i], "name", name=name) if name else None
            i = runs[i] - 1 if mention is None else i
        elif lex.is_noun_marker(tok.low) and (role := _role(s, i, runs, people, lex, roles)) is not None:
            mention = role
        elif (pronoun := _pronoun(toks, i, named_before, lex)) is not None:
            mention = pronoun
        elif (tok.low in lex.group_words and not _before_noun(toks, i, lex)) or _counted(toks, i, lex):
            mention = Mention(i, i + 1, "group")
        if mention is None:
            i += 1
            continue
        if mention.kind == "role" and out and out[-1].end == mention.start - 1 and toks[out[-1].end].text == ",":
            i = mention.end  # "Fermín, el proyeccionista,": the same person again
            continue
        mention.before = before = toks[mention.start - 1].low if mention.start > 0 else ""
        mention.prep = before if before in lex.prepositions or before in lex.with_preps else ""
        mention.aside = mention.start >= aside or _of_a_thing(toks, mention.start, lex)
        named_before = named_before or mention.kind in ("name", "role")
        out.append(mention)
        i = mention.end
    return out


def _of_a_thing(toks: list[Token], start: int, lex: Lexicon) -> bool:
    """ "la mort de son mari, Gérard", "la maison d'Ana": someone a thing belongs to is not in the scene."""
    k = start - 1
    if k >= 2 and toks[k].text == "," and lex.person_gender(toks[k - 1].low) is not None:
        k -= 2  # "de son mari, Gérard": from the noun the name stands beside
        while k >= 0 and (lex.is_noun_marker(toks[k].low) or toks[k].low in lex.possessives):
            k -= 1
    if k < 1 or toks[k].low not in lex.of_words:
        return False
    owner = toks[k - 1]
    return owner.is_word and not lex.function_word(owner.text) and lex.person_gender(owner.low) is None and (
        owner.capitalised == lex.capitalised_nouns or not owner.capitalised)


def _role(s: Sentence, i: int, runs: dict[int, int], people: People, lex: Lexicon,
          roles: dict[str, list[str]]) -> Mention | None:
    """ "la señora", "le vieil homme", "su madre", "die Wirtin": a marker, adjectives, a person noun."""
    toks = s.tokens
    for k in range(i + 1, min(i + 4, len(toks))):
        tok = toks[k]
        if not tok.is_word or tok.quoted:
            return None
        if lex.capitalised_nouns and not tok.capitalised:
            continue  # German adjectives
        if not lex.capitalised_nouns and tok.capitalised:
            return None
        if lex.person_gender(tok.low) is None and tok.low not in roles:
            if lex.capitalised_nouns or lex.known_word(tok.text):
                return None
            continue  # "le vieil homme"
        if (k + 1) in runs or (k + 2 < len(toks) and toks[k + 1].text == "," and (k + 2) in runs):
            return None  # "seine Schwester Deniz": the name speaks for her
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is not None and (lex.place_kind(nxt.text) or (
                tok.low in lex.person_adjectives and nxt.is_word and nxt.text[:1].islower()
                and not lex.function_word(nxt.text) and not lex.is_speech_verb(nxt.text))):
            continue  # "un viejo cine", "son vieux tracteur", "la vieille dame": an adjective
        intro = people.intros.get((s.index, s.offset + k))
        if intro:
            return Mention(i, k + 1, "name", name=intro)
        if lex.is_plural_person(tok.low):
            return Mention(i, k + 1, "group")  # "los dos hermanos": those here
        article = toks[i].low
        gender = lex.noun_gender(tok.text, article)
        return Mention(i, k + 1, "role", noun=tok.low, noun_text=tok.text, article=article, gender=gender)
    return None


def _pronoun(toks: list[Token], i: int, named_before: bool, lex: Lexicon) -> Mention | None:
    tok, low = toks[i], toks[i].low
    if lex.capitalised_nouns and tok.text == "Sie" and i > 0 and toks[i - 1].is_word:
        return None  # German formal "Sie": the one spoken to
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    after_prep = i > 0 and toks[i - 1].low in lex.prepositions
    if low in lex.subject_pronouns and lex.capitalised_nouns and low == "sie" and _plural_verb_next_to(toks, i, lex):
        return Mention(i, i + 1, "group")  # "Dann stehen sie vor dem Klavier": they
    if low in lex.subject_pronouns and not lex.subject_pronouns[low] and low not in lex.object_pronouns:
        return Mention(i, i + 1, "group")  # "ils", "ellos", "they"
    if low in lex.subject_pronouns:
        is_object = after_prep or (low in lex.object_pronouns and named_before)
        return Mention(i, i + 1, "pronoun", gender=lex.subject_pronouns[low], object=is_object)
    if low in lex.object_pronouns:
        possessive = low in lex.possessives and nxt is not None and nxt.is_word and nxt.text[:1].islower() and not (
            lex.is_noun_marker(nxt.low) or nxt.low in lex.prepositions
        )
        return None if possessive else Mention(i, i + 1, "pronoun", gender=lex.object_pronouns[low], object=True)
    return None


def _counted(toks: list[Token], i: int, lex: Lexicon) -> bool:
    """ "los tres bajan", "a los dos", "die drei": a number after an article, standing for people."""
    tok, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
    if i == 0 or toks[i - 1].low not in lex.articles or tok.low not in lex.determiners or tok.low in lex.articles:
        return False
    return nxt is None or not nxt.is_word or not (lex.function_word(nxt.text) or nxt.capitalised)


def _plural_verb_next_to(toks: list[Token], i: int, lex: Lexicon) -> bool:
    """German "sie" beside a verb in -en ("stehen sie", "sie gehen") means they, not she."""
    near = [toks[j] for j in (i - 1, i + 1) if 0 <= j < len(toks)]
    return any(t.is_word and t.text[:1].islower() and t.low.endswith("en") and not lex.known_word(t.text)
               for t in near)


def _before_noun(toks: list[Token], i: int, lex: Lexicon) -> bool:
    """ "todos los jueves", "tous les potins", "alle Gäste": a determiner here, not everyone."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not nxt.is_word:
        return False
    after = toks[i + 2] if i + 2 < len(toks) else None
    if nxt.low in lex.articles and after is not None and after.low in lex.determiners:
        return False  # "tous les trois", "todos los demás": everyone
    return lex.is_noun_marker(nxt.low) or (lex.capitalised_nouns and nxt.capitalised)


# -- place and time ------------------------------------------------------------------------------


def find_places(s: Sentence, people: People, lex: Lexicon, past: int | None = None) -> list[Place]:
    """Place mentions in order of the text, up to `past`; capitalised place names only after the nouns."""
    toks, out, named = s.tokens, [], []
    stop = min(aside_from(s, lex), len(toks) if past is None else past)
    runs = dict(candidate_runs(toks, lex))
    moving = False
    for k, tok in enumerate(toks[:stop]):
        if tok.quoted or not tok.is_word:
            continue
        moving = moving or lex.is_motion_verb(tok.text)
        if k in runs and k > 0 and toks[k - 1].low in lex.city_preps:
            text = " ".join(t.text for t in toks[k : runs[k]])
            if text in people.places or text not in people.names:
                named.append(Place(k, text, "named", moving=moving))
            continue
        kind = lex.place_kind(tok.text)
        if not kind or lex.time_of(tok.text, True) or k in runs and " ".join(
                t.text for t in toks[k : runs[k]]) in people.names:
            continue  # "Frau Berg" is no mountain
        if _introduced(toks, k, lex, people):
            out.append(_place_phrase(s, k, kind, runs, lex))
    return out + named


def _introduced(toks: list[Token], k: int, lex: Lexicon, people: People) -> bool:
    """A place noun after a place preposition or a marker, not after "de" or "con"."""
    j = k - 1
    while j >= 0 and toks[j].is_word and toks[j].text[:1].islower() and not lex.known_word(toks[j].text):
        j -= 1  # adjectives
    if j < 0 or toks[j].low in lex.of_words:  # "des hommes du village": a noun's complement
        return False
    if toks[j].low in lex.place_preps:
        return not _after_noun(toks, j, lex, people)
    if not lex.is_noun_marker(toks[j].low) or j == 0:
        return False
    before = toks[j - 1]
    if before.low in lex.place_preps:
        return not _after_noun(toks, j - 1, lex, people)  # "en la cocina"; not "l'annonce à la boulangerie"
    if toks[j].low in lex.indefinite:
        return False  # "un café" is something to drink; "Le train arrive" is no place anyone is in
    # the object of a verb ("abre las puertas") or, in German, a genitive ("die Tür der Kapelle")
    if before.text[:1].islower():
        return before.is_word and not lex.known_word(before.text)
    return lex.capitalised_nouns and before.is_word and not lex.known_word(before.text)


def _after_noun(toks: list[Token], p: int, lex: Lexicon, people: People) -> bool:
    """The preposition at p follows an article and a noun ("l'annonce à la boulangerie"): its place describes
    the noun; after a verb ("descend dans les vignes") or a person ("el niño desde la puerta") it is the scene's."""
    if p < 1 or not toks[p - 1].is_word:
        return False
    prev = toks[p - 1]
    if lex.capitalised_nouns and not (prev.capitalised and not lex.function_word(prev.text)):
        return False
    if not lex.capitalised_nouns and (prev.capitalised or lex.function_word(prev.text)):
        return False
    if p < 2 or not lex.is_noun_marker(toks[p - 2].low) or lex.person_gender(prev.low) is not None:
        return False  # "grita el niño desde la puerta": where the boy is
    if prev.low in people.roles:
        return False  # "l'accordeur dans la cuisine"
    # "mit seinem Hund durch den Wald": a noun inside another place phrase leaves this one to the verb
    return not (p > 2 and toks[p - 3].low in lex.prepositions)


def _place_phrase(s: Sentence, k: int, kind: str, runs: dict[int, int], lex: Lexicon) -> Place:
    """The noun, a capitalised name after it ("cine Alhambra") and a "de …" complement ("cabina de
    proyección"); a building in the complement holds the place ("puertas del cine" → Cine - Puertas)."""
    toks = s.tokens
    if lex.capitalised_nouns:  # German: the compound says it all ("Gaststube")
        return Place(k, _cap(toks[k].text), kind, head=_cap(toks[k].text))
    head_end = end = runs.get(k + 1, k + 1)
    if end < len(toks) and toks[end].low in lex.of_words:
        j = end + 1
        while j < len(toks) and (lex.is_noun_marker(toks[j].low) or _adjective_before_place(toks, j, lex)):
            j += 1  # "étage d'un vieil immeuble"
        if j < len(toks) and toks[j].is_word and not toks[j].quoted:
            end = runs.get(j, j + 1) if toks[j].capitalised else runs.get(j + 1, j + 1)
            if lex.place_kind(toks[j].text) == "building":
                building, head = _cap(_span(s, j, end)), _cap(_span(s, k, head_end))
                return Place(k, f"{building} - {head}", kind, building, head)
    label = _cap(_span(s, k, end))
    return Place(k, label, kind, head=label)


def _adjective_before_place(toks: list[Token], j: int, lex: Lexicon) -> bool:
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return toks[j].text[:1].islower() and nxt is not None and bool(lex.place_kind(nxt.text)) and not lex.known_word(
        toks[j].text)


def _span(s: Sentence, a: int, b: int) -> str:
    toks = s.tokens
    return s.text[toks[a].start : toks[b - 1].start + len(toks[b - 1].text)]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def find_time(s: Sentence, lex: Lexicon, past: int | None = None) -> str:
    toks = s.tokens
    for k, tok in enumerate(toks[: min(aside_from(s, lex), len(toks) if past is None else past)]):
        if tok.quoted or not tok.is_word:
            continue
        near = [t.low for t in toks[max(0, k - 2) : k]]  # "por la noche", "una fría mañana"
        if any(w in lex.until for w in near):
            continue  # "jusqu'au soir" is not now
        marked = any(lex.is_noun_marker(w) or w in lex.prepositions for w in near)
        when = lex.time_of(tok.text, marked)
        if when == "MORNING" and any(t.low in lex.small_hours for t in toks[max(0, k - 4) : k]):
            return "NIGHT"  # "une heure du matin", "a las tres de la mañana"
        if when:
            return when
    return ""
