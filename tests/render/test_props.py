"""Prop drawings for insert shots: every prop draws, stays in its box, differs from the others; prop words resolve."""

from __future__ import annotations

import itertools
import time

import pytest
from PIL import Image, ImageChops, ImageDraw

from storyboard.render.props import PROP_WORDS, PROPS, draw_card, draw_prop, find_prop

PAPER = 248
REQUIRED = ("watch", "knife", "gun", "phone", "letter", "key", "cup", "glass", "book", "bag", "lantern", "car",
            "door handle", "footprints", "photo", "map")


def render(name: str, size: tuple[int, int] = (300, 200), box=None, **kw) -> tuple[Image.Image, bool]:
    image = Image.new("L", size, PAPER)
    drawn = draw_prop(ImageDraw.Draw(image), name, box or (0, 0, *size), **kw)
    return image, drawn


def marked(image: Image.Image) -> Image.Image:
    """255 where the paper was drawn on."""
    return image.point(lambda v: 0 if v == PAPER else 255)


def ink(image: Image.Image) -> Image.Image:
    """255 where there are outlines and dark details."""
    return image.point(lambda v: 255 if v < 100 else 0)


def count(mask: Image.Image) -> int:
    return mask.histogram()[255]


def share(mask: Image.Image) -> float:
    return count(mask) / (mask.width * mask.height)


def test_the_props_a_storyboard_needs_are_there():
    assert set(REQUIRED) <= set(PROPS)
    assert len(set(PROPS)) == len(PROPS) >= 25


@pytest.mark.parametrize("name", PROPS)
def test_every_prop_draws_a_fair_share_of_its_box_and_stays_inside(name):
    margin = 30
    box = (margin, margin, margin + 300, margin + 200)
    image, drawn = render(name, (360, 260), box)
    assert drawn
    mask = marked(image)
    assert mask.getbbox() is not None
    x0, y0, x1, y1 = mask.getbbox()
    assert box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3], (name, mask.getbbox())
    inside = mask.crop(box)
    assert share(inside) > 0.03, name
    assert share(ink(image).crop(box)) > 0.005, name  # real outlines, not just a grey blot
    # as large as fits: it touches (nearly) two opposite sides of the box
    assert (x1 - x0) > 0.85 * 300 or (y1 - y0) > 0.85 * 200, (name, mask.getbbox())


def test_drawings_are_centred_and_keep_their_proportions():
    wide, _ = render("car", (600, 200))
    tall, _ = render("car", (200, 600))
    (a, b, c, d), (e, f, g, h) = marked(wide).getbbox(), marked(tall).getbbox()
    assert abs((a + c) / 2 - 300) < 4 and abs((b + d) / 2 - 100) < 6
    assert abs((e + g) / 2 - 100) < 4 and abs((f + h) / 2 - 300) < 6
    assert (c - a) / (d - b) == pytest.approx((g - e) / (h - f), rel=0.12)  # the same car, only smaller
    assert (c - a) / (d - b) > 1.6  # a car is long


def test_every_pair_of_props_differs():
    size = (160, 160)
    images = {name: render(name, size, (4, 4, 156, 156))[0] for name in PROPS}
    inks = {name: ink(image).convert("1") for name, image in images.items()}
    for a, b in itertools.combinations(PROPS, 2):
        diff = ImageChops.difference(images[a], images[b])
        mean_diff = sum(i * n for i, n in enumerate(diff.histogram())) / (size[0] * size[1])
        both = count(ImageChops.logical_and(inks[a], inks[b]).convert("L"))
        either = count(ImageChops.logical_or(inks[a], inks[b]).convert("L"))
        assert mean_diff > 8, (a, b, mean_diff)
        assert both / either < 0.45, (a, b, both / either)


def test_a_knife_is_not_a_watch():
    knife, _ = render("knife", (200, 200))
    watch, _ = render("watch", (200, 200))
    k, w = marked(knife), marked(watch)
    kb, wb = k.getbbox(), w.getbbox()
    assert kb[2] - kb[0] > 2.5 * (kb[3] - kb[1])  # long and flat
    assert wb[3] - wb[1] > 1.4 * (wb[2] - wb[0])  # strap up and down
    both = count(ImageChops.logical_and(k.convert("1"), w.convert("1")).convert("L"))
    either = count(ImageChops.logical_or(k.convert("1"), w.convert("1")).convert("L"))
    assert both / either < 0.25


def test_drawing_is_deterministic():
    for name in PROPS:
        assert render(name)[0].tobytes() == render(name)[0].tobytes(), name


@pytest.mark.parametrize("name", PROPS)
def test_small_props_still_read(name):
    image, drawn = render(name, (60, 60), (10, 10, 50, 50))
    assert drawn
    mask = marked(image)
    x0, y0, x1, y1 = mask.getbbox()
    assert min(x0, y0) >= 10 and max(x1, y1) <= 50
    assert share(mask.crop((10, 10, 50, 50))) > 0.03
    assert count(ink(image)) >= 20


def test_a_synonym_draws_what_its_prop_draws():
    assert render("revolver")[0].tobytes() == render("gun")[0].tobytes()
    assert render("Door  Handle")[0].tobytes() == render("door handle")[0].tobytes()
    assert render("knives")[0].tobytes() == render("knife")[0].tobytes()


def test_colours_and_width_are_the_callers():
    image, _ = render("letter", ink=0, fill=200, width=2)
    assert image.getextrema()[0] == 0
    assert image.histogram()[200] > 0
    thin, _ = render("map", (300, 200), width=1)
    thick, _ = render("map", (300, 200), width=6)
    assert count(ink(thick)) > 1.5 * count(ink(thin))


@pytest.mark.parametrize("name", ["", "spaceship", "keyboard", "door", "watchtower"])
def test_unknown_names_draw_nothing(name):
    image, drawn = render(name)
    assert drawn is False
    assert image.getextrema() == (PAPER, PAPER)


def test_a_degenerate_box_draws_nothing():
    image, drawn = render("watch", (100, 100), (10, 10, 12, 90))
    assert drawn is False and image.getextrema() == (PAPER, PAPER)
    image, drawn = render("watch", (100, 100), (90, 90, 10, 10))  # corners given the wrong way round
    assert drawn and marked(image).getbbox() is not None


def test_draw_card_draws_a_card_and_its_label():
    box = (20, 20, 380, 280)

    def card(label: str) -> Image.Image:
        image = Image.new("L", (400, 300), PAPER)
        draw_card(ImageDraw.Draw(image), label, box)
        return image

    blank, labelled = card(""), card("ledger")
    assert share(marked(blank).crop(box)) > 0.2
    x0, y0, x1, y1 = marked(labelled).getbbox()
    assert box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]
    label_ink = ink(labelled).crop((20, 245, 380, 280))
    assert count(label_ink) > 50  # the word is there, in ink, under the card
    lx0, _, lx1, _ = label_ink.getbbox()
    assert abs((lx0 + lx1) / 2 - 180) < 8  # centred under the card
    assert 0.1 * 360 < lx1 - lx0 < 0.9 * 360
    assert card("ledger").tobytes() == labelled.tobytes()
    assert card("ledger").tobytes() != card("diary of a stranger").tobytes()


def test_draw_card_fits_a_long_label():
    image = Image.new("L", (220, 160), PAPER)
    draw_card(ImageDraw.Draw(image), "the very long name of an unknown object " * 3, (10, 10, 210, 150))
    x0, y0, x1, y1 = marked(image).getbbox()
    assert min(x0, y0) >= 10 and x1 <= 210 and y1 <= 150


def test_prop_words_lead_to_props():
    assert set(PROP_WORDS.values()) <= set(PROPS)
    assert all(word == word.lower().strip() and len(word.split()) <= 2 for word in PROP_WORDS)
    for name in PROPS:
        assert PROP_WORDS.get(name, name) == name
    expected = {
        "pistol": "gun", "pistols": "gun", "revolver": "gun", "rifle": "gun", "mobile": "phone", "cellphone": "phone",
        "smartphone": "phone", "envelope": "letter", "note": "letter", "letters": "letter", "mug": "cup",
        "wristwatch": "watch", "knives": "knife", "blade": "knife", "dagger": "knife", "keys": "key", "purse": "bag",
        "backpack": "bag", "satchel": "bag", "lamp": "lantern", "torch": "lantern", "flashlight": "lantern",
        "photograph": "photo", "picture": "photo", "photos": "photo", "footprint": "footprints",
        "tracks": "footprints", "doorknob": "door handle", "handle": "door handle", "taxi": "car", "truck": "car",
        "van": "car", "glasses": "glass", "books": "book", "maps": "map", "watches": "watch",
    }
    for word, name in expected.items():
        assert PROP_WORDS[word] == name, word


@pytest.mark.parametrize(("text", "prop"), [
    ("She checks her wristwatch by the door.", "watch"),
    ("He pockets the keys and the letter", "key"),
    ("Nothing here", ""),
    ("", ""),
    ("two knives", "knife"),
    ("KNIFE!", "knife"),
    ("He grabs the door handle.", "door handle"),
    ("He grabs the door\nhandle.", "door handle"),
    ("A pair of door knobs", "door handle"),
    ("She raises a wine glass", "glass"),
    ("Wine glasses on the table", "glass"),
    ("A bottle of wine", "bottle"),
    ("She types on the keyboard", ""),
    ("Scarface smiles", ""),
    ("The carpet is red", ""),
    ("A cell phone buzzes", "phone"),
    ("Muddy tracks lead to the barn", "footprints"),
    ("An old photograph of the family", "photo"),
    ("The detective's car", "car"),
    ("She watches the taxi pull away", "car"),
    ("He can't handle it, he grabs the gun", "gun"),
    ("He can\u2019t handle it, he grabs the gun", "gun"),
])
def test_find_prop(text, prop):
    assert find_prop(text) == prop


def test_every_prop_word_is_found_alone_and_in_a_sentence():
    for word, name in PROP_WORDS.items():
        assert find_prop(word) == name, word
        assert find_prop(f"Close on the {word.upper()}, then away.") == name, word


def test_props_are_fast():
    for size in ((1200, 800), (40, 40)):
        image = Image.new("L", size, PAPER)
        draw = ImageDraw.Draw(image)
        for name in PROPS:
            best = min(_timed(draw, name, (0, 0, *size)) for _ in range(3))
            assert best < 0.02, (name, size, best)  # about 1 ms when the machine is quiet


def _timed(draw, name, box) -> float:
    start = time.perf_counter()
    draw_prop(draw, name, box)
    return time.perf_counter() - start
