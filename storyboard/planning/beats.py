"""A beat: one moment of the story, before film grammar turns it into a shot.

Both planners (prose and screenplay) produce beats; `coverage.py` turns each into the shots a board
artist would draw, `grammar.py` assigns shot size, angle, move and duration, and `assemble.py` numbers
them: the shots of one group (a beat, or a screenplay scene) share a number with letters, 4A, 4B…
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..project import DialogueLine

# What coverage made of a shot; grammar.py picks the shot size from it.
KINDS = ("", "establishing", "master", "single", "ots", "insert", "reaction")


@dataclass
class Beat:
    action: str
    characters: list[str] = field(default_factory=list)
    dialogue: list[DialogueLine] = field(default_factory=list)
    location: str = ""
    interior: str = ""
    time_of_day: str = ""
    heading: str = ""
    number: str = ""  # a number the source forces (screenplay #12A#)
    transition: str = ""
    notes: str = ""
    cues: set[str] = field(default_factory=set)
    kind: str = ""  # one of KINDS
    group: int = -1  # shots of one group share a number (4A, 4B…); -1: not grouped yet

    @property
    def establishing(self) -> bool:
        """A pure establishing shot the planner added."""
        return self.kind == "establishing"

    def shot(self, action: str = "", **changes) -> Beat:
        """A shot of this beat: same place, time, heading and group; no transition or notes of its own."""
        fields = {"characters": list(self.characters), "dialogue": [], "transition": "", "notes": "",
                  "cues": set(self.cues), **changes}
        return replace(self, action=action, **fields)

    def merge(self, other: Beat) -> None:
        """Fold the next beat into this one (same place, told as one shot)."""
        self.action = " ".join(t for t in (self.action, other.action) if t)
        for name in other.characters:
            if name not in self.characters:
                self.characters.append(name)
        self.dialogue.extend(other.dialogue)
        self.cues |= other.cues
        self.transition = other.transition or self.transition
        self.notes = " ".join(t for t in (self.notes, other.notes) if t)
        self.time_of_day = self.time_of_day or other.time_of_day


def establishing(beat: Beat, label: str = "Establishing") -> Beat:
    """A wide shot of the beat's place, with the beat's characters in it; the beat loses its opening cue."""
    when = f", {beat.time_of_day.lower()}" if beat.time_of_day else ""
    opener = beat.shot(f"{label}: {beat.location or 'the scene'}{when}.", cues={"new_location"}, kind="establishing")
    beat.cues = beat.cues - {"new_location"}
    return opener


_OFF_SCREEN = frozenset(("V.O.", "VO", "O.S.", "OS", "O.C.", "OC", "OFF", "OFF SCREEN", "PHONE", "ON PHONE",
                         "RADIO", "OVER RADIO", "OVER PHONE", "ON SPEAKER", "SPEAKERPHONE", "ON SPEAKERPHONE",
                         "FILTERED", "INTERCOM", "ЗК", "ЗА КАДРОМ", "OFF CAMERA"))
# A voice that comes through something: "(over the phone)", "(on speakerphone)", "(through the radio)".
_THROUGH = re.compile(
    r"\b(?:(?:over|through|via|from)\s+(?:the\s+|a\s+)?(?:tele)?(?:phone|radio|intercom|walkie[- ]talkie|line"
    r"|speaker|loudspeaker|tannoy)|speaker\s*phone|on\s+speaker|filtered)\b",
    re.IGNORECASE,
)


def off_screen(line: DialogueLine) -> bool:
    """True when the line is heard, not seen: voice-over, off screen, a voice on the phone or radio."""
    parts = [p.strip().upper() for p in line.extension.replace(")", "(").split("(") if p.strip()]
    if any(part in _OFF_SCREEN or part.replace(".", "") in _OFF_SCREEN for part in parts):
        return True
    return bool(_THROUGH.search(f"{line.extension} {line.parenthetical}"))


def merge_to(beats: list[Beat], limit: int) -> list[Beat]:
    """Merge neighbouring beats in the same place until at most `limit` remain.

    The shortest mergeable pair goes first, so long beats stay shots of their own.
    """
    beats = list(beats)
    while len(beats) > limit:
        best, best_len = None, None
        for i in range(len(beats) - 1):
            a, b = beats[i], beats[i + 1]
            if b.establishing or a.location.casefold() != b.location.casefold():
                continue
            size = len(a.action) + len(b.action) + 40 * (len(a.dialogue) + len(b.dialogue))
            if best_len is None or size < best_len:
                best, best_len = i, size
        if best is None:  # every neighbour changes place: merge the shortest pair anyway
            best = min(range(len(beats) - 1), key=lambda i: len(beats[i].action) + len(beats[i + 1].action))
        beats[best].merge(beats.pop(best + 1))
    return beats
