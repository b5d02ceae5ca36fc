"""The banner files a build and `policyforge widget` write: names, integrity, config from the policy."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from click.testing import CliRunner

from policyforge.banner.assemble import wire_keys
from policyforge.cli.main import main
from policyforge.history.releases import load_history
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from policyforge.source.revision import consent_revision
from tests.conftest import ROOT, copy_project

CURRENT = sorted((ROOT / "policy_source" / "versions").glob("????-??-??.yaml"))[-1]


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_build_prints_snippet_matching_the_hashed_file(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    result = CliRunner().invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 0, result.output
    match = re.search(
        r"  <script>(?P<stub>[^<]+)</script>\n"
        r'  <script async src="(?P<origin>[^"]*)/consent/(?P<name>consent\.[0-9a-f]{10}\.js)" '
        r'integrity="(?P<sri>[^"]+)" crossorigin="anonymous"></script>\n'
        r"Under a Content-Security-Policy, add to script-src: (?P<hash>'sha256-[A-Za-z0-9+/=]+') (?P<allowed>\S+)\n",
        result.output,
    )
    assert match, result.output
    # the failure-safe way: the inline consent-default stub, then the banner with async (docs/embedding.md)
    assert "first in <head> (before any Google tag)" in result.output
    assert 'gtag("consent","default",' in match["stub"]
    stub_digest = base64.b64encode(hashlib.sha256(match["stub"].encode()).digest()).decode()
    assert match["hash"] == f"'sha256-{stub_digest}'" and match["allowed"] == match["origin"]
    hashed = (tmp_path / "p" / "site" / "consent" / match["name"]).read_bytes()
    assert hashed == (tmp_path / "p" / "site" / "consent" / "consent.js").read_bytes()
    assert match["sri"] == sri(hashed)
    assert match["name"][8:18] == hashlib.sha256(hashed).hexdigest()[:10]
    assert f'  <a href="{match["origin"]}/#cookies" data-policyforge-settings>Cookie settings</a>' in result.output
    # the example's German pages: their own first stage, in German, behind the same stub; their own settings link
    german = re.search(
        r"Pages in de: .*\n"
        r"  <script>(?P<stub>[^<]+)</script>\n"
        r'  <script async src="[^"]*/consent/(?P<name>consent\.de\.[0-9a-f]{10}\.js)" integrity="(?P<sri>[^"]+)" '
        r'crossorigin="anonymous"></script>\n'
        r'  <a href="(?P<href>[^"]+)" data-policyforge-settings>',
        result.output,
    )
    assert german, result.output
    first = (tmp_path / "p" / "site" / "consent" / german["name"]).read_bytes()
    assert first == (tmp_path / "p" / "site" / "consent" / "consent-de.js").read_bytes()
    assert german["sri"] == sri(first) and b'"lang":"de"' in first
    assert german["stub"] == match["stub"] and german["href"] == f"{match['origin']}/de/#cookies"


def test_widget_command_writes_the_banner_alone(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    out = tmp_path / "widget"
    result = CliRunner().invoke(
        main, ["widget", "-f", str(config), "--out", str(out), "--policy-url", "https://example.com/privacy"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    # each site language's first stage (hashed and stable), the second stage they load, the configuration
    assert len(names) == 6 and {"consent.config.json", "consent.js", "consent-de.js"} <= set(names)
    hashed = next(n for n in names if re.fullmatch(r"consent\.[0-9a-f]{10}\.js", n))
    assert (out / hashed).read_bytes() == (out / "consent.js").read_bytes()
    german = next(n for n in names if re.fullmatch(r"consent\.de\.[0-9a-f]{10}\.js", n))
    assert (out / german).read_bytes() == (out / "consent-de.js").read_bytes()
    second = next(n for n in names if re.fullmatch(r"consent\.settings\.[0-9a-f]{10}\.js", n))
    assert f'"{second}"' in (out / "consent.js").read_text(encoding="utf-8")
    assert f"loads {second}" in result.output
    # the failure-safe snippet of each language, the banner on the product's own origin: its CSP source is 'self'
    for name in (hashed, german):
        assert f'  <script async src="/path/to/{name}" integrity="{sri((out / name).read_bytes())}"' in result.output
    assert re.search(r"add to script-src: 'sha256-[A-Za-z0-9+/=]+' 'self'\n", result.output), result.output
    assert '<a href="https://example.com/privacy#cookies" data-policyforge-settings>' in result.output
    cfg = json.loads((out / "consent.config.json").read_text(encoding="utf-8"))
    policy = load_policy(CURRENT)
    assert cfg["revision"] == consent_revision(policy)
    assert "version" not in cfg  # the banner's identity is what it shows and its revision, not the release date
    assert cfg["policyUrl"] == "https://example.com/privacy#cookies"
    assert cfg["changesUrl"] == "", "a policy page elsewhere: no change pages unless --changes-url is given"
    assert [c["id"] for c in cfg["categories"]] == [c.id for c in policy.consent.categories]
    assert not (tmp_path / "p" / "site").exists()
    script = (out / "consent.js").read_text(encoding="utf-8")
    assert json.dumps(cfg["revision"]) in script
    again = CliRunner().invoke(
        main,
        [
            "widget",
            "-f",
            str(config),
            "--out",
            str(tmp_path / "w2"),
            "--changes-url",
            "https://example.com/changes/{revision}",
        ],
    )
    assert again.exit_code == 0, again.output
    cfg2 = json.loads((tmp_path / "w2" / "consent.config.json").read_text(encoding="utf-8"))
    assert cfg2["policyUrl"] == "https://privacy.gptimage2ai.com/#cookies"
    assert cfg2["changesUrl"] == "https://example.com/changes/{revision}"
    bad = CliRunner().invoke(
        main,
        ["widget", "-f", str(config), "--out", str(tmp_path / "w3"), "--changes-url", "https://example.com/changes"],
    )
    assert bad.exit_code == 2 and "{revision}" in bad.stderr


def test_widget_writes_the_very_files_the_build_publishes(tmp_path: Path, built_example: Path) -> None:
    """Without options, `widget` is the site's banner: every language's first stage with its own "what changed"
    link (the German one too) and the same second stage, byte for byte (docs/embedding.md says so)."""
    config = copy_project(tmp_path / "p")
    out = tmp_path / "widget"
    result = CliRunner().invoke(main, ["widget", "-f", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("consent.js", "consent-de.js"):
        assert (out / name).read_bytes() == (built_example / "consent" / name).read_bytes(), name
    assert "de/changes/since/{revision}/" in (out / "consent-de.js").read_text(encoding="utf-8")


def test_gpc_json_last_update_is_the_current_effective_date(built_example: Path) -> None:
    data = json.loads((built_example / ".well-known" / "gpc.json").read_text(encoding="utf-8"))
    assert data == {"gpc": True, "lastUpdate": CURRENT.stem}


def test_banner_links_are_absolute_under_site_url(built_example: Path) -> None:
    script = (built_example / "consent" / "consent.js").read_text(encoding="utf-8")
    site = "https://privacy.gptimage2ai.com/"
    texts = f'"{wire_keys()["texts"]}":['  # the links lead the texts (they differ per language)
    assert f'{texts}"{site}#cookies","{site}changes/since/{{revision}}/",' in script
    german = (built_example / "consent" / "consent-de.js").read_text(encoding="utf-8")
    assert f'{texts}"{site}de/#cookies","{site}de/changes/since/{{revision}}/",' in german  # the German pages


def test_banner_shows_category_descriptions_as_plain_text(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT / "tests" / "fixtures" / "valid-tiny")
    source = tmp_path / "p" / "policy_source" / "policy.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "description: Help us improve", "description: Help us **improve**, see [our page](https://tiny.example/)"
        )
    )
    out = tmp_path / "w"
    assert CliRunner().invoke(main, ["widget", "-f", str(config), "--out", str(out)]).exit_code == 0
    cfg = json.loads((out / "consent.config.json").read_text(encoding="utf-8"))
    assert cfg["categories"][1]["description"] == "Help us improve, see our page"
    assert cfg["changesUrl"] == "", "no releases, so no change pages to link to"


def test_headers_cache_hashed_files_only(built_example: Path) -> None:
    text = (built_example / "_headers").read_text(encoding="utf-8")
    rules = {block.split("\n", 1)[0]: block for block in text.strip().split("\n\n")}
    assert "Cache-Control" not in rules["/*"]
    assert "immutable" in rules["/consent/consent.*.js"] and "immutable" in rules["/assets/policyforge.*.css"]
    assert "max-age=300" in rules["/consent/consent.js"] and "max-age=300" in rules["/consent/consent-*.js"]
    css = list((built_example / "assets").glob("policyforge.*.css"))
    assert len(css) == 1 and f'href="assets/{css[0].name}"' in (built_example / "index.html").read_text()


def test_project_without_releases_has_no_feed_links(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", ROOT / "tests" / "fixtures" / "valid-tiny")
    assert CliRunner().invoke(main, ["build", "-f", str(config), "--draft"]).exit_code == 0
    site = tmp_path / "p" / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "feed.xml" not in index and "feed+json" not in index
    draft = site / "draft" / "index.html"
    if draft.exists():
        assert '<meta name="robots" content="noindex, nofollow">' in draft.read_text(encoding="utf-8")
    assert 'name="robots"' not in index


def test_draft_page_is_not_indexed(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    source = tmp_path / "p" / "policy_source" / "policy.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Regular backups", "Daily backups"))
    assert CliRunner().invoke(main, ["build", "-f", str(config), "--draft"]).exit_code == 0
    draft = (tmp_path / "p" / "site" / "draft" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in draft
    assert "Daily backups" in draft


def test_the_what_changed_link_of_each_revision_has_its_page(built_example: Path) -> None:
    history = load_history(read_project(ROOT / "mkdocs.yml"), today=dt.date.max)
    current = history.releases[-1]
    older = [rel for rel in history.releases[:-1] if rel.consent_revision != current.consent_revision]
    assert [rel.date for rel in older] == ["2025-03-01"]  # 2025-09-01 has the current revision: nobody is asked again
    for rel in older:  # a visitor who chose under an older revision is sent to its page
        page = built_example / "changes" / "since" / rel.consent_revision / "index.html"
        assert page.is_file(), f"no page for the revision of {rel.date}"
        dated = (built_example / "changes" / "since" / rel.date / "index.html").read_text(encoding="utf-8")
        assert _heading(page.read_text(encoding="utf-8")) == _heading(dated)  # what changed since that version


def _heading(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return found.group(1)
