"""``consent.receipts_url`` is an http(s) URL whose origin can go into the site's CSP unharmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyforge.source.loader import check_policy_file
from tests.conftest import FIXTURES

TINY = FIXTURES / "valid-tiny" / "policy_source" / "policy.yaml"


def with_receipts_url(tmp_path: Path, url: str) -> Path:
    text = TINY.read_text(encoding="utf-8").replace("consent:\n", f"consent:\n  receipts_url: '{url}'\n", 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "url", ["https://consent.example.com/receipts", "http://127.0.0.1:8400/receipts", "https://[::1]:8400/r?site=a%20b"]
)
def test_receipts_urls_accepted(tmp_path: Path, url: str) -> None:
    policy, problems = check_policy_file(with_receipts_url(tmp_path, url))
    assert problems == [] and policy is not None and policy.consent.receipts_url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example;script-src */r",
        "https://a.example/r x",
        "javascript:alert(1)//x/",
        "https://a.example",
        "ftp://a.example/r",
    ],
)
def test_receipts_urls_refused_with_their_line(tmp_path: Path, url: str) -> None:
    path = with_receipts_url(tmp_path, url)
    _, problems = check_policy_file(path, display="policy.yaml")
    line = path.read_text(encoding="utf-8").splitlines().index(f"  receipts_url: '{url}'") + 1
    assert [str(p).split(": ")[0:2] for p in problems] == [[f"policy.yaml:{line}", "consent.receipts_url"]]
