"""Benchmark of ``policyforge scan``'s deadlines against hostile sites (loopback only).

Run from the repository root:  .venv/bin/python bench/bench_scan.py

Two figures, each against its target, printed as PASS/FAIL lines (exit code 1 when one misses):

- a page whose script loops forever after load, scanned with ``--timeout 20``: the whole command
  ends within the timeout plus 15 s (start-up, closing the browser);
- a ``gpc.json`` that trickles one byte every 3 s, fetched with a 4 s limit: given up within 8 s.

The tests check that each deadline trips (the report says the scan did not finish, the fetch names
its time limit); how long it takes is measured here, not asserted in a test.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.audit.scan import fetch_gpc  # noqa: E402

SCAN_TIMEOUT_S = 20
SCAN_TARGET_S = SCAN_TIMEOUT_S + 15
GPC_LIMIT_S = 4.0
GPC_TARGET_S = 8.0
LOOPING = b"<title>loop</title><script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50))</script>"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/.well-known/gpc.json":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(3.0)  # a trickle: the fetch must give up on its own deadline
            except OSError:
                pass  # the fetch gave up and closed the connection, as it should
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(LOOPING)))
            self.end_headers()
            self.wfile.write(LOOPING)

    def log_message(self, format: str, *args: object) -> None:
        pass


def line(ok: bool, target: str, detail: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {target}  {detail}"


def main() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    lines = []
    started = time.perf_counter()
    _, _, problem = fetch_gpc(url, seconds=GPC_LIMIT_S)
    took = time.perf_counter() - started
    lines.append(
        line(
            took <= GPC_TARGET_S and "time limit" in problem,
            f"gpc.json trickle <= {GPC_TARGET_S:.0f} s",
            f"{took:.1f} s ({problem})",
        )
    )
    policy = ROOT / "tests" / "fixtures" / "sites" / "policy_source"
    started = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "policyforge",
            "scan",
            url,
            "--policy",
            str(policy),
            "--json",
            "--timeout",
            str(SCAN_TIMEOUT_S),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    took = time.perf_counter() - started
    ended = proc.returncode == 2 and "did not finish" in proc.stderr
    lines.append(
        line(
            took <= SCAN_TARGET_S and ended,
            f"looping page, --timeout {SCAN_TIMEOUT_S} <= {SCAN_TARGET_S} s",
            f"{took:.1f} s (exit {proc.returncode})",
        )
    )
    server.shutdown()
    print("\n".join(lines))
    return 1 if any(x.startswith("FAIL") for x in lines) else 0


if __name__ == "__main__":
    raise SystemExit(main())
