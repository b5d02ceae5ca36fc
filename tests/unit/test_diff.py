"""The section-aware diff: matching by id, moves, renames, word-level changes, consent, renderers."""

from __future__ import annotations

import io
import json
from typing import Any

from policyforge.cli.diff_text import ENGLISH, render_terminal
from policyforge.history.diff import diff_policies, diff_to_json, elide
from policyforge.site.redline import diff_html
from policyforge.source.loader import load_policy
from policyforge.source.model import Policy
from tests.conftest import ROOT


def section(sid: str, text: str = "", title: str = "", subs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": sid, "title": title or sid.title(), "text": text or f"Text of {sid}."}
    if subs:
        out["sections"] = subs
    return out


def policy(sections: list[dict[str, Any]], categories: list[dict[str, Any]] | None = None, **extra: Any) -> Policy:
    return Policy.model_validate(
        {
            "title": "Privacy Policy",
            "product": "Demo",
            "controller": {"name": "Demo", "email": "a@b.example"},
            "sections": sections,
            "consent": {
                "categories": categories
                or [{"id": "essential", "title": "Essential", "description": "Needed", "required": True}]
            },
            **extra,
        }
    )


BASE = [
    section("a"),
    section("b"),
    section("c"),
    section("d", subs=[section("d1"), section("d2")]),
    section("e"),
]


def test_identical_policies_have_no_changes() -> None:
    d = diff_policies(policy(BASE), policy(BASE))
    assert d.is_empty and ENGLISH.summary(d) == "No changes" and not d.consent_relevant
    assert len(d.unchanged) == 7


def test_insertions_and_removals_are_not_moves() -> None:
    new = [section("new-first"), section("a"), section("c"), section("d", subs=[section("d2")]), section("e")]
    d = diff_policies(policy(BASE), policy(new))
    assert d.ids("added") == ["new-first"]
    assert sorted(d.ids("removed")) == ["b", "d1"]
    assert d.ids("moved") == []


def test_true_move_among_siblings_and_to_another_parent() -> None:
    new = [
        section("a"),
        section("e"),
        section("b"),
        section("c", subs=[section("d1")]),
        section("d", subs=[section("d2")]),
    ]
    d = diff_policies(policy(BASE), policy(new))
    assert sorted(d.ids("moved")) == ["d1", "e"]
    assert d.ids("added") == d.ids("removed") == []
    moved = {c.id: c for c in d.sections}["d1"]
    assert moved.old is not None and moved.new is not None
    assert (moved.old.parent, moved.new.parent) == ("d", "c")


def test_rename_and_word_level_change() -> None:
    new = [section("a", title="Alpha"), section("b", "Text of b, now longer."), *BASE[2:]]
    d = diff_policies(policy(BASE), policy(new))
    assert d.ids("renamed") == ["a"] and d.ids("changed") == ["b"]
    change = {c.id: c for c in d.sections}["b"]
    assert [(op.kind, op.text) for op in change.ops] == [
        ("equal", "Text of"),
        ("delete", "b."),
        ("insert", "b, now longer."),
    ]
    assert (change.words_added, change.words_removed) == (3, 1)
    assert (d.words_added, d.words_removed) == (3, 1)


CATS = [
    {"id": "essential", "title": "Essential", "description": "Needed", "required": True},
    {
        "id": "analytics",
        "title": "Analytics",
        "description": "Counts",
        "cookies": [{"name": "_a", "provider": "Us", "purpose": "Count", "duration": "1 year"}],
    },
]
NEW_CATS = [  # a cookie's duration changed, a category with a Google Consent Mode signal added
    CATS[0],
    {**CATS[1], "cookies": [{"name": "_a", "provider": "Us", "purpose": "Count", "duration": "2 years"}]},
    {"id": "marketing", "title": "Marketing", "description": "Ads", "gcm": ["ad_storage"]},
]


def test_consent_changes_are_listed_and_consent_relevant() -> None:
    d = diff_policies(policy(BASE, CATS), policy(BASE, NEW_CATS))
    items = {(c.kind, c.subject, c.name) for c in d.consent}
    assert ("added", "category", "marketing") in items
    assert ("changed", "cookie", "_a") in items
    assert d.consent_relevant and "Consent-relevant" in ENGLISH.summary(d)
    lines = [ENGLISH.item(i) for i in d.consent]
    assert "Cookie _a: Analytics; Us; Count; 1 year → Analytics; Us; Count; 2 years" in lines
    assert "Consent category marketing: Marketing (optional); Google Consent Mode: ad_storage" in lines


def test_banner_wording_is_not_consent_relevant() -> None:
    old = policy(BASE)
    new = old.model_copy(
        update={
            "consent": old.consent.model_copy(
                update={"banner": old.consent.banner.model_copy(update={"title": "Biscuits"})}
            )
        }
    )
    assert not diff_policies(old, new).consent_relevant


def test_example_sample_amendment() -> None:
    old = load_policy(ROOT / "policy_source" / "versions" / "2025-03-01.yaml")
    new = load_policy(ROOT / "policy_source" / "policy.yaml")
    d = diff_policies(old, new)
    assert d.ids("moved") == ["data-retention"]
    assert d.ids("renamed") == ["third-party-services"]
    assert "international-transfers" in d.ids("changed")
    names = {c.name for c in d.consent if c.kind == "added"}
    assert {"pf_consent", "_pf_demo_analytics", "marketing"} <= names
    assert d.consent_relevant


def test_diff_html_is_escaped_and_accessible() -> None:
    # Code spans show markup as text: the redline must escape it (raw HTML is refused by the loader).
    old = policy([section("a", "Keep `<b>this</b>` & that.")])
    new = policy([section("a", "Keep `<script>alert(1)</script>` & that.", title="A `<i>`")])
    html = diff_html(diff_policies(old, new), new_href=lambda sid: f"new/#{sid}")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<ins><span class="pf-sr">added: </span>' in html
    assert '<del><span class="pf-sr">removed: </span>' in html
    assert "A &lt;i&gt;" in html and 'href="new/#a"' in html
    assert "\n\n" not in html  # one Markdown HTML block


def test_unchanged_sections_are_collapsed() -> None:
    new = [section("a", "Changed text."), *BASE[1:]]
    html = diff_html(diff_policies(policy(BASE), policy(new)))
    assert '<details class="pf-unchanged"><summary>Unchanged sections: 6</summary>' in html
    assert html.count('class="pf-diff-section"') == 1


def test_long_unchanged_runs_are_elided() -> None:
    words = " ".join(f"w{i}" for i in range(200))
    old = policy([section("a", words + " end.")])
    new = policy([section("a", words + " finish.")])
    html = diff_html(diff_policies(old, new))
    assert "w0 " not in html and "w199" in html and 'class="pf-elided"' in html


def test_json_is_plain_data() -> None:
    new = [section("a", title="Alpha"), *BASE[1:]]
    data = diff_to_json(diff_policies(policy(BASE), policy(new), old_label="x", new_label="y"))
    assert json.loads(json.dumps(data)) == data
    assert data["sections"][0]["id"] == "a" and data["sections"][0]["kinds"] == ["renamed"]
    assert data["counts"]["unchanged"] == 6


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_colour_only_on_a_tty(monkeypatch: Any) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    d = diff_policies(policy(BASE), policy([section("a", "Other words."), *BASE[1:]]))
    plain, tty = io.StringIO(), FakeTty()
    render_terminal(d, plain)
    render_terminal(d, tty)
    assert "\x1b[" not in plain.getvalue() and "{+Other words.+}" in plain.getvalue()
    assert "\x1b[32mOther words.\x1b[0m" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    quiet = FakeTty()
    render_terminal(d, quiet)
    assert "\x1b[" not in quiet.getvalue()


def test_large_policies_diff_correctly() -> None:
    def big(tag: str) -> Policy:
        secs = [
            section(f"s{i}", " ".join(f"word{i}x{j}" for j in range(100)) + (f" {tag}" if i % 10 == 0 else ""))
            for i in range(100)
        ]
        return policy(secs)

    d = diff_policies(big("old"), big("new"))
    assert d.words_old == d.words_new == 100 * 100 + 10
    assert d.ids("changed") == [f"s{i}" for i in range(0, 100, 10)]
    assert (d.words_added, d.words_removed) == (10, 10)


def test_every_diff_heading_has_a_unique_diff_id() -> None:
    import re

    cats = [{"id": "essential", "title": "Essential", "description": "Needed", "required": True}]
    more = [*cats, {"id": "ads", "title": "Ads", "description": "Ads"}]
    old = policy(
        [section("consent"), section("usage"), section("quick-reference")],
        cats,
        quick_reference=["Old point."],
        closing="Old closing.",
    )
    new = policy(
        [section("consent", "New."), section("usage", "New."), section("quick-reference", "New.")],
        more,
        quick_reference=["New point."],
        closing="New closing.",
    )
    html = diff_html(diff_policies(old, new))
    headings = re.findall(r"<h3([^>]*)>", html)
    ids = [re.fullmatch(r' id="([^"]+)"', attrs).group(1) for attrs in headings]  # type: ignore[union-attr]
    assert len(ids) == 6 and len(set(ids)) == 6 and all(i.startswith("diff-") for i in ids)
    assert ids[0] == "diff-consent" and "diff-usage" in ids and "diff-closing" in ids
    assert {"diff-consent-2", "diff-quick-reference", "diff-quick-reference-2"} <= set(ids)
    assert len(re.findall(r' id="', html)) == len(set(re.findall(r' id="([^"]+)"', html)))


def test_elision_is_shared_by_html_and_terminal() -> None:
    words = tuple(f"w{i}" for i in range(100))
    assert elide(words[:12], first=False, last=False, context=5) == (words[:12], 0, ())
    assert elide(words, first=False, last=False, context=5) == (words[:5], 90, words[95:])
    assert elide(words, first=True, last=False, context=5) == ((), 95, words[95:])
    assert elide(words, first=False, last=True, context=5) == (words[:5], 95, ())
    old = policy([section("a", " ".join(words) + " end.")])
    new = policy([section("a", " ".join(words) + " finish.")])
    d = diff_policies(old, new)
    out = io.StringIO()
    render_terminal(d, out)
    assert "  … w88 w89" in out.getvalue() and "w0 " not in out.getvalue()
    assert 'title="Unchanged words left out: 85">…</span> w85 w86' in diff_html(d)


def test_terminal_output_drops_control_characters_from_the_yaml(monkeypatch: Any) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    evil = "\x1b]0;pwned\x07\x1b[2J"
    old = policy([section("a", "Plain text here.", title="Alpha")])
    new = policy([section("a", f"Plain {evil}text \x9b31m here.\r", title=f"Alpha {evil}")])
    d = diff_policies(old, new, old_label="x\x1b[1m", new_label="y")
    plain, tty = io.StringIO(), FakeTty()
    render_terminal(d, plain)
    render_terminal(d, tty)
    assert not any(ch in plain.getvalue() for ch in "\x1b\x07\x9b\r")
    assert "]0;pwned[2J" in plain.getvalue()  # the text stays, only the control characters go
    colored = tty.getvalue()
    assert "\x07" not in colored and "\x9b" not in colored and "\x1b]" not in colored
    assert "\x1b[2J" not in colored and "\x1b[1m" in colored  # only our own colour codes
