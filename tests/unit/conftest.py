"""``tests/unit/`` runs no site build: a test that reaches one fails, naming where such a test goes.

Every build, whichever engine and caller (``policyforge build``, :func:`policyforge.build`, ``mkdocs
build``, ``serve``), writes its outputs through :func:`policyforge.site.build.write_outputs`; it is
replaced here by a failure. A test that needs a whole build belongs in ``tests/site/``; a unit test
calls the function it tests (``prepare()``, a page generator, the lint gate).
"""

from __future__ import annotations

from typing import Any

import pytest

from policyforge.site import build as site


def _no_build(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("tests/unit/ runs no site build: move this test to tests/site/ or test the unit itself")


@pytest.fixture(autouse=True)
def no_site_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test of ``tests/unit/`` that builds a site."""
    monkeypatch.setattr(site, "write_outputs", _no_build)
