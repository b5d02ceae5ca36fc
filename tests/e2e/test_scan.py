"""`policyforge scan` against the fixture sites in tests/fixtures/sites/, in real Chromium.

Every scan runs as a subprocess (the CLI as users run it, and free of pytest-playwright's
event loop); they run two at a time once per module, and the tests assert on the results.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import start_server
from tests.e2e.scan_kit import Run, prepare_site, scan

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "policyforge" / "audit" / "scan.schema.json").read_text(encoding="utf-8"))


def _no_banner(dest: Path) -> Path:
    """A site without any banner that sets a declared analytics cookie straight away."""
    site = prepare_site("clean", dest / "nb")
    page = '<!doctype html><title>x</title><script>document.cookie = "_fx_analytics=1; path=/";</script>'
    for name in ("index.html", "about.html"):
        (site / name).write_text(page, encoding="utf-8")
    return site


def _stale(dest: Path) -> Path:
    """The clean site, but the analytics cookie outlives its declared 30 days and gpc.json is gone."""
    site = prepare_site("clean", dest / "stale")
    for name in ("index.html", "about.html"):
        path = site / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("max-age=2592000", "max-age=34560000"), encoding="utf-8"
        )
    (site / ".well-known" / "gpc.json").unlink()
    return site


def _wrong_gpc(dest: Path) -> Path:
    site = prepare_site("clean", dest / "gpc")
    (site / ".well-known" / "gpc.json").write_text('{"gpc": false, "lastUpdate": "2024-01-01"}', encoding="utf-8")
    return site


FIXTURE_SITES = ["clean", "undeclared-cookie", "analytics-before-consent", "extra-banner-category", "no-reject-button"]
BUILT: dict[str, Callable[[Path], Path]] = {"no-banner": _no_banner, "stale": _stale, "wrong-gpc": _wrong_gpc}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    tmp = tmp_path_factory.mktemp("scan-sites")
    sites = {name: prepare_site(name, tmp) for name in FIXTURE_SITES}
    sites.update({name: build(tmp) for name, build in BUILT.items()})
    servers = {name: start_server(site) for name, site in sites.items()}
    jobs: dict[str, tuple[str, ...]] = {name: (url + "/", "--json") for name, (_, url) in servers.items()}
    jobs["table"] = (servers["undeclared-cookie"][1] + "/",)
    jobs["one-page"] = (servers["clean"][1] + "/", "--json", "--pages", "1")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(scan, *args) for name, args in jobs.items()}
        results = {name: future.result() for name, future in futures.items()}
    yield results
    for srv, _ in servers.values():
        srv.shutdown()


def test_every_fixture_site_is_complete(tmp_path: Path) -> None:
    for name in FIXTURE_SITES:
        site = prepare_site(name, tmp_path)
        assert (site / "index.html").is_file() and (site / ".well-known" / "gpc.json").is_file()
        assert ("/consent/consent.js" in (site / "index.html").read_text(encoding="utf-8")) == (
            (site / "consent" / "consent.js").is_file()
        )
    home = (tmp_path / "undeclared-cookie" / "index.html").read_text(encoding="utf-8")
    assert "_fx_session_id=abc123" in home and "<h1>Home</h1>" in home and "${" not in home
    assert "_fx_session_id" not in (tmp_path / "undeclared-cookie" / "about.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*FIXTURE_SITES, *BUILT, "one-page"])
def test_json_report_validates_against_schema(runs: dict[str, Run], name: str) -> None:
    assert runs[name].code in (0, 1), runs[name].stderr
    jsonschema.Draft202012Validator(SCHEMA).validate(runs[name].report)


def test_clean_site_has_no_findings(runs: dict[str, Run]) -> None:
    run = runs["clean"]
    assert run.code == 0, run.stdout + run.stderr
    report = run.report
    assert report["findings"] == []
    assert [p.rsplit("/", 1)[-1] for p in report["pages"]] == ["", "about.html"]
    assert report["banner"]["present"] and report["banner"]["buttons"] == ["accept", "reject", "choose"]
    assert [c["id"] for c in report["banner"]["categories"]] == ["essential", "analytics"]
    states = report["states"]
    assert states["before"]["cookies"] == []
    assert [c["name"] for c in states["reject"]["cookies"]] == ["pf_consent"]
    assert [c["name"] for c in states["accept"]["cookies"]] == ["_fx_analytics", "pf_consent"]
    record = next(c for c in states["accept"]["cookies"] if c["name"] == "pf_consent")
    assert 179 * 86400 < record["expires"] <= 180 * 86400


def test_undeclared_cookie_and_storage_key(runs: dict[str, Run]) -> None:
    run = runs["undeclared-cookie"]
    assert run.code == 1
    assert run.rules() == ["undeclared-cookie"]
    details = " ".join(run.details("undeclared-cookie"))
    assert "'_fx_session_id'" in details and "'fx_cart'" in details
    assert run.report["states"]["before"]["localStorage"] == ["fx_cart"]


def test_analytics_before_consent(runs: dict[str, Run]) -> None:
    run = runs["analytics-before-consent"]
    assert run.code == 1
    assert run.rules() == ["cookie-after-reject", "cookie-before-consent", "third-party-before-consent"]
    assert all("'_fx_analytics'" in d for d in run.details("cookie-before-consent"))
    [request] = run.report["states"]["before"]["thirdPartyRequests"]
    assert request["host"] == "localhost" and "/pixel.gif" in request["url"]


def test_extra_banner_category(runs: dict[str, Run]) -> None:
    run = runs["extra-banner-category"]
    assert run.code == 1
    assert run.rules() == ["banner-category-mismatch"]
    assert run.details("banner-category-mismatch") == ["banner shows undeclared category 'social'"]


def test_no_reject_button(runs: dict[str, Run]) -> None:
    run = runs["no-reject-button"]
    assert run.code == 1
    assert run.rules() == ["no-reject-first-layer"]
    states = run.report["states"]
    assert states["reject"]["skipped"] and not states["accept"]["skipped"]
    assert [c["name"] for c in states["accept"]["cookies"]] == ["pf_consent"]


def test_no_banner_still_reports_what_was_set(runs: dict[str, Run]) -> None:
    run = runs["no-banner"]
    assert run.code == 1
    assert run.rules() == ["cookie-before-consent", "no-banner"]
    assert run.report["states"]["accept"]["skipped"] == "no consent banner"


def test_expiry_and_missing_gpc_json(runs: dict[str, Run]) -> None:
    run = runs["stale"]
    assert run.code == 1
    assert run.rules() == ["cookie-expiry-exceeds-declared", "gpc-json-missing"]
    [detail] = run.details("cookie-expiry-exceeds-declared")
    assert "'_fx_analytics' lives 400 days; declared '30 days'" in detail


def test_gpc_json_mismatch(runs: dict[str, Run]) -> None:
    run = runs["wrong-gpc"]
    assert run.code == 1
    assert run.rules() == ["gpc-json-mismatch"]
    details = run.details("gpc-json-mismatch")
    assert len(details) == 2 and any("2024-01-01" in d and "2025-06-01" in d for d in details)


def test_pages_limit(runs: dict[str, Run]) -> None:
    assert len(runs["one-page"].report["pages"]) == 1
    assert runs["one-page"].code == 0


def test_human_readable_table(runs: dict[str, Run]) -> None:
    run = runs["table"]
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Scanned http://127.0.0.1:") and "2 page(s)" in lines[0]
    header = next(line for line in lines if line.startswith("RULE"))
    assert header.split() == ["RULE", "SEVERITY", "PAGE", "DETAIL"]
    assert sum(line.startswith("undeclared-cookie  error") for line in lines) == 2
    assert lines[-1] == "2 finding(s)."


def test_unreachable_url_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = scan(f"http://127.0.0.1:{port}/")
    assert run.code == 2
    errors = [line for line in run.stderr.splitlines() if not line.startswith("warning: ")]  # e.g. no sandbox
    assert errors[0].startswith("ERROR: cannot open") and "Traceback" not in run.stderr


def test_invalid_policy_exits_2() -> None:
    broken = ROOT / "tests" / "fixtures" / "errors" / "bad-date" / "policy_source"
    run = scan("http://127.0.0.1:9/", policy=broken)
    assert run.code == 2
    assert "impossible date" in run.stderr and "Traceback" not in run.stderr


def test_missing_policy_folder_exits_2(tmp_path: Path) -> None:
    run = scan("http://127.0.0.1:9/", policy=tmp_path)
    assert run.code == 2 and "policy.yaml: not found" in run.stderr
