"""Which language a story is written in: English, Spanish, French, German or another, from function words.

Every language uses a few short words all the time ("the", "and"; "el", "que"; "le", "et"; "der", "und").
The language whose list covers the largest share of the text's words wins, if that share is large enough
to be more than chance; a text mostly in another script is "other".
"""

from __future__ import annotations

import re

from .lexicon_intl import words

LANGUAGES = ("en", "es", "fr", "de")
# The most frequent words of each language, chosen to overlap little with the others'.
FUNCTION_WORDS = {
    "en": words(
        "the a an and to of in on at is was he she they his her with for it that this from were are had"
    ),
    "es": words(
        "el la los las y que de del en un una al por con se su sus es lo le para como pero más muy está"
    ),
    "fr": words(
        "le la les et un une des du est il elle dans pour sur qui que ne pas au aux avec son sa ses ce"
    ),
    "de": words(
        "der die das und ist ein eine nicht zu den dem mit sich auf des von er sie es im am auch dass ihr"
    ),
}
MIN_SHARE = 0.06  # below this share of function words a text is not in the language
MIN_LATIN = 0.6  # the share of letters that must be Latin (ASCII or Latin-1 accents) for any of the four
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str) -> str:
    """ "en", "es", "fr", "de", or "other"."""
    # words, not rules of dashes: whitespace-separated pieces holding a letter (linear: a regex scanning each start
    # of a 150,000-dash line for a letter to come would be quadratic)
    sample = " ".join(t for t in text[:200000].split() if _WORD.search(t))[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters or sum(ch <= "\u024f" for ch in letters) / len(letters) < MIN_LATIN:
        return "other"
    tokens = [t.casefold() for t in _WORD.findall(sample)]
    shares = {code: sum(t in FUNCTION_WORDS[code] for t in tokens) / len(tokens) for code in LANGUAGES}
    best = max(LANGUAGES, key=lambda code: shares[code])
    return best if shares[best] > MIN_SHARE else "other"
