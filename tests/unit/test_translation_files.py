"""Translation files written by policyforge: `translated_from` set in place (no other line touched) and the
skeleton `translate init` writes (every id, the original's texts, read back without a problem)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from policyforge.source.documents import project_documents
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from policyforge.translation.apply import translate_policy
from policyforge.translation.edits import Mark, MarkError, mark_text, mark_translation, skeleton_text
from policyforge.translation.read import fingerprint_section, read_translation
from tests.conftest import FIXTURES, ROOT

FILE = """\
# yaml-language-server: $schema=../translation.schema.json
# Deutsch, von Ana
language: de   # must equal the file name
title: Datenschutzerklärung
sections:
  intro:
    # the first paragraph
    title: Einleitung
    text: >-
      Wir betreiben Tiny App
      und erklären hier alles.
  usage:
    translated_from: 0123456789ab  # from the first release
    title: Nutzung
  flow: {title: Fluss, text: "Ein: Text"}
  empty-flow: {}
categories:
  essential:
      title: Notwendig
      description: Für den Betrieb nötig
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def test_a_new_mark_is_the_entrys_first_key_and_no_other_line_changes() -> None:
    after = mark_text(
        FILE, [Mark(("sections", "intro"), "aaaaaaaaaaaa"), Mark(("categories", "essential"), "bbbbbbbbbbbb")]
    )
    assert changed_lines(FILE, after) == ["+    translated_from: aaaaaaaaaaaa", "+      translated_from: bbbbbbbbbbbb"]
    assert "  intro:\n    translated_from: aaaaaaaaaaaa\n    # the first paragraph\n" not in after
    assert "    # the first paragraph\n    translated_from: aaaaaaaaaaaa\n    title: Einleitung\n" in after


def test_an_existing_mark_is_replaced_where_it_is_keeping_its_comment() -> None:
    after = mark_text(FILE, [Mark(("sections", "usage"), "cccccccccccc")])
    assert changed_lines(FILE, after) == [
        "-    translated_from: 0123456789ab  # from the first release",
        "+    translated_from: cccccccccccc  # from the first release",
    ]


def test_flow_entries_and_the_document() -> None:
    after = mark_text(
        FILE,
        [
            Mark(("sections", "flow"), "dddddddddddd"),
            Mark(("sections", "empty-flow"), "e" * 12),
            Mark((), "ffffffffffff"),
        ],
    )
    assert changed_lines(FILE, after) == [
        "+translated_from: ffffffffffff",
        '-  flow: {title: Fluss, text: "Ein: Text"}',
        "-  empty-flow: {}",
        '+  flow: {translated_from: dddddddddddd, title: Fluss, text: "Ein: Text"}',
        "+  empty-flow: {translated_from: eeeeeeeeeeee}",
    ]
    assert "language: de   # must equal the file name\ntranslated_from: ffffffffffff\ntitle:" in after
    again = mark_text(after, [Mark((), "0" * 12)])  # the document's mark now exists: replaced in place
    assert changed_lines(after, again) == ["-translated_from: ffffffffffff", "+translated_from: 000000000000"]


def test_windows_line_ends_are_kept() -> None:
    crlf = FILE.replace("\n", "\r\n")
    after = mark_text(crlf, [Mark(("sections", "intro"), "a" * 12)])
    assert after.count("\r\n") == crlf.count("\r\n") + 1 and "\n" not in after.replace("\r\n", "")


def test_an_entry_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(MarkError, match=r"^sections\.nope is not a mapping of translated texts$"):
        mark_text(FILE, [Mark(("sections", "nope"), "a" * 12)])


@pytest.mark.parametrize("project", [FIXTURES / "history-basic", ROOT], ids=["history-basic", "example"])
def test_the_skeleton_reads_back_as_the_original(project: Path, tmp_path: Path) -> None:
    """Every id with the original's texts: it reads without a problem and translates to the original itself."""
    for options in project_documents(read_project(project / "mkdocs.yml")):
        draft = load_policy(options.policy_file)
        path = tmp_path / f"{options.document or 'doc'}.fr.yaml"
        path.write_text(skeleton_text(draft, "fr"), encoding="utf-8")
        translation, errors, warnings = read_translation(path, draft, lang="fr")
        assert errors == [] and translation is not None
        assert warnings == []
        result = translate_policy(draft, translation)
        assert result.policy == draft
        # nothing is marked: every part shows the original (as not translated) until `translate mark`
        assert {s.status for s in result.states.values()} == {"missing"}
        assert all(s.line and s.translated_from is None for s in result.states.values())


def test_mark_translation_marks_every_entry_the_file_has(tmp_path: Path) -> None:
    draft = load_policy(FIXTURES / "history-basic" / "policy_source" / "policy.yaml")
    text = "language: de\nsections:\n  intro:\n    title: Einleitung\n    text: Wir erklären.\n"
    path = tmp_path / "de.yaml"
    path.write_text(text, encoding="utf-8")
    translation, errors, _ = read_translation(path, draft, lang="de", display="de.yaml")
    assert translation is not None and errors == []
    result = mark_translation(text, translation, draft, ())
    new, marked, already = result.text, result.marked, result.already
    intro = fingerprint_section(draft.sections[0])
    assert new == text.replace("  intro:\n", f"  intro:\n    translated_from: {intro}\n")
    assert [(m.title, m.line, m.fingerprint, m.was) for m in marked] == [("1. Introduction (#intro)", 3, intro, None)]
    assert already == 0
    with pytest.raises(MarkError) as info:
        mark_translation(text, translation, draft, ("account",))
    assert str(info.value) == "2.1 Account (#account) has no entry in de.yaml: translate it before marking it"
    with pytest.raises(MarkError) as info:
        mark_translation(text, translation, draft, ("intr",))
    assert str(info.value) == "no section, consent category or fact 'intr' in policy.yaml (did you mean 'intro'?)"
