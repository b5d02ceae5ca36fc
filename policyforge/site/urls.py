"""The URL map of the built site: page paths and relative links between pages.

Absolute URLs (for feeds and the banner) come from :meth:`ProjectOptions.url`, which joins a
path from here with ``site_url``.
"""

from __future__ import annotations

__all__ = ["changes_path", "data_path", "relative_url", "since_path", "text_path"]


def text_path(date: str) -> str:
    """Site path of an archived version's text."""
    return f"versions/{date}/"


def changes_path(date: str) -> str:
    """Site path of the page showing what a version changed."""
    return f"changes/{date}/"


def since_path(date: str) -> str:
    """Site path of the page showing every change from ``date`` to the current version."""
    return f"changes/since/{date}/"


def data_path(date: str) -> str:
    """Site path of an archived version as data."""
    return f"versions/{date}/policy.json"


def relative_url(from_page: str, target: str) -> str:
    """Relative URL from a page URL (``versions/2025-03-01/``) to a site path (``consent/consent.js``)."""
    depth = from_page.strip("/").count("/") + 1 if from_page.strip("/") else 0
    return "../" * depth + target.lstrip("/")
