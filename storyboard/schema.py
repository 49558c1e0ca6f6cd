"""Build typed dataclasses from JSON, naming the exact field that is wrong.

`from_json(Project, data)` walks the dataclass type hints and checks every
value. A problem raises `SchemaError` whose message is the dotted path of the
bad field and what was expected, e.g. ``scenes[3].duration_s: expected a
number, got 'abc'``. Fields with a default may be omitted; the others are
required. Unknown keys (a newer app's fields, a user's own notes) are kept
beside the model, not in it: `extra(obj)` holds them, `to_json` writes them
back, and they stay out of equality, `repr` and `dataclasses.asdict` (so render
fingerprints never depend on them). Free-form values (`dict`, `Any`, unknown
keys) must be plain JSON of bounded depth whose text is valid Unicode, so
whatever loads can be saved again.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from functools import cache
from typing import Any, Union

EXTRA_ATTR = "_json_extra"  # instance attribute (not a dataclass field) holding unknown keys
MAX_DEPTH = 64  # nesting allowed inside free-form values


class SchemaError(ValueError):
    """A JSON value does not fit the model. `str(err)` names the field."""


def extra(obj: Any) -> dict[str, Any]:
    """The unknown keys `from_json` kept for `obj` (a model dataclass); {} when there are none."""
    return getattr(obj, EXTRA_ATTR, None) or {}


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(cls: type, data: Any, path: str = "") -> Any:
    """Convert `data` (parsed JSON) into an instance of dataclass `cls`."""
    return _convert(cls, data, path)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _convert(inner[0], value, path)
        raise TypeError(f"unsupported union {tp}")  # programming error
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, path)
    if origin is list:
        if not isinstance(value, list):
            raise SchemaError(f"{path}: expected a list, got {_describe(value)}")
        (item,) = typing.get_args(tp)
        return [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            raise SchemaError(f"{path}: expected an object, got {_describe(value)}")
        return _plain(value, path)
    if tp is Any:
        return _plain(value, path)
    if tp is bool:
        if not isinstance(value, bool):
            raise SchemaError(f"{path}: expected true or false, got {_describe(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(f"{path}: expected a whole number, got {_describe(value)}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(f"{path}: expected a number, got {_describe(value)}")
        try:
            number = float(value)
        except OverflowError:
            raise SchemaError(f"{path}: expected a number a float can hold, got {_describe(value)}") from None
        if not math.isfinite(number):
            raise SchemaError(f"{path}: expected a finite number, got {value}")
        return number
    if tp is str:
        if not isinstance(value, str):
            raise SchemaError(f"{path}: expected text, got {_describe(value)}")
        return _text(value, path)
    raise TypeError(f"unsupported field type {tp!r} at {path}")  # programming error


def _dataclass(cls: type, value: Any, path: str) -> Any:
    if not isinstance(value, dict):
        raise SchemaError(f"{path or 'top level'}: expected an object, got {_describe(value)}")
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        if field.name not in value:
            required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
            if required:
                raise SchemaError(f"{_join(path, field.name)}: missing field")
            continue
        kwargs[field.name] = _convert(hints[field.name], value[field.name], _join(path, field.name))
    obj = cls(**kwargs)
    known = {field.name for field in dataclasses.fields(cls)}
    unknown = _plain({key: v for key, v in value.items() if key not in known}, path)
    if unknown:
        setattr(obj, EXTRA_ATTR, unknown)
    check = getattr(obj, "validate", None)
    if check is not None:
        try:
            check()
        except ValueError as err:
            raise SchemaError(_join(path, str(err))) from None
    return obj


def _text(value: str, path: str) -> str:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise SchemaError(f"{path}: text holds an invalid character (a lone surrogate)") from None
    return value


def _plain(value: Any, path: str, depth: int = 0) -> Any:
    """A copy of free-form JSON `value`, checked: JSON types only, bounded depth, valid text."""
    if depth > MAX_DEPTH:
        raise SchemaError(f"{path}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return _text(value, path)
    if isinstance(value, float) and not math.isfinite(value):
        raise SchemaError(f"{path}: expected a finite number, got {value}")  # NaN ≠ NaN: it never round-trips
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, list):
        return [_plain(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str):
                raise SchemaError(f"{path}: object keys must be text, got {_describe(key)}")
            out[_text(key, path)] = _plain(v, _join(path, key), depth + 1)
        return out
    raise SchemaError(f"{path}: expected a JSON value, got {_describe(value)}")


def to_json(obj: Any) -> Any:
    """The inverse of `from_json`: plain dicts/lists ready for json.dump, unknown keys included."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {field.name: to_json(getattr(obj, field.name)) for field in dataclasses.fields(obj)}
        for key, value in extra(obj).items():
            out.setdefault(key, to_json(value))
        return out
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {key: to_json(value) for key, value in obj.items()}
    return obj
