"""The policy source: the model, YAML reading with line numbers, loading, lint, editor schema, options.

Everything here reads and validates what an editor wrote; nothing here knows releases, URLs or HTML."""

__all__ = [
    "editor_schema",
    "lint",
    "loader",
    "locales",
    "markdown_text",
    "model",
    "numbering",
    "options",
    "revision",
    "yaml_reader",
]
