"""Make text from outside (YAML, lock files, scanned pages) safe to print on a terminal."""

from __future__ import annotations

import re

__all__ = ["json_safe", "terminal_safe"]

# C0 controls except tab and newline, DEL, and the C1 controls (U+0080-U+009F, e.g. CSI U+009B).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters json.dumps(ensure_ascii=False) leaves raw: DEL and the C1 controls.
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` without control characters (C0 except tab and newline, DEL, C1)."""
    return _CONTROL.sub("", text)


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u`` escapes (same data, safe to print).

    ``json.dumps`` already escapes the C0 controls; outside strings JSON text is plain ASCII.
    """
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
