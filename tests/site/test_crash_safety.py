"""A build killed with SIGKILL while it writes leaves the previous site/ complete."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_project
from tests.helpers import tree

BIN = Path(sys.executable).parent


def wait_for_build_dir(project: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until the build has started writing into its temporary directory."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".site.") and p.name.endswith(".tmp") for p in project.iterdir()):
            return True
        time.sleep(0.005)
    return False


def test_sigkill_during_build_keeps_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p").parent
    cmd = [str(BIN / "policyforge"), "build"]
    assert subprocess.run(cmd, cwd=project, capture_output=True, timeout=120).returncode == 0
    before = tree(project / "site")
    killed_mid_write = 0
    delays = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45]
    for attempt in range(24):
        proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        writing = wait_for_build_dir(project, proc)
        time.sleep(delays[attempt % len(delays)])
        if writing and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_write += 1
        proc.wait(timeout=60)
        site = project / "site"
        assert site.is_dir(), f"site/ missing after kill {attempt}"
        assert tree(site) == before
        if killed_mid_write >= 6:
            break
    assert killed_mid_write >= 3, "the build finished before it could be interrupted"
    # The next build cleans up what the killed ones left behind.
    assert subprocess.run(cmd, cwd=project, capture_output=True, timeout=120).returncode == 0
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


def test_swap_is_one_atomic_exchange(tmp_path: Path) -> None:
    from policyforge.site import output_dir as site

    target = tmp_path / "site"
    target.mkdir()
    (target / "old.txt").write_text("old")
    new = site.new_build_dir(target)
    (new / "new.txt").write_text("new")
    assert site._exchange(new, target) is sys.platform.startswith("linux")
    if sys.platform.startswith("linux"):
        site._exchange(new, target)  # swap back, then let swap_in do it for real
    site.swap_in(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_cleanup_spares_live_builds_and_sibling_sites(tmp_path: Path) -> None:
    from policyforge.site import output_dir as site

    target = tmp_path / "site"
    target.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        mine_dead = tmp_path / f".site.{dead.pid}.abc.tmp"
        mine_live = tmp_path / f".site.{live.pid}.abc.tmp"
        sibling = tmp_path / f".site.v2.{dead.pid}.abc.tmp"
        for folder in (mine_dead, mine_live, sibling):
            folder.mkdir()
        site._remove_leftovers(target)
        assert not mine_dead.exists() and mine_live.exists() and sibling.exists()
    finally:
        live.kill()
        live.wait()
