"""Helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from policyforge.history.releases import load_history
from policyforge.site.history_pages import release_diffs
from policyforge.site.inputs import SiteInputs
from policyforge.source.options import ProjectOptions, read_project
from policyforge.translation.snapshots import release
from tests.conftest import FIXTURES, copy_project

__all__ = [
    "FUTURE",
    "PUBLISHED",
    "TODAY",
    "inputs_on",
    "languages_project",
    "translated_project",
    "tree",
    "upcoming_project",
]

TODAY = dt.date(2025, 1, 1)
FUTURE = dt.date(2099, 1, 1)
PUBLISHED = dt.date(2024, 12, 1)  # the day the upcoming release was made


def upcoming_project(folder: Path) -> ProjectOptions:
    """history-basic plus a consent-relevant release that takes effect on 2099-01-01."""
    options = read_project(copy_project(folder, FIXTURES / "history-basic"))
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(text.replace("duration: 1 year}", "duration: 2 years}"), encoding="utf-8")
    release(options, FUTURE, "Longer analytics cookie, announced in advance.", published=PUBLISHED)
    return options


def inputs_on(options: ProjectOptions, today: dt.date) -> SiteInputs:
    """The inputs of a build on ``today``: what ``site.prepare`` builds from the release in effect."""
    history = load_history(options, today=today)
    current = history.in_effect()
    assert current is not None
    return SiteInputs(
        options=options, current=current.policy, version=current.date, history=history, changes=release_diffs(history)
    )


def tree(site: Path) -> dict[str, str]:
    """sha256 of every file (the gzip sitemap embeds a timestamp and is skipped)."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != "sitemap.xml.gz"
    }


def translated_project(folder: Path, translations: dict[str, str]) -> ProjectOptions:
    """history-basic with ``translations: [LANG, ...]`` and each ``translations/LANG.yaml`` written as given."""
    config = copy_project(folder, FIXTURES / "history-basic")
    text = config.read_text(encoding="utf-8")
    langs = ", ".join(translations)
    config.write_text(
        text.replace("      source: policy_source\n", f"      source: policy_source\n      translations: [{langs}]\n"),
        encoding="utf-8",
    )
    options = read_project(config)
    for lang, body in translations.items():
        path = options.source / "translations" / f"{lang}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return options


def languages_project(folder: Path) -> ProjectOptions:
    """The three-language fixture (tests/fixtures/languages/README.md): history-basic in English with German and
    Arabic translations, every entry marked as translated from the current English text (as `translate mark`)."""
    import shutil

    import yaml

    from policyforge.source.loader import load_policy
    from policyforge.source.numbering import numbered_sections
    from policyforge.translation.read import fingerprint_category, fingerprint_document, fingerprint_section

    copy_project(folder, FIXTURES / "history-basic")
    shutil.copy2(FIXTURES / "languages" / "mkdocs.yml", folder / "mkdocs.yml")
    options = read_project(folder / "mkdocs.yml")
    policy = load_policy(options.policy_file)
    sections = {ns.section.id: fingerprint_section(ns.section) for ns in numbered_sections(policy.sections)}
    categories = {c.id: fingerprint_category(c) for c in policy.categories}
    (options.source / "translations").mkdir()
    for source in sorted((FIXTURES / "languages" / "translations").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        data = {"language": data.pop("language"), "translated_from": fingerprint_document(policy), **data}
        for key, entry in data.get("sections", {}).items():
            data["sections"][key] = {"translated_from": sections[key], **entry}
        for key, entry in data.get("categories", {}).items():
            data["categories"][key] = {"translated_from": categories[key], **entry}
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (options.source / "translations" / source.name).write_text(text, encoding="utf-8")
    return options


#: The example's release in effect: the newest, which states the facts (issue 23).
EXAMPLE_CURRENT = "2026-12-06"


def example_with_a_failing_release(folder: Path) -> Path:
    """A copy of the example whose release in effect (its newest, EXAMPLE_CURRENT) has a lint error, re-hashed in
    the lock as if released so; returns the project folder."""
    project = copy_project(folder).parent
    version = project / "policy_source" / "versions" / f"{EXAMPLE_CURRENT}.yaml"
    version.write_text(version.read_text(encoding="utf-8").replace("lifetime_days: 180", "lifetime_days: 400"))
    lock = project / "policy_source" / "versions.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["versions"][-1]["effective"] == EXAMPLE_CURRENT
    data["versions"][-1]["sha256"] = hashlib.sha256(version.read_bytes()).hexdigest()
    lock.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return project
