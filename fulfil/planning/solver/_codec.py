"""Plain-JSON encoding of the solver's frozen dataclasses.

A planning run is stored as the JSON of its `TermInstance` and its `TermPlan`, so that a
manager can reopen the exact plan later and anyone can re-run the exact input. One generic
codec (driven by the type hints) keeps every schema class in step without hand-written
`to_dict` bodies that drift from the fields.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A dataclass (or container of them) as JSON-ready lists, dicts and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def decode(kind: Any, data: Any) -> Any:
    """Rebuild a value of type `kind` from what `encode` produced."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return decode(options[0], data)
    if origin is tuple:
        (item_kind, *_rest) = typing.get_args(kind)
        return tuple(decode(item_kind, item) for item in data)
    if origin is list:
        (item_kind,) = typing.get_args(kind)
        return [decode(item_kind, item) for item in data]
    if origin is dict:
        key_kind, item_kind = typing.get_args(kind)
        return {decode(key_kind, key): decode(item_kind, item) for key, item in data.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind) if f.init}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{kind.__name__}: unknown field(s) {sorted(unknown)}")
        return kind(**{name: decode(hints[name], item) for name, item in data.items()})
    if kind is float and isinstance(data, int):
        return float(data)
    if kind is int and isinstance(data, str):
        return int(data)
    return data


def from_dict(kind: type[T], data: dict[str, Any]) -> T:
    """Typed entry point for `decode`."""
    return typing.cast(T, decode(kind, data))
