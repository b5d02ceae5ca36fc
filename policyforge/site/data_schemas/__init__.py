"""JSON Schemas of the data files policyforge publishes (see docs/data.md)."""

__all__: list[str] = []
