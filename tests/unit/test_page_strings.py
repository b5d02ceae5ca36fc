"""The pages' own words (policyforge/site/strings.yaml): complete in the nine languages, the same placeholders as
English, every key the templates and generators use exists, and the fallbacks."""

from __future__ import annotations

import datetime as dt
import re
import string

from policyforge.site.strings import format_date, language_name, own_name, page_language, strings, text, text_direction
from tests.conftest import ROOT

LANGUAGES = {"en", "de", "ar", "fr", "es", "it", "nl", "pl", "pt"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_is_given_in_every_language_with_the_same_placeholders() -> None:
    for key, texts in strings().items():
        assert set(texts) >= LANGUAGES, f"{key}: missing {sorted(LANGUAGES - set(texts))}"
        for lang, value in texts.items():
            assert value.strip(), (key, lang)
            assert _fields(value) == _fields(texts["en"]), (key, lang)


def test_every_key_used_exists_and_every_key_is_used() -> None:
    called: set[str] = set()
    quoted: set[str] = set()
    for path in (ROOT / "policyforge" / "site").rglob("*"):
        if path.suffix in (".py", ".html", ".md"):
            source = path.read_text(encoding="utf-8")
            called |= set(re.findall(r"\b(?:t|text)\(\s*['\"]([a-z_]+)['\"]", source))
            quoted |= set(re.findall(r"['\"]([a-z_]+)['\"]", source))
    assert called - set(strings()) == set()
    titles = {f"{status}_title" for status in ("stale", "missing")}  # t(note.status ~ "_title")
    assert set(strings()) - quoted - titles == set()  # no text left over


def test_fallbacks_and_locale_data() -> None:
    assert text("version_history", "de") == "Versionsverlauf"
    assert text("version_history", "pt-BR") == "Histórico de versões"  # the base language's
    assert text("version_history", "fi") == "Version history"  # no Finnish texts: English
    assert (
        text("stale_notice", "de", language=language_name("en", "de"), date=format_date(dt.date(2025, 9, 1), "de"))
        == "Die Originalfassung dieses Abschnitts (Englisch) wurde am 1. September 2025 geändert und ist maßgeblich."
    )
    assert format_date(dt.date(2025, 3, 1), "en") == "March 1, 2025"
    assert format_date(dt.date(2025, 3, 1), "fi") == "1. maaliskuuta 2025"  # CLDR knows more than our texts
    assert own_name("de") == "Deutsch" and own_name("fr") == "Français"
    assert [text_direction(lang) for lang in ("ar", "he", "fa", "ur", "ar-EG", "de")] == ["rtl"] * 5 + ["ltr"]
    # from CLDR (Babel), not a list: every language and script written right to left
    rtl = ("ps", "yi", "ckb", "dv", "sd", "ug", "pa-Arab")
    assert [text_direction(lang) for lang in rtl] == ["rtl"] * len(rtl)
    assert [text_direction(lang) for lang in ("ku", "pa", "sd-Deva", "xx", "")] == ["ltr"] * 5
    with page_language("fr"):
        assert text("current_badge") == "Actuelle" and format_date(None) == "pas encore en vigueur"
    assert text("current_badge") == "Current"
