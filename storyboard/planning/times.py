"""When a clause happens (English, spaCy parse): the time of day the story is in, not every time word in it.

- "at dawn", "that evening", "night falls", "tonight", "the night shift" set the time;
- a time in quotes, in the story's past ("tired from last night's party", "the afternoon his brother
  drowned"), or naming a person's job ("a night cleaner") does not;
- clock times read as the hour they are: "at three in the morning" is NIGHT, "at 7 p.m." EVENING; a bare
  "at half past eleven" says nothing about day or night, so it is left alone.
"""

from __future__ import annotations

import re

from . import lexicon

NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split(), start=0)}  # noqa: SIM905
CLOCK = re.compile(
    r"\b(?:(?:at|by|around|about|until|till|past|before|after|near|is|it's|was)\s+)?(?:(?:a\s+)?(?:half|quarter|ten|"
    r"twenty|five)\s+"
    r"(?:past|to)\s+)?(?P<hour>\d{1,2}|" + "|".join(NUMBERS) + r")(?::\d\d)?(?:\s*o'clock)?"
    r"\s*(?P<part>a\.?m\.?|p\.?m\.?|in the (?:morning|afternoon|evening)|at night)?",
    re.IGNORECASE,
)
PAST_MARKS = frozenset(("last", "yesterday", "previous", "yesterday's", "ago"))
ADVERBIAL_PREPS = frozenset(("at", "in", "on", "by", "during", "until", "till", "through", "before", "after",
                             "toward", "towards", "into", "before", "around", "till"))


def clock_time(text: str) -> tuple[str, tuple[int, int]] | None:
    """("NIGHT", (start, end)) for "at three in the morning"; None for a bare hour."""
    for match in CLOCK.finditer(text):
        part = (match.group("part") or "").lower().replace(".", "")
        if not part:
            continue
        raw = match.group("hour").lower()
        hour = int(raw) if raw.isdigit() else NUMBERS[raw]
        if hour > 23:
            continue
        if part in ("pm", "in the afternoon", "in the evening", "at night") and hour < 12:
            hour += 12
        elif part in ("am", "in the morning") and hour == 12:
            hour = 0
        return of_hour(hour), match.span()
    return None


def of_hour(hour: int) -> str:
    if hour < 5 or hour >= 21:
        return "NIGHT"
    if hour < 7:
        return "DAWN"
    if hour < 12:
        return "MORNING"
    if hour < 14:
        return "DAY"
    if hour < 18:
        return "AFTERNOON"
    return "EVENING"


def find_time(span, quoted: set[int], backstory) -> str:
    """The time of day this clause sets, or ""."""
    text = span.text
    clock = clock_time(text)
    skip = set()
    if clock is not None:
        label, (start, end) = clock
        skip = {t.i for t in span if span[0].idx + start <= t.idx < span[0].idx + end}
        first = next((t for t in span if t.i in skip), None)
        if first is not None and not skip & quoted and not _told_of_the_past(first, backstory) and not _not_now(first,
                                                                                                          backstory):
            return label  # not "he tells the jury he saw her leave at two in the morning": that is the past
    for tok in span:
        key = tok.lower_
        if key not in lexicon.TIME_WORDS or tok.i in quoted or tok.i in skip or tok.pos_ not in ("NOUN", "PROPN",
                                                                                                  "ADV"):
            continue
        if _told_of_the_past(tok, backstory) or not _sets_the_time(tok) or _in_a_name(tok) or _not_now(tok, backstory):
            continue
        return lexicon.TIME_WORDS[key]
    return ""


def _told_of_the_past(tok, backstory) -> bool:
    if any(c.lower_ in PAST_MARKS for c in tok.children) or tok.nbor(-1).lower_ in PAST_MARKS if tok.i else False:
        return True
    if any(c.dep_ == "relcl" for c in tok.children):
        return True  # "the afternoon his twin brother drowned"
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head is not verb:
        verb = verb.head
    return bool(backstory(verb))


def _not_now(tok, backstory) -> bool:
    """A time the clause does not happen at: told of ("he tells the jury he saw her leave at two in the morning"), to
    come ("the guns will start again at dawn"), or counted ("on his third night")."""
    if any(c.dep_ == "amod" and c.lower_ in ORDINALS for c in tok.children) and any(
            c.dep_ == "poss" for c in tok.children):
        return True
    for verb in (a for a in [tok, *tok.ancestors] if a.pos_ in ("VERB", "AUX")):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in verb.children):
            return True
        if verb.dep_ == "ccomp" and (backstory(verb) or lexicon.in_vocab(verb.head.text, lexicon.SPEECH_VERBS)):
            return True
    return False


ORDINALS = lexicon._set("first second third fourth fifth sixth seventh eighth ninth tenth last next")


def _in_a_name(tok) -> bool:
    """A capitalised time word inside a sentence is part of a name: "a fishing boat called the Morning Star"."""
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.is_sent_start and tok.nbor(-1).text not in (
        '"', "“", ":", "—")


def _sets_the_time(tok) -> bool:
    dep = tok.dep_
    if dep == "compound":
        return not lexicon.in_vocab(tok.head.text, _JOBS)  # "the night shift" yes, "a night cleaner" no
    if dep == "pobj":
        return tok.head.lower_ in ADVERBIAL_PREPS
    if dep in ("npadvmod", "advmod", "ROOT", "nsubj", "conj", "appos") or tok.pos_ == "ADV":
        return dep != "nsubj" or lexicon.in_vocab(tok.head.text, _FALLS)
    return False


_JOBS = lexicon._set("cleaner watchman guard porter nurse worker shift-worker manager clerk driver owl")
_FALLS = lexicon._set("fall break come arrive settle descend creep approach end begin")
