"""Screenplay (Fountain or plain sluglines) → beats: each scene broken into its moments, in script order.

A moment is an action paragraph or a run of dialogue (an exchange when two or more people speak);
`coverage.cover` turns each moment into shots. Every moment keeps its scene's heading, place, time and
group, so a scene stays one numbered unit whose shots are 4A, 4B… On screen in a moment: its speakers
(not those heard off screen) and the people its action names, not the whole scene.
"""

from __future__ import annotations

import re

from ..project import Character, DialogueLine
from . import lexicon
from .beats import Beat, off_screen
from .fountain import ParsedScene, Screenplay
from .fountain_headings import RELATIVE_TIMES
from .screenplay_cast import ScriptCast


def screenplay_beats(script: Screenplay) -> tuple[list[Beat], list[Character]]:
    cast = ScriptCast(script)
    beats: list[Beat] = []
    previous_place, previous_time = None, ""
    for group, scene in enumerate(script.scenes):
        time = scene.time_of_day
        if time in RELATIVE_TIMES and previous_time:  # CONTINUOUS, LATER…: the time of the scene before
            time = previous_time
        previous_time = time or previous_time
        moments = _moments(scene, cast)
        if not moments and scene.heading:
            moments = [Beat(action="")]  # a heading alone still boards its place
        place = scene.location.casefold()
        for k, beat in enumerate(moments):
            beat.location, beat.interior, beat.time_of_day = location_case(scene.location), scene.interior, time
            beat.heading, beat.number, beat.group = scene.heading, scene.number, group
            beat.cues = lexicon.cues(" ".join([beat.action, *(line.text for line in beat.dialogue)]))
            if k == 0 and scene.heading and place != previous_place:
                beat.cues.add("new_location")
        if moments:
            moments[0].notes = " ".join(scene.notes)
            moments[-1].transition = scene.transition
        previous_place = place
        beats += moments
    return beats, cast.characters()


def _moments(scene: ParsedScene, cast: ScriptCast) -> list[Beat]:
    """The scene's action paragraphs and dialogue runs in order, each with the people on screen in it."""
    moments: list[Beat] = []
    lines = iter(scene.dialogue)
    run: list[DialogueLine] = []
    present: list[str] = []  # who the camera last saw: listeners of a voice heard off screen

    def end_run() -> None:
        nonlocal run, present
        if run:
            who = _unique(cast.canonical(line.character) for line in run if not off_screen(line))
            moments.append(Beat(action="", characters=who or list(present), dialogue=run))
            present = who or present
            run = []

    for kind, text in scene.elements:
        if kind == "dialogue":
            line = next(lines)
            run.append(DialogueLine(cast.canonical(line.character), line.text, line.parenthetical, line.extension))
        elif kind in ("action", "lyrics"):
            end_run()
            who = cast.mentioned(text)
            if _unnamed_subject(text, cast):
                who = _unique(who + present)  # "She looks up." — whoever we were watching
            moments.append(Beat(action=text, characters=who))
            present = who or present
    end_run()
    return moments


_SUBJECTS = frozenset(("he", "she", "they"))


def _unnamed_subject(text: str, cast: ScriptCast) -> bool:
    """A sentence that opens on "He", "She" or "They" and names no one: it speaks of whoever is there."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = lexicon.words(sentence)
        if words and words[0].lower() in _SUBJECTS and not cast.mentioned(sentence):
            return True
    return False


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


_SMALL_WORDS = frozenset("a an and at by for in of on or the to with".split())  # noqa: SIM905


def location_case(location: str) -> str:
    """ "BRICK'S PATIO - LAMP ROOM OF THE FORT" → "Brick's Patio - Lamp Room of the Fort" (captions read better).

    Only upper-case words change, so "McGILL'S BARN" keeps "McGILL'S"; a location in mixed case stays as written.
    """
    words = [w for w in location.split() if any(c.isalpha() for c in w)]
    if sum(w.isupper() for w in words) * 2 <= len(words):  # "Joe's BBQ" is written as meant
        return location
    parts = re.split(r"(\s+|-|/)", location)
    for k, word in enumerate(parts):
        if len(word) > 1 and word.isupper():
            lower = word.lower()
            parts[k] = lower if k and lower in _SMALL_WORDS else lower[0].upper() + lower[1:]
    return "".join(parts)
