"""MkDocs events only: each one delegates to :mod:`policyforge.site`.

Errors are exceptions: a :class:`PolicyError` is raised as MkDocs' ``PluginError`` chained to it
(``raise PluginError(...) from error``), which the engine unwraps.
"""

from __future__ import annotations

import logging
import shutil
from importlib import resources
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..errors import BuildError, PolicyError
from ..history.levels import level_changes
from ..site import build as site
from ..site.history_pages import page_url
from ..site.inject import head_html, settings_link_html, theme_words
from ..site.inputs import SiteInputs
from ..site.languages import alternates
from ..site.urls import NAV_PAGES, check_url, relative_url
from ..source.options import ProjectOptions, project_options
from .config import PolicyForgeConfig
from .hosts import only_own_host
from .languages import build_languages
from .prerendered import PrerenderedBlocks
from .serving import ServeState
from .theme import ThemeScripts

__all__ = ["PolicyForgePlugin"]

log = logging.getLogger("mkdocs.plugins.policyforge")


class PolicyForgePlugin(BasePlugin[PolicyForgeConfig]):
    """Generates the policy pages and outputs; builds atomically on ``mkdocs build``."""

    def __init__(self) -> None:
        self.command = "build"
        self.inputs: SiteInputs | None = None
        self.real_site_dir: Path | None = None
        self.build_dir: Path | None = None
        self.prepared: SiteInputs | None = None
        self.env: Environment | None = None
        self.theme_scripts = ThemeScripts()
        self.serving = ServeState()  # used only under ``serve``
        self.sources = 1  # how many of ``serving.watched`` are policy sources (one per document)
        self.everywhere: set[str] = set()  # URLs of the pages every language's site has
        self.generated: set[str] = set()  # the source paths of policyforge's pages in this build
        self.prerendered = PrerenderedBlocks()

    def hand_over(self, prepared: SiteInputs) -> None:
        """Build the next build from inputs already prepared (by the engine), instead of loading them.

        Used once: MkDocs keeps plugin instances between builds of one process. Inputs in a translation's
        language (``prepared.lang``) make this the build of that language's site (see :mod:`.languages`).
        """
        self.prepared = prepared

    def nested(self, config: MkDocsConfig, prepared: SiteInputs) -> ThemeScripts:
        """Build a translation's site from its loaded ``config`` and ``prepared`` inputs, inside this build.

        MkDocs gives every config of a process the same plugin instances, so a language's build runs this very
        object: its state of the build in progress is kept aside and restored after. Returns the inline scripts
        of that language's site.
        """
        saved = dict(vars(self))
        try:
            self.command, self.serving, self.prepared = "build", ServeState(), prepared
            self.real_site_dir = self.build_dir = None
            mkdocs_build(config)
            return self.theme_scripts
        finally:
            vars(self).clear()
            vars(self).update(saved)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config["enabled"]:
            return None
        prepared, self.prepared = self.prepared, None
        options = prepared.options if prepared is not None else self._options(config)
        if self.command == "serve":
            sources = [options.root / d.source for d in options.documents] or [options.source]
            self.sources = len(sources)
            self.serving.start_build(
                root=options.root,
                draft=options.draft,
                watched=[
                    *sources,
                    Path(config.docs_dir),
                    *([Path(config.config_file_path)] if config.config_file_path else []),
                ],
            )
        try:
            if config.repo_url:  # the theme writes it into every page unescaped
                check_url(config.repo_url, "repo_url")
            self.inputs = prepared if prepared is not None else site.prepare(options)
        except PolicyError as exc:
            if self.command != "serve":
                raise PluginError(str(exc)) from exc
            self.inputs, self.serving.problem = None, exc  # every page becomes the problem page
        if not config.use_directory_urls:
            error = BuildError(
                "policyforge needs `use_directory_urls: true` (the default) in mkdocs.yml: "
                "the version and change pages link to each other by directory URL"
            )
            raise PluginError(str(error)) from error
        # policyforge's template overrides (Material's blocks and partials), after the project's own custom_dir.
        overrides = str(resources.files("policyforge.mkdocs_plugin").joinpath("overrides"))
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        if self.inputs is not None and self.inputs.options.translations:
            # The theme's language selector (Material's `extra.alternate`): each language's home; the
            # selector override points each entry at the page shown in that language.
            config.extra["alternate"] = [
                {"name": alt.name, "link": alt.link or "./", "lang": alt.lang}
                for alt in alternates(self.inputs, "", everywhere=False)[:-1]
            ]
        if site.asset_css() not in config.extra_css:
            config.extra_css.append(site.asset_css())
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        if self.command == "build" and self.inputs is not None and not self.inputs.lang:
            try:
                real = site.site_dir_of(self.inputs.options)
            except PolicyError as exc:
                raise PluginError(str(exc)) from exc
            try:
                self.build_dir = site.new_build_dir(real)
            except OSError as exc:
                error = BuildError(
                    f"cannot create a build folder next to {real}: {exc.strerror or exc}",
                    hint="Check that the parent of site_dir (or --site-dir) is a writable folder.",
                )
                error.__cause__ = exc
                raise PluginError(str(error)) from error
            self.real_site_dir = real
            config.site_dir = str(self.build_dir)
        return config

    def _options(self, config: MkDocsConfig) -> ProjectOptions:
        """The project's options from this plugin's config (validated by the one model) and MkDocs' places."""
        path = Path(config.config_file_path) if config.config_file_path else None
        root = path.resolve().parent if path else Path.cwd()
        return project_options(
            dict(self.config),
            root=root,
            site_dir=Path(config.site_dir),
            site_url=config.site_url or "",
            config_file=path,
            docs_dir=Path(config.docs_dir),
        )

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        self.generated, self.prerendered = set(), PrerenderedBlocks()  # this build's pages only
        if self.serving.problem is not None:  # the policy's own pages, as problem pages in the site's layout
            for path in self.serving.placeholders():
                if files.get_file_from_path(path) is None:
                    inclusion = InclusionLevel.UNDEFINED if path in NAV_PAGES else InclusionLevel.NOT_IN_NAV
                    files.append(
                        File.generated(config, path, content="# Problems in the policy source\n", inclusion=inclusion)
                    )
            return files
        if self.inputs is None:
            return None
        nav = site.nav_pages(self.inputs)
        generated = site.generate_pages(self.inputs)
        if self.inputs.lang:  # a translation's site: policyforge's pages only (docs pages are in the original's)
            for file in [f for f in files if f.is_documentation_page()]:
                files.remove(file)
        self.everywhere = {page_url(path) for path in generated if not path.startswith("draft")}
        self.generated = set(generated)
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide the generated page {path}; remove or rename it")
            # Archived versions and change pages are reached from the version history, not the nav.
            inclusion = InclusionLevel.UNDEFINED if path in nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        self.env = env
        self.theme_scripts = ThemeScripts()
        return None

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext | None:
        if template_name == "404.html" and (self.inputs is not None or self.serving.problem is not None):
            cast(dict[str, Any], context)["policyforge"] = self._context(None, config)
        return None

    @event_priority(-100)  # after every other plugin's: what they add to a page is in it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.inputs is not None and self.serving.problem is None:
            self.theme_scripts.check_page(page, output)
        return None

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        if self.inputs is not None and template_name == "404.html":  # no page content: its scripts are the theme's
            self.theme_scripts.add_output(output_content)
        return None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.serving.problem is None and page.file.src_uri in self.generated:
            return self.prerendered.markdown(page.file.src_uri, markdown)  # finished HTML skips Markdown
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.serving.problem is not None:  # every page shows the problems, in the site's layout
            return self.serving.content(config.site_url or "")
        try:
            return self.prerendered.content(page.file.src_uri, html)
        except PolicyError as exc:
            raise PluginError(str(exc)) from exc

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.inputs is None and self.serving.problem is None:
            return None
        cast(dict[str, Any], context)["policyforge"] = self._context(page.url, config)
        if self.inputs is not None and self.env is not None:
            self.theme_scripts.add_page(self.env, dict(context), page)
        return None

    def _context(self, page_url: str | None, config: MkDocsConfig) -> dict[str, Any]:
        """What policyforge's template overrides (``overrides/``) show on the page at ``page_url`` (None: the 404
        page): the head tags, the language selector's entries, the footer's settings link; or the problem page."""
        if self.serving.problem is not None:
            return self.serving.context(config.site_url or "")
        assert self.inputs is not None
        everywhere = page_url is None or page_url in self.everywhere
        switch = [
            {
                "lang": alt.lang,
                "name": alt.name,
                "href": alt.url if page_url is None else relative_url(page_url, alt.link) or "./",
            }
            for alt in alternates(self.inputs, page_url, everywhere=everywhere)[:-1]  # the selector has no x-default
        ]
        lang = self.inputs.page_lang
        return {
            "head": head_html(self.inputs, page_url, everywhere=everywhere),
            "switch": switch,
            "settings": settings_link_html(lang) if self.inputs.has_banner else "",
            "words": theme_words(lang),
        }

    @event_priority(-100)  # after every other plugin's: a language's build runs the same plugin instances again
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.inputs is not None and not self.inputs.lang and self.inputs.options.translations:
            # Every translation's site, into this build's folder, before the headers that cover them all.
            self.theme_scripts.merge(build_languages(self.inputs, Path(config.site_dir), self.nested), "")
        self._write_outputs(config)
        if self.command == "serve":
            moved = level_changes(self.inputs.options, self.inputs.history) if self.inputs is not None else []
            self.serving.finish(Path(config.site_dir), config.site_url or "", [str(c) for c in moved])

    def _write_outputs(self, config: MkDocsConfig) -> None:
        if self.inputs is None:
            return
        out = Path(config.site_dir)
        if self.inputs.lang:
            site.write_language_outputs(self.inputs, out)
            return
        try:
            self.theme_scripts.check_unseen(out)
            blocked = site.write_outputs(self.inputs, out, self.theme_scripts.bodies, self.theme_scripts.found)
        except PolicyError as exc:
            raise PluginError(str(exc)) from exc
        for script in blocked:  # typed results from the core; MkDocs' warning log is how a plugin reports
            log.warning(str(script))
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
        for path in self.serving.watched[: self.sources]:  # the sources (MkDocs watches docs/ and mkdocs.yml)
            server.watch(str(path))
        # DNS rebinding: answer only requests addressed to the server's own address.
        server.set_app(only_own_host(server.get_app(), lambda: server.server_address[:2]))
        return server
