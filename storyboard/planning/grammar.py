"""Film grammar rules: which shot, angle, move and duration each beat gets.

The rules follow common coverage practice:
- a new location opens on a wide establishing shot (a shot of its own when
  the first beat there is intimate: dialogue, emotion or an object);
- emotion and dialogue move the camera closer;
- two characters → two-shot, or over-the-shoulder when they talk;
- an object beat → insert; three or more people → medium long shot;
- threat → low angle, vulnerability → high angle, chaos → dutch;
- motion → pan/truck, arriving → dolly in, leaving → dolly out, climbing → tilt;
- the same size is not used three times running.
"""

from __future__ import annotations

from .beats import Beat, establishing

INTIMATE = frozenset(("emotion", "object"))
WORDS_PER_SECOND_SPOKEN = 2.5
WORDS_PER_SECOND_ACTION = 3.5
BASE_SECONDS = {
    "EWS": 4.0,
    "LS": 3.5,
    "MLS": 3.0,
    "MS": 3.0,
    "two-shot": 3.0,
    "OTS": 3.0,
    "MCU": 2.5,
    "CU": 2.5,
    "ECU": 2.0,
    "POV": 2.5,
    "insert": 2.0,
}


def with_establishing(beats: list[Beat]) -> list[Beat]:
    """Add an establishing beat where a new place opens on an intimate moment."""
    out: list[Beat] = []
    for beat in beats:
        if "new_location" in beat.cues and beat.location and (beat.dialogue or beat.cues & INTIMATE):
            out.append(establishing(beat))
        out.append(beat)
    return out


def shot_for(beat: Beat) -> tuple[str, str, str]:
    """(shot size, angle, move) for one beat."""
    cues, people = beat.cues, len(beat.characters)
    if "new_location" in cues and not beat.dialogue:
        shot = "EWS" if beat.interior != "INT" else "LS"
    elif "object" in cues and not beat.dialogue:
        shot = "insert"
    elif beat.dialogue:
        speakers = {line.character for line in beat.dialogue}
        if people >= 3:
            shot = "MLS"
        elif people == 2:
            shot = "OTS" if len(speakers) == 1 else "two-shot"
        else:
            shot = "CU" if "emotion" in cues else "MCU"
    elif "emotion" in cues:
        shot = "CU" if people <= 1 else "two-shot"
    elif people >= 3:
        shot = "MLS"
    elif people == 2:
        shot = "two-shot"
    elif "motion" in cues:
        shot = "LS"
    else:
        shot = "MS"
    angle = (
        "low" if "threat" in cues else "high" if "vulnerable" in cues else "dutch" if "chaos" in cues else "eye level"
    )
    move = (
        "dolly in"
        if "approach" in cues
        else "dolly out"
        if "leave" in cues
        else "tilt"
        if "look_up" in cues
        else "truck"
        if "motion" in cues and shot in ("LS", "MLS", "MS")
        else "pan"
        if "motion" in cues
        else "static"
    )
    if "new_location" in cues and shot == "EWS" and move == "static":
        move = "pan"
    return shot, angle, move


def duration_for(beat: Beat, shot: str) -> float:
    spoken = sum(len(line.text.split()) for line in beat.dialogue) / WORDS_PER_SECOND_SPOKEN
    action = len(beat.action.split()) / WORDS_PER_SECOND_ACTION
    seconds = max(BASE_SECONDS.get(shot, 3.0), spoken + 0.5, action * 0.6)
    return round(min(seconds, 30.0) * 2) / 2  # half seconds


_CLOSER = {"MS": "MCU", "MCU": "CU", "CU": "MCU", "MLS": "MS", "LS": "MLS", "two-shot": "OTS", "OTS": "two-shot"}


def apply(beats: list[Beat]) -> list[tuple[Beat, str, str, str, float]]:
    """Grammar for a whole sequence: per beat (beat, shot, angle, move, duration)."""
    out = []
    for beat in beats:
        shot, angle, move = shot_for(beat)
        if len(out) >= 2 and out[-1][1] == shot == out[-2][1] and shot in _CLOSER:
            shot = _CLOSER[shot]
        out.append((beat, shot, angle, move, duration_for(beat, shot)))
    return out
