"""A change page states a changed retention and a new recipient in words (issue 23 build 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policyforge.site.build import generate_pages
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project
from tests.helpers import inputs_on
from tests.unit.test_fact_diff import source

FIRST, SECOND = dt.date(2099, 1, 1), dt.date(2099, 6, 1)


def released(tmp_path: Path) -> ProjectOptions:
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "facts-complete"))
    options.policy_file.write_text(source(retention="P24M"), encoding="utf-8")
    release(options, FIRST, "First.", published=dt.date(2025, 1, 1))
    new = source(retention="P12M", sentry=True, extra=(("This policy explains", "This notice explains"),))
    options.policy_file.write_text(new, encoding="utf-8")
    release(options, SECOND, "Shorter account retention, error monitoring.", published=dt.date(2025, 1, 1))
    return options


def test_a_german_change_page_states_them_in_german(tmp_path: Path) -> None:
    options = released(tmp_path).model_copy(update={"language": "de"})
    page = generate_pages(inputs_on(options, SECOND))["changes/2099-06-01.md"]
    assert "Änderungen an Verarbeitungen, Empfängern und Verantwortlichem" in page
    assert "12 Monate nach" in page and "(kürzer)" in page
    assert "Neuer Empfänger:" in page and "Vereinigte Staaten, Standardvertragsklauseln" in page


def test_a_change_page_states_a_changed_retention_and_a_new_recipient(tmp_path: Path) -> None:
    options = released(tmp_path)
    page = generate_pages(inputs_on(options, SECOND))["changes/2099-06-01.md"]
    facts = page[page.index('<h3 id="diff-facts">') : page.index("</ul>", page.index('<h3 id="diff-facts">'))]
    assert "Retention of" in facts and "Run your account" in facts
    assert "24 months after" in facts and "12 months after" in facts and "(shorter)" in facts
    assert "New recipient:" in facts and "Sentry, Inc." in facts and "United States, SCCs" in facts
    assert page.index('id="diff-facts"') < page.index('class="pf-diff-section"')  # the facts above the word diff
