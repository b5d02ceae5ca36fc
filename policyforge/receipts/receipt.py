"""The consent receipt: its JSON Schema, and parsing a request body into a :class:`Receipt`.

A receipt is what the banner sends when a visitor makes or changes a choice. Format 2 (the banner's
identity is its consent revision) names the consent revision the banner showed; the service resolves
the released version in effect from the revision and the time it arrives
(:meth:`~policyforge.receipts.ledger.Ledger.check`). Format 1, still accepted, also named the version
(its date and its sha256 from ``versions.lock``). A receipt never carries anything that identifies the
visitor beyond a random consent id: no IP address, no user agent string.
The schema is published as ``receipt.schema.json`` beside this module and shown in ``docs/receipts.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from .errors import ReceiptInvalid

__all__ = ["ACTIONS", "FORMATS", "RECEIPT_FORMAT", "Receipt", "client_clock", "parse_receipt", "receipt_schema"]

RECEIPT_FORMAT = 2  # what the banner sends
FORMATS = (1, 2)  # what the service accepts
ACTIONS = ("accept", "reject", "custom", "gpc", "withdraw")
# RFC 3339 date-time with an upper-case T and an offset or Z; ASCII digits only, nothing after.
_RFC3339 = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})", re.ASCII
)


def client_clock(value: object) -> str | None:
    """The visitor's clock as sent when it is an RFC 3339 date and time, else ``None`` (absent).

    ``2026-11-29T12:00:00.120Z`` and ``2026-11-29T13:00:00+01:00`` pass; a space or any other
    separator, a missing offset, an impossible date or anything that is not such a string does
    not. The clock is the visitor's claim, not evidence, so a bad one is dropped, never the receipt.
    """
    if not isinstance(value, str) or (match := _RFC3339.fullmatch(value)) is None:
        return None
    try:  # the calendar and the ranges of hours, minutes, seconds and offset
        dt.datetime.fromisoformat(match[1] + match[2].replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


@cache
def receipt_schema() -> dict[str, Any]:
    """The receipt's JSON Schema (draft 2020-12)."""
    text = resources.files(__package__).joinpath("receipt.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    """The reference validator: slow, and lists every problem (used once a receipt failed)."""
    return Draft202012Validator(receipt_schema())


@cache
def _fast_check() -> Any:
    """The same schema compiled to Python code (the schema uses no keyword that differs from draft 7)."""
    return fastjsonschema.compile({**receipt_schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def _schema_problems(data: Any) -> list[str]:
    try:
        _fast_check()(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors[:20]] or ["receipt: does not match the schema"]


@dataclass(frozen=True)
class Receipt:
    """One visitor's choice, as sent by the banner (validated against the schema). ``version`` and ``sha256`` are
    empty in a format 2 receipt until the service resolves them (:meth:`Ledger.check
    <policyforge.receipts.ledger.Ledger.check>`); stored receipts of both formats have them."""

    consent_id: str
    action: str
    granted: tuple[str, ...]
    refused: tuple[str, ...]
    revision: str
    version: str
    sha256: str
    gpc: bool
    language: str
    origin: str
    client_time: str | None
    format: int = 1

    def as_json(self) -> dict[str, Any]:
        """The receipt as the JSON object the banner sent, with the version and its sha256 the service resolved
        for a format 2 receipt (the export format)."""
        return {
            "format": self.format,
            "consent_id": self.consent_id,
            "action": self.action,
            "granted": list(self.granted),
            "refused": list(self.refused),
            "revision": self.revision,
            "version": self.version,
            "sha256": self.sha256,
            "gpc": self.gpc,
            "language": self.language,
            "origin": self.origin,
            "client_time": self.client_time,
        }


def _where(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "receipt" + "".join(parts)


def parse_receipt(body: bytes) -> Receipt:
    """Decode and validate one receipt; :class:`ReceiptInvalid` lists every problem at once."""
    try:
        data = json.loads(body)
        schema_problems = _schema_problems(data)  # its messages show values: deep ones recurse too
    except RecursionError:
        raise ReceiptInvalid(["the body is not a receipt: nested too deeply"], status=400) from None
    except ValueError as exc:  # not UTF-8, not JSON, or an integer past Python's digit limit
        raise ReceiptInvalid([f"the body is not JSON: {exc}"], status=400) from None
    if schema_problems:
        raise ReceiptInvalid(schema_problems)
    both = set(data["granted"]) & set(data["refused"])
    if both:
        raise ReceiptInvalid([f"receipt: categories both granted and refused: {', '.join(sorted(both))}"])
    return Receipt(
        consent_id=data["consent_id"],
        action=data["action"],
        granted=tuple(data["granted"]),
        refused=tuple(data["refused"]),
        revision=data["revision"],
        version=data.get("version", ""),  # format 2: resolved by the ledger
        sha256=data.get("sha256", ""),
        gpc=data["gpc"],
        language=data["language"],
        origin=data["origin"],
        client_time=client_clock(data.get("client_time")),
        format=data["format"],
    )
