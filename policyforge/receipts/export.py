"""Writing stored receipts as JSON Lines or CSV (``receipts export``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from .store import StoredReceipt

__all__ = ["CSV_COLUMNS", "FORMATS", "write_export"]

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "receipt_id",
    "server_time",
    "consent_id",
    "action",
    "granted",
    "refused",
    "revision",
    "version",
    "sha256",
    "gpc",
    "language",
    "origin",
    "client_time",
    "format",
)


def write_export(items: Iterable[StoredReceipt], out: TextIO, fmt: str) -> int:
    """Write ``items`` to ``out`` as ``jsonl`` or ``csv``; return how many were written.

    In CSV, granted and refused categories are space-separated and ``gpc`` is ``true``/``false``.
    """
    count = 0
    if fmt == "jsonl":
        for item in items:
            out.write(json.dumps(item.as_json(), ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
        return count
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        data = item.as_json()
        data["granted"] = " ".join(data["granted"])
        data["refused"] = " ".join(data["refused"])
        data["gpc"] = "true" if data["gpc"] else "false"
        writer.writerow([data[k] for k in CSV_COLUMNS])
        count += 1
    return count
