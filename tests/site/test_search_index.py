"""Search finds the policy in effect: archived versions and change pages stay out of the index (an option puts
them back, ranked below the current policy), so a 45-version site's index is at most twice a one-version site's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from policyforge.history.release import release
from policyforge.mkdocs_plugin import engine
from policyforge.source.options import read_project

WORDS = [
    "personal",
    "data",
    "controller",
    "processor",
    "retention",
    "purpose",
    "consent",
    "cookie",
    "recipient",
    "transfer",
    "erasure",
    "access",
    "objection",
    "portability",
    "complaint",
    "authority",
    "safeguard",
    "contract",
    "legitimate",
    "interest",
]


def policy(version: int) -> dict[str, object]:
    """A 20-section policy of about 1,500 words; each version edits one section."""
    sections = []
    for n in range(20):
        words = [WORDS[(n * 7 + i) % len(WORDS)] for i in range(70)]
        if n == version % 20:
            words.append(f"revision{version}")
        sections.append(
            {
                "id": f"section-{n}",
                "title": f"Topic {n} {WORDS[n % len(WORDS)]}",
                "text": " ".join(words).capitalize() + ".",
            }
        )
    return {
        "title": "Privacy Policy",
        "product": "Searchable",
        "controller": {"name": "Searchable Ltd", "email": "privacy@searchable.example"},
        "sections": sections,
        "consent": {
            "categories": [{"id": "essential", "title": "Essential", "description": "Needed to run", "required": True}]
        },
    }


def project(root: Path, versions: int, *, search_archive: bool = False) -> Path:
    (root / "docs").mkdir(parents=True)
    plugin = {"policyforge": {"search_archive": True}} if search_archive else "policyforge"
    config = {
        "site_name": "Search",
        "site_url": "https://search.example/",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", plugin],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    options = read_project(root / "mkdocs.yml")
    start = dt.date(2020, 1, 1)
    for k in range(versions):
        options.policy_file.parent.mkdir(parents=True, exist_ok=True)
        options.policy_file.write_text(yaml.safe_dump(policy(k), sort_keys=False), encoding="utf-8")
        day = start + dt.timedelta(days=30 * k)
        release(options, day, f"Version {k + 1}.", published=day, backdate=True)
    return root / "mkdocs.yml"


def index_of(config: Path) -> tuple[int, list[dict[str, object]]]:
    site = engine.build(config)
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), json.loads(raw)["docs"]


@pytest.fixture(scope="module")
def one_and_many(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[int, list[dict[str, object]]], ...]:
    one = index_of(project(tmp_path_factory.mktemp("one"), 1))
    many = index_of(project(tmp_path_factory.mktemp("many"), 45))
    return one, many


def test_index_of_45_versions_within_twice_one_version(
    one_and_many: tuple[tuple[int, list[dict[str, object]]], ...],
) -> None:
    (one_size, _), (many_size, docs) = one_and_many
    assert many_size <= 2 * one_size, (one_size, many_size)
    locations = {str(d["location"]) for d in docs}
    assert not any(loc.startswith(("versions/20", "changes/")) for loc in locations), sorted(locations)[:10]
    assert "versions/" in locations  # the version list itself stays findable
    # the policy in effect: the newest release's words are in the index, an older release's edit is not
    text = " ".join(str(d["text"]) for d in docs)
    assert "revision44" in text and "revision3 " not in text and "revision3." not in text
    current = [d for d in docs if str(d["location"]).split("#")[0] == ""]
    assert len(current) == 21 and all(d.get("boost") == 2 for d in current)  # the page and its 20 sections


def test_search_archive_option_puts_them_back_ranked_last(tmp_path: Path) -> None:
    size, docs = index_of(project(tmp_path, 3, search_archive=True))
    archived = [d for d in docs if str(d["location"]).startswith(("versions/20", "changes/"))]
    assert {str(d["location"]).split("#")[0] for d in archived} >= {
        "versions/2020-01-01/",
        "changes/2020-03-01/",
        "changes/since/2020-01-01/",
    }
    assert all(d.get("boost") == 0.5 for d in archived)
    assert all(d.get("boost") == 2 for d in docs if str(d["location"]).split("#")[0] == "")
    assert size > 0
