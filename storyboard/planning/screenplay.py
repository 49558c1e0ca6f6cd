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
        # On screen: whoever the action mentions, and speakers not heard only off screen (V.O., O.S.).
        who = [n for n in scene.characters if _mentions(action, n) or not _only_off_screen(scene.dialogue, n)]
        for name in cast:
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


OFF_SCREEN = frozenset(("V.O.", "VO", "O.S.", "OS", "O.C.", "OC", "OFF", "OFF SCREEN", "PHONE", "ON PHONE", "RADIO"))


def _only_off_screen(lines, name: str) -> bool:
    """True when every line of `name` is heard off screen (voice-over, off-screen, phone)."""
    spoken = [line for line in lines if line.character == name]
    return bool(spoken) and all(_is_off_screen(line.extension) for line in spoken)


def _is_off_screen(extension: str) -> bool:
    parts = [p.strip().upper() for p in extension.replace(")", "(").split("(") if p.strip()]
    return any(part in OFF_SCREEN or part.replace(".", "") in OFF_SCREEN for part in parts)


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE) is not None


def _title(location: str) -> str:
    """ "LIGHTHOUSE - LAMP ROOM" → "Lighthouse - Lamp Room" (shouty headings read badly in captions)."""
    return location.title() if location.isupper() else location
