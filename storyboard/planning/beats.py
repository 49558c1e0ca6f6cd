"""A beat: one moment of the story, before film grammar turns it into a shot.

Both planners (prose and screenplay) produce beats; `grammar.py` assigns shot
size, angle, move and duration, and `assemble.py` numbers them into scenes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..project import DialogueLine


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
    establishing: bool = False  # a pure establishing shot the planner added

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
    opener = Beat(
        action=f"{label}: {beat.location or 'the scene'}{when}.",
        characters=list(beat.characters),
        location=beat.location,
        interior=beat.interior,
        time_of_day=beat.time_of_day,
        heading=beat.heading,
        cues={"new_location"},
        establishing=True,
    )
    beat.cues = beat.cues - {"new_location"}
    return opener


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
