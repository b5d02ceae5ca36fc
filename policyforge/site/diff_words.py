"""What a reader is told about a diff, in the page's language: the summary, the notes on each section, the
cookie, consent and document changes, the links whose target changed.

:mod:`policyforge.history.diff` gives data (counts, kinds of change, codes, the values before and after);
every word around that data comes from the strings per language (:mod:`.strings`). :class:`Words` writes
HTML for the pages, where each value taken from the policy is marked with the original's language on a
translated page (``macros.html``: ``original``), or plain text for the terminal (the CLI's English).
"""

from __future__ import annotations

from typing import Any

from babel.units import format_unit

from ..history.body_diff import LinkChange
from ..history.diff import KINDS, PolicyDiff, SectionChange
from ..history.diff_items import CookieFacts, ItemChange
from ..history.diff_items import Subject as _Subject
from ..source.model import record_cookie_names
from .fact_words import FactWords, macro

__all__ = ["PARTS", "Words"]

# The parts of a policy outside its numbered sections, named by the strings (their ids start with @)
PARTS = {"@preamble": "part_preamble", "@quick-reference": "quick_reference", "@closing": "part_closing"}
_SUBJECTS: dict[_Subject, str] = {
    "consent": "item_consent",
    "lifetime": "item_lifetime",
    "record_cookie": "item_record_cookie",
    "category": "item_category",
    "cookie": "cookie",
    "service": "service",
    "title": "item_title",
    "product": "item_product",
    "controller": "item_controller",
    "email": "item_email",
    "link_base": "item_link_base",
}
_TAGS = {
    "added": "tag_added",
    "removed": "tag_removed",
    "moved": "tag_moved",
    "renamed": "tag_renamed",
    "changed": "tag_changed",
}
_COUNTS = {
    "added": "sum_added",
    "removed": "sum_removed",
    "moved": "sum_moved",
    "renamed": "sum_renamed",
    "changed": "sum_changed",
}
_FIELDS = {
    "title": "item_title",
    "product": "item_product",
    "description": "item_description",
    "required": "item_required",
    "gcm": "item_gcm",
}
_NOTES = {
    "lists_categories": "note_lists_categories",
    "unlists_categories": "note_unlists_categories",
    "categories_changed": "note_categories_changed",
    "shows_facts": "note_shows_facts",
    "unshows_facts": "note_unshows_facts",
}


class Words(FactWords):
    """The sentences about diffs in one language: ``html`` for a page (the current page language; values from
    the policy marked with the original's language when a translated page shows them), else plain text in
    ``lang`` (the terminal)."""

    def summary(self, d: PolicyDiff) -> str:
        """One line: how many sections changed in each way, link targets, consent and document changes, words."""
        if d.is_empty:
            return self.t("diff_republished" if d.republished else "diff_none")
        counts = [self.t(_COUNTS[kind], n=n) for kind in KINDS if (n := d.counts.get(kind, 0))]
        counts += [self.t(key, n=n) for key, n in _extra_counts(d) if n]
        counts.append(self.t("sum_words", added=d.words_added, removed=d.words_removed))
        if d.consent_relevant:
            counts.append(self.t("consent_relevant"))
        return self._join(counts, " · ")

    def field_change(self, field: str, old: str, new: str) -> str:
        """``Title: Usage → Usage data``: a field of a part whose text changed."""
        return self._join([self.t(_FIELDS[field]), self._join([self.value(old), self.value(new)], " → ")], ": ")

    def tag(self, kind: str) -> str:
        """The name of a kind of change: ``Added``, ``Moved``..."""
        return self.t(_TAGS[kind])

    def section_label(self, section_id: str, number: str, title: str) -> str:
        """``3. Data we collect`` (the title the original's), or the name of a part outside the sections."""
        if section_id in PARTS:
            return self.t(PARTS[section_id])
        shown = self.value(title)
        return self._join([number, shown], " ") if number else shown

    def notes(self, c: SectionChange) -> list[str]:
        """What happened to a section besides its words: renamed, relinked, moved, added, removed, its consent
        categories."""
        out: list[str] = []
        if c.renamed and c.old is not None and c.new is not None and c.old.title != c.new.title:
            out.append(self.t("note_renamed", old=self._mark("delete", c.old.title), new=self._mark("insert", c.title)))
        if c.old_id is not None:
            out.append(self.t("note_id", old=self._code("#" + c.old_id), new=self._code("#" + c.id)))
        if c.moved and c.old is not None and c.new is not None:
            out.append(self.t("note_moved", old=c.old.number.rstrip("."), new=c.new.number.rstrip(".")))
        if c.added:
            out.append(self.t("note_new"))
        if c.removed:
            out.append(self.t("note_removed"))
        if c.note:
            out.append(self.t(_NOTES[c.note]))
        return out

    def links(self, c: SectionChange) -> list[str]:
        """The section's links whose target changed, became a link or stopped being one."""
        return [self.link(link) for link in c.links]

    def link(self, link: LinkChange) -> str:
        """``Link target changed: /a.pdf → /b.pdf`` (added, removed: with the link's text)."""
        if link.old is None:
            return self.t("link_added", text=self.value(link.text), new=link.new)
        if link.new is None:
            return self.t("link_removed", text=self.value(link.text), old=link.old)
        return self.t("link_changed", old=link.old, new=link.new)

    def item(self, i: ItemChange) -> str:
        """A change outside the sections: ``Cookie _ga: Analytics; Google; ...``."""
        label = self.t(_SUBJECTS[i.subject])
        if i.record:  # as the policy page names it: `__Host-pf_consent` (https), `pf_consent` (http)
            names = [
                self._join([self._code(n), "(" + self._code(scheme) + ")"], " ")
                for n, scheme in record_cookie_names(i.name)
            ]
            label = self._join([label, self._join(names, ", ")], " ")
        elif i.subject in ("category", "cookie", "record_cookie", "service"):
            label = self._join([label, self.value(i.name)], " ")
        detail = self._detail(i)
        return self._join([label, detail], ": ") if detail else label

    def _detail(self, i: ItemChange) -> str:
        if i.subject == "consent":
            return self.t("item_categories_count", n=i.new if i.old is None else i.old)
        if i.subject == "category" and i.kind != "changed":
            title = self.value(i.new if i.old is None else i.old)
            kind = self.t("essential" if i.required else "optional")
            out = self._join([title, self._join(["(", kind, ")"], "")], " ")
            gcm = self._join([self.t("item_gcm"), self._gcm(i.gcm)], ": ") if i.gcm else ""
            return self._join([out, gcm], "; ") if gcm else out
        if i.kind != "changed":
            return self._shown(i, i.new if i.old is None else i.old)
        change = self._join([self._shown(i, i.old), self._shown(i, i.new)], " → ")
        return self._join([self.t(_FIELDS[i.field]), change], ": ") if i.field else change

    def _shown(self, i: ItemChange, value: Any) -> str:
        """One value of a change as a reader sees it."""
        if isinstance(value, CookieFacts):
            return self._join([self.value(v) for v in vars(value).values()], "; ")
        if i.subject == "lifetime":
            return str(format_unit(value, "duration-day", locale=self._locale()))
        if i.field == "required":
            return self.t("essential" if value else "optional")
        if i.field == "gcm":
            return self._gcm(value)
        if i.subject == "link_base" and not value:
            return self.t("none")
        return self.value(value)

    def _gcm(self, signals: tuple[str, ...]) -> str:
        """Google Consent Mode signal names (identifiers, as code), or "none"."""
        return self._join([self._code(s) for s in signals], ", ") if signals else self.t("none")

    def _mark(self, kind: str, title: str) -> str:
        if not self.html:
            return title
        return macro("inserted" if kind == "insert" else "deleted", self.value(title))

    def _code(self, value: str) -> str:
        if not self.html:
            return value
        return macro("code", value)


def _extra_counts(d: PolicyDiff) -> tuple[tuple[str, int], ...]:
    return (
        ("sum_links", len(d.links)),
        ("sum_consent", len(d.consent)),
        ("sum_document", len(d.document)),
        ("sum_facts", len(d.facts)),
    )
