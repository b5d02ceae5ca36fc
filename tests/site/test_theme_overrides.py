"""policyforge changes the theme through Material's template overrides, after the project's own custom_dir."""

from __future__ import annotations

from pathlib import Path

from policyforge.mkdocs_plugin import engine
from tests.conftest import FIXTURES, copy_project


def test_a_projects_custom_dir_comes_first_and_can_extend_policyforges_template(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    overrides = config.parent / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "main.html").write_text(
        '{% extends "policyforge.html" %}{% block announce %}<b id="own-announce">Ours</b>{% endblock %}',
        encoding="utf-8",
    )
    (overrides / "partials" / "copyright.html").write_text('<div id="own-copyright">Own</div>', encoding="utf-8")
    text = config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: overrides\n"
    )
    config.write_text(text, encoding="utf-8")
    site = engine.build(config)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<b id="own-announce">Ours</b>' in page  # the project's main.html, on policyforge's template
    assert '<script src="consent/consent.js" defer></script>' in page  # policyforge's head tags
    assert '<div id="own-copyright">Own</div>' in page and "data-policyforge-settings" not in page  # theirs wins
