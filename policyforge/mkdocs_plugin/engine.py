"""Run MkDocs programmatically: the engine behind ``policyforge build`` and ``policyforge serve``."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..errors import BuildError, PolicyError
from .plugin import DRAFT_ENV, PolicyForgePlugin

__all__ = ["build", "serve"]


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's notice about MkDocs 2.0, on every run


def build(config_file: Path, *, draft: bool = False, site_dir: Path | None = None,
          site_url: str | None = None) -> Path:
    """Build the site (atomically) and return the site directory."""
    _quiet_mkdocs()
    previous = os.environ.get(DRAFT_ENV)
    os.environ[DRAFT_ENV] = "1" if draft else "0"
    plugin: PolicyForgePlugin | None = None
    try:
        cfg = load_config(str(config_file), site_dir=str(site_dir) if site_dir else None, site_url=site_url)
        found = cfg.plugins.get("policyforge")
        plugin = found if isinstance(found, PolicyForgePlugin) else None
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        return Path(cfg.site_dir)
    except PluginError as exc:
        raise _as_policy_error(exc) from None
    except (ConfigurationError, Abort) as exc:
        if plugin is not None and plugin.error is not None:
            raise plugin.error from None
        raise BuildError(str(exc)) from None
    finally:
        if previous is None:
            os.environ.pop(DRAFT_ENV, None)
        else:
            os.environ[DRAFT_ENV] = previous


def _as_policy_error(exc: PluginError) -> PolicyError:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, PolicyError):
        return cause
    return BuildError(str(exc))


def serve(config_file: Path, *, dev_addr: str = "127.0.0.1:8000", draft: bool = True) -> None:
    """Serve with live reload (drafts shown by default)."""
    _quiet_mkdocs()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    os.environ[DRAFT_ENV] = "1" if draft else "0"
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"{dev_addr} is already in use: stop the other server or pick another address "
                             "with --dev-addr 127.0.0.1:8001", hint="") from None
        raise BuildError(f"cannot serve on {dev_addr}: {exc.strerror or exc}",
                         hint="Use an address of this machine, e.g. --dev-addr 127.0.0.1:8000.") from None
    except PluginError as exc:
        raise _as_policy_error(exc) from None
    except (ConfigurationError, Abort) as exc:
        raise BuildError(str(exc)) from None
