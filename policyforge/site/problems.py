"""The problem page that ``policyforge serve`` shows instead of every page while the source is broken.

It lists each problem with its file, line and hint (everything escaped), inside the site's
own page layout when the theme gave one, and reloads by itself into the policy once the
source is fixed: a small script asks for the same address again every second and reloads
when the answer is no longer a problem page. Engine-agnostic: the MkDocs adapter decides
when to use it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import PolicyError, SourceError
from .build import asset_css, write_stylesheet

__all__ = ["MARKER", "RELOAD_SCRIPT", "problem_lines", "problem_page", "write_problem_assets"]

MARKER = "data-pf-problems"
RELOAD_SCRIPT = "assets/policyforge-problems.js"
_ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*"[^>]*>)(.*?)(</article>)', re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_RELOAD_JS = f"""// policyforge serve: reload into the policy once the source is fixed.
(function () {{
  function check() {{
    fetch(location.href, {{cache: "no-store"}}).then(function (response) {{
      return response.text();
    }}).then(function (text) {{
      if (text.indexOf("{MARKER}") < 0) {{ location.reload(); }} else {{ setTimeout(check, 1000); }}
    }}, function () {{ setTimeout(check, 2000); }});
  }}
  setTimeout(check, 1000);
}})();
"""


def _hint(error: PolicyError) -> str:
    """The error's hint, unless it is the generic "fix the lines above" of every source error."""
    return "" if isinstance(error, SourceError) and error.hint == SourceError.hint else error.hint


def _count(error: SourceError) -> str:
    n = len(error.problems)
    return f"{n} problem{'s' if n != 1 else ''} in {error.source}"


def problem_lines(error: PolicyError) -> list[str]:
    """The problems as terminal lines (``file:line: ...``), then the summary and the hint."""
    if isinstance(error, SourceError):
        lines = [*(str(p) for p in error.problems), f"ERROR: {_count(error)}"]
    else:
        lines = [f"ERROR: {error}"]
    if _hint(error):
        lines.append(f"hint: {_hint(error)}")
    return lines


def _content(error: PolicyError, base: str) -> str:
    esc = html.escape
    if isinstance(error, SourceError):
        heading = f"{_count(error)}: the policy cannot be shown"
        items = "".join(
            f'<li><code class="pf-problem-where">{esc(p.file)}:{p.line}</code>'
            + (f' <code class="pf-problem-path">{esc(p.path)}</code>' if p.path else "")
            + f" {esc(p.message)}</li>"
            for p in error.problems)
        body = f'<ol class="pf-problem-list">{items}</ol>'
    else:
        heading = "The policy cannot be shown"
        body = f'<p class="pf-problem-list">{esc(str(error))}</p>'
    hint = f'<p class="pf-problem-hint"><strong>Hint:</strong> {esc(_hint(error))}</p>' if _hint(error) else ""
    return (f'<div class="pf-problems" {MARKER}><h1>{esc(heading)}</h1>{body}{hint}'
            "<p>Fix the file and save it: this page turns into the policy by itself.</p></div>"
            f'<script src="{esc(base)}{RELOAD_SCRIPT}"></script>')


def problem_page(error: PolicyError, themed: str | None, base: str) -> str:
    """The problem page: ``themed`` (a page of the site) with its content replaced, or a plain page.

    ``base`` is the site's root path (``/`` or ``/privacy/``), for the reload script and stylesheet.
    """
    content = _content(error, base)
    title = "<title>Problems in the policy source</title>"
    if themed and _ARTICLE.search(themed):
        page = _ARTICLE.sub(lambda m: m.group(1) + content + m.group(3), themed, count=1)
        return _TITLE.sub(lambda _: title, page, count=1)
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'{title}<link rel="stylesheet" href="{html.escape(base)}{asset_css()}"></head>'
            f'<body><main class="md-typeset pf-problems-page">{content}</main></body></html>')


def write_problem_assets(out_dir: Path) -> None:
    """Write the reload script and the site stylesheet that problem pages use."""
    write_stylesheet(out_dir)
    (out_dir / RELOAD_SCRIPT).write_text(_RELOAD_JS, encoding="utf-8", newline="")
