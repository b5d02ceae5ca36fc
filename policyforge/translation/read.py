"""Translation files: the translated texts of a document, keyed by id, and the fingerprints that tie them to it.

A translation file (``<source>/translations/<lang>.yaml``) holds texts only. Its structure comes from the
original: sections are keyed by id, consent categories by id and cookies by name; ids, order, numbering,
cookies' durations, dates and Consent Mode types cannot be translated, added, dropped or reordered.
Each entry records ``translated_from``, the fingerprint of the original's text it was translated from
(written by ``policyforge translate mark``), so a later change of the original makes it stale.
:mod:`policyforge.translation.apply` applies a translation to a policy.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, SourceError
from ..source.facts import Activity, Recipient
from ..source.loader import markdown_problems
from ..source.model import BannerTexts, ConsentCategory, Controller, Cookie, Policy, Section, Service
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions
from ..source.sizes import ById, oversize_problems
from ..source.taxonomy import taxonomy
from ..source.yaml_reader import Loc, Located, read_yaml
from .fact_texts import FACT_GROUPS, read_facts
from .fingerprints import fingerprint_category, fingerprint_document, fingerprint_section
from .shape import SECTION_FIELDS, is_text, section_shape_problems, service_shape_problems

__all__ = [
    "DOCUMENT_FIELDS",
    "SECTION_FIELDS",
    "SHAPE",
    "TRANSLATIONS_DIR",
    "Entry",
    "Translation",
    "fingerprint_category",
    "fingerprint_document",
    "fingerprint_section",
    "load_translations",
    "read_translation",
    "section_shape_problems",
    "translation_path",
    "translation_problems",
]

TRANSLATIONS_DIR = "translations"
DOCUMENT_FIELDS = ("title", "product", "preamble", "quick_reference", "closing")
CATEGORY_FIELDS = ("title", "description", "cookies", "services")
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{12}$")
# Keys of the original that carry structure or facts, not translatable text: named so the error says why.
_STRUCTURE = {"id", "include", "consent_relevant", "sections", "required", "gcm", "effective", "updated"}
_STRUCTURE |= {"consent", "link_base", "lifetime_days", "cookie", "receipts_url"}


# A translation file's texts, each held to the longest text of the original's field it translates.
SHAPE = {
    **{name: Policy.model_fields[name] for name in DOCUMENT_FIELDS},
    "sections": ById(Section),
    "categories": ById(
        {
            **ConsentCategory.model_fields,
            "cookies": ById(Cookie.model_fields["purpose"]),
            "services": ById({n: Service.model_fields[n] for n in ("name", "description")}),
        }
    ),
    "banner": BannerTexts,
    "activities": ById(Activity),
    "recipients": ById(Recipient),
    "controller": Controller,
}
# What an over-long text becomes once reported: still a text, so the shape checks see one where it was written.
_REMOVED = "…"


@dataclass(frozen=True)
class Entry:
    """The translated texts of one part of the original: a section, a consent category or the document itself."""

    key: str  # section id, category id, or "" for the document's own texts
    texts: Mapping[str, Any]  # field -> translated value (text, list of items, table mapping, cookie purposes)
    translated_from: str | None
    line: int


@dataclass(frozen=True)
class Translation:
    """One language's translation of one document, as read (and checked) from its file."""

    lang: str
    file: str  # as shown to users
    path: Path
    document: Entry | None = None
    sections: Mapping[str, Entry] = field(default_factory=dict)
    categories: Mapping[str, Entry] = field(default_factory=dict)
    banner: Mapping[str, str] = field(default_factory=dict)  # only the banner texts the file gives
    labels: Mapping[str, str] = field(default_factory=dict)  # fideslang key -> its name in this language
    facts: Mapping[str, Entry] = field(default_factory=dict)  # by fact_key: activity:ID, recipient:ID, controller


def translation_path(source: Path, lang: str) -> Path:
    """Where the translation into ``lang`` of the document in ``source`` lives."""
    return source / TRANSLATIONS_DIR / f"{lang}.yaml"


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Reader:
    """Checks one translation file against its original, collecting every problem with its line."""

    def __init__(self, doc: Located, policy: Policy, lang: str) -> None:
        self.doc, self.policy, self.lang = doc, policy, lang
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, loc: Loc, message: str) -> None:
        self.errors.append(self.doc.problem(loc, message))

    def keys(self, data: dict[str, Any], loc: Loc, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key in allowed:
                continue
            if key in _STRUCTURE:
                self.error((*loc, key), f"`{key}` may not be translated: it comes from the original")
            else:
                self.error((*loc, key), f"unknown key {key!r} in {what}{_did_you_mean(str(key), list(allowed))}")

    def changed(self, loc: Loc, message: str) -> None:
        """A misfit of an entry translated from another text of the original: the original changed, not the
        translator's work; a warning (its part shows the original), so a translation never blocks a release."""
        self.warnings.append(
            self.doc.problem(
                loc,
                f"{message} (the original changed since this was translated: "
                "its text is shown until the entry is updated and marked)",
            )
        )

    def outdated(self, entry: Any, loc: Loc, message: str) -> None:
        """An entry for a part the original does not have: a warning when the entry was marked (the part was
        removed or renamed since), an error when it was not (a typo)."""
        if isinstance(entry, dict) and entry.get("translated_from") is not None:
            self.warnings.append(
                self.doc.problem(
                    loc,
                    f"{message}: removed or renamed since this was translated; "
                    "the entry is ignored (delete it, or move it to the new id)",
                )
            )
        else:
            self.error(loc, message)

    def mark(self, data: dict[str, Any], loc: Loc) -> str | None:
        value = data.get("translated_from")
        if value is None:
            return None
        if not (isinstance(value, str) and FINGERPRINT_RE.match(value)):
            self.error(
                (*loc, "translated_from"),
                "expected a fingerprint of 12 hex digits, as written by `policyforge translate mark` (never by hand)",
            )
            return None
        return value

    def read(self, path: Path, display: str) -> Translation:
        data = self.doc.data
        self.keys(
            data,
            (),
            (
                "language",
                "translated_from",
                *DOCUMENT_FIELDS,
                "sections",
                "categories",
                "banner",
                "labels",
                *FACT_GROUPS.values(),
            ),
            "a translation file",
        )
        if data.get("language") != self.lang:
            self.error(("language",), f"expected `language: {self.lang}` (the file's name says {self.lang})")
        return Translation(
            self.lang,
            display,
            path,
            document=self.document(),
            sections=self.sections(),
            categories=self.categories(),
            banner=self.banner(),
            labels=self.labels(),
            facts=self.facts(),
        )

    def document(self) -> Entry | None:
        data, policy = self.doc.data, self.policy
        texts = {k: data[k] for k in DOCUMENT_FIELDS if k in data}
        mark = self.mark(data, ())
        report = self.error if mark in (None, fingerprint_document(policy)) else self.changed
        for name, value in texts.items():
            original = getattr(policy, name)
            if not original:
                report((name,), f"the original has no `{name}`, so there is nothing to translate")
            elif name == "quick_reference":
                if not (isinstance(value, list) and len(value) == len(original) and all(is_text(v) for v in value)):
                    report((name,), f"expected {len(original)} items, one per item of the original, in order")
            elif not is_text(value):
                self.error((name,), "expected the translated text")
        for name in DOCUMENT_FIELDS:
            if getattr(policy, name) and name not in texts and name != "product":
                self.warnings.append(self.doc.problem((), f"`{name}` is not translated (the original's is shown)"))
        if not texts:
            return None
        return Entry("", texts, mark, self.doc.line_of(()))

    def sections(self) -> dict[str, Entry]:
        raw = self.doc.data.get("sections", {})
        originals = {ns.section.id: ns.section for ns in numbered_sections(self.policy.sections)}
        if not isinstance(raw, dict):
            self.error(("sections",), "expected a mapping of section ids to their translated texts")
            return {}
        out: dict[str, Entry] = {}
        for sid, entry in raw.items():
            loc = ("sections", sid)
            section = originals.get(sid)
            if section is None:
                self.outdated(
                    entry, loc, f"no section {sid!r} in the original{_did_you_mean(str(sid), list(originals))}"
                )
                continue
            if not isinstance(entry, dict):
                self.error(loc, "expected the section's translated texts: title, text, items, table, after")
                continue
            self.keys(entry, loc, ("translated_from", *SECTION_FIELDS), f"section {sid!r}")
            texts = {k: v for k, v in entry.items() if k in SECTION_FIELDS}
            mark = self.mark(entry, loc)
            report = self.error if mark in (None, fingerprint_section(section)) else self.changed
            for where, message in section_shape_problems(texts, section):
                report((*loc, *where), message)
            out[sid] = Entry(sid, texts, mark, self.doc.line_of(loc))
        for sid in originals:
            if sid not in out and sid not in raw:
                self.warnings.append(
                    self.doc.problem(("sections",), f"section {sid!r} is not translated (the original's text is shown)")
                )
        return out

    def categories(self) -> dict[str, Entry]:
        raw = self.doc.data.get("categories", {})
        originals = {c.id: c for c in self.policy.categories}
        if not isinstance(raw, dict):
            self.error(("categories",), "expected a mapping of consent category ids to their translated texts")
            return {}
        out: dict[str, Entry] = {}
        for cid, entry in raw.items():
            loc = ("categories", cid)
            category = originals.get(cid)
            if category is None:
                self.outdated(
                    entry, loc, f"no consent category {cid!r} in the original{_did_you_mean(str(cid), list(originals))}"
                )
                continue
            if not isinstance(entry, dict):
                self.error(loc, "expected the category's translated texts: title, description, cookies")
                continue
            self.keys(entry, loc, ("translated_from", *CATEGORY_FIELDS), f"category {cid!r}")
            for name in ("title", "description"):
                if not is_text(entry.get(name)):
                    self.error((*loc, name), f"`{name}` is missing: give the category's translated {name}")
            mark = self.mark(entry, loc)
            report = self.error if mark in (None, fingerprint_category(category)) else self.changed
            self.cookies(entry.get("cookies"), category, loc, report)
            for where, message in service_shape_problems(entry.get("services"), category):
                report((*loc, *where), message)
            texts = {k: v for k, v in entry.items() if k in CATEGORY_FIELDS}
            out[cid] = Entry(cid, texts, mark, self.doc.line_of(loc))
        for cid in originals:
            if cid not in raw:
                self.warnings.append(
                    self.doc.problem(
                        ("categories",), f"consent category {cid!r} is not translated (the original's texts are shown)"
                    )
                )
        return out

    def cookies(self, cookies: Any, category: ConsentCategory, loc: Loc, report: Callable[[Loc, str], None]) -> None:
        """The cookie purposes of a category's entry; ``report`` takes a misfit (see :meth:`changed`)."""
        names = [c.name for c in category.cookies]
        if cookies is None:
            if names:
                report(loc, "`cookies` is missing: give each cookie's translated purpose by its name")
            return
        if not isinstance(cookies, dict):
            self.error((*loc, "cookies"), "expected each cookie's translated purpose by its name, e.g. {_ga: ...}")
            return
        for name, purpose in cookies.items():
            where = (*loc, "cookies", name)
            if name not in names:
                report(where, f"no cookie {name!r} in this category of the original{_did_you_mean(str(name), names)}")
            elif not is_text(purpose):
                self.error(
                    where,
                    "expected the cookie's translated purpose (its name, provider and duration come from the original)",
                )
        missing = [n for n in names if n not in cookies]
        if missing:
            report((*loc, "cookies"), f"missing the purpose of {', '.join(repr(n) for n in missing)}")

    def facts(self) -> dict[str, Entry]:
        """The facts' prose (``fact_texts.py``): activities and recipients by id, the controller's as one entry."""
        found = read_facts(self.doc.data, self.policy, self)
        return {name: Entry(key, texts, mark, self.doc.line_of(loc)) for name, key, texts, mark, loc in found}

    def banner(self) -> dict[str, str]:
        raw = self.doc.data.get("banner", {})
        if not isinstance(raw, dict):
            self.error(("banner",), "expected banner texts by name (title, text, accept, reject, ...)")
            return {}
        self.keys(raw, ("banner",), tuple(BannerTexts.model_fields), "the banner texts")
        out: dict[str, str] = {}
        for name, value in raw.items():
            if name in BannerTexts.model_fields:
                if is_text(value):
                    out[name] = value.strip()
                else:
                    self.error(("banner", name), "expected the translated text")
        return out

    def labels(self) -> dict[str, str]:
        """The names of fideslang's data categories and data uses in this language (the facts' tables show
        fideslang's English name of a key that has none)."""
        raw = self.doc.data.get("labels", {})
        if not isinstance(raw, dict):
            self.error(("labels",), "expected names by fideslang key (user.contact.email: E-Mail-Adresse, ...)")
            return {}
        known = [*taxonomy("data_category"), *taxonomy("data_use")]
        out: dict[str, str] = {}
        for key, value in raw.items():
            if key not in known:
                self.error(
                    ("labels", key),
                    f"unknown fideslang data category or data use {key!r}{_did_you_mean(str(key), known)}",
                )
            elif is_text(value):
                out[key] = value.strip()
            else:
                self.error(("labels", key), "expected the name in this language")
        return out


def read_translation(
    path: Path, policy: Policy, *, lang: str, display: str | None = None, allow_html: bool = False
) -> tuple[Translation | None, list[Problem], list[Problem]]:
    """Read and check one translation file against ``policy``: (translation, errors, warnings).

    The translation is None when the file cannot be read at all; otherwise it is returned even with errors
    (callers that publish refuse it then)."""
    doc = read_yaml(path, display)
    if doc.data is None:
        return None, doc.problems, []
    if not isinstance(doc.data, dict):
        return None, [*doc.problems, doc.problem((), "a translation file is a mapping (language, sections, ...)")], []
    oversize = oversize_problems(doc, SHAPE, stand_in=_REMOVED)  # first: nothing below reads an over-long text
    reader = _Reader(doc, policy, lang)
    translation = reader.read(path, doc.file)
    body = {k: v for k, v in doc.data.items() if k != "banner"}
    errors = [*doc.problems, *oversize, *reader.errors, *markdown_problems(doc, body, allow_html=allow_html)]
    return translation, sorted(errors, key=_order), sorted(reader.warnings, key=_order)


def _order(problem: Problem) -> tuple[int, str]:
    return problem.line, problem.path


def translation_problems(
    options: ProjectOptions, policy: Policy
) -> tuple[dict[str, Translation], list[Problem], list[Problem]]:
    """Every translation of the document in ``options.source``: (translations, errors, warnings).

    A language without a file has no translation (its pages show the original); a warning says so."""
    found: dict[str, Translation] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for lang in options.translations:
        path = translation_path(options.source, lang)
        display = options.display(path)
        if not path.is_file():
            warnings.append(
                Problem(
                    display, 0, "", f"no {lang} translation of {policy.title!r}: its {lang} pages show the original"
                )
            )
            continue
        translation, errs, warns = read_translation(
            path, policy, lang=lang, display=display, allow_html=options.allow_html
        )
        errors += errs
        warnings += warns
        if translation is not None and not errs:
            found[lang] = translation
    return found, errors, warnings


def load_translations(options: ProjectOptions, policy: Policy) -> dict[str, Translation]:
    """The translations of the document in ``options.source``; :class:`SourceError` listing every error."""
    found, errors, _ = translation_problems(options, policy)
    if errors:
        raise SourceError(errors, options.display(options.source / TRANSLATIONS_DIR))
    return found
