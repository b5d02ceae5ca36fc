"""Facts defined once (issue 22): the generated pages' paths (``site/urls.py``, imported by the site layer and the
MkDocs adapter alike) and the languages written right to left."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "policyforge"
PAGE_PATHS = frozenset({"index.md", "versions/index.md", "draft.md"})


def string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Every string constant of a module outside docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def modules(*skip: str) -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if not any(part in skip for part in path.relative_to(PACKAGE).parts):
            yield path


def test_the_generated_pages_paths_are_written_once() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} {value!r}"
        for path in modules()
        if path != PACKAGE / "site" / "urls.py"
        for line, value in string_literals(path)
        if value in PAGE_PATHS
    ]
    assert found == []


def test_no_hand_written_list_of_right_to_left_languages() -> None:
    """Text direction comes from Babel's CLDR data (source/locales.py): no module lists Arabic and Hebrew."""
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Set | ast.Tuple | ast.List):
                values = {c.value for c in node.elts if isinstance(c, ast.Constant)}
                if {"ar", "he"} <= values and {"fa", "ur"} & values:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in sorted((ROOT / "consent_widget" / "src").glob("*.js")):
        if re.search(r"\b(ar\|he|he\|ar)\b", path.read_text(encoding="utf-8")):
            found.append(str(path.relative_to(ROOT)))
    assert found == []
