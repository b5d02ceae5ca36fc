"""Banner source (plain JS + CSS), shipped in the wheel as ``policyforge.widget_src``."""

__all__: list[str] = []
