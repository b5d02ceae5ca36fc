"""The theme's own inline scripts, known by rendering the theme's templates with no page content.

The site's Content-Security-Policy allows exactly these (by hash). For each page, the page's
template is rendered a second time with an empty body and table of contents; the inline scripts
of that rendering are the theme's (they depend only on the template, the page's base URL and
``mkdocs.yml``, so one rendering per combination is enough). The 404 page has no page content
at all, so its scripts are the theme's as rendered. Anything else, such as raw HTML in a page,
can never add a script to the set.

Each built page is checked once, as MkDocs hands it over (:meth:`ThemeScripts.check_page`): a page
with as many ``<script`` tags as its template's blank rendering has no script of its own, and only a
page with more is parsed; its scripts the theme does not have are kept for the build to report
(the CSP blocks them). Of the built site, only the HTML files MkDocs did not render as pages (another
plugin's, such as redirect pages) are read (:meth:`ThemeScripts.check_unseen`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..site.csp import inline_scripts

__all__ = ["ThemeScripts"]


def _script_tags(html: str) -> int:
    return html.lower().count("<script")


class ThemeScripts:
    """Collects the bodies of the theme's inline scripts during one build, and the other inline scripts of its
    pages (``found``: page path, body)."""

    def __init__(self) -> None:
        self.bodies: set[str] = set()
        self.found: list[tuple[str, str]] = []
        self.seen: set[str] = set()  # the pages checked as they were built (paths in the site)
        self._blank: dict[tuple[str, str, str], tuple[int, frozenset[str]]] = {}
        self._page_key: dict[str, tuple[str, str, str]] = {}

    def add_page(self, env: Environment, context: dict[str, Any], page: Page) -> None:
        """Render ``page``'s template without its content and keep the inline scripts."""
        name = page.meta.get("template", "main.html")
        meta = repr(sorted((k, repr(v)) for k, v in page.meta.items() if k != "title"))
        key = (str(name), str(context.get("base_url", "")), meta)
        self._page_key[page.file.src_uri] = key
        if key in self._blank:
            return
        blank = copy.copy(page)
        blank.content = ""
        blank.toc = TableOfContents([])
        html = env.get_template(name).render({**context, "page": blank})
        scripts = frozenset(inline_scripts(html))
        self._blank[key] = (_script_tags(html), scripts)
        self.bodies |= scripts

    def add_output(self, html: str, path: str = "404.html") -> None:
        """Keep the inline scripts of a theme rendering that holds no page content (the 404 page)."""
        self.bodies.update(inline_scripts(html))
        self.seen.add(path)

    def check_page(self, page: Page, output: str) -> None:
        """Keep the inline scripts of a built page that its template's blank rendering does not have."""
        self.seen.add(page.file.dest_uri)
        key = self._page_key.get(page.file.src_uri)
        tags, theirs = self._blank.get(key, (-1, frozenset())) if key is not None else (-1, frozenset())
        if _script_tags(output) == tags:
            return
        path = page.file.dest_uri
        self.found += [(path, body) for body in inline_scripts(output) if body not in theirs]

    def merge(self, other: ThemeScripts, prefix: str) -> None:
        """Add another build's scripts (a language's site, its pages under ``prefix``)."""
        self.bodies |= other.bodies
        self.found += [(prefix + path, body) for path, body in other.found]
        self.seen |= {prefix + path for path in other.seen}

    def check_unseen(self, site_dir: Path) -> None:
        """Keep the inline scripts of the HTML files in ``site_dir`` that were not checked as pages."""
        for file in sorted(site_dir.rglob("*.html")):
            path = file.relative_to(site_dir).as_posix()
            if path not in self.seen:
                self.seen.add(path)
                self.found += [
                    (path, body) for body in inline_scripts(file.read_text(encoding="utf-8", errors="replace"))
                ]
