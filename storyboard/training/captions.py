"""Captions for DreamBooth-style training: "a photo of <trigger> <class>".

The class word comes from the character's description (the first known noun:
man, woman, girl, dog, robot …, else "person"); the trigger is a short rare
token, unique within the project, derived from the name so it is stable.
"""

from __future__ import annotations

import re
import zlib

CLASS_WORDS = (
    "man", "woman", "boy", "girl", "child", "baby", "person", "dog", "cat", "horse", "bird", "robot", "android",
    "creature", "monster", "dragon", "alien", "fox", "wolf", "bear", "rabbit", "owl", "puppet", "doll",
)
_ALIASES = {"keeper": "person", "fisherman": "man", "brother": "man", "father": "man", "son": "boy",
            "sister": "woman", "mother": "woman", "daughter": "girl", "lady": "woman", "gentleman": "man",
            "kid": "child", "puppy": "dog", "kitten": "cat", "mech": "robot", "cyborg": "robot"}
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_VOWELS = "aeiou"


def class_word(description: str, default: str = "person") -> str:
    for word in re.findall(r"[a-z]+", (description or "").lower()):
        if word in CLASS_WORDS:
            return word
        if word.endswith("s") and word[:-1] in CLASS_WORDS:
            return word[:-1]
        if word in _ALIASES:
            return _ALIASES[word]
    return default


def trigger_for(name: str, taken: set[str] = frozenset()) -> str:
    """A rare, pronounceable-ish token like "zovrek", stable for a name and unique among `taken`."""
    salt = 0
    while True:
        n = zlib.crc32(f"{name.casefold()}:{salt}".encode())
        letters = []
        for i in range(6):
            pool = _CONSONANTS if i % 2 == 0 else _VOWELS
            letters.append(pool[n % len(pool)])
            n //= len(pool)
        token = "".join(letters[:-1]) + _CONSONANTS[n % len(_CONSONANTS)]
        if token not in taken:
            return token
        salt += 1


def caption(trigger: str, cls: str) -> str:
    return f"a photo of {trigger} {cls}"
