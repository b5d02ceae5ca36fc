"""Whether a translation's texts fit the shape of the original section they translate.

Items keep their count and kind (a bold-term item stays one), tables their columns and rows, and a
translation gives exactly the fields the original section has.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..source.model import ConsentCategory, Section, TermItem
from ..source.yaml_reader import Loc

__all__ = ["SECTION_FIELDS", "is_text", "section_shape_problems", "service_shape_problems"]

SECTION_FIELDS = ("title", "text", "items", "table", "after")


def _present(section: Section, name: str) -> bool:
    value = getattr(section, name)
    return bool(value) if name == "items" else value is not None


def section_shape_problems(texts: Mapping[str, Any], section: Section) -> list[tuple[Loc, str]]:
    """What keeps ``texts`` from translating ``section``: (location under the entry, message) pairs."""
    out: list[tuple[Loc, str]] = []
    for name in SECTION_FIELDS:
        has, given = _present(section, name), name in texts
        if has and not given:
            out.append(((), f"`{name}` is missing: the original section has it, so its translation must too"))
        elif given and not has:
            out.append(((name,), f"the original section has no `{name}`, so there is nothing to translate"))
    if "items" in texts and section.items:
        out += _items_problems(texts["items"], section.items)
    if "table" in texts and section.table is not None:
        out += _table_problems(texts["table"], section)
    for name in ("title", "text", "after"):
        if name in texts and not is_text(texts[name]):
            out.append(((name,), "expected the translated text"))
    return out


def is_text(value: Any) -> bool:
    """Whether ``value`` is a text with something in it."""
    return isinstance(value, str) and bool(value.strip())


def _items_problems(items: Any, original: tuple[TermItem | str, ...]) -> list[tuple[Loc, str]]:
    if not isinstance(items, list) or len(items) != len(original):
        return [(("items",), f"expected a list of {len(original)} items, one per item of the original, in order")]
    out: list[tuple[Loc, str]] = []
    for i, (item, orig) in enumerate(zip(items, original, strict=True)):
        if isinstance(orig, TermItem):
            pair = isinstance(item, dict) and set(item) == {"term", "text"}
            if not (pair and is_text(item["term"]) and is_text(item["text"])):
                out.append((("items", i), "the original item has a bold term: translate it as {term: ..., text: ...}"))
        elif not is_text(item):
            out.append((("items", i), "expected the translated text of the original's plain item"))
    return out


def _table_problems(table: Any, section: Section) -> list[tuple[Loc, str]]:
    orig = section.table
    assert orig is not None
    if not isinstance(table, dict):
        return [(("table",), "expected a table: {caption, columns, rows} shaped like the original's")]
    out: list[tuple[Loc, str]] = []
    wanted = {"columns", "rows"} | ({"caption"} if orig.caption else set())
    for key in sorted(set(table) ^ wanted):
        out.append(
            (
                ("table", key),
                f"`{key}` is missing: the original table has it"
                if key in wanted
                else f"the original table has no `{key}`",
            )
        )
    columns, rows = table.get("columns"), table.get("rows")
    if "columns" in table and not (
        isinstance(columns, list) and len(columns) == len(orig.columns) and all(is_text(c) for c in columns)
    ):
        out.append((("table", "columns"), f"expected {len(orig.columns)} column headings, as in the original"))
    shaped = (
        isinstance(rows, list)
        and len(rows) == len(orig.rows)
        and all(isinstance(r, list) and len(r) == len(o) for r, o in zip(rows, orig.rows, strict=True))
    )
    if "rows" in table and not shaped:
        out.append(
            (
                ("table", "rows"),
                f"expected {len(orig.rows)} rows of {len(orig.columns)} cells, as in the "
                'original (a cell that stays empty is "")',
            )
        )
    return out


def service_shape_problems(services: Any, category: ConsentCategory) -> list[tuple[Loc, str]]:
    """What keeps a category entry's ``services`` (``{id: {name, description}}``) from translating the category's
    services: each one translated, with a name, and a description exactly when the original has one."""
    originals = {s.id: s for s in category.services}
    if services is None:
        return [((), "`services` is missing: give each service's translated name by its id")] if originals else []
    if not isinstance(services, dict):
        return [(("services",), "expected each service's translated name and description by its id")]
    out: list[tuple[Loc, str]] = []
    for sid, texts in services.items():
        original = originals.get(sid)
        if original is None:
            close = difflib.get_close_matches(str(sid), list(originals), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append((("services", sid), f"no service {sid!r} in this category of the original{hint}"))
            continue
        fields = {"name": True, "description": original.description is not None}
        if not isinstance(texts, dict) or set(texts) != {n for n, has in fields.items() if has}:
            wanted = " and ".join(n for n, has in fields.items() if has)
            out.append((("services", sid), f"expected the service's translated {wanted}"))
        elif not all(is_text(v) for v in texts.values()):
            out.append((("services", sid), "expected the translated text"))
    missing = [repr(sid) for sid in originals if sid not in services]
    if missing:
        out.append((("services",), f"missing the service {', '.join(missing)}"))
    return out
