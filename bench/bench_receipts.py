"""Load test of the receipts service with wrk: throughput and p99 latency on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_receipts.py [--duration SECONDS] [--connections N] [--quick]

The service runs as it would in production (``policyforge receipts serve``, one process, JSON
logs of warnings only, rate limit off because every request comes from one client address). Debian's
``wrk`` (installed with apt-get when missing, as root) keeps N connections busy for the whole
duration; every request is a distinct valid receipt (a fresh consent id from wrk's Lua script).
Afterwards the database must hold exactly as many receipts as wrk counted 2xx answers.

Targets, for each database: at least 1,000 receipts a second over 60 s, p99 under 50 ms, no
errors. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.receipts.ledger import Ledger  # noqa: E402
from policyforge.receipts.store import open_store  # noqa: E402
from policyforge.source.options import read_project  # noqa: E402
from tests.pgcluster import ThrowawayCluster  # noqa: E402

MIN_RATE = 1000.0
MAX_P99_MS = 50.0
ORIGIN = "https://shop.example"

LUA = """
local counter = 0
local template = %s
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local prefix = string.format("%%08x", math.random(0, 0x7fffffff))
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["Origin"] = "%s"
request = function()
  counter = counter + 1
  local id = string.format("%%s-%%012d", prefix, counter)
  return wrk.format(nil, nil, nil, string.format(template, id))
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")


def receipt_template(config_file: Path) -> str:
    """A valid receipt as a Lua string literal, with %s where the consent id goes."""
    facts = list(Ledger(read_project(config_file)).versions.values())[-1]
    body = {
        "format": 1,
        "consent_id": "CONSENTID",
        "action": "custom",
        "granted": list(facts.categories[:2]),
        "refused": list(facts.categories[2:]),
        "revision": facts.revision,
        "version": facts.version,
        "sha256": facts.sha256,
        "gpc": False,
        "language": "en",
        "origin": ORIGIN,
        "client_time": "2026-11-30T00:00:00.000Z",
    }
    text = json.dumps(body).replace("%", "%%").replace("CONSENTID", "%s")
    return json.dumps(text)  # a JSON string is a valid Lua string literal here (ASCII, no escapes but \\")


def start_service(config_file: Path, db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "policyforge",
        "receipts",
        "serve",
        "-f",
        str(config_file),
        "--db",
        db,
        "--port",
        str(port),
        "--allow-origin",
        ORIGIN,
        "--rate-limit",
        "0",
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the service exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the service did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests, rate, p99 (ms) and errors from ``wrk --latency`` output."""

    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if not (p99 and p50 and total and rate):
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return {
        "requests": int(total.group(1)),
        "rate": float(rate.group(1)),
        "p50_ms": ms(p50.group(1)),
        "p99_ms": ms(p99.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in socket.groups()) if socket else 0,
    }


def run_one(name: str, db: str, config_file: Path, work: Path, args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    import socket as sock

    with sock.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = work / "receipt.lua"
    script.write_text(LUA % (receipt_template(config_file), ORIGIN), encoding="utf-8")
    proc = start_service(config_file, db, port, work / f"service-{name}.log")
    try:
        command = [
            wrk,
            "-t2",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/receipts",
        ]
        print(f"  {name}: wrk -c{args.connections} for {args.duration} s ...", flush=True)
        cpu_before, load_before = cpu_seconds(proc.pid), os.getloadavg()[0]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        cpu_used, load_after = cpu_seconds(proc.pid) - cpu_before, os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(30)
    figures = parse_wrk(result.stdout)
    figures["cpu_us"] = cpu_used / max(figures["requests"], 1) * 1e6
    figures["load"] = max(load_before, load_after)
    store = open_store(db)
    try:
        figures["stored"] = store.count()
    finally:
        store.close()
    figures["ok_answers"] = figures["requests"] - figures["non_2xx"]
    return figures


def verdict(figures: dict[str, Any]) -> list[str]:
    problems = []
    if figures["rate"] < MIN_RATE:
        problems.append(f"rate {figures['rate']:.0f}/s < {MIN_RATE:.0f}/s")
    if figures["p99_ms"] >= MAX_P99_MS:
        problems.append(f"p99 {figures['p99_ms']:.1f} ms >= {MAX_P99_MS:.0f} ms")
    if figures["non_2xx"] or figures["socket_errors"]:
        problems.append(f"{figures['non_2xx']} non-2xx answers, {figures['socket_errors']} socket errors")
    if figures["stored"] < figures["ok_answers"]:
        problems.append(f"only {figures['stored']} of {figures['ok_answers']} acknowledged receipts stored")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load per database (default 60).")
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections (default 8).")
    parser.add_argument("--quick", action="store_true", help="10 s per database (smoke test; targets still apply).")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 10
    wrk = ensure_wrk()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="policyforge-bench-receipts-") as tmp:
        work = Path(tmp)
        shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        shutil.copytree(ROOT / "policy_source", work / "policy_source")
        config_file = work / "mkdocs.yml"
        results["SQLite"] = run_one("SQLite", str(work / "receipts.sqlite3"), config_file, work, args, wrk)
        with ThrowawayCluster() as pg:
            results["PostgreSQL"] = run_one("PostgreSQL", pg.url, config_file, work, args, wrk)
    print()
    print(
        f"Receipts service under load ({args.duration} s, {args.connections} connections, wrk on 127.0.0.1; "
        f"targets: >= {MIN_RATE:.0f} receipts/s, p99 < {MAX_P99_MS:.0f} ms, no errors, all stored)"
    )
    print(
        f"{'database':<12} {'receipts/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7} "
        f"{'stored':>9} {'CPU/receipt':>11} {'load':>5}  verdict"
    )
    failed = False
    for name, f in results.items():
        problems = verdict(f)
        failed |= bool(problems)
        state = "PASS" if not problems else "FAIL: " + "; ".join(problems)
        print(
            f"{name:<12} {f['rate']:>10.0f} {f['p50_ms']:>8.2f} {f['p99_ms']:>8.2f} {f['requests']:>9} "
            f"{f['non_2xx'] + f['socket_errors']:>7} {f['stored']:>9} {f['cpu_us']:>8.0f} us {f['load']:>5.1f}  "
            f"{state}"
        )
    print(
        f"CPU/receipt is the service process's CPU time per receipt (capacity on one free core: 1e6 / it); "
        f"load is the machine's 1-minute load average ({os.cpu_count()} cores) during the run, which other "
        "programs share."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
