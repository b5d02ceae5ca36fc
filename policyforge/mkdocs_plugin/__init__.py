"""The MkDocs adapter: a thin plugin that feeds policyforge's generated pages to MkDocs.

The only package that imports MkDocs."""

__all__ = ["config", "engine", "hosts", "languages", "plugin", "scaffold"]
