"""The consent banner's configuration, derived from the policy model, and its files.

The revision it carries comes from :mod:`policyforge.source.revision`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..history.releases import History, Release
from ..source.durations import format_duration
from ..source.locales import right_to_left
from ..source.markdown_text import md_to_html, strip_tags
from ..source.model import ConsentCategory, Cookie, Policy, Service
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions
from ..source.revision import consent_revision
from ..translation.read import Translation
from . import assemble as widget
from .languages import BannerLanguage, banner_languages, set_texts, texts_for
from .regions import consent_mode_defaults, region_modes
from .stages import BannerFiles, banner_files, stable_name

__all__ = [
    "banner_config",
    "banner_script",
    "cookie_section_id",
    "release_banner",
    "release_banner_config",
    "site_banner",
    "write_banner",
]


def cookie_section_id(policy: Policy) -> str | None:
    """Id of the section that renders the consent categories, if any."""
    for ns in numbered_sections(policy.sections):
        if ns.section.include == "consent-categories":
            return ns.section.id
    return None


def banner_config(
    policy: Policy,
    *,
    policy_url: str,
    changes_url: str,
    revision: str | None = None,
    released: bool = False,
    language: str = "en",
    others: Sequence[BannerLanguage] = (),
) -> dict[str, Any]:
    """The config object inlined into ``consent.js`` (its shape: ``Config`` in ``consent_widget/src/model.js``;
    :func:`~policyforge.banner.assemble.compact` makes it compact on the way in).

    It holds only what the banner shows and the consent revision it asks for, never the release's date or
    hash: releases that change neither give byte-identical files (the banner's identity, docs/embedding.md).
    ``revision`` is the consent revision as ``versions.lock`` records it for a release (computed from
    ``policy`` when not given: a draft). ``released``: the revision belongs to a release, so receipts
    (``consent.receipts_url``, format 2: they name the revision, the service resolves the version) are sent;
    a banner of a draft sends none. ``changes_url`` is a template with ``{revision}``. ``language`` is the
    original's language (the banner's default) and ``others`` the further languages it carries.
    """
    consent = policy.require_consent()
    anchor = cookie_section_id(policy)
    receipts = bool(consent.receipts_url and released)
    regions = region_modes(consent)
    keys = _text_keys(receipts=receipts, opt_out=bool(regions))
    texts = texts_for(language, set_texts(consent.banner), original=True)
    config: dict[str, Any] = {
        "cookie": consent.cookie,
        "revision": revision or consent_revision(policy),
        "policyUrl": _anchored(policy_url, anchor),
        "changesUrl": changes_url,
        "lifetimeDays": consent.lifetime_days,
        "lang": language,
        "texts": {key: texts[key] for key in keys},
        "categories": [_category(c, language, {r.id: r.name for r in policy.recipients}) for c in consent.categories],
    }
    if others:
        config["languages"] = {other.lang: _language(other, keys, config, anchor) for other in others}
    rtl = right_to_left((language, *(other.lang for other in others)))
    if rtl:  # the languages of the banner written right to left (CLDR), absent when none is
        config["rtl"] = rtl
    if receipts:
        config["receipts"] = {"url": consent.receipts_url}
    if regions:  # the opt-out regions (docs/embedding.md "Regional rules")
        config["regions"] = regions
        config["gcmRegions"] = consent_mode_defaults(config)[1:]
    return config


def _text_keys(*, receipts: bool, opt_out: bool) -> tuple[str, ...]:
    """The texts a banner carries (the links are top-level keys): consentId and chosenOn when it sends receipts,
    privacyChoices (the opt-out link's) when a region is opt-out."""
    left_out = (() if receipts else ("consentId", "chosenOn")) + (() if opt_out else ("privacyChoices",))
    return tuple(key for key in widget.TEXT_KEYS[2:] if key not in left_out)


def _language(
    other: BannerLanguage, keys: Sequence[str], config: Mapping[str, Any], anchor: str | None
) -> dict[str, Any]:
    """One more language: its policy and change pages, banner texts, and each category's title, description and
    cookies' purposes and durations (a period in words of this language, as the site's pages word it)."""
    texts = texts_for(other.lang, other.texts, original=False)
    categories = [
        {
            "title": c.title,
            "description": plain(c.description),
            "cookies": [{"purpose": k.purpose, "duration": format_duration(k.duration, other.lang)} for k in c.cookies],
            **({"services": [_service_texts(s) for s in c.services]} if c.services else {}),
        }
        for c in other.policy.require_consent().categories
    ]
    policy_url = config["policyUrl"] if other.policy_url is None else _anchored(other.policy_url, anchor)
    changes_url = config["changesUrl"] if other.changes_url is None else other.changes_url
    return {
        "policyUrl": policy_url,
        "changesUrl": changes_url,
        "texts": {key: texts[key] for key in keys},
        "categories": categories,
    }


def _anchored(url: str, anchor: str | None) -> str:
    """The policy page's URL with the cookie section's anchor (unless it names one already)."""
    return url + (f"#{anchor}" if anchor and "#" not in url else "")


def _category(category: ConsentCategory, language: str, recipients: Mapping[str, str]) -> dict[str, Any]:
    """One category for the banner (durations in ``language``, the banner's default); values the banner
    defaults itself are left out to keep it small."""
    out: dict[str, Any] = {"id": category.id, "title": category.title, "description": plain(category.description)}
    if category.required:
        out["required"] = True
    if category.gcm:
        out["gcm"] = list(category.gcm)
    if not category.opt_out:
        out["optIn"] = True  # opt-in in opt-out regions too
    if category.cookies:
        out["cookies"] = [_declared(k, language) for k in category.cookies]
    if category.services:
        out["services"] = [_service(s, recipients) for s in category.services]
    return out


def _service_texts(service: Service) -> dict[str, str]:
    """A service's texts as the banner shows them (its language slots: ``textSwitch`` in model.js)."""
    return {"title": service.name, "description": plain(service.description or "")}


def _service(service: Service, recipients: Mapping[str, str]) -> dict[str, Any]:
    """One service for the banner: its id, texts, the names of its cookies and its recipient's name (none: the
    site itself)."""
    out: dict[str, Any] = {"id": service.id, **_service_texts(service), "cookies": list(service.cookies)}
    if service.recipient:
        out["recipient"] = recipients[service.recipient]
    return out


def _declared(cookie: Cookie, language: str) -> dict[str, str]:
    """A declared cookie or storage key, its duration in words of ``language`` when it is a period (path "/" and
    storage "cookie" are the defaults; its domain is not needed: the banner deletes a refused cookie on this host
    and every parent domain)."""
    duration = format_duration(cookie.duration, language)
    out = {"name": cookie.name, "provider": cookie.provider, "purpose": cookie.purpose, "duration": duration}
    if cookie.path != "/":
        out["path"] = cookie.path
    if cookie.storage != "cookie":
        out["storage"] = cookie.storage
    return out


def plain(markdown_text: str) -> str:
    """Markdown as the plain text the banner shows (it never renders HTML from the config)."""
    return strip_tags(md_to_html(markdown_text, inline=True))


def banner_script(
    policy: Policy,
    *,
    policy_url: str,
    changes_url: str,
    revision: str | None = None,
    released: bool = False,
    language: str = "en",
    others: Sequence[BannerLanguage] = (),
) -> tuple[dict[str, Any], BannerFiles]:
    """The banner config and its files (both stages, a first stage per language: ``banner/stages.py``).

    ``policy_url`` is the published policy page (the cookie section's anchor is added when it
    has none); ``changes_url`` is a template with ``{revision}``, or empty when there are no
    change pages to link to. ``revision``, ``released``, ``language`` and ``others``: see :func:`banner_config`.
    """
    config = banner_config(
        policy,
        policy_url=policy_url,
        changes_url=changes_url,
        revision=revision,
        released=released,
        language=language,
        others=others,
    )
    return config, banner_files(config)


def site_banner(
    options: ProjectOptions,
    policy: Policy,
    *,
    with_changes: bool,
    revision: str | None = None,
    released: bool = False,
    translations: Mapping[str, Translation] | None = None,
    history: History | None = None,
) -> tuple[dict[str, Any], BannerFiles]:
    """The banner a site build publishes for ``policy`` (the one version of it the build, the hand-off
    note and ``build``'s snippet agree on): links to the site, and to its change pages when it has releases.
    ``revision`` and ``released``: see :func:`banner_config` (:func:`release_banner` for a release). It speaks
    ``options.banner_langs``, with the texts of the project's translation files (``translations``, read
    from the source folder when not given; with ``history``, where one was made from another text than
    ``policy``'s, the translations frozen with the releases, as the site's pages: see :func:`banner_languages`)."""
    base = options.url()
    return banner_script(
        policy,
        policy_url=base,
        revision=revision,
        released=released,
        changes_url=base + "changes/since/{revision}/" if with_changes else "",
        language=options.language,
        others=banner_languages(options, policy, translations, with_changes=with_changes, history=history),
    )


def release_banner(options: ProjectOptions, history: History, rel: Release) -> BannerFiles:
    """The banner files of the release ``rel``: its consent revision as the lock records it (the one source
    of a release's revision), the same bytes for every release that shows the same banner."""
    return release_banner_config(options, history, rel)[1]


def release_banner_config(
    options: ProjectOptions, history: History, rel: Release
) -> tuple[dict[str, Any], BannerFiles]:
    """The config and banner files of the release ``rel`` (see :func:`release_banner`)."""
    return site_banner(
        options, rel.policy, with_changes=True, revision=rel.consent_revision, released=True, history=history
    )


def write_banner(files: BannerFiles, folder: Path, *, stable: bool = True) -> str:
    """Write the immutable first stages (``consent.<hash>.js``, ``consent.<lang>.<hash>.js``) and second stage
    (``consent.settings.<hash>.js``) and, unless ``stable`` is false, ``consent.js`` and ``consent-<lang>.js``
    (a stable name outside ``consent.*.js``, which ``_headers`` caches as immutable);
    return the original language's hashed file name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {files.settings_name: files.settings}
    default = next(iter(files.first))
    for lang, name in files.names().items():
        out[name] = files.first[lang]
        if stable:
            out[stable_name(lang, default)] = files.first[lang]
    for file_name, text in out.items():
        (folder / file_name).write_text(text, encoding="utf-8", newline="")
    return files.names()[default]
