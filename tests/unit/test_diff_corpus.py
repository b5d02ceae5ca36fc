"""The diff of two versions tells the truth: checked on a generated corpus and on hand-written cases (link
targets, renamed sections, footnotes, lists)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bench.redline_corpus import make_case, measure
from policyforge.cli.diff_text import ENGLISH, render_terminal
from policyforge.history.diff import diff_policies
from tests.unit.test_diff import BASE, policy, section


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_corpus_redline_is_minimal_and_complete(seed: int) -> None:
    result = measure(make_case(seed))
    assert result.words >= 5000
    assert result.complete, "unchanged + deleted words must give the old text, unchanged + inserted the new"
    assert result.marked <= result.minimal * 1.02
    assert result.marked >= result.minimal  # nothing changed goes unmarked
    assert result.links_found == result.links_expected > 0
    assert result.renames_found == result.renames_expected == 2


def with_text(text: str) -> Any:
    return policy([section("a", text), *BASE[1:]])


def test_a_changed_link_target_is_never_no_changes() -> None:
    d = diff_policies(with_text("Read [our statement](/docs/a.pdf)."), with_text("Read [our statement](/docs/b.pdf)."))
    assert not d.is_empty and ENGLISH.summary(d) != "No changes"
    assert "Link targets changed: 1" in ENGLISH.summary(d)
    assert [ENGLISH.link(link) for link in d.links] == ["Link target changed: /docs/a.pdf → /docs/b.pdf"]
    assert d.ids("changed") == ["a"] and d.words_added == d.words_removed == 0
    out = io.StringIO()
    render_terminal(d, out, color=False)
    assert "Link target changed: /docs/a.pdf → /docs/b.pdf" in out.getvalue()


def test_url_with_parentheses_does_not_corrupt_the_redline() -> None:
    d = diff_policies(
        with_text("See [the statement](/docs/statement(v2).pdf) for details."),
        with_text("See [the statement](/docs/statement(v2).pdf) now for details."),
    )
    (change,) = d.sections
    assert [(op.kind, op.text) for op in change.ops] == [
        ("equal", "See the statement"),
        ("insert", "now"),
        ("equal", "for details."),
    ]


def test_markdown_syntax_is_not_in_the_redline() -> None:
    d = diff_policies(
        with_text("Intro.\n\n1. _first_ item\n2. second\n\n- <https://example.org>"),
        with_text("Intro.\n\n1. _first_ item\n2. second one\n\n- <https://example.org>"),
    )
    words = [w for op in d.sections[0].ops for w in op.words]
    assert words == ["Intro.", "first", "item", "second", "one", "https://example.org"]
    # Emphasis added or autolink brackets written as a link with the same target: no change at all.
    same = diff_policies(with_text("A *b* c <https://x.org>"), with_text("A b c [https://x.org](https://x.org)"))
    assert same.is_empty


def test_a_section_with_a_new_id_and_95_percent_the_same_is_one_section() -> None:
    body = " ".join(f"word{i}" for i in range(60)) + "."
    old = policy([section("a"), section("old-id", body, title="Data We Keep"), section("c")])
    new = policy(
        [section("a"), section("c"), section("new-id", body.replace("word7 ", "seven "), title="Data We Store")]
    )
    d = diff_policies(old, new)
    (change,) = [c for c in d.sections if c.id == "new-id"]
    assert change.old_id == "old-id" and set(change.kinds) == {"moved", "renamed", "changed"}
    assert (change.words_added, change.words_removed) == (1, 1)
    assert d.ids("added") == d.ids("removed") == []


def test_unlike_sections_are_not_matched() -> None:
    old = policy([section("a"), section("gone", " ".join(f"old{i}" for i in range(30)))])
    new = policy([section("a"), section("came", " ".join(f"new{i}" for i in range(30)))])
    d = diff_policies(old, new)
    assert d.ids("added") == ["came"] and d.ids("removed") == ["gone"]


def test_terminal_never_says_title_title() -> None:
    d = diff_policies(policy(BASE), policy(BASE, title="Privacy Notice"))
    out = io.StringIO()
    render_terminal(d, out, color=False)
    assert "Changed: Title: Privacy Policy → Privacy Notice" in out.getvalue()
    assert "title title" not in out.getvalue()


def test_preamble_footnotes_and_titles_are_diffed_as_read() -> None:
    old = policy(BASE, preamble="This statement explains our work.")
    new = policy(BASE, preamble="This statement explains all our work.")
    (change,) = diff_policies(old, new).sections
    assert change.id == "@preamble" and (change.words_added, change.words_removed) == (1, 0)
    with_note = diff_policies(
        with_text("A claim.[^1]\n\n[^1]: The old source."), with_text("A claim.[^1]\n\n[^1]: The new source.")
    )
    assert [(op.kind, op.text) for op in with_note.sections[0].ops if op.kind != "equal"] == [
        ("delete", "old"),
        ("insert", "new"),
    ]
    emphasis_only = diff_policies(
        policy([section("a", title="Data we keep"), *BASE[1:]]),
        policy([section("a", title="Data we *keep*"), *BASE[1:]]),
    )
    assert emphasis_only.is_empty


def test_a_new_list_item_in_markdown_text_is_a_list_item_in_the_terminal() -> None:
    d = diff_policies(with_text("We collect:\n- name\n- email"), with_text("We collect:\n- name\n- email\n- phone"))
    out = io.StringIO()
    render_terminal(d, out, color=False)
    assert "\n  …\n  - email\n  - {+phone+}\n" in out.getvalue()  # far from the change: shortened
