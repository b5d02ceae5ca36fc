"""Make text from outside (YAML, lock files, scanned pages) safe to print on a terminal.

:func:`terminal_safe` is the one function that does it; the CLI prints everything through
``cli.common.echo`` (which applies it), and log lines through :class:`SafeStreamHandler`.
"""

from __future__ import annotations

import logging
import re

__all__ = ["SafeStreamHandler", "json_safe", "terminal_safe"]

# C0 controls except tab and newline, DEL, and the C1 controls (U+0080-U+009F, e.g. CSI U+009B).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters json.dumps(ensure_ascii=False) leaves raw: DEL and the C1 controls.
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f]")
# Select Graphic Rendition (colours, bold): the only escape sequences policyforge itself prints.
_SGR = re.compile("(\x1b\\[[0-9;]*m)")


def terminal_safe(text: str, *, keep_colors: bool = False) -> str:
    """``text`` without control characters (C0 except tab and newline, DEL, C1).

    With ``keep_colors``, SGR colour sequences (``ESC [ 31 m``) are kept and everything else is
    removed as usual: for output that policyforge coloured itself after cleaning the text in it.
    Colours cannot clear a screen, move the cursor or retitle a terminal.
    """
    if not keep_colors:
        return _CONTROL.sub("", text)
    return "".join(part if i % 2 else _CONTROL.sub("", part) for i, part in enumerate(_SGR.split(text)))


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u`` escapes (same data, safe to print).

    ``json.dumps`` already escapes the C0 controls; outside strings JSON text is plain ASCII.
    """
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A logging handler whose lines pass through :func:`terminal_safe`."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))
