"""Assemble the cookie-consent banner script from the committed build in ``consent_widget/dist/``.

The banner's source is plain JavaScript modules and a stylesheet in ``consent_widget/src/``.
At development time, ``node consent_widget/build.mjs`` (esbuild, pinned in
``consent_widget/package.json``) bundles and minifies them into ``consent_widget/dist/``, which
is committed and shipped in the wheel as the data package ``policyforge.widget_src``: installing
policyforge or building a site never needs Node (a test fails when ``dist/`` is stale).

The banner comes in two stages (``banner/stages.py`` splits the configuration): :func:`assemble` makes the
first (``consent.min.js``) by replacing its two marker identifiers ``__PF_CONFIG__`` and ``__PF_CSS__``
with the first stage's configuration and the notice's stylesheet; :func:`assemble_settings` makes the second
(``consent-settings.min.js``) by replacing ``__PF_DATA__`` and ``__PF_CSS__`` with the whole configuration's
texts, categories and languages and the settings layer's stylesheet. Both as JavaScript literals escaped for
any context. The configuration goes in compact (:func:`compact`): short key names,
texts as arrays in the order of :data:`TEXT_KEYS`, each further language as one array of the
strings it changes. :func:`sri` and :func:`content_hash` give the Subresource Integrity value and
the short hash for ``consent.<hash>.js``.
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
    "DATA_MARKER",
    "TEXT_KEYS",
    "assemble",
    "assemble_settings",
    "compact",
    "content_hash",
    "js_literal",
    "read_build",
    "sri",
]

# V8's explicit compile hint (Chromium 136+; a plain comment elsewhere): every function of the
# file is compiled eagerly, off the main thread while the script streams in, instead of lazily
# on the main thread when the banner first calls it. It must be the file's first line.
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"
CONFIG_MARKER = "__PF_CONFIG__"
CSS_MARKER = "__PF_CSS__"
DATA_MARKER = "__PF_DATA__"
_MARKERS = re.compile(r"__PF_(CONFIG|CSS|DATA)__")
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
# The banner's texts in the order of their indices in consent_widget/src/texts.js (a test compares them); the
# first two, the links to the policy page and the change pages, are top-level keys of the readable config.
TEXT_KEYS = (
    "policyUrl",
    "changesUrl",
    "title",
    "text",
    "accept",
    "reject",
    "customize",
    "save",
    "close",
    "policyLink",
    "settingsTitle",
    "alwaysOn",
    "gpc",
    "changed",
    "changedLink",
    "name",
    "provider",
    "purpose",
    "duration",
    "cookies",
    "frame",
    "allow",
    "consentId",
    "chosenOn",
    "privacyChoices",
)


def read_build(name: str) -> str:
    """Return the text of a file of the committed build (``consent.min.js``, ``consent.receipts.min.js``,
    ``consent.min.css``, ``consent-settings.min.js``, ``consent-settings.receipts.min.js``,
    ``consent-settings.min.css``, ``consent-settings.receipts.min.css``, ``consent.keys.json``).

    It lives in ``consent_widget/dist/`` at the top of the repository; the wheel ships the
    folder as the data package ``policyforge.widget_src``.
    """
    try:
        folder: Traversable = importlib.resources.files("policyforge.widget_src")
    except ModuleNotFoundError:  # an editable install imports policyforge/ from the source tree
        folder = Path(__file__).resolve().parents[2] / "consent_widget"
    return folder.joinpath("dist", name).read_text(encoding="utf-8")


def js_literal(value: Any) -> str:
    """Serialise ``value`` as JSON that is also safe inside any JavaScript or HTML context.

    ``ensure_ascii`` escapes U+2028/U+2029 and all non-ASCII; ``<``, ``>`` and ``&``
    become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (they can only occur inside strings).
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JS_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def compact(config: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration as the banner reads it: keys renamed to their :func:`wire_keys`, ``texts`` as an
    array by :data:`TEXT_KEYS` (up to the last one given), declared cookies as arrays (:func:`_item`), and
    ``languages`` (``{lang: {"policyUrl", "changesUrl", "texts": {...}, "categories": [{"title", "description",
    "cookies": [{"purpose", "duration"}, ...]}]}}``) as ``l``: per language, one array of strings in slot order
    (:func:`_slots`: a cookie's purpose and duration), ``0`` where it
    equals the default language's, without trailing zeros."""
    out = {key: value for key, value in config.items() if key not in ("languages", "policyUrl", "changesUrl")}
    texts: Mapping[str, str] = {**config["texts"], "policyUrl": config["policyUrl"], "changesUrl": config["changesUrl"]}
    keys = TEXT_KEYS[: max(i for i, key in enumerate(TEXT_KEYS) if key in texts) + 1]
    out["texts"] = [texts.get(key, "") for key in keys]
    out["categories"] = [
        {**c, "cookies": [_item(k) for k in c["cookies"]]} if c.get("cookies") else c for c in config["categories"]
    ]
    others = config.get("languages") or {}
    default = _slots(keys, config) if others else []
    langs = {}
    for lang, tr in others.items():
        strings: list[str | int] = [0 if s == d else s for s, d in zip(_slots(keys, tr), default, strict=True)]
        while strings and strings[-1] == 0:
            strings.pop()
        langs[lang] = strings
    if langs:
        out["l"] = langs
    wire = wire_keys()
    out["categories"] = [_wired(c, wire) for c in out["categories"]]
    return {wire.get(k, k): v for k, v in out.items()}


def wire_keys() -> dict[str, str]:
    """The configuration keys the built script reads under short names (``WIRE_KEYS`` in
    ``consent_widget/build.mjs``, written to ``dist/consent.keys.json``)."""
    keys: dict[str, str] = json.loads(read_build("consent.keys.json"))
    return keys


def _wired(category: Mapping[str, Any], wire: Mapping[str, str]) -> dict[str, Any]:
    """A category with its keys, and its services' keys, renamed to their wire names."""
    out = {wire.get(k, k): v for k, v in category.items()}
    if "services" in category:
        out[wire.get("services", "services")] = [
            {wire.get(k, k): v for k, v in s.items()} for s in category["services"]
        ]
    return out


def _item(cookie: Mapping[str, str]) -> list[str]:
    """A declared cookie or storage key as the banner reads it: ``[name, provider, purpose, duration, path,
    storage]`` without trailing defaults (``DeclaredItem`` in consent_widget/src/model.js)."""
    out = [
        cookie["name"],
        cookie["provider"],
        cookie["purpose"],
        cookie["duration"],
        cookie.get("path", "") if cookie.get("path", "/") != "/" else "",
        cookie.get("storage", ""),
    ]
    while out[-1] == "":
        out.pop()
    return out


def _slots(keys: tuple[str, ...], language: Mapping[str, Any]) -> list[str]:
    """The strings of one language in the banner's slot order (``textSwitch`` in consent_widget/src/model.js):
    the policy page's and change pages' URLs, the texts, then each category's title, description, cookie
    purposes and durations and its services' names and descriptions."""
    texts = {**language["texts"], "policyUrl": language["policyUrl"], "changesUrl": language["changesUrl"]}
    out = [texts.get(key, "") for key in keys]
    for category in language["categories"]:
        out += [category["title"], category["description"]]
        for c in category.get("cookies", ()):
            out += [c["purpose"], c["duration"]]
        for service in category.get("services", ()):
            out += [service["title"], service["description"]]
    return out


def assemble(config: Mapping[str, Any]) -> str:
    """Return the first stage's file for ``config`` (its configuration: ``banner/stages.py``, ``first_config``):
    script, the notice's stylesheet and the configuration in one file.

    The result is pure ASCII and starts with :data:`COMPILE_HINT`. The substitution is a
    single pass, so marker-like text inside the config or the CSS is never substituted again.
    """
    # Only a banner that sends consent receipts carries the sender (consent_widget/src/receipts.js).
    receipts = ".receipts" if config.get("receipts") else ""
    return _fill(f"consent{receipts}.min.js", {"CONFIG": js_literal(compact(config)), "CSS": _css("consent.min.css")})


def assemble_settings(config: Mapping[str, Any]) -> str:
    """Return the second stage's file for the whole ``config``: the settings layer's script and stylesheet, and
    the texts, categories (descriptions, cookie tables) and every language, which the first stage's
    configuration lacks (``install`` in ``consent_widget/src/settings.js``)."""
    receipts = ".receipts" if config.get("receipts") else ""
    full = compact(config)
    data = {key: full[key] for key in (wire_keys()["texts"], "categories", "l", "rtl") if key in full}
    css = _css(f"consent-settings{receipts}.min.css")
    return _fill(f"consent-settings{receipts}.min.js", {"DATA": js_literal(data), "CSS": css})


def _css(name: str) -> str:
    return js_literal(read_build(name).strip())


def _fill(name: str, values: Mapping[str, str]) -> str:
    """The built script ``name`` with each of its markers (``__PF_<key>__`` for each key of ``values``) replaced
    once by its value, in a single pass."""
    js = read_build(name).strip()
    for key in values:
        if js.count(f"__PF_{key}__") != 1:
            raise ValueError(f"{name} must contain the marker __PF_{key}__ exactly once")
    return COMPILE_HINT + _MARKERS.sub(lambda m: values[m.group(1)], js) + "\n"


def sri(text: str) -> str:
    """Return the Subresource Integrity value (``sha384-<base64>``) of ``text`` as UTF-8."""
    digest = hashlib.sha384(text.encode("utf-8")).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def content_hash(text: str) -> str:
    """Return the first 10 hex digits of the SHA-256 of ``text``, for ``consent.<hash>.js``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
