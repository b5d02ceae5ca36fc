"""`policyforge translate` (status, mark, init, freeze), and translations in `check` and `release`: exact output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.history.dates import TODAY_ENV
from policyforge.history.releases import load_history
from policyforge.source.documents import document_options
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.read import fingerprint_section
from policyforge.translation.snapshots import frozen_translation
from tests.conftest import ROOT, copy_project, invoke
from tests.unit.test_translation_drift import german, section, translated_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProjectOptions:
    monkeypatch.setenv(TODAY_ENV, "2024-07-01")
    monkeypatch.chdir(tmp_path)
    options = translated_project(tmp_path / "p", {"de": ""})
    (options.source / "translations" / "de.yaml").write_text(german(options), encoding="utf-8")
    return options


def run(options: ProjectOptions, *args: str) -> tuple[int, str, str]:
    result = invoke(main, [*args, "-f", str(options.config_file)])
    return result.exit_code, result.stdout, result.stderr


def de(options: ProjectOptions) -> Path:
    return options.source / "translations" / "de.yaml"


STATUS = """\
de: 2 stale, 4 missing, 4 current ({f})
  {f}:11: stale: 2.2 Usage (#usage)
    translated from the text of the release 2024-01-01; the original changed on 2024-06-01. What changed since:
    Pages you [-visit and-] {{+visit,+}} buttons you [-press.-] {{+press and the errors you see.+}}
  {f}:15: stale: 5. Sharing With Others (#sharing)
    translated from the text of the release 2024-01-01; the original changed on 2024-06-01. What changed since:
    Title: Sharing → Sharing With Others
  {f}: missing: 2. Data We Collect (#data)
    not translated: the original's text is shown
  {f}: missing: 3. Contact (#contact)
    not translated: the original's text is shown
  {f}: missing: 4. Cookies (#cookies)
    not translated: the original's text is shown
  {f}: missing: consent category Analytics (analytics)
    not translated: the original's text is shown
6 parts to translate or mark (`policyforge translate mark LANG ID` once done).
"""


def test_status_lists_stale_and_missing_parts_with_the_word_diff(project: ProjectOptions) -> None:
    code, out, err = run(project, "translate", "status")
    assert (code, err) == (0, "")
    assert out == STATUS.format(f=project.display(de(project)))
    assert run(project, "translate", "status", "de")[1] == out
    assert run(project, "translate", "status", "--strict")[0] == 1  # for CI: something is stale or missing


def test_status_strict_passes_when_everything_is_current(project: ProjectOptions) -> None:
    de(project).write_text("language: de\n", encoding="utf-8")
    assert run(project, "translate", "status", "--strict")[0] == 1  # everything missing
    config = project.config_file
    assert config is not None
    config.write_text(
        config.read_text(encoding="utf-8").replace("translations: [de]", "translations: []"), encoding="utf-8"
    )
    code, out, _ = run(project, "translate", "status", "--strict")
    assert code == 0 and out.startswith("No translations are configured")


def test_status_refuses_a_language_not_configured(project: ProjectOptions) -> None:
    code, _, err = run(project, "translate", "status", "fr")
    assert code == 2 and "Invalid value for LANG: 'fr' is not one of the project's translations (configured: de)" in err
    code, _, err = run(project, "translate", "status", "Deutsch")
    assert code == 2 and "'Deutsch' is not a language tag such as de, pt-BR or zh-Hant" in err


def test_mark_then_status_is_current(project: ProjectOptions) -> None:
    before = de(project).read_text(encoding="utf-8")
    code, out, err = run(project, "translate", "mark", "de", "usage", "sharing")
    shown = project.display(de(project))
    history = load_history(project)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"{shown}:11: 2.2 Usage (#usage): translated_from ")
    assert lines[1].startswith(f"{shown}:15: 5. Sharing With Others (#sharing): translated_from ")
    assert lines[2] == (
        f"Marked 2 entries of {shown} as translated from the current {project.display(project.policy_file)}."
    )
    after = de(project).read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())  # replaced in place, no other line touched
    assert [a for a, b in zip(after.splitlines(), before.splitlines(), strict=True) if a != b] == [
        f"    translated_from: {line.split('translated_from ')[1].split(' ')[0]}" for line in lines[:2]
    ]
    assert history.newest is not None
    code, out, _ = run(project, "translate", "mark", "de")
    assert out == (
        f"Nothing to mark: the chosen entries of {shown} are already marked as translated from the "
        f"current {project.display(project.policy_file)}.\n"
    )
    assert run(project, "translate", "status")[1].startswith(f"de: 0 stale, 4 missing, 6 current ({shown})\n")


def test_mark_without_ids_never_silences_a_stale_entry(project: ProjectOptions) -> None:
    """A habitual `translate mark de` marks new entries only; stale ones are named, or marked with --all."""
    shown = project.display(de(project))
    before = de(project).read_bytes()
    code, out, err = run(project, "translate", "mark", "de")
    assert (code, err, de(project).read_bytes()) == (0, "", before)
    assert out.splitlines() == [
        "2.2 Usage (#usage): still stale, not marked again: once its translation is updated, name it "
        "(`policyforge translate mark de ID`) or use --all",
        "5. Sharing With Others (#sharing): still stale, not marked again: once its translation is updated, name "
        "it (`policyforge translate mark de ID`) or use --all",
        f"Nothing to mark: the chosen entries of {shown} are already marked as translated from the current "
        f"{project.display(project.policy_file)}.",
    ]
    assert run(project, "translate", "status")[1].startswith(f"de: 2 stale, 4 missing, 4 current ({shown})\n")
    code, out, _ = run(project, "translate", "mark", "de", "--all")
    assert code == 0 and out.count(": translated_from ") == 2


def test_mark_leaves_entries_with_problems_unmarked_and_lists_every_problem(project: ProjectOptions) -> None:
    text = de(project).read_text(encoding="utf-8").replace("    title: Konto\n", "    title: Konto\n    id: x\n")
    de(project).write_text(text.replace("categories:\n", "  nope: {title: x}\ncategories:\n"), encoding="utf-8")
    shown = project.display(de(project))
    before = de(project).read_bytes()
    code, out, err = run(project, "translate", "mark", "de", "account")  # chosen, with a problem: nothing is marked
    assert code == 2 and out == "" and de(project).read_bytes() == before
    assert err.splitlines()[:2] == [
        f"{shown}:10: sections.account.id: `id` may not be translated: it comes from the original",
        f"ERROR: 1 problem in {shown}; nothing was built.",
    ]
    code, out, err = run(project, "translate", "mark", "de", "--all")  # every entry: the others are marked
    assert code == 1
    assert [line.split(": translated_from")[0] for line in out.splitlines()[:2]] == [
        f"{shown}:12: 2.2 Usage (#usage)",
        f"{shown}:16: 5. Sharing With Others (#sharing)",
    ]
    assert err.splitlines() == [
        f"{shown}:10: sections.account.id: `id` may not be translated: it comes from the original",
        f"{shown}:20: sections.nope: no section 'nope' in the original",
        "warning: 2.1 Account (#account) is not marked: its entry has problems (above)",
        f"ERROR: 2 problems in {shown}; entries with problems are not marked.",
    ]
    de(project).write_text("language: fr\n", encoding="utf-8")  # a problem of the whole file: nothing is marked
    code, _, err = run(project, "translate", "mark", "de")
    assert code == 2
    assert err.splitlines()[0] == f"{shown}:1: language: expected `language: de` (the file's name says de)"


def test_init_writes_a_skeleton_once(project: ProjectOptions) -> None:
    code, out, err = run(project, "translate", "init", "fr")
    target = project.source / "translations" / "fr.yaml"
    shown = project.display(target)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Wrote {shown} with the original's texts of 7 sections and 2 consent categories, to be replaced by their fr "
        "translation.",
        "When an entry is translated, run `policyforge translate mark fr ID`; `policyforge translate status fr` lists "
        "what is left.",
        "It is not published yet: add fr to `translations:` in the policyforge plugin options.",
    ]
    assert "  usage:\n    title: Usage\n    text: Pages you visit, buttons you press and the errors you see.\n" in (
        target.read_text(encoding="utf-8")
    )
    code, _, err = run(project, "translate", "init", "fr")
    assert code == 2 and err.splitlines()[0] == (
        f"ERROR: {shown} already exists; translate init never overwrites a translation"
    )
    code, _, err = run(project, "translate", "init", "en")
    assert code == 2 and "'en' is the original's language (the `language` option)" in err


def test_check_reports_untranslated_parts_as_warnings(project: ProjectOptions) -> None:
    code, out, err = run(project, "check")
    shown = project.display(de(project))
    assert code == 0
    assert out.splitlines()[1] == (
        f"Translation de ({shown}): 4 current, 2 stale, 4 missing; `policyforge translate status` shows what changed."
    )
    assert err.splitlines()[:4] == [
        f"{shown}:5: warning: section 'data' is not translated (the original's text is shown)",
        f"{shown}:5: warning: section 'contact' is not translated (the original's text is shown)",
        f"{shown}:5: warning: section 'cookies' is not translated (the original's text is shown)",
        f"{shown}:19: warning: consent category 'analytics' is not translated (the original's texts are shown)",
    ]


def test_check_reports_translation_errors_with_the_policys_all_at_once(project: ProjectOptions) -> None:
    de(project).write_text(de(project).read_text(encoding="utf-8") + "banner:\n  acept: Ja\n", encoding="utf-8")
    draft = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(draft.replace("email: privacy@tiny.example", "email: nope"), encoding="utf-8")
    code, _, err = run(project, "check")
    assert code == 2
    assert "malformed e-mail address 'nope'" in err  # the policy's problem ...
    project.policy_file.write_text(draft, encoding="utf-8")
    code, _, err = run(project, "check")
    shown = project.display(de(project))
    assert code == 2 and err.splitlines() == [
        f"{shown}:25: banner.acept: unknown key 'acept' in the banner texts (did you mean 'accept'?)",
        f"ERROR: 1 problem in {project.display(project.source)}; nothing was built.",
        "hint: Fix the lines above; `policyforge check` re-validates without building.",
    ]


def test_check_with_stale_translations_as_errors(project: ProjectOptions) -> None:
    """The same errors as the build: stale against the policy in effect, with the build's messages."""
    config = project.config_file
    assert config is not None
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "translations: [de]", "translations: [de]\n      stale_translations: error"
        ),
        encoding="utf-8",
    )
    code, _, err = run(project, "check")
    shown = project.display(de(project))
    history = load_history(project)
    assert code == 2
    assert err.splitlines()[:2] == [
        f"{shown}:11: the de translation of section #usage is stale: it was translated from another text of the "
        f"original (translated_from {fingerprint_section(section(history.releases[0].policy, 'usage'))}, the "
        f"original is now {fingerprint_section(section(history.releases[1].policy, 'usage'))}); update the "
        "translation and run `policyforge translate mark de`, or set `stale_translations: notice` to publish it "
        "with a notice",
        f"{shown}:15: the de translation of section #sharing is stale: it was translated from another text of the "
        f"original (translated_from {fingerprint_section(section(history.releases[0].policy, 'sharing'))}, the "
        f"original is now {fingerprint_section(section(history.releases[1].policy, 'sharing'))}); update the "
        "translation and run `policyforge translate mark de`, or set `stale_translations: notice` to publish it "
        "with a notice",
    ]
    # marked against an unreleased draft, the entry is ahead of the page in effect: the build shows the
    # original there (never the draft's translation), so it is not stale and check passes as the build would
    assert run(project, "translate", "mark", "de", "--all")[0] == 0
    assert run(project, "check")[0] == 0
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(text.replace("Your name and email address.", "Your name."), encoding="utf-8")
    assert run(project, "translate", "mark", "de", "account")[0] == 0
    code, _, err = run(project, "check")
    assert code == 0 and " is stale" not in err


def test_release_freezes_translations_and_tells_what_it_made_stale(project: ProjectOptions) -> None:
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(text.replace("Your name and email address.", "Your name."), encoding="utf-8")
    code, out, err = run(project, "release", "--effective", "2024-09-01", "--summary", "Name only.")
    shown = project.display(de(project))
    versions = project.display(project.source / "versions")
    assert code == 0
    assert out.splitlines()[1] == f"Froze its translations as they are: {versions}/2024-09-01.de.yaml."
    assert err.splitlines() == [
        "Translations this release made stale (the original changed since they were translated):",
        f"  de: 2.1 Account (#account), {shown}:7",
        "Translators: `policyforge translate status de` shows what changed in each.",
    ]
    entry = json.loads((project.source / "versions.lock").read_text(encoding="utf-8"))["versions"][-1]
    assert list(entry["translations"]) == ["de"]


def test_release_refuses_a_translation_with_errors(project: ProjectOptions) -> None:
    de(project).write_text("language: de\nsections:\n  nope: {title: x}\n", encoding="utf-8")
    text = project.policy_file.read_text(encoding="utf-8")
    project.policy_file.write_text(text.replace("Your name and email address.", "Your name."), encoding="utf-8")
    lock = (project.source / "versions.lock").read_bytes()
    code, _, err = run(project, "release", "--effective", "2024-09-01", "--summary", "Name only.")
    assert code == 2 and err.splitlines()[0] == (
        f"{project.display(de(project))}:3: sections.nope: no section 'nope' in the original"
    )
    assert (project.source / "versions.lock").read_bytes() == lock
    assert sorted(p.name for p in (project.source / "versions").iterdir()) == ["2024-01-01.yaml", "2024-06-01.yaml"]


def test_freeze_adds_a_translation_finished_after_its_release(project: ProjectOptions) -> None:
    code, out, _ = run(project, "translate", "freeze", "de")
    frozen = project.source / "versions" / "2024-06-01.de.yaml"
    assert code == 0 and out.startswith(f"Froze {project.display(de(project))} as {project.display(frozen)} (sha256 ")
    assert frozen.read_bytes() == de(project).read_bytes()
    rel = load_history(project).get(dt.date(2024, 6, 1))
    assert frozen_translation(rel, "de") is not None
    de(project).write_text(de(project).read_text(encoding="utf-8") + "# a correction\n", encoding="utf-8")
    code, _, err = run(project, "translate", "freeze", "de", "--release", "2024-06-01")
    assert code == 2 and "a published translation cannot be rewritten" in err.splitlines()[0]
    code, _, err = run(project, "translate", "freeze", "de", "--release", "2024-02-30")
    assert code == 2 and "'2024-02-30' is an impossible date: February 2024 has 29 days" in err


def test_status_as_json(project: ProjectOptions) -> None:
    code, out, _ = run(project, "translate", "status", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["behind"] == 6
    (doc,) = data["documents"]
    (lang,) = doc["languages"]
    assert (doc["policy"], lang["lang"], lang["counts"]) == (
        project.display(project.policy_file),
        "de",
        {"current": 4, "stale": 2, "missing": 4},
    )
    usage = next(p for p in lang["parts"] if p["key"] == "usage")
    assert {k: usage[k] for k in ("status", "kind", "key", "title", "line", "since", "changed_on")} == {
        "status": "stale",
        "kind": "section",
        "key": "usage",
        "title": "2.2 Usage (#usage)",
        "line": 11,
        "since": "2024-01-01",
        "changed_on": "2024-06-01",
    }
    assert usage["changes"][0]["ops"][:2] == [["equal", "Pages you"], ["delete", "visit and"]]
    assert [p["key"] for p in lang["parts"] if p["status"] == "missing"] == ["data", "contact", "cookies", "analytics"]


def test_editing_one_english_section_of_the_example_makes_exactly_that_german_section_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = copy_project(tmp_path / "example", ROOT)
    args = ["-f", str(config), "--document", "privacy"]
    assert invoke(main, ["translate", "mark", "de", "--all", *args]).exit_code == 0  # the deliberately stale one too
    assert invoke(main, ["translate", "status", "--strict", *args]).exit_code == 0
    policy = tmp_path / "example" / "policy_source" / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "Payments are securely processed by Stripe", "Payments are processed by Stripe"
        ),
        encoding="utf-8",
    )
    result = invoke(main, ["translate", "status", "--strict", *args])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "de: 1 stale, 0 missing, 36 current (policy_source/translations/de.yaml)"
    assert lines[1] == "  policy_source/translations/de.yaml:115: stale: 6. Payments (#payments)"
    newest = load_history(document_options(read_project(config), "privacy")).newest
    assert newest is not None
    assert lines[2] == (
        f"    translated from the text of the release {newest.date}; the original changed in the draft "
        "(not released yet). What changed since:"
    )
    assert "Payments are [-securely-] processed by Stripe" in lines[3]


def test_status_reports_a_file_that_does_not_read_and_shows_every_part_missing(project: ProjectOptions) -> None:
    de(project).write_text("language: de\nsections:\n  intro: {title: 'Einleitung}\n", encoding="utf-8")
    code, out, _ = run(project, "translate", "status", "--strict")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"de: 0 stale, 10 missing, 0 current ({project.display(de(project))})"
    assert lines[1].startswith(f"  {project.display(de(project))}:3: ") and "quote" in lines[1]


def test_init_points_every_documents_translation_at_the_one_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = copy_project(tmp_path / "example", ROOT)
    for document, folder in (("privacy", "policy_source"), ("terms", "terms_source")):
        assert invoke(main, ["translate", "init", "fr", "-f", str(config), "--document", document]).exit_code == 0
        written = tmp_path / "example" / folder / "translations" / "fr.yaml"
        reference = written.read_text(encoding="utf-8").splitlines()[0].removeprefix("# yaml-language-server: $schema=")
        assert (written.parent / reference).resolve() == (
            tmp_path / "example" / "policy_source" / "translation.schema.json"
        ).resolve()
