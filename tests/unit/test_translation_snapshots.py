"""Translations frozen with a release: versions/DATE.LANG.yaml, hashed in versions.lock, verified like
released files, kept (still verified) by a withdrawal, added later by `translate freeze` without rewriting a
published one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import LockError, ReleaseError
from policyforge.history.dates import TODAY_ENV
from policyforge.history.lock import lock_text, read_lock
from policyforge.history.release import withdraw
from policyforge.history.releases import load_history
from policyforge.source.options import ProjectOptions
from policyforge.translation.snapshots import add_snapshot, frozen_translation, release
from tests.conftest import invoke
from tests.helpers import translated_project

DE = """\
# yaml-language-server: $schema=../translation.schema.json
language: de
sections:
  sharing:
    title: Weitergabe an Dritte
    text: Wir verkaufen Ihre Daten niemals.
"""
AR = "language: ar\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_draft(options: ProjectOptions) -> None:
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(
        text.replace("never sell your data", "never sell or rent your data"), encoding="utf-8"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    return translated_project(tmp_path / "p", {"de": DE, "ar": AR})


def lock_entries(options: ProjectOptions) -> list[dict[str, object]]:
    data = json.loads((options.source / "versions.lock").read_text(encoding="utf-8"))
    entries: list[dict[str, object]] = data["versions"]
    return entries


def test_release_freezes_each_translation_byte_for_byte(project: ProjectOptions) -> None:
    edit_draft(project)
    (project.source / "translations" / "ar.yaml").unlink()  # a configured language without a file yet
    rel = release(project, dt.date(2024, 9, 1), "Rent too.").release
    frozen = project.source / "versions" / "2024-09-01.de.yaml"
    assert frozen.read_text(encoding="utf-8") == DE  # the schema line stays: versions/ is as deep as translations/
    assert not (project.source / "versions" / "2024-09-01.ar.yaml").exists()
    assert dict(rel.translations) == {"de": sha(frozen)}
    entry = lock_entries(project)[-1]
    assert list(entry) == ["effective", "published", "file", "sha256", "translations", "summary"]
    assert entry["translations"] == {"de": sha(frozen)}
    assert "translations" not in lock_entries(project)[0]  # older entries stay as they were
    loaded = load_history(project).get("2024-09-01")
    assert dict(loaded.translations) == {"de": sha(frozen)}
    assert loaded.translation_file("de") == "versions/2024-09-01.de.yaml" and loaded.translation_file("ar") is None


def test_a_language_not_configured_is_not_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    options = translated_project(tmp_path / "p", {})
    (options.source / "translations").mkdir()
    (options.source / "translations" / "de.yaml").write_text(DE, encoding="utf-8")  # a translation in progress
    edit_draft(options)
    rel = release(options, dt.date(2024, 9, 1), "Rent too.").release
    assert dict(rel.translations) == {} and "translations" not in lock_entries(options)[-1]
    assert sorted(p.name for p in (options.source / "versions").iterdir()) == [
        "2024-01-01.yaml",
        "2024-06-01.yaml",
        "2024-09-01.yaml",
    ]


def test_a_modified_frozen_translation_is_refused(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    frozen = project.source / "versions" / "2024-09-01.de.yaml"
    expected = sha(frozen)
    frozen.write_text(DE.replace("niemals", "nie"), encoding="utf-8")
    with pytest.raises(LockError) as info:
        load_history(project)
    assert str(info.value) == (
        f"{project.display(frozen)}: frozen translation was modified (expected sha256 {expected}, actual {sha(frozen)})"
    )
    assert info.value.hint.startswith("A published translation is never rewritten")
    assert "translations/de.yaml" in info.value.hint


def test_a_missing_frozen_translation_is_refused(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    frozen = project.source / "versions" / "2024-09-01.de.yaml"
    expected = sha(frozen)
    frozen.unlink()
    with pytest.raises(LockError) as info:
        load_history(project)
    assert str(info.value) == (
        f"{project.display(frozen)}: frozen translation is missing (expected sha256 {expected}, actual: no file)"
    )


def test_an_unlisted_frozen_translation_is_refused(project: ProjectOptions) -> None:
    stray = project.source / "versions" / "2024-06-01.de.yaml"
    stray.write_text(DE, encoding="utf-8")
    with pytest.raises(LockError) as info:
        load_history(project)
    assert str(info.value) == (
        f"{project.display(stray)}: frozen translation without an entry in "
        f"{project.display(project.source / 'versions.lock')} (expected: no such file; "
        f"actual sha256 {sha(stray)})"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["de"], "entry 2 has translations ['de']; expected an object of language → sha256"),
        (
            {"Deutsch": "0" * 64},
            "entry 2 lists the translation 'Deutsch', which is not a language tag such as de or pt-BR",
        ),
        ({"de": "abc"}, "entry 2 has sha256 'abc' for its translation de; expected 64 lowercase hex digits"),
    ],
)
def test_malformed_translations_in_the_lock(project: ProjectOptions, value: object, message: str) -> None:
    lock = project.source / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["versions"][1]["translations"] = value
    lock.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LockError) as info:
        read_lock(project)
    assert str(info.value) == f"{project.display(lock)}: {message}"


def test_old_locks_round_trip_unchanged(project: ProjectOptions) -> None:
    lock = project.source / "versions.lock"
    assert lock_text(read_lock(project)) == lock.read_text(encoding="utf-8")
    assert lock_text([r.lock_entry() for r in load_history(project)]) == lock.read_text(encoding="utf-8")


def test_withdraw_keeps_the_frozen_translations_locked(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    frozen = project.source / "versions" / "2024-09-01.ar.yaml"
    assert frozen.is_file()
    withdraw(project, dt.date(2024, 9, 1), "Rent is not offered after all.")
    assert sorted(p.name for p in (project.source / "versions").iterdir()) == [
        "2024-01-01.yaml",
        "2024-06-01.yaml",
        "2024-09-01.ar.yaml",
        "2024-09-01.de.yaml",
        "2024-09-01.yaml",
    ]
    history = load_history(project)
    assert len(history) == 2 and sorted(history.withdrawn[0].translations) == ["ar", "de"]
    frozen.write_text(frozen.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(LockError):
        load_history(project)


def test_freezing_a_translation_keeps_a_withdrawn_announcement_in_the_lock(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    withdraw(project, dt.date(2024, 9, 1), "Not yet.")
    result = invoke(main, ["translate", "freeze", "-f", str(project.config_file), "de", "--release", "2024-06-01"])
    assert result.exit_code == 0, result.output
    history = load_history(project)
    assert [r.date for r in history.withdrawn] == ["2024-09-01"]
    assert "de" in history.get("2024-06-01").translations


def test_a_translation_finished_after_the_release_is_added(
    project: ProjectOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project.source / "translations" / "de.yaml").unlink()
    edit_draft(project)
    release(project, dt.date(2024, 7, 1), "Rent too.")  # in effect from today
    (project.source / "translations" / "de.yaml").write_text(DE, encoding="utf-8")
    entries = read_lock(project)
    done = add_snapshot(project, entries, len(entries) - 1, "de", upcoming=False)
    assert (done.action, done.file) == ("added", "versions/2024-07-01.de.yaml")
    rel = load_history(project).get("2024-07-01")
    assert sorted(rel.translations) == ["ar", "de"]  # the lock keeps the language frozen with the release
    again = add_snapshot(project, read_lock(project), len(entries) - 1, "de", upcoming=False)
    assert again.action == "unchanged"
    (project.source / "translations" / "de.yaml").write_text(DE.replace("niemals", "nie"), encoding="utf-8")
    before = (project.source / "versions.lock").read_bytes()
    with pytest.raises(ReleaseError) as info:
        add_snapshot(project, read_lock(project), len(entries) - 1, "de", upcoming=False)
    assert str(info.value) == (
        f"the release 2024-07-01 already has a de translation ({project.display(project.source / 'versions')}"
        "/2024-07-01.de.yaml) and is in effect since 2024-07-01 (today is 2024-07-01); a published translation "
        "cannot be rewritten"
    )
    assert (project.source / "versions.lock").read_bytes() == before
    assert (project.source / "versions" / "2024-07-01.de.yaml").read_text(encoding="utf-8") == DE


def test_an_upcoming_release_takes_a_corrected_translation(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    corrected = DE.replace("niemals", "nie")
    (project.source / "translations" / "de.yaml").write_text(corrected, encoding="utf-8")
    entries = read_lock(project)
    assert add_snapshot(project, entries, 2, "de", upcoming=True).action == "replaced"
    assert (project.source / "versions" / "2024-09-01.de.yaml").read_text(encoding="utf-8") == corrected
    assert load_history(project).get("2024-09-01").translations["de"] == sha(
        project.source / "versions" / "2024-09-01.de.yaml"
    )


def test_freezing_needs_a_configured_language_with_a_file(project: ProjectOptions) -> None:
    entries = read_lock(project)
    with pytest.raises(ReleaseError, match=r"^'fr' is not one of the project's translations \(configured: de, ar\)$"):
        add_snapshot(project, entries, 1, "fr", upcoming=False)
    (project.source / "translations" / "ar.yaml").unlink()
    with pytest.raises(ReleaseError) as info:
        add_snapshot(project, entries, 1, "ar", upcoming=False)
    assert str(info.value) == (
        f"{project.display(project.source / 'translations' / 'ar.yaml')} does not exist: "
        "there is no ar translation to freeze"
    )


def test_a_regional_language_tag_names_its_frozen_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    options = translated_project(tmp_path / "p", {"pt-BR": "language: pt-BR\n"})
    edit_draft(options)
    release(options, dt.date(2024, 9, 1), "Rent too.")
    rel = load_history(options).get("2024-09-01")
    assert rel.translation_file("pt-BR") == "versions/2024-09-01.pt-BR.yaml"
    frozen = frozen_translation(rel, "pt-BR")
    assert frozen is not None and frozen.lang == "pt-BR"


def test_versions_lists_the_translations_frozen_with_each_release(project: ProjectOptions) -> None:
    edit_draft(project)
    release(project, dt.date(2024, 9, 1), "Rent too.")
    result = invoke(main, ["versions", "-f", str(project.config_file)])
    assert result.stdout.splitlines()[1:3] == [
        "2024-09-01  upcoming  no       2024-07-01  Rent too. [translations: de, ar]",
        "2024-06-01  current   yes      2024-06-01  Renames Sharing, moves Contact, declares the analytics cookie.",
    ]
