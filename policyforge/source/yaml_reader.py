"""Safe YAML reading that remembers the line of every value.

Only the YAML core types are accepted (maps, lists, strings, numbers, booleans, null and
dates); any other tag, such as ``!!python/object``, is a problem, never an object. Aliases
are expanded with a budget so an alias bomb is reported instead of eating memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem

__all__ = ["Located", "read_yaml"]

Loc = tuple[str | int, ...]

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
        self.constructor = yaml.SafeLoader("")

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
            return self.constructor.construct_object(node, deep=True)
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
                    Problem(self.doc.file, key_node.start_mark.line + 1, dotted(loc),
                            "merge keys (<<) are not supported")
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
                    Problem(self.doc.file, key_node.start_mark.line + 1, dotted((*loc, key)),
                            f"duplicate key {key!r} (first at line {first})")
                )
                continue
            self.doc.lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out


_SYNTAX_HINTS = (
    ("mapping values are not allowed",
     "text that contains ': ' must be in quotes (text: \"Questions: ask us\"), or the line is indented too far"),
    ("'\\t'", "indent with spaces, not tabs"),
    ("expected <block end>", "check the indentation of this line against the lines above it"),
    ("could not find expected ':'", "a key needs ': ' after it; text that spans lines must be in quotes or use >-"),
    ("found unexpected end of stream", "a quote was opened and never closed"),
)


def _syntax_hint(what: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in what:
            return f" (hint: {hint})"
    return ""


def read_yaml(path: Path, display: str | None = None) -> Located:
    """Read one YAML document; syntax problems are collected, never raised."""
    doc = Located(display or str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        doc.problems.append(Problem(doc.file, line, "", f"not valid UTF-8 (byte {raw[exc.start]:#04x})"))
        return doc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        where = f" at column {mark.column + 1}" if mark else ""
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        doc.problems.append(Problem(doc.file, line, "", f"YAML syntax error{where}: {what}{_syntax_hint(what)}"))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(doc.file, 1, "", f"YAML error: {exc}"))
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
            Problem(doc.file, 1, "", f"document too large or too deep (over {MAX_NODES} values or {MAX_DEPTH} levels;"
                    " aliases are expanded)")
        )
    return doc


