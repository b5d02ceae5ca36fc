"""Diffs of release pairs are kept between builds: same pages, no second diff, stale entries removed."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from policyforge.history import diff_cache
from policyforge.history.diff import diff_to_json
from policyforge.history.diff_cache import CACHE_DIR, DiffCache
from policyforge.history.releases import load_history
from policyforge.site import build as site
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, copy_project


@pytest.fixture
def project(tmp_path: Path) -> ProjectOptions:
    return read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Labels of the release pairs actually diffed (not read from the cache)."""
    pairs: list[str] = []
    real = diff_cache.diff_policies

    def counting(old: object, new: object, *, old_label: str, new_label: str, republished: bool = False) -> object:
        pairs.append(f"{old_label}..{new_label}")
        return real(
            old,
            new,
            old_label=old_label,
            new_label=new_label,  # type: ignore[arg-type]
            republished=republished,
        )

    monkeypatch.setattr(diff_cache, "diff_policies", counting)
    return pairs


def test_a_second_build_reads_every_release_diff_and_makes_the_same_pages(
    project: ProjectOptions, computed: list[str]
) -> None:
    first = site.prepare(project)
    # 2024-06-01's own changes and "changes since 2024-01-01" are the same pair: diffed once
    assert computed == ["2024-01-01..2024-06-01"]
    assert diff_to_json(first.since["2024-01-01"]) == diff_to_json(first.changes["2024-06-01"])
    assert (project.root / CACHE_DIR).is_dir()
    computed.clear()
    second = site.prepare(project)
    assert computed == []
    assert site.generate_pages(second) == site.generate_pages(first)
    assert diff_to_json(second.changes["2024-06-01"]) == diff_to_json(first.changes["2024-06-01"])


def test_an_unreadable_entry_is_computed_again(project: ProjectOptions, computed: list[str], tmp_path: Path) -> None:
    history = load_history(project)
    old, new = history.releases
    cache = DiffCache(tmp_path / "cache")
    expected = diff_to_json(cache.diff(old, new))
    assert cache.folder is not None
    for entry in cache.folder.iterdir():
        entry.write_bytes(b"not a pickle")
    computed.clear()
    assert diff_to_json(DiffCache(tmp_path / "cache").diff(old, new)) == expected
    assert computed == ["2024-01-01..2024-06-01"]


def test_prune_removes_other_code_versions_and_unused_pairs(project: ProjectOptions, tmp_path: Path) -> None:
    history = load_history(project)
    old, new = history.releases
    root = tmp_path / "cache"
    stale = root / "0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / "x.pickle").write_bytes(b"old")
    cache = DiffCache(root)
    cache.diff(old, new)
    cache.diff(new, old)
    assert cache.folder is not None and len(list(cache.folder.iterdir())) == 2
    later = DiffCache(root)
    later.diff(old, new)
    later.prune()
    assert not stale.exists()
    assert len(list(cache.folder.iterdir())) == 1


def test_no_folder_means_no_cache(project: ProjectOptions, computed: list[str]) -> None:
    old, new = load_history(project).releases
    cache = DiffCache(None)
    assert cache.diff(old, new) is cache.diff(old, new)  # one build asks for a pair once or twice: one diff
    cache.prune()
    DiffCache(None).diff(old, new)  # nothing was kept for the next build
    assert computed == ["2024-01-01..2024-06-01"] * 2
    assert not (project.root / ".cache").exists()


class _Planted:
    """A pickle that runs code when loaded: it creates ``marker`` (``open(marker, "w")``)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_is_never_loaded_and_the_diff_is_computed_again(
    project: ProjectOptions, computed: list[str], tmp_path: Path
) -> None:
    """.cache/ is data only: a pickle planted under an entry's name runs no code, the diff is computed again."""
    old, new = load_history(project).releases
    expected = diff_to_json(DiffCache(None).diff(old, new))
    first = site.prepare(project)
    folder = DiffCache(project.root / CACHE_DIR).folder
    assert folder is not None
    entries = sorted(folder.iterdir())
    assert entries
    marker = tmp_path / "pickle-ran"
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Planted(marker)))
    computed.clear()
    second = site.prepare(project)
    assert not marker.exists()
    assert computed == ["2024-01-01..2024-06-01"]
    assert diff_to_json(second.changes["2024-06-01"]) == expected
    assert site.generate_pages(second) == site.generate_pages(first)
    assert all(json.loads(e.read_bytes())["format"] == "policyforge-diff" for e in entries)  # rewritten as data


def test_an_entry_of_another_pair_under_this_pairs_name_is_computed_again(
    project: ProjectOptions, computed: list[str], tmp_path: Path
) -> None:
    """Each entry names the pair it answers: a well-formed diff copied under another entry's name is not used."""
    old, new = load_history(project).releases
    cache = DiffCache(tmp_path / "cache")
    forward, backward = cache.diff(old, new), cache.diff(new, old)
    assert cache.folder is not None
    names = {e.name: e.read_bytes() for e in cache.folder.iterdir()}
    (first, body_a), (second, body_b) = sorted(names.items())
    (cache.folder / first).write_bytes(body_b)
    (cache.folder / second).write_bytes(body_a)
    computed.clear()
    again = DiffCache(tmp_path / "cache")
    assert diff_to_json(again.diff(old, new)) == diff_to_json(forward)
    assert diff_to_json(again.diff(new, old)) == diff_to_json(backward)
    assert sorted(computed) == ["2024-01-01..2024-06-01", "2024-06-01..2024-01-01"]


def test_fact_changes_survive_the_cache_exactly() -> None:
    """The example's release of 2026-12-06 added its facts to the one before: activities and recipients (models)
    and controller values come back from the cache's JSON as the very same diff."""
    from policyforge.history.diff import diff_policies
    from policyforge.history.diff_codec import decode, encode
    from tests.conftest import ROOT

    options = read_project(ROOT / "mkdocs.yml")
    history = load_history(options)
    before, with_facts = history.get("2025-09-01"), history.get("2026-12-06")
    diff = diff_policies(before.policy, with_facts.policy, old_label=before.date, new_label=with_facts.date)
    subjects = {c.subject for c in diff.facts}
    assert {"activity", "recipient"} <= subjects and any(c.field == "" and c.new is not None for c in diff.facts)
    again = decode(encode(diff, "k"), "k")
    assert again.facts == diff.facts  # the very same models and values
    assert diff_to_json(again) == diff_to_json(diff)  # and the sections around them (their tables were included)
