"""The MkDocs adapter uses MkDocs and Material the documented way (issue 22).

No module reads or writes a private attribute of MkDocs or Material objects (there is no compatibility
module: none is needed, see ARCHITECTURE.md), and no module applies a regular expression to built HTML:
the theme's pages get policyforge's parts through template overrides (``mkdocs_plugin/overrides/``).
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "policyforge"
# The modules that see the engine's pages or built output: none of them may use regular expressions.
OUTPUT_MODULES = ("site/problems.py", "site/inject.py", "site/csp.py")


def _trees() -> dict[str, ast.Module]:
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_accesses(tree: ast.Module) -> list[str]:
    """Private attributes read or written on anything but the module's own objects (``self``, ``cls``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and _private(str(node.args[1].value))
        ):
            found.append(f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
    return found


def test_only_the_adapter_imports_mkdocs_or_material() -> None:
    engine = {"mkdocs", "material"}
    outside = [
        name for name, tree in _trees().items() if _imports(tree) & engine and not name.startswith("mkdocs_plugin/")
    ]
    assert outside == []


def test_no_private_attribute_of_mkdocs_or_material_objects() -> None:
    found = {
        name: private_accesses(tree)
        for name, tree in _trees().items()
        if _imports(tree) & {"mkdocs", "material"} and private_accesses(tree)
    }
    assert found == {}


def test_the_check_finds_private_attributes() -> None:
    tree = ast.parse("cfg._schema = ()\nx = getattr(theme, '_vars')\nself._own = 1\nname.__class__\n")
    assert private_accesses(tree) == ["line 1: ._schema", "line 2: getattr(..., '_vars')"]


def test_no_regular_expression_on_built_html() -> None:
    trees = _trees()
    users = [
        name
        for name, tree in trees.items()
        if "re" in _imports(tree) and (name.startswith("mkdocs_plugin/") or name in OUTPUT_MODULES)
    ]
    assert users == []
    # Nothing anywhere is keyed to the theme's markup (Material's class names start with "md-").
    keyed = [
        f"{name}:{node.lineno}"
        for name, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and 'class="md-' in node.value
    ]
    assert keyed == []


def test_theme_changes_are_template_overrides() -> None:
    overrides = PACKAGE / "mkdocs_plugin" / "overrides"
    names = {p.relative_to(overrides).as_posix() for p in overrides.rglob("*.html")}
    assert {"main.html", "policyforge.html", "404.html", "partials/alternate.html", "partials/search.html"} <= names
    assert "partials/copyright.html" in names
