"""The data of a scan report and the rules that turn it into findings (no browser here).

:mod:`policyforge.scan` fills a :class:`ScanReport` in a real browser; :func:`check_report`
compares it with the policy and :func:`format_report` renders it for people. The rules are
documented in ``docs/scan.md``; the ``--json`` form follows ``audit/scan.schema.json``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..source.model import ConsentCategory, Cookie, Policy, record_cookie_names

__all__ = [
    "SCAN_RULES",
    "STATES",
    "ScanFinding",
    "ScanReport",
    "StateResult",
    "check_report",
    "format_report",
    "gpc_url",
    "origin",
    "parse_duration",
]

#: Every rule id with its severity. Any finding makes the scan exit 1.
SCAN_RULES: dict[str, str] = {
    "undeclared-cookie": "error",
    "cookie-before-consent": "error",
    "cookie-after-reject": "error",
    "third-party-before-consent": "error",
    "third-party-websocket": "error",
    "third-party-eventsource": "error",
    "third-party-beacon": "error",
    "banner-category-mismatch": "error",
    "no-banner": "error",
    "no-reject-first-layer": "error",
    "cookie-expiry-exceeds-declared": "warning",
    "gpc-json-missing": "warning",
    "gpc-json-mismatch": "warning",
}
STATES = ("before", "reject", "accept")
_RULE_ORDER = {rule: i for i, rule in enumerate(SCAN_RULES)}
SLACK_SECONDS = 86400  # a cookie may outlive its declared duration by one day
_UNIT_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30.5 * 86400,
    "year": 365 * 86400,
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?|an?|one)\s*(second|minute|hour|day|week|month|year)s?\b", re.I)


@dataclass(frozen=True, order=True)
class ScanFinding:
    """One problem found on the live site."""

    rule: str
    page: str
    detail: str

    @property
    def severity(self) -> str:
        return SCAN_RULES[self.rule]

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "page": self.page, "detail": self.detail}


@dataclass
class StateResult:
    """What one state left behind across the visited pages."""

    name: str
    skipped: str | None = None
    cookies: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    local_storage: dict[str, str] = field(default_factory=dict)
    session_storage: dict[str, str] = field(default_factory=dict)
    third_party: dict[str, dict[str, str]] = field(default_factory=dict)
    channels: dict[str, dict[str, str]] = field(default_factory=dict)

    def storage_keys(self) -> list[tuple[str, str]]:
        """(key, first page) of every storage key, local and session."""
        return [*self.local_storage.items(), *self.session_storage.items()]

    def to_json(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "cookies": sorted(self.cookies.values(), key=lambda c: (c["name"], c["domain"], c["path"])),
            "localStorage": sorted(self.local_storage),
            "sessionStorage": sorted(self.session_storage),
            "thirdPartyRequests": sorted(self.third_party.values(), key=lambda r: r["url"]),
            "channels": sorted(self.channels.values(), key=lambda r: (r["kind"], r["url"])),
        }


@dataclass
class ScanReport:
    """The outcome of one scan."""

    url: str
    pages: list[str] = field(default_factory=list)
    states: dict[str, StateResult] = field(default_factory=dict)
    banner: dict[str, Any] = field(default_factory=dict)
    findings: list[ScanFinding] = field(default_factory=list)
    sandbox: bool = True
    incomplete: str | None = None
    refused: dict[str, dict[str, str]] = field(default_factory=dict)

    def refuse(self, url: str, reason: str, page: str = "") -> None:
        """Record a refused request or redirect (the first reason for each URL is kept)."""
        self.refused.setdefault(url, {"url": url, "page": page, "reason": reason})

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document (schema: ``policyforge/audit/scan.schema.json``)."""
        return {
            "url": self.url,
            "pages": self.pages,
            "banner": self.banner or {"present": False, "buttons": [], "categories": []},
            "findings": [f.to_json() for f in self.findings],
            "states": {
                name: (self.states.get(name) or StateResult(name, skipped="the scan stopped")).to_json()
                for name in STATES
            },
            "sandbox": self.sandbox,
            "incomplete": self.incomplete,
            "refused": sorted(self.refused.values(), key=lambda r: r["url"]),
        }


def parse_duration(text: str) -> float | None:
    """Seconds in a declared duration (``session`` → 0; ``1 year``, ``13 months``); None if unreadable."""
    lowered = text.strip().lower()
    if "session" in lowered:
        return 0.0
    parts = _DURATION.findall(lowered)
    if not parts:
        return None
    return sum((1.0 if n in ("a", "an", "one") else float(n)) * _UNIT_SECONDS[unit] for n, unit in parts)


def _declared(policy: Policy, name: str) -> tuple[ConsentCategory, Cookie] | None:
    record = policy.require_consent().cookie
    if name in (named for named, _ in record_cookie_names(record)):  # the banner's record cookie, on https too
        name = record
    for category in policy.categories:
        for cookie in category.cookies:
            if cookie.name == name or ("*" in cookie.name and fnmatch.fnmatchcase(name, cookie.name)):
                return category, cookie
    return None


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def gpc_url(url: str) -> str:
    """Where the site of ``url`` publishes its Global Privacy Control support resource."""
    return urljoin(origin(url) + "/", ".well-known/gpc.json")


def check_report(
    report: ScanReport, policy: Policy, gpc: tuple[int, Any], *, gpc_problem: str = ""
) -> list[ScanFinding]:
    """Every finding of ``report`` against ``policy``; ``gpc`` is the HTTP status and JSON of gpc.json
    (``gpc_problem``: why it could not be read, e.g. too large or too slow)."""
    out: list[ScanFinding] = []
    start = report.url
    reported: set[str] = set()
    for name in STATES:
        state = report.states.get(name)
        if state is None or state.skipped:
            continue
        items: list[tuple[str, str, dict[str, Any] | None]] = [
            (c["name"], c["page"], c) for c in state.cookies.values()
        ]
        items += [(key, page, None) for key, page in state.storage_keys()]
        for item, page, cookie in items:
            found = _declared(policy, item)
            if found is None:
                if item not in reported:
                    reported.add(item)
                    kind = "cookie" if cookie else "storage key"
                    out.append(
                        ScanFinding(
                            "undeclared-cookie", page, f"{kind} {item!r} is not declared by any category ({name} state)"
                        )
                    )
                continue
            category, declared = found
            if not category.required and name in ("before", "reject"):
                rule = "cookie-before-consent" if name == "before" else "cookie-after-reject"
                when = "before any choice" if name == "before" else 'after "Reject all"'
                out.append(ScanFinding(rule, page, f"{item!r} of category {category.id!r} is present {when}"))
            if cookie is not None:
                out += _expiry(cookie, declared, page)
    before = report.states.get("before") or StateResult("before")
    for request in before.third_party.values():
        out.append(
            ScanFinding(
                "third-party-before-consent",
                request["page"],
                f"request to {request['host']} before any choice: {request['url']}",
            )
        )
    out += _channel_findings(report)
    if report.banner or report.incomplete is None:
        out += _banner_findings(report, policy)
    out += _gpc_findings(start, policy, *gpc, problem=gpc_problem)
    return sorted(set(out), key=lambda f: (_RULE_ORDER[f.rule], f.page, f.detail))


_CHANNEL_RULES = {
    "WebSocket": "third-party-websocket",
    "EventSource": "third-party-eventsource",
    "beacon": "third-party-beacon",
}


def _channel_findings(report: ScanReport) -> list[ScanFinding]:
    """WebSocket, EventSource and beacon traffic to other hosts before any choice or after "Reject all"."""
    out: list[ScanFinding] = []
    for name, when in (("before", "before any choice"), ("reject", 'after "Reject all"')):
        state = report.states.get(name)
        if state is None or state.skipped:
            continue
        for channel in state.channels.values():
            out.append(
                ScanFinding(
                    _CHANNEL_RULES[channel["kind"]],
                    channel["page"],
                    f"{channel['kind']} to {channel['host']} {when}: {channel['url']}",
                )
            )
    return out


def _expiry(cookie: dict[str, Any], declared: Cookie, page: str) -> list[ScanFinding]:
    limit = parse_duration(declared.duration)
    lives = cookie["expires"]
    if limit is None or lives is None or lives <= limit + SLACK_SECONDS:
        return []
    return [
        ScanFinding(
            "cookie-expiry-exceeds-declared",
            page,
            f"{cookie['name']!r} lives {lives / 86400:.0f} days; declared {declared.duration!r}",
        )
    ]


def _banner_findings(report: ScanReport, policy: Policy) -> list[ScanFinding]:
    banner, start = report.banner, report.url
    if not banner.get("present"):
        return [
            ScanFinding(
                "no-banner",
                start,
                "no policyforge consent banner (<policyforge-consent> dialog) appeared on the start page",
            )
        ]
    out: list[ScanFinding] = []
    if "reject" not in banner["buttons"]:
        out.append(
            ScanFinding(
                "no-reject-first-layer",
                start,
                f"the banner's first layer has no {policy.require_consent().banner.reject!r} button",
            )
        )
    shown = {c["id"]: c["title"] for c in banner["categories"]}
    if shown:
        declared = {c.id: c.title for c in policy.categories}
        problems = [f"banner shows undeclared category {cid!r}" for cid in sorted(set(shown) - set(declared))]
        problems += [f"banner lacks category {cid!r}" for cid in sorted(set(declared) - set(shown))]
        problems += [
            f"category {cid!r} is titled {shown[cid]!r} in the banner, {declared[cid]!r} in the policy"
            for cid in sorted(set(shown) & set(declared))
            if shown[cid] != declared[cid]
        ]
        out += [ScanFinding("banner-category-mismatch", start, p) for p in problems]
    return out


def _gpc_findings(start: str, policy: Policy, status: int, data: Any, *, problem: str = "") -> list[ScanFinding]:
    where = gpc_url(start)
    if status != 200 or not isinstance(data, dict):
        why = f"HTTP {status or 'unreachable'}" + (f"; {problem}" if problem else "")
        return [ScanFinding("gpc-json-missing", where, f"no valid JSON at {where} ({why})")]
    out: list[ScanFinding] = []
    if data.get("gpc") is not True:
        out.append(ScanFinding("gpc-json-mismatch", where, f"gpc is {data.get('gpc')!r}, expected true"))
    date = policy.effective or policy.updated
    if date is not None and data.get("lastUpdate") != date.isoformat():
        out.append(
            ScanFinding(
                "gpc-json-mismatch",
                where,
                f"lastUpdate is {data.get('lastUpdate')!r}, the policy is effective {date.isoformat()}",
            )
        )
    return out


def _one_line(text: str) -> str:
    """A name set by the scanned page, on one line (a key holding ``\nNo findings.`` cannot forge a line)."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def format_report(report: ScanReport) -> str:
    """The human-readable report: what each state left, then a table of findings."""
    lines = [f"Scanned {report.url}: {len(report.pages)} page(s)"]
    if report.incomplete:
        lines.append(f"  INCOMPLETE: {report.incomplete}; what was seen until then is below.")
    if not report.sandbox:
        lines.append("  Chromium's sandbox was off (running as root).")
    refused = sorted(report.refused.values(), key=lambda r: r["url"])
    lines += [f"  refused: {_one_line(r['url'])} ({_one_line(r['reason'])})" for r in refused]
    for name, state in report.states.items():
        if state.skipped:
            lines.append(f"  {name:<7} skipped: {state.skipped}")
            continue
        cookies = ", ".join(sorted({_one_line(c["name"]) for c in state.cookies.values()})) or "-"
        storage = ", ".join(sorted(_one_line(k) for k, _ in state.storage_keys())) or "-"
        hosts = ", ".join(sorted({r["host"] for r in state.third_party.values()})) or "-"
        channels = ", ".join(sorted({f"{r['kind']} {r['host']}" for r in state.channels.values()}))
        lines.append(
            f"  {name:<7} cookies: {cookies}; storage: {storage}; third-party hosts: {hosts}"
            + (f"; channels: {channels}" if channels else "")
        )
    if not report.findings:
        lines.append("No findings.")
        return "\n".join(lines)
    rows = [
        ("RULE", "SEVERITY", "PAGE", "DETAIL"),
        *((f.rule, f.severity, _one_line(f.page), _one_line(f.detail)) for f in report.findings),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines.append("")
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3] for row in rows]
    lines.append(f"{len(report.findings)} finding(s).")
    return "\n".join(lines)
