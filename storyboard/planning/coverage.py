"""Coverage: how many shots a beat becomes (sparse / normal / dense).

`cover(beats, level)` turns story beats into the shots a board artist would draw.
"""

from __future__ import annotations

from ..errors import InputError
from .beats import Beat

COVERAGE_LEVELS = ("sparse", "normal", "dense")
DEFAULT_COVERAGE = "normal"


def check_level(level: str) -> str:
    level = (level or DEFAULT_COVERAGE).strip().lower()
    if level not in COVERAGE_LEVELS:
        raise InputError(f"coverage must be one of {', '.join(COVERAGE_LEVELS)} (got {level!r})")
    return level


def cover(beats: list[Beat], level: str = DEFAULT_COVERAGE) -> list[Beat]:
    """Beats → shots at the chosen coverage level."""
    check_level(level)
    return beats
