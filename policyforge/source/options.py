"""Project options: where the policy lives and how it is published. Defined once, here.

:class:`PluginOptions` is the one definition of the ``policyforge`` plugin's options (names, types,
defaults, meaning): the CLI reads them from ``mkdocs.yml`` as plain YAML (the core does not import
MkDocs) with :func:`read_project`, and the MkDocs plugin derives its config class from the same
model and builds its :class:`ProjectOptions` with :func:`project_options`. Types are strict: a
quoted ``allow_html: "false"`` is the same :class:`BuildError` in every command, never a truthy
string.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import BuildError

__all__ = [
    "LANGUAGE_TAG",
    "RESERVED_DOCUMENT_IDS",
    "DocumentEntry",
    "PluginOptions",
    "ProjectOptions",
    "check_option",
    "option_problem",
    "project_options",
    "read_project",
]


# A BCP 47 language tag as sites use them: `de`, `pt-BR`, `zh-Hant`, `es-419`.
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Z]{2}|[0-9]{3}))?$"
RESERVED_DOCUMENT_IDS = frozenset({"assets", "changes", "consent", "demo", "draft", "feeds", "search", "versions"})


class DocumentEntry(BaseModel):
    """One document of a several-document site: its id (its URL folder) and its source folder."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="the document's id: its folder in the site (`/terms/`) and in `doc:` links",
    )
    source: Path = Field(
        strict=False, description="folder with the document's policy.yaml, versions/ and versions.lock"
    )

    @model_validator(mode="after")
    def _not_reserved(self) -> DocumentEntry:
        if self.id in RESERVED_DOCUMENT_IDS:
            raise ValueError(
                f"document id {self.id!r} is reserved for the site's own folders "
                f"({', '.join(sorted(RESERVED_DOCUMENT_IDS))})"
            )
        return self


class PluginOptions(BaseModel):
    """Options under ``plugins: - policyforge:`` in mkdocs.yml (strictly typed, unknown names refused)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    enabled: bool = Field(default=True, description="switch the plugin off without removing it")
    source: Path = Field(
        default=Path("policy_source"), strict=False, description="folder with policy.yaml, versions/ and versions.lock"
    )
    allow_html: bool = Field(default=False, description="accept raw HTML in Markdown body text (refused by default)")
    draft: bool = Field(
        default=False, description="publish policy.yaml at /draft/ (`policyforge build --draft` sets it)"
    )
    banner: bool = Field(
        default=True, description='add the consent banner and the "Cookie settings" link to every page'
    )
    demo: bool = Field(
        default=False, description="write the /demo/ sample product page (gates `analytics` and `preferences`)"
    )
    allow_symlinked_site_dir: bool = Field(
        default=False, description="build into the folder a symlinked site_dir points to"
    )
    search_archive: bool = Field(
        default=False,
        description="also index archived versions and change pages in the site search "
        "(ranked below the current policy); by default search finds the "
        "policy in effect only",
    )
    documents: tuple[DocumentEntry, ...] = Field(
        default=(),
        strict=False,
        description="several documents on one site: a list of `{id, source}`; the one that declares `consent` "
        "is published at the site root, each other one under `/ID/` (unset: the one document in "
        "`source`)",
    )

    language: str = Field(
        default="en",
        pattern=LANGUAGE_TAG,
        description="the language of the original documents (a language tag such as `en` or "
        "`en-GB`); the site root is in this language",
    )
    translations: tuple[Annotated[str, Field(pattern=LANGUAGE_TAG)], ...] = Field(
        default=(),
        strict=False,
        description="languages the documents are translated into, e.g. `[de, ar]`: each reads "
        "`translations/LANG.yaml` in a document's source folder and is published under `/LANG/`",
    )
    stale_translations: Literal["notice", "error"] = Field(
        default="notice",
        description="a translated section whose original changed since it was translated: `notice` shows it "
        "with a notice that the original prevails, `error` fails the build",
    )
    notice_material: int = Field(
        default=30,
        ge=0,
        le=3650,
        description="the minimum notice, in days from its publication, for a material release (one that widens "
        "processing: a new purpose, data category, recipient or transfer, a longer retention, a new legal basis)",
    )
    notice_subprocessor: int = Field(
        default=30,
        ge=0,
        le=3650,
        description="the minimum notice, in days from its publication, for a release adding a recipient "
        "(a sub-processor; 30 days is the usual term in data processing agreements)",
    )
    banner_languages: tuple[Annotated[str, Field(pattern=LANGUAGE_TAG)], ...] | None = Field(
        default=None,
        strict=False,
        description="languages the banner speaks (each in its own first stage and all in the second; built-in "
        "texts exist for the 24 EU languages and more); unset: `language` plus `translations`",
    )

    @model_validator(mode="after")
    def _unique_documents(self) -> PluginOptions:
        ids = [d.id for d in self.documents]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"documents: the id {twice[0]!r} is listed twice")
        clash = sorted(set(ids) & {lang.lower() for lang in self.translations})
        if clash:
            raise ValueError(f"documents: the id {clash[0]!r} is also a translation's folder (`/{clash[0]}/`)")
        langs = [lang.lower() for lang in (self.language, *self.translations)]
        again = sorted({lang for lang in langs if langs.count(lang) > 1})
        if again:
            raise ValueError(f"translations: {again[0]!r} is listed twice (or is the original's `language`)")
        return self

    @property
    def site_languages(self) -> tuple[str, ...]:
        """The original's language, then each translation's: the languages the site is published in."""
        return (self.language, *self.translations)

    @property
    def banner_langs(self) -> tuple[str, ...]:
        """The languages inlined in the banner: ``banner_languages``, else the site's languages."""
        chosen = self.banner_languages if self.banner_languages is not None else self.site_languages
        return tuple(dict.fromkeys((self.language, *chosen)))


class ProjectOptions(PluginOptions):
    """Everything the core needs to know about a project: the plugin options and where things are.

    ``source`` is absolute (relative folders are taken from ``root``, the folder of mkdocs.yml).
    """

    root: Path
    site_dir: Path
    site_url: str = ""
    config_file: Path | None = None
    docs_dir: Path | None = None
    document: str = ""  # the id of the document these options are for ("" in a one-document project)
    prefix: str = ""  # the document's folder in the site: "" at the root, else "ID/"

    @model_validator(mode="before")
    @classmethod
    def _absolute_source(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("root"), Path):
            source = data.get("source", cls.model_fields["source"].default)
            if isinstance(source, str | Path):
                data = {**data, "source": data["root"] / source}
        return data

    @property
    def policy_file(self) -> Path:
        return self.source / "policy.yaml"

    @property
    def base_path(self) -> str:
        """URL path of the site root, e.g. ``/`` or ``/privacy/``."""
        path = urlsplit(self.site_url).path if self.site_url else "/"
        return (path if path.endswith("/") else path + "/") + self.prefix

    def url(self, path: str = "") -> str:
        """Absolute URL of a path of this document when ``site_url`` is set, else its path from the site root."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + self.prefix + path.lstrip("/")
        return self.base_path + path.lstrip("/")

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to the project root when possible."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (as the user typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_LANGUAGE_OPTIONS = {"language", "translations", "banner_languages"}
_EXPECTED = {"bool_type": "true or false", "path_type": "a folder name", "string_type": "text"}


def option_problem(error: Mapping[str, Any]) -> str:
    """What is wrong with one option, from one pydantic error: the same words in every command."""
    name = ".".join(str(part) for part in error.get("loc", ()))
    value = error.get("input")
    if error.get("type") == "extra_forbidden":
        known = ", ".join(PluginOptions.model_fields)
        return f"unknown policyforge option `{name}` (known: {known})"
    if not name:
        return f"policyforge options: {str(error.get('msg', 'invalid value')).removeprefix('Value error, ')}"
    if error.get("type") == "string_pattern_mismatch" and name.split(".")[0] in _LANGUAGE_OPTIONS:
        return f"policyforge option `{name}`: {value!r} is not a language tag (write e.g. `de`, `pt-BR` or `zh-Hant`)"
    expected = _EXPECTED.get(str(error.get("type")))
    if expected is None:
        return f"policyforge option `{name}`: {error.get('msg', 'invalid value')}"
    got = (
        f"the quoted text {value!r} (write it without quotes)"
        if isinstance(value, str)
        else f"{value!r}"
        if value is not None
        else "nothing"
    )
    return f"policyforge option `{name}`: expected {expected}, got {got}"


def check_option(name: str, value: Any) -> Any:
    """Validate one plugin option by the model's rules; :class:`BuildError` with :func:`option_problem`."""
    try:
        return getattr(PluginOptions.model_validate({name: value}), name)
    except ValidationError as exc:
        raise BuildError("; ".join(option_problem(e) for e in exc.errors())) from None


def project_options(
    settings: Mapping[str, Any],
    *,
    root: Path,
    site_dir: Path,
    site_url: str = "",
    config_file: Path | None = None,
    docs_dir: Path | None = None,
) -> ProjectOptions:
    """The options of a project from its plugin settings (a mapping as in mkdocs.yml) and its places.

    Raises :class:`BuildError` naming every wrong option.
    """
    where = f"{_shown(config_file)}: " if config_file is not None else ""
    try:
        return ProjectOptions.model_validate(
            {
                **settings,
                "root": root,
                "site_dir": site_dir,
                "site_url": site_url,
                "config_file": config_file,
                "docs_dir": docs_dir,
            }
        )
    except ValidationError as exc:
        raise BuildError(
            where + "; ".join(option_problem(e) for e in exc.errors()),
            hint='The plugin options are listed in docs/cli.md ("MkDocs plugin options").',
        ) from None


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
    items = (
        plugins.items()
        if isinstance(plugins, dict)
        else ((next(iter(p)), next(iter(p.values()))) if isinstance(p, dict) else (p, None) for p in plugins or [])
    )
    for name, opts in items:
        if name == "policyforge":
            if opts is not None and not isinstance(opts, dict):
                raise BuildError(f"the `policyforge` plugin's options must be a mapping, not {opts!r}")
            return dict(opts or {})
    raise BuildError("mkdocs.yml does not enable the `policyforge` plugin (add it under `plugins:`)")


def read_project(config_file: Path = Path("mkdocs.yml"), **overrides: Any) -> ProjectOptions:
    """Read the project options from ``mkdocs.yml``; keyword arguments (not None) override them."""
    if not config_file.is_file():
        raise BuildError(
            f"{config_file}: not found (run policyforge in the folder that holds mkdocs.yml, or pass --config-file)"
        )
    try:
        conf = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except yaml.YAMLError as exc:
        raise BuildError(f"{config_file}: not valid YAML: {exc}") from exc
    if not isinstance(conf, dict):
        raise BuildError(f"{config_file}: expected a mapping of settings (site_name, plugins, ...)")
    root = config_file.resolve().parent
    settings = plugin_options(conf.get("plugins"))
    places: dict[str, Any] = {
        "site_dir": root / str(conf.get("site_dir", "site")),
        "site_url": str(conf.get("site_url") or ""),
        "docs_dir": root / str(conf.get("docs_dir", "docs")),
    }
    for key, value in overrides.items():
        if value is None:
            continue
        if key in places:
            places[key] = value
        else:
            settings[key] = value
    return project_options(
        settings,
        root=root,
        site_dir=Path(places["site_dir"]),
        site_url=str(places["site_url"]),
        config_file=config_file.resolve(),
        docs_dir=Path(places["docs_dir"]),
    )
