"""Feeds of the version history: ``/feed.xml`` (Atom 1.0) and ``/feed.json`` (JSON Feed 1.1).

Each document of a several-document site has its own pair (``/terms/feed.xml``), and
``/feeds/all.xml`` and ``/feeds/all.json`` carry every document's releases, titled with the document.

One entry per release, newest first, including upcoming releases (a feed is how readers get
advance notice): those are titled "Upcoming version, takes effect on DATE", tagged ``upcoming``
and carry the effective date. Entries are dated by the day the release was published (the
effective date is in the title and in ``_policyforge.effective``). An announcement withdrawn before it
took effect keeps its entry, retitled "Withdrawn: ...", its text starting with the day and the reason,
tagged ``withdrawn`` and updated on the day of the withdrawal. An entry's id is the
absolute URL of its change page, which never changes once published. The draft is never in
a feed. Feed readers need absolute links, so a project with releases must set ``site_url``
(:func:`require_site_url`, also used by the site build). The feeds' entries are in the original's language, their
own words from the site's strings (:mod:`.strings`, :mod:`.diff_words`); a translated site's feeds are titled in
its language (their title and subtitle marked with it), as the autodiscovery links on its pages are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..history.classes import Classes, release_classes
from ..history.releases import Release
from ..source.options import ProjectOptions
from .diff_words import Words
from .inputs import SiteInputs
from .policy_page import format_date, policy_title
from .strings import text
from .urls import changes_path

__all__ = [
    "ALL_FEEDS",
    "ATOM_NS",
    "JSON_FEED_VERSION",
    "atom_feed",
    "clean_xml",
    "entry_text",
    "json_feed",
    "require_site_url",
    "timestamp",
    "write_feeds",
]

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ALL_FEEDS = "feeds/"  # the combined feeds of a several-document site: feeds/all.xml, feeds/all.json
_KIND_LABELS = {"material": "kind_material", "editorial": "kind_editorial"}  # the consent flag: consent-relevant
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_xml(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def require_site_url(options: ProjectOptions) -> str:
    """The project's ``site_url``; :class:`BuildError` when it is unset (the feeds need absolute links)."""
    if not options.site_url:
        raise BuildError(
            "the version history's Atom and JSON feeds need absolute links: set site_url in "
            "mkdocs.yml (e.g. `site_url: https://privacy.example.com/`)"
        )
    return options.site_url


def feed_title(inputs: SiteInputs) -> str:
    """Title of both feeds (also used by the pages' autodiscovery links)."""
    return f"{policy_title(inputs.current)}: {text('version_history', inputs.page_lang)}"


def _upcoming(inputs: SiteInputs, rel: Release) -> bool:
    return rel.withdrawn is None and inputs.history.is_upcoming(rel)


def _modified(rel: Release) -> dt.date:
    """The day a feed entry last changed: its publication, or its withdrawal."""
    return rel.withdrawn.on if rel.withdrawn is not None else rel.published_on


def _entry_title(inputs: SiteInputs, rel: Release) -> str:
    lang = inputs.options.language
    day = format_date(rel.effective, lang)
    which = "feed_withdrawn" if rel.withdrawn else "feed_upcoming" if _upcoming(inputs, rel) else "feed_version"
    title = text(which, lang, date=day)
    return f"{title} · {text('republished', lang)}" if rel.republished else title


def entry_text(inputs: SiteInputs, rel: Release) -> str:
    """The release summary followed by its structural summary (what changed, in numbers).

    An upcoming release's text starts with the date it takes effect; a withdrawn one's with the day it was
    withdrawn and why.
    """
    lang = inputs.options.language
    d = inputs.changes.get(rel.date)
    structure = Words(lang, html=False).summary(d) if d is not None else text("feed_first", lang)
    relevant = f" {text('consent_relevant_text', lang)}" if rel.consent_relevant else ""
    kinds = _classes(inputs, rel)
    relevant += f" {text('material_text', lang)}" if "material" in kinds.flags else ""
    if rel.reclassified is not None:
        relevant += f" {text('reclassified_text', lang)} {rel.reclassified.reason}"
    if rel.notice_waived:
        relevant += f" {text('notice_waived_text', lang)} {rel.notice_waived}"
    notice = (
        f"{text('takes_effect_on', lang, date=format_date(rel.effective, lang))}. " if _upcoming(inputs, rel) else ""
    )
    if rel.withdrawn is not None:
        day = format_date(rel.withdrawn.on, lang)
        notice = f"{text('feed_withdrawn_text', lang, date=day, reason=rel.withdrawn.reason)} "
    return f"{notice}{rel.summary} {structure}.{relevant}"


def _classes(inputs: SiteInputs, rel: Release) -> Classes:
    """The release's kinds of change (history/classes.py), from the diff the build made once."""
    return release_classes(rel, inputs.changes.get(rel.date))


def _releases(inputs: SiteInputs) -> list[Release]:
    return list(reversed(inputs.history.record()))


def _updated(inputs: SiteInputs) -> dt.date:
    if inputs.history.record():  # the feed changed when its latest entry was published or withdrawn
        return max(_modified(r) for r in inputs.history.record())
    return inputs.current.updated or inputs.current.effective or dt.date(1970, 1, 1)


def _entries(inputs: SiteInputs, combined: bool) -> list[tuple[SiteInputs, Release]]:
    """(document, release) pairs, newest first: this document's, or every document's when ``combined``."""
    if not combined:
        return [(inputs, rel) for rel in _releases(inputs)]
    pairs = [(doc, rel) for doc in inputs.all_documents for rel in doc.history.record()]
    return sorted(pairs, key=lambda p: (p[1].published_on, p[1].date), reverse=True)


def _titled(doc: SiteInputs, rel: Release, combined: bool) -> str:
    title = _entry_title(doc, rel)
    return f"{policy_title(doc.current)}: {title}" if combined else title


def _feed_facts(inputs: SiteInputs, combined: bool, name: str) -> tuple[str, str, str, dt.date]:
    """Title, own URL, subtitle and last update of a feed (``name``: its file name)."""
    if not combined:
        return (
            feed_title(inputs),
            inputs.options.url(name),
            text("feed_subtitle", inputs.page_lang),
            _updated(inputs),
        )
    titles = ", ".join(policy_title(doc.current) for doc in inputs.all_documents)
    return (
        f"{titles}: {text('version_history', inputs.page_lang)}",
        inputs.options.url(ALL_FEEDS + name.replace("feed", "all")),
        text("feed_subtitle_all", inputs.page_lang),
        max(_updated(doc) for doc in inputs.all_documents),
    )


def atom_feed(inputs: SiteInputs, *, combined: bool = False) -> str:
    """The Atom 1.0 document: this document's releases, or every document's when ``combined``."""
    require_site_url(inputs.options)
    opts = inputs.options
    title, self_url, subtitle, updated = _feed_facts(inputs, combined, "feed.xml")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, tag, {k: clean_xml(v) for k, v in attrs.items()})
        if text is not None:
            el.text = clean_xml(text)
        return el

    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": opts.language})  # entries: the original's summaries
    sub(feed, "id", self_url)
    own = {"xml:lang": inputs.page_lang} if inputs.page_lang != opts.language else {}  # a translated site's words
    sub(feed, "title", title, **own)
    sub(feed, "subtitle", subtitle, **own)
    sub(feed, "updated", timestamp(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=opts.url("versions/"))
    author = sub(feed, "author")
    sub(author, "name", inputs.current.controller.name)
    sub(author, "email", inputs.current.controller.email)
    for doc, rel in _entries(inputs, combined):
        entry = sub(feed, "entry")
        url = doc.options.url(changes_path(rel.date))
        sub(entry, "id", url)
        sub(entry, "title", _titled(doc, rel, combined))
        sub(entry, "published", timestamp(rel.published_on))
        sub(entry, "updated", timestamp(_modified(rel)))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "summary", entry_text(doc, rel), type="text")
        if _upcoming(doc, rel):
            day = format_date(rel.effective, opts.language)
            sub(entry, "category", term="upcoming", label=text("takes_effect_on", opts.language, date=day))
        if rel.consent_relevant:
            sub(entry, "category", term="consent-relevant", label=text("consent_relevant", opts.language))
        for flag in _classes(doc, rel).flags:
            if flag in _KIND_LABELS:  # the consent flag is the consent-relevant category above
                sub(entry, "category", term=flag, label=text(_KIND_LABELS[flag], opts.language))
        if rel.republished:
            sub(entry, "category", term="republished", label=text("republished", opts.language))
        if rel.withdrawn is not None:
            sub(entry, "category", term="withdrawn", label=text("withdrawn_badge", opts.language))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _kinds_data(inputs: SiteInputs, rel: Release) -> dict[str, Any]:
    """A JSON Feed item's kinds of change, and the reasons the editor published with them."""
    out: dict[str, Any] = {"kinds": list(_classes(inputs, rel).flags)}
    if rel.reclassified is not None:
        out["reclassified"] = {"as": "editorial", "reason": rel.reclassified.reason}
    if rel.notice_waived:
        out["notice_waived"] = rel.notice_waived
    return out


def json_feed(inputs: SiteInputs, *, combined: bool = False) -> dict[str, Any]:
    """The JSON Feed 1.1 object: this document's releases, or every document's when ``combined``."""
    require_site_url(inputs.options)
    opts = inputs.options
    title, self_url, subtitle, _ = _feed_facts(inputs, combined, "feed.json")
    items: list[dict[str, Any]] = []
    for doc, rel in _entries(inputs, combined):
        url = doc.options.url(changes_path(rel.date))
        item: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": _titled(doc, rel, combined),
            "summary": rel.summary,
            "content_text": entry_text(doc, rel),
            "date_published": timestamp(rel.published_on),
            "date_modified": timestamp(_modified(rel)),
            "_policyforge": {
                "effective": rel.date,
                "upcoming": _upcoming(doc, rel),
                **({"withdrawn": rel.withdrawn.as_data()} if rel.withdrawn is not None else {}),
                **_kinds_data(doc, rel),
                **({"document": doc.options.document} if combined else {}),
            },
        }
        tags = [
            tag
            for tag, on in (
                ("upcoming", _upcoming(doc, rel)),
                ("consent-relevant", rel.consent_relevant),
                ("republished", rel.republished),
                ("withdrawn", rel.withdrawn is not None),
            )
            if on
        ] + [flag for flag in _classes(doc, rel).flags if flag != "consent"]
        if tags:
            item["tags"] = tags
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": opts.url("versions/"),
        "feed_url": self_url,
        "description": subtitle,
        "language": opts.language,
        "authors": [{"name": inputs.current.controller.name}],
        "items": items,
    }


def write_feeds(inputs: SiteInputs, out_dir: Path) -> None:
    """Write both feeds of every document (``ID/feed.xml``), and ``feeds/all.*`` when there are several.

    A project without releases and without site_url gets none.
    """
    for doc in inputs.all_documents:
        if not doc.options.site_url and not doc.history.record():
            continue
        folder = out_dir / doc.options.prefix
        folder.mkdir(parents=True, exist_ok=True)
        _write_pair(folder / "feed.xml", atom_feed(doc), folder / "feed.json", json_feed(doc))
    if inputs.documents and any(doc.history.record() for doc in inputs.all_documents):
        folder = out_dir / ALL_FEEDS
        folder.mkdir(exist_ok=True)
        _write_pair(
            folder / "all.xml", atom_feed(inputs, combined=True), folder / "all.json", json_feed(inputs, combined=True)
        )


def _write_pair(atom_path: Path, atom: str, json_path: Path, data: dict[str, Any]) -> None:
    atom_path.write_text(atom, encoding="utf-8", newline="")
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="")
