"""``policyforge scan``: a real-browser audit of a live site against its policy."""
