"""The language-independent reader: sentences and capitalised names, no parser.

Used for prose in a language the rule-based reader has no lexicon for (rules_reader.py): sentence ends in
Latin, CJK and other scripts split beats; capitalised words inside sentences are names.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import lexicon
from .beats import Beat
from .reading import SENTENCE_END, ReadingState, split_quotes, whole_quotes


def read_chunks(chunks: list[str], ctx: ReadingState) -> Iterator[list[Beat]]:
    """The beats of each chunk of a story, in order: one list per chunk."""
    names = capitalised_mid_sentence(chunks)
    for chunk in chunks:
        yield [plain_beat(s, ctx, names) for s in sentences(chunk)]


def sentences(chunk: str) -> list[str]:
    """Sentences of a chunk; a quotation is never cut at its own sentence ends."""
    parts = [p.strip() for p in SENTENCE_END.split(chunk) if p and p.strip()]
    return whole_quotes(parts) or [chunk]


_STRIP = ".,;:!?\"'()«»“”„"


def _is_capitalised(token: str) -> bool:
    return len(token) > 1 and token[0].isupper() and token[1:].islower()


def capitalised_mid_sentence(chunks: list[str]) -> set[str]:
    """Words written with a capital inside sentences: in most scripts, names."""
    found = set()
    for chunk in chunks:
        for sentence in sentences(chunk):
            for word in sentence.split()[1:]:
                token = word.strip(_STRIP)
                if _is_capitalised(token):
                    found.add(token)
    return found


def plain_beat(sentence: str, ctx: ReadingState, names: set[str]) -> Beat:
    """No parser: names are capitalised words inside sentences (or opening one when seen inside too)."""
    words = [w.strip(_STRIP) for w in sentence.split()]
    who = []
    for i, token in enumerate(words):
        if _is_capitalised(token) and (i > 0 or token in names or ctx.cast.resolve(token)):
            name = ctx.cast.resolve(token) or ctx.cast.add(token)
            if name and name not in who:
                who.append(name)
    who = who or list(ctx.present[-3:])
    for name in who:
        if name not in ctx.present:
            ctx.present.append(name)
    dialogue, action = split_quotes(sentence, who, ctx)
    return Beat(action=action, characters=who, dialogue=dialogue, cues=lexicon.cues(sentence))
