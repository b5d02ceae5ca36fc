"""MkDocs events only: each one delegates to :mod:`policyforge.site`."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..errors import BuildError, PolicyError
from ..site import build as site
from ..site.inject import SETTINGS_LINK, head_html
from ..source.options import ProjectOptions
from .config import PolicyForgeConfig
from .hosts import only_own_host

__all__ = ["PolicyForgePlugin"]

DRAFT_ENV = "POLICYFORGE_DRAFT"
NAV_PAGES = {"index.md", "versions/index.md"}


class PolicyForgePlugin(BasePlugin[PolicyForgeConfig]):
    """Generates the policy pages and outputs; builds atomically on ``mkdocs build``."""

    def __init__(self) -> None:
        self.command = "build"
        self.inputs: site.SiteInputs | None = None
        self.real_site_dir: Path | None = None
        self.build_dir: Path | None = None
        self.error: PolicyError | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        draft = self.config.draft or os.environ.get(DRAFT_ENV, "") in ("1", "true", "yes")
        options = ProjectOptions(
            root=root, source=root / self.config.source, site_dir=Path(config.site_dir),
            site_url=config.site_url or "", allow_html=self.config.allow_html, draft=draft,
            banner=self.config.banner, demo=self.config.demo,
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            docs_dir=Path(config.docs_dir), allow_symlinked_site_dir=self.config.allow_symlinked_site_dir,
        )
        try:
            self.inputs = site.prepare(options)
        except PolicyError as exc:
            self.error = exc
            raise PluginError(str(exc)) from exc
        if not config.use_directory_urls:
            self.error = BuildError("policyforge needs `use_directory_urls: true` (the default) in mkdocs.yml: "
                                    "the version and change pages link to each other by directory URL")
            raise PluginError(str(self.error))
        if site.asset_css() not in config.extra_css:
            config.extra_css.append(site.asset_css())
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if self.command == "build":
            try:
                real = site.site_dir_of(options)
            except PolicyError as exc:
                self.error = exc
                raise PluginError(str(exc)) from exc
            try:
                self.build_dir = site.new_build_dir(real)
            except OSError as exc:
                self.error = BuildError(f"cannot create a build folder next to {real}: {exc.strerror or exc}",
                                        hint="Check that the parent of site_dir (or --site-dir) is a writable folder.")
                raise PluginError(str(self.error)) from exc
            self.real_site_dir = real
            config.site_dir = str(self.build_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.inputs is None:
            return None
        for path, content in site.generate_pages(self.inputs).items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the generated page {path}; remove or rename it")
            # Archived versions and change pages are reached from the version history, not the nav.
            inclusion = InclusionLevel.UNDEFINED if path in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        return files

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.inputs is None:
            return None
        return _decorate(output, head_html(self.inputs, page.url))

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if self.inputs is None or template_name != "404.html":
            return None
        return _decorate(output_content, head_html(self.inputs, None))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.inputs is None:
            return
        out = Path(config.site_dir)
        try:
            site.write_outputs(self.inputs, out)
        except PolicyError as exc:
            self.error = exc
            raise PluginError(str(exc)) from exc
        if self.real_site_dir is not None:
            site.swap_in(out, self.real_site_dir)
            config.site_dir = str(self.real_site_dir)
            self.real_site_dir = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.real_site_dir is not None and self.build_dir is not None:
            shutil.rmtree(self.build_dir, ignore_errors=True)
        self.real_site_dir = None
        self.build_dir = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.inputs is not None:
            server.watch(str(self.inputs.options.source))
        # DNS rebinding: answer only requests addressed to the server's own address.
        server.set_app(only_own_host(server.get_app(), lambda: server.server_address[:2]))
        return server


_FOOTER = re.compile(r'<div class="md-footer-meta__inner md-grid">')


def _decorate(html: str, head: str) -> str:
    """Add the head tags and the "Cookie settings" link to the theme's footer."""
    html = html.replace("</head>", head + "</head>", 1)
    footer = _FOOTER.search(html)
    return html[: footer.end()] + SETTINGS_LINK + html[footer.end():] if footer else html
