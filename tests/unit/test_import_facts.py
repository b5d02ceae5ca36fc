"""Import turns purpose, sub-processor and cookie tables into activities, recipients and cookies (issue 23 build 5)."""

from __future__ import annotations

import datetime as dt

from policyforge.history.diff import diff_policies
from policyforge.importer import Details, import_text
from policyforge.importer.fact_rows import country_code, legal_basis, retention, safeguard
from policyforge.importer.history_import import prepare_versions
from policyforge.importer.sources import Version

SUBPROCESSORS = """| Sub-processor | Processing | Location |
|---|---|---|
| Sentry, Inc. | Error monitoring | United States |
| Hetzner Online GmbH | Hosting | Germany |
| Cloudflare | Content delivery | Worldwide |
"""
COOKIES = """| Cookie | Provider | Purpose | Expiry | Type |
|---|---|---|---|---|
| _ga | Google | Counts visits | 2 years | Analytics |
| session | | Keeps you logged in | session | Strictly necessary |
| _fbp | Meta | Measures ads | 3 months | |
| broken | Foo | | | |
"""
PURPOSES = """| Purpose | Legal basis | Retention |
|---|---|---|
| Support messages | Performance of a contract | 24 months |
| Newsletter | Consent | Until you unsubscribe |
| Fraud prevention | Our legitimate interests | 30 days after account deletion |
| Reporting | Art. 6(1)(z) | 1 year |
"""


def document(*tables: str) -> str:
    body = "".join(f"## Part {n}\n\n{table}\n" for n, table in enumerate(tables, start=1))
    return f"# Acme Privacy Policy\n\nWrite to privacy@acme.example.\n\n{body}"


def test_a_subprocessor_table_and_a_cookie_table_import_as_recipients_and_cookies() -> None:
    result = import_text(document(SUBPROCESSORS, COOKIES).encode(), "markdown")
    policy = result.policy
    assert [(r.id, r.name, r.role, r.purpose, r.country) for r in policy.recipients] == [
        ("sentry-inc", "Sentry, Inc.", "sub_processor", "Error monitoring", "US"),
        ("hetzner-online-gmbh", "Hetzner Online GmbH", "sub_processor", "Hosting", "DE"),
    ]
    assert policy.consent is not None
    cookies = {
        c.id: [(k.name, k.provider, k.purpose, k.duration) for k in c.cookies] for c in policy.consent.categories
    }
    assert cookies == {
        "essential": [
            ("pf_consent", "Acme", "Remembers your cookie choice", "180 days"),
            ("session", "Acme", "Keeps you logged in", "session"),
        ],
        "analytics": [("_ga", "Google", "Counts visits", "2 years")],
        "other": [("_fbp", "Meta", "Measures ads", "3 months")],
    }
    notes = [(n.line, n.message) for n in result.notes]
    assert (
        11,
        "sub-processor row 'Cloudflare' not made a recipient: its location 'Worldwide' is not one country; "
        "add it to `recipients` by hand",
    ) in notes
    assert (20, "cookie row 'broken' left out: no duration, purpose") in notes
    assert any("cookies without a recognised category are in `other`" in t for t in result.todo)


def test_a_purpose_table_imports_as_activities() -> None:
    result = import_text(document(PURPOSES).encode(), "markdown")
    got = [(a.id, a.legal_basis, a.retention and a.retention.summary()) for a in result.policy.processing]
    assert got == [
        ("support-messages", "contract", "P24M"),
        ("newsletter", "consent", "Until you unsubscribe"),
        ("fraud-prevention", "legitimate_interests", "P30D after account deletion"),
        ("reporting", None, "P1Y"),
    ]
    assert result.policy.processing[1].data_use == "marketing.communications.email"
    assert (12, "legal basis of 'Reporting', 'Art. 6(1)(z)', not recognised; write it in the YAML by hand") in [
        (n.line, n.message) for n in result.notes
    ]
    assert "processing newsletter: data_use guessed as 'marketing.communications.email' from its purpose; check it" in (
        result.todo
    )


def test_headers_match_loosely_in_html_too() -> None:
    html = (
        "<h1>Acme Privacy Policy</h1><p>privacy@acme.example</p><h2>Vendors</h2><table>"
        "<tr><th>VENDOR</th><th>Service</th><th>Country of processing</th><th>Transfer mechanism</th></tr>"
        "<tr><td>Stripe</td><td>Payments</td><td>USA</td><td>Standard Contractual Clauses</td></tr></table>"
        "<h2>Cookies</h2><table><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Duration</th></tr>"
        "<tr><td>lang</td><td>Acme</td><td>Remembers your language</td><td>1 year</td></tr>"
        "<tr><td>__stripe_mid</td><td>stripe</td><td>Fraud prevention</td><td>1 year</td></tr></table>"
    )
    policy = import_text(html.encode(), "html").policy
    assert [(r.name, r.role, r.country, r.safeguard) for r in policy.recipients] == [
        ("Stripe", "processor", "US", "sccs")
    ]
    assert policy.consent is not None
    assert [k.name for c in policy.consent.categories for k in c.cookies] == ["pf_consent", "lang", "__stripe_mid"]
    assert [k.recipient for c in policy.consent.categories for k in c.cookies] == [None, None, "stripe"]


def test_cells_map_to_codes_or_to_nothing() -> None:
    assert [country_code(c) for c in ("Germany", "de", "United States (us-east-1)", "UK", "Ireland")] == [
        "DE",
        "DE",
        "US",
        "GB",
        "IE",
    ]
    assert [country_code(c) for c in ("EU", "Worldwide", "Germany, Ireland", "US and Canada")] == [None] * 4
    assert [safeguard(c) for c in ("SCCs", "EU-US Data Privacy Framework", "BCRs", "none")] == [
        "sccs",
        "adequacy",
        "bcrs",
        None,
    ]
    assert legal_basis("Art. 6 (1) (f) GDPR") == "legitimate_interests"
    assert legal_basis("consent or contract") is None
    assert retention("12 Months.") == {"period": "P12M"}
    assert retention("as long as needed") == {"criteria": "as long as needed"}


def test_over_an_imported_history_the_subprocessor_changes_are_data() -> None:
    later = (
        SUBPROCESSORS.replace("| Hetzner Online GmbH | Hosting | Germany |\n", "").replace(
            "Error monitoring | United States", "Error monitoring | Germany"
        )
        + "| Postmark | E-mail delivery | United States |\n"
    )
    versions = [
        Version(dt.date(2024, 1, 1), "v1.md", document(SUBPROCESSORS).encode(), "markdown", "First"),
        Version(dt.date(2024, 6, 1), "v2.md", document(later).encode(), "markdown", "Second"),
    ]
    first, second = prepare_versions(versions, Details())
    facts = diff_policies(first.imported.policy, second.imported.policy).facts
    assert {(f.kind, f.subject, f.name, f.field) for f in facts} == {
        ("changed", "recipient", "sentry-inc", "country"),
        ("added", "recipient", "postmark", ""),
        ("removed", "recipient", "hetzner-online-gmbh", ""),
    }
