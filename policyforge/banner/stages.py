"""The banner's two stages: a small first file per site language, and one second file for the rest.

The first stage (``consent.<hash>.js`` in the original's language, ``consent.<lang>.<hash>.js`` in each other
site language) is what a product embeds: the record, gating, Consent Mode, GPC, the page API and the notice,
with the texts of one language, the categories' ids, titles and declared names (what a refusal deletes), the
site's languages, and the second stage's file name and Subresource Integrity value. The second stage
(``consent.settings.<hash>.js``) holds the settings layer, the cookie tables and every language's texts; the
first stage loads it from its own folder only when it is needed (the settings, another language): one
request more, on demand (docs/embedding.md, "Two stages").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import assemble as widget

__all__ = [
    "FIRST_TEXTS",
    "BannerFiles",
    "banner_files",
    "first_config",
    "hashed_name",
    "other_first_stages",
    "stable_name",
]

# The texts the first stage shows (the notice, the GPC and change lines, a gated frame's placeholder, an opt-out
# region's "Your Privacy Choices" button); the others (the settings layer's) come with the second stage.
FIRST_TEXTS = (
    "title",
    "text",
    "accept",
    "reject",
    "customize",
    "close",
    "policyLink",
    "gpc",
    "changed",
    "changedLink",
    "frame",
    "allow",
    "privacyChoices",
)


@dataclass(frozen=True)
class BannerFiles:
    """A banner's files: ``first`` maps each site language to its first stage (the original's first), and
    ``settings`` is the second stage they all load."""

    first: Mapping[str, str]
    settings: str

    @property
    def script(self) -> str:
        """The first stage in the original's language (``consent.js``)."""
        return next(iter(self.first.values()))

    @property
    def settings_name(self) -> str:
        """The second stage's file name, ``consent.settings.<hash>.js``."""
        return hashed_name(self.settings, "settings")

    def names(self) -> dict[str, str]:
        """Each language's first-stage file name: ``consent.<hash>.js`` for the original's language,
        ``consent.<lang>.<hash>.js`` for the others."""
        default = next(iter(self.first))
        return {lang: hashed_name(text, "" if lang == default else lang) for lang, text in self.first.items()}


def stable_name(lang: str, default: str) -> str:
    """The stable name of the first stage in ``lang``: ``consent.js`` for the original's language (``default``),
    ``consent-<lang>.js`` for the others (outside ``_headers``' immutable ``/consent/consent.*.js``)."""
    return "consent.js" if lang == default else f"consent-{lang}.js"


def hashed_name(text: str, part: str = "") -> str:
    """The immutable name of a banner file: ``consent.<part>.<hash>.js`` (``consent.<hash>.js`` without
    ``part``), all matched by ``_headers``' immutable ``/consent/consent.*.js``."""
    return f"consent.{part + '.' if part else ''}{widget.content_hash(text)}.js"


def first_config(config: Mapping[str, Any], lang: str, stage: tuple[str, str]) -> dict[str, Any]:
    """The first stage's configuration in ``lang`` (the original's or one of ``config``'s ``languages``): its
    texts and links, each category's id, title, required flag, Consent Mode types, opt-in flag, declared names and
    places (no provider, purpose or duration) and services (id, name, cookie names), the regional rules and their
    Consent Mode defaults, the site's languages and ``stage`` (the second stage's file name and integrity)."""
    other = (config.get("languages") or {}).get(lang)
    spoken = other or config
    named = spoken["categories"]
    kept = ("cookie", "revision", "lifetimeDays", "receipts", "regions", "gcmRegions")
    out: dict[str, Any] = {key: config[key] for key in kept if key in config}
    out.update(policyUrl=spoken["policyUrl"], changesUrl=spoken["changesUrl"], lang=lang)
    out["texts"] = {key: spoken["texts"][key] for key in FIRST_TEXTS if key in spoken["texts"]}
    out["categories"] = [_first_category(c, words) for c, words in zip(config["categories"], named, strict=True)]
    langs = [config["lang"], *(config.get("languages") or {})]
    if len(langs) > 1:
        out["langs"] = langs
    if lang in config.get("rtl", ()):
        out["rtl"] = [lang]
    out["stage"] = list(stage)
    return out


def _first_category(category: Mapping[str, Any], words: Mapping[str, Any]) -> dict[str, Any]:
    """A category as the first stage needs it: to decide (in any region), to gate its services, to name a frame's
    placeholder (in ``words``, the category in the stage's language), and to delete what a refusal deletes (each
    declared name with its path and storage; the table's texts left blank; none of an essential category, which
    is never refused) but for a granted service's."""
    out = {key: category[key] for key in ("id", "required", "gcm", "optIn") if key in category}
    out["title"] = words["title"]
    if services := category.get("services"):
        out["services"] = [
            {"id": s["id"], "title": w["title"], "cookies": s["cookies"]}
            for s, w in zip(services, words["services"], strict=True)
        ]
    blank = dict.fromkeys(("provider", "purpose", "duration"), "")
    cookies = [
        {**blank, **{key: k[key] for key in ("name", "path", "storage") if key in k}}
        for k in category.get("cookies", ())
        if not category.get("required")  # an essential category is never refused: nothing of it is deleted
    ]
    if cookies:
        out["cookies"] = cookies
    return out


def banner_files(config: Mapping[str, Any]) -> BannerFiles:
    """Both stages of the banner for ``config`` (``banner/config.py``: ``banner_config``): the second stage, then
    a first stage per language naming it with its integrity."""
    settings = widget.assemble_settings(config)
    stage = (hashed_name(settings, "settings"), widget.sri(settings))
    langs = [config["lang"], *(config.get("languages") or {})]
    first = {lang: widget.assemble(first_config(config, lang, stage)) for lang in langs}
    return BannerFiles(first, settings)


_STABLE_OTHER = re.compile(r"consent-([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.js")


def other_first_stages(folder: Path) -> dict[str, tuple[str, str]]:
    """The first stages of the languages other than the original's that :func:`~policyforge.banner.config.write_banner`
    wrote into ``folder`` (``consent-<lang>.js``): per language, the hashed file's name and the text."""
    out = {}
    for path in sorted(folder.glob("consent-*.js")):
        if found := _STABLE_OTHER.fullmatch(path.name):
            text = path.read_bytes().decode("utf-8")
            out[found.group(1)] = (hashed_name(text, found.group(1)), text)
    return out
