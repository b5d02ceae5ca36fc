"""Project options: where the policy lives and how it is published.

They are read from the ``policyforge`` entry of ``plugins`` in ``mkdocs.yml`` as plain YAML
(the core does not import MkDocs), so the CLI and the MkDocs plugin agree on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import BuildError

__all__ = ["ProjectOptions", "read_project"]


@dataclass(frozen=True)
class ProjectOptions:
    """Everything the core needs to know about a project."""

    root: Path
    source: Path
    site_dir: Path
    site_url: str = ""
    allow_html: bool = False
    draft: bool = False
    banner: bool = True
    demo: bool = False
    config_file: Path | None = None
    docs_dir: Path | None = None
    allow_symlinked_site_dir: bool = False

    @property
    def policy_file(self) -> Path:
        return self.source / "policy.yaml"

    @property
    def base_path(self) -> str:
        """URL path of the site root, e.g. ``/`` or ``/privacy/``."""
        from urllib.parse import urlsplit

        path = urlsplit(self.site_url).path if self.site_url else "/"
        return path if path.endswith("/") else path + "/"

    def url(self, path: str = "") -> str:
        """Absolute URL of a site path when ``site_url`` is set, else the path from the site root."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + path.lstrip("/")
        return self.base_path + path.lstrip("/")

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to the project root when possible."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


class _LenientLoader(yaml.SafeLoader):
    """Safe loader that reads MkDocs' ``!!python/name`` and ``!ENV`` tags as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix == "!ENV":
        return _env(loader, node)
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` and ``!ENV [VAR, OTHER, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1] or values, (values[-1] if len(values) > 1 else None)
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


_LenientLoader.add_multi_constructor("", _any_tag)


def plugin_options(plugins: Any) -> dict[str, Any]:
    """The options of the ``policyforge`` plugin in a ``plugins`` list or mapping."""
    items = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p)), next(iter(p.values()))) if isinstance(p, dict) else (p, None) for p in plugins or [])
    for name, opts in items:
        if name == "policyforge":
            return dict(opts or {})
    raise BuildError("mkdocs.yml does not enable the `policyforge` plugin (add it under `plugins:`)")


def _flag(config_file: Path, opts: dict[str, Any], name: str, default: bool) -> bool:
    """A boolean plugin option; anything but true/false is refused rather than guessed (``bool("no")`` is True)."""
    value = opts.get(name, default)
    if not isinstance(value, bool):
        raise BuildError(f"{config_file}: policyforge option {name}: expected true or false, not {value!r}")
    return value


def read_project(config_file: Path = Path("mkdocs.yml"), **overrides: Any) -> ProjectOptions:
    """Read the project options from ``mkdocs.yml``; keyword arguments override them."""
    if not config_file.is_file():
        raise BuildError(f"{config_file}: not found (run policyforge in the folder that holds mkdocs.yml, "
                         "or pass --config-file)")
    try:
        conf = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except yaml.YAMLError as exc:
        raise BuildError(f"{config_file}: not valid YAML: {exc}") from exc
    if not isinstance(conf, dict):
        raise BuildError(f"{config_file}: expected a mapping of settings (site_name, plugins, ...)")
    root = config_file.resolve().parent
    opts = plugin_options(conf.get("plugins"))
    known = {"enabled", "source", "allow_html", "draft", "banner", "demo", "allow_symlinked_site_dir"}
    unknown = sorted(set(opts) - known)
    if unknown:
        raise BuildError(f"{config_file}: unknown policyforge option(s): {', '.join(unknown)}")
    values: dict[str, Any] = {
        "root": root,
        "source": root / str(opts.get("source", "policy_source")),
        "site_dir": root / str(conf.get("site_dir", "site")),
        "site_url": str(conf.get("site_url") or ""),
        "allow_html": _flag(config_file, opts, "allow_html", False),
        "draft": _flag(config_file, opts, "draft", False),
        "banner": _flag(config_file, opts, "banner", True),
        "demo": _flag(config_file, opts, "demo", False),
        "allow_symlinked_site_dir": _flag(config_file, opts, "allow_symlinked_site_dir", False),
        "docs_dir": root / str(conf.get("docs_dir", "docs")),
        "config_file": config_file.resolve(),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ProjectOptions(**values)
