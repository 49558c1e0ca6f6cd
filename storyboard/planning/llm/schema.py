"""The one JSON schema a language model's plan must match, and its validation.

A window of text comes back as {"cast": [...], "scenes": [{heading, interior, location, time_of_day, shots: [...]}]}
with each shot's characters, action, dialogue (with speakers), shot size, angle, move and duration. Every string
and list has a bound, so constrained decoding always ends (even a random model must close its JSON), and the film
terms are the project's own (film.SHOT_SIZES, ANGLES, MOVES).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ... import film
from ...errors import InputError

DURATIONS = (1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30)


@dataclass(frozen=True)
class Limits:
    """Bounds of one window's plan (small ones make tests fast on a random model)."""

    cast: int = 12
    scenes: int = 8
    shots: int = 12
    lines: int = 8
    name: int = 40
    text: int = 400


def _string(limit: int, min_length: int = 0) -> dict:
    return {"type": "string", "minLength": min_length, "maxLength": limit}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def plan_schema(limits: Limits = Limits()) -> dict[str, Any]:
    """The JSON schema (draft 2020-12) of one window's plan."""
    line = _object({"character": _string(limits.name, 1), "text": _string(limits.text, 1)})
    shot = _object({
        "characters": {"type": "array", "maxItems": 6, "items": _string(limits.name, 1)},
        "action": _string(limits.text, 1),
        "dialogue": {"type": "array", "maxItems": limits.lines, "items": line},
        "shot": {"enum": list(film.SHOT_SIZES)},
        "angle": {"enum": list(film.ANGLES)},
        "move": {"enum": list(film.MOVES)},
        "duration_s": {"enum": list(DURATIONS)},
    })
    scene = _object({
        "heading": _string(limits.text),
        "interior": {"enum": ["INT", "EXT", "INT/EXT", ""]},
        "location": _string(limits.name * 2),
        "time_of_day": _string(limits.name),
        "shots": {"type": "array", "minItems": 1, "maxItems": limits.shots, "items": shot},
    })
    cast = _object({"name": _string(limits.name, 1), "description": _string(limits.text)})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "storyboard_plan",
        **_object({
            "cast": {"type": "array", "maxItems": limits.cast, "items": cast},
            "scenes": {"type": "array", "minItems": 1, "maxItems": limits.scenes, "items": scene},
        }),
    }


class PlanInvalid(InputError):
    """The model's answer is not a plan of the schema (one line saying where)."""


def parse_plan(text: str, limits: Limits = Limits()) -> dict[str, Any]:
    """The model's answer as a plan dict, or PlanInvalid naming the first problem ("scenes/0/shots/1/shot: …")."""
    import jsonschema

    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError, ValueError) as err:
        raise PlanInvalid(f"the model's answer is not JSON ({err})") from None
    validator = jsonschema.Draft202012Validator(plan_schema(limits))
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the plan"
        raise PlanInvalid(f"the model's plan does not match the schema at {where}: {error.message[:200]}")
    return data
