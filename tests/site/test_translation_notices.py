"""Drift on the translated sites: an edited English section makes exactly that section stale in German (a notice on
the page), missing parts show the original marked with its language, and `stale_translations: error` fails the build
with the translation file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from policyforge.errors import SourceError
from policyforge.mkdocs_plugin import engine
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.helpers import languages_project

EDITED = dt.date(2024, 9, 1)


def _edited(folder: Path) -> ProjectOptions:
    """The three-language fixture after the English "Usage" section changed in a release of 2024-09-01."""
    options = languages_project(folder)
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(
        text.replace("the errors you see.", "the errors you see, and your device type.").replace(
            "effective: 2024-06-01\nupdated: 2024-06-01", "effective: 2024-09-01\nupdated: 2024-09-01"
        ),
        encoding="utf-8",
    )
    release(options, EDITED, "Usage names the device type.", published=EDITED, backdate=True)
    return options


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    options = _edited(tmp_path_factory.mktemp("stale") / "p")
    assert options.config_file is not None
    return engine.build(options.config_file)


def _notices(html: str) -> list[tuple[str, str]]:
    """(section id, text) of each section notice on a page."""
    found = re.findall(
        r'<div class="admonition (?:warning|note) pf-translation-(\w+)" role="note" '
        r'data-section="([^"]+)"><p class="admonition-title">[^<]+</p><p>(.*?)</p></div>',
        html,
    )
    return [(section, f"{status}: {text}") for status, section, text in found]


def test_editing_an_english_section_makes_exactly_that_german_section_stale(stale_site: Path) -> None:
    german = (stale_site / "de" / "index.html").read_text(encoding="utf-8")
    assert _notices(german) == [
        (
            "usage",
            "stale: Die Originalfassung dieses Abschnitts (Englisch) wurde am "
            "1. September 2024 geändert und ist maßgeblich.",
        )
    ]
    assert "Die Seiten, die Sie besuchen" in german  # the stale translation is shown, with its notice
    arabic = (stale_site / "ar" / "index.html").read_text(encoding="utf-8")
    assert [section for section, _ in _notices(arabic)] == ["usage"]
    assert "الإنجليزية" in _notices(arabic)[0][1]  # "English", in Arabic
    assert _notices((stale_site / "index.html").read_text(encoding="utf-8")) == []  # the original has none


def test_archived_version_uses_the_translation_frozen_with_it(stale_site: Path) -> None:
    # 2024-09-01 froze de.yaml as it was (Usage stale); 2024-06-01 had no translation: shown in the original.
    frozen = (stale_site / "de" / "versions" / "2024-09-01" / "index.html").read_text(encoding="utf-8")
    assert "Die Seiten, die Sie besuchen" in frozen and [s for s, _ in _notices(frozen)] == ["usage"]
    older = (stale_site / "de" / "versions" / "2024-06-01" / "index.html").read_text(encoding="utf-8")
    assert "Für diese Fassung gibt es keine Übersetzung" in older
    assert "Pages you visit" in older and "Die Seiten, die Sie besuchen" not in older
    assert _notices(older) == []  # one notice for the page, not one per section; each part marked as English
    assert '<div class="pf-body" data-section="usage" lang="en" dir="ltr">' in older
    assert '<h3 dir="ltr" id="usage" lang="en">' in older


def test_missing_parts_show_the_original_marked_with_its_language(tmp_path: Path) -> None:
    options = languages_project(tmp_path / "p")
    german = options.source / "translations" / "de.yaml"
    text = german.read_text(encoding="utf-8")
    start = text.index("  contact:\n")
    end = text.index("  cookies:\n")
    german.write_text(text[:start] + text[end:], encoding="utf-8")  # no German "Contact" section
    assert options.config_file is not None
    site = engine.build(options.config_file)
    page = (site / "de" / "index.html").read_text(encoding="utf-8")
    assert [(s, t.split(":")[0]) for s, t in _notices(page)] == [("contact", "missing")]
    assert '<h2 dir="ltr" id="contact" lang="en">' in page
    assert '<div class="pf-body" data-section="contact" lang="en" dir="ltr"><p>Write to' in page
    arabic = (site / "ar" / "index.html").read_text(encoding="utf-8")
    assert _notices(arabic) == []


def test_strict_option_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    options = _edited(tmp_path / "p")
    assert options.config_file is not None
    config = options.config_file
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "translations: [de, ar]", "translations: [de, ar]\n      stale_translations: error"
        ),
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        engine.build(config)
    message = "\n".join(str(p) for p in caught.value.problems)
    lines = {}
    for lang in ("de", "ar"):
        text = (options.source / "translations" / f"{lang}.yaml").read_text(encoding="utf-8").splitlines()
        lines[lang] = text.index("  usage:") + 1
    assert len(caught.value.problems) == 2, message  # exactly Usage, in each language
    assert f"policy_source/translations/de.yaml:{lines['de']}:" in message
    assert f"policy_source/translations/ar.yaml:{lines['ar']}:" in message
    assert "section #usage is stale" in message and "policyforge translate mark de" in message
    assert not (config.parent / "site").exists()  # nothing half-written
    assert read_project(config).stale_translations == "error"


def test_a_failing_language_build_leaves_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    from policyforge.errors import BuildError, PolicyError
    from policyforge.mkdocs_plugin.plugin import PolicyForgePlugin
    from tests.helpers import tree

    options = languages_project(tmp_path / "p")
    assert options.config_file is not None
    site = engine.build(options.config_file)
    before = tree(site)

    def fail(self: object, cfg: object, prepared: object) -> None:
        error = BuildError("the German site failed")
        raise PluginError(str(error)) from error

    monkeypatch.setattr(PolicyForgePlugin, "nested", fail)  # a language's build
    with pytest.raises(PolicyError, match="the German site failed"):
        engine.build(options.config_file)
    assert tree(site) == before  # the whole site, every language, is swapped in or nothing is
    assert not list(options.root.glob(".site.*"))
