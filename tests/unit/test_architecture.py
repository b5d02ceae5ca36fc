"""The layout is the architecture: imports run one way, only the adapter imports MkDocs.

Every import in ``policyforge/`` is read with :mod:`ast` (no module is imported), resolved to
the module it names, and checked against the layer rules of ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "policyforge"

# Which top-level parts of policyforge each part may import (itself always allowed).
LEAVES = {"errors", "terminal"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "terminal": set(),
    "source": LEAVES,
    "history": LEAVES | {"source"},
    "translation": LEAVES | {"source", "history"},  # translations read, applied, drifting over releases
    "site": LEAVES | {"source", "history", "translation", "banner"},  # the site publishes the banner
    "banner": LEAVES | {"source", "history", "translation"},
    "audit": LEAVES | {"source", "history"},
    "receipts": LEAVES | {"source", "history"},
    "importer": LEAVES | {"source", "history"},  # documents in, policy YAML and releases out
    "mkdocs_plugin": LEAVES | {"source", "history", "translation", "site", "banner"},
    "cli": LEAVES
    | {"source", "history", "translation", "site", "banner", "audit", "receipts", "importer", "mkdocs_plugin"},
    "__main__": {"cli"},
}
MAX_LINES = 420  # "about 400"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported policyforge module or external top-level name, line) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((candidate if candidate in known else base, node.lineno))
    return found


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def graph() -> dict[str, list[tuple[str, int]]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def test_imports_run_one_way() -> None:
    wrong = []
    for name, edges in graph().items():
        source = part_of(name)
        if source == "__init__":  # the library API may use every layer
            continue
        for target, line in edges:
            if not target.startswith("policyforge.") or part_of(target) == source:
                continue
            if part_of(target) not in ALLOWED[source]:
                wrong.append(f"{name}:{line} imports {target} ({source} -> {part_of(target)})")
    assert wrong == []


def test_the_page_and_the_table_agree_on_the_layers() -> None:
    """ARCHITECTURE.md's chain (`source` ← `history` ← `translation` ← …) is the table above: every part may
    import the parts before it in the chain and none after it."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    found = re.search(r"\*\*Imports run one way\*\*: (.+?)\.\n", text)
    assert found is not None
    steps = [re.findall(r"`(\w+)`", step) for step in found.group(1).split("←")]
    assert [part for step in steps[:4] for part in step] == ["source", "history", "translation", "banner"]
    wrong = []
    for i, step in enumerate(steps):
        before = {part for s in steps[:i] for part in s}
        after = {part for s in steps[i + 1 :] for part in s}
        wrong += [part for part in step if not before <= ALLOWED[part] or after & ALLOWED[part]]
    assert wrong == []


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = {}
    for name, targets in graph().items():
        edges[name] = set()
        for target, _ in targets:
            if not target.startswith("policyforge.") or target == name:
                continue
            edges[name].add(target)
            # importing a module of another package runs that package's __init__ first
            package = target.rpartition(".")[0]
            while package.count(".") >= 1 and package != name and not name.startswith(package + "."):
                edges[name].add(package)
                package = package.rpartition(".")[0]
    assert find_cycles(edges) == []


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle met by a depth-first walk of ``edges``."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return cycles


def test_the_cycle_finder_finds_a_known_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_only_the_adapter_imports_mkdocs() -> None:
    offenders = [
        f"{name}:{line}"
        for name, edges in graph().items()
        for target, line in edges
        if (target == "mkdocs" or target.startswith("mkdocs.")) and part_of(name) != "mkdocs_plugin"
    ]
    assert offenders == []


def test_modules_are_small() -> None:
    big = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}


def lazy_names(tree: ast.Module, folder: Path) -> set[str]:
    """The names of a module-level ``_LAZY = {name: "sub.module"}`` whose module defines or imports them."""
    found: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in targets):
            for name, module in ast.literal_eval(node.value).items():
                source = folder.joinpath(*module.split(".")).with_suffix(".py")
                tree_of = ast.parse(source.read_text(encoding="utf-8"))
                has = {n.name for n in tree_of.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
                has |= {a.asname or a.name for n in tree_of.body if isinstance(n, ast.ImportFrom) for a in n.names}
                has |= {
                    t.id
                    for n in tree_of.body
                    if isinstance(n, ast.Assign)
                    for t in n.targets
                    if isinstance(t, ast.Name)
                }
                if name in has:
                    found.add(name)
    return found


@pytest.mark.parametrize("package", sorted(module_name(p) for p in PACKAGE.rglob("__init__.py")))
def test_every_package_declares_all(package: str) -> None:
    path = modules()[package]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = [
        n
        for n in tree.body
        if isinstance(n, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(t, ast.Name) and t.id == "__all__"
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        )
    ]
    assert declared, f"{package} has no __all__"
    names = ast.literal_eval(declared[0].value) if declared[0].value is not None else []
    folder = path.parent
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    lazy = lazy_names(tree, folder)  # imported on first use (PEP 562), each from a module that has it
    missing = [
        n
        for n in names
        if n not in defined | imported | lazy
        and not (folder / f"{n}.py").is_file()
        and not (folder / n / "__init__.py").is_file()
    ]
    assert missing == []


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path) -> None:
    """The rules above would catch history importing site (a known answer, not the code under test)."""
    fake = tmp_path / "policyforge" / "history" / "x.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..site import build\nfrom . import lock\n", encoding="utf-8")
    known = {"policyforge.site.build", "policyforge.history.lock"}
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        edges = imports_of("policyforge.history.x", fake, known)
    finally:
        ROOT = saved
    assert edges == [("policyforge.site.build", 1), ("policyforge.history.lock", 2)]
    assert "site" not in ALLOWED[part_of("policyforge.history.x")]


def test_library_api_is_importable() -> None:
    import policyforge

    assert set(policyforge.__all__) <= set(dir(policyforge))
    assert re.search(r"\bbuild\b", policyforge.build.__doc__ or "")


def named_paths(text: str) -> set[str]:
    """Module files (``x.py``, ``site/build.py``) and folders (``site/``) named in backticks or tables."""
    return set(re.findall(r"(?<![\w/.-])((?:[a-z_]+/)*[a-z_]+\.py|(?:[a-z_]+/)+)(?![\w])", text))


def exists(name: str) -> bool:
    for base in (ROOT, PACKAGE):
        if (base / name).exists():
            return True
    if "/" not in name.rstrip("/"):  # a bare file or folder name: anywhere in the package
        return any(PACKAGE.rglob(name.rstrip("/")))
    return False


def test_architecture_page_names_only_real_modules() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    names = named_paths(text)
    assert {"source/lint.py", "site/build.py", "consent_widget/"} <= names  # the pattern sees them
    assert sorted(n for n in names if not exists(n)) == []


def test_named_paths_finds_a_missing_module() -> None:
    names = named_paths("see `history/nothing_here.py` and `site/`")
    assert [n for n in sorted(names) if not exists(n)] == ["history/nothing_here.py"]


def test_unit_tests_build_no_site() -> None:
    """``tests/unit/conftest.py`` fails any test here that builds a site. Every build, whichever the entry point
    (the CLI, the library, plain MkDocs, serve), writes its outputs through ``site.write_outputs``, so that is
    where the guard stands; a static check of imports would miss a build reached through the CLI."""
    from policyforge.site import build as site

    with pytest.raises(AssertionError, match="tests/unit/ runs no site build"):
        site.write_outputs(None, ROOT / "site")  # type: ignore[arg-type]


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists its packages by hand: a new package left out would be missing from the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    assert {module_name(p) for p in PACKAGE.rglob("__init__.py")} - listed == set()
