"""One history load per command: every locked file is hash-checked, but only the releases a command
needs are parsed (``diff A B``, ``release``, ``check``); a build reads them all before writing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import LockError, SourceError
from policyforge.history import release as release_mod
from policyforge.history import releases
from policyforge.history.release import release, set_dates
from policyforge.source.options import ProjectOptions, read_project
from tests.conftest import FIXTURES, copy_project, invoke

DATES = [dt.date(2023, 1, 1) + dt.timedelta(days=40 * n) for n in range(6)]


def six_releases(tmp_path: Path) -> ProjectOptions:
    """history-basic with six releases of its newest text (each a little different), as `release` writes them."""
    options = read_project(copy_project(tmp_path / "p", FIXTURES / "history-basic"))
    versions = options.source / "versions"
    base = (versions / "2024-06-01.yaml").read_text(encoding="utf-8")
    for old in versions.glob("*.yaml"):
        old.unlink()
    entries = []
    for n, day in enumerate(DATES):
        text = set_dates(base.replace("explains what we collect", f"explains what we collect (edition {n})"), day)
        path = versions / f"{day.isoformat()}.yaml"
        path.write_text(text, encoding="utf-8")
        entries.append(
            {
                "effective": day.isoformat(),
                "file": f"versions/{path.name}",
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "summary": f"Edition {n}.",
            }
        )
    (options.source / "versions.lock").write_text(json.dumps({"format": 1, "versions": entries}), encoding="utf-8")
    (options.source / "policy.yaml").write_text(text.replace("edition 5", "edition 6"), encoding="utf-8")
    return options


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the released files parsed (read as YAML and validated) during the test."""
    names: list[str] = []
    real = releases.load_policy

    def recording(path: Path, **kwargs: object) -> object:
        names.append(path.name)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(releases, "load_policy", recording)
    return names


def test_load_history_hash_checks_without_parsing(tmp_path: Path, parsed: list[str]) -> None:
    history = releases.load_history(six_releases(tmp_path))
    assert [r.date for r in history] == [d.isoformat() for d in DATES] and parsed == []
    assert history.releases[2].policy.effective == DATES[2]
    assert parsed == [f"{DATES[2].isoformat()}.yaml"]
    _ = history.releases[2].policy  # read once
    assert len(parsed) == 1


def test_diff_of_two_releases_parses_only_those(tmp_path: Path, parsed: list[str]) -> None:
    options = six_releases(tmp_path)
    result = invoke(main, ["diff", "-f", str(options.config_file), DATES[1].isoformat(), DATES[2].isoformat()])
    assert result.exit_code == 0, result.output
    assert "(edition [-1).-] {+2).+}" in result.output
    assert sorted(parsed) == [f"{DATES[1].isoformat()}.yaml", f"{DATES[2].isoformat()}.yaml"]


def test_every_locked_file_is_still_hash_checked(tmp_path: Path, parsed: list[str]) -> None:
    options = six_releases(tmp_path)
    first = options.source / "versions" / f"{DATES[0].isoformat()}.yaml"
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for args in (["diff", DATES[4].isoformat(), DATES[5].isoformat()], ["check"]):
        result = invoke(main, [args[0], "-f", str(options.config_file), *args[1:]])
        assert result.exit_code == 2 and "released file was modified" in result.stderr
    assert parsed == []


def test_check_parses_no_release(tmp_path: Path, parsed: list[str]) -> None:
    options = six_releases(tmp_path)
    result = invoke(main, ["check", "-f", str(options.config_file)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: policy_source/policy.yaml is valid") and parsed == []


def test_release_parses_only_the_newest(tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    options = six_releases(tmp_path)
    monkeypatch.setattr(release_mod, "build_today", lambda: dt.date(2030, 1, 1))
    outcome = release(options, dt.date(2030, 1, 1), "Edition six.")
    assert parsed == [f"{DATES[-1].isoformat()}.yaml"]
    assert outcome.release.consent_relevant is False
    assert [r.date for r in outcome.history] == [*(d.isoformat() for d in DATES), "2030-01-01"]
    assert outcome.history.newest is outcome.release


def test_a_broken_release_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    options = six_releases(tmp_path)
    broken = options.source / "versions" / f"{DATES[1].isoformat()}.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("title: Privacy Policy", "title: [Privacy"), encoding="utf-8"
    )
    lock = json.loads((options.source / "versions.lock").read_text(encoding="utf-8"))
    lock["versions"][1]["sha256"] = hashlib.sha256(broken.read_bytes()).hexdigest()
    (options.source / "versions.lock").write_text(json.dumps(lock), encoding="utf-8")
    history = releases.load_history(options)  # the hashes match: loading itself succeeds
    with pytest.raises(SourceError) as caught:
        history.validate()
    assert caught.value.problems[0].file.endswith(broken.name)
    result = invoke(main, ["build", "-f", str(options.config_file)])
    assert result.exit_code == 2 and broken.name in result.stderr
    assert not options.site_dir.exists()


def test_a_release_whose_date_differs_from_the_lock_is_a_lock_error_when_read(tmp_path: Path) -> None:
    options = six_releases(tmp_path)
    moved = options.source / "versions" / f"{DATES[3].isoformat()}.yaml"
    moved.write_text(set_dates(moved.read_text(encoding="utf-8"), dt.date(2023, 6, 6)), encoding="utf-8")
    lock = json.loads((options.source / "versions.lock").read_text(encoding="utf-8"))
    lock["versions"][3]["sha256"] = hashlib.sha256(moved.read_bytes()).hexdigest()
    (options.source / "versions.lock").write_text(json.dumps(lock), encoding="utf-8")
    history = releases.load_history(options)
    with pytest.raises(LockError, match="differs from its release date"):
        history.validate()
