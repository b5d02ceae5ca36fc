"""policyforge/source/taxonomy.json is fideslang's default taxonomy, generated from the pinned fideslang."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from policyforge.source.taxonomy import check_key, fideslang_version, taxonomy
from tests.fideslang_env import fideslang_python

ROOT = Path(__file__).resolve().parents[2]
PINS = ROOT / "scripts" / "taxonomy-requirements.txt"
TARGET = ROOT / "policyforge" / "source" / "taxonomy.json"


def test_generated_from_the_pinned_fideslang() -> None:
    pin = re.search(r"^fideslang==(\S+)$", PINS.read_text(encoding="utf-8"), re.M)
    assert pin is not None
    assert fideslang_version() == pin.group(1), "run `make taxonomy` and commit policyforge/source/taxonomy.json"


def test_not_stale_against_the_pinned_fideslang() -> None:
    script = ROOT / "scripts" / "fideslang_taxonomy.py"
    done = subprocess.run([fideslang_python(), str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, "policyforge/source/taxonomy.json is stale: run `make taxonomy`"


def test_a_tree_of_keys_with_names() -> None:
    for kind in ("data_use", "data_category", "data_subject"):
        keys = taxonomy(kind)
        assert len(keys) > 10
        for key, entry in keys.items():
            assert entry["name"], key
            assert entry["parent"] is None or entry["parent"] in keys, key
    assert "essential.service.operations" in taxonomy("data_use")
    assert "user.contact.email" in taxonomy("data_category")


def test_unknown_key_names_the_closest() -> None:
    assert check_key("data_subject", "customer") == "customer"
    with pytest.raises(ValueError, match=r"unknown data subject 'costumer'.*did you mean 'customer'"):
        check_key("data_subject", "costumer")
