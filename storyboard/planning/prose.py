"""Prose → beats, with spaCy plus rules (English) or rules per language without a parser (rules_reader.py).

1. Split the text into paragraphs, long ones into chunks of a few sentences.
2. Parse each chunk with spaCy; split sentences into clauses at coordinated
   verbs ("climbs the stairs and opens the door").
3. Per clause: who (names, appositives, pronouns, groups), where (place
   entities and "in/at/on the …" phrases), when (time words), what is said
   (quoted speech) and the grammar cues (emotion, object, motion …).
4. Merge clauses so each paragraph gives at most 12 shots.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..progress import CancelToken, ProgressFn, no_progress
from ..project import Character
from . import lexicon, people, places, rules_reader, times
from .beats import Beat, merge_to
from .cast import NARRATOR
from .reading import (
    MAX_PER_PARAGRAPH,
    ReadingState,
    backfill_opening_place,
    double_quotes,
    paragraphs,
    split_quotes,
    split_title,
    whole_quotes,
)
from .text import has_letter, too_many_shots


@dataclass
class ProsePlan:
    characters: list[Character]
    beats: list[Beat]
    title: str = ""


def plan_prose(text: str, nlp=None, progress: ProgressFn = no_progress, cancel: CancelToken | None = None,
               max_beats: int | None = None) -> ProsePlan:
    """Read prose into characters and beats. `nlp` None → rules per language, no parser (rules_reader.py).

    Past `max_beats` beats it stops reading and raises InputError (a board that size is not a board)."""
    text = double_quotes(text)
    title, body = split_title(text)
    chunks = paragraphs(body or text)
    ctx = ReadingState()
    beats: list[Beat] = []
    if nlp is None:
        per_chunk = rules_reader.read_story(body or text, ctx)
    else:
        per_chunk = (_read_paragraph(doc, ctx) for doc in nlp.pipe(chunks, batch_size=16))
    for i, chunk_beats in enumerate(per_chunk):
        if i % 20 == 0:
            progress(i, len(chunks), "reading the story")
            if cancel is not None:
                cancel.check()
        beats += merge_to(chunk_beats, MAX_PER_PARAGRAPH)
        if max_beats is not None and len(beats) > max_beats:
            raise too_many_shots(f"more than {max_beats:,}")
    backfill_opening_place(beats)
    _apply_merges(beats, ctx)
    return ProsePlan(characters=ctx.cast.characters, beats=beats, title=title)


def _apply_merges(beats: list[Beat], ctx: ReadingState) -> None:
    """A person first met by a role ("the landlady") and named later is one character in every beat."""
    if not ctx.cast.merged:
        return
    for beat in beats:
        beat.characters = list(dict.fromkeys(ctx.cast.renamed(n) for n in beat.characters))
        for line in beat.dialogue:
            line.character = ctx.cast.renamed(line.character)


# -- spaCy path ---------------------------------------------------------------


def _read_paragraph(doc, ctx: ReadingState) -> list[Beat]:
    ctx.paragraph_lines, ctx.actor = 0, ""
    _count_tense(doc, ctx)
    return [b for b in (_beat(c, ctx) for sent in whole_quotes(list(doc.sents)) for c in _clauses(sent)) if b]


def _count_tense(doc, ctx: ReadingState) -> None:
    """The story's tense so far: main verbs outside quotes in the present (VBZ/VBP) against the past (VBD)."""
    quoted = _quoted(doc[:])
    for tok in doc:
        if tok.dep_ == "ROOT" and tok.i not in quoted and tok.pos_ in ("VERB", "AUX"):
            if tok.tag_ in ("VBZ", "VBP"):
                ctx.tense_votes += 1
            elif tok.tag_ == "VBD":
                ctx.tense_votes -= 1
    ctx.present_tense = ctx.tense_votes >= 0


def _clauses(sent) -> list:
    """Split a sentence at coordinated verbs; each piece keeps ≥ 3 words."""
    cuts = []
    for tok in sent:
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.pos_ in ("VERB", "AUX"):
            start = tok.left_edge.i
            # take the coordinating word and comma before the clause with it
            while start - 1 > sent.start and sent.doc[start - 1].dep_ in ("cc", "punct"):
                start -= 1
            cuts.append(start)
        elif tok.text == ";":
            cuts.append(tok.i)
    pieces, begin = [], sent.start
    for cut in sorted(set(cuts)):
        if cut - begin >= 3 and sent.end - cut >= 3 and not _inside_quote(sent.doc, begin, cut):
            pieces.append(sent.doc[begin:cut])
            begin = cut
    pieces.append(sent.doc[begin : sent.end])
    return pieces


def _inside_quote(doc, begin: int, cut: int) -> bool:
    return doc[begin:cut].text.count('"') % 2 == 1 or doc[begin:cut].text.count("“") > doc[begin:cut].text.count("”")


def _beat(span, ctx: ReadingState) -> Beat | None:
    text = span.text.strip().lstrip(";,").strip()
    for word in ("and then ", "and ", "but ", "then "):
        if text.lower().startswith(word):
            text = text[len(word) :]
            text = text[:1].upper() + text[1:]
    if not has_letter(text):
        return None
    quoted = _quoted(span)
    last_before = list(ctx.cast.last_named)
    told = places.told_after_colon(span)  # "with news: the girl is leaving on the evening train"
    named = people.find_people(span, ctx, quoted | told | people.nickname_of_pronoun(span, ctx, quoted))
    _learn_gender(span, quoted, named, ctx)
    _learn_gender_alone(span, quoted, ctx)
    pronoun = next((t.lower_ for t in span if t.i not in quoted and t.lower_ in lexicon.PRONOUNS), "")
    previous = _continuing_subject(pronoun, last_before, ctx) or ctx.cast.last(pronoun, among=last_before)
    new_place = _find_place(span, ctx, quoted)
    ctx.time_of_day = times.find_time(span, quoted | told, ctx.backstory) or ctx.time_of_day
    who = _resolve_references([t for t in span if t.i not in quoted], named, previous, ctx)
    subject = _subject(span, quoted, who, previous, ctx)
    if subject:
        who = [subject] + [n for n in who if n != subject]
    acted_on = _objects(span, quoted, who, last_before, ctx)
    who += [n for n in acted_on if n not in who]
    who = _speaker_first(span, quoted, who, previous, ctx)
    if quoted and not any(t.is_alpha for t in span if t.i not in quoted) and ctx.next_speaker():
        speaker = ctx.next_speaker()  # a quotation alone: the conversation says who speaks it
        who = [speaker] + [n for n in who if n != speaker]
    dialogue, action = split_quotes(text, who, ctx)
    called = _not_to_whom_it_is_said(dialogue, who, last_before, pronoun, ctx)
    voice = (_labelled(span, quoted, ctx) or _recorded_voice(span, quoted, ctx)) if dialogue else None
    for line in dialogue if voice else ():
        line.character = voice  # "plays a voicemail from her mother: "…"": the mother speaks, off screen
    if dialogue and len(who) == 1:  # someone speaks to whoever is here: the listener is in shot
        listener = next((n for n in reversed(ctx.present) if n != who[0]), None)
        who += [listener] if listener and not new_place else []
    if dialogue:
        if ctx.acted_on and ctx.acted_on != dialogue[0].character:
            called = called or ctx.acted_on  # "She looks at me. "Somebody you loved?"": I answer
        elif ctx.last_speaker in ctx.present and ctx.last_speaker != dialogue[0].character:
            called = called or ctx.last_speaker  # a reply is spoken to who spoke last: they answer it
        ctx.last_speaker, ctx.paragraph_lines = dialogue[0].character, ctx.paragraph_lines + 1
        ctx.last_listener = called or next((n for n in who if n != ctx.last_speaker), ctx.last_listener)
        ctx.actor, ctx.acted_on = "", ""
    elif subject:
        ctx.actor = subject  # "Coach Powell sticks his head round the door. "Two minutes!"": he says it
        ctx.acted_on = next((n for n in acted_on if n != subject), "")  # "drags him into the fridge": the listener
    ctx.last_subject = subject or ctx.last_subject
    if new_place:
        ctx.present = []
    for name in who:
        if name not in ctx.present:
            ctx.present.append(name)
    return Beat(
        action=action,
        characters=who,
        dialogue=dialogue,
        location=ctx.location,
        interior=ctx.interior,
        time_of_day=ctx.time_of_day,
        cues=lexicon.cues(text) | ({"new_location"} if new_place else set())
        | ({"arrival"} if new_place and ctx.arrived else set()),
    )


_OPEN_QUOTES, _CLOSE_QUOTES = frozenset('"“«„'), frozenset('"”»')


def _quoted(span) -> set[int]:
    """Indices of tokens inside quotation marks (speech is not narration)."""
    inside, out = False, set()
    for tok in span:
        if not inside and tok.text in _OPEN_QUOTES:
            inside = True
        elif inside and tok.text in _CLOSE_QUOTES:
            inside = False
        elif inside:
            out.add(tok.i)
    return out


def _find_place(span, ctx: ReadingState, quoted: set[int]) -> bool:
    """Update ctx.location from the clause; True when the place changed."""
    found = places.find_place(span, quoted, ctx.backstory)
    if found is None:
        return False
    label = places.nest(ctx.location, ctx.place_kind, found)
    if label.casefold() == ctx.location.casefold() or ctx.cast.resolve(found.label):
        return False
    if ctx.location and found.still and found.kind == "room" and places.passing_through(found.label):
        return False  # "greets her guests at the top of the staircase": a part of where the scene is
    ctx.location, ctx.interior, ctx.place_kind = label, found.interior, found.kind
    ctx.arrived = found.arrival
    return True


def _continuing_subject(pronoun: str, last_before: list[str], ctx: ReadingState) -> str | None:
    """ "Marshal Dallas Reed steps out of the back room. He is young …": he/she goes on with the last subject
    when nobody was named since and nothing says the subject is of the other gender."""
    subject = ctx.last_subject
    if pronoun not in ("he", "she") or subject in ("", NARRATOR) or not last_before or last_before[-1] != subject:
        return None
    return subject if ctx.cast.gender(subject) in ("m" if pronoun == "he" else "f", "") else None


def _learn_gender(span, quoted: set[int], named: list[str], ctx: ReadingState) -> None:
    """ "Dr. Adeyemi starts her night shift": with one person named, their own his/her tells their gender."""
    if len(named) != 1:
        return
    for tok in span:
        if tok.i not in quoted and tok.lower_ in ("his", "her", "himself", "herself") and tok.dep_ in ("poss", "dobj"):
            if tok.lower_ == "her" and tok.dep_ == "dobj":
                continue  # "meets her": someone else
            if tok.dep_ == "poss" and (tok.head.dep_ in ("nsubj", "attr", "appos") or tok.head.head.dep_ == "appos"):
                continue  # "His best friend is Brolly", "Lord Ashby, her nephew": whose friend, not Brolly's
            ctx.cast.learn_gender(named[0], "m" if tok.lower_.startswith("h") and "i" in tok.lower_ else "f")
            return


def _learn_gender_alone(span, quoted: set[int], ctx: ReadingState) -> None:
    """ "Paris owns a bookshop. She grew up …": with one person in the scene, he/she tells their gender."""
    pronoun = next((t.lower_ for t in span if t.i not in quoted and t.dep_ == "nsubj" and t.lower_ in ("he", "she")),
                   "")
    here = [n for n in ctx.present if n != NARRATOR]
    if pronoun and len(here) == 1:
        ctx.cast.learn_gender(here[0], "m" if pronoun == "he" else "f")


def _speaker_first(span, quoted: set[int], who: list[str], previous: str | None, ctx: ReadingState) -> list[str]:
    """Put the subject of a speech verb ("… ," Mara whispers) first: they speak the quote."""
    for tok in span:
        if tok.i in quoted or tok.dep_ != "nsubj" or not lexicon.in_vocab(tok.head.text, lexicon.SPEECH_VERBS):
            continue
        name = ctx.cast.resolve(tok.text) if tok.lower_ not in lexicon.PRONOUNS else previous
        name = _addressed_as(tok, ctx) or name
        if name:
            return [name] + [n for n in who if n != name]
    return who


def _not_to_whom_it_is_said(dialogue, who: list[str], last_before: list[str], pronoun: str,
                             ctx: ReadingState) -> str:
    """ "Grace?" he calls: a line that calls someone by name is not theirs; it goes to the next likely speaker.
    Returns whom the line calls ("Mr. Brandt, when did your shift end?"): they answer the next line."""
    if not dialogue:
        return ""
    words = lexicon.words(dialogue[0].text)
    ends = [" ".join(words[:2]), " ".join(words[-2:])] + words[:1] + words[-1:]
    called = {ctx.cast.resolve(w) for w in ends if w[:1].isupper()} - {None}
    addressee = next(iter(called)) if len(called) == 1 else ""
    if dialogue[0].character not in called:
        return addressee
    doer = [ctx.actor] if ctx.actor and ctx.actor not in called else []  # "She gasps. "Mr. Button?"": hers
    others = doer + [n for n in who if n not in called] or [ctx.cast.last(pronoun, among=[
        n for n in last_before if n not in called])]
    if others and others[0]:
        for line in dialogue:
            line.character = others[0] if line.character in called else line.character
        if others[0] in who:
            who.remove(others[0])
        who.insert(0, others[0])
    return addressee


VOICE_LABELS = ("voice", "v.o", "narrator", "announcer", "radio", "tv", "presenter", "reporter", "newsreader")


def _labelled(span, quoted: set[int], ctx: ReadingState) -> str | None:
    """ "Voice-over: "Some journeys are worth every minute."", "Mara: "Wait."": a label before a colon speaks."""
    before = [t for t in span if t.i not in quoted]
    colon = next((i for i, t in enumerate(before) if t.text == ":"), None)
    if colon is None or not 0 < colon <= 4 or any(t.is_alpha and t.i not in quoted for t in before[colon + 1:]):
        return None
    words = before[:colon]
    if not words[0].text[:1].isupper() or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    label = places.as_written(words)
    known = ctx.cast.resolve(label)
    if known or any(v in label.casefold() for v in VOICE_LABELS) or (len(words) == 1 and words[0].pos_ == "PROPN"):
        return known or ctx.cast.heard(label)
    return None


RECORDINGS = lexicon._set("voicemail message recording tape answerphone broadcast")


def _recorded_voice(span, quoted: set[int], ctx: ReadingState) -> str | None:
    """Whose voice a recording plays: "a voicemail from her mother in Galway" → Mother; None when no recording."""
    for tok in span:
        if tok.i in quoted or tok.dep_ != "pobj" or tok.head.lower_ != "from":
            continue
        owner = tok.head.head  # "a voicemail from her mother", or "plays a voicemail from her mother" (on the verb)
        if not any(lexicon.in_vocab(t.text, RECORDINGS) for t in [owner, *(c for c in owner.children
                                                                               if c.dep_ == "dobj")]):
            continue
        known = ctx.cast.resolve(tok.text) or ctx.cast.by_role(tok.lower_)
        if known or tok.pos_ == "PROPN" or lexicon.in_vocab(tok.text, people.ROLE_NOUNS):
            return known or ctx.cast.heard(tok.text.title() if tok.pos_ != "PROPN" else tok.text)
    return None


HONORIFICS = {"lordship": ("lord",), "ladyship": ("lady",), "grace": ("duke", "duchess"), "majesty": ("king", "queen"),
              "highness": ("prince", "princess"), "excellency": ("ambassador", "governor", "president")}


def _addressed_as(tok, ctx: ReadingState) -> str | None:
    """ "his lordship drawls", "Her Grace has seen enough": the most recent character with that title."""
    titles = HONORIFICS.get(tok.lower_)
    if not titles or not any(c.lower_ in ("his", "her", "your") for c in tok.children):
        return None
    return next((n for n in reversed(ctx.cast.last_named) if n.casefold().split()[0] in titles), None)


def _subject(span, quoted: set[int], who: list[str], previous: str | None, ctx: ReadingState) -> str:
    """Who does what the clause tells: its subject, or for "… and reads aloud" the subject it continues."""
    for tok in span:
        if tok.i in quoted or not (tok.dep_ in ("nsubj", "nsubjpass") or people.misread_subject(tok)):
            continue
        if tok.lower_ in lexicon.PRONOUNS:
            return previous or ""
        if (honoured := _addressed_as(tok, ctx)) is not None:
            return honoured
        if tok.lower_ == "i":
            return ctx.narrator()
        named = [t for a in tok.children if a.dep_ == "appos" for t in a.subtree]  # "Their leader, a tall girl
        return next((n for n in who if ctx.cast.resolve(tok.text) == n or tok.lower_ in n.casefold()), "") or next(
            (n for t in named if t.text[:1].isupper() for n in who if ctx.cast.resolve(t.text) == n), "")  # …Precious"
    for tok in span:  # "… breaks the seal and reads aloud": the clause goes on with the same subject
        if tok.i not in quoted and tok.dep_ == "conj" and tok.head.i < span.start and places.verbish(tok.head):
            return ctx.last_subject
    return ""


def _objects(span, quoted: set[int], who: list[str], last_before: list[str], ctx: ReadingState) -> list[str]:
    """ "corners him", "nudges her", "squints at me": the person acted on is in the shot too."""
    out = []
    for tok in span:
        if tok.i in quoted or tok.dep_ not in ("dobj", "pobj", "dative") or tok.tag_ == "PRP$":
            continue
        if tok.lower_ in ("him", "her"):
            name = ctx.cast.last(tok.lower_, among=[n for n in last_before if n not in who])
        elif tok.lower_ == "me":
            name = ctx.narrator()
        else:
            continue
        if name and name not in who:
            out.append(name)
    return out


def _resolve_references(tokens, named: list[str], previous: str | None, ctx: ReadingState) -> list[str]:
    """Add whom pronouns ("she" → the last character named before) and groups refer to."""
    who = list(named)
    lowers = {t.lower_ for t in tokens}
    subject_pronoun = any(t.lower_ in lexicon.PRONOUNS and t.dep_ in ("nsubj", "nsubjpass") for t in tokens)
    if subject_pronoun and previous:
        who.insert(0, previous) if previous not in who else None
    elif not named and lowers & lexicon.PRONOUNS and ctx.cast.last():
        who.append(ctx.cast.last())
    if lowers & lexicon.GROUP_WORDS:
        group = list(ctx.present)
        if len(group) < 2:
            group += [n for n in ctx.cast.last_named[-2:] if n not in group]
        who += [n for n in group if n not in who]
    if not who:
        who = list(ctx.present[-3:])  # nobody named: those already here stay in shot
    return who
