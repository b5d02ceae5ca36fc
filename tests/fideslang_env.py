"""A Python that has the pinned fideslang, for the tests that hold policyforge's data against it.

fideslang 3.1.4 requires pydantic < 2.13 and the project pins a newer one, so fideslang lives in a venv
of its own: ``$PF_FIDESLANG_PYTHON`` when set, else one this module makes under the user's cache folder
from ``scripts/taxonomy-requirements.txt`` (pip from the package index, as the suite installs Chromium
and PostgreSQL by itself) and reuses while those pins are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "scripts" / "taxonomy-requirements.txt"


def fideslang_python() -> str:
    """The path of a Python that can import the pinned fideslang (made on first use)."""
    given = os.environ.get("PF_FIDESLANG_PYTHON")
    if given:
        return given
    pins = PINS.read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "policyforge-tests" / f"fideslang-{hashlib.sha256(pins).hexdigest()[:12]}"
    python = venv / "bin" / "python"
    ready = venv / ".installed"
    if not ready.is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
        subprocess.run([*pip, "-r", str(PINS)], check=True)
        ready.touch()
    return str(python)
