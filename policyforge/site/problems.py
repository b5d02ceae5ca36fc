"""The problem page that ``policyforge serve`` shows instead of every page while the source is broken.

It lists each problem with its file, line and hint (everything escaped), inside the site's
own page layout (the site engine adapter puts :func:`problem_content` where a page's content goes),
and reloads by itself into the policy once the source is fixed: a small script asks for the same
address again every second and reloads when the answer is no longer a problem page.
Engine-agnostic: the MkDocs adapter decides when to use it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import PolicyError, SourceError
from .build import asset_css, write_stylesheet
from .templating import render

__all__ = [
    "MARKER",
    "RELOAD_SCRIPT",
    "problem_content",
    "problem_lines",
    "problem_page",
    "problem_title",
    "write_problem_assets",
]

MARKER = "data-pf-problems"  # also in assets/policyforge-problems.js, which reloads once it is gone
RELOAD_SCRIPT = "assets/policyforge-problems.js"


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
    if isinstance(error, SourceError):
        return render(
            "problems/content.html",
            marker=MARKER,
            heading=f"{_count(error)}: the policy cannot be shown",
            problems=error.problems,
            hint=_hint(error),
            script=base + RELOAD_SCRIPT,
        )
    return render(
        "problems/content.html",
        marker=MARKER,
        heading="The policy cannot be shown",
        problems=(),
        message=str(error),
        hint=_hint(error),
        script=base + RELOAD_SCRIPT,
    )


def problem_content(error: PolicyError, base: str) -> str:
    """The problem page's content (HTML, everything escaped) for a page of the site: the problems, the hint and the
    reload script. ``base`` is the site's root path (``/`` or ``/privacy/``), for the reload script."""
    return str(_content(error, base))


def problem_title() -> str:
    """The problem page's title (plain text)."""
    return str(render("problems/title.html")).strip()


def problem_page(error: PolicyError, base: str) -> str:
    """The problem page on its own, for a page the theme did not render; ``base`` as for :func:`problem_content`."""
    return str(
        render(
            "problems/page.html",
            title=problem_title(),
            stylesheet=base + asset_css(),
            content=_content(error, base),
        )
    )


def write_problem_assets(out_dir: Path) -> None:
    """Write the reload script and the site stylesheet that problem pages use."""
    write_stylesheet(out_dir)
    script = resources.files("policyforge.site.assets").joinpath("policyforge-problems.js").read_text(encoding="utf-8")
    (out_dir / RELOAD_SCRIPT).write_text(script, encoding="utf-8", newline="")
