"""Find and launch a Chromium for the tests, `policyforge scan` and the benchmark.

The search order is: ``$CHROMIUM``, then ``/usr/bin/chromium`` (Debian's package), then
Playwright's own download (``playwright install chromium``), signalled by ``None``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "find_chromium", "launch_args", "sandbox_possible"]

CHROMIUM_ARGS: list[str] = [
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


def sandbox_possible() -> bool:
    """Whether Chromium's sandbox can run: not as root (Chromium refuses to start sandboxed as root)."""
    return not (hasattr(os, "geteuid") and os.geteuid() == 0)


def launch_args() -> dict[str, object]:
    """Keyword arguments for ``playwright.chromium.launch``.

    Chromium's sandbox cannot run as root (CI containers), so only then is it switched off;
    ``policyforge scan`` opens untrusted sites and keeps it everywhere else.
    """
    flags = list(CHROMIUM_ARGS)
    if not sandbox_possible():
        flags.insert(0, "--no-sandbox")
    args: dict[str, object] = {"args": flags}
    path = find_chromium()
    if path:
        args["executable_path"] = path
    return args


def _playwright_has_chromium() -> bool:
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    return any(cache.glob("chromium*/chrome-linux*/chrome")) or any(cache.glob("chromium_headless_shell*/*/*"))


def ensure_browser() -> str:
    """Make sure a browser exists, installing one if needed; return a description of it.

    As root on Debian, Debian's ``chromium`` is installed with apt-get; elsewhere
    ``playwright install chromium`` downloads Playwright's own build.
    """
    import subprocess
    import sys

    found = find_chromium()
    if found:
        return found
    if _playwright_has_chromium():
        return "Playwright's own Chromium"
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        found = find_chromium()
        if found:
            return found
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    return "Playwright's own Chromium"


if __name__ == "__main__":
    print(f"browser: {ensure_browser()}")
