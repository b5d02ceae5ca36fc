"""Engine-agnostic site build: which pages exist, what extra files are written, atomic swap.

A site engine adapter (the MkDocs plugin) asks :func:`prepare` for the validated inputs,
feeds :func:`generate_pages` to its own page pipeline, then calls :func:`write_outputs`
and :func:`swap_in`. Nothing here imports a site engine.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ..banner.assemble import content_hash
from ..banner.config import release_banner, release_banner_config, site_banner, write_banner
from ..banner.stages import BannerFiles
from ..errors import SourceError
from ..history.diff_cache import CACHE_DIR, DiffCache
from ..history.releases import History, load_history
from ..source.documents import cross_link_problems, project_documents
from ..source.lint import LintFinding
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from ..translation.apply import Translated, stale_problems
from ..translation.drift import translate_shown
from ..translation.read import TRANSLATIONS_DIR, load_translations
from ..translation.snapshots import validate_frozen
from .csp import BlockedScript, origin_of, write_headers
from .data import write_data
from .demo import write_demo
from .feeds import require_site_url, write_feeds
from .history_pages import current_meta_links, history_pages, page_url, release_diffs, since_diffs
from .inject import document_prefixes
from .inputs import SiteInputs
from .languages import language_inputs
from .lint_gate import gated
from .output_dir import check_site_dir, keep_previous_banners, new_build_dir, site_dir_of, swap_in
from .policy_page import SEARCH_CURRENT, body_context, meta_html, page_markdown, policy_title
from .strings import page_language
from .subprocessors import write_subprocessor_feeds
from .translation_notes import shown_text
from .urls import NAV_PAGES, POLICY_PAGE, check_url, relative_url, resolve_document_links

__all__ = [
    "BlockedScript",
    "BuildResult",
    "SiteInputs",
    "asset_css",
    "build_site",
    "check_site_dir",
    "generate_pages",
    "language_inputs",
    "nav_pages",
    "new_build_dir",
    "prepare",
    "relative_url",
    "shown_banner",
    "site_dir_of",
    "swap_in",
    "write_language_outputs",
    "write_outputs",
    "write_stylesheet",
]


@functools.cache
def asset_css() -> str:
    """Site path of the stylesheet, named by its content hash so it can be cached for a year."""
    digest = hashlib.sha256(_asset("policyforge.css").encode("utf-8")).hexdigest()[:10]
    return f"assets/policyforge.{digest}.css"


@dataclasses.dataclass(frozen=True)
class BuildResult:
    """What a build made: the site folder, its pages, its banner, from the validated inputs."""

    site_dir: Path
    inputs: SiteInputs = dataclasses.field(repr=False)
    pages: int  # the built pages (index.html files), every language's
    banner: str  # the content-hashed name of the banner under consent/ (consent.HASH.js); "" without a banner

    @property
    def lint(self) -> tuple[LintFinding, ...]:
        """The lint findings of the policy each document's site shows (warnings, or a release's errors)."""
        return tuple(finding for doc in self.inputs.all_documents for finding in doc.lint)


def build_site(options: ProjectOptions, engine: Callable[[SiteInputs], Path]) -> BuildResult:
    """Check, prepare and gate the site of ``options``, then have ``engine`` build it from the inputs.

    ``engine`` is a site engine adapter's build (the MkDocs one for ``policyforge build`` and
    :func:`policyforge.build`); it returns the site folder. Every gate runs before it is called.
    """
    site_dir_of(options)  # refuse a site_dir that is a link or holds the sources before anything else
    inputs = prepare(options)
    out = engine(inputs)
    banner = ""
    if inputs.has_banner:
        banner = f"consent.{content_hash((out / 'consent' / 'consent.js').read_bytes().decode('utf-8'))}.js"
    return BuildResult(out, inputs, sum(1 for _ in out.rglob("index.html")), banner)


def prepare(options: ProjectOptions, *, pages: bool = True) -> SiteInputs:
    """Load, validate and lint every document; raises a PolicyError before anything is written.

    The result is the site's main document (at the root, the one that declares ``consent``) with
    the others in :attr:`SiteInputs.documents`. ``pages`` False: only what the banner needs (the
    main document shown and its version); released versions are hash-checked but not read, and
    nothing is diffed, nor linted (``policyforge widget``). With ``pages``, a draft that fails the lint
    refuses the build (:mod:`.lint_gate`); each document's findings are in :attr:`SiteInputs.lint`.
    """
    if options.site_url:
        check_url(options.site_url)  # written into pages, feeds and the banner: http(s) and URL characters only
    docs = project_documents(options)
    if not pages:
        return _prepare_document(docs[0], pages=False)[0]
    prepared = [_prepare_document(doc, pages=True) for doc in docs]
    problems = cross_link_problems(docs, {doc.document: draft for doc, (_, draft) in zip(docs, prepared, strict=True)})
    if problems:
        raise SourceError(problems, source="the policy source")
    main, *others = (gated(inputs) for inputs, _ in prepared)
    return dataclasses.replace(main, documents=tuple(others)) if others else main


def _prepare_document(options: ProjectOptions, *, pages: bool) -> tuple[SiteInputs, Policy]:
    """One document's inputs, and its draft (policy.yaml)."""
    policy = load_policy(
        options.policy_file, allow_html=options.allow_html, display=options.display(options.policy_file)
    )
    history = load_history(options)
    if pages:
        validate_frozen(history.validate())  # every release and its frozen translations read and validated, once
    if history.newest is None:  # nothing released yet: the draft is the policy
        version = policy.effective.isoformat() if policy.effective else "draft"
        if history.withdrawn:  # announced and withdrawn: still listed, in /versions/ and the feeds
            require_site_url(options)
        return SiteInputs(
            options=options,
            current=policy,
            version=version,
            history=history,
            draft=policy if options.draft else None,
            translations=_translated(options, policy, policy) if pages else {},
        ), policy
    # The newest release whose effective date is not after today; before the first one takes
    # effect, the first (upcoming) release is shown, marked as not yet in effect.
    current = history.shown()
    assert current is not None  # history.newest is not None
    require_site_url(options)
    # The site shows the release in effect; later releases are listed as upcoming; policy.yaml is the
    # draft, published only with drafts on.
    if not pages:
        return SiteInputs(options=options, current=current.policy, version=current.date, history=history), policy
    translations = _translated(options, policy, current.policy, history)
    cache = DiffCache(options.root / CACHE_DIR, allow_html=options.allow_html)  # releases never change
    changes, since = release_diffs(history, cache), since_diffs(history, cache)
    cache.prune()
    return SiteInputs(
        options=options,
        current=current.policy,
        version=current.date,
        history=history,
        draft=policy if options.draft else None,
        changes=changes,
        since=since,
        translations=translations,
    ), policy


def _translated(
    options: ProjectOptions, draft: Policy, current: Policy, history: History | None = None
) -> dict[str, Translated]:
    """The current policy in each language of ``translations`` that has a file (checked against the draft, as
    ``check`` does), with the translations frozen with the releases where the live file is ahead of the
    release in effect (:func:`translate_version`); with ``stale_translations: error`` a stale part is a
    :class:`SourceError` at its line."""
    if not options.translations:
        return {}
    found = translate_shown(history, current, load_translations(options, draft))
    if options.stale_translations == "error":
        problems = stale_problems(found)
        if problems:
            raise SourceError(problems, source=options.display(options.source / TRANSLATIONS_DIR))
    return found


def generate_pages(inputs: SiteInputs) -> dict[str, str]:
    """Generated page sources, keyed by path (``index.md``); values are Markdown in the inputs' language, their
    ``doc:ID#section`` links (policy text linking another document) made relative links from the page."""
    prefixes = document_prefixes(inputs)
    labels = inputs.translated.labels if inputs.translated is not None else None
    with page_language(inputs.page_lang, inputs.options.language, labels):
        pages = _pages(inputs)
    return {path: resolve_document_links(text, page_url(path), prefixes) for path, text in pages.items()}


def _pages(inputs: SiteInputs) -> dict[str, str]:
    shown = shown_text(inputs)
    policy = shown["policy"]
    meta = meta_html(policy, current_meta_links(inputs))
    index = page_markdown(
        "policy/index.md",
        policy_title(policy),
        search=SEARCH_CURRENT,
        **body_context(
            policy,
            meta_html=meta,
            notes=shown["notes"],
            page_notes=shown["page_notes"],
            document_lang=shown["document_lang"],
        ),
    )
    pages = {path: str(text) for path, text in {POLICY_PAGE: index, **history_pages(inputs)}.items()}
    for doc in inputs.documents:  # each other document under its own folder, with the same map
        pages.update({doc.options.prefix + path: text for path, text in _pages(doc).items()})
    return pages


def nav_pages(inputs: SiteInputs) -> set[str]:
    """The generated pages that belong in the navigation: each document and its version history."""
    return {doc.options.prefix + path for doc in inputs.all_documents for path in NAV_PAGES}


def shown_banner(inputs: SiteInputs) -> tuple[dict[str, Any], BannerFiles]:
    """The config and files of the banner the site shows (``consent/consent.js``): the release in
    effect's, else the draft's (its revision computed, no receipts)."""
    shown = next((r for r in inputs.history.releases if r.date == inputs.version), None)
    if shown is not None:
        return release_banner_config(inputs.options, inputs.history, shown)
    with_changes = bool(inputs.history.releases)
    return site_banner(inputs.options, inputs.current, with_changes=with_changes, history=inputs.history)


def write_outputs(
    inputs: SiteInputs,
    out_dir: Path,
    theme_scripts: Iterable[str] = (),
    found: Iterable[tuple[str, str]] | None = None,
) -> tuple[BlockedScript, ...]:
    """Write every non-page output (banner, data files, demo, stylesheet, headers) into ``out_dir``.

    ``theme_scripts`` are the bodies of the theme's own inline scripts (the site engine adapter
    knows them); only those are allowed by the pages' CSP. Returns the other inline scripts of the
    built pages, which the CSP blocks, for the caller to report: ``found`` (page, body) when the
    adapter collected them as it built the pages, else read from the pages in ``out_dir``.
    """
    policy = inputs.current
    write_stylesheet(out_dir)
    well_known = out_dir / ".well-known"
    well_known.mkdir(exist_ok=True)
    gpc = {"gpc": True, "lastUpdate": (policy.effective or policy.updated or "").__str__()}
    (well_known / "gpc.json").write_text(json.dumps(gpc, indent=2) + "\n", encoding="utf-8", newline="")
    if inputs.has_banner:
        write_banner(shown_banner(inputs)[1], out_dir / "consent")
        for rel in inputs.history.upcoming():  # published ahead, so a pinned snippet can be swapped in time
            write_banner(release_banner(inputs.options, inputs.history, rel), out_dir / "consent", stable=False)
        keep_previous_banners(inputs.options.site_dir / "consent", out_dir / "consent")
        if inputs.options.demo:
            write_demo(out_dir, policy.product)
    published = [policy, *(rel.policy for rel in inputs.history.upcoming())] if inputs.has_banner else []
    write_feeds(inputs, out_dir)
    write_subprocessor_feeds(inputs, out_dir)
    for doc in inputs.all_documents:
        (out_dir / doc.options.prefix).mkdir(parents=True, exist_ok=True)
        write_data(doc, out_dir / doc.options.prefix)
    connect = [origin_of(p.consent.receipts_url) for p in published if p.consent and p.consent.receipts_url]
    return write_headers(out_dir, theme_scripts, connect, found, inputs.options.translations).blocked


def write_language_outputs(inputs: SiteInputs, out_dir: Path) -> None:
    """Write a translation's own outputs into its folder ``out_dir`` (``<site>/LANG/``): the stylesheet, the
    feeds and the data files of every document. The banner, ``.well-known/`` and ``_headers`` are the root's."""
    write_stylesheet(out_dir)
    write_feeds(inputs, out_dir)
    write_subprocessor_feeds(inputs, out_dir)
    for doc in inputs.all_documents:
        (out_dir / doc.options.prefix).mkdir(parents=True, exist_ok=True)
        write_data(doc, out_dir / doc.options.prefix)


def write_stylesheet(out_dir: Path) -> None:
    """Write the site's stylesheet (``assets/policyforge.<hash>.css``) into ``out_dir``."""
    (out_dir / "assets").mkdir(parents=True, exist_ok=True)
    (out_dir / asset_css()).write_text(_asset("policyforge.css"), encoding="utf-8", newline="")


def _asset(name: str) -> str:
    return resources.files("policyforge.site.assets").joinpath(name).read_text(encoding="utf-8")
