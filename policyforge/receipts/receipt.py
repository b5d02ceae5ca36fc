"""The consent receipt: its JSON Schema, and parsing a request body into a :class:`Receipt`.

A receipt is what the banner sends when a visitor makes or changes a choice. It names the
exact released version of the policy (its date and its sha256 from ``versions.lock``) and never
carries anything that identifies the visitor beyond a random consent id: no IP address, no user
agent string. The schema is published as ``receipt.schema.json`` beside this module and shown in
``docs/receipts.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from .errors import ReceiptInvalid

__all__ = ["ACTIONS", "RECEIPT_FORMAT", "Receipt", "parse_receipt", "receipt_schema"]

RECEIPT_FORMAT = 1
ACTIONS = ("accept", "reject", "custom", "gpc", "withdraw")


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
    """One visitor's choice, as sent by the banner (validated against the schema)."""

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
    client_time: str

    def as_json(self) -> dict[str, Any]:
        """The receipt as the JSON object the banner sent."""
        return {
            "format": RECEIPT_FORMAT,
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
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReceiptInvalid([f"the body is not JSON: {exc}"], status=400) from None
    schema_problems = _schema_problems(data)
    if schema_problems:
        raise ReceiptInvalid(schema_problems)
    problems: list[str] = []
    try:
        stamp = dt.datetime.fromisoformat(data["client_time"].replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            problems.append("receipt.client_time: needs a time zone (e.g. 2025-03-01T12:00:00.000Z)")
    except ValueError:
        problems.append(f"receipt.client_time: {data['client_time']!r} is not an ISO 8601 date and time")
    both = set(data["granted"]) & set(data["refused"])
    if both:
        problems.append(f"receipt: categories both granted and refused: {', '.join(sorted(both))}")
    if problems:
        raise ReceiptInvalid(problems)
    return Receipt(
        consent_id=data["consent_id"],
        action=data["action"],
        granted=tuple(data["granted"]),
        refused=tuple(data["refused"]),
        revision=data["revision"],
        version=data["version"],
        sha256=data["sha256"],
        gpc=data["gpc"],
        language=data["language"],
        origin=data["origin"],
        client_time=data["client_time"],
    )
