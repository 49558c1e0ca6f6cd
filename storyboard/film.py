"""Film grammar: shot sizes, camera angles, moves, transitions, aspect ratios.

Each term has a canonical code (what project.json stores), a label for people
and the words a diffusion prompt uses. `normalize_*` turn what a person types
("close up", "Wide Shot", "birds-eye") into the canonical code or raise a
`ValueError` naming the allowed values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ShotSize:
    code: str
    label: str
    prompt: str
    # How far down the body the frame reaches, in head heights from the top of
    # the head (a standing figure is ~7.5 heads). Layout uses it to size figures.
    body_heads: float


SHOT_SIZES: dict[str, ShotSize] = {
    s.code: s
    for s in (
        ShotSize("ECU", "extreme close-up", "extreme close-up", 0.8),
        ShotSize("CU", "close-up", "close-up shot", 1.6),
        ShotSize("MCU", "medium close-up", "medium close-up shot", 2.4),
        ShotSize("MS", "medium shot", "medium shot, waist up", 3.6),
        ShotSize("MLS", "medium long shot", "medium long shot, knees up", 5.6),
        ShotSize("LS", "long shot", "full body long shot", 9.0),
        ShotSize("EWS", "extreme wide shot", "extreme wide establishing shot", 24.0),
        ShotSize("OTS", "over-the-shoulder", "over-the-shoulder shot", 3.2),
        ShotSize("POV", "point of view", "point-of-view shot", 4.0),
        ShotSize("two-shot", "two-shot", "two-shot", 3.6),
        ShotSize("insert", "insert", "insert shot, close detail of an object", 0.0),
    )
}

ANGLES: dict[str, str] = {
    "eye level": "eye-level angle",
    "high": "high angle looking down",
    "low": "low angle looking up",
    "bird's eye": "bird's-eye view from directly above",
    "worm's eye": "worm's-eye view from the ground",
    "dutch": "dutch angle, tilted frame",
}

MOVES: dict[str, str] = {
    "static": "static camera",
    "pan": "camera pans",
    "tilt": "camera tilts",
    "dolly in": "camera dollies in",
    "dolly out": "camera dollies out",
    "truck": "camera trucks sideways",
    "crane": "crane shot",
    "zoom": "zoom in",
}

TRANSITIONS = (
    "CUT TO:",
    "DISSOLVE TO:",
    "FADE IN:",
    "FADE OUT.",
    "FADE TO BLACK.",
    "SMASH CUT TO:",
    "MATCH CUT TO:",
    "JUMP CUT TO:",
    "WIPE TO:",
)

# What a board's caption can show, each switchable on its own (PDF options, `export --hide`, the Export tab).
CAPTION_FIELDS = ("number", "shot", "duration", "location", "action", "dialogue", "notes", "transition")

ASPECT_RATIOS: dict[str, float] = {
    "16:9": 16 / 9,
    "2.39:1": 2.39,
    "1.85:1": 1.85,
    "4:3": 4 / 3,
    "1:1": 1.0,
    "9:16": 9 / 16,
}

TIMES_OF_DAY = (
    "DAY",
    "NIGHT",
    "DAWN",
    "DUSK",
    "MORNING",
    "AFTERNOON",
    "EVENING",
    "SUNRISE",
    "SUNSET",
    "CONTINUOUS",
    "LATER",
    "MOMENTS LATER",
)

_SHOT_ALIASES = {
    "extreme close up": "ECU",
    "extreme closeup": "ECU",
    "xcu": "ECU",
    "bcu": "ECU",
    "close up": "CU",
    "closeup": "CU",
    "medium close up": "MCU",
    "medium closeup": "MCU",
    "medium": "MS",
    "medium shot": "MS",
    "mid shot": "MS",
    "midshot": "MS",
    "waist shot": "MS",
    "medium long shot": "MLS",
    "medium wide shot": "MLS",
    "mws": "MLS",
    "cowboy": "MLS",
    "cowboy shot": "MLS",
    "long shot": "LS",
    "wide": "LS",
    "wide shot": "LS",
    "ws": "LS",
    "full shot": "LS",
    "fs": "LS",
    "extreme wide shot": "EWS",
    "extreme wide": "EWS",
    "extreme long shot": "EWS",
    "els": "EWS",
    "xls": "EWS",
    "establishing": "EWS",
    "establishing shot": "EWS",
    "over the shoulder": "OTS",
    "over the shoulder shot": "OTS",
    "point of view": "POV",
    "pov shot": "POV",
    "two shot": "two-shot",
    "2 shot": "two-shot",
    "2shot": "two-shot",
    "insert shot": "insert",
    "cutaway": "insert",
    "detail": "insert",
}
_ANGLE_ALIASES = {
    "eye": "eye level",
    "eye level": "eye level",
    "eyelevel": "eye level",
    "neutral": "eye level",
    "high angle": "high",
    "low angle": "low",
    "birds eye": "bird's eye",
    "bird's eye view": "bird's eye",
    "birds eye view": "bird's eye",
    "overhead": "bird's eye",
    "top down": "bird's eye",
    "worms eye": "worm's eye",
    "worm's eye view": "worm's eye",
    "worms eye view": "worm's eye",
    "dutch angle": "dutch",
    "canted": "dutch",
    "dutch tilt": "dutch",
}
_MOVE_ALIASES = {
    "none": "static",
    "locked off": "static",
    "lock off": "static",
    "still": "static",
    "push in": "dolly in",
    "dolly": "dolly in",
    "track in": "dolly in",
    "pull out": "dolly out",
    "pull back": "dolly out",
    "track out": "dolly out",
    "tracking": "truck",
    "track": "truck",
    "crab": "truck",
    "jib": "crane",
    "boom": "crane",
    "zoom in": "zoom",
    "zoom out": "zoom",
}


@functools.lru_cache(maxsize=4096)  # a board of 100 shots checks ~50,000 names a load: the same few
def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower().replace("’", "'")).strip()


def _normalize(value: str, canon: dict, aliases: dict, what: str) -> str:
    key = _key(value)
    for code in canon:
        if _key(code) == key:
            return code
    if key in aliases:
        return aliases[key]
    if key.replace("'", "") in aliases:
        return aliases[key.replace("'", "")]
    allowed = ", ".join(canon)
    raise ValueError(f"unknown {what} {value!r}; use one of: {allowed}")


def normalize_shot(value: str) -> str:
    return _normalize(value, SHOT_SIZES, _SHOT_ALIASES, "shot size")


def normalize_angle(value: str) -> str:
    return _normalize(value, ANGLES, _ANGLE_ALIASES, "camera angle")


def normalize_move(value: str) -> str:
    return _normalize(value, MOVES, _MOVE_ALIASES, "camera move")


def normalize_aspect(value: str) -> str:
    key = str(value).strip().replace(" ", "").replace("x", ":").replace("/", ":")
    for code in ASPECT_RATIOS:
        if key == code or key + ":1" == code:
            return code
    raise ValueError(f"unknown aspect ratio {value!r}; use one of: {', '.join(ASPECT_RATIOS)}")


def frame_size(aspect: str, long_side: int) -> tuple[int, int]:
    """Pixel size (width, height) of a frame whose longer side is `long_side`."""
    ratio = ASPECT_RATIOS[aspect]
    if ratio >= 1:
        return long_side, max(1, round(long_side / ratio))
    return max(1, round(long_side * ratio)), long_side


def place_line(interior: str, location: str, time_of_day: str) -> str:
    """ "INT. LAMP ROOM — NIGHT" from a scene's parts; any part may be empty ("" when all are)."""
    where = " ".join(part for part in (interior + "." if interior else "", location.upper()) if part)
    return " — ".join(part for part in (where, time_of_day) if part)
