"""JSON Schemas of the data files policyforge publishes (see docs/data.md)."""
