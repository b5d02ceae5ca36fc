"""The banner's languages: built-in texts per language, and the texts each language of a banner shows.

Built-in texts live in ``policyforge/banner/texts/<lang>.json`` (the 24 official EU languages, Arabic and
Hebrew), one file per language, keyed like the banner's ``texts`` (``TEXT_KEYS`` of :mod:`.assemble`):
the :class:`~policyforge.source.model.BannerTexts` fields in camelCase plus the cookie table's labels and
the frame placeholder's words. Accepting and refusing are worded as equals in each (a test checks it).

For the original language, the texts a project sets in ``consent.banner`` override the built-in ones
(only those it sets: ``BannerTexts`` has English defaults, which must not hide the built-in texts of a
German original). For a translated language, ``banner:`` of its translation file does the same.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import BuildError
from ..history.releases import History
from ..source.model import BannerTexts, Policy
from ..source.options import ProjectOptions
from ..translation.apply import translate_policy
from ..translation.drift import Timeline, translate_version
from ..translation.read import Translation, translation_problems

__all__ = [
    "BannerLanguage",
    "banner_languages",
    "builtin_languages",
    "builtin_texts",
    "camel",
    "carries",
    "set_texts",
    "texts_for",
]


@dataclass(frozen=True)
class BannerLanguage:
    """One more language of a banner: the policy with its texts in that language (same structure as the
    original: categories and cookies in the same order) and the banner texts the project gives for it
    (``BannerTexts`` field names), and where its policy page and change pages are when the site has them."""

    lang: str
    policy: Policy
    texts: Mapping[str, str] = field(default_factory=dict)
    # the policy page and change pages in this language (None: the original's)
    policy_url: str | None = None
    changes_url: str | None = None


def camel(name: str) -> str:
    """A ``BannerTexts`` field name as the banner's text key (``policy_link`` -> ``policyLink``)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@functools.cache
def builtin_languages() -> tuple[str, ...]:
    """The languages with built-in banner texts, sorted."""
    folder = importlib.resources.files(__package__).joinpath("texts")
    return tuple(sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")))


@functools.cache
def _read(lang: str) -> dict[str, str]:
    text = importlib.resources.files(__package__).joinpath("texts", f"{lang}.json").read_text(encoding="utf-8")
    texts: dict[str, str] = json.loads(text)
    return texts


def builtin_texts(lang: str) -> dict[str, str] | None:
    """The built-in texts for a language tag (``de-AT`` takes ``de``), or None when there are none."""
    tag = lang.lower()
    for candidate in (tag, tag.split("-")[0]):
        if candidate in builtin_languages():
            return dict(_read(candidate))
    return None


def texts_for(lang: str, given: Mapping[str, str], *, original: bool) -> dict[str, str]:
    """The banner texts of ``lang``: its built-in texts overridden by ``given`` (``BannerTexts`` field names).

    The original language falls back to the English texts where it has no built-in ones (the project
    then writes its own in ``consent.banner``); another language needs built-in texts.
    """
    base = builtin_texts(lang)
    if base is None:
        if not original:
            raise BuildError(
                f"the banner has no built-in texts in {lang!r}: it speaks {', '.join(builtin_languages())}",
                hint="Set the plugin option banner_languages to languages the banner speaks.",
            )
        base = dict(_read("en"))
    return base | {camel(name): text for name, text in given.items()}


def set_texts(banner: BannerTexts) -> dict[str, str]:
    """The banner texts a policy sets explicitly (not the model's English defaults)."""
    return {name: getattr(banner, name) for name in sorted(banner.model_fields_set)}


def banner_languages(
    options: ProjectOptions,
    policy: Policy,
    translations: Mapping[str, Translation] | None = None,
    *,
    with_changes: bool = False,
    history: History | None = None,
) -> list[BannerLanguage]:
    """The languages a site's banner carries besides the original (``options.banner_langs``), each with its
    translated policy and banner texts from the project's translation files.

    Languages listed in ``banner_languages`` must have built-in texts; languages that only come from
    ``translations`` (``banner_languages`` unset) are left out when they have none. A translation file
    with errors counts as none here: ``check`` and the build report its errors. A language the site is
    published in links to its own policy page (``/LANG/``) and, ``with_changes``, its change pages.
    With ``history`` (whose releases include ``policy``), each language's texts are chosen as its pages
    choose them (:func:`~policyforge.translation.drift.translate_version`): never a text translated
    from a later original than ``policy``.
    """
    timeline = Timeline(history, None) if history is not None else None
    if translations is None:
        translations = translation_problems(options, policy)[0] if options.translations else {}
    out = []
    for lang in options.banner_langs[1:]:
        if not carries(options, lang):
            continue
        translation = translations.get(lang)
        if timeline is not None:
            translated = translate_version(timeline, policy, translation, lang).policy
        else:
            translated = translate_policy(policy, translation).policy if translation else policy
        texts = dict(translation.banner) if translation else {}
        texts_for(lang, texts, original=False)  # fails early for a language without texts
        if lang in options.translations:  # the site has its pages in this language
            changes = options.url(f"{lang}/changes/since/{{revision}}/") if with_changes else ""
            out.append(BannerLanguage(lang, translated, texts, options.url(f"{lang}/"), changes))
        else:
            out.append(BannerLanguage(lang, translated, texts))
    return out


def carries(options: ProjectOptions, lang: str) -> bool:
    """Whether the site's banner carries ``lang`` besides the original's (:func:`banner_languages`): one of
    ``options.banner_langs``, with built-in texts unless ``banner_languages`` names it."""
    return lang in options.banner_langs[1:] and (
        options.banner_languages is not None or builtin_texts(lang) is not None
    )
