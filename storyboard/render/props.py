"""Clean line drawings of story props, for insert shots and objects in hand.

    find_prop("She checks her wristwatch by the door.")  # -> "watch"
    draw_prop(draw, "watch", (x0, y0, x1, y1))          # -> True, drawn centred in the box
    draw_card(draw, "ledger", box)                        # the fallback: a paper card with the word under it

Drawings are greyscale (for an "L" image): outlines in `ink`, light fills from
`fill`, details in mid greys; the paper shows through holes (a key's bow, a
mug's handle). They keep their own proportions and stay inside the box,
strokes included. The line width is the caller's (already supersampled), but
never heavier than about a thirteenth of the box, so a 40×40 prop stays legible;
below 90 px the smallest details (hour marks, rivets, text lines) are left out.
The drawings themselves live in `props_drawings`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PIL import ImageDraw

from ..export.fonts import draw_text_with_fallback, text_width
from .props_drawings import DRAWINGS, Pen

PROPS: tuple[str, ...] = tuple(DRAWINGS)

# canonical name: countable nouns (their plurals are added), then "|" and words taken as written
_WORDS = {
    "watch": "watch, wristwatch, pocket watch, stopwatch, timepiece",
    "knife": "knife, penknife, pocketknife, blade, dagger, switchblade, scalpel, razor, machete",
    "gun": "gun, handgun, pistol, revolver, rifle, shotgun, firearm, musket",
    "phone": "phone, telephone, cellphone, cell phone, mobile phone, smartphone, mobile, iphone",
    "letter": "letter, envelope, note, postcard, telegram, love letter",
    "key": "key, car key, house key, keyring, key ring",
    "cup": "cup, mug, teacup, coffee cup, tea cup, coffee mug",
    "glass": "glass, wineglass, wine glass, tumbler, goblet",
    "book": "book, notebook, diary, journal, novel, bible, ledger, album",
    "bag": "bag, handbag, purse, backpack, satchel, rucksack, shoulder bag, sack",
    "lantern": "lantern, lamp, oil lamp, torch, flashlight",
    "car": "car, taxi, cab, truck, van, jeep, sedan, automobile, limousine, pickup truck",
    "door handle": "door handle, doorknob, door knob, handle, doorhandle",
    "footprints": "footprint, boot print, bootprint, shoeprint, shoe print | footprints, tracks",
    "photo": "photo, photograph, picture, snapshot, polaroid, portrait",
    "map": "map, treasure map, road map",
    "bottle": "bottle, flask, wine bottle, vial | wine, whisky, whiskey, poison",
    "candle": "candle, candlestick",
    "ring": "ring, wedding ring, engagement ring",
    "sword": "sword, sabre, saber, katana, rapier, cutlass",
    "flower": "flower, bouquet, tulip, lily, daisy | roses",
    "umbrella": "umbrella, parasol",
    "suitcase": "suitcase, briefcase | luggage",
    "money": "banknote, coin, wallet, dollar | money, cash",
    "camera": "camera, camcorder",
    "clock": "clock, alarm clock, wall clock",
    "cigarette": "cigarette, cigar",
    "newspaper": "newspaper, headline",
}
_IRREGULAR = {"knife": "knives", "penknife": "penknives", "pocketknife": "pocketknives", "lily": "lilies",
              "diary": "diaries", "taxi": "taxis", "cutlass": "cutlasses"}


def _plural(word: str) -> str:
    *head, last = word.split()
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*head, last])


def _build_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for name, spec in _WORDS.items():
        countable, _, as_is = spec.partition("|")
        for word in filter(None, (w.strip() for w in countable.split(","))):
            words.setdefault(word, name)
            words.setdefault(_plural(word), name)
        for word in filter(None, (w.strip() for w in as_is.split(","))):
            words.setdefault(word, name)
    return words


PROP_WORDS: dict[str, str] = _build_words()

_PATTERN = re.compile(
    r"\b(" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(PROP_WORDS, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
# a prop word right after one of these is a verb ("she watches", "to handle", "he phones"), not a prop
_VERB_BEFORE = frozenset({"i", "you", "he", "she", "it", "we", "they", "who", "to", "will", "would", "can", "could",
                          "must", "should", "might", "may", "don't", "doesn't", "didn't", "can't", "won't", "couldn't",
                          "wouldn't", "cannot", "never"})
_LAST_WORD = re.compile(r"([A-Za-z'\u2019]+)\s+$")


def find_props(text: str) -> list[str]:
    """The canonical names of the props named in `text`, each once, in the order they first appear.

    Whole words only, any case; two-word phrases ("door handle", "wine glass")
    win over their single words. A word right after a subject pronoun or a
    modal/"to" is taken as a verb and skipped ("She watches the car" → car).
    """
    found: list[str] = []
    for match in _PATTERN.finditer(text or ""):
        before = _LAST_WORD.search(text[max(0, match.start() - 24):match.start()])
        if before and before.group(1).lower().replace("\u2019", "'") in _VERB_BEFORE:
            continue
        name = PROP_WORDS[" ".join(match.group(1).lower().split())]
        if name not in found:
            found.append(name)
    return found


def find_prop(text: str) -> str:
    """The canonical name of the first prop word in `text` (see find_props), or "" when there is none."""
    return next(iter(find_props(text)), "")


def canonical(name: str) -> str:
    """`name` as a canonical prop name (it may be any PROP_WORDS key), or "" when unknown."""
    key = " ".join(str(name).lower().split())
    return key if key in DRAWINGS else PROP_WORDS.get(key, "")


def _box(box: Sequence[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def draw_prop(draw: ImageDraw.ImageDraw, name: str, box: tuple[float, float, float, float],
              ink: int = 35, width: int = 4, fill: int = 236) -> bool:
    """Draw prop `name` centred in `box`, as large as fits in its own proportions.

    `name` is a canonical name or any PROP_WORDS key. Returns False, drawing
    nothing, when the name is unknown or the box is under 4 px either way.
    """
    prop = canonical(name)
    x0, y0, x1, y1 = _box(box)
    if not prop or x1 - x0 < 4 or y1 - y0 < 4:
        return False
    extent, tilt, drawing = DRAWINGS[prop]
    drawing(Pen(draw, (x0, y0, x1, y1), extent, ink, width, fill, tilt))
    return True


def draw_card(draw: ImageDraw.ImageDraw, label: str, box: tuple[float, float, float, float],
              ink: int = 35, width: int = 4) -> None:
    """The fallback for an unknown object: a skewed paper card, grey text lines, the label in capitals under it."""
    x0, y0, x1, y1 = _box(box)
    bw, bh = x1 - x0, y1 - y0
    if bw < 4 or bh < 4:
        return
    text = " ".join(str(label).split()).upper()
    size = max(6, int(min(bh * 0.1, bw * 0.12)))
    if text:
        tw = text_width(text, size, bold=True)
        if tw > bw * 0.96:
            size = max(6, int(size * bw * 0.96 / tw))
        while len(text) > 1 and text_width(text, size, bold=True) > bw * 0.96:
            text = text[:-2].rstrip() + "…"
    band = size * 1.6 if text else 0.0
    pen = Pen(draw, (x0, y0, x1, y1 - band), (0, 0, 150, 100), ink, width, 236, 0.0)
    card = [(0, 6), (150, 0), (144, 100), (4, 96)]
    pen.poly(card, fill=236)
    for k in range(1, 5):
        y = 100 * k / 5.5 + 3
        pen.line([(20, y), (130 - (22 if k == 4 else 0), y - 1.5)], 170, pen.thin if not pen.fine else pen.lw)
    if text:
        tw = text_width(text, size, bold=True)
        top = pen.pt(0, 100)[1]
        y = min(top + size * 0.3, y1 - size * 1.3)
        draw_text_with_fallback(draw, (max(x0, (x0 + x1 - tw) / 2), y), text, size, ink, True)


__all__ = ["PROPS", "PROP_WORDS", "canonical", "draw_card", "draw_prop", "find_prop"]
