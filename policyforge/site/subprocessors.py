"""The sub-processor record: ``/subprocessors/`` and its own feeds, ``subprocessors/feed.xml`` (Atom 1.0) and
``subprocessors/feed.json`` (JSON Feed 1.1).

Business customers subscribe to exactly this: every recipient of personal data added or removed, with its
country, its safeguard and the day the change takes effect. The first release lists the recipients it starts
with as added; each later release its changes (:func:`~policyforge.history.classes.subprocessor_changes`, from
the diffs the build made once). A withdrawn announcement never took effect and is not listed. Entries are
dated by the day their release was published; an entry's id is the page's URL with a fragment naming the
release, the change and the recipient, which never changes once published. Words: the site's strings.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..history.classes import subprocessor_changes
from ..history.fact_diff import FactChange
from ..history.releases import Release
from ..source.facts import Recipient, is_third_country
from .fact_words import FactWords
from .feeds import ATOM_NS, JSON_FEED_VERSION, clean_xml, require_site_url, timestamp
from .inputs import SiteInputs
from .policy_page import SEARCH_EXCLUDE, format_date, page_markdown, policy_title
from .strings import text
from .urls import SUBPROCESSORS_PATH

__all__ = ["SubprocessorChange", "atom_and_json", "subprocessor_log", "subprocessors_page", "write_subprocessor_feeds"]


@dataclass(frozen=True)
class SubprocessorChange:
    """One recipient added or removed by a release."""

    rel: Release
    change: FactChange

    @property
    def recipient(self) -> Recipient:
        model = self.change.new if self.change.kind == "added" else self.change.old
        assert isinstance(model, Recipient)
        return model

    @property
    def key(self) -> str:
        """The entry's fragment: ``DATE-added-ID``."""
        return f"{self.rel.date}-{self.change.kind}-{self.change.name}"


def _initial(rel: Release) -> list[FactChange]:
    home = rel.policy.controller.jurisdictions
    return [
        FactChange("added", "recipient", r.id, r.name, new=r, transfer=is_third_country(r.country, home))
        for r in rel.policy.recipients
    ]


def subprocessor_log(inputs: SiteInputs) -> list[SubprocessorChange]:
    """Every recipient added or removed, newest release first (withdrawn announcements left out)."""
    out: list[SubprocessorChange] = []
    for rel in reversed(inputs.history.releases):
        found = _initial(rel) if rel.previous is None else subprocessor_changes(inputs.changes.get(rel.date))
        out += [SubprocessorChange(rel, c) for c in found]
    return out


def subprocessors_page(inputs: SiteInputs) -> str:
    """The page listing the log, newest first, with links to its feeds."""
    words = FactWords()
    rows = [
        (
            entry,
            words.country(entry.recipient.country),
            words.safeguard(entry.recipient.safeguard),
            inputs.history.is_upcoming(entry.rel),
        )
        for entry in subprocessor_log(inputs)
    ]
    return page_markdown(
        "history/subprocessors.md",
        text("subprocessors_title"),
        search=SEARCH_EXCLUDE,
        here=SUBPROCESSORS_PATH,
        rows=rows,
    )


def _entry(inputs: SiteInputs, entry: SubprocessorChange) -> tuple[str, str, str]:
    """Id, title and text of a feed entry, in the original's language."""
    lang = inputs.options.language
    words = FactWords(lang, html=False)
    url = inputs.options.url(SUBPROCESSORS_PATH) + "#" + entry.key
    day = format_date(entry.rel.effective, lang)
    title = f"{day}: {words.fact(entry.change)}"
    body = f"{words.fact(entry.change)}. {text('subprocessor_effective', lang, date=day)} {entry.rel.summary}"
    return url, title, body


def _atom(inputs: SiteInputs, log: list[SubprocessorChange]) -> str:
    opts = inputs.options
    self_url = opts.url(SUBPROCESSORS_PATH + "feed.xml")

    def sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, tag, {k: clean_xml(v) for k, v in attrs.items()})
        if value is not None:
            el.text = clean_xml(value)
        return el

    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": opts.language})
    sub(feed, "id", self_url)
    sub(feed, "title", _title(inputs))
    newest = max((e.rel.published_on for e in log), default=inputs.current.updated or inputs.current.effective)
    sub(feed, "updated", timestamp(newest) if newest else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=opts.url(SUBPROCESSORS_PATH))
    sub(sub(feed, "author"), "name", inputs.current.controller.name)
    for entry in log:
        url, title, body = _entry(inputs, entry)
        item = sub(feed, "entry")
        sub(item, "id", url)
        sub(item, "title", title)
        sub(item, "published", timestamp(entry.rel.published_on))
        sub(item, "updated", timestamp(entry.rel.published_on))
        sub(item, "link", rel="alternate", type="text/html", href=url)
        sub(item, "summary", body, type="text")
        sub(item, "category", term=entry.change.kind)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _title(inputs: SiteInputs) -> str:
    return f"{policy_title(inputs.current)}: {text('subprocessors_title', inputs.options.language)}"


def _json(inputs: SiteInputs, log: list[SubprocessorChange]) -> dict[str, Any]:
    items = []
    for entry in log:
        url, title, body = _entry(inputs, entry)
        r = entry.recipient
        facts = {"name": r.name, "role": r.role, "country": r.country, "safeguard": r.safeguard}
        items.append(
            {
                "id": url,
                "url": url,
                "title": title,
                "content_text": body,
                "date_published": timestamp(entry.rel.published_on),
                "tags": [entry.change.kind],
                "_policyforge": {
                    "change": entry.change.kind,
                    "recipient": {"id": entry.change.name, **facts},
                    "transfer": entry.change.transfer,
                    "effective": entry.rel.date,
                    "upcoming": inputs.history.is_upcoming(entry.rel),
                },
            }
        )
    return {
        "version": JSON_FEED_VERSION,
        "title": _title(inputs),
        "home_page_url": inputs.options.url(SUBPROCESSORS_PATH),
        "feed_url": inputs.options.url(SUBPROCESSORS_PATH + "feed.json"),
        "language": inputs.options.language,
        "items": items,
    }


def atom_and_json(inputs: SiteInputs) -> tuple[str, dict[str, Any]]:
    """Both sub-processor feeds of one document."""
    require_site_url(inputs.options)
    log = subprocessor_log(inputs)
    return _atom(inputs, log), _json(inputs, log)


def write_subprocessor_feeds(inputs: SiteInputs, out_dir: Path) -> None:
    """Write ``subprocessors/feed.xml`` and ``feed.json`` of every document whose releases named a recipient."""
    for doc in inputs.all_documents:
        if not subprocessor_log(doc):  # a document that never named a recipient has none
            continue
        folder = out_dir / doc.options.prefix / SUBPROCESSORS_PATH
        folder.mkdir(parents=True, exist_ok=True)
        atom, data = atom_and_json(doc)
        (folder / "feed.xml").write_text(atom, encoding="utf-8", newline="")
        (folder / "feed.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline=""
        )
