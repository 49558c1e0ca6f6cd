"""Screenplay (Fountain or plain sluglines) → beats, one per scene heading."""

from __future__ import annotations

import re

from ..project import Character
from . import lexicon
from .beats import Beat
from .fountain import Screenplay


def screenplay_beats(script: Screenplay) -> tuple[list[Beat], list[Character]]:
    cast: list[str] = []
    for scene in script.scenes:
        for name in scene.characters:
            if name not in cast:
                cast.append(name)
    beats: list[Beat] = []
    previous_place = None
    for scene in script.scenes:
        action = " ".join(scene.action)
        who = list(scene.characters)
        for name in cast:  # characters who act without speaking
            if name not in who and _mentions(action, name):
                who.append(name)
        place = scene.location.casefold()
        speech = " ".join(line.text for line in scene.dialogue)
        cues = lexicon.cues(f"{action} {speech}")
        if scene.heading and place != previous_place:
            cues.add("new_location")
        previous_place = place
        if not action and not scene.dialogue and not scene.heading:
            continue
        beats.append(
            Beat(
                action=action,
                characters=who,
                dialogue=list(scene.dialogue),
                location=_title(scene.location),
                interior=scene.interior,
                time_of_day=scene.time_of_day,
                heading=scene.heading,
                number=scene.number,
                transition=scene.transition,
                notes=" ".join(scene.notes),
                cues=cues,
            )
        )
    return beats, [Character(name=n) for n in cast]


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE) is not None


def _title(location: str) -> str:
    """ "LIGHTHOUSE - LAMP ROOM" → "Lighthouse - Lamp Room" (shouty headings read badly in captions)."""
    return location.title() if location.isupper() else location
