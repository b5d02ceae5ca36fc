"""Page Markdown of the version history: list, archived texts, change pages and the draft.

Pages (MkDocs source paths; the site uses directory URLs)::

    versions/index.md            every version, newest first
    versions/DATE.md             the full text of one version, marked as archived
    changes/DATE.md              what DATE changed compared with the version before
    changes/since/DATE.md        everything that changed from DATE to the current version
    changes/since/REVISION.md    the same from the newest release with that consent revision (the banner's
                                 "what changed" link, keyed by the revision a visitor chose under)
    draft.md                     the unreleased draft and its changes (only with drafts on)

The *current* version is the release in effect on the build date (``History.in_effect()``);
releases dated later are *upcoming*: listed, readable and announced, but marked as not yet in
effect. An announcement withdrawn before it took effect keeps its listing, its text page and its change
page, each saying when it was announced, when it was withdrawn and why; no other page links to it as a
neighbour, and the release after it is compared with the one in effect before it.

Everything from YAML is escaped; links inside raw HTML are relative to the page's URL.
"""

from __future__ import annotations

from dataclasses import replace

from ..history.classes import release_classes
from ..history.diff import PolicyDiff, diff_policies
from ..history.diff_cache import DiffCache
from ..history.releases import History, Release
from ..source.model import Policy
from .inputs import SiteInputs
from .policy_page import (
    SEARCH_ARCHIVE,
    SEARCH_EXCLUDE,
    body_context,
    format_date,
    meta_html,
    page_markdown,
    policy_title,
)
from .redline import Href, diff_html
from .strings import language_name, text
from .subprocessors import subprocessor_log, subprocessors_page
from .templating import Markup, render
from .translation_notes import shown_text
from .urls import DRAFT_PAGE, SUBPROCESSORS_PAGE, VERSIONS_PAGE, changes_path, relative_url, text_path

__all__ = ["current_meta_links", "history_pages", "page_url", "release_diffs", "revision_keys", "since_diffs"]

_Nav = list[tuple[str, str, str]]


def _archive_search(inputs: SiteInputs) -> str:
    """Archived versions and change pages: out of the site search, unless ``search_archive`` puts them back."""
    return SEARCH_ARCHIVE if inputs.options.search_archive else SEARCH_EXCLUDE


def page_url(source_path: str) -> str:
    """The URL (relative to the site root) of a page source path: ``versions/index.md`` → ``versions/``."""
    stem = source_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def _anchors(here: str, target: str) -> Href:
    return lambda section_id: relative_url(here, target) + "#" + section_id


def current_meta_links(inputs: SiteInputs, here: str = "") -> Markup:
    """Links for the current policy's meta line: what changed in it, every version, and the next version.

    The next version is the earliest upcoming release; its link reads "An updated version takes
    effect on DATE" and leads to its change page.
    """
    history = inputs.history
    if history.newest is None:
        return Markup("")
    upcoming = history.upcoming()
    return render(
        "history/meta_links.html", here=here, current=history.in_effect(), upcoming=upcoming[0] if upcoming else None
    )


def _versions_index(inputs: SiteInputs) -> str:
    history = inputs.history
    current = history.in_effect()
    rows = [
        (
            rel,
            "withdrawn"
            if rel.withdrawn is not None
            else "upcoming"
            if history.is_upcoming(rel)
            else "current"
            if rel is current
            else "archived",
        )
        for rel in reversed(history.record())
    ]
    flags = {rel.date: release_classes(rel, inputs.changes.get(rel.date)).flags for rel in history.record()}
    days_left = {rel.date: (rel.effective - history.today).days for rel in history.upcoming()}
    return page_markdown(
        "history/versions.md",
        text("version_history"),
        rows=rows,
        flags=flags,
        days_left=days_left,
        subprocessors=bool(subprocessor_log(inputs)),
    )


def _archived(inputs: SiteInputs, rel: Release) -> str:
    history = inputs.history
    before, after = history.neighbours(rel)
    shown = shown_text(inputs, rel)
    policy = shown["policy"]
    if history.is_upcoming(rel):
        state = "upcoming"
    elif after is None or history.is_upcoming(after):
        state = "current"
    else:
        state = "archived"
    nav: _Nav = []
    if before is not None:
        nav.append(("prev", text_path(before.date), text("nav_previous_version", date=format_date(before.effective))))
    nav.append(("changes", changes_path(rel.date), text("nav_what_changed")))
    nav.append(("all", "versions/", text("nav_all_versions")))
    if after is not None:
        nav.append(("next", text_path(after.date), text("nav_next_version", date=format_date(after.effective))))
    which = "title_upcoming_version" if state == "upcoming" else "title_version"
    title = text(which, title=policy_title(policy), date=format_date(rel.effective))
    return page_markdown(
        "history/archived.md",
        title,
        search=_archive_search(inputs),
        here=page_url(f"versions/{rel.date}.md"),
        rel=rel,
        after=after,
        state=state,
        nav_items=nav,
        **body_context(
            policy,
            meta_html=meta_html(policy),
            notes=shown["notes"],
            page_notes=shown["page_notes"],
            document_lang=shown["document_lang"],
        ),
    )


def _withdrawn_pages(inputs: SiteInputs, rel: Release) -> dict[str, str]:
    """The text page and the change page of a withdrawn announcement: when it was announced, withdrawn, why."""
    before = rel.previous
    text_here, here = page_url(f"versions/{rel.date}.md"), page_url(f"changes/{rel.date}.md")
    shown = shown_text(inputs, rel)
    nav: _Nav = [("all", "versions/", text("nav_all_versions"))]
    title = text("title_withdrawn_version", title=policy_title(shown["policy"]), date=format_date(rel.effective))
    text_page = page_markdown(
        "history/archived.md",
        title,
        search=_archive_search(inputs),
        here=text_here,
        rel=rel,
        after=None,
        state="withdrawn",
        nav_items=[("changes", changes_path(rel.date), text("nav_what_changed")), *nav],
        **body_context(
            shown["policy"],
            meta_html=meta_html(shown["policy"]),
            notes=shown["notes"],
            page_notes=shown["page_notes"],
            document_lang=shown["document_lang"],
        ),
    )
    diff = _release_redline(inputs, here, rel, before)
    change_page = page_markdown(
        "history/change.md",
        text("title_withdrawn_changes", date=format_date(rel.effective)),
        search=_archive_search(inputs),
        here=here,
        rel=rel,
        before=before,
        upcoming=False,
        nav_items=[("text", text_path(rel.date), text("nav_read_version")), *nav],
        diff=_in_original(inputs, diff),
        flags=release_classes(rel, inputs.changes.get(rel.date)).flags,
        days_left=None,
    )
    return {f"versions/{rel.date}.md": text_page, f"changes/{rel.date}.md": change_page}


def _redline(inputs: SiteInputs, d: PolicyDiff, new_href: Href, old_href: Href) -> Markup:
    """The redline of ``d``: the original's changes (its words marked with its language on a translated page),
    told in the page's language."""
    return diff_html(d, new_href=new_href, old_href=old_href)


def _release_redline(inputs: SiteInputs, here: str, rel: Release, before: Release | None) -> Markup | str:
    """What ``rel`` changed compared with ``before`` (nothing for the first release), for its change page."""
    if before is None:
        return ""
    old, new = _anchors(here, text_path(before.date)), _anchors(here, text_path(rel.date))
    return _redline(inputs, inputs.changes[rel.date], new, old)


def _in_original(inputs: SiteInputs, diff: Markup | str) -> Markup | str:
    """A diff on a translated page, with a note that the changes are the original's, which prevails."""
    if not inputs.lang or not diff:
        return diff
    note = text("diff_in_original", language=language_name(inputs.options.language))
    return render("history/in_original.html", diff=diff, note=note)


def _change_page(inputs: SiteInputs, rel: Release) -> str:
    here = page_url(f"changes/{rel.date}.md")
    before, after = inputs.history.neighbours(rel)
    upcoming = inputs.history.is_upcoming(rel)
    title = text("title_changes_on" if upcoming else "title_changed_on", date=format_date(rel.effective))
    nav: _Nav = []
    if before is not None:
        prev = text("nav_previous_changes", date=format_date(before.effective))
        nav.append(("prev", changes_path(before.date), prev))
    nav.append(("text", text_path(rel.date), text("nav_read_version")))
    nav.append(("all", "versions/", text("nav_all_versions")))
    if after is not None:
        nav.append(("next", changes_path(after.date), text("nav_next_changes", date=format_date(after.effective))))
    diff = _release_redline(inputs, here, rel, before)
    flags = release_classes(rel, inputs.changes.get(rel.date)).flags
    return page_markdown(
        "history/change.md",
        title,
        search=_archive_search(inputs),
        here=here,
        rel=rel,
        before=before,
        upcoming=upcoming,
        nav_items=nav,
        diff=_in_original(inputs, diff),
        flags=flags,
        days_left=(rel.effective - inputs.history.today).days if upcoming else None,
    )


def _since_page(inputs: SiteInputs, rel: Release, current: Release | None, source: str = "") -> str:
    here = page_url(source or f"changes/since/{rel.date}.md")
    title = text("title_since", date=format_date(rel.effective))
    history = inputs.history
    upcoming = history.upcoming()
    diff: Markup | str = ""
    steps: list[Release] = []
    if history.is_upcoming(rel) or current is None:
        state = "upcoming"
    elif rel is current:
        state = "current"
    else:
        state = "older"
        d = (
            inputs.since[rel.date]
            if rel.date in inputs.since
            else diff_policies(rel.policy, current.policy, old_label=rel.date, new_label=current.date)
        )
        steps = [r for r in history if rel.effective < r.effective <= current.effective]
        diff = _redline(inputs, d, _anchors(here, ""), _anchors(here, text_path(rel.date)))
    nxt = upcoming[0] if upcoming and not history.is_upcoming(rel) else None
    return page_markdown(
        "history/since.md",
        title,
        search=_archive_search(inputs),
        here=here,
        rel=rel,
        current=current,
        state=state,
        steps=steps,
        diff=_in_original(inputs, diff),
        next=nxt,
    )


def _draft_page(inputs: SiteInputs, draft: Policy) -> str:
    here = "draft/"
    newest = inputs.history.newest
    diff: Markup | str = ""
    if newest is not None:
        d = diff_policies(newest.policy, draft, old_label=newest.date, new_label="draft")
        if not d.is_empty:
            heading = text("draft_changes")
            diff = diff_html(d, new_href=lambda sid: "#" + sid, old_href=_anchors(here, ""), heading=heading)
    return page_markdown(
        "history/draft.md",
        text("draft_page_title", title=policy_title(draft)),
        search=SEARCH_EXCLUDE,
        here=here,
        newest=newest,
        newest_upcoming=newest is not None and inputs.history.is_upcoming(newest),
        diff=diff,
        **body_context(draft, heading_level=3),
    )


def release_diffs(history: History, cache: DiffCache | None = None) -> dict[str, PolicyDiff]:
    """What each release changed compared with the one before (the first release has no entry)."""
    cache = cache or DiffCache(None)
    out: dict[str, PolicyDiff] = {}
    for rel in history:
        before, _ = history.neighbours(rel)
        if before is not None:
            out[rel.date] = _kept(cache.diff(before, rel, republished=rel.republished), rel)
    for rel in history.withdrawn:  # what it would have changed: compared with the release in effect before it
        if rel.previous is not None:
            out[rel.date] = _kept(cache.diff(rel.previous, rel, republished=rel.republished), rel)
    return out


def _kept(d: PolicyDiff, rel: Release) -> PolicyDiff:
    """``d`` with the consent revision ``rel`` keeps when its consent change was released as editorial (nobody
    is asked again, so no page or feed says so)."""
    return replace(d, new_revision=d.old_revision) if rel.reclassified is not None else d


def since_diffs(history: History, cache: DiffCache | None = None) -> dict[str, PolicyDiff]:
    """What changed from each earlier release to the one in effect (the "changes since" pages)."""
    cache = cache or DiffCache(None)
    current = history.in_effect()
    if current is None:
        return {}
    return {rel.date: cache.diff(rel, current) for rel in history if rel.effective < current.effective}


def revision_keys(history: History) -> dict[str, Release]:
    """Each consent revision of the history with the newest release that has it: the banner's "what changed"
    link names the revision a visitor chose under (``changes/since/REVISION/``), and that page shows what
    changed since the last version with it (docs/embedding.md, the banner's identity)."""
    return {rel.consent_revision: rel for rel in history.releases}


def history_pages(inputs: SiteInputs) -> dict[str, str]:
    """Every history page (and the draft page when drafts are on), keyed by source path."""
    pages: dict[str, str] = {}
    if inputs.history.record():
        current = inputs.history.in_effect()
        pages[VERSIONS_PAGE] = _versions_index(inputs)
        if subprocessor_log(inputs):  # a document that never named a recipient has no sub-processor record
            pages[SUBPROCESSORS_PAGE] = subprocessors_page(inputs)
        for rel in inputs.history:
            pages[f"versions/{rel.date}.md"] = _archived(inputs, rel)
            pages[f"changes/{rel.date}.md"] = _change_page(inputs, rel)
            pages[f"changes/since/{rel.date}.md"] = _since_page(inputs, rel, current)
        for revision, rel in revision_keys(inputs.history).items():
            source = f"changes/since/{revision}.md"
            pages[source] = _since_page(inputs, rel, current, source)
        for rel in inputs.history.withdrawn:
            pages.update(_withdrawn_pages(inputs, rel))
    if inputs.draft is not None:
        pages[DRAFT_PAGE] = _draft_page(inputs, inputs.draft)
    return pages
