"""The policy source: the model, YAML reading with line numbers, loading, lint, editor schema, options."""
