"""Typed options of the ``policyforge`` MkDocs plugin (keep in step with ``project.read_project``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

__all__ = ["PolicyForgeConfig"]


class PolicyForgeConfig(Config):
    """Options under ``plugins: - policyforge:`` in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    source = c.Type(str, default="policy_source")
    allow_html = c.Type(bool, default=False)
    draft = c.Type(bool, default=False)
    banner = c.Type(bool, default=True)
    demo = c.Type(bool, default=False)
    allow_symlinked_site_dir = c.Type(bool, default=False)
