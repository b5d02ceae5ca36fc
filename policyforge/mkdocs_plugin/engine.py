"""Run MkDocs programmatically: the engine behind ``policyforge build`` and ``policyforge serve``.

The CLI's options reach the plugin explicitly: the engine loads mkdocs.yml with the ``policyforge``
plugin entry replaced by the command's :class:`ProjectOptions` (so ``--draft`` is the plugin's
``draft`` option, also on every live-reload rebuild of ``serve``), and ``build`` hands the plugin
the inputs it has already prepared, so the history is loaded, verified and diffed once. Errors come
back as exceptions: a :class:`PolicyError` raised in the plugin travels chained inside MkDocs'
``PluginError``/``Abort`` and is unwrapped here.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..errors import BuildError, PolicyError
from ..site.inputs import SiteInputs
from ..source.options import ProjectOptions, read_project
from ..terminal import SafeStreamHandler
from .languages import plugin_entries, run_build
from .plugin import PolicyForgePlugin
from .serving import LOGGER_NAME

__all__ = ["build", "serve"]


def _quiet_mkdocs() -> None:
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.setLevel(logging.WARNING)
    if not any(isinstance(h, SafeStreamHandler) for h in mkdocs_log.handlers):
        # MkDocs' warnings name files and links of the project: printed without control characters.
        mkdocs_log.addHandler(SafeStreamHandler(sys.stderr))
        mkdocs_log.handlers[-1].setLevel(logging.WARNING)
        mkdocs_log.propagate = False
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's notice about MkDocs 2.0, on every run


def _load(options: ProjectOptions, **extra: Any) -> MkDocsConfig:
    assert options.config_file is not None
    return load_config(
        str(options.config_file),
        site_dir=str(options.site_dir),
        site_url=options.site_url or None,
        plugins=plugin_entries(options),
        **extra,
    )


def build(
    config_file: Path,
    *,
    draft: bool = False,
    site_dir: Path | None = None,
    site_url: str | None = None,
    prepared: SiteInputs | None = None,
) -> Path:
    """Build the site (atomically) and return the site directory.

    ``prepared``: the inputs :func:`policyforge.site.build.prepare` made for this project; their
    options decide draft, site_dir and site_url (the keyword arguments are then ignored), and the
    plugin builds from them instead of loading the history again.
    """
    _quiet_mkdocs()
    options = (
        prepared.options
        if prepared is not None
        else read_project(config_file, draft=draft or None, site_dir=site_dir, site_url=site_url)
    )
    try:
        cfg = _load(options)
        plugin = cfg.plugins.get("policyforge")
        if prepared is not None and isinstance(plugin, PolicyForgePlugin):
            plugin.hand_over(prepared)
        run_build(cfg)
        return Path(cfg.site_dir)
    except (PluginError, ConfigurationError, Abort) as exc:
        raise _as_policy_error(exc) from None


def _as_policy_error(exc: BaseException) -> PolicyError:
    """The :class:`PolicyError` chained inside a MkDocs error, else a :class:`BuildError` with its text."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, PolicyError):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return BuildError(str(exc))


def _print_serve_lines() -> None:
    """Show the serve session's lines (address, draft, what it watches, problems) as plain lines on stderr."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = SafeStreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def serve(config_file: Path, *, dev_addr: str = "127.0.0.1:8000", draft: bool = True) -> None:
    """Serve with live reload (drafts shown by default)."""
    _quiet_mkdocs()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    _print_serve_lines()
    options = read_project(config_file, draft=draft)
    assert options.config_file is not None
    try:
        mkdocs_serve(
            config_file=str(options.config_file), dev_addr=dev_addr, livereload=True, plugins=plugin_entries(options)
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(
                f"{dev_addr} is already in use: stop the other server or pick another address "
                "with --dev-addr 127.0.0.1:8001",
                hint="",
            ) from None
        raise BuildError(
            f"cannot serve on {dev_addr}: {exc.strerror or exc}",
            hint="Use an address of this machine, e.g. --dev-addr 127.0.0.1:8000.",
        ) from None
    except (PluginError, ConfigurationError, Abort) as exc:
        raise _as_policy_error(exc) from None
