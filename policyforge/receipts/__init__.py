"""Proof of consent: receipts sent by the banner, checked against the policy history and stored.

The package may import the policy source and its history, never the site, the banner or the
CLI. Modules:

* :mod:`.receipt` the receipt format (JSON Schema) and its parsing;
* :mod:`.ledger` the released versions a receipt must agree with;
* :mod:`.tables`, :mod:`.store` the database (SQLite or PostgreSQL) and its migrations;
* :mod:`.writer`, :mod:`.app`, :mod:`.serve` the HTTP service (Starlette on uvicorn);
* :mod:`.clients`, :mod:`.ratelimit` who sent a request (a keyed hash) and the rate limit per client;
* :mod:`.stats`, :mod:`.export` reading receipts back;
"""

from .errors import ReceiptInvalid, ReceiptsError, StoreUnavailable
from .ledger import Ledger, VersionFacts
from .receipt import ACTIONS, Receipt, parse_receipt, receipt_schema
from .store import Store, StoredReceipt, open_store

__all__ = [
    "ACTIONS",
    "Ledger",
    "Receipt",
    "ReceiptInvalid",
    "ReceiptsError",
    "Store",
    "StoreUnavailable",
    "StoredReceipt",
    "VersionFacts",
    "open_store",
    "parse_receipt",
    "receipt_schema",
]
