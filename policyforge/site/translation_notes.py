"""What a translated page says about its parts: stale and missing notices, and the strict option's errors.

A part (section, consent category, the document's own texts) of a translated page is ``current``,
``stale`` (translated from another text of the original: the translation is shown with a notice that
the original changed on DATE and prevails) or ``missing`` (the original's text is shown, marked with
its language, with a notice); see :mod:`policyforge.translation.apply`. Notices are in the page's
language (:mod:`.strings`); the original's language is named in it.

With ``stale_translations: error`` a stale part is a build error instead
(:func:`policyforge.translation.apply.stale_problems`), naming the translation file and the line of the entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..history.releases import Release
from ..source.model import Policy
from ..source.numbering import numbered_sections
from ..translation.apply import DOCUMENT_KEY, PartState, Translated, category_key
from ..translation.fact_texts import fact_key, fact_parts
from .inputs import SiteInputs
from .strings import format_date, language_name, text, text_direction

__all__ = ["PartNote", "page_notes", "part_notes", "shown_text"]

StaleDay = Callable[[PartState], dt.date | None]


@dataclass(frozen=True)
class PartNote:
    """The notice on one part of a translated page."""

    status: str  # "stale", "missing", or "original" (a version with no translation: marked, no notice)
    text: str  # the notice, in the page's language ("" for none)
    lang: str = ""  # the language the part's text is in when it is not the page's (a missing part: the original's)
    dir: str = ""  # that language's direction


def _stale_text(state: PartState, original: str, day: StaleDay) -> str:
    when = day(state)
    name = language_name(original)
    if when is None:
        return text("stale_notice_undated", language=name)
    return text("stale_notice", language=name, date=format_date(when))


def part_notes(
    translated: Translated | None, original: str, day: StaleDay, policy: Policy | None = None
) -> dict[str, PartNote]:
    """Notices by section id (and ``category:ID``) for a page in a translation; ``translated`` None: the version has
    no translation at all: one notice for the page (:func:`page_notes`), and every part of ``policy`` marked as the
    original's language, without a notice of its own."""
    if translated is None:
        mark = PartNote("original", "", original, text_direction(original))
        if policy is None:
            return {}
        ids = [ns.section.id for ns in numbered_sections(policy.sections)]
        facts = [fact_key(kind, key) for kind, key, _ in fact_parts(policy)]
        return {key: mark for key in (*ids, *(category_key(c.id) for c in policy.categories), *facts)}
    notes: dict[str, PartNote] = {}
    for key, state in translated.states.items():
        if key == DOCUMENT_KEY or state.status == "current":
            continue
        if state.status == "stale":
            notes[key] = PartNote("stale", _stale_text(state, original, day))
        else:
            notes[key] = PartNote(
                "missing", text("missing_notice", language=language_name(original)), original, text_direction(original)
            )
    return notes


def page_notes(translated: Translated | None, original: str, day: StaleDay) -> list[PartNote]:
    """The notices at the top of a translated page: that the original prevails (or that this version has no
    translation and is shown in the original), and a stale or missing translation of the document's own texts."""
    name = language_name(original)
    if translated is None:
        return [PartNote("missing", text("document_missing", language=name), original, text_direction(original))]
    notes = [PartNote("current", text("translation_prevails", language=name))]
    state = translated.states.get(DOCUMENT_KEY)
    if state is not None and state.status == "stale":
        notes.append(PartNote("stale", _stale_text(state, original, day)))
    return notes


def shown_text(inputs: SiteInputs, rel: Release | None = None) -> dict[str, Any]:
    """The policy a page shows and its notices, for :func:`.policy_page.body_context`: the current policy
    (``rel`` None) or release ``rel``, in the inputs' language. The original's site has no notices."""
    if not inputs.lang:
        return {
            "policy": inputs.current if rel is None else rel.policy,
            "notes": {},
            "page_notes": [],
            "document_lang": None,
        }
    translated = inputs.translated if rel is None else inputs.release_texts.get(rel.date)
    upto = rel.policy if rel is not None else inputs.original or inputs.current
    timeline = inputs.timeline

    def day(state: PartState) -> dt.date | None:  # the day the original moved on from the text translated
        if timeline is None:
            return None
        return timeline.changed_on(state.kind, state.key, state.translated_from, upto)

    policy = translated.policy if translated is not None else (inputs.current if rel is None else rel.policy)
    original = inputs.options.language
    document = translated.states.get(DOCUMENT_KEY) if translated is not None else None
    in_original = translated is None or (document is not None and document.status == "missing")
    return {
        "policy": policy,
        "notes": part_notes(translated, original, day, policy),
        "page_notes": page_notes(translated, original, day),
        "document_lang": PartNote("original", "", original, text_direction(original)) if in_original else None,
    }
