"""Regulatory and dark-pattern checks on a policy that already passed validation.

Validation (``policyforge.load``) answers "is this a well-formed policy?"; the lint answers
"would a regulator or a careful reader object to it?". Every rule has a stable id, a
severity and points at the line of the YAML source that causes it. The rules, their
rationale and their legal sources are documented in ``docs/lint-rules.md``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import LintError, Problem
from .completeness import COMPLETENESS_CHECKS, COMPLETENESS_RULES
from .loader import is_markdown
from .markdown_text import EMAIL_IN_TEXT, parse
from .model import EMAIL_RE, Policy
from .numbering import numbered_sections
from .regions import GROUPS, OPT_OUT, region_codes
from .yaml_reader import Loc, Located, read_yaml

__all__ = ["LINT_RULES", "PLACEHOLDER_RULE", "LintFinding", "failing", "lint_error", "lint_file", "lint_policy"]

Severity = Literal["error", "warning"]

#: Every rule id with its severity (``lifetime-too-long`` is an error above 395 days).
LINT_RULES: dict[str, Severity] = {
    "non-essential-required": "error",
    "essential-purpose": "error",
    "lifetime-too-long": "warning",
    "missing-reject-label": "error",
    "cookie-missing-fields": "warning",
    "contact-email-mismatch": "warning",
    "record-cookie-undeclared": "warning",
    "broken-anchor": "warning",
    "placeholder": "warning",
    "opt-out-where-consent-is-required": "error",
    **COMPLETENESS_RULES,
    "stale-section-number": "warning",
}

LIFETIME_WARN_DAYS = 180  # CNIL: keep a choice about 6 months
LIFETIME_MAX_DAYS = 395  # CNIL: at most 13 months

_NON_ESSENTIAL = re.compile(
    r"\b(analytics?|statistics?|stats|marketing|advertis\w*|ads|tracking|trackers?|preferences?|"
    r"personali[sz]\w*|retargeting)\b",
    re.I,
)
_TRACKING_PURPOSE = re.compile(r"\b(analytic\w*|advertis\w*|ads|marketing|tracking|track|retarget\w*)\b", re.I)
_PLACEHOLDERS = {"", "-", "--", "–", "—", "?", "...", "…", "n/a", "na", "none", "unknown", "tbd", "tba", "todo", "xxx"}
#: The rule of a value still to be written (``TODO``): listed by ``check``, refused by ``release``.
PLACEHOLDER_RULE = "placeholder"
_TODO = re.compile(r"\bTODO\b")
# The domains RFC 2606 reserves for examples: an address there reaches nobody.
_EXAMPLE_DOMAIN = re.compile(r"@(?:[a-z0-9-]+\.)*example\.(?:com|net|org)$", re.I)
_CONSENTING = re.compile(r"\b(accept\w*|agree\w*|allow\w*|ok|okay|got it|continue|yes|consent)\b", re.I)
_REFUSING = re.compile(
    r"\b(reject\w*|refuse\w*|decline\w*|deny|no|not|don'?t|without|only|necessary|"
    r"essential|disagree|opt[- ]out)\b",
    re.I,
)


@dataclass(frozen=True, order=True)
class LintFinding:
    """One lint finding, located by line in the policy source."""

    file: str
    line: int
    rule: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.rule}]"


def failing(findings: list[LintFinding], *, strict: bool = False) -> bool:
    """True when the findings should fail ``policyforge check`` (errors; with ``strict`` any finding)."""
    return any(f.severity == "error" or strict for f in findings)


def lint_error(
    findings: list[LintFinding], source: str, *, strict: bool = False, building: bool = True
) -> LintError | None:
    """The error that refuses ``findings`` of ``source`` (every finding listed), or None when they pass.

    ``building`` False: the error of a check, whose summary does not say that nothing was built."""
    if not failing(findings, strict=strict):
        return None
    problems = [Problem(f.file, f.line, "", f"{f.severity}: {f.message} [{f.rule}]") for f in findings]
    failed = sum(1 for f in findings if strict or f.severity == "error")
    return LintError(problems, source, failing=failed, building=building)


def lint_file(
    path: Path, policy: Policy, display: str | None = None, *, released: tuple[str, Mapping[str, str]] | None = None
) -> list[LintFinding]:
    """Lint ``policy``, which was validated from ``path``; the file is re-read for line numbers.

    ``released`` (the newest release's date, and its section numbers: number → id) turns on the rules that compare
    a draft with it."""
    return lint_policy(policy, read_yaml(path, display), released=released)


def lint_policy(
    policy: Policy, doc: Located, *, released: tuple[str, Mapping[str, str]] | None = None
) -> list[LintFinding]:
    """Run every rule on ``policy``; ``doc`` is its YAML source (for lines). Sorted by line.

    With ``released`` (date and section numbers of the newest release), also ``stale-section-number``."""
    findings: list[LintFinding] = []

    def report(rule: str, loc: Loc, message: str, severity: Severity | None = None, offset: int = 0) -> None:
        findings.append(LintFinding(doc.file, doc.line_of(loc) + offset, rule, severity or LINT_RULES[rule], message))

    data = doc.data if isinstance(doc.data, dict) else {}
    for check in _CHECKS:
        check(policy, data, report)
    if released is not None:
        _stale_section_number(policy, released, data, report)
    return sorted(set(findings))


Report = Callable[..., None]
_CATS = ("consent", "categories")


def _non_essential_required(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, cat in enumerate(policy.categories):
        match = _NON_ESSENTIAL.search(f"{cat.id.replace('-', ' ')} {cat.title}")
        if cat.required and match:
            report(
                "non-essential-required",
                (*_CATS, i, "required"),
                f"category {cat.id!r} looks non-essential ({match.group(0).lower()!r}) but is required: "
                "visitors cannot refuse it",
            )


def _essential_purpose(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, cat in enumerate(policy.categories):
        if not cat.required:
            continue
        for j, cookie in enumerate(cat.cookies):
            match = _TRACKING_PURPOSE.search(cookie.purpose)
            if match:
                report(
                    "essential-purpose",
                    (*_CATS, i, "cookies", j, "purpose"),
                    f"cookie {cookie.name!r} in required category {cat.id!r} has a purpose of "
                    f"{match.group(0).lower()!r}, which needs consent",
                )


def _lifetime(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if policy.consent is None:  # a document without a banner (terms, subprocessors)
        return
    days = policy.consent.lifetime_days
    loc = ("consent", "lifetime_days")
    if days > LIFETIME_MAX_DAYS:
        report(
            "lifetime-too-long",
            loc,
            f"consent is kept {days} days; at most {LIFETIME_MAX_DAYS} days (13 months) before asking again",
            "error",
        )
    elif days > LIFETIME_WARN_DAYS:
        report(
            "lifetime-too-long",
            loc,
            f"consent is kept {days} days; about {LIFETIME_WARN_DAYS} days (6 months) is recommended",
        )


def _reject_label(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if policy.consent is None:  # a document without a banner (terms, subprocessors)
        return
    texts = policy.consent.banner
    reject = " ".join(texts.reject.casefold().split())
    loc = ("consent", "banner", "reject")
    for other, name in ((texts.accept, "accept"), (texts.customize, "customize")):
        if reject == " ".join(other.casefold().split()):
            report(
                "missing-reject-label", loc, f"the reject button reads {texts.reject!r}, the same as the {name} button"
            )
            return
    if _CONSENTING.search(reject) and not _REFUSING.search(reject):
        report("missing-reject-label", loc, f"the reject button reads {texts.reject!r}, which is not a refusal")


def _opt_out_regions(policy: Policy, data: dict[str, Any], report: Report) -> None:
    """An ``opt-out`` region in the EEA or the UK, where storage that is not strictly necessary needs consent."""
    consent_first = GROUPS["eu"] | GROUPS["uk"]
    for key, mode in (policy.consent.regions if policy.consent else {}).items():
        if mode == OPT_OUT and any(code[:2] in consent_first for code in region_codes(key)):
            report(
                "opt-out-where-consent-is-required",
                ("consent", "regions", key),
                f"region {key!r} is opt-out, but there optional cookies need consent first (ePrivacy Art. 5(3), "
                "UK PECR reg. 6): make it opt-in",
            )


def _cookie_fields(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for i, cat in enumerate(policy.categories):
        for j, cookie in enumerate(cat.cookies):
            for field in ("duration", "provider"):
                value = getattr(cookie, field)
                if value.strip().casefold() in _PLACEHOLDERS:
                    report(
                        "cookie-missing-fields",
                        (*_CATS, i, "cookies", j, field),
                        f"cookie {cookie.name!r} has no real {field} ({value!r})",
                    )


def _contact_email(policy: Policy, data: dict[str, Any], report: Report) -> None:
    expected = {a.casefold() for a in _declared_addresses(policy)}
    for loc, text in _strings(data, ()):
        if loc[:2] in (("controller", "email"), ("controller", "dpo"), ("controller", "representative")):
            continue
        for address in EMAIL_IN_TEXT.findall(text):
            if EMAIL_RE.match(address) and address.casefold() not in expected:
                report(
                    "contact-email-mismatch",
                    loc,
                    f"e-mail {address!r} differs from controller.email {policy.controller.email!r}",
                )


def _declared_addresses(policy: Policy) -> list[str]:
    """The controller's address and those of its DPO and representatives, which the text may give too."""
    ctrl = policy.controller
    reps = ctrl.representative
    parties = [ctrl.dpo if ctrl.dpo != "none" else None, reps.eu if reps else None, reps.uk if reps else None]
    return [ctrl.email, *(p.email for p in parties if p is not None and p.email is not None)]


def _record_cookie(policy: Policy, data: dict[str, Any], report: Report) -> None:
    if policy.consent is None:  # a document without a banner (terms, subprocessors)
        return
    name = policy.consent.cookie
    if any(c.required and any(k.name == name for k in c.cookies) for c in policy.categories):
        return
    consent = data.get("consent")
    loc = ("consent", "cookie") if isinstance(consent, dict) and "cookie" in consent else _CATS
    report(
        "record-cookie-undeclared",
        loc,
        f"the banner stores the visitor's choice in the cookie {name!r}, but no essential category "
        "declares it; add it to the cookies of a required category",
    )


def _anchors(policy: Policy) -> set[str]:
    """Every id the policy page has for a link to land on: sections, categories, footnotes."""
    ids = {ns.section.id for ns in numbered_sections(policy.sections)}
    ids |= {f"pf-cat-{c.id}" for c in policy.categories}
    return ids


def _in_page_links(text: str) -> Iterator[tuple[str, int]]:
    """``(anchor, lines after the key's line)`` of every ``#anchor`` link (a block scalar starts a line later)."""
    for block in parse(text):
        for tok in block.children or ():
            href = str(tok.attrs.get("href", "")) if tok.type == "link_open" else ""
            if href.startswith("#") and len(href) > 1:
                yield href[1:], (1 + block.map[0] if block.map and "\n" in text.strip() else 0)


def _broken_anchor(policy: Policy, data: dict[str, Any], report: Report) -> None:
    known = _anchors(policy)
    for loc, text in _strings(data, ()):
        if not is_markdown(loc):
            continue
        for anchor, offset in _in_page_links(text):
            if anchor in known or anchor.startswith(("fn-", "fnref-")):  # footnotes are numbered by the renderer
                continue
            close = difflib.get_close_matches(anchor, sorted(known), n=1, cutoff=0.6)
            hint = f" (did you mean #{close[0]}?)" if close else ""
            report(
                "broken-anchor",
                loc,
                f"link to #{anchor}, but the policy has no section or anchor with that id{hint}",
                offset=offset,
            )


def _lines_in(text: str, match: re.Match[str]) -> int:
    """How many lines after its key's line ``match`` is, in a block of several lines (`|`); 0 on one line."""
    return 1 + text.count("\n", 0, match.start()) if "\n" in text.strip() else 0


def _placeholders(policy: Policy, data: dict[str, Any], report: Report) -> None:
    for loc, text in _strings(data, ()):
        todo = _TODO.search(text)
        if todo:
            report(
                PLACEHOLDER_RULE, loc, f"still a placeholder: {' '.join(text.split())}", offset=_lines_in(text, todo)
            )
            continue
        for address in EMAIL_IN_TEXT.findall(text):
            if _EXAMPLE_DOMAIN.search(address):
                report(
                    PLACEHOLDER_RULE,
                    loc,
                    f"placeholder e-mail address {address!r}: its domain is reserved for examples (RFC 2606) "
                    "and reaches nobody",
                )


# "section 3", "Sections 2.1", "§ 4": a number written out, which rots when sections move.
_LITERAL_SECTION = re.compile(r"(?:\b[Ss]ections?|§)\s*(\d+(?:\.\d+)*)\b")


def _stale_section_number(
    policy: Policy, released: tuple[str, Mapping[str, str]], data: dict[str, Any], report: Report
) -> None:
    """A literal "section N" whose section (by id, in the newest release) has another number in the draft."""
    date, then = released
    now = {ns.section.id: ns.number for ns in numbered_sections(policy.sections)}
    for loc, text in _strings(data, ()):
        if not is_markdown(loc):
            continue
        for match in _LITERAL_SECTION.finditer(text):
            sid = then.get(match.group(1))
            if sid is None or now.get(sid) == match.group(1):
                continue
            where = f"is now section {now[sid]}" if sid in now else "is no longer in the draft"
            report(
                "stale-section-number",
                loc,
                f"{match.group(0)!r}: in the release {date} that number was #{sid}, which {where}; "
                f"write [](#{sid}) so the reference shows the section's current number",
                offset=_lines_in(text, match),
            )


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*loc, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*loc, i))
    elif isinstance(value, str):
        yield loc, value


_CHECKS: tuple[Callable[[Policy, dict[str, Any], Report], None], ...] = (
    _non_essential_required,
    _essential_purpose,
    _lifetime,
    _reject_label,
    _cookie_fields,
    _contact_email,
    _record_cookie,
    _broken_anchor,
    _placeholders,
    _opt_out_regions,
    *COMPLETENESS_CHECKS,
)
