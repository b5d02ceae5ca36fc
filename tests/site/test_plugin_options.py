"""Options are defined once (one model): a wrong type is the same error in every command, and the CLI hands the
plugin its options and prepared inputs explicitly (no environment variable, one history load)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policyforge.cli.main import main
from policyforge.errors import BuildError, SourceError
from policyforge.history import releases
from policyforge.mkdocs_plugin import engine
from policyforge.mkdocs_plugin.config import PolicyForgeConfig
from policyforge.site import build as site
from policyforge.source.options import PluginOptions, read_project
from tests.conftest import FIXTURES, copy_project, invoke

BIN = Path(sys.executable).parent
QUOTED = (
    "policyforge option `allow_html`: expected true or false, got the quoted text 'false' (write it without quotes)"
)


def with_options(tmp_path: Path, lines: str) -> Path:
    """A copy of the tiny project whose policyforge plugin entry has these option lines."""
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    text = config.read_text(encoding="utf-8")
    assert text.endswith("  - policyforge\n")
    config.write_text(text.replace("  - policyforge\n", "  - policyforge:\n" + lines), encoding="utf-8")
    return config


def quoted_false(tmp_path: Path) -> Path:
    return with_options(tmp_path, '      allow_html: "false"\n')


@pytest.mark.parametrize("command", ["check", "build", "serve"])
def test_quoted_boolean_is_the_same_error_in_every_policyforge_command(tmp_path: Path, command: str) -> None:
    config = quoted_false(tmp_path)
    result = invoke(main, [command, "-f", str(config)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("ERROR: ") and QUOTED in result.stderr
    assert not (config.parent / "site").exists()


def test_quoted_boolean_is_the_same_error_in_mkdocs_build(tmp_path: Path) -> None:
    config = quoted_false(tmp_path)
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build"], cwd=config.parent, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert QUOTED in result.stderr
    assert not (config.parent / "site").exists()


def test_plugin_config_is_derived_from_the_one_model() -> None:
    schema = dict(PolicyForgeConfig._schema)
    assert list(schema) == list(PluginOptions.model_fields)
    defaults = {name: option.default for name, option in schema.items()}
    assert defaults == {
        "enabled": True,
        "source": Path("policy_source"),
        "allow_html": False,
        "draft": False,
        "banner": True,
        "demo": False,
        "allow_symlinked_site_dir": False,
        "search_archive": False,
        "documents": (),
        "language": "en",
        "translations": (),
        "stale_translations": "notice",
        "notice_material": 30,
        "notice_subprocessor": 30,
        "banner_languages": None,
    }


def test_unknown_option_is_refused(tmp_path: Path) -> None:
    config = with_options(tmp_path, "      allow_htm: true\n")
    with pytest.raises(BuildError, match="unknown policyforge option `allow_htm`"):
        read_project(config)


def test_draft_does_not_travel_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    monkeypatch.setenv("POLICYFORGE_DRAFT", "1")
    plain = engine.build(config, site_dir=tmp_path / "plain")
    assert not (plain / "draft").exists()
    drafted = engine.build(config, draft=True, site_dir=tmp_path / "drafted")
    assert (drafted / "draft" / "index.html").is_file()


def test_policy_errors_come_back_from_the_plugin_as_themselves(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    policy = config.parent / "policy_source" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("title:", "title: [unclosed", 1), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        engine.build(config)
    assert caught.value.problems and caught.value.problems[0].file.endswith("policy.yaml")


def test_build_loads_and_diffs_the_history_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_project(tmp_path / "p", FIXTURES / "history-basic")
    calls = {"prepare": 0, "load_history": 0}
    real_prepare, real_load = site.prepare, releases.load_history

    def counting_prepare(*args: object, **kwargs: object) -> site.SiteInputs:
        calls["prepare"] += 1
        return real_prepare(*args, **kwargs)  # type: ignore[arg-type]

    def counting_load(*args: object, **kwargs: object) -> releases.History:
        calls["load_history"] += 1
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "prepare", counting_prepare)
    monkeypatch.setattr(site, "load_history", counting_load)
    result = invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 0, result.output
    assert (config.parent / "site" / "versions" / "2024-06-01" / "index.html").is_file()
    assert calls == {"prepare": 1, "load_history": 1}
