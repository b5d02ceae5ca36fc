"""Unit tests for policyforge.widget: minifiers, escaping, assembly, hashes, size budget."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyforge.banner import assemble as widget

CONFIG: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "banner" / "config.json").read_text(
        encoding="utf-8"
    )
)
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run_node(code: str) -> str:
    assert NODE is not None
    done = subprocess.run([NODE, "-e", code], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


def test_sources_are_found() -> None:
    js = widget.read_source("consent.js")
    css = widget.read_source("consent.css")
    assert widget.CONFIG_MARKER in js and widget.CSS_MARKER in js
    assert ":host" in css
    with pytest.raises(FileNotFoundError):
        widget.read_source("missing.js")


def test_source_follows_the_banner_rules() -> None:
    js = widget.read_source("consent.js")
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
    ):
        assert banned not in js, banned
    assert 'attachShadow({mode: "open"})' in js
    assert "adoptedStyleSheets" in js and "replaceSync" in js


def test_minify_js_drops_comments_and_whitespace_only() -> None:
    source = (
        "/* header\n * more\n */\n"
        "(function () {\n"
        "  // a comment line\n"
        "\n"
        "  const a = \"x  //  y /* z */\", b = 'it\\'s  ok';\n"
        "  let n = 1 + +a.length - -2;\n"
        "  if (n) {\n"
        "    console.log(a, b, typeof n, n);\n"
        "  }\n"
        "  return\n"
        "  n;\n"
        "})();\n"
    )
    out = widget.minify_js(source)
    assert "comment" not in out and "header" not in out
    assert '"x  //  y /* z */"' in out and "'it\\'s  ok'" in out
    assert "1+ +a.length- -2" in out and "typeof n" in out and "const a" in out
    assert "return\nn" in out  # a line break that ASI depends on is kept
    assert "\n\n" not in out and not out.startswith(" ")


@needs_node
def test_minify_js_preserves_behaviour() -> None:
    source = (
        "const f = (x) => {\n"
        "  // doubles\n"
        '  const o = {a: x, b: "s  p"};\n'
        "  for (let i = 0; i < 2; i++) {\n"
        '    o.a = o.a + +"1";\n'
        "  }\n"
        "  if (o.a > 3) return o;\n"
        "  else return null;\n"
        "};\n"
        "console.log(JSON.stringify([f(1), f(5)]));\n"
    )
    assert run_node(widget.minify_js(source)) == run_node(source) == '[null,{"a":7,"b":"s  p"}]\n'


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("const a = `x`;\n", "template literals"),
        ("const a = /x/.test(b);\n", "outside a string"),
        ("const a = b; // trailing\n", "outside a string"),
        ('const a = "open;\n', "unterminated string"),
    ],
)
def test_minify_js_rejects_unsafe_source(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        widget.minify_js(source)


def test_minify_css() -> None:
    css = "/* c */\n:host {\n  all: initial !important;\n}\na :focus-visible,\nb > i {\n  color: red;\n}\n"
    assert widget.minify_css(css) == ":host{all:initial!important}a :focus-visible,b>i{color:red}"
    assert "calc(100% - 24px)" in widget.minify_css(widget.read_source("consent.css"))


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
    assert out.isascii()
    assert widget.js_literal(cfg) in out
    assert widget.js_literal(widget.minify_css(widget.read_source("consent.css"))) in out
    assert out.count("__PF_CSS__") == 1 and out.count("__PF_CONFIG__") == 1  # only inside the title
    assert "</script>" not in out and "eval(" not in out


@needs_node
def test_assembled_output_parses() -> None:
    out = widget.assemble(CONFIG)
    assert "eval(" not in out and "new Function" not in out
    assert NODE is not None
    done = subprocess.run([NODE, "--check"], input=out, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_sri_and_content_hash() -> None:
    text = widget.assemble(CONFIG)
    digest = base64.b64encode(hashlib.sha384(text.encode("utf-8")).digest()).decode()
    assert widget.sri(text) == "sha384-" + digest
    assert widget.sri("abc") == "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
    h = widget.content_hash(text)
    assert re.fullmatch(r"[0-9a-f]{10}", h) and h == hashlib.sha256(text.encode()).hexdigest()[:10]
    assert widget.content_hash(text + " ") != h
