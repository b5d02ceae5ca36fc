"""Receipts of format 3 (issue 25): services as ``category:service`` and categories left undecided, checked
against the released version; formats 1 and 2 still accepted as before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyforge.history.release import release
from policyforge.receipts.errors import ReceiptInvalid
from policyforge.receipts.ledger import Ledger
from policyforge.receipts.receipt import parse_receipt
from policyforge.receipts.store import Store
from policyforge.source.options import read_project
from tests.receipts.kit import receipt_for
from tests.receipts.test_service import format_2, make_client, send, store

__all__ = ["store"]  # the fixture, imported from the service's tests

TODAY = dt.date.today()


@pytest.fixture
def with_services(project: Path) -> Ledger:
    """The example project with a release today whose Marketing category holds YouTube and Vimeo."""
    options = read_project(project)
    data = yaml.safe_load(options.policy_file.read_text(encoding="utf-8"))
    marketing = next(c for c in data["consent"]["categories"] if c["id"] == "marketing")
    marketing["services"] = [{"id": "youtube", "name": "YouTube"}, {"id": "vimeo", "name": "Vimeo"}]
    options.policy_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    release(options, TODAY, "Marketing services one by one.")
    return Ledger(options)


def _format_3(project: Path, **changes: Any) -> dict[str, Any]:
    body = {**format_2(receipt_for(project, release=TODAY.isoformat())), "format": 3, **changes}
    return body


def _check(ledger: Ledger, body: dict[str, Any]) -> Any:
    return ledger.check(parse_receipt(json.dumps(body).encode()), dt.datetime.now(dt.UTC).replace(tzinfo=None))


def test_a_format_3_receipt_names_services_and_leaves_undecided_categories_out(
    project: Path, with_services: Ledger
) -> None:
    # a placeholder's "Allow" on a YouTube frame: YouTube granted, nothing else decided
    allowed = _check(with_services, _format_3(project, granted=["essential", "marketing:youtube"], refused=[]))
    assert (allowed.format, allowed.version) == (3, TODAY.isoformat())
    assert allowed.as_json()["granted"] == ["essential", "marketing:youtube"]
    saved = _check(
        with_services,
        _format_3(
            project,
            action="custom",
            granted=["essential", "marketing:youtube"],
            refused=["analytics", "preferences", "marketing", "marketing:vimeo"],
        ),
    )
    assert saved.refused == ("analytics", "preferences", "marketing", "marketing:vimeo")
    # format 2 still lists every category, and format 1 too
    assert _check(with_services, format_2(receipt_for(project, release=TODAY.isoformat()))).format == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"granted": ["essential", "marketing:tiktok"]}, "unknown marketing:tiktok"),
        ({"granted": ["analytics"], "refused": []}, "required categories are always granted: essential"),
        ({"refused": ["essential"], "granted": []}, "required categories cannot be refused: essential"),
    ],
)
def test_a_format_3_receipt_lists_only_what_the_version_has(
    project: Path, with_services: Ledger, body: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ReceiptInvalid) as refused:
        _check(with_services, _format_3(project, **body))
    assert expected in " ".join(refused.value.problems)


def test_services_and_undecided_categories_need_format_3(project: Path, with_services: Ledger) -> None:
    service = {
        **format_2(receipt_for(project, release=TODAY.isoformat())),
        "granted": ["essential", "marketing:youtube"],
    }
    with pytest.raises(ReceiptInvalid) as refused:
        parse_receipt(json.dumps(service).encode())
    assert "receipt: " in refused.value.problems[0]
    partial = {**format_2(receipt_for(project, release=TODAY.isoformat())), "granted": ["essential"], "refused": []}
    with pytest.raises(ReceiptInvalid) as missing:
        _check(with_services, partial)
    assert "missing analytics, marketing, preferences" in missing.value.problems[0]


def test_the_service_stores_a_format_3_receipt_as_sent(project: Path, with_services: Ledger, store: Store) -> None:
    sent = _format_3(project, consent_id="visitor-services", granted=["essential", "marketing:youtube"], refused=[])
    with make_client(project, store) as client:
        answer = send(client, sent)
    assert answer.status_code == 201, answer.text
    [stored] = store.find("visitor-services")
    assert (stored.receipt.format, stored.receipt.granted, stored.receipt.refused) == (
        3,
        ("essential", "marketing:youtube"),
        (),
    )
    assert stored.receipt.version == TODAY.isoformat()
