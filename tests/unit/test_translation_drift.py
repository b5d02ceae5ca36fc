"""Translation drift over the history: the day the original changed after the text translated, the parts
stale or missing per language with the original's word diff since the translation, and what a release made stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyforge.cli.main import main as cli
from policyforge.history.dates import TODAY_ENV
from policyforge.history.releases import History, load_history
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy, Section
from policyforge.source.numbering import numbered_sections
from policyforge.source.options import ProjectOptions
from policyforge.translation.drift import (
    Timeline,
    changed_on,
    made_stale,
    translate_version,
    translation_status,
)
from policyforge.translation.read import (
    fingerprint_category,
    fingerprint_document,
    fingerprint_section,
    load_translations,
)
from policyforge.translation.snapshots import frozen_translation, release
from tests.conftest import invoke
from tests.helpers import translated_project

# The German translation of history-basic: intro, account and the document from the newest text; usage and
# sharing from the first release's (both changed in 2024-06-01); data, contact, cookies and analytics missing.
GERMAN = """\
# Deutsch
language: de
translated_from: {document}
title: Datenschutzerklärung
sections:
  intro: {{translated_from: {intro}, title: Einleitung, text: Wir betreiben Tiny App und erklären hier alles.}}
  account:
    translated_from: {account}   # done by Ana
    title: Konto
    text: Ihr Name und Ihre E-Mail-Adresse.
  usage:
    translated_from: {usage}
    title: Nutzung
    text: Seiten, die Sie besuchen, und Knöpfe, die Sie drücken.
  sharing:
    translated_from: {sharing}
    title: Weitergabe
    text: Wir verkaufen Ihre Daten niemals.
categories:
  essential:
    translated_from: {essential}
    title: Notwendig
    description: Für den Betrieb nötig
"""


def section(policy: Policy, sid: str) -> Section:
    return next(ns.section for ns in numbered_sections(policy.sections) if ns.section.id == sid)


def german(options: ProjectOptions) -> str:
    first, newest = (r.policy for r in load_history(options))
    return GERMAN.format(
        document=fingerprint_document(newest),
        intro=fingerprint_section(section(newest, "intro")),
        account=fingerprint_section(section(newest, "account")),
        usage=fingerprint_section(section(first, "usage")),
        sharing=fingerprint_section(section(first, "sharing")),
        essential=fingerprint_category(newest.categories[0]),
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    options = translated_project(tmp_path / "p", {"de": ""})
    (options.source / "translations" / "de.yaml").write_text(german(options), encoding="utf-8")
    return options


def draft_of(options: ProjectOptions) -> Policy:
    return load_policy(options.policy_file)


def test_changed_on_is_the_first_release_that_differs_after_the_text_translated(project: ProjectOptions) -> None:
    history = load_history(project)
    first, newest = (r.policy for r in history)
    draft = draft_of(project)
    usage_v1 = fingerprint_section(section(first, "usage"))
    assert changed_on(history, draft, "section", "usage", usage_v1, draft) == dt.date(2024, 6, 1)
    assert changed_on(history, draft, "section", "usage", usage_v1, newest) == dt.date(2024, 6, 1)
    assert changed_on(history, draft, "section", "usage", usage_v1, first) is None  # nothing changed up to then
    current = fingerprint_section(section(newest, "usage"))
    assert changed_on(history, draft, "section", "usage", current, draft) is None  # not changed since
    assert changed_on(history, draft, "section", "usage", "0123456789ab", draft) is None  # never matched
    assert changed_on(history, draft, "section", "usage", None, draft) is None
    # a category's and the document's texts are followed the same way
    analytics_v1 = fingerprint_category(first.categories[1])  # the cookie arrived in 2024-06-01
    assert changed_on(history, draft, "category", "analytics", analytics_v1, draft) == dt.date(2024, 6, 1)
    assert changed_on(history, draft, "document", "", fingerprint_document(first), draft) is None  # same texts


def test_a_change_in_the_draft_has_no_day_until_it_is_released(project: ProjectOptions) -> None:
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(text.replace("this policy explains", "this policy says"), encoding="utf-8")
    history = load_history(project)
    intro = fingerprint_section(section(history.releases[1].policy, "intro"))
    assert changed_on(history, draft_of(project), "section", "intro", intro, draft_of(project)) is None
    release(project, dt.date(2024, 9, 1), "Says, not explains.")
    history = load_history(project)
    assert changed_on(history, draft_of(project), "section", "intro", intro, draft_of(project)) == dt.date(2024, 9, 1)
    # an archive page of 2024-06-01 was current then: nothing had changed up to that release
    assert changed_on(history, None, "section", "intro", intro, history.releases[1].policy) is None


def test_status_lists_stale_and_missing_parts_with_the_originals_diff(project: ProjectOptions) -> None:
    (status,) = translation_status(project, load_history(project), draft_of(project))
    assert (status.lang, status.file, status.exists, status.errors) == (
        "de",
        project.display(project.source / "translations" / "de.yaml"),
        True,
        (),
    )
    assert dict(status.counts) == {"current": 4, "stale": 2, "missing": 4}
    assert [(d.state.key, d.title, d.where) for d in status.of("stale")] == [
        ("usage", "2.2 Usage (#usage)", f"{status.file}:11"),
        ("sharing", "5. Sharing With Others (#sharing)", f"{status.file}:15"),
    ]
    assert [(d.state.kind, d.title, d.where) for d in status.of("missing")] == [
        ("section", "2. Data We Collect (#data)", status.file),
        ("section", "3. Contact (#contact)", status.file),
        ("section", "4. Cookies (#cookies)", status.file),
        ("category", "consent category Analytics (analytics)", status.file),
    ]
    usage, sharing = status.of("stale")
    assert (usage.since, usage.changed_on) == ("2024-01-01", dt.date(2024, 6, 1))
    (change,) = usage.changes
    assert [(op.kind, op.text) for op in change.ops] == [
        ("equal", "Pages you"),
        ("delete", "visit and"),
        ("insert", "visit,"),
        ("equal", "buttons you"),
        ("delete", "press."),
        ("insert", "press and the errors you see."),
    ]
    assert change.fields == ()
    assert sharing.changes[0].fields == (("title", "Sharing", "Sharing With Others"),)
    assert not any(op.kind != "equal" for op in sharing.changes[0].ops)


def test_status_of_a_language_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    options = translated_project(tmp_path / "p", {})
    options = options.model_copy(update={"translations": ("ar",)})
    (status,) = translation_status(options, load_history(options), draft_of(options))
    assert not status.exists and dict(status.counts) == {"current": 0, "stale": 0, "missing": 10}


def test_a_release_tells_which_parts_it_made_stale(project: ProjectOptions) -> None:
    draft = draft_of(project)
    translations = load_translations(project, draft)
    text = project.policy_file.read_text(encoding="utf-8")
    text = text.replace("Your name and email address.", "Your name, email address and avatar.")
    text = text.replace(
        "  - id: sharing\n", "  - id: security\n    title: Security\n    text: We encrypt.\n  - id: sharing\n"
    )
    project.policy_file.write_text(text, encoding="utf-8")
    after = draft_of(project)
    found = [(lang, what, d.title, d.where) for lang, what, d in made_stale(draft, after, translations)]
    shown = translations["de"].file
    assert found == [
        ("de", "stale", "2.1 Account (#account)", f"{shown}:7"),
        ("de", "new", "5. Security (#security)", shown),
    ]
    assert made_stale(None, after, translations) == []  # a first release makes nothing stale


def test_a_history_with_a_stale_translation_is_reported_by_the_release_it_belongs_to(project: ProjectOptions) -> None:
    """The translation frozen with each release reads back for its archive page (lazily, like the policy)."""
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(text.replace("Your name and email address.", "Your name."), encoding="utf-8")
    release(project, dt.date(2024, 9, 1), "Name only.")
    history: History = load_history(project)
    rel = history.get("2024-09-01")
    frozen = frozen_translation(rel, "de")
    assert frozen is not None and frozen.file == project.display(project.source / "versions" / "2024-09-01.de.yaml")
    assert frozen.sections["account"].texts["title"] == "Konto"
    assert frozen_translation(rel, "de") is frozen  # read once
    assert frozen_translation(rel, "ar") is None and frozen_translation(history.releases[0], "de") is None
    assert history.validate() is history


def test_a_translation_ahead_of_the_release_in_effect_is_never_shown_for_it(project: ProjectOptions) -> None:
    """The translator translates a draft edit before its release: the page of the release in effect shows the
    translation frozen with that release (made from its text), else the original, never the draft's German."""
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(
        text.replace("Your name and email address.", "Your name, email and avatar."), encoding="utf-8"
    )
    draft = draft_of(project)
    german_text = german(project)
    history = load_history(project)
    in_effect = history.releases[1].policy
    ahead = german_text.replace(
        "{translated_from: " + fingerprint_section(section(in_effect, "account")),
        "{translated_from: " + fingerprint_section(section(draft, "account")),
    )
    ahead = ahead.replace(
        f"translated_from: {fingerprint_section(section(in_effect, 'account'))}   # done by Ana",
        f"translated_from: {fingerprint_section(section(draft, 'account'))}   # done by Ana",
    )
    ahead = ahead.replace("Ihr Name und Ihre E-Mail-Adresse.", "Ihr Name, Ihre E-Mail-Adresse und Ihr Avatar.")
    path = project.source / "translations" / "de.yaml"
    path.write_text(ahead, encoding="utf-8")
    live = load_translations(project, draft)["de"]
    timeline = Timeline(history, None)
    shown = translate_version(timeline, in_effect, live, "de")
    assert shown.states["account"].status == "missing"
    assert section(shown.policy, "account").text == "Your name and email address."
    assert shown.states["usage"].status == "stale" and section(shown.policy, "usage").title == "Nutzung"
    assert shown.states["intro"].status == "current"
    # Once the translation of the text in effect is frozen with its release, the page shows that one.
    path.write_text(german_text, encoding="utf-8")
    result = invoke(
        cli,
        ["translate", "freeze", "de", "--release", history.releases[1].date, "--config-file", str(project.config_file)],
    )
    assert result.exit_code == 0, result.output
    path.write_text(ahead, encoding="utf-8")
    history = load_history(project)
    in_effect = history.releases[1].policy
    shown = translate_version(Timeline(history, None), in_effect, load_translations(project, draft)["de"], "de")
    assert shown.states["account"].status == "current"
    assert section(shown.policy, "account").text == "Ihr Name und Ihre E-Mail-Adresse."
    assert shown.states["account"].file.endswith("versions/2024-06-01.de.yaml")
