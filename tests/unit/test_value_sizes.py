"""A value over its field's limit is refused by the size check, before anything expensive reads it.

For every string field of a policy and of a translation file, a value one character over the field's limit
is reported at its line as too long, and the stages that parse or validate the data (the semantic and
Markdown checks, the colon-bullet check, the model, the translation reader) never see it; the file's other
problems are still reported in the same run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.cli.main import main
from policyforge.site import build as site_build
from policyforge.source import lint, loader
from policyforge.source.loader import check_policy_file, load_policy
from policyforge.source.model import Policy
from policyforge.source.sizes import TEXT_LIMIT, field_limit
from policyforge.source.yaml_reader import Loc, dotted
from policyforge.translation import read as translations
from policyforge.translation.read import SHAPE, read_translation
from tests.conftest import FIXTURES, copy_project, invoke

# Every field kind of the model, each written once (a date is not text, so it has no size).
POLICY = """\
title: Privacy Policy
product: Tiny App
controller: {name: Tiny App Ltd, email: privacy@tiny.example, security_measures: Encrypted at rest.}
link_base: https://tiny.example
preamble: What this is about.
quick_reference: [We collect little.]
sections:
  - id: introduction
    title: Introduction
    text: This policy explains what we do.
    items:
      - A plain item.
      - {term: Email, text: Used to sign you in}
    table:
      caption: Retention
      columns: [Data, Kept]
      rows: [[Logs, 30 days]]
    after: That is all.
  - id: cookies
    title: Cookies
    include: consent-categories
closing: Thank you.
consent:
  cookie: pf_consent
  receipts_url: https://consent.tiny.example/receipts
  banner: {title: Cookies, text: We use cookies.}
  categories:
    - id: essential
      title: Essential Cookies
      description: Required for the service to work
      required: true
      cookies:
        - {name: pf_consent, provider: Tiny App, purpose: Keeps your choice, duration: 6 months,
           domain: tiny.example, path: /, storage: cookie}
      gcm: [security_storage]
"""

TRANSLATION = """\
language: de
title: Datenschutzerklärung
preamble: Worum es geht.
quick_reference: [Wir erheben wenig.]
closing: Danke.
sections:
  introduction:
    title: Einleitung
    text: Diese Erklärung sagt, was wir tun.
    items:
      - Ein Punkt.
      - {term: E-Mail, text: Zum Anmelden}
    table:
      caption: Aufbewahrung
      columns: [Daten, Dauer]
      rows: [[Protokolle, 30 Tage]]
    after: Das ist alles.
  cookies:
    title: Cookies
categories:
  essential:
    title: Notwendige Cookies
    description: Für den Dienst nötig
    cookies: {pf_consent: Speichert Ihre Wahl}
banner: {title: Cookies, text: Wir verwenden Cookies.}
"""

# Problems of their own in every file: the size check must not hide them.
OTHERS = "colour: blue\n"


def strings(value: Any) -> list[Loc]:
    """Where every string of ``value`` is."""
    return [loc for loc, _ in lint._strings(value, ())]


def with_value(text: str, loc: Loc, value: str) -> str:
    data = yaml.safe_load(text)
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**7) + OTHERS


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def longest(value: Any) -> int:
    """The longest string anywhere in ``value``."""
    if isinstance(value, dict):
        return max((longest(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return max((longest(v) for v in value), default=0)
    return len(value) if isinstance(value, str) else 0


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The longest text each expensive stage was given (a stage never called is absent)."""
    found: dict[str, int] = {}

    def spy(name: str, owner: Any, attr: str, size: Any) -> None:
        real = getattr(owner, attr)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            found[name] = max(found.get(name, 0), size(*args, **kwargs))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, attr, wrapper)

    spy("markdown", loader, "parse", lambda text, **_: len(text))
    spy("semantic checks", loader, "_semantic_problems", lambda doc, *_: longest(doc.data))
    spy("bullet check", loader, "_colon_bullets", lambda doc: longest(doc.data))
    spy("translation reader", translations._Reader, "read", lambda self, *_: longest(self.doc.data))
    spy("translation markdown", translations, "markdown_problems", lambda doc, value, **_: longest(value))
    return found


POLICY_FIELDS = strings(yaml.safe_load(POLICY))
TRANSLATION_FIELDS = strings(yaml.safe_load(TRANSLATION))


def test_the_full_policy_and_translation_are_valid(tmp_path: Path) -> None:
    """The fixtures carry no problem but the ones the tests add, so every problem seen comes from a test."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    (tmp_path / "de.yaml").write_text(TRANSLATION, encoding="utf-8")
    _, errors, _ = read_translation(tmp_path / "de.yaml", policy, lang="de")
    assert errors == []
    assert len(POLICY_FIELDS) > 30 and len(TRANSLATION_FIELDS) > 15


@pytest.mark.parametrize("loc", POLICY_FIELDS, ids=dotted)
def test_an_over_long_policy_value_is_refused_by_the_size_check_alone(
    loc: Loc, tmp_path: Path, seen: dict[str, int]
) -> None:
    limit = field_limit(Policy, loc)
    text = with_value(POLICY, loc, "Z" * (limit + 1))
    (tmp_path / "policy.yaml").write_text(text, encoding="utf-8")
    policy, problems = check_policy_file(tmp_path / "policy.yaml", display="policy.yaml")
    assert policy is None
    assert [(p.line, p.path, p.message) for p in problems] == sorted(
        [
            (line_of(text, "ZZZZ"), dotted(loc), f"too long: {limit + 1:,} characters, at most {limit:,} here"),
            (line_of(text, "colour:"), "colour", "unknown key 'colour'"),
        ]
    )
    assert set(seen) == {"markdown", "semantic checks", "bullet check"}  # every other value was checked
    assert max(seen.values()) <= limit


@pytest.mark.parametrize("loc", TRANSLATION_FIELDS, ids=dotted)
def test_an_over_long_translated_text_is_refused_by_the_size_check_alone(
    loc: Loc, tmp_path: Path, seen: dict[str, int]
) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yaml")
    seen.clear()
    limit = field_limit(SHAPE, loc)
    text = with_value(TRANSLATION, loc, "Z" * (limit + 1))
    (tmp_path / "de.yaml").write_text(text, encoding="utf-8")
    _, errors, _ = read_translation(tmp_path / "de.yaml", policy, lang="de", display="de.yaml")
    too_long = (line_of(text, "ZZZZ"), dotted(loc), f"too long: {limit + 1:,} characters, at most {limit:,} here")
    unknown = (line_of(text, "colour:"), "colour", "unknown key 'colour' in a translation file")
    assert too_long in [(p.line, p.path, p.message) for p in errors]
    assert unknown in [(p.line, p.path, p.message) for p in errors]
    assert set(seen) == {"translation reader", "translation markdown", "markdown"}
    assert max(seen.values()) <= limit


def test_a_translated_text_has_the_limit_of_the_field_it_translates() -> None:
    assert field_limit(SHAPE, ("sections", "introduction", "title")) == 300
    assert field_limit(SHAPE, ("sections", "introduction", "text")) == TEXT_LIMIT
    assert field_limit(SHAPE, ("sections", "introduction", "table", "rows", 0, 1)) == 2000
    assert field_limit(SHAPE, ("categories", "essential", "cookies", "pf_consent")) == 300
    assert field_limit(SHAPE, ("banner", "accept")) == 300


def big_project(tmp_path: Path) -> Path:
    """The tiny fixture with a 200,000-character section text and a second problem (an unknown key)."""
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    policy = config.parent / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace("This policy explains what Tiny App does with your data.", "x" * 200_000) + OTHERS,
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_report_a_200000_character_value_from_the_size_check(
    command: str, tmp_path: Path, seen: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    histories: list[object] = []
    monkeypatch.setattr(site_build, "load_history", lambda *a, **k: histories.append(a))  # the releases, diffs
    config = big_project(tmp_path)
    result = invoke(main, [command, "-f", str(config)])
    assert result.exit_code == 2
    assert "policy_source/policy.yaml:13: sections[0].text: too long: 200,000 characters, at most 20,000 here" in (
        result.output
    )
    assert "policy_source/policy.yaml:34: colour: unknown key 'colour'" in result.output
    assert max(seen.values()) <= TEXT_LIMIT
    assert histories == []
