"""The failure-safe embedding: a tiny inline consent-default stub, then the banner loaded ``async``.

The snippet a product puts first in its ``<head>`` is two tags (``templates/embed.html``): the stub, an inline
script of a few hundred bytes generated here from the banner's configuration, and the banner itself with
``async``, Subresource Integrity and ``crossorigin``. However the policy host behaves (slow, down, a 404, an
integrity mismatch, blocked by the product's CSP), the product's first paint never waits for it, and the
stub has already done what must happen before any Google tag: it defines ``dataLayer``/``gtag`` if absent,
sends Consent Mode's ``default`` (every type the policy maps denied, unless a required category governs it;
then one per region that differs, :func:`~policyforge.banner.regions.consent_mode_defaults`)
and sets up ``window.policyforge`` as a queue of ready listeners. Gated content stays inert without the
banner (fail closed). The stub marks its queue (``consentDefault``) when it sent the default, and the banner then sends
none of its own (``consent_widget/src/main.js``); without a stub (the synchronous form) the banner sends it.

A strict CSP allows the stub by its hash: :attr:`Embedding.csp` lists the sources to add to ``script-src``,
the hash of the exact bytes :attr:`Embedding.head` prints and the policy host's origin.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .assemble import js_literal, sri
from .regions import WAIT_FOR_UPDATE, consent_mode_defaults
from .snippet import embed_tag, settings_link

__all__ = [
    "WAIT_FOR_UPDATE",
    "Embedding",
    "consent_mode_defaults",
    "embed_snippet",
    "origin_of",
    "script_hash",
    "stub_script",
]


def stub_script(config: Mapping[str, Any]) -> str:
    """The inline stub's text: the same bytes for the same configuration, pure ASCII, no ``<`` (safe between
    ``<script>`` tags unescaped); it never throws into the page."""
    commands = "".join(f'w.gtag("consent","default",{js_literal(state)});' for state in consent_mode_defaults(config))
    gtag = 'if(typeof w.gtag!="function")w.gtag=function(){w.dataLayer.push(arguments)};'
    consent_mode = (
        f"try{{w.dataLayer=w.dataLayer||[];{gtag}{commands}q.consentDefault=1}}catch(e){{}}" if commands else ""
    )
    return f"(function(w){{var q=w.policyforge=w.policyforge||[];{consent_mode}}})(window);"


def script_hash(body: str) -> str:
    """The CSP source expression (``'sha256-…'``) that allows an inline script with this body."""
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Embedding:
    """What a product adds to its pages to embed the banner the failure-safe way."""

    head: str  # the stub's <script> and the async banner's <script>, one per line, first in <head>
    csp: tuple[str, ...]  # the sources to add to the product's CSP script-src: the stub's hash, the banner's origin
    settings: str  # a "Cookie settings" link to the policy's cookie section, which the banner turns into a button


def embed_snippet(src: str, script: str, config: Mapping[str, Any]) -> Embedding:
    """The failure-safe snippet for the banner file ``script`` (of ``config``) served at ``src``.

    A relative ``src`` is on the product's own origin: its CSP source is then ``'self'``.
    """
    stub = stub_script(config)
    origin = origin_of(src) if urlsplit(src).scheme else "'self'"
    return Embedding(
        head=embed_tag(src, sri(script), stub),
        csp=(script_hash(stub), origin),
        settings=settings_link(config["policyUrl"]),
    )
