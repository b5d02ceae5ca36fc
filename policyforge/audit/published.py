"""What a scanned site publishes besides its pages: its ``gpc.json`` and the policy the scan compares with.

``gpc.json`` comes from a hostile site, so it is read with a size cap and a time limit, and each of
its connections, redirects included, goes only where the scan's address gate allows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..history.releases import load_history
from ..source.loader import load_policy
from ..source.model import Policy
from ..source.options import ProjectOptions
from .addresses import AddressGate
from .limits import fetch_limited
from .report import gpc_url

__all__ = ["GPC_MAX_BYTES", "GPC_SECONDS", "fetch_gpc", "published_policy"]

GPC_MAX_BYTES = 64 * 1024
GPC_SECONDS = 10.0


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def fetch_gpc(start: str, seconds: float = GPC_SECONDS, gate: AddressGate | None = None) -> tuple[int, Any, str]:
    """HTTP status (0: none), parsed JSON (None if not JSON) and any problem, of the site's gpc.json.

    At most :data:`GPC_MAX_BYTES` are read, within ``seconds``; every connection passes ``gate``
    (the scan's, else a new one for ``start``), so in a public scan none goes to an internal address.
    """
    gate = gate or AddressGate(_host(start))
    fetched = fetch_limited(gpc_url(start), max_bytes=GPC_MAX_BYTES, seconds=seconds, gate=gate)
    if fetched.body is None:
        return fetched.status, None, fetched.problem
    try:
        return fetched.status, json.loads(fetched.body.decode("utf-8")), ""
    except (ValueError, UnicodeDecodeError):
        return fetched.status, None, "not JSON"


def published_policy(policy_dir: Path) -> Policy:
    """The policy a live site publishes: the release in effect, or the draft when nothing is released."""
    options = ProjectOptions(
        root=policy_dir.parent, source=policy_dir, site_dir=policy_dir.parent / "site", allow_html=True
    )
    current = load_history(options).in_effect()
    if current is not None:
        return current.policy
    return load_policy(options.policy_file, allow_html=True, display=str(options.policy_file))
