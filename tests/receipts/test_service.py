"""The receipts service in-process (Starlette's test client) on a real SQLite file: every answer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from starlette.testclient import TestClient

from policyforge.receipts.app import ServiceConfig, create_app
from policyforge.receipts.errors import ReceiptInvalid
from policyforge.receipts.ledger import Ledger
from policyforge.receipts.receipt import parse_receipt
from policyforge.receipts.store import Store, open_store
from policyforge.source.options import read_project
from tests.receipts.kit import ORIGIN, receipt_for


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "receipts.sqlite3"), migrate=True)
    yield opened
    opened.close()


def make_client(project: Path, store: Store, **config: Any) -> TestClient:
    settings: dict[str, Any] = {"allow_origins": (ORIGIN,), **config}
    app = create_app(store, Ledger(read_project(project)), ServiceConfig(**settings))
    return TestClient(app, base_url="http://receipts.test")


@pytest.fixture
def client(project: Path, store: Store) -> Iterator[TestClient]:
    with make_client(project, store) as test_client:
        yield test_client


def send(client: TestClient, body: Any, origin: str | None = ORIGIN, content_type: str = "text/plain") -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"content-type": content_type, **({"origin": origin} if origin else {})}
    return client.post("/receipts", content=data, headers=headers)


def test_a_valid_receipt_is_stored_with_the_server_time(client: TestClient, store: Store, project: Path) -> None:
    body = receipt_for(
        project,
        action="custom",
        granted=["essential", "analytics"],
        refused=["preferences", "marketing"],
        gpc=True,
        language="de-CH",
    )
    answer = send(client, body)
    assert answer.status_code == 201, answer.text
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    stored = store.find(body["consent_id"])
    assert [s.receipt_id for s in stored] == [answer.json()["receipt_id"]]
    assert stored[0].receipt.as_json() == body
    assert stored[0].server_time.isoformat(timespec="microseconds") + "Z" == answer.json()["server_time"]


def test_the_database_holds_no_ip_address_or_user_agent(store: Store) -> None:
    columns = {c["name"] for c in inspect(store.engine).get_columns("pf_receipts")}
    assert columns == {
        "seq",
        "receipt_id",
        "consent_id",
        "action",
        "granted",
        "refused",
        "revision",
        "version",
        "sha256",
        "gpc",
        "language",
        "origin",
        "client_time",
        "server_time",
        "format",
    }


def format_2(body: dict[str, Any]) -> dict[str, Any]:
    """The format 2 receipt the banner sends for the same choice: the revision, no version and no hash."""
    return {**{k: v for k, v in body.items() if k not in ("version", "sha256")}, "format": 2}


def test_a_format_2_receipt_is_stored_with_the_version_its_revision_names(
    client: TestClient, store: Store, project: Path
) -> None:
    for release in ("2025-03-01", "2026-12-06"):  # each revision names the newest release in effect with it
        sent = receipt_for(project, release=release, consent_id=f"visitor-{release}")
        answer = send(client, format_2(sent))
        assert answer.status_code == 201, answer.text
        [stored] = store.find(sent["consent_id"])
        assert stored.receipt.format == 2
        assert (stored.receipt.version, stored.receipt.sha256) == (release, sent["sha256"])
        assert stored.receipt.as_json() == {**sent, "format": 2}
    # 2025-09-01 and 2026-12-06 (which only stated the facts) share a revision: it names the newer, in effect
    older, newer = receipt_for(project, release="2025-09-01"), receipt_for(project, release="2026-12-06")
    assert older["revision"] == newer["revision"] and older["sha256"] != newer["sha256"]
    assert send(client, format_2({**older, "consent_id": "visitor-shared"})).status_code == 201
    [stored] = store.find("visitor-shared")
    assert (stored.receipt.version, stored.receipt.sha256) == ("2026-12-06", newer["sha256"])
    # and format 1 is still accepted beside it
    assert send(client, receipt_for(project, consent_id="visitor-format-1")).status_code == 201
    assert store.find("visitor-format-1")[0].receipt.format == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"revision": "0123456789ab"}, "receipt.revision: 0123456789ab belongs to no released version"),
        ({"version": "2025-09-01"}, "receipt: False schema does not allow '2025-09-01'"),
        ({"format": 4}, "receipt.format: 4 is not one of [1, 2, 3]"),
    ],
)
def test_format_2_receipts_name_a_released_revision_and_no_version(
    client: TestClient, project: Path, change: dict[str, Any], expected: str
) -> None:
    answer = send(client, {**format_2(receipt_for(project)), **change})
    assert answer.status_code == 422
    assert expected in " ".join(answer.json()["problems"])


def test_a_revision_not_yet_in_effect_is_refused_with_its_date(project: Path) -> None:
    ledger = Ledger(read_project(project))
    newest = ledger.versions["2025-09-01"]
    receipt = parse_receipt(json.dumps(format_2(receipt_for(project))).encode())
    with pytest.raises(ReceiptInvalid) as refused:
        ledger.check(receipt, dt.datetime(2025, 8, 31, 23, 59))
    assert f"{newest.revision} takes effect on 2025-09-01, not before" in refused.value.problems[0]
    assert ledger.check(receipt, dt.datetime(2025, 9, 1, 0, 0)).version == "2025-09-01"


def test_an_older_release_with_its_own_categories_is_accepted(client: TestClient, project: Path) -> None:
    old = receipt_for(project, release="2025-03-01")
    assert "marketing" not in old["granted"]
    assert send(client, old).status_code == 201
    old["granted"].append("marketing")  # a category that version did not have
    answer = send(client, old)
    assert answer.status_code == 422
    assert "unknown marketing" in answer.json()["problems"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"version": "2024-01-01"}, "no released version '2024-01-01' (released: 2025-03-01, 2025-09-01, 2026-12-06)"),
        ({"revision": "0123456789ab"}, "receipt.revision: 0123456789ab does not exist"),
        ({"sha256": "0" * 64}, "is not the sha256 of version 2026-12-06 in versions.lock"),
        ({"granted": ["essential"], "refused": ["analytics"]}, "missing marketing, preferences"),
        (
            {"granted": ["analytics", "preferences", "marketing"], "refused": ["essential"]},
            "required categories cannot be refused: essential",
        ),
    ],
)
def test_receipts_that_disagree_with_the_history_get_422(
    client: TestClient, project: Path, change: dict[str, Any], expected: str
) -> None:
    answer = send(client, receipt_for(project, **change))
    assert answer.status_code == 422
    assert expected in " ".join(answer.json()["problems"])


def test_a_revision_of_another_version_is_named_as_such(client: TestClient, project: Path) -> None:
    old = receipt_for(project, release="2025-03-01")
    answer = send(client, receipt_for(project, revision=old["revision"]))
    assert answer.status_code == 422
    assert "belongs to another version" in answer.json()["problems"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ip": "127.0.0.1"}, "Additional properties are not allowed ('ip' was unexpected)"),
        ({"action": "maybe"}, "receipt.action: 'maybe' is not one of"),
        ({"consent_id": None}, "receipt.consent_id: None is not of type 'string'"),
        ({"refused": ["analytics"]}, "both granted and refused: analytics"),
    ],
)
def test_malformed_receipts_get_422_with_every_problem(
    client: TestClient, project: Path, change: dict[str, Any], expected: str
) -> None:
    answer = send(client, receipt_for(project, **change))
    assert answer.status_code == 422
    assert expected in " ".join(answer.json()["problems"])


@pytest.mark.parametrize(
    "clock",
    [
        "2026-11-29 12:00:00Z",  # a space
        "2026-11-29\x1b12:00:00Z",  # ESC
        "2026-11-29\x0012:00:00Z",  # NUL
        "2026-11-29\u202e12:00:00Z",  # right-to-left override
        "2026-11-29\n12:00:00Z",
        "2026-11-29T12:00:00Z\n",
        "2026-11-29t12:00:00z",
        "2026-11-29T12:00:00",  # no offset
        "2026-02-30T12:00:00Z",  # no such day
        "yesterday",
        1764417600,
        None,
    ],
)
def test_a_malformed_client_time_is_stored_as_absent(
    client: TestClient, store: Store, project: Path, clock: Any
) -> None:
    answer = send(client, receipt_for(project, client_time=clock))
    assert answer.status_code == 201, answer.text
    assert store.find(answer.json()["receipt_id"])[0].receipt.client_time is None


def test_an_rfc3339_client_time_is_kept_and_may_be_left_out(client: TestClient, store: Store, project: Path) -> None:
    for clock in ("2026-11-29T13:00:00.123456789+01:00", "2026-11-29T12:00:00Z"):
        answer = send(client, receipt_for(project, client_time=clock))
        assert store.find(answer.json()["receipt_id"])[0].receipt.client_time == clock
    body = receipt_for(project)
    del body["client_time"]
    answer = send(client, body)
    assert answer.status_code == 201 and store.find(answer.json()["receipt_id"])[0].receipt.client_time is None


@pytest.mark.parametrize("origin", ["http://shop\ud800.test", "http://shop\x1b.test", "http://shöp.test"])
def test_an_origin_that_is_not_an_ascii_origin_gets_422_even_when_any_origin_may_send(
    project: Path, store: Store, origin: str
) -> None:
    with make_client(project, store, allow_origins=("*",)) as anyone:
        answer = send(anyone, receipt_for(project, origin=origin), origin=None)
    assert answer.status_code == 422 and "receipt.origin" in answer.json()["problems"][0]
    assert store.count() == 0


def test_a_body_that_is_not_json_gets_400(client: TestClient) -> None:
    answer = send(client, b"{not json")
    assert answer.status_code == 400
    assert answer.json()["problems"][0].startswith("the body is not JSON")


def test_origins_not_on_the_allow_list_get_403(client: TestClient, project: Path, store: Store) -> None:
    evil = "http://evil.test"
    assert send(client, receipt_for(project, origin=evil), origin=evil).status_code == 403
    assert send(client, receipt_for(project, origin=evil), origin=None).status_code == 403
    mismatch = send(client, receipt_for(project, origin=evil))  # sent by the allowed origin, naming another
    assert mismatch.status_code == 422 and "is not the origin that sent it" in mismatch.json()["problems"][0]
    assert send(client, receipt_for(project), origin=None).status_code == 201  # e.g. a server-side relay
    assert store.count() == 1


def test_cors_preflight_answers_allowed_origins_only(client: TestClient) -> None:
    headers = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    allowed = client.options("/receipts", headers={"origin": ORIGIN, **headers})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    refused = client.options("/receipts", headers={"origin": "http://evil.test", **headers})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


def test_size_limit_and_content_type(project: Path, store: Store) -> None:
    with make_client(project, store, max_body=600) as small:
        body = receipt_for(project)
        assert send(small, body).status_code == 201
        body["client_time"] = "2026-11-29T12:00:00.000" + "0" * 600 + "Z"
        assert send(small, body).status_code == 413
        assert send(small, receipt_for(project), content_type="application/x-www-form-urlencoded").status_code == 415
        assert send(small, receipt_for(project), content_type="application/json").status_code == 201


def test_rate_limit_per_client_answers_429_with_retry_after(project: Path, store: Store) -> None:
    other = "http://other.test"
    with make_client(project, store, allow_origins=(ORIGIN, other), rate=0.01, burst=3) as limited:
        codes = [send(limited, receipt_for(project)).status_code for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        answer = send(limited, receipt_for(project))
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) >= 1
        # per client, not per origin: another origin sent by the same client is the same client
        assert send(limited, receipt_for(project, origin=other), origin=other).status_code == 429
    assert store.count() == 3


def test_health_and_a_lost_database_file_gives_503(client: TestClient, store: Store, project: Path) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert send(client, receipt_for(project)).status_code == 201
    assert store.file is not None
    store.file.unlink()
    answer = send(client, receipt_for(project))
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert "is gone" in answer.json()["problems"][0]
    assert client.get("/health").status_code == 503


def test_unknown_paths_and_methods_answer_json(client: TestClient) -> None:
    assert client.get("/receipts").status_code == 405
    missing = client.get("/nothing")
    assert missing.status_code == 404 and missing.json()["error"] == "Not Found"


def test_a_release_made_while_the_service_runs_is_accepted(client: TestClient, project: Path) -> None:
    import datetime as dt

    from policyforge.history.release import release

    options = read_project(project)
    text = options.policy_file.read_text(encoding="utf-8")
    options.policy_file.write_text(text.replace("Cookies on GPT Image 2", "Cookies at GPT Image 2"), encoding="utf-8")
    day = max(dt.date.today(), dt.date(2026, 12, 8))  # today, or the day after the example's newest release
    release(options, day, "Reworded banner title.")
    assert send(client, receipt_for(project, release=day.isoformat())).status_code == 201
    # a lock that no longer verifies is not read: the service goes on with the history it has
    unknown_version, valid = receipt_for(project, version="2099-01-01"), receipt_for(project)
    lock = options.source / "versions.lock"
    lock.write_text(lock.read_text(encoding="utf-8").replace('"format": 1', '"format": 9'), encoding="utf-8")
    unknown = send(client, unknown_version)
    assert unknown.status_code == 422 and "no released version '2099-01-01'" in unknown.json()["problems"][0]
    assert send(client, valid).status_code == 201


def test_token_bucket_refills_at_the_rate() -> None:
    from policyforge.receipts.ratelimit import RateLimiter

    bucket = RateLimiter(rate=10, burst=2)
    assert [bucket.take(b"a", now=0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(0.1)]
    assert bucket.take(b"b", now=0.0) == 0.0  # per client
    assert bucket.take(b"a", now=0.05) == pytest.approx(0.05)  # half a token back: not yet
    assert bucket.take(b"a", now=0.2) == 0.0
    assert RateLimiter(rate=0).take(b"a") == 0.0  # off


def test_sqlite_checkpoints_run_apart_from_commits(store: Store, project: Path) -> None:
    from policyforge.receipts.receipt import parse_receipt
    from policyforge.receipts.store import StoredReceipt, receipt_id, utcnow

    receipt = parse_receipt(json.dumps(receipt_for(project)).encode())
    store.add([StoredReceipt(receipt_id(), utcnow(), receipt) for _ in range(50)])
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0  # commits never checkpoint
    assert store.file is not None
    before = store.file.stat().st_size  # the receipts are in the write-ahead log only
    store.checkpoint()
    assert store.file.stat().st_size > before  # ... and now in the database file
    assert store.count() == 50
