"""``policyforge serve`` while it runs: what it tells the terminal, and problem pages while the source is broken.

After every build (the first and each rebuild) it prints, one line each, the address of the
site, the address of the draft and what it watches. When the policy source does not load,
the build still succeeds: every page is replaced by the problem page
(:mod:`policyforge.site.problems`), so a browser never hangs on a stuck server and turns back
into the policy by itself once the file is fixed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import PolicyError
from ..site.problems import problem_content, problem_lines, problem_page, problem_title, write_problem_assets
from ..site.urls import DRAFT_PAGE, NAV_PAGES
from ..terminal import terminal_safe

__all__ = ["LOGGER_NAME", "ServeState"]

LOGGER_NAME = "policyforge.serve"
_log = logging.getLogger(LOGGER_NAME)


@dataclass
class ServeState:
    """What one ``serve`` session knows across rebuilds (the plugin object lives as long as the server)."""

    root: Path = Path()
    watched: list[Path] = field(default_factory=list)
    draft: bool = True
    problem: PolicyError | None = None

    def start_build(self, *, root: Path, watched: list[Path], draft: bool) -> None:
        """Called as each build starts: forget the previous build's problem."""
        self.root, self.watched, self.draft = root, watched, draft
        self.problem = None

    def placeholders(self) -> list[str]:
        """The policy's page sources (``index.md``, ...) that stand in as problem pages while it is broken."""
        return [*NAV_PAGES, *((DRAFT_PAGE,) if self.draft else ())]  # the pages the site has when the source loads

    def content(self, site_url: str) -> str:
        """The problem page's content, for a page of the site (only while :attr:`problem` is set)."""
        assert self.problem is not None
        return problem_content(self.problem, _base(site_url))

    def context(self, site_url: str) -> dict[str, Any]:
        """What the template overrides show while :attr:`problem` is set: the problems and their title."""
        return {"problem": self.content(site_url), "title": problem_title(), "head": "", "switch": [], "settings": ""}

    def finish(self, site_dir: Path, site_url: str, warnings: list[str] | None = None) -> None:
        """After a build: write the missing problem pages (while broken) and print the session's lines,
        after ``warnings`` (lines such as a section that changed level since the newest release)."""
        if self.problem is not None:
            write_problem_assets(site_dir)
            for source in self.placeholders():  # when the theme did not render them (no themed page)
                page = Path(source)  # written as MkDocs does with directory URLs: draft.md → draft/index.html
                target = site_dir / page.parent / ("" if page.stem == "index" else page.stem) / "index.html"
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(problem_page(self.problem, _base(site_url)), encoding="utf-8", newline="")
            for line in problem_lines(self.problem):
                _log.warning(line)
        for line in warnings or []:
            _log.warning(terminal_safe(line))
        for line in self.lines(site_url):
            _log.info(line)

    def lines(self, site_url: str) -> list[str]:
        """The three lines printed after every build."""
        url = site_url or "http://127.0.0.1:8000/"
        shown = ", ".join(self._display(p) for p in self.watched)
        if self.problem is not None:
            first = (
                f"Problem page: every page at {url} lists the problems above until you fix them; it reloads by itself"
            )
        else:
            first = f"Serving the policy at {url}"
        draft = (
            f"Draft (policy.yaml as you edit it): {url}draft/" if self.draft else "Draft: not published (--no-draft)"
        )
        return [first, draft, f"Watching {shown} (rebuilds on every save)"]

    def _display(self, path: Path) -> str:
        try:
            rel = str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            rel = str(path)
        return rel + "/" if path.is_dir() else rel


def _base(site_url: str) -> str:
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"
