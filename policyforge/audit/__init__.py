"""``policyforge scan``: a real-browser audit of a live site against its policy.

It uses :mod:`policyforge.source` and :mod:`policyforge.history` only."""

__all__ = ["addresses", "browser", "egress", "limits", "report", "scan"]
