"""Tables of an imported document → facts: processing activities, recipients, cookies.

A table is read by its header row, matched loosely (case, punctuation and synonyms: ``Sub-processor``,
``Vendor``, ``Location``, ``Country``, ``Cookie``, ``Expiry``...):

- a *cookie table* (a cookie name and its duration, with provider, purpose or category) gives cookies;
- a *sub-processor table* (a name and a location, no duration) gives recipients;
- a *purpose table* (a purpose with a legal basis or a retention) gives processing activities.

The tables stay in the text as they were written; the facts are added next to it. Every cell that does
not map (a region instead of a country, an unknown legal basis, a row without a name) is a
:class:`~policyforge.importer.notes.Note` at its source line, and every guess (a data use from a purpose's
words, a cookie's category) is a to-do for the editor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from ..source.markdown_text import parse
from ..source.reader_text import plain_inline
from .fact_rows import country_code, data_use, legal_basis, matches, retention, safeguard
from .notes import Converted, Note

__all__ = ["HEADERS", "ImportedFacts", "Table", "consent_block", "fact_tables", "tables"]

#: Each column a fact takes, with the header words that name it (compared lower-case, punctuation as spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "cookie": ("cookie", "cookie name", "cookies"),
    "duration": ("duration", "expiry", "expiration", "expires", "lifetime", "max age", "lifespan"),
    "provider": ("provider", "set by", "domain", "party", "third party", "source"),
    "category": ("category", "type", "cookie type", "cookie category"),
    "recipient": (
        "sub processor",
        "subprocessor",
        "sub processors",
        "subprocessors",
        "processor",
        "vendor",
        "recipient",
        "entity",
        "service provider",
        "company",
        "third party",
        "name",
        "provider",
    ),
    "location": (
        "location",
        "country",
        "countries",
        "processing location",
        "data location",
        "headquarters",
        "hq",
        "region",
        "location of processing",
        "where",
    ),
    "safeguard": ("safeguard", "safeguards", "transfer mechanism", "transfer safeguard", "transfer"),
    "purpose": (
        "purpose",
        "purposes",
        "processing purpose",
        "processing",
        "description",
        "service",
        "services",
        "function",
        "nature of processing",
        "used for",
        "why",
    ),
    "basis": ("legal basis", "lawful basis", "basis", "legal ground", "legal grounds"),
    "retention": ("retention", "retention period", "how long", "storage period", "kept for", "storage duration"),
    "name": ("name",),
}


@dataclass(frozen=True)
class Table:
    """A table as plain text: its header cells, its rows, and the source line of each row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    line: int


@dataclass
class ImportedFacts:
    """The facts the tables gave, and what could not be mapped (``notes``) or was guessed (``todo``)."""

    processing: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    cookies: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (category id, cookie)
    notes: list[Note] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def _column(header: tuple[str, ...], kind: str, taken: set[int]) -> int | None:
    """The first column not yet taken whose header is one of ``kind``'s words, or contains one."""
    words = HEADERS[kind]
    for exact in (True, False):
        for i, cell in enumerate(header):
            key = _key(cell)
            if i not in taken and any(key == w if exact else f" {w} " in f" {key} " for w in words):
                return i
    return None


def tables(converted: Converted) -> list[Table]:
    """Every table of the Markdown, cells as plain text, rows located in the source document."""
    out: list[Table] = []
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    cells: list[str] = []
    inside = False
    for tok in parse(converted.markdown):
        if tok.type == "table_open":
            rows, lines, inside = [], [], True
        elif not inside:
            continue
        elif tok.type == "tr_open":
            cells = []
            lines.append(converted.source_line(_line(tok)))
        elif tok.type == "inline":
            cells.append(plain_inline(tok.content))
        elif tok.type == "tr_close":
            rows.append(tuple(cells))
        elif tok.type == "table_close":
            inside = False
            if rows:
                out.append(Table(rows[0], tuple(rows[1:]), tuple(lines[1:]), lines[0]))
    return out


def _line(tok: Token) -> int:
    return tok.map[0] if tok.map else 0


def _kind(header: tuple[str, ...]) -> str | None:
    def has(kind: str) -> bool:
        return _column(header, kind, set()) is not None

    keys = [_key(h) for h in header]
    if has("duration") and (any("cookie" in k for k in keys) or has("provider") or has("category")):
        return "cookies"
    if has("location") and has("recipient"):
        return "recipients"
    if has("purpose") and (has("basis") or has("retention")):
        return "processing"
    return None


def _columns(header: tuple[str, ...], kinds: tuple[str, ...]) -> dict[str, int]:
    taken: set[int] = set()
    out: dict[str, int] = {}
    for kind in kinds:
        i = _column(header, kind, taken)
        if i is not None:
            out[kind] = i
            taken.add(i)
    return out


def _unique(base: str, used: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", base.casefold()).strip("-")[:60].strip("-") or "item"
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def _cells(t: Table, kinds: tuple[str, ...]) -> Iterator[tuple[dict[str, str], int]]:
    """Each row as its cells by kind (``""`` when the row is short), with its source line."""
    cols = _columns(t.header, kinds)
    for row, line in zip(t.rows, t.lines, strict=True):
        yield {k: row[i].strip() if i < len(row) else "" for k, i in cols.items()}, line


class _Reader:
    """Turns the rows of each kind of table into facts, collecting notes and to-dos."""

    def __init__(self) -> None:
        self.facts = ImportedFacts()
        self.ids: dict[str, set[str]] = {"processing": set(), "recipients": set()}

    def note(self, line: int, message: str) -> None:
        self.facts.notes.append(Note(line, message))

    def mapped(
        self, fact: dict[str, Any], key: str, read: Callable[[str], str | None], cell: str, line: int, what: str
    ) -> None:
        """``fact[key]`` set to what ``read`` makes of ``cell``; a note when it makes nothing of it."""
        if not cell:
            return
        value = read(cell)
        if value is None:
            self.note(line, f"{what}, {cell!r}, not recognised; write it in the YAML by hand")
        else:
            fact[key] = value

    def recipients(self, t: Table) -> None:
        kinds = ("location", "safeguard", "recipient", "purpose")
        role = "sub_processor" if "sub" in _key(t.header[_columns(t.header, kinds)["recipient"]]) else "processor"
        for cell, line in _cells(t, kinds):
            name, where = cell["recipient"], cell["location"]
            country = country_code(where)
            why = (
                "it has no name"
                if not name
                else "it has no purpose"
                if not cell.get("purpose")
                else f"its location {where!r} is not one country"
                if country is None
                else ""
            )
            if why:
                self.note(
                    line,
                    f"sub-processor row {name or '(unnamed)'!r} not made a recipient: {why}; "
                    "add it to `recipients` by hand",
                )
                continue
            rec = {
                "id": _unique(name, self.ids["recipients"]),
                "name": name,
                "role": role,
                "purpose": cell["purpose"],
                "country": country,
            }
            self.mapped(rec, "safeguard", safeguard, cell.get("safeguard", ""), line, f"transfer safeguard of {name!r}")
            self.facts.recipients.append(rec)

    def cookies(self, t: Table) -> None:
        for cell, line in _cells(t, ("duration", "category", "provider", "purpose", "cookie", "name")):
            name = cell.get("cookie") or cell.get("name", "")
            missing = [k for k in ("duration", "purpose") if not cell.get(k)]
            if not name or missing:
                self.note(line, f"cookie row {name or '(unnamed)'!r} left out: no {', '.join(missing) or 'name'}")
                continue
            cookie = {
                "name": name,
                "provider": cell.get("provider") or "",
                "purpose": cell["purpose"],
                "duration": cell["duration"],
            }
            self.facts.cookies.append((_category(cell.get("category", "")), cookie))

    def processing(self, t: Table) -> None:
        for cell, line in _cells(t, ("basis", "retention", "purpose")):
            purpose = cell["purpose"]
            if not purpose:
                self.note(line, "purpose table row without a purpose left out")
                continue
            aid = _unique(purpose, self.ids["processing"])
            activity: dict[str, Any] = {"id": aid, "title": purpose, "data_use": data_use(purpose)}
            self.facts.todo.append(
                f"processing {aid}: data_use guessed as {activity['data_use']!r} from its purpose; check it"
            )
            self.mapped(
                activity, "legal_basis", legal_basis, cell.get("basis", ""), line, f"legal basis of {purpose!r}"
            )
            if cell.get("retention"):
                activity["retention"] = retention(cell["retention"])
            self.facts.processing.append(activity)


def _category(cell: str) -> str:
    return next(iter(matches("category", cell)), "other")


_TITLES = {
    "essential": ("Essential cookies", "Needed for the site to work and to remember your cookie choice; always on."),
    "functional": ("Functional cookies", "Remember your choices, such as your language."),
    "analytics": ("Analytics cookies", "Help us understand how the site is used."),
    "marketing": ("Marketing cookies", "Used to show and measure advertising."),
    "other": ("Other cookies", "Cookies the imported policy did not put in a category."),
}


def consent_block(facts: ImportedFacts, own: dict[str, Any], product: str) -> dict[str, Any]:
    """Consent categories holding the cookies of the tables (a cookie without a provider: ``product``'s; one
    whose provider is a recipient of the tables points to it), the banner's own cookie ``own`` first among the
    essential ones."""
    recipients = {_key(r["name"]): r["id"] for r in facts.recipients}
    by_category: dict[str, list[dict[str, Any]]] = {"essential": [own]}
    for category, cookie in facts.cookies:
        if cookie["name"] != own["name"]:
            entry = {**cookie, "provider": cookie["provider"] or product}
            entry |= {"recipient": recipients[_key(entry["provider"])]} if _key(entry["provider"]) in recipients else {}
            by_category.setdefault(category, []).append(entry)
    if "other" in by_category:
        facts.todo.append("consent: cookies without a recognised category are in `other`; move them")
    return {
        "categories": [
            {
                "id": cid,
                "title": _TITLES[cid][0],
                "description": _TITLES[cid][1],
                "required": cid == "essential",
                "cookies": by_category[cid],
            }
            for cid in _TITLES
            if cid in by_category
        ]
    }


def fact_tables(converted: Converted) -> ImportedFacts:
    """The facts of every cookie, sub-processor and purpose table of the document."""
    reader = _Reader()
    for table in tables(converted):
        kind = _kind(table.header)
        if kind is not None:
            getattr(reader, kind)(table)
    return reader.facts
