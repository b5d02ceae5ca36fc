"""The tags a product embeds to load the banner, rendered from ``banner/templates/``: ``embed.html`` (the
inline consent-default stub and the ``async`` banner, see :mod:`policyforge.banner.failsafe`) and
``settings.html`` (the "Cookie settings" link).

It lives with the banner (not in ``site/templates/``) because the site, the CLI and the hand-off
note all print it, and the banner package may not import the site package.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["embed_tag", "settings_link"]


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("policyforge.banner", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def embed_tag(src: str, integrity: str, stub: str) -> str:
    """The inline ``stub`` script, then the tag that loads the banner from ``src`` with ``async`` and Subresource
    Integrity ``integrity`` (both escaped). The stub goes in as it is (a script's text is not HTML: an escape
    would change its bytes and so its CSP hash), so it may hold no ``<``."""
    if "<" in stub:
        raise ValueError("the stub must not contain '<'")
    return _environment().get_template("embed.html").render(src=src, integrity=integrity, stub=Markup(stub))


def settings_link(href: str) -> str:
    """The "Cookie settings" link to ``href`` (escaped) that the banner turns into its settings button."""
    return _environment().get_template("settings.html").render(href=href)
