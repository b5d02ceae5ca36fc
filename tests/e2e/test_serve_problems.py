"""`policyforge serve` talks, and shows a problem page that turns back into the policy by itself."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from policyforge.errors import Problem, SourceError
from policyforge.site.problems import MARKER, problem_page
from tests.conftest import ROOT, copy_project
from tests.site.test_serve import fetch, free_port

BIN = Path(sys.executable).parent
# the line `text: "We share the minimum ... GPT Image 2:"` of the example policy, which the tests break
BROKEN_LINE = next(
    n
    for n, line in enumerate((ROOT / "policy_source" / "policy.yaml").read_text(encoding="utf-8").splitlines(), 1)
    if 'text: "We share the minimum necessary data' in line
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """The example project under ``policyforge serve``: (base URL, policy.yaml, the server's stderr file)."""
    project = copy_project(tmp_path / "p").parent
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(
            [str(BIN / "policyforge"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=sink,
            stderr=sink,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            fetch(base, time.monotonic() + 90)
            yield base, project / "policy_source" / "policy.yaml", log
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def wait_for_line(log: Path, text: str, after: int = 0) -> list[str]:
    deadline = time.monotonic() + 60
    while True:
        lines = log.read_text(encoding="utf-8").splitlines()[after:]
        if any(text in line for line in lines):
            return lines
        assert time.monotonic() < deadline, f"{text!r} not printed; got: {lines}"
        time.sleep(0.2)


def test_broken_yaml_shows_the_problem_page_which_turns_into_the_policy(
    served: tuple[str, Path, Path], page: Page
) -> None:
    base, source, log = served
    lines = wait_for_line(log, "Watching ")
    assert f"Serving the policy at {base}" in lines
    assert f"Draft (policy.yaml as you edit it): {base}draft/" in lines
    assert "Watching policy_source/, terms_source/, docs/, mkdocs.yml (rebuilds on every save)" in lines
    printed = len(lines)

    page.goto(base + "draft/")
    expect(page.locator("h1").first).to_contain_text("Privacy Policy")
    good = source.read_text(encoding="utf-8")
    line = good.splitlines()[BROKEN_LINE - 1]
    assert line.rstrip().endswith('GPT Image 2:"')
    source.write_text(good.replace(line, line.rstrip()[:-1]), encoding="utf-8")  # drop the closing quote

    problems = page.locator(f"[{MARKER}]")
    expect(problems).to_be_visible(timeout=60_000)  # live reload: nobody reloads by hand
    expect(problems.locator("h1")).to_have_text("1 problem in policy_source: the policy cannot be shown")
    expect(problems.locator(".pf-problem-where")).to_have_text(f"policy_source/policy.yaml:{BROKEN_LINE}")
    expect(problems.locator("li")).to_contain_text('the quote " opened at column 11 is not closed on this line')
    assert page.locator("header.md-header").count() == 1  # the site's own layout around the problems
    for other in ("", "versions/", "publishing/"):
        assert MARKER in fetch(base + other, time.monotonic() + 10), other
    with pytest.raises(urllib.error.HTTPError) as missing:  # a page that does not exist: 404, same problems
        urllib.request.urlopen(base + "no-such-page/", timeout=10)
    assert missing.value.code == 404 and MARKER in missing.value.read().decode("utf-8")
    lines = wait_for_line(log, "Problem page: ", printed)
    assert f"policy_source/policy.yaml:{BROKEN_LINE}: the quote" in "\n".join(lines)
    printed += len(lines)

    source.write_text(good, encoding="utf-8")
    expect(page.locator(f"[{MARKER}]")).to_have_count(0, timeout=60_000)
    expect(page.locator("h1").first).to_contain_text("Privacy Policy")
    assert page.url == base + "draft/"
    wait_for_line(log, f"Serving the policy at {base}", printed)


def test_problem_page_escapes_everything() -> None:
    error = SourceError([Problem("policy_source/<x>.yaml", 3, "items[0]", "key '<img src=x onerror=alert(1)>'")])
    page = problem_page(error, "/privacy/")
    assert "<img" not in page and "key &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" in page
    assert "policy_source/&lt;x&gt;.yaml:3" in page
    assert '<script src="/privacy/assets/policyforge-problems.js"></script>' in page
    assert "<title>Problems in the policy source</title>" in page
