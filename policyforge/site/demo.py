"""The ``/demo/`` sample product page: plain HTML that embeds the banner with gated content."""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

__all__ = ["DEMO_FILES", "write_demo"]

DEMO_FILES = {"index.html": "demo.html", "demo.css": "demo.css", "analytics.js": "demo-analytics.js",
              "frame.html": "demo-frame.html"}


def write_demo(out_dir: Path, product: str) -> None:
    """Write the demo page into ``out_dir/demo/``, naming the policy's product.

    It gates the categories ``analytics`` (a script) and ``preferences`` (a frame).
    """
    demo = out_dir / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    assets = resources.files("policyforge.site.assets")
    for target, source in DEMO_FILES.items():
        text = assets.joinpath(source).read_text(encoding="utf-8").replace("%PRODUCT%", html.escape(product))
        (demo / target).write_text(text, encoding="utf-8", newline="")
