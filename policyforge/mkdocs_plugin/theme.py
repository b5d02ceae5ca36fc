"""The theme's own inline scripts, known by rendering the theme's templates with no page content.

The site's Content-Security-Policy allows exactly these (by hash). For each page, the page's
template is rendered a second time with an empty body and table of contents; the inline scripts
of that rendering are the theme's (they depend only on the template, the page's base URL and
``mkdocs.yml``, so one rendering per combination is enough). The 404 page has no page content
at all, so its scripts are the theme's as rendered. Anything else, such as raw HTML in a page,
can never add a script to the set.
"""

from __future__ import annotations

import copy
from typing import Any

from jinja2 import Environment
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..site.csp import inline_scripts

__all__ = ["ThemeScripts"]


class ThemeScripts:
    """Collects the bodies of the theme's inline scripts during one build."""

    def __init__(self) -> None:
        self.bodies: set[str] = set()
        self._seen: set[tuple[str, str, str]] = set()

    def add_page(self, env: Environment, context: dict[str, Any], page: Page) -> None:
        """Render ``page``'s template without its content and keep the inline scripts."""
        name = page.meta.get("template", "main.html")
        meta = repr(sorted((k, repr(v)) for k, v in page.meta.items() if k != "title"))
        key = (str(name), str(context.get("base_url", "")), meta)
        if key in self._seen:
            return
        self._seen.add(key)
        blank = copy.copy(page)
        blank.content = ""
        blank.toc = TableOfContents([])
        self.add_output(env.get_template(name).render({**context, "page": blank}))

    def add_output(self, html: str) -> None:
        """Keep the inline scripts of a theme rendering that holds no page content (the 404 page)."""
        self.bodies.update(inline_scripts(html))
