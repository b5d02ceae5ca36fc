"""Page Markdown of the version history: list, archived texts, change pages and the draft.

Pages (MkDocs source paths; the site uses directory URLs)::

    versions/index.md            every version, newest first
    versions/DATE.md             the full text of one version, marked as archived
    changes/DATE.md              what DATE changed compared with the version before
    changes/since/DATE.md        everything that changed from DATE to the current version
    draft.md                     the unreleased draft and its changes (only with drafts on)

The *current* version is the release in effect on the build date (``History.in_effect()``);
releases dated later are *upcoming*: listed, readable and announced, but marked as not yet in
effect. Everything from YAML is escaped; links inside raw HTML are relative to the page's URL.
"""

from __future__ import annotations

from ..history.diff import PolicyDiff, diff_policies
from ..history.diff_cache import DiffCache
from ..history.releases import History, Release
from ..source.model import Policy
from .inputs import SiteInputs
from .policy_page import (
    SEARCH_ARCHIVE,
    SEARCH_EXCLUDE,
    format_date,
    meta_html,
    page_head,
    policy_body_markdown,
    policy_title,
)
from .redline import Href, diff_html, esc
from .urls import changes_path, relative_url, since_path, text_path

__all__ = ["current_meta_links", "history_pages", "page_url", "release_diffs", "since_diffs"]


def _archive_search(inputs: SiteInputs) -> str:
    """Archived versions and change pages: out of the site search, unless ``search_archive`` puts them back."""
    return SEARCH_ARCHIVE if inputs.options.search_archive else SEARCH_EXCLUDE


def page_url(source_path: str) -> str:
    """The URL (relative to the site root) of a page source path: ``versions/index.md`` → ``versions/``."""
    stem = source_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def _link(here: str, target: str, text: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a{klass} href="{esc(relative_url(here, target))}">{esc(text)}</a>'


def _date(rel: Release) -> str:
    return f'<time datetime="{rel.date}">{esc(format_date(rel.effective))}</time>'


def _upcoming_badge(rel: Release) -> str:
    return f'<span class="pf-badge pf-badge-upcoming">Upcoming, takes effect on {_date(rel)}</span>'


def _badge(rel: Release) -> str:
    if not rel.consent_relevant:
        return ""
    return ('<span class="pf-badge pf-badge-consent" title="Changes cookies or consent choices; visitors are '
            'asked again">Consent-relevant</span>')


def _anchors(here: str, target: str) -> Href:
    return lambda section_id: relative_url(here, target) + "#" + section_id


def _nav(here: str, items: list[tuple[str, str, str]]) -> str:
    links = " ".join(f'<span class="pf-nav-{cls}">{_link(here, target, text)}</span>'
                     for cls, target, text in items)
    return f'<nav class="pf-version-nav" aria-label="Versions">{links}</nav>'


def current_meta_links(inputs: SiteInputs, here: str = "") -> str:
    """Links for the current policy's meta line: what changed in it, every version, and the next version.

    The next version is the earliest upcoming release; its link reads "An updated version takes
    effect on DATE" and leads to its change page.
    """
    history = inputs.history
    if history.newest is None:
        return ""
    current = history.in_effect()
    out = ""
    if current is not None:
        out += f' · {_link(here, changes_path(current.date), "what changed", "pf-what-changed")}'
    out += f' · {_link(here, "versions/", "all versions", "pf-all-versions")}'
    upcoming = history.upcoming()
    if upcoming:
        nxt = upcoming[0]
        what = "An updated version takes effect on" if current is not None else "Not yet in effect: takes effect on"
        out += (f'<br><span class="pf-upcoming-notice"><a class="pf-upcoming-link" '
                f'href="{esc(relative_url(here, changes_path(nxt.date)))}">{what} '
                f"{_date(nxt)}</a></span>")
    return out


def _versions_index(inputs: SiteInputs) -> str:
    here = "versions/"
    history = inputs.history
    current = history.in_effect()
    rows = []
    for rel in reversed(history.releases):
        if history.is_upcoming(rel):
            status, label = "upcoming", " " + _upcoming_badge(rel)
        elif rel is current:
            status, label = "current", ' <span class="pf-badge pf-badge-current">Current</span>'
        else:
            status, label = "archived", ""
        rows.append(f'<tr data-version="{rel.date}" data-status="{status}"><td>{_date(rel)}{label}</td>'
                    f"<td>{esc(rel.summary)} {_badge(rel)}</td><td>{_link(here, text_path(rel.date), 'Text')} · "
                    f"{_link(here, changes_path(rel.date), 'Changes')}</td></tr>")
    table = ('<table class="pf-versions"><thead><tr><th>Effective</th><th>Summary</th><th>Read</th></tr>'
             f"</thead><tbody>{''.join(rows)}</tbody></table>")
    feeds = (f"<p>Follow changes: {_link(here, 'feed.xml', 'Atom feed')} · "
             f"{_link(here, 'feed.json', 'JSON Feed')} · "
             f"{_link(here, 'versions.json', 'versions as data')}</p>")
    intro = ("<p>Every version of this policy, newest first, with what each one changed, including "
             "versions announced in advance that are not in effect yet. Published versions are never "
             "edited: a correction is a new version.</p>")
    return page_head("Version history") + "\n".join([intro, table, feeds]) + "\n"


def _archived(inputs: SiteInputs, rel: Release) -> str:
    here = page_url(f"versions/{rel.date}.md")
    history = inputs.history
    before, after = history.neighbours(rel)
    policy = rel.policy
    if history.is_upcoming(rel):
        notice = (f'<div class="admonition note pf-upcoming" role="note"><p class="admonition-title">'
                  f"Not yet in effect: takes effect on {_date(rel)}</p><p>This version is published in "
                  f"advance. Until {_date(rel)} the {_link(here, '', 'current policy', 'pf-current-link')} "
                  f"applies; see {_link(here, changes_path(rel.date), 'what this version changes')}.</p></div>")
    elif after is None or history.is_upcoming(after):
        then = "" if after is None else (
            f" It will be replaced on {_date(after)} by the "
            f"{_link(here, text_path(after.date), 'next version', 'pf-upcoming-link')}.")
        notice = (f'<div class="admonition info pf-version-current" role="note"><p class="admonition-title">'
                  f"Current version</p><p>This version took effect on {_date(rel)} and is the one in effect. "
                  f"It is also shown as the {_link(here, '', 'current policy')}.{then}</p></div>")
    else:
        notice = (f'<div class="admonition warning pf-archived" role="note"><p class="admonition-title">'
                  f"Archived version, not current</p><p>This version took effect on {_date(rel)} and was "
                  f"replaced on {_date(after)}. Read the "
                  f"{_link(here, '', 'current policy', 'pf-current-link')}, or see "
                  f"{_link(here, since_path(rel.date), 'everything that changed since this version')}."
                  "</p></div>")
    nav: list[tuple[str, str, str]] = []
    if before is not None:
        nav.append(("prev", text_path(before.date), f"← Previous version ({format_date(before.effective)})"))
    nav.append(("changes", changes_path(rel.date), "What this version changed"))
    nav.append(("all", "versions/", "All versions"))
    if after is not None:
        nav.append(("next", text_path(after.date), f"Next version ({format_date(after.effective)}) →"))
    meta = meta_html(policy)
    title = f"{policy_title(policy)} (version of {format_date(rel.effective)})"
    if history.is_upcoming(rel):
        title = f"{policy_title(policy)} (upcoming version of {format_date(rel.effective)})"
    return (page_head(title, search=_archive_search(inputs)) + notice + "\n\n" + _nav(here, nav) + "\n\n"
            + policy_body_markdown(policy, meta_html=meta))


def _change_page(inputs: SiteInputs, rel: Release) -> str:
    here = page_url(f"changes/{rel.date}.md")
    before, after = inputs.history.neighbours(rel)
    upcoming = inputs.history.is_upcoming(rel)
    title = f"What {'changes' if upcoming else 'changed'} on {format_date(rel.effective)}"
    summary = f'<p class="pf-version-summary">{esc(rel.summary)} {_badge(rel)}</p>'
    nav: list[tuple[str, str, str]] = []
    if before is not None:
        nav.append(("prev", changes_path(before.date), f"← Changes of {format_date(before.effective)}"))
    nav.append(("text", text_path(rel.date), "Read this version"))
    nav.append(("all", "versions/", "All versions"))
    if after is not None:
        nav.append(("next", changes_path(after.date), f"Changes of {format_date(after.effective)} →"))
    if upcoming:
        summary = (f'<p class="pf-upcoming-notice">{_upcoming_badge(rel)} Until then the '
                   f"{_link(here, '', 'current policy', 'pf-current-link')} applies.</p>\n" + summary)
    if before is None:
        body = (f'<p class="pf-first-version">This is the first published version of the policy, in '
                f"effect from {_date(rel)}; there is no earlier version to compare it with. "
                f"{_link(here, text_path(rel.date), 'Read its full text')}.</p>")
    else:
        d = inputs.changes[rel.date]
        intro = (f"<p>The version of {_date(rel)} compared with the version of {_date(before)} "
                 f"({_link(here, text_path(before.date), 'read the previous version')}).</p>")
        body = intro + "\n" + diff_html(d, new_href=_anchors(here, text_path(rel.date)),
                                        old_href=_anchors(here, text_path(before.date)))
    head = page_head(title, search=_archive_search(inputs))
    return head + summary + "\n\n" + _nav(here, nav) + "\n\n" + body + "\n"


def _since_page(inputs: SiteInputs, rel: Release, current: Release | None) -> str:
    here = page_url(f"changes/since/{rel.date}.md")
    title = f"What changed since {format_date(rel.effective)}"
    upcoming = inputs.history.upcoming()
    if inputs.history.is_upcoming(rel) or current is None:
        body = (f"<p>The version of {_date(rel)} is not in effect yet: it takes effect on {_date(rel)}. "
                f"{_link(here, changes_path(rel.date), 'See what it changes')}.</p>")
    elif rel is current:
        body = (f"<p>The version of {_date(rel)} is the current version: nothing has changed since. "
                f"{_link(here, '', 'Read the current policy')}.</p>")
    else:
        d = (inputs.since[rel.date] if rel.date in inputs.since
             else diff_policies(rel.policy, current.policy, old_label=rel.date, new_label=current.date))
        later = [r for r in inputs.history if rel.effective < r.effective <= current.effective]
        steps = " · ".join(_link(here, changes_path(r.date), format_date(r.effective)) for r in later)
        body = (f"<p>Every change from the version of {_date(rel)} to the current version of "
                f"{_date(current)}, in one comparison. Releases since then, each with its own changes: {steps}.</p>\n"
                + diff_html(d, new_href=_anchors(here, ""), old_href=_anchors(here, text_path(rel.date))))
    if upcoming and not inputs.history.is_upcoming(rel):
        nxt = upcoming[0]
        body += (f'\n<p class="pf-upcoming-notice">An updated version takes effect on {_date(nxt)}: '
                 f"{_link(here, changes_path(nxt.date), 'see what it changes', 'pf-upcoming-link')}.</p>")
    return page_head(title, search=_archive_search(inputs)) + body + "\n"


def _draft_page(inputs: SiteInputs, draft: Policy) -> str:
    here = "draft/"
    newest = inputs.history.newest
    notice = ('<div class="admonition danger pf-draft" role="note"><p class="admonition-title">Draft, not in '
              "effect</p><p>This is an unreleased draft, shown for review. It is not in effect; the "
              f"{_link(here, '', 'current policy')} applies.</p></div>")
    if newest is None:
        changes = "<p>Nothing has been released yet, so there is nothing to compare the draft with.</p>"
    else:
        d = diff_policies(newest.policy, draft, old_label=newest.date, new_label="draft")
        upcoming = inputs.history.is_upcoming(newest)
        which = "the newest release, not yet in effect, of" if upcoming else "the current version of"
        same = "the upcoming release of" if upcoming else "the current version of"
        changes = (f"<p>Compared with {which} {_date(newest)}.</p>\n"
                   + (diff_html(d, new_href=lambda sid: "#" + sid, old_href=_anchors(here, ""),
                                heading="Changes in the draft")
                      if not d.is_empty else f"<p>The draft is identical to {same} {_date(newest)}.</p>"))
    return (page_head(f"Draft: {policy_title(draft)}", search=SEARCH_EXCLUDE) + notice + "\n\n" + changes + "\n\n"
            + "## Full text of the draft {#pf-draft-text}\n\n" + policy_body_markdown(draft, heading_level=3))


def release_diffs(history: History, cache: DiffCache | None = None) -> dict[str, PolicyDiff]:
    """What each release changed compared with the one before (the first release has no entry)."""
    cache = cache or DiffCache(None)
    out: dict[str, PolicyDiff] = {}
    for rel in history:
        before, _ = history.neighbours(rel)
        if before is not None:
            out[rel.date] = cache.diff(before, rel, republished=rel.republished)
    return out


def since_diffs(history: History, cache: DiffCache | None = None) -> dict[str, PolicyDiff]:
    """What changed from each earlier release to the one in effect (the "changes since" pages)."""
    cache = cache or DiffCache(None)
    current = history.in_effect()
    if current is None:
        return {}
    return {rel.date: cache.diff(rel, current) for rel in history if rel.effective < current.effective}


def history_pages(inputs: SiteInputs) -> dict[str, str]:
    """Every history page (and the draft page when drafts are on), keyed by source path."""
    pages: dict[str, str] = {}
    if inputs.history.newest is not None:
        current = inputs.history.in_effect()
        pages["versions/index.md"] = _versions_index(inputs)
        for rel in inputs.history:
            pages[f"versions/{rel.date}.md"] = _archived(inputs, rel)
            pages[f"changes/{rel.date}.md"] = _change_page(inputs, rel)
            pages[f"changes/since/{rel.date}.md"] = _since_page(inputs, rel, current)
    if inputs.draft is not None:
        pages["draft.md"] = _draft_page(inputs, inputs.draft)
    return pages
