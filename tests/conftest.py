"""Shared fixtures and hooks: browser discovery for pytest-playwright, the browser marker, a loopback
static server, a CLI runner that lets unexpected exceptions through, and a check that the test
run leaves the repository as it found it."""

from __future__ import annotations

import http.server
import os
import ssl
import subprocess
import threading
import typing
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from policyforge.audit.browser import launch_args

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# Hypothesis keeps no example database in the repository: a failing example it finds is added to
# its test with @example, where every run (and CI) replays it.
settings.register_profile("policyforge", database=None)
settings.load_profile("policyforge")

# Fixtures that start Chromium (pytest-playwright's, and this suite's own browser fixtures).
BROWSER_FIXTURES = frozenset(
    {"browser", "browser_type", "context", "page", "new_context", "launch_browser", "chromium_browser"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a browser fixture ``e2e``, so ``-m "not e2e"`` is a browser-free run."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


_STATE_KEY = pytest.StashKey[str | None]()


def _repository_state() -> str | None:
    """``git status`` of the repository (tracked changes and untracked, unignored files), if it is one."""
    try:
        return subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STATE_KEY] = _repository_state()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Tests write nothing into the repository: in CI (a clean clone) a change fails the run."""
    before = session.config.stash.get(_STATE_KEY, None)
    if not os.environ.get("CI") or before is None:
        return
    after = _repository_state()
    if after is not None and after != before:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"FAILED: the tests changed the repository:\n{after}", red=True)


def invoke(command: click.Command, args: list[str], **kwargs: Any) -> Result:
    """Run a click command in-process; an exception other than SystemExit is re-raised (a bug keeps
    its traceback), so a test cannot mistake a crash for an error message."""
    result = CliRunner().invoke(command, args, **kwargs)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (or $CHROMIUM) with the flags this sandbox needs."""
    return {**browser_type_launch_args, **launch_args()}


# Sibling subdomains on loopback: every *.example.test name resolves to 127.0.0.1 in this browser.
SIBLING_RULES = "--host-resolver-rules=MAP *.example.test 127.0.0.1"


@pytest.fixture(scope="module")
def sibling_browser(browser_type: Any, browser_type_launch_args: dict[str, Any]) -> Iterator[Any]:
    """A Chromium in which www.example.test, evil.example.test and the like are 127.0.0.1."""
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args.get("args", []), SIBLING_RULES]}
    browser = browser_type.launch(**args)
    yield browser
    browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: typing.ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        for key, value in self.extra_headers.items():
            self.send_header(key, value)
        super().end_headers()


def start_server(
    root: Path, headers: dict[str, str] | None = None, *, tls: bool = False
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 on a free port, with optional extra response headers.

    With ``tls``, over https with the throwaway self-signed certificate for ``*.example.test`` in
    fixtures/tls/ (browser contexts then need ``ignore_https_errors``).
    """
    handler_cls = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler_cls, directory=str(root)))
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(FIXTURES / "tls" / "example.test.crt", FIXTURES / "tls" / "example.test.key")
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"{'https' if tls else 'http'}://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture
def serve_dir() -> Iterator[Callable[..., str]]:
    """Return a function that serves a directory and gives its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def _serve(root: Path, headers: dict[str, str] | None = None, *, tls: bool = False) -> str:
        srv, url = start_server(root, headers, tls=tls)
        servers.append(srv)
        return url

    yield _serve
    for srv in servers:
        srv.shutdown()


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """Copy a project (mkdocs.yml, docs/, policy_source/, terms_source/) into ``dest``; return its mkdocs.yml."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("docs", "policy_source", "terms_source"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, dest / folder, dirs_exist_ok=True)
    return dest / "mkdocs.yml"


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once per session; returns its site/ folder."""
    from policyforge.mkdocs_plugin import engine

    config = copy_project(tmp_path_factory.mktemp("example"))
    return engine.build(config)


@pytest.fixture(scope="session")
def example_url(built_example: Path) -> Iterator[str]:
    """Base URL (ending in /) of the built example site, served on 127.0.0.1."""
    srv, url = start_server(built_example)
    yield url + "/"
    srv.shutdown()
