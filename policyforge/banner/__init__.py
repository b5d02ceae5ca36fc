"""The consent banner: its config from the policy, and the assembly of ``consent.js``."""

__all__ = ["assemble", "config"]
