"""Escape sequences from outside never reach the terminal, whatever the command.

A YAML key and values, a release summary, folder names and a scanned page's storage keys carry
``ESC ] 0 ; title BEL`` (retitle), ``ESC [ 2 J`` (clear screen) and colour codes; every command's
output is checked for any control character. A structural test makes sure no module prints
except through ``cli.common.echo`` (or a ``SafeStreamHandler`` for log lines).
"""

from __future__ import annotations

import ast
import datetime as dt
import logging
import re
from pathlib import Path

from click.testing import Result

from policyforge.audit.report import ScanReport, StateResult, format_report
from policyforge.cli.main import main
from policyforge.terminal import SafeStreamHandler, terminal_safe
from tests.conftest import FIXTURES, ROOT, copy_project, invoke

EVIL = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
YAML_EVIL = r"\e]0;pwned\a\e[2J\e[31m"  # the same, as YAML double-quoted escapes
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(result: Result) -> str:
    both = result.stdout + result.stderr
    assert not CONTROL.search(both), repr(both)
    return both


def evil_project(tmp_path: Path) -> Path:
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    source = config.parent / "policy_source" / "policy.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("product: Tiny App", f'product: "Tiny {YAML_EVIL}App"')
    text = text.replace("    title: Introduction", f'    title: "Intro {YAML_EVIL}duction"')
    source.write_text(text, encoding="utf-8")
    return config


def test_terminal_safe_keeps_only_our_colours() -> None:
    assert terminal_safe(f"a{EVIL}b\tc\nd\x9b2J") == "a]0;pwned[2J[31mb\tc\nd2J"
    assert terminal_safe(f"\x1b[32mok\x1b[0m {EVIL}", keep_colors=True) == "\x1b[32mok\x1b[0m ]0;pwned[2J\x1b[31m"


def test_check_with_an_escape_in_a_key_and_in_values(tmp_path: Path) -> None:
    config = evil_project(tmp_path)
    source = config.parent / "policy_source" / "policy.yaml"
    source.write_text(source.read_text(encoding="utf-8") + f'"bad{YAML_EVIL}key": 1\n', encoding="utf-8")
    result = invoke(main, ["check", "-f", str(config)])
    assert result.exit_code == 2 and "badkey" not in clean(result) and "bad]0;pwned" in result.stderr


def test_build_release_versions_diff_widget_schema(tmp_path: Path) -> None:
    config = evil_project(tmp_path)
    f = ["-f", str(config)]
    result = invoke(main, ["check", *f])
    assert result.exit_code == 0, result.output
    clean(result)
    site = tmp_path / f"out{EVIL}site"
    result = invoke(main, ["build", *f, "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    assert "out]0;pwned[2J[31msite" in clean(result)
    today = dt.date.today().isoformat()
    result = invoke(main, ["release", *f, "--effective", today, "--summary", f"First {EVIL}version."])
    assert result.exit_code == 0, result.output
    clean(result)
    assert "First ]0;pwned" in clean(invoke(main, ["versions", *f]))
    source = config.parent / "policy_source" / "policy.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Intro ", f"Opening {YAML_EVIL}"), encoding="utf-8")
    for fmt in ("text", "json"):
        result = invoke(main, ["diff", *f, today, "draft", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "Opening" in clean(result)
    result = invoke(main, ["widget", *f, "--out", str(tmp_path / f"w{EVIL}"), "--policy-url", "https://x.example/"])
    assert result.exit_code == 0 and "w]0;pwned" in clean(result)
    clean(invoke(main, ["schema", *f, "--out", str(tmp_path / f"s{EVIL}.json")]))
    clean(invoke(main, ["build", *f, "--site-dir", str(config.parent / "policy_source")]))  # an ERROR line


def test_scan_report_with_hostile_storage_keys() -> None:
    state = StateResult("before")
    state.local_storage[f"{EVIL}key\nNo findings."] = "http://127.0.0.1:1/"
    state.cookies[(f"c{EVIL}", "127.0.0.1", "/")] = {
        "name": f"c{EVIL}",
        "domain": "127.0.0.1",
        "path": "/",
        "page": "http://127.0.0.1:1/",
        "expires": None,
    }
    report = ScanReport(url="http://127.0.0.1:1/", pages=["http://127.0.0.1:1/"], states={"before": state})
    text = terminal_safe(format_report(report))
    assert not CONTROL.search(text.replace("\n", ""))
    assert "No findings." in text.splitlines()[-1] and not any(
        line.startswith("No findings.") for line in text.splitlines()[:-1]
    )
    assert "key\\nNo findings." in text


def test_log_lines_are_cleaned(capsys: object) -> None:
    import io

    stream = io.StringIO()
    logger = logging.getLogger("policyforge.test-terminal")
    logger.addHandler(SafeStreamHandler(stream))
    logger.propagate = False
    logger.warning("file %s changed", f"x{EVIL}.md")
    assert stream.getvalue() == "file x]0;pwned[2J[31m.md changed\n"


ALLOWED_PRINTERS = {"policyforge/cli/common.py", "policyforge/terminal.py"}


def _main_block(tree: ast.Module) -> set[int]:
    """Line numbers inside ``if __name__ == "__main__":`` (developer entry points, not commands)."""
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            lines |= {n.lineno for n in ast.walk(node) if hasattr(n, "lineno")}
    return lines


def test_nothing_prints_except_through_echo() -> None:
    offenders = []
    for path in sorted((ROOT / "policyforge").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if name in ALLOWED_PRINTERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _main_block(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or node.lineno in skip:
                continue
            call = ast.unparse(node.func)
            if call in (
                "print",
                "click.echo",
                "click.secho",
                "sys.stdout.write",
                "sys.stderr.write",
                "logging.StreamHandler",
                "click.get_text_stream",
            ):
                offenders.append(f"{name}:{node.lineno} {call}")
    assert offenders == []


def test_import_with_escapes_in_the_document(tmp_path: Path) -> None:
    doc = tmp_path / f"policy{EVIL}.md"
    doc.write_text(
        f"# Privacy Policy of Tiny {EVIL}App\n\n## Who we {EVIL}are\n\nWe are {EVIL}Tiny.\n\n<marquee>raw</marquee>\n",
        encoding="utf-8",
    )
    config = copy_project(tmp_path / "p", FIXTURES / "valid-tiny")
    result = invoke(main, ["import", "-f", str(config), str(doc), "--out", "-"])
    assert result.exit_code == 0, result.output
    assert "Who we" in clean(result)
