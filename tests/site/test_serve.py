"""`policyforge serve` serves the site with live reload and rebuilds when the policy changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import copy_project

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_shows_the_draft_and_reloads_on_edit(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p").parent
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "policyforge"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        home = fetch(base, time.monotonic() + 60)
        assert "Privacy Policy — GPT Image 2" in home and "livereload" in home
        draft = fetch(base + "draft/", time.monotonic() + 10)
        assert "Regular backups" in draft
        source = project / "policy_source" / "policy.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace("Regular backups", "Nightly backups"))
        deadline = time.monotonic() + 60
        while "Nightly backups" not in fetch(base + "draft/", deadline):
            assert time.monotonic() < deadline, "the draft was not rebuilt after the edit"
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
