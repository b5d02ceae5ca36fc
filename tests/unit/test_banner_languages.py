"""The banner's languages: built-in texts (complete, equal prominence of accepting and refusing), which texts each
language shows, the compact per-language configuration, and the weight of every extra language."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from policyforge.banner import assemble as widget
from policyforge.banner.config import banner_config, site_banner
from policyforge.banner.languages import (
    BannerLanguage,
    banner_languages,
    builtin_languages,
    builtin_texts,
    set_texts,
    texts_for,
)
from policyforge.banner.stages import banner_files
from policyforge.cli.main import main as cli
from policyforge.errors import BuildError
from policyforge.site.build import prepare
from policyforge.source.loader import load_policy
from policyforge.source.model import BannerTexts
from policyforge.source.options import read_project
from tests.conftest import invoke
from tests.helpers import translated_project

ROOT = Path(__file__).resolve().parents[2]
EU = (
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
)
DE = """\
language: de
categories:
  analytics:
    title: Analyse
    description: Zählt Besuche
    cookies: {_tiny_stats: Zählt Besuche anonym}
banner:
  title: Cookies bei Tiny
"""


def letters(text: str) -> int:
    """Visible length: letters, digits and spaces (combining marks and punctuation do not count)."""
    return sum(1 for ch in unicodedata.normalize("NFC", text) if ch.isalnum() or ch == " ")


def test_builtin_languages_cover_the_eu_arabic_and_hebrew() -> None:
    assert set(EU) | {"ar", "he"} <= set(builtin_languages())
    assert len(EU) == 24


@pytest.mark.parametrize("lang", builtin_languages())
def test_every_language_has_every_text(lang: str) -> None:
    texts = builtin_texts(lang)
    assert texts is not None and list(texts) == list(widget.TEXT_KEYS[2:]), lang  # (the first two: the links)
    for key, text in texts.items():
        assert text and text == text.strip() and "  " not in text, (lang, key, text)
        assert not re.search(r"[<>{}]|\b(TODO|FIXME|XXX)\b", text), (lang, key, text)
    # sentences end as sentences; labels do not
    for key in ("text", "gpc", "changed", "frame"):
        assert texts[key][-1] in ".!?。", (lang, key)
    for key in ("accept", "reject", "customize", "save", "close", "settingsTitle", "title"):
        assert texts[key][-1] not in ".:;", (lang, key)


@pytest.mark.parametrize("lang", builtin_languages())
def test_accepting_and_refusing_read_as_equals(lang: str) -> None:
    """Same register and weight: both present and different, similar length and word count, neither shouting,
    neither an exclamation nor a question, the same capitalisation, and the customising button is neither."""
    texts = builtin_texts(lang)
    assert texts is not None
    accept, reject, customize = texts["accept"], texts["reject"], texts["customize"]
    assert accept and reject and accept != reject and customize not in (accept, reject)
    longer, shorter = max(letters(accept), letters(reject)), min(letters(accept), letters(reject))
    assert longer <= 1.5 * shorter, (lang, accept, reject)
    assert abs(len(accept.split()) - len(reject.split())) <= 1, (lang, accept, reject)
    for label in (accept, reject):
        cased = [ch for ch in label if ch.isalpha() and ch.lower() != ch.upper()]
        assert not cased or not all(ch.isupper() for ch in cased), (lang, label)  # no SHOUTING
        assert not re.search(r"[!?¡¿]", label), (lang, label)
    assert accept[0].isupper() == reject[0].isupper(), (lang, accept, reject)


def test_english_texts_are_the_model_defaults() -> None:
    english = builtin_texts("en")
    assert english is not None
    for name, info in BannerTexts.model_fields.items():
        assert english[texts_key(name)] == info.default, name


def texts_key(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def test_language_tags_take_their_primary_subtag() -> None:
    assert builtin_texts("de-AT") == builtin_texts("de") and builtin_texts("PT-br") == builtin_texts("pt")
    assert builtin_texts("xx") is None and builtin_texts("ja") is None


def test_only_the_texts_a_policy_sets_override_the_builtin_ones() -> None:
    banner = BannerTexts.model_validate({"title": "Cookies bei Tiny", "accept": "Alle annehmen"})
    assert set_texts(banner) == {"accept": "Alle annehmen", "title": "Cookies bei Tiny"}
    german = texts_for("de", set_texts(banner), original=True)
    assert german["title"] == "Cookies bei Tiny" and german["accept"] == "Alle annehmen"
    assert german["reject"] == "Alle ablehnen" and german["policyLink"] == "Cookie-Richtlinie"  # not the English
    # an original without built-in texts keeps the English defaults where it sets nothing
    assert texts_for("ja", {"title": "クッキー"}, original=True)["reject"] == "Reject all"
    with pytest.raises(BuildError, match="no built-in texts in 'ja'"):
        texts_for("ja", {}, original=False)


def test_translated_languages_take_the_translation_file(tmp_path: Path) -> None:
    options = translated_project(tmp_path / "p", {"de": DE, "ja": "language: ja\n"})
    assert invoke(cli, ["translate", "mark", "de", "-f", str(options.config_file)]).exit_code == 0  # done
    policy = prepare(options).current
    langs = banner_languages(options, policy)
    assert [lang.lang for lang in langs] == ["de"]  # ja: no built-in texts, and not asked for explicitly
    cfg = banner_config(policy, policy_url="/", changes_url="", language="en", others=langs)
    german = cfg["languages"]["de"]
    assert german["texts"]["title"] == "Cookies bei Tiny" and german["texts"]["accept"] == "Alle akzeptieren"
    analytics = next(c for c in german["categories"] if c["title"] == "Analyse")
    assert analytics["description"] == "Zählt Besuche" and analytics["cookies"] == [
        {"purpose": "Zählt Besuche anonym", "duration": "1 year"}  # written as text: shown as written
    ]
    assert cfg["revision"] and "revision" not in german  # one revision, from the original only
    # compact: per language one array, 0 where it says what the default language says, no trailing zeros
    wire = widget.compact(cfg)
    default, strings = wire[widget.wire_keys()["texts"]], wire["l"]["de"]
    assert strings[0] == german["policyUrl"] == options.url("de/") + "#cookies"  # its own policy page
    assert strings[2] == "Cookies bei Tiny" and 0 not in strings[2:5] and strings[-1] != 0
    assert len(default) == 22
    english_category_titles = [c["title"] for c in cfg["categories"]]
    assert "Analyse" in strings and not set(english_category_titles) & set(strings)


def test_each_banner_language_carries_the_durations_in_its_own_words(tmp_path: Path) -> None:
    options = translated_project(tmp_path / "p", {"de": DE, "fr": "language: fr\n"})
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(text.replace("duration: 1 year}", "duration: P1Y6M}"), encoding="utf-8")
    policy = load_policy(options.policy_file)
    cfg = banner_config(policy, policy_url="/", changes_url="", language="en", others=banner_languages(options, policy))
    english = next(c for c in cfg["categories"] if c["id"] == "analytics")
    assert english["cookies"][0]["duration"] == "1 year, 6 months"
    for lang, words in (("de", "1 Jahr, 6 Monate"), ("fr", "1\u00a0an et 6\u00a0mois")):
        category = next(c for c in cfg["languages"][lang]["categories"] if c["cookies"])
        assert category["cookies"] == [{"purpose": category["cookies"][0]["purpose"], "duration": words}], lang


def test_explicit_banner_languages_need_texts(tmp_path: Path) -> None:
    options = translated_project(tmp_path / "p", {"de": DE})
    config = options.config_file.read_text(encoding="utf-8")
    options.config_file.write_text(
        config.replace("translations: [de]", "translations: [de]\n      banner_languages: [fr, ja]"), encoding="utf-8"
    )
    options = read_project(options.config_file)
    assert options.banner_langs == ("en", "fr", "ja")
    with pytest.raises(BuildError, match="'ja'"):
        site_banner(options, prepare(options).current, with_changes=False)


def test_each_language_is_in_its_own_first_stage_and_the_second_stage_only() -> None:
    """A site language's texts are in that language's first stage and in the second stage (every language), in no
    other language's first stage: a page's first file carries one language whatever the site's number (what that
    weighs, per language and in all: ``make bench``, bench/banner_sizes.py). The settings layer's own texts are in
    the second stage only."""
    options = read_project(ROOT / "mkdocs.yml")
    policy = prepare(options).current
    others = [BannerLanguage(lang, policy) for lang in ("de", "fr", "el")]
    cfg = banner_config(policy, policy_url=options.url(), changes_url="", language="en", others=others)
    files = banner_files(cfg)
    assert list(files.first) == ["en", "de", "fr", "el"]
    texts = {"en": cfg["texts"], **{lang: cfg["languages"][lang]["texts"] for lang in ("de", "fr", "el")}}
    for lang, own in texts.items():
        for key in ("accept", "reject", "customize"):  # the notice's (the policy words its title and text itself)
            quoted = widget.js_literal(own[key])
            assert quoted in files.settings, (lang, key)
            assert [other for other, text in files.first.items() if quoted in text] == [lang], (lang, key)
        for key in ("settingsTitle", "save", "alwaysOn"):  # the settings layer's
            quoted = widget.js_literal(own[key])
            assert quoted in files.settings and not any(quoted in text for text in files.first.values()), (lang, key)


def test_the_banner_takes_its_right_to_left_languages_from_the_build() -> None:
    """The configuration lists the banner's languages CLDR writes right to left (Pashto, Yiddish, Central Kurdish
    and the others a hand-written list missed); the script holds no list of its own."""
    options = read_project(ROOT / "mkdocs.yml")
    policy = prepare(options).current
    others = [BannerLanguage(lang, policy) for lang in ("ar", "de", "he")]
    cfg = banner_config(policy, policy_url="/", changes_url="", language="ps", others=others)
    assert cfg["rtl"] == ["ps", "ar", "he"]
    assert widget.compact(cfg)["rtl"] == ["ps", "ar", "he"]
    assert "rtl" not in banner_config(policy, policy_url="/", changes_url="", language="de")
    for name in ("main.js", "view.js", "model.js"):
        source = (ROOT / "consent_widget" / "src" / name).read_text(encoding="utf-8")
        assert not re.search(r"\bar\|he\b|\bhe\|ar\b", source), name
    assert "config).rtl?.includes(lang)" in (ROOT / "consent_widget" / "src" / "main.js").read_text(encoding="utf-8")
