"""Value sizes, checked before anything else reads a value: an over-long value costs no more than its size check.

Every text field of the model has a longest value (its ``max_length``: 300 characters for a line such as a
title, 20,000 for a body text, 2,000 for a table cell). :func:`oversize_problems` walks the data read from
YAML next to its shape (a model, or a translation file's shape made of the model's fields) and reports every
string longer than its field takes, at its line; then it takes the string out of the data, so the checks that
follow (Markdown parsing, the HTML and heading checks, the model, the translations, the lint, the diff and the
site) never read it, and the other problems of the file are still all reported at once. A string where the
shape has no field (an unknown key, a value of a choice) is held to the longest limit, :data:`TEXT_LIMIT`.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..errors import Problem
from .model import TEXT_LIMIT
from .yaml_reader import Loc, Located

__all__ = ["TEXT_LIMIT", "ById", "field_limit", "oversize_problems"]


@dataclass(frozen=True)
class ById:
    """A mapping whose keys are free (section ids, cookie names) and whose values all have one shape."""

    shape: Any


# A shape: a model class, a model's FieldInfo, a type annotation, a dict of fixed keys to shapes, a ById,
# or None (nothing known: every string is held to TEXT_LIMIT).
Shape = Any


def oversize_problems(doc: Located, shape: Shape, *, stand_in: str | None = None) -> list[Problem]:
    """Every string of ``doc.data`` longer than its field in ``shape`` takes, each replaced by ``stand_in``.

    ``None`` (the default) leaves the field empty, as if it were not written; a translation file uses a short
    text instead, so its shape checks see a text where the translator wrote one.
    """
    out: list[Problem] = []

    def walk(value: Any, shape: Shape, loc: Loc) -> Any:
        base, limit = _resolve(shape, value)
        if isinstance(value, dict):
            for key, child in value.items():
                value[key] = walk(child, _member(base, key), (*loc, key))
        elif isinstance(value, list):
            item = _item(base)
            for i, child in enumerate(value):
                value[i] = walk(child, item, (*loc, i))
        elif isinstance(value, str) and len(value) > limit and len(value.strip()) > limit:
            out.append(doc.problem(loc, f"too long: {len(value.strip()):,} characters, at most {limit:,} here"))
            return stand_in
        return value

    doc.data = walk(doc.data, shape, ())
    return out


def field_limit(shape: Shape, loc: Loc) -> int:
    """The longest text the field at ``loc`` under ``shape`` takes (``loc`` must lead to a text field)."""
    for part in loc:
        base, _ = _resolve(shape, {} if isinstance(part, str) else [])
        shape = _member(base, part) if isinstance(part, str) else _item(base)
    return _resolve(shape, "")[1]


def _resolve(shape: Shape, value: Any) -> tuple[Shape, int]:
    """The shape ``value`` takes under ``shape`` (the branch of a union that fits it), and its longest text."""
    limit = TEXT_LIMIT
    while True:
        if isinstance(shape, FieldInfo):
            limit = _max_length(shape.metadata, limit)
            shape = shape.annotation
        elif _origin(shape) is Annotated:
            shape, *meta = get_args(shape)
            limit = _max_length(meta, limit)
        elif _origin(shape) in (Union, types.UnionType):
            shape = _branch(get_args(shape), value)
        else:
            return shape, limit


def _max_length(metadata: Any, default: int) -> int:
    lengths = [m.max_length for m in metadata if isinstance(getattr(m, "max_length", None), int)]
    return min(lengths) if lengths else default


def _branch(members: tuple[Any, ...], value: Any) -> Shape:
    """The member of a union that a value of this kind (mapping, list or scalar) is validated against."""

    def kind(member: Any) -> type:
        base = get_args(member)[0] if _origin(member) is Annotated else member
        if isinstance(base, type) and issubclass(base, BaseModel):
            return dict
        return list if _origin(base) in (tuple, list) else str

    wanted = dict if isinstance(value, dict) else list if isinstance(value, list) else str
    return next((m for m in members if m is not type(None) and kind(m) is wanted), None)


def _member(shape: Shape, key: Any) -> Shape:
    """The shape of ``value[key]`` in a mapping of shape ``shape``."""
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        return shape.model_fields.get(key) if isinstance(key, str) else None
    if isinstance(shape, ById):
        return shape.shape
    return shape.get(key) if isinstance(shape, dict) else None


def _item(shape: Shape) -> Shape:
    """The shape of every entry of a list of shape ``shape``."""
    return get_args(shape)[0] if _origin(shape) in (tuple, list) and get_args(shape) else None


def _origin(shape: Shape) -> Any:
    """``typing.get_origin``, typed loosely: a shape's origin is compared with special forms."""
    return get_origin(shape)
