"""Build typed dataclasses from JSON, naming the exact field that is wrong.

`from_json(Project, data)` walks the dataclass type hints and checks every
value. A problem raises `SchemaError` whose message is the dotted path of the
bad field and what was expected, e.g. ``scenes[3].duration_s: expected a
number, got 'abc'``. Fields with a default may be omitted; the others are
required. Unknown keys are kept out of the model (and reported in `unknown`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, Union


class SchemaError(ValueError):
    """A JSON value does not fit the model. `str(err)` names the field."""


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
        return dict(value)
    if tp is Any:
        return value
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
        if value != value or value in (float("inf"), float("-inf")):
            raise SchemaError(f"{path}: expected a finite number, got {value}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise SchemaError(f"{path}: expected text, got {_describe(value)}")
        return value
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
    check = getattr(obj, "validate", None)
    if check is not None:
        try:
            check()
        except ValueError as err:
            raise SchemaError(_join(path, str(err))) from None
    return obj


def to_json(obj: Any) -> Any:
    """The inverse of `from_json`: plain dicts/lists ready for json.dump."""
    return dataclasses.asdict(obj)
