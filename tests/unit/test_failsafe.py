"""The failure-safe snippet's stub (banner/failsafe.py): its Consent Mode defaults, its bytes and its CSP hash.

The browser behaviour (first paint, a held, missing, tampered or CSP-blocked banner) is in
tests/e2e/test_banner_failsafe.py; here the stub also runs in Node against a bare ``window``.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from policyforge.banner.failsafe import consent_mode_defaults, embed_snippet, script_hash, stub_script
from tests.unit.test_widget import CONFIG, ROOT, node


def categories(*specs: tuple[str, bool, list[str]]) -> dict[str, Any]:
    """A banner config with categories (id, required, gcm types)."""
    cats = [{"id": i, "required": r, "gcm": g} if r else {"id": i, "gcm": g} for i, r, g in specs]
    return {**CONFIG, "categories": cats}


def test_defaults_deny_every_mapped_type_unless_a_required_category_governs_it() -> None:
    cfg = categories(
        ("essential", True, ["security_storage"]),
        ("analytics", False, ["analytics_storage", "functionality_storage"]),
        ("preferences", True, ["functionality_storage"]),  # required too: its type is granted
        ("marketing", False, ["ad_storage"]),
    )
    assert consent_mode_defaults(cfg) == [
        {
            "security_storage": "granted",
            "analytics_storage": "denied",
            "functionality_storage": "granted",
            "ad_storage": "denied",
            "wait_for_update": 500,
        }
    ]


def run_stub(stub: str, before: str = "") -> Any:
    """Run ``stub`` in Node with a bare ``window`` (after ``before``); return what it left there."""
    program = (
        f"const window = globalThis; {before}\n{stub}\n"
        "console.log(JSON.stringify({layer: (window.dataLayer || []).map((a) => Array.from(a)),"
        " queue: Array.isArray(window.policyforge), mark: window.policyforge.consentDefault || 0}));"
    )
    out = subprocess.run([node(), "-e", program], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_the_stub_sends_the_default_queues_listeners_and_marks_it() -> None:
    stub = stub_script(CONFIG)
    assert stub == stub_script(json.loads(json.dumps(CONFIG)))  # the same bytes for the same configuration
    default = {"security_storage": "granted", "analytics_storage": "denied", "wait_for_update": 500}
    assert run_stub(stub) == {"layer": [["consent", "default", default]], "queue": True, "mark": 1}
    # a page's listener queued before the stub is kept
    assert run_stub(stub, "window.policyforge = [() => 1];")["queue"] is True


def test_the_stub_never_throws_and_marks_no_default_it_did_not_send() -> None:
    broken = "window.gtag = () => { throw new Error('broken gtag'); };"
    assert run_stub(stub_script(CONFIG), broken) == {"layer": [], "queue": True, "mark": 0}


def test_without_consent_mode_the_stub_only_sets_up_the_queue() -> None:
    stub = stub_script(categories(("essential", True, []), ("analytics", False, [])))
    assert consent_mode_defaults(categories(("analytics", False, []))) == []
    assert "gtag" not in stub and "dataLayer" not in stub
    assert run_stub(stub) == {"layer": [], "queue": True, "mark": 0}


def test_the_stub_is_safe_between_script_tags_whatever_the_config() -> None:
    stub = stub_script(categories(("x", False, ["</script><script>alert(1)//"])))
    assert "<" not in stub and stub.isascii()
    assert run_stub(stub)["layer"][0][2] == {"</script><script>alert(1)//": "denied", "wait_for_update": 500}


@pytest.mark.parametrize(
    ("src", "origin"),
    [
        ("https://policy.example:8443/consent/consent.abc.js", "https://policy.example:8443"),
        ("/c/consent.js", "'self'"),
    ],
)
def test_the_csp_sources_are_the_printed_stubs_hash_and_the_banners_origin(src: str, origin: str) -> None:
    embedding = embed_snippet(src, "banner()", CONFIG)
    stub = embedding.head.split("<script>", 1)[1].split("</script>", 1)[0]
    assert stub == stub_script(CONFIG)
    assert embedding.csp == (script_hash(stub), origin)
    assert embedding.head.splitlines()[1].startswith(f'<script async src="{src}" integrity="sha384-')
    assert embedding.settings == f'<a href="{CONFIG["policyUrl"]}" data-policyforge-settings>Cookie settings</a>'


def test_the_banner_computes_the_same_default_without_a_stub() -> None:
    """The synchronous snippet has no stub: the banner's own default (model.js) equals the stub's."""
    cfg = categories(
        ("essential", True, ["security_storage"]),
        ("analytics", False, ["analytics_storage", "functionality_storage"]),
        ("preferences", True, ["functionality_storage"]),
    )
    model = (ROOT / "consent_widget" / "src" / "model.js").as_uri()
    program = (
        f"import {{consentModeState}} from {json.dumps(model)};\n"
        f"const config = {json.dumps(cfg)};\n"
        "const required = (id) => config.categories.some((c) => c.id === id && c.required);\n"
        "console.log(JSON.stringify({...consentModeState(config, required), wait_for_update: 500}));"
    )
    out = subprocess.run(
        [node(), "--input-type=module", "-e", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert [json.loads(out.stdout)] == consent_mode_defaults(cfg)
