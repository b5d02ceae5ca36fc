"""The engine-agnostic site build: page generators, feeds, data files, headers, assets, atomic swap.

It builds on :mod:`policyforge.source` and :mod:`policyforge.history`; a site engine adapter
(:mod:`policyforge.mkdocs_plugin`) drives it."""

__all__ = [
    "build",
    "csp",
    "data",
    "demo",
    "feeds",
    "history_pages",
    "inject",
    "inputs",
    "languages",
    "output_dir",
    "policy_page",
    "redline",
    "strings",
    "translation_notes",
    "urls",
]
