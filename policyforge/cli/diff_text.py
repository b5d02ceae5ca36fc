"""The terminal rendering of a :class:`~policyforge.diff.PolicyDiff` (``policyforge diff``).

Inserted words are ``{+...+}`` and deleted words ``[-...-]`` on plain streams; on a tty
(and without ``NO_COLOR``) they are green and red struck through instead. Text from the
policy passes through :func:`terminal_safe` first, so escape sequences written in the YAML
never reach the terminal; the only escape codes printed are this module's own colours.
"""

from __future__ import annotations

import os
from typing import TextIO

from ..history.diff import PolicyDiff, elide, plural
from ..terminal import terminal_safe

__all__ = ["render_terminal"]

_ANSI = {"insert": "\x1b[32m", "delete": "\x1b[31;9m", "bold": "\x1b[1m", "badge": "\x1b[33;1m",
         "reset": "\x1b[0m"}
_CONTEXT = 12
def _elide(words: tuple[str, ...], first: bool, last: bool) -> str:
    head, hidden, tail = elide(words, first=first, last=last, context=_CONTEXT)
    if not hidden:
        return " ".join(words)
    return " ".join([*head, "…", *tail])


def render_terminal(d: PolicyDiff, stream: TextIO, *, color: bool | None = None) -> None:
    """Write the diff for a terminal; colour only when ``stream`` is a tty (and NO_COLOR is unset)."""
    if color is None:
        color = stream.isatty() and not os.environ.get("NO_COLOR")
    safe = terminal_safe

    def paint(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_ANSI['reset']}" if color else text

    marks = {"insert": ("{+", "+}"), "delete": ("[-", "-]")}
    out = [paint("bold", safe(f"Changes from {d.old_label} to {d.new_label}")), safe(d.summary())]
    if d.consent_relevant:
        out.append(paint("badge", "CONSENT-RELEVANT: cookies or consent changed; visitors are asked again."))
    for item in (*d.document, *d.consent):
        out.append(safe(f"  {item.kind} {item.label}" + (f": {item.detail}" if item.detail else "")))
    for c in d.sections:
        heading = f"{c.number} {c.title}".strip()
        out += ["", paint("bold", safe(f"{heading} [{', '.join(c.kinds)}] (#{c.id})"))]
        if c.renamed and c.old is not None:
            out.append(safe(f"  renamed from: {c.old.title}"))
        if c.moved and c.old is not None and c.new is not None:
            out.append(safe(f"  moved from {c.old.number.rstrip('.')} to {c.new.number.rstrip('.')}"))
        if c.note:
            out.append(safe(f"  {c.note}"))
        if all(op.kind == "equal" for op in c.ops):
            continue
        parts: list[str] = []
        for i, op in enumerate(c.ops):
            if op.kind == "equal":
                parts.append(safe(_elide(op.words, i == 0, i == len(c.ops) - 1)))
            else:
                start, end = ("", "") if color else marks[op.kind]
                parts.append(paint(op.kind, f"{start}{safe(op.text)}{end}"))
        out.append("  " + " ".join(parts))
    if d.unchanged:
        out += ["", f"{plural(len(d.unchanged), 'section')} unchanged."]
    stream.write("\n".join(out) + "\n")
