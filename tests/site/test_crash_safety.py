"""A build killed with SIGKILL at any moment leaves the previous site/ complete."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_project
from tests.site.test_build_site import tree

BIN = Path(sys.executable).parent


def test_sigkill_during_build_keeps_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p").parent
    cmd = [str(BIN / "policyforge"), "build"]
    assert subprocess.run(cmd, cwd=project, capture_output=True, timeout=120).returncode == 0
    before = tree(project / "site")
    started = time.perf_counter()
    subprocess.run(cmd, cwd=project, capture_output=True, timeout=120)
    full = time.perf_counter() - started
    killed = 0
    for fraction in (0.2, 0.4, 0.55, 0.7, 0.85, 0.95):
        proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(full * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        site = project / "site"
        assert site.is_dir(), f"site/ missing after a kill at {fraction:.0%}"
        assert tree(site) == before
    assert killed >= 3, "the build finished too fast to be interrupted"
    # The next build cleans up what the killed ones left behind.
    assert subprocess.run(cmd, cwd=project, capture_output=True, timeout=120).returncode == 0
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]
