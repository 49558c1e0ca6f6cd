"""Film grammar rules: which shot, angle, move and duration each shot gets.

A shot that coverage made (see coverage.py) keeps its kind's size:
establishing → EWS (LS indoors); master → two-shot, MLS among three or more (MS/LS with fewer);
over the shoulder → OTS; single → MCU, CU when emotional; insert → insert; reaction → CU.

Any other beat follows common practice:
- a new location with no one talking opens wide;
- emotion and dialogue move the camera closer;
- two characters → two-shot, or over-the-shoulder when one of them talks;
- an object beat → insert; three or more people → medium long shot;
- threat → low angle, vulnerability → high angle, chaos → dutch;
- motion → pan/truck, arriving → dolly in, leaving → dolly out, climbing → tilt;
- the same size is not used three times running (coverage shots excepted: reverses repeat on purpose).
Durations come from the words: dialogue at 2.5 words a second, action at 3.5.
"""

from __future__ import annotations

from .beats import Beat

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


def shot_for(beat: Beat) -> tuple[str, str, str]:
    """(shot size, angle, move) for one beat."""
    cues, people = beat.cues, len(beat.characters)
    if beat.kind:
        return _coverage_shot(beat)
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
    return shot, _angle(cues), _move(cues, shot)


def _move(cues: set[str], shot: str) -> str:
    if "approach" in cues:
        return "dolly in"
    if "leave" in cues:
        return "dolly out"
    if "look_up" in cues:
        return "tilt"
    if "motion" in cues:
        return "truck" if shot in ("LS", "MLS", "MS") else "pan"
    return "pan" if "new_location" in cues and shot == "EWS" else "static"


def _angle(cues: set[str]) -> str:
    if "threat" in cues:
        return "low"
    return "high" if "vulnerable" in cues else "dutch" if "chaos" in cues else "eye level"


def _coverage_shot(beat: Beat) -> tuple[str, str, str]:
    """The size a coverage shot's kind asks for; reverses, inserts and reactions hold still."""
    people = len(beat.characters)
    if beat.kind == "establishing":
        return ("LS" if beat.interior == "INT" else "EWS"), _angle(beat.cues), "pan"
    if beat.kind == "master":
        shot = "MLS" if people >= 3 else "two-shot" if people == 2 else "MS" if people == 1 else "LS"
        return shot, _angle(beat.cues), _move(beat.cues, shot)
    shot = {"ots": "OTS", "insert": "insert", "reaction": "CU"}.get(beat.kind)
    if beat.kind == "single":
        shot = "CU" if "emotion" in beat.cues else "MCU"
    return shot or "MS", _angle(beat.cues), "static"


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
        if not beat.kind and len(out) >= 2 and out[-1][1] == shot == out[-2][1] and shot in _CLOSER:
            shot = _CLOSER[shot]
        out.append((beat, shot, angle, move, duration_for(beat, shot)))
    return out
