"""Assemble the cookie-consent banner script from ``consent_widget/``.

The banner source is two files shipped as package data of ``policyforge.widget``
(the directory ``consent_widget/``): ``consent.js`` and ``consent.css``.
:func:`assemble` minifies both with deliberately simple, line-based rules that are
safe for that source (see the header comment of ``consent.js``), then replaces the
marker tokens ``__PF_CONFIG__`` and ``__PF_CSS__`` with the config and the CSS as
JavaScript literals escaped for any context. :func:`sri` and :func:`content_hash`
give the Subresource Integrity value and the short hash for ``consent.<hash>.js``.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import json
import re
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = [
    "COMPILE_HINT",
    "CONFIG_MARKER",
    "CSS_MARKER",
    "assemble",
    "content_hash",
    "js_literal",
    "minify_css",
    "minify_js",
    "read_source",
    "sri",
]

# V8's explicit compile hint (Chromium 136+; a plain comment elsewhere): every function of the
# file is compiled eagerly, off the main thread while the script streams in, instead of lazily
# on the main thread when the banner first calls it. It must be the file's first line.
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
CONFIG_MARKER = "__PF_CONFIG__"
CSS_MARKER = "__PF_CSS__"
_MARKERS = re.compile(r"__PF_(CONFIG|CSS)__")
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def read_source(name: str) -> str:
    """Return the text of ``consent.js`` or ``consent.css``.

    The banner source lives in ``consent_widget/`` at the top of the repository; the wheel
    ships it as the data package ``policyforge.widget_src``.
    """
    try:
        folder: Traversable = importlib.resources.files("policyforge.widget_src")
    except ModuleNotFoundError:  # an editable install imports policyforge/ from the source tree
        folder = Path(__file__).resolve().parent.parent / "consent_widget"
    return folder.joinpath(name).read_text(encoding="utf-8")


def minify_js(source: str) -> str:
    """Minify the banner's JavaScript with rules that are safe for its documented style.

    Preconditions, checked here: no template literals, no regular-expression literals
    or division (no ``/`` in code outside strings and whole-line comments), comments
    only on lines of their own, and every statement ends with a semicolon. Then:

    * ``// ...`` lines and ``/* ... */`` blocks starting a line are dropped;
    * whitespace outside string literals is dropped unless it separates two
      identifier characters (``const x``) or two ``+``/``-`` signs;
    * a line break is dropped after ``{ ; ,`` and before ``}`` (never where automatic
      semicolon insertion could apply), and so is a line-final ``;`` before a ``}``
      line; elsewhere the line break is kept.
    """
    if "`" in source:
        raise ValueError("consent.js must not use template literals (unsafe for the minifier)")
    lines: list[str] = []
    in_block = False
    for raw in source.splitlines():
        line = raw.strip()
        if in_block:
            in_block = "*/" not in line
            continue
        if line.startswith("/*"):
            in_block = "*/" not in line[2:]
            continue
        if line and not line.startswith("//"):
            lines.append(_squeeze(line))
    out = lines[0] if lines else ""
    for line in lines[1:]:
        if line.startswith("}") and out.endswith(";"):
            out = out[:-1]
        join = out.endswith(("{", ";", ",")) or line.startswith("}")
        out += line if join else "\n" + line
    return out + "\n"


def _squeeze(line: str) -> str:
    """Drop insignificant spaces in one line of code; keep string literals verbatim."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            out.append(ch)
            if ch == "\\":
                out.append(line[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            out.append(ch)
        elif ch == "/":
            raise ValueError(f"'/' outside a string in consent.js (comment or regex?): {line!r}")
        elif ch.isspace():
            nxt = line[i + 1 : i + 2]
            prev = out[-1] if out else ""
            if nxt.isspace():
                pass
            elif (_ident(prev) and _ident(nxt)) or (prev in "+-" and prev and nxt in "+-" and nxt):
                out.append(" ")
        else:
            out.append(ch)
        i += 1
    if quote:
        raise ValueError(f"unterminated string in consent.js: {line!r}")
    return "".join(out)


def _ident(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch in "_$")


def minify_css(source: str) -> str:
    """Strip comments and collapse whitespace in the banner's CSS.

    Spaces are removed only next to ``{ } ; , > !`` and after ``:``; a space before
    ``:`` is kept because it matters in selectors (``a :focus``). The source must not
    put these characters or comment markers inside quoted strings.
    """
    text = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>!])\s*", r"\1", text)
    text = re.sub(r":\s+", ":", text)
    return text.replace(";}", "}").strip()


def js_literal(value: Any) -> str:
    """Serialise ``value`` as JSON that is also safe inside any JavaScript or HTML context.

    ``ensure_ascii`` escapes U+2028/U+2029 and all non-ASCII; ``<``, ``>`` and ``&``
    become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (they can only occur inside strings).
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def assemble(config: Mapping[str, Any]) -> str:
    """Return the final ``consent.js`` text for ``config`` (JS, CSS and config in one file).

    The result is pure ASCII and starts with :data:`COMPILE_HINT`. The substitution is a
    single pass, so marker-like text inside the config or the CSS is never substituted again.
    """
    js = minify_js(read_source("consent.js"))
    css = minify_css(read_source("consent.css"))
    for marker in (CONFIG_MARKER, CSS_MARKER):
        if js.count(marker) != 1:
            raise ValueError(f"consent.js must contain the marker {marker} exactly once")
    values = {"CONFIG": js_literal(dict(config)), "CSS": js_literal(css)}
    return COMPILE_HINT + _MARKERS.sub(lambda m: values[m.group(1)], js)


def sri(text: str) -> str:
    """Return the Subresource Integrity value (``sha384-<base64>``) of ``text`` as UTF-8."""
    digest = hashlib.sha384(text.encode("utf-8")).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def content_hash(text: str) -> str:
    """Return the first 10 hex digits of the SHA-256 of ``text``, for ``consent.<hash>.js``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
