"""Safe YAML reading that remembers the line of every value.

Plain scalars follow the YAML 1.2 core schema, not YAML 1.1: ``yes``, ``no``, ``on``, ``off``
and ``NO`` are strings, booleans are only ``true``/``false``, and ``1:59`` is a string (no
base-60 numbers, whose construction is quadratic). ISO dates (``2025-03-01``) are still dates.
Only the core types are accepted (maps, lists, strings, numbers, booleans, null and dates);
any other tag, such as ``!!python/object``, is a problem, never an object. Files over
:data:`MAX_FILE_BYTES` are refused before they are read, and aliases are expanded with a budget
so an alias bomb is reported instead of eating memory.
"""

from __future__ import annotations

import functools
import gc
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem
from .yaml_errors import syntax_problem

__all__ = ["MAX_FILE_BYTES", "Core12Loader", "Located", "compose", "gc_paused", "read_yaml"]

Loc = tuple[str | int, ...]
P = ParamSpec("P")
R = TypeVar("R")

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_FILE_BYTES = 2 * 1024 * 1024  # a long policy is ~100 KB; 2 MB leaves room and keeps a check under a second


class Core12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the implicit scalar types of the YAML 1.2 core schema."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML's class-level registry)


_RESOLVERS: list[tuple[str, str, str]] = [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("merge", r"^(?:<<)$", "<"),
    # Not core 1.2, but policies carry dates: only the ISO forms (the regex is linear).
    (
        "timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}"
        r":[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
]
for _name, _pattern, _first in _RESOLVERS:
    Core12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_name}", re.compile(_pattern), [*_first, ""] if _name == "null" else list(_first)
    )

if yaml.__with_libyaml__:  # libyaml composes ten times faster; the schema (resolver) is the same
    from yaml._yaml import CParser

    class _FastLoader(CParser, yaml.constructor.SafeConstructor, yaml.resolver.BaseResolver):
        yaml_implicit_resolvers = Core12Loader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

    _LOADERS: tuple[Any, ...] = (_FastLoader, Core12Loader)
else:  # pragma: no cover - PyYAML without libyaml
    _LOADERS = (Core12Loader,)


def compose(text: str) -> Node | None:
    """The node tree of ``text`` under the core schema.

    libyaml is tried first; on an error the pure-Python parser runs again so the messages (and
    the hints matched on them) are always PyYAML's.
    """
    try:
        return yaml.compose(text, Loader=_LOADERS[0])
    except yaml.YAMLError:
        if len(_LOADERS) == 1:
            raise
    return yaml.compose(text, Loader=_LOADERS[-1])


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
MAX_NUMBER_DIGITS = 100


def _core_scalar(tag: str, text: str, constructor: yaml.SafeLoader, node: ScalarNode) -> Any:
    """The value of a scalar under the core schema; ValueError when ``text`` is not of type ``tag``."""
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        return text
    if kind == "null":
        if text in ("", "~", "null", "Null", "NULL"):
            return None
    elif kind == "bool":
        if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text.lower() == "true"
    elif len(text) > MAX_NUMBER_DIGITS:
        raise ValueError("number too long")
    elif kind == "int" and _INT.fullmatch(text):
        return int(text[2:], 8) if text.startswith("0o") else int(text[2:], 16) if text.startswith("0x") else int(text)
    elif kind == "float":
        if text.lower() in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text.lower()]
        if _FLOAT.fullmatch(text):
            return float(text)
    elif kind == "timestamp":
        return constructor.construct_yaml_timestamp(node)
    raise ValueError(f"not a {kind}")


@dataclass
class Located:
    """Plain data read from YAML plus the line (1-based) of every path in it."""

    file: str
    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int:
        """The line of ``loc`` or of its nearest located parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.file, self.line_of(loc), dotted(loc), message)


def dotted(loc: Loc) -> str:
    """``('sections', 1, 'id')`` → ``sections[1].id``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Budget(Exception):
    pass


class _Builder:
    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = Core12Loader("")

    def build(self, node: Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise _Budget
        self.doc.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.doc.problems.append(self.doc.problem(loc, f"unsupported YAML tag {node.tag!r}"))
                return None
            return [self.build(child, (*loc, i), depth + 1) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag not in _CORE_TAGS:
            self.doc.problems.append(self.doc.problem(loc, f"unsupported YAML tag {node.tag!r}"))
            return None
        try:
            return _core_scalar(node.tag, str(node.value), self.constructor, node)
        except ValueError as exc:
            if node.tag.endswith(":timestamp"):
                self.doc.problems.append(self.doc.problem(loc, f"impossible date {node.value!r} ({exc})"))
            else:
                self.doc.problems.append(self.doc.problem(loc, f"invalid value {node.value!r}"))
            return node.value

    def _mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self.doc.problems.append(self.doc.problem(loc, f"unsupported YAML tag {node.tag!r}"))
            return {}
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.doc.problems.append(
                    Problem(
                        self.doc.file, key_node.start_mark.line + 1, dotted(loc), "merge keys (<<) are not supported"
                    )
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.doc.problems.append(
                    Problem(self.doc.file, key_node.start_mark.line + 1, dotted(loc), "keys must be plain text")
                )
                continue
            key = str(key_node.value)
            if key in out:
                first = self.doc.lines.get((*loc, key), 0)
                self.doc.problems.append(
                    Problem(
                        self.doc.file,
                        key_node.start_mark.line + 1,
                        dotted((*loc, key)),
                        f"duplicate key {key!r} (first at line {first})",
                    )
                )
                continue
            self.doc.lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out


def gc_paused(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with the cyclic garbage collector paused.

    Building tens of thousands of nodes otherwise triggers full collections over and over,
    which makes reading a 1 MB policy about three times slower (and writing or reading a cached
    diff twice as slow). Nothing is lost: collection resumes afterwards.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


@gc_paused
def read_yaml(path: Path, display: str | None = None) -> Located:
    """Read one YAML document; syntax problems are collected, never raised."""
    doc = Located(display or str(path))
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        doc.problems.append(
            Problem(
                doc.file,
                1,
                "",
                f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB;"
                " a policy is normally well under 1 MB: split or shorten it",
            )
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        doc.problems.append(Problem(doc.file, line, "", f"not valid UTF-8 (byte {raw[exc.start]:#04x})"))
        return doc
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(syntax_problem(doc.file, text, exc))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(doc.file, 1, "", f"the file is not valid YAML (YAML parser: {exc})"))
        return doc
    except RecursionError:
        doc.problems.append(Problem(doc.file, 1, "", f"nested too deeply (more than {MAX_DEPTH} levels)"))
        return doc
    if node is None:
        doc.problems.append(Problem(doc.file, 1, "", "the file is empty"))
        return doc
    try:
        doc.data = _Builder(doc).build(node, (), 0)
    except _Budget:
        doc.data = None
        doc.problems.append(
            Problem(
                doc.file,
                1,
                "",
                f"document too large or too deep (over {MAX_NODES} values or {MAX_DEPTH} levels; aliases are expanded)",
            )
        )
    return doc
