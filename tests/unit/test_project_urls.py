"""The package's addresses are ones the project publishes itself, never an invented one (issue 23 review)."""

from __future__ import annotations

import tomllib

import yaml

from policyforge.banner.handoff import EMBEDDING_GUIDE
from tests.conftest import ROOT


def test_every_project_url_is_a_page_the_example_site_publishes() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    site_url = config["site_url"]
    assert urls, "pyproject.toml lists no [project.urls]"
    for name, url in urls.items():
        assert url.startswith(site_url), (name, url)
        page = url.removeprefix(site_url).strip("/") + ".md"
        assert (ROOT / config["docs_dir"] / page).is_file(), (name, page)
    assert "policyforge.dev" not in EMBEDDING_GUIDE
