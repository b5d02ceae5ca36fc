"""The banner's source rules, its committed build, escaping, assembly, hashes and size budget."""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyforge.banner import assemble as widget
from policyforge.banner.config import banner_config
from policyforge.site.build import prepare
from policyforge.source.options import read_project

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "consent_widget"
SOURCES = sorted((WIDGET / "src").glob("*.js"))
CONFIG: dict[str, Any] = json.loads((ROOT / "tests/fixtures/banner/config.json").read_text(encoding="utf-8"))


def node() -> str:
    """The `node` executable. Missing, the test fails in CI (CI=true) and is skipped elsewhere."""
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI for the banner's build checks")
        pytest.skip("node is not installed")
    return found


def test_build_is_found_with_one_marker_each() -> None:
    js = widget.read_build("consent.min.js")
    css = widget.read_build("consent.min.css")
    assert js.count(widget.CONFIG_MARKER) == 1 and js.count(widget.CSS_MARKER) == 1
    assert css.startswith(":host") and "\n" not in css.strip()
    with pytest.raises(FileNotFoundError):
        widget.read_build("missing.js")


def test_source_follows_the_banner_rules() -> None:
    assert {p.name for p in SOURCES} == {
        "debug.js",
        "effects.js",
        "main.js",
        "model.js",
        "receipts.js",
        "settings.js",
        "stage.js",
        "texts.js",
        "view.js",
    }
    js = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    for banned in (
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        ".style",
        "style=",
        "document.write",
        'setAttribute("style"',
        'setTimeout("',
    ):
        assert banned not in js, banned
    assert 'attachShadow({ mode: "open" })' in js
    assert "adoptedStyleSheets" in js and "replaceSync" in js
    # the model is pure: no DOM, no window, no cookies
    lines = (WIDGET / "src" / "model.js").read_text(encoding="utf-8").splitlines()
    code = [re.sub(r"/\*\*.*?\*/", "", line) for line in lines if not line.strip().startswith(("*", "/*", "//"))]
    model = "\n".join(code)
    assert "createConsent" in model
    for global_name in ("document", "window", "navigator", "location", "localStorage"):
        assert not re.search(rf"\b{global_name}\b\.", model), global_name


def test_every_swallowed_error_says_why() -> None:
    """Each `catch` and each `guard(...)` call is preceded by a comment that says why it swallows."""
    checked = 0
    for path in SOURCES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            code = line.strip()
            if code.startswith(("//", "*", "/*")) or "function guard" in code:
                continue
            if re.search(r"\bcatch\s*\(", code):
                why = lines[number + 1].strip()
                assert why.startswith("//"), f"{path.name}:{number + 1}: catch without a comment saying why"
                assert re.search(r"\bswallow\(", lines[number + 2]), f"{path.name}:{number + 1}: catch must swallow()"
                checked += 1
            elif re.search(r"\bguard\(", code):
                assert lines[number - 1].strip().startswith("//"), f"{path.name}:{number + 1}: guard() without why"
                checked += 1
    assert checked >= 10
    debug = (WIDGET / "src" / "debug.js").read_text(encoding="utf-8")
    assert "if (debug.on) console.warn(" in debug


def test_js_literal_is_escaped_for_any_context() -> None:
    value = {"t": "</script><!-- & \u2028\u2029 é \" ' \\"}
    text = widget.js_literal(value)
    assert text.isascii()
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert "\\u003c/script\\u003e" in text and "\\u0026" in text
    assert json.loads(text) == value


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=8,
    )
)
def test_js_literal_round_trips(value: Any) -> None:
    text = widget.js_literal(value)
    assert json.loads(text) == value
    assert text.isascii() and not re.search(r"[<>&]", text)


def test_assemble_substitutes_markers_once() -> None:
    cfg = copy.deepcopy(CONFIG)
    cfg["texts"]["title"] = "__PF_CSS__ and __PF_CONFIG__ </script>"
    out = widget.assemble(cfg)
    assert out.isascii() and out.startswith(widget.COMPILE_HINT)
    assert widget.js_literal(widget.compact(cfg)) in out
    assert widget.js_literal(widget.read_build("consent.min.css").strip()) in out
    assert out.count("__PF_CSS__") == 1 and out.count("__PF_CONFIG__") == 1  # only inside the title
    assert "</script>" not in out and "eval(" not in out


def test_assembled_output_parses() -> None:
    done = subprocess.run(
        [node(), "--check"], input=widget.assemble(CONFIG), capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr


def test_committed_build_is_not_stale(tmp_path: Path) -> None:
    """A fresh build of consent_widget/src/ equals the committed dist/ (else: `make widget`)."""
    exe = node()
    if not (WIDGET / "node_modules" / "esbuild").is_dir() or not (WIDGET / "node_modules" / "terser").is_dir():
        message = "the banner's build tools are not installed: cd consent_widget && npm ci"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [exe, str(WIDGET / "build.mjs"), "--out", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for name in (
        "consent.min.js",
        "consent.receipts.min.js",
        "consent.min.css",
        "consent-settings.min.js",
        "consent-settings.receipts.min.js",
        "consent-settings.min.css",
        "consent-settings.receipts.min.css",
        "consent.keys.json",
    ):
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        assert fresh == widget.read_build(name), f"consent_widget/dist/{name} is stale: run `make widget`"


def test_banner_assembles_for_the_example_policy() -> None:
    """The assembled banner for the example policy carries its categories and cookies. Its size against the
    budget (6,000 B) is a ``make bench`` figure (bench/banner_sizes.py prints it with PASS/FAIL)."""
    options = read_project(ROOT / "mkdocs.yml")
    inputs = prepare(options)
    changes = options.url() + "changes/since/{revision}/"
    cfg = banner_config(inputs.current, policy_url=options.url(), changes_url=changes, released=True)
    assert len(cfg["categories"]) >= 4 and any(c.get("cookies") for c in cfg["categories"])
    size = len(gzip.compress(widget.assemble(cfg).encode("ascii"), 9))
    assert size > 2000  # the whole banner, not an empty shell
    assert all(f'"{c["id"]}"' in widget.assemble(cfg) for c in cfg["categories"])


def test_sri_and_content_hash() -> None:
    text = widget.assemble(CONFIG)
    digest = base64.b64encode(hashlib.sha384(text.encode("utf-8")).digest()).decode()
    assert widget.sri(text) == "sha384-" + digest
    assert widget.sri("abc") == "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
    h = widget.content_hash(text)
    assert re.fullmatch(r"[0-9a-f]{10}", h) and h == hashlib.sha256(text.encode()).hexdigest()[:10]
    assert widget.content_hash(text + " ") != h


def test_every_documented_api_call_is_tested() -> None:
    """Each call and event docs/embedding.md documents is exercised by a browser test."""
    docs = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    calls = set(re.findall(r"consent\.(\w+)\(", docs)) | set(re.findall(r"policyforge\.(push)\(", docs))
    events = set(re.findall(r'"(policyforge:\w+)"', docs))
    attributes = set(re.findall(r"`(data-[\w-]+)", docs)) - {"data-consent", "data-src"}
    assert {"get", "has", "show", "reset", "ready", "on", "push"} <= calls
    assert {"showSettings", "hide", "accept", "acceptAll", "rejectAll", "set"} <= calls  # issue 25.3
    assert events == {"policyforge:ready", "policyforge:first", "policyforge:change"}
    assert {"data-reload", "data-cookie-domain", "data-debug", "data-policyforge-settings"} <= attributes
    assert {"data-layout", "data-position"} <= attributes
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "e2e").glob("test_banner_*.py"))
    for call in calls:
        assert re.search(rf"(consent|policyforge)\.{call}\(", tests), f"no browser test calls {call}()"
    for name in events | attributes:
        assert name in tests, f"no browser test uses {name}"


def test_theme_properties_are_documented_and_tested() -> None:
    """The --pf-* properties the stylesheet reads are exactly those docs/embedding.md documents, each
    set by the browser test of theming; the policy site sets only documented ones."""
    docs = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(--pf-[\w-]+)` \|", docs, re.M))
    css = (WIDGET / "src" / "consent.css").read_text(encoding="utf-8")
    used = set(re.findall(r"var\((--pf-[\w-]+)", css))
    assert documented == used and len(used) >= 8, (documented, used)
    themed = (ROOT / "tests" / "e2e" / "test_banner_ui.py").read_text(encoding="utf-8")
    for name in used:
        assert f"{name}:" in themed, f"no browser test sets {name}"
    site = (ROOT / "policyforge" / "site" / "assets" / "policyforge.css").read_text(encoding="utf-8")
    assert set(re.findall(r"(--pf-[\w-]+):", site)) <= documented


def test_text_indices_agree_with_the_assembly() -> None:
    """consent_widget/src/texts.js numbers the texts in the order assemble.TEXT_KEYS writes them."""
    source = (WIDGET / "src" / "texts.js").read_text(encoding="utf-8")
    indices = {name: int(n) for name, n in re.findall(r"export const ([A-Z_]+) = (\d+);", source)}
    for name, index in indices.items():
        head, *rest = name.lower().split("_")
        key = head + "".join(part.capitalize() for part in rest)
        assert widget.TEXT_KEYS[index] == key, (name, index, widget.TEXT_KEYS[index])
    assert indices["NAME"] + 3 == widget.TEXT_KEYS.index("duration")  # the four labels of a declared cookie
    assert len(indices) + 3 == len(widget.TEXT_KEYS) == max(indices.values()) + 1
    assert indices["POLICY_URL"] == 0 and indices["CHANGES_URL"] == 1


def test_compact_configuration() -> None:
    """Short keys where the build renames them, texts and cookies as arrays, languages as arrays of changes."""
    cfg = copy.deepcopy(CONFIG)
    cfg["languages"] = {
        "de": {
            "policyUrl": "/de/#cookies",
            "changesUrl": cfg["changesUrl"],
            "texts": {**cfg["texts"], "accept": "Alle akzeptieren"},
            "categories": [
                {
                    "title": c["title"],
                    "description": c["description"],
                    "cookies": [{"purpose": k["purpose"], "duration": k["duration"]} for k in c["cookies"]],
                }
                for c in cfg["categories"]
            ],
        }
    }
    cfg["languages"]["de"]["categories"][1]["cookies"] = [{"purpose": "Zählt Seitenaufrufe", "duration": "2 Jahre"}]
    wire = widget.wire_keys()
    out = widget.compact(cfg)
    assert {wire["revision"], wire["texts"]} <= set(out) and not set(wire) & set(out)
    texts = [cfg["texts"][key] for key in widget.TEXT_KEYS[2:22]]
    assert out[wire["texts"]] == [cfg["policyUrl"], cfg["changesUrl"], *texts]
    assert "policyUrl" not in out and "changesUrl" not in out  # the links are texts: they differ per language
    essential = out["categories"][0]
    assert essential[wire["cookies"]] == [["pf_consent", "GPT Image 2", "Stores your cookie choices", "180 days"]]
    assert essential[wire["required"]] is True and essential[wire["title"]] == "Essential Cookies"
    # German: its policy page, the one text, purpose and duration that differ, 0 elsewhere, no trailing zeros
    strings = out["l"]["de"]
    assert strings[:5] == ["/de/#cookies", 0, 0, 0, "Alle akzeptieren"]
    assert set(strings) == {0, "/de/#cookies", "Alle akzeptieren", "Zählt Seitenaufrufe", "2 Jahre"}
    # links and texts, essential (title, description, purpose, duration), analytics (title, description)
    slot = 22 + 4 + 2
    assert strings[slot : slot + 2] == ["Zählt Seitenaufrufe", "2 Jahre"] and len(strings) == slot + 2
    assert "l" not in widget.compact(CONFIG)
