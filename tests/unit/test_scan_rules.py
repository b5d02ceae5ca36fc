"""The scan's rules on hand-made reports (no browser): durations, expiry, banner, gpc.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.audit.report import ScanReport, StateResult, check_report, parse_duration
from policyforge.source.loader import load_policy

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
POLICY = load_policy(SITES / "policy_source" / "policy.yaml")
START = "http://127.0.0.1:8000/"
GOOD_GPC = (200, {"gpc": True, "lastUpdate": "2025-06-01"})
DAY = 86400


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("session", 0),
        ("Session only", 0),
        ("30 days", 30 * DAY),
        ("1 year", 365 * DAY),
        ("a year", 365 * DAY),
        ("13 months", 13 * 30.5 * DAY),
        ("180 days", 180 * DAY),
        ("2 weeks", 14 * DAY),
        ("12 hours", 12 * 3600),
        ("1 year 6 months", 365 * DAY + 6 * 30.5 * DAY),
        ("until you clear it", None),
        ("", None),
    ],
)
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def _report(cookies: dict[str, int | None], *, categories: list[tuple[str, str]] | None = None) -> ScanReport:
    before = StateResult("before")
    accept = StateResult("accept")
    for name, expires in cookies.items():
        accept.cookies[(name, "127.0.0.1", "/")] = {
            "name": name,
            "domain": "127.0.0.1",
            "path": "/",
            "page": START,
            "expires": expires,
        }
    cats = [{"id": i, "title": t} for i, t in (categories or [])]
    return ScanReport(
        url=START,
        pages=[START],
        states={"before": before, "accept": accept},
        banner={"present": True, "buttons": ["accept", "reject", "choose"], "categories": cats},
    )


def test_expiry_within_one_day_of_slack_passes() -> None:
    report = _report({"_fx_analytics": 31 * DAY - 60, "pf_consent": 180 * DAY})
    assert check_report(report, POLICY, GOOD_GPC) == []


def test_record_cookie_counts_under_its_https_name() -> None:
    """On https the banner stores its record as __Host-<cookie>: that is the declared record cookie."""
    assert check_report(_report({"__Host-pf_consent": 180 * DAY}), POLICY, GOOD_GPC) == []
    findings = check_report(_report({"__Host-other": 180 * DAY}), POLICY, GOOD_GPC)
    assert [f.rule for f in findings] == ["undeclared-cookie"]


def test_expiry_beyond_slack() -> None:
    findings = check_report(_report({"_fx_analytics": 32 * DAY}), POLICY, GOOD_GPC)
    assert [(f.rule, f.severity) for f in findings] == [("cookie-expiry-exceeds-declared", "warning")]


def test_wildcard_declaration_matches() -> None:
    policy = POLICY.model_copy(deep=True)
    cookie = policy.consent.categories[0].cookies[0].model_copy(update={"name": "*.__palette"})
    essential, analytics = policy.consent.categories
    cats = (essential.model_copy(update={"cookies": (cookie,)}), analytics)
    policy = policy.model_copy(update={"consent": policy.consent.model_copy(update={"categories": cats})})
    report = _report({})
    report.states["before"].local_storage["/docs/.__palette"] = START
    assert check_report(report, policy, GOOD_GPC) == []


def test_banner_title_difference_is_a_mismatch() -> None:
    report = _report({}, categories=[("essential", "Essential Cookies"), ("analytics", "Statistics")])
    [finding] = check_report(report, POLICY, GOOD_GPC)
    assert finding.rule == "banner-category-mismatch" and "'Statistics'" in finding.detail


def test_banner_missing_a_category() -> None:
    report = _report({}, categories=[("essential", "Essential Cookies")])
    assert [f.detail for f in check_report(report, POLICY, GOOD_GPC)] == ["banner lacks category 'analytics'"]


@pytest.mark.parametrize(
    ("gpc", "rules"),
    [
        ((404, None), ["gpc-json-missing"]),
        ((200, ["gpc"]), ["gpc-json-missing"]),
        ((200, {"gpc": "true", "lastUpdate": "2025-06-01"}), ["gpc-json-mismatch"]),
        ((200, {"gpc": True}), ["gpc-json-mismatch"]),
    ],
)
def test_gpc_json(gpc: tuple[int, object], rules: list[str]) -> None:
    assert [f.rule for f in check_report(_report({}), POLICY, gpc)] == rules


def test_scan_checks_the_published_release_not_the_draft(tmp_path: Path) -> None:
    from policyforge.audit.scan import published_policy
    from tests.conftest import ROOT, copy_project

    project = copy_project(tmp_path / "p", ROOT).parent
    draft = project / "policy_source" / "policy.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("_pf_demo_analytics", "_pf_renamed_in_draft"))
    names = {k.name for c in published_policy(project / "policy_source").consent.categories for k in c.cookies}
    assert "_pf_demo_analytics" in names and "_pf_renamed_in_draft" not in names
