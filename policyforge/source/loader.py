"""Load a policy YAML file into the model, reporting every problem with file and line at once."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problem, SourceError
from .fact_refs import fact_reference_problems
from .facts import FORM_TAGS
from .markdown_text import parse
from .model import ITEM_TAGS, Policy
from .sizes import oversize_problems
from .yaml_reader import Loc, Located, dotted, read_yaml

__all__ = ["check_policy_file", "is_markdown", "load_policy", "markdown_problems"]

# Anything Markdown would pass through as raw HTML: a tag, a closing tag, a comment, a declaration.
HTML_RE = re.compile(r"<(?:[/]?[A-Za-z][^<>]*>?|!|\?)")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.DOTALL)  # Markdown escapes what is inside a code span
_AUTOLINK_RE = re.compile(r"<(?:https?://|mailto:)[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>")


# What each generated section shows, and the block it is made from: an include without its block shows nothing.
_INCLUDE_NEEDS: dict[str, tuple[str, str]] = {
    "consent-categories": ("consent", "it lists its categories"),
    "processing": ("processing", "its table lists the activities"),
    "recipients": ("recipients", "its table lists them"),
}


def load_policy(path: Path, *, allow_html: bool = False, display: str | None = None) -> Policy:
    """Read and validate ``path``; raise :class:`SourceError` listing every problem."""
    policy, problems = check_policy_file(path, allow_html=allow_html, display=display)
    if policy is None or problems:
        raise SourceError(problems, Path(display).parent if display else path.parent)
    return policy


def check_policy_file(
    path: Path, *, allow_html: bool = False, display: str | None = None
) -> tuple[Policy | None, list[Problem]]:
    """Validate ``path`` and return the policy (if valid) and all problems."""
    if not path.is_file():
        return None, [Problem(display or str(path), 0, "", "file not found")]
    doc = read_yaml(path, display)
    if doc.problems and doc.data is None:
        return None, doc.problems
    if not isinstance(doc.data, dict):
        doc.problems.append(doc.problem((), "the policy must be a mapping of keys (title, product, sections, ...)"))
        return None, doc.problems
    oversize = oversize_problems(doc, Policy)  # first: nothing below reads an over-long value
    problems = [*doc.problems, *oversize]
    problems += _semantic_problems(doc, allow_html)
    problems += fact_reference_problems(doc)
    bullets = _colon_bullets(doc)
    problems += bullets
    reported = {p.path for p in doc.problems}
    policy: Policy | None = None
    try:
        policy = Policy.model_validate(doc.data)
    except ValidationError as exc:
        problems += [
            p
            for p in _validation_problems(doc, exc, removed={p.path for p in oversize})
            if p.path not in reported and not any(_under(p.path, b.path) for b in bullets)
        ]
    # A problem reported twice (e.g. by YAML and by the model) is shown once.
    unique = sorted(set(problems), key=lambda p: (p.line, p.path, p.message))
    return (policy if not unique else None), unique


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _colon_bullets(doc: Located) -> list[Problem]:
    """Bullets that YAML read as ``key: value`` because their text contains ': ' (one problem each)."""
    out: list[Problem] = []

    def check(items: Any, loc: Loc, term_allowed: bool) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or len(item) != 1 or set(item) & {"term", "text"}:
                continue
            key, value = next(iter(item.items()))
            if isinstance(value, (dict, list)):
                continue
            rest = "" if value is None else str(value)
            written = f"{key}: {rest}".strip()
            fix = f'put the whole bullet in quotes (- "{_short(written)}")'
            if term_allowed:
                fix += f" or write it as a term and its text ({{term: {key}, text: {_short(rest)}}})"
            out.append(
                doc.problem(
                    (*loc, i),
                    f"this bullet was read as a key {str(key)!r} with a value, because its text contains ': ': {fix}",
                )
            )

    def walk(sections: Any, loc: Loc) -> None:
        for i, sec in enumerate(sections if isinstance(sections, list) else []):
            if isinstance(sec, dict):
                check(sec.get("items"), (*loc, i, "items"), term_allowed=True)
                walk(sec.get("sections"), (*loc, i, "sections"))

    data = doc.data if isinstance(doc.data, dict) else {}
    check(data.get("quick_reference"), ("quick_reference",), term_allowed=False)
    walk(data.get("sections"), ("sections",))
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _validation_problems(doc: Located, exc: ValidationError, removed: set[str]) -> list[Problem]:
    """The model's errors at their lines; at a value ``removed`` for its size, only an unknown key's."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = _data_loc(tuple(err["loc"]))
        if dotted(loc) in removed and err["type"] != "extra_forbidden":
            continue
        if err["type"] == "too_short" and isinstance(err.get("input"), list) and err["input"]:
            continue  # "at least one entry" only because an entry failed: that entry's error says why
        out.append(Problem(doc.file, doc.line_of(loc), dotted(loc), _message(err, loc)))
    return out


def _data_loc(raw: Loc) -> Loc:
    """A pydantic error location as a path in the data: the tag of a bullet's form (:data:`ITEM_TAGS`) or of a
    fact's (:data:`FORM_TAGS`) is not, nor the ``[key]`` marking a mapping's key (the key's own path is)."""
    return tuple(part for part in raw if part not in ITEM_TAGS and part not in FORM_TAGS and part != "[key]")


def _message(err: Any, loc: Loc) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return f"unknown key {key!r}{_did_you_mean(key, _fields_at(loc[:-1]))}"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        tail = _did_you_mean(str(value), expected) or f" (expected one of: {', '.join(expected)})"
        return f"unknown value {value!r}{tail}"
    if kind.startswith("date"):
        if isinstance(value, dt.datetime):
            return f"{value.isoformat(sep=' ')} has a time; write the date alone as YYYY-MM-DD"
        detail = str(err["msg"]).split(", ", 1)[-1] if "outside expected range" in str(err["msg"]) else ""
        if detail:
            return f"impossible date {value!r}: {detail}"
        return f"{value!r} is not a date; write it as YYYY-MM-DD (e.g. 2025-03-01)"
    if kind == "string_too_short":
        return "must not be empty" if not str(value).strip() else str(err["msg"]).lower()
    if kind == "too_short":
        return "must have at least one entry"
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return f"this reads as a key {key!r} with a value, not as text: put the whole text in quotes"
    if kind == "bool_type":
        return _bool_message(value)
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not a valid id (lower-case letters, digits and hyphens, e.g. 'cookies')"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


_YAML11_BOOLS = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false", "off": "false"}


def _bool_message(value: Any) -> str:
    """Booleans are only true and false (YAML 1.2): ``yes``/``no``/``on``/``off`` are text."""
    guess = _YAML11_BOOLS.get(str(value).strip().lower())
    if guess is not None:
        return f"{value!r} is text, not a boolean: write true or false (did you mean {guess}?)"
    return f"expected true or false, not {value!r}"


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fields_at(loc: Loc) -> list[str]:
    """Field names of the model found at ``loc``, following the Policy annotations."""
    tp: Any = Policy
    for part in loc:
        tp = _model_in(tp)
        if tp is None:
            return []
        if isinstance(part, int):
            continue
        field = tp.model_fields.get(part)
        if field is None:
            return []
        tp = field.annotation
    model = _model_in(tp)
    return list(model.model_fields) if model else []


def _model_in(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    origin = get_origin(tp)
    if origin in (tuple, list, Union, types.UnionType) or origin is not None:
        for arg in get_args(tp):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _semantic_problems(doc: Located, allow_html: bool) -> list[Problem]:
    out: list[Problem] = []
    data = doc.data
    seen: dict[str, int] = {}

    def walk_sections(sections: Any, loc: Loc) -> None:
        if not isinstance(sections, list):
            return
        for i, sec in enumerate(sections):
            if not isinstance(sec, dict):
                continue
            here = (*loc, i)
            sid = sec.get("id")
            if isinstance(sid, str):
                line = doc.line_of((*here, "id"))
                if sid.startswith(RESERVED_ID_PREFIXES):
                    out.append(
                        doc.problem(
                            (*here, "id"),
                            f"ids starting with {', '.join(RESERVED_ID_PREFIXES)} are reserved for generated anchors",
                        )
                    )
                elif sid in seen:
                    out.append(doc.problem((*here, "id"), f"duplicate id {sid!r} (first at line {seen[sid]})"))
                else:
                    seen[sid] = line
            needs = _INCLUDE_NEEDS.get(str(sec.get("include")))
            if needs is not None and not data.get(needs[0]):
                out.append(
                    doc.problem(
                        (*here, "include"),
                        f"`include: {sec['include']}` needs a `{needs[0]}` block in this document ({needs[1]})",
                    )
                )
            walk_sections(sec.get("sections"), (*here, "sections"))

    walk_sections(data.get("sections"), ("sections",))
    consent = data.get("consent")
    if isinstance(consent, dict) and isinstance(consent.get("categories"), list):
        cats: dict[str, int] = {}
        cookies: dict[str, int] = {}
        for i, cat in enumerate(consent["categories"]):
            if not isinstance(cat, dict):
                continue
            cid = cat.get("id")
            if isinstance(cid, str):
                if cid in cats:
                    out.append(
                        doc.problem(
                            ("consent", "categories", i, "id"), f"duplicate id {cid!r} (first at line {cats[cid]})"
                        )
                    )
                else:
                    cats[cid] = doc.line_of(("consent", "categories", i, "id"))
            listed = cat.get("cookies")
            for j, cookie in enumerate(listed if isinstance(listed, list) else []):
                name = cookie.get("name") if isinstance(cookie, dict) else None
                if isinstance(name, str):
                    where = ("consent", "categories", i, "cookies", j, "name")
                    if name in cookies:
                        out.append(
                            doc.problem(where, f"cookie {name!r} is declared twice (first at line {cookies[name]})")
                        )
                    else:
                        cookies[name] = doc.line_of(where)
    if not allow_html:
        out += _html_problems(doc, data, ())
    out += _heading_problems(doc, data, ())
    return out


def markdown_problems(doc: Located, value: Any, loc: Loc = (), *, allow_html: bool) -> list[Problem]:
    """Raw HTML (unless allowed) and headings in the Markdown fields of ``value``, located in ``doc``."""
    return [*([] if allow_html else _html_problems(doc, value, loc)), *_heading_problems(doc, value, loc)]


RESERVED_ID_PREFIXES = ("pf-", "diff-")
MARKDOWN_KEYS = {"text", "after", "closing", "description", "preamble"}


def is_markdown(loc: Loc) -> bool:
    """Body text fields, section titles and table cells are Markdown; terms, names and banner texts are not."""
    if not loc or (loc[0] == "consent" and "banner" in loc):
        return False
    last = loc[-1]
    if isinstance(last, int):
        return (len(loc) >= 2 and loc[-2] in ("items", "quick_reference")) or (len(loc) >= 3 and loc[-3] == "rows")
    return last in MARKDOWN_KEYS or (last == "title" and len(loc) >= 3 and loc[-3] == "sections")


def _is_body(loc: Loc) -> bool:
    """Markdown that may hold blocks (paragraphs, lists, tables), unlike titles and table cells."""
    return is_markdown(loc) and loc[-1] != "title" and not (len(loc) >= 3 and loc[-3] == "rows")


def _heading_problems(doc: Located, value: Any, loc: Loc) -> list[Problem]:
    """A heading typed inside body text is outside the numbering, the table of contents and the diff."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _heading_problems(doc, v, (*loc, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _heading_problems(doc, v, (*loc, i))]
    if not (isinstance(value, str) and _is_body(loc)):
        return []
    out: list[Problem] = []
    for tok in parse(value):
        if tok.type == "heading_open":
            first = tok.map[0] if tok.map else 0
            line = doc.line_of(loc) + (1 + first if "\n" in value else 0)
            title = value.splitlines()[first].strip() if first < len(value.splitlines()) else ""
            out.append(
                Problem(
                    doc.file,
                    line,
                    dotted(loc),
                    f"a heading ({title[:60]!r}) inside body text is not allowed: make it a section of "
                    "its own (an entry under `sections:` with an id and a title), so it is numbered, "
                    "listed in the contents and compared in the diff",
                )
            )
    return out


def _html_problems(doc: Located, value: Any, loc: Loc) -> list[Problem]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _html_problems(doc, v, (*loc, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _html_problems(doc, v, (*loc, i))]
    if isinstance(value, str) and is_markdown(loc):
        match = HTML_RE.search(_AUTOLINK_RE.sub("", _CODE_SPAN_RE.sub("", value)))
        if match:
            return [
                doc.problem(
                    loc,
                    f"raw HTML {match.group(0)[:40]!r} is not allowed in policy text; use Markdown,"
                    " or set `allow_html: true` in the project options",
                )
            ]
    return []
