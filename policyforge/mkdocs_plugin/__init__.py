"""The MkDocs adapter: a thin plugin that feeds policyforge's generated pages to MkDocs."""
