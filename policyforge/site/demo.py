"""The ``/demo/`` sample product page: plain HTML that embeds the banner with gated content.

Its pages are rendered from ``templates/demo/`` (naming the policy's product, escaped); its
stylesheet and gated script are static assets.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .templating import render

__all__ = ["DEMO_ASSETS", "DEMO_PAGES", "write_demo"]

#: Written file → template (rendered with the product's name).
DEMO_PAGES = {"index.html": "demo/index.html", "frame.html": "demo/frame.html"}
#: Written file → static asset in ``policyforge.site.assets``.
DEMO_ASSETS = {"demo.css": "demo.css", "analytics.js": "demo-analytics.js"}


def write_demo(out_dir: Path, product: str) -> None:
    """Write the demo page into ``out_dir/demo/``, naming the policy's product.

    It gates the categories ``analytics`` (a script) and ``preferences`` (a frame).
    """
    demo = out_dir / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    for target, template in DEMO_PAGES.items():
        (demo / target).write_text(render(template, product=product) + "\n", encoding="utf-8", newline="")
    assets = resources.files("policyforge.site.assets")
    for target, source in DEMO_ASSETS.items():
        (demo / target).write_text(assets.joinpath(source).read_text(encoding="utf-8"), encoding="utf-8", newline="")
