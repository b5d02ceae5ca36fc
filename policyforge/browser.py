"""Find and launch a Chromium for the tests, `policyforge scan` and the benchmark.

The search order is: ``$CHROMIUM``, then ``/usr/bin/chromium`` (Debian's package), then
Playwright's own download (``playwright install chromium``), signalled by ``None``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "find_chromium", "launch_args"]

CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def find_chromium() -> str | None:
    """Return the path of a Chromium to use, or None to let Playwright use its own."""
    env = os.environ.get("CHROMIUM")
    if env:
        found = shutil.which(env) or (env if Path(env).is_file() else None)
        if found:
            return found
    for candidate in _SYSTEM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch_args() -> dict[str, object]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    args: dict[str, object] = {"args": list(CHROMIUM_ARGS)}
    path = find_chromium()
    if path:
        args["executable_path"] = path
    return args
