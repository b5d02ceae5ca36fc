"""The ``<script>`` tag a product embeds to load the banner, rendered from ``banner/templates/embed.html``.

It lives with the banner (not in ``site/templates/``) because the site, the CLI and the hand-off
note all print it, and the banner package may not import the site package.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["embed_tag"]


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("policyforge.banner", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def embed_tag(src: str, integrity: str) -> str:
    """The tag that loads the banner from ``src`` with Subresource Integrity ``integrity`` (both escaped)."""
    return _environment().get_template("embed.html").render(src=src, integrity=integrity)
