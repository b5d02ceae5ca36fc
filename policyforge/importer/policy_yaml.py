"""An outline → policy YAML: stable section ids, the document's details, the facts its tables give, a consent
block, validated.

Section ids are the ids written in the headings (``{#id}``), else slugs of the titles. A slug
already used elsewhere in the document is made unique by its parent (``rights-contact`` for
"Contact" under "Your rights"), then by a number; the same titles under the same parents give
the same ids in every version of a document.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..source.loader import RESERVED_ID_PREFIXES, load_policy
from ..source.markdown_text import EMAIL_IN_TEXT
from ..source.model import TEXT_LIMIT, Policy
from ..source.reader_text import plain_inline
from .fact_tables import ImportedFacts, consent_block
from .notes import Note
from .structure import Outline, OutlineSection

__all__ = ["GIVEN_BY", "Details", "placeholder", "policy_data", "policy_yaml", "slug", "validated"]

_TEXT_LIMIT = TEXT_LIMIT  # the longest body text a policy holds
_SITE_RELATIVE = re.compile(r"\]\(<?/(?!/)|^ {0,3}\[[^\]]+\]:\s*<?/(?!/)", re.MULTILINE)
_SCHEMA_LINE = "# yaml-language-server: $schema=./policy.schema.json\n"
#: The options giving what a document may not say, each with what it gives. Import never guesses these: it
#: writes a :func:`placeholder`, which the lint's ``placeholder`` rule flags (``check`` lists it, ``check
#: --strict`` fails, ``release`` refuses it).
GIVEN_BY = {"--product": "the product's name", "--controller-name": "the controller's legal name"}
_POLICY_WORDS = re.compile(r"\b(privacy|data protection|cookie)\s+(policy|statement|notice)\b|\bpolicy\b", re.I)


@dataclass
class Details:
    """What the document itself does not hold: title, product, controller, consent (``None``: not given)."""

    title: str | None = None
    product: str | None = None
    controller_name: str | None = None
    controller_email: str | None = None
    consent: dict[str, Any] | None = None
    todo: list[str] = field(default_factory=list)
    link_base: str | None = None


def placeholder(option: str) -> str:
    """What import writes where the document does not say what ``option`` (of :data:`GIVEN_BY`) gives."""
    return f"TODO: {GIVEN_BY[option]}"


def slug(title: str) -> str:
    """``Your Rights & Choices`` → ``your-rights-choices`` (ASCII, at most 60 characters, cut at a dash)."""
    text = unicodedata.normalize("NFKD", plain_inline(title)).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(out) > 60:
        out = out[:60].rsplit("-", 1)[0] if "-" in out[:60] else out[:60]
    if out.startswith(RESERVED_ID_PREFIXES):
        out = "s-" + out
    return out or "section"


def _assign_ids(sections: list[OutlineSection]) -> dict[int, str]:
    """Ids by ``id(section)``, unique in the whole document, derived from titles and parents only."""
    used: set[str] = set()
    out: dict[int, str] = {}

    def walk(items: list[OutlineSection], parent: str | None) -> None:
        for section in items:
            base = slug(section.title)
            candidates = [base] + ([f"{parent}-{base}"[:80].rstrip("-")] if parent else [])
            if section.anchor and not section.anchor.startswith(RESERVED_ID_PREFIXES):
                candidates.insert(0, section.anchor)
            sid = next((c for c in candidates if c not in used), None)
            number = 2
            while sid is None:
                if f"{candidates[-1]}-{number}" not in used:
                    sid = f"{candidates[-1]}-{number}"
                number += 1
            used.add(sid)
            out[id(section)] = sid
            walk(section.sections, sid)

    walk(sections, None)
    return out


def _body_fields(body: str, line: int, notes: list[Note]) -> dict[str, str]:
    """``text`` (and ``after`` when the body is longer than one field holds), split between blocks."""
    if len(body) <= _TEXT_LIMIT:
        return {"text": body} if body else {}
    cut = body.rfind("\n\n", 0, _TEXT_LIMIT)
    if cut <= 0:
        notes.append(
            Note(
                line,
                f"section text of {len(body)} characters is longer than a field holds "
                f"({_TEXT_LIMIT}); split it into subsections",
            )
        )
        return {"text": body}
    return {"text": body[:cut].rstrip(), "after": body[cut:].strip()}


def _section(section: OutlineSection, ids: dict[int, str], notes: list[Note]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ids[id(section)], "title": " ".join(section.title.split())}
    data.update(_body_fields(section.body, section.line, notes))
    if section.sections:
        data["sections"] = [_section(s, ids, notes) for s in section.sections]
    return data


def _product(title: str) -> str | None:
    """``Acme Privacy Policy`` → ``Acme``; ``Privacy Policy — Acme`` → ``Acme``."""
    rest = " ".join(_POLICY_WORDS.sub(" ", plain_inline(title)).split())
    parts = [p.strip(" -–—:,|") for p in re.split(r"\s[-–—|:]\s", rest)]
    parts = [re.sub(r"['’]s$", "", p).strip() for p in parts]
    return next((p for p in parts if p), None)


def _own_cookie(product: str) -> dict[str, Any]:
    return {
        "name": "pf_consent",
        "provider": product,
        "purpose": "Remembers your cookie choice",
        "duration": "180 days",
    }


def policy_data(
    doc: Outline, details: Details, notes: list[Note], facts: ImportedFacts | None = None
) -> dict[str, Any]:
    """The policy as plain data; ``details.todo`` lists what the editor must still fill in or check.

    ``facts``: the activities, recipients and cookies of the document's tables (:mod:`.fact_tables`)."""
    facts = facts or ImportedFacts()
    notes.extend(facts.notes)
    todo = details.todo
    heading = plain_inline(doc.title) if doc.title else None
    title = details.title or heading
    if title is None:
        title = "Privacy Policy"
        todo.append('title: the document has no title heading; set to "Privacy Policy" (or pass --title)')
    product = details.product or _product(title)
    if product is None:
        product = placeholder("--product")
        todo.append("product: not found in the title; write the product's name (or pass --product)")
    name = details.controller_name
    if name is None:
        name = placeholder("--controller-name")
        todo.append("controller.name: write the controller's legal name (or pass --controller-name)")
    email = details.controller_email
    if email is None:
        found = EMAIL_IN_TEXT.search(doc.preamble + "\n" + "\n".join(_all_bodies(doc.sections)))
        email = found.group(0) if found else "privacy@example.com"
        todo.append(
            f"controller.email: {'taken from the text' if found else 'not found, set to'} {email!r}; "
            "check it (or pass --controller-email)"
        )
    consent = details.consent
    if consent is None and facts.cookies:
        consent = consent_block(facts, _own_cookie(product), product)
        todo.append(
            "consent: categories and cookies taken from the cookie tables; check them, and add "
            "`include: consent-categories` in the cookie section"
        )
    elif consent is None:
        consent = consent_block(facts, _own_cookie(product), product)
        todo.append(
            "consent: only the banner's own essential cookie (pf_consent) is declared; add the categories "
            "and cookies your product sets, and `include: consent-categories` in the cookie section"
        )
    ids = _assign_ids(doc.sections)
    data: dict[str, Any] = {"title": title, "product": product, "controller": {"name": name, "email": email}}
    relative = len(_SITE_RELATIVE.findall(doc.preamble + "\n" + "\n".join(_all_bodies(doc.sections))))
    if details.link_base:
        data["link_base"] = details.link_base
    elif relative:
        todo.append(
            f"link_base: {relative} link(s) point into the site the document came from (/...); set "
            "link_base to that site's address, e.g. https://www.example.com (or pass --link-base), or they "
            "point into the policy site"
        )
    if doc.preamble:
        data["preamble"] = doc.preamble
    if not doc.sections:
        notes.append(Note(1, 'the document has no headings: its whole text became one section, "Policy"'))
        data.pop("preamble", None)
        data["sections"] = [{"id": "policy", "title": "Policy", **_body_fields(doc.preamble, 1, notes)}]
    else:
        data["sections"] = [_section(s, ids, notes) for s in doc.sections]
    data |= {"processing": facts.processing} if facts.processing else {}
    data |= {"recipients": facts.recipients} if facts.recipients else {}
    data["consent"] = consent
    todo.extend(facts.todo)
    return data


def _all_bodies(sections: list[OutlineSection]) -> list[str]:
    return [text for s in sections for text in (s.body, *_all_bodies(s.sections))]


class _Dumper(yaml.SafeDumper):
    """Block scalars for text with line breaks, so the YAML reads like the document."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not re.search(r"[ \t]\n|[ \t]$|\t", value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def policy_yaml(data: dict[str, Any]) -> str:
    """The YAML text of a policy's data, with the editor's schema line first."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000, indent=2)
    return _SCHEMA_LINE + text


def validated(text: str, *, allow_html: bool = False, name: str = "policy.yaml") -> Policy:
    """The policy of ``text``, loaded as ``policyforge check`` would (a :class:`SourceError` if invalid)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8", newline="")
        return load_policy(path, allow_html=allow_html, display=name)
