"""Typed errors of the receipts service; the CLI and the HTTP layer turn them into messages."""

from __future__ import annotations

from ..errors import PolicyError

__all__ = ["ReceiptInvalid", "ReceiptsError", "StoreUnavailable"]


class ReceiptsError(PolicyError):
    """The receipts store or service cannot do what was asked (bad URL, unknown id, ...)."""

    hint = "See docs/receipts.md for the receipts service and its database."


class StoreUnavailable(ReceiptsError):
    """The database cannot take or give receipts right now (lost connection, full disk, file gone)."""

    hint = "Check that the database is reachable and has free space; nothing acknowledged was lost."


class ReceiptInvalid(ReceiptsError):
    """A receipt was refused; ``problems`` says why, one line each, and ``status`` is the HTTP status."""

    def __init__(self, problems: list[str], status: int = 422) -> None:
        self.problems = list(problems)
        self.status = status
        super().__init__("; ".join(self.problems))
