"""A :class:`~policyforge.history.diff.PolicyDiff` as plain JSON data and back, for the diff cache.

Data only: reading an entry builds the diff's own dataclasses from strings, numbers and lists, so a
file that was planted, truncated or written by another version is at worst not a diff (:class:`ValueError`),
never code. The layout is compact (each dataclass a list of its fields in order, every block written once
and referred to by its index, since words and runs of words share their block by identity) so that reading
a cached diff stays as fast as the pickle it replaces.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from pydantic import BaseModel

from ..source import facts
from ..source.reader_text import Block, Frame, Word
from ..source.yaml_reader import gc_paused
from .body_diff import LinkChange, WordOp
from .diff import NoteCode, PolicyDiff, SectionChange, _Node
from .diff_items import CookieFacts, ItemChange, Subject
from .fact_diff import Direction, FactChange, FactSubject

__all__ = ["FORMAT", "VERSION", "decode", "encode"]

FORMAT = "policyforge-diff"
VERSION = 4
#: The fact models (those :mod:`~policyforge.source.facts` defines) a fact change may hold as its values, by
#: name; any other object is not kept (see encode).
_MODELS: dict[str, type[BaseModel]] = {
    name: model
    for name, model in vars(facts).items()
    if isinstance(model, type)
    and issubclass(model, BaseModel)
    and model.__module__ == facts.__name__
    and not name.startswith("_")
}


@gc_paused  # thousands of small lists, on a heap that holds every release: no full collections meanwhile
def encode(diff: PolicyDiff, key: str) -> bytes:
    """``diff`` as compact JSON, stamped with the format, its version and the cache ``key`` it answers."""
    blocks: dict[int, int] = {}  # id(block) -> index in ``table``
    table: list[list[Any]] = []

    def block(b: Block | None) -> int | None:
        if b is None:
            return None
        if id(b) not in blocks:
            blocks[id(b)] = len(table)
            table.append([b.leaf, [[f.tag, f.uid, f.start] for f in b.frames], b.uid, b.bare])
        return blocks[id(b)]

    def node(n: _Node | None) -> list[Any] | None:
        if n is None:
            return None
        return [n.id, n.number, n.title, n.parent, [[w.text, w.href, block(w.block)] for w in n.body], n.include]

    def items(changes: tuple[ItemChange, ...]) -> list[list[Any]]:
        return [
            [c.kind, c.subject, c.name, _value(c.old), _value(c.new), c.field, c.required, list(c.gcm), c.record]
            for c in changes
        ]

    sections = [
        [
            c.id,
            node(c.old),
            node(c.new),
            c.moved,
            [[op.kind, op.words, block(op.block)] for op in c.ops],
            c.note,
            [[link.text, link.old, link.new] for link in c.links],
        ]
        for c in diff.sections
    ]
    body = [
        diff.old_label,
        diff.new_label,
        sections,
        diff.unchanged,
        items(diff.consent),
        items(diff.document),
        diff.old_revision,
        diff.new_revision,
        diff.words_old,
        diff.words_new,
        diff.counts,
        diff.republished,
        [
            [c.kind, c.subject, c.name, c.label, c.field, _value(c.old), _value(c.new), c.direction, c.transfer]
            for c in diff.facts
        ],
    ]
    data = {"format": FORMAT, "version": VERSION, "key": key, "blocks": table, "diff": body}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")


@gc_paused
def decode(raw: bytes, key: str) -> PolicyDiff:
    """The diff stored by :func:`encode` for ``key``; :class:`ValueError` for anything else."""
    try:
        data = json.loads(raw)
        if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("version") == VERSION):
            raise ValueError("not a diff of this format version")
        if data.get("key") != key:
            raise ValueError("the diff of another pair of releases")
        return _diff(data["blocks"], data["diff"])
    except (TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise ValueError(f"malformed diff: {exc!r}") from exc


def _diff(table: list[Any], body: list[Any]) -> PolicyDiff:
    blocks = [
        Block(_text(leaf), tuple(Frame(_text(t), _text(u), _number(s)) for t, u, s in frames), _text(uid), bare is True)
        for leaf, frames, uid, bare in table
    ]

    def block(index: Any) -> Block | None:
        return None if index is None else blocks[_index(index)]

    def node(n: Any) -> _Node | None:
        if n is None:
            return None
        nid, number, title, parent, words, include = n
        body = tuple(Word(_text(text), _optional(href), blocks[_index(at)]) for text, href, at in words)
        return _Node(_text(nid), _text(number), _text(title), _optional(parent), body, _optional(include))

    def items(changes: Any) -> tuple[ItemChange, ...]:
        return tuple(
            ItemChange(
                _kind(kind, "added", "removed", "changed"),
                _kind(subject, *get_args(Subject)),
                _text(name),
                _unvalue(old),
                _unvalue(new),
                _text(field),
                required is True,
                tuple(map(_text, gcm)),
                record is True,
            )
            for kind, subject, name, old, new, field, required, gcm, record in changes
        )

    old_label, new_label, sections, unchanged, consent, document, old_rev, new_rev, w_old, w_new, counts, rep, facts = (
        body
    )
    changes = tuple(
        SectionChange(
            _text(sid),
            node(old),
            node(new),
            moved is True,
            tuple(
                WordOp(_kind(kind, "equal", "insert", "delete"), tuple(map(_text, words)), block(at))
                for kind, words, at in ops
            ),
            _kind(note, *get_args(NoteCode)),
            tuple(LinkChange(_text(text), _optional(was), _optional(now)) for text, was, now in links),
        )
        for sid, old, new, moved, ops, note, links in sections
    )
    return PolicyDiff(
        _text(old_label),
        _text(new_label),
        changes,
        tuple((_text(i), _text(n), _text(t)) for i, n, t in unchanged),
        items(consent),
        items(document),
        _text(old_rev),
        _text(new_rev),
        _number(w_old),
        _number(w_new),
        {_text(k): _number(v) for k, v in counts.items()},
        rep is True,
        tuple(
            FactChange(
                _kind(kind, "added", "removed", "changed"),
                _kind(subject, *get_args(FactSubject)),
                _text(name),
                _text(label),
                _text(field),
                _unvalue(old),
                _unvalue(new),
                _kind(direction, *get_args(Direction)),
                transfer is True,
            )
            for kind, subject, name, label, field, old, new, direction, transfer in facts
        ),
    )


def _value(value: Any) -> Any:
    """An item change's value as JSON: text, a number, a flag or None as it is; a cookie or a tuple tagged."""
    if isinstance(value, CookieFacts):
        return {"cookie": [value.category, value.provider, value.purpose, value.duration]}
    if isinstance(value, tuple):
        return {"tuple": [_value(v) for v in value]}
    if isinstance(value, BaseModel):
        name = type(value).__name__
        dumped = value.model_dump(mode="json")
        if _MODELS.get(name) is not type(value) or _MODELS[name].model_validate(dumped) != value:
            raise TypeError(f"cannot keep a {name} in the diff cache")
        return {"model": [name, dumped]}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the diff cache")


def _unvalue(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"cookie"}:
        return CookieFacts(*map(_text, value["cookie"]))
    if isinstance(value, dict) and set(value) == {"tuple"}:
        return tuple(_unvalue(v) for v in value["tuple"])
    if isinstance(value, dict) and set(value) == {"model"}:
        name, data = value["model"]
        return _MODELS[_text(name)].model_validate(data)  # data, validated: a planted entry is at worst no diff
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"unexpected value {type(value).__name__}")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> Any:
    if value is not None and not (isinstance(value, int) and not isinstance(value, bool)):
        raise TypeError(f"expected a number, not {type(value).__name__}")
    return value


def _index(value: Any) -> int:
    if not isinstance(value, int) or value < 0:
        raise TypeError("expected a block index")
    return value


def _kind(value: Any, *kinds: str) -> Any:
    if value not in kinds:
        raise TypeError(f"unknown kind {value!r}")
    return value
