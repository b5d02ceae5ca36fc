"""What reaches a built page: sanitised policy HTML, a CSP with only the theme's scripts, checked URLs."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from policyforge.site.csp import inline_scripts, script_hash
from tests.conftest import FIXTURES, copy_project

BIN = Path(sys.executable).parent
PWN = "window.__pwned=1"


def project(tmp_path: Path, *, plugin: str = "  - policyforge\n", site_url: str | None = None) -> Path:
    root = copy_project(tmp_path / "p", FIXTURES / "valid-tiny").parent
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - policyforge\n", plugin)
    if site_url is not None:
        text = re.sub(r"(?m)^site_url: .*$", lambda _: f"site_url: {site_url}", text)
    config.write_text(text, encoding="utf-8")
    return root


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


class _Executable(HTMLParser):
    """Event handlers, script URLs and script bodies with the marker: what a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self.in_script and "__pwned" in data:
            self.bad.append(f"<script>{data}")


def test_allow_html_true_cannot_carry_script_or_onerror_to_a_page(tmp_path: Path) -> None:
    root = project(tmp_path, plugin="  - policyforge:\n      allow_html: true\n")
    policy = root / "policy_source" / "policy.yaml"
    hostile = (
        f'Read <abbr title="General Data Protection Regulation">GDPR</abbr>. <script>{PWN}</script>'
        f'<img src="x.png" onerror="{PWN}"><a href="javascript:{PWN}">link</a>'
        f'<b onmouseover="{PWN}">bold</b>'
    )
    text = policy.read_text(encoding="utf-8")
    text = text.replace("text: This policy explains what Tiny App does with your data.", f"text: '{hostile}'")
    text = text.replace("closing: Thank you.", f"closing: '<p onclick=\"{PWN}\">Thanks</p><script>{PWN}</script>'")
    policy.write_text(text, encoding="utf-8")
    result = run([str(BIN / "policyforge"), "build"], root)
    assert result.returncode == 0, result.stderr
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="General Data Protection Regulation">GDPR</abbr>' in index  # allowed HTML is kept
    assert "<b>bold</b>" in index and '<img src="x.png">' in index and "<p>Thanks</p>" in index
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        audit = _Executable()
        audit.feed(html)
        assert audit.bad == [], page
        assert "onerror" not in html and "<script>window" not in html, page


def test_injected_inline_script_is_not_in_the_csp_and_the_build_says_so(tmp_path: Path) -> None:
    root = project(tmp_path)
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n<script>{PWN}</script>\n", encoding="utf-8")
    result = run([str(BIN / "policyforge"), "build"], root)
    assert result.returncode == 0, result.stderr
    assert "about/index.html" in result.stderr and "Content-Security-Policy" in result.stderr
    csp = next(
        line
        for line in (root / "site" / "_headers").read_text(encoding="utf-8").splitlines()
        if "Content-Security-Policy" in line and "script-src" in line
    )
    page = (root / "site" / "about" / "index.html").read_text(encoding="utf-8")
    scripts = inline_scripts(page)
    assert PWN in scripts and script_hash(PWN) not in csp
    theme = [s for s in scripts if s != PWN]
    assert len(theme) >= 2 and all(script_hash(s) in csp for s in theme)  # the theme's own still run
    strict = run([str(BIN / "mkdocs"), "build", "--strict"], root)
    assert strict.returncode != 0 and "about/index.html" in strict.stderr


def test_inline_scripts_another_plugin_adds_are_reported_too(tmp_path: Path) -> None:
    """The pages are checked as MkDocs hands them over, after every other plugin's changes; HTML files a
    plugin writes itself (after the pages) are read once the build is done."""
    root = project(tmp_path)
    (root / "hooks.py").write_text(
        "from pathlib import Path\n\n"
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</body>', '<script>window.__page=1</script></body>') if page.url == 'about/' "
        "else output\n\n"
        "def on_post_build(config):\n"
        "    (Path(config.site_dir) / 'old.html').write_text('<script>window.__moved=1</script>')\n",
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n", encoding="utf-8")
    result = run([str(BIN / "policyforge"), "build"], root)
    assert result.returncode == 0, result.stderr
    assert "about/index.html: an inline script" in result.stderr and "window.__page=1" in result.stderr
    assert "old.html: an inline script" in result.stderr and "window.__moved=1" in result.stderr
    assert "index.html: an inline script" not in result.stderr.replace("about/index.html", "")


def test_theme_scripts_are_allowed_on_every_page(tmp_path: Path) -> None:
    root = project(tmp_path, site_url="https://fixture.example/privacy/")
    result = run([str(BIN / "policyforge"), "build"], root)
    assert result.returncode == 0, result.stderr
    assert "Content-Security-Policy" not in result.stderr
    csp = (root / "site" / "_headers").read_text(encoding="utf-8").split("\n")[1]
    pages = list((root / "site").rglob("*.html"))
    assert any(p.name == "404.html" for p in pages)
    for page in pages:
        for body in inline_scripts(page.read_text(encoding="utf-8")):
            assert script_hash(body) in csp, page


def test_javascript_site_url_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, site_url="javascript:alert(document.domain)")
    for args in (["build"], ["widget", "--out", str(tmp_path / "out")], ["check"]):
        result = run([str(BIN / "policyforge"), *args], root)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "ERROR" in result.stderr and "is not an http:// or https:// URL" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (root / "site").exists() and not (tmp_path / "out").exists()
    widget = run(
        [str(BIN / "policyforge"), "widget", "--out", str(tmp_path / "out"), "--policy-url", "javascript:alert(1)"],
        project(tmp_path / "w"),
    )
    assert widget.returncode == 2 and "--policy-url" in widget.stderr


def test_site_url_that_breaks_out_of_an_attribute_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, site_url="'https://fixture.example/\"><script>alert(1)</script>'")
    for cmd in ([str(BIN / "policyforge"), "build"], [str(BIN / "mkdocs"), "build"]):
        result = run(cmd, root)
        assert result.returncode != 0, cmd
        assert "site_url" in result.stderr and "which a URL may not contain" in result.stderr
        assert not (root / "site").exists()


def test_site_url_is_escaped_in_the_404_page(tmp_path: Path) -> None:
    root = project(tmp_path, site_url='"https://fixture.example/a&b\'c/"')
    result = run([str(BIN / "policyforge"), "build"], root)
    assert result.returncode == 0, result.stderr
    page = (root / "site" / "404.html").read_text(encoding="utf-8")
    assert 'src="/a&amp;b&#39;c/consent/consent.js"' in page
    assert "/a&b'c/consent" not in page
