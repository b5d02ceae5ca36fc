"""The policy data model: frozen pydantic models that the YAML source is validated into.

Section numbers are never stored: they follow from order. Every id is a stable anchor.
Body text fields hold Markdown, section titles and table cells inline Markdown; terms and banner
texts are plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
)

from ..errors import BuildError
from .facts import (
    Activity,
    Country,
    DpoFact,
    Jurisdiction,
    Recipient,
    Representatives,
    SecurityMeasures,
    SupervisoryAuthority,
)
from .regions import Mode, RegionKey, Regions

__all__ = [
    "GCM_TYPES",
    "INCLUDE_TARGETS",
    "ITEM_TAGS",
    "TEXT_LIMIT",
    "BannerTexts",
    "Consent",
    "ConsentCategory",
    "Controller",
    "Cookie",
    "Policy",
    "Section",
    "Service",
    "Table",
    "TermItem",
    "record_cookie_names",
]

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

GcmType = Literal[
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
]
GCM_TYPES: tuple[str, ...] = get_args(GcmType)
IncludeTarget = Literal["consent-categories", "processing", "recipients", "rights", "controller"]
INCLUDE_TARGETS: tuple[str, ...] = get_args(IncludeTarget)

#: The longest body text (and the longest value of any field): longer values are refused first (``sizes.py``).
TEXT_LIMIT = 20000
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_LIMIT)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=80)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _check_email(value: str) -> str:
    if not EMAIL_RE.match(value):
        raise ValueError(f"malformed e-mail address {value!r} (expected name@example.com)")
    return value


class Controller(_Frozen):
    """Who is responsible for the processing, and how to reach them."""

    name: Line = Field(description="Legal name of the data controller.")
    email: str = Field(max_length=254, description="Contact e-mail address for privacy requests.")
    address: Line | None = Field(default=None, description="Postal address, on one line (Art. 13(1)(a)).")
    country: Country | None = Field(
        default=None, description="Where the controller is established: ISO 3166 code, e.g. `DE` (Art. 27)."
    )
    dpo: DpoFact | None = Field(
        default=None, description="The data protection officer (name, email, address), or `none` (Art. 13(1)(b))."
    )
    representative: Representatives | None = Field(
        default=None, description="Representatives in the EU (`eu`) and the UK (`uk`) (Art. 27)."
    )
    supervisory_authority: SupervisoryAuthority | None = Field(
        default=None, description="The lead supervisory authority (name, url) (Art. 13(2)(d))."
    )
    jurisdictions: tuple[Jurisdiction, ...] = Field(
        default=(), description="The laws the notice must satisfy: `eu`, `uk`, `us-ca`; unset: none is checked."
    )
    security_measures: SecurityMeasures | None = Field(
        default=None,
        description="A general description of the technical and organisational security measures (Art. 32(1)) "
        "for the record of processing (Art. 30(1)(g)); an activity's own `security_measures` replace it.",
    )

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        return _check_email(value)


class TermItem(_Frozen):
    """A bullet with a bold lead term, e.g. `Personal Details: Name, email address...`."""

    term: Line = Field(description="The lead term, shown in bold.")
    text: Text = Field(description="Markdown text after the term.")


#: The tags of a bullet's two forms. pydantic puts the tag of the form it validated in an error's ``loc``
#: (documented for tagged unions); a tag is never a field name (it has a hyphen), so the loader drops it.
ITEM_TAGS = ("term-item", "text-item")


def _item_form(value: object) -> str:
    """A mapping is a ``{term, text}`` bullet, anything else a plain one: errors come from that form only."""
    return ITEM_TAGS[0] if isinstance(value, dict | TermItem) else ITEM_TAGS[1]


Item = Annotated[
    Annotated[TermItem, Tag(ITEM_TAGS[0])] | Annotated[Text, Tag(ITEM_TAGS[1])],
    Discriminator(_item_form),
]


def _cell_text(value: object) -> object:
    """YAML reads ``12`` or ``yes`` in a cell as a number or a boolean; a cell is always text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if isinstance(value, int | float) else value


Cell = Annotated[str, BeforeValidator(_cell_text), StringConstraints(strip_whitespace=True, max_length=2000)]


class Table(_Frozen):
    """A table written as YAML: column headings and rows of cells (each cell is inline Markdown)."""

    caption: Line | None = Field(default=None, description="Optional caption shown above the table.")
    columns: tuple[Line, ...] = Field(min_length=1, description="Column headings, left to right.")
    rows: tuple[tuple[Cell, ...], ...] = Field(
        min_length=1, description="Rows; each a list with one cell per column (inline Markdown)."
    )

    @field_validator("rows")
    @classmethod
    def _row_lengths(cls, rows: tuple[tuple[str, ...], ...], info: ValidationInfo) -> tuple[tuple[str, ...], ...]:
        columns = info.data.get("columns")
        if columns:
            for number, row in enumerate(rows, start=1):
                if len(row) != len(columns):
                    raise ValueError(
                        f"row {number} has {len(row)} cells but the table has {len(columns)} columns; "
                        'write one cell per column (an empty cell is "")'
                    )
        return rows


class Cookie(_Frozen):
    """One cookie (or storage key) that a consent category declares."""

    name: Line = Field(
        description="Exact cookie name (or storage key) as set in the browser; `*` matches any run "
        "of characters, e.g. `_ga_*`."
    )
    provider: Line = Field(description="Who sets it (first party or the third party's name).")
    recipient: Ident | None = Field(default=None, description="The id of the `recipients` entry that sets it.")
    purpose: Line = Field(description="Why it is set, in plain words.")
    duration: Line = Field(
        description="How long it lives: an ISO 8601 period, shown in each site language (`P14M`, `P30D`, `P1Y`), "
        "or text, e.g. `session`."
    )
    domain: Annotated[str, StringConstraints(pattern=r"^$|^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$", max_length=253)] = (
        Field(default="", description="Cookie domain; empty means the host that set it.")
    )
    path: Annotated[str, StringConstraints(pattern=r"^/[^;\s]*$", max_length=2000)] = Field(
        default="/", description="Cookie path."
    )
    storage: Literal["cookie", "local", "session"] = Field(
        default="cookie",
        description="Where it lives: a cookie, or a key in `localStorage` (`local`) or `sessionStorage` (`session`); "
        "the banner deletes it when its category is refused.",
    )
    set_by: Literal["browser", "server"] = Field(
        default="browser",
        description="What sets it: a script or frame in the page (`browser`, the default), which the product "
        "gates with `data-consent`, or the product's server (`server`), which sets it only with consent "
        "itself; hand-off notes never ask to gate a server's cookie.",
    )

    @field_validator("set_by")
    @classmethod
    def _server_sets_cookies(cls, value: str, info: ValidationInfo) -> str:
        if value == "server" and info.data.get("storage", "cookie") != "cookie":
            raise ValueError("a server sets cookies only: `set_by: server` needs `storage: cookie`")
        return value


class Service(_Frozen):
    """A service inside a consent category (a video player, an ad network) the visitor can allow on its own."""

    id: Ident = Field(
        description='Stable id within its category: `data-consent="CATEGORY:ID"` gates its scripts and frames, '
        "and the consent record keeps it as `CATEGORY:ID`."
    )
    name: Line = Field(description="Shown in the policy and in the banner, e.g. `YouTube`.")
    description: Text | None = Field(default=None, description="One sentence on what it does.")
    cookies: tuple[Line, ...] = Field(
        default=(), description="The names of the category's cookies this service sets (declared in `cookies`)."
    )
    recipient: Ident | None = Field(
        default=None, description="The id of the `recipients` entry that provides it (none: the site itself)."
    )


class ConsentCategory(_Frozen):
    """A group of cookies the visitor can accept or refuse as one."""

    id: Ident = Field(description="Stable id, used in `data-consent` attributes and the consent record.")
    title: Line = Field(description="Shown in the policy and in the banner.")
    description: Text = Field(description="One sentence on what the category is for.")
    required: StrictBool = Field(default=False, description="Essential: always on, cannot be refused.")
    cookies: tuple[Cookie, ...] = Field(default=(), description="The cookies of this category.")
    gcm: tuple[GcmType, ...] = Field(default=(), description="Google Consent Mode v2 types it governs.")
    services: tuple[Service, ...] = Field(
        default=(),
        description="Services the visitor can allow one by one (switches inside the category in the banner); "
        "granting the category grants them all.",
    )
    activity: Ident | None = Field(default=None, description="The id of the `processing` activity it serves.")
    opt_out: StrictBool = Field(
        default=True,
        description="In an `opt-out` region (`consent.regions`), on until the visitor opts out (the default); "
        "`false`: opt-in everywhere (e.g. sensitive data).",
    )


class BannerTexts(_Frozen):
    """Texts of the consent banner (plain text)."""

    title: Line = "Cookies"
    text: Text = "We use essential cookies to run this site. With your consent we also use optional cookies."
    accept: Line = "Accept all"
    reject: Line = "Reject all"
    customize: Line = "Choose"
    save: Line = "Save choices"
    close: Line = "Close"
    policy_link: Line = "Cookie policy"
    settings_title: Line = "Cookie settings"
    always_on: Line = "Always on"
    gpc: Text = "Your browser's Global Privacy Control signal was honoured: optional cookies are off."
    changed: Text = "Our cookie policy has changed since you last chose."
    changed_link: Line = "See what changed"
    consent_id: Line = "Your consent ID"
    chosen_on: Line = "Chosen on"
    privacy_choices: Line = "Your Privacy Choices"


# An http(s) URL whose host is a name, an IPv4 or a bracketed IPv6 address (its origin goes into the
# site's CSP, so nothing there may carry a ";" or a space) and whose path uses URL characters only.
RECEIPTS_URL = (
    r"^https?://(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
    r"/[A-Za-z0-9\-._~:/?\[\]@!$&'()*+,;=%]*$"
)


def record_cookie_names(name: str) -> tuple[tuple[str, str], ...]:
    """The names the banner's record cookie ``consent.cookie`` goes by, each with its scheme: ``__Host-`` + name
    on https, name on http (docs/embedding.md). The one source for the pages, the change pages and the scan."""
    return ((f"__Host-{name}", "https"), (name, "http"))


class Consent(_Frozen):
    """The consent-relevant part of the policy: it drives the banner and the consent revision."""

    lifetime_days: int = Field(default=180, ge=1, le=3650, description="How long a choice is kept.")
    cookie: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = Field(
        default="pf_consent", description="Name of the first-party cookie that records the choice."
    )
    categories: tuple[ConsentCategory, ...] = Field(min_length=1, description="Consent categories.")
    banner: BannerTexts = Field(default_factory=BannerTexts, description="Banner texts.")
    receipts_url: Annotated[str, StringConstraints(pattern=RECEIPTS_URL, max_length=500)] | None = Field(
        default=None,
        description="Where the banner sends a consent receipt for every choice (the "
        "`policyforge receipts serve` endpoint, e.g. https://consent.example.com/receipts"
        "); unset: no receipts are sent.",
    )
    regions: Annotated[dict[RegionKey, Mode], AfterValidator(Regions)] = Field(
        default_factory=Regions,
        description="The consent mode per region: `opt-in` (nothing optional before consent) or `opt-out` "
        "(optional categories on until the visitor opts out), keyed `eu`, `uk`, a country's ISO 3166-1 code "
        "(`us`) or a subdivision's ISO 3166-2 code (`us-ca`); the most specific wins; undeclared: opt-in.",
        json_schema_extra={"additionalProperties": False},  # editors flag a key that is no region
    )


class Section(_Frozen):
    """A numbered section. Numbers follow from order; `id` is the stable anchor."""

    id: Ident = Field(description="Stable anchor (`/#id`); survives renumbering and retitling.")
    title: Line = Field(description="Heading text, without its number; inline Markdown (emphasis, code).")
    text: Text | None = Field(default=None, description="Markdown paragraphs before the list.")
    items: tuple[Item, ...] = Field(default=(), description="Bullets: plain Markdown or `{term, text}`.")
    table: Table | None = Field(default=None, description="A table after the list: `columns` and `rows`.")
    after: Text | None = Field(default=None, description="Markdown paragraphs after the list.")
    include: IncludeTarget | None = Field(
        default=None,
        description="Generated content: `consent-categories` (the consent categories and their cookies), "
        "`processing` (the activities' table), `recipients` (the recipients' table), `rights` (the rights owed) "
        "or `controller` (the controller, DPO, representatives and supervisory authority).",
    )
    consent_relevant: StrictBool = Field(
        default=False, description="Changes to this section change the consent revision (re-prompt)."
    )
    sections: tuple[Section, ...] = Field(default=(), description="Subsections.")


class Policy(_Frozen):
    """A complete privacy policy: the single source of truth."""

    title: Line = Field(description="Document title, e.g. `Privacy Policy`.")
    product: Line = Field(description="The product or service the policy covers.")
    effective: dt.date | None = Field(default=None, description="Effective date (set by a release).")
    updated: dt.date | None = Field(default=None, description="Last-updated date.")
    controller: Controller
    link_base: (
        Annotated[str, StringConstraints(pattern=r"^https?://[^/\s?#]+(/[^\s?#]*)?$", max_length=2000)] | None
    ) = Field(
        default=None,
        description="Origin that site-relative links (`/docs/x.pdf`) in the text point to, e.g. "
        "`https://example.com` for a document imported from that site.",
    )
    preamble: Text | None = Field(default=None, description="Markdown before the first section (not numbered).")
    quick_reference: tuple[Text, ...] = Field(default=(), description="Summary bullets shown first.")
    sections: tuple[Section, ...] = Field(min_length=1, description="The numbered sections.")
    closing: Text | None = Field(default=None, description="Closing paragraph after the last section.")
    processing: tuple[Activity, ...] = Field(
        default=(), description="The processing activities: purpose, data, legal basis, retention, recipients."
    )
    recipients: tuple[Recipient, ...] = Field(
        default=(), description="Processors, sub-processors, controllers and authorities receiving data."
    )
    consent: Consent | None = Field(
        default=None,
        description="The consent banner's source. Exactly one document of a site declares it (the "
        "privacy or cookie policy); terms of service and the like leave it out.",
    )

    @property
    def categories(self) -> tuple[ConsentCategory, ...]:
        """The consent categories; none for a document without a ``consent`` block."""
        return self.consent.categories if self.consent is not None else ()

    def require_consent(self) -> Consent:
        """The ``consent`` block; :class:`BuildError` for a document that declares none (no banner)."""
        if self.consent is None:
            raise BuildError(
                f"{self.title!r} declares no `consent` block, so it has no banner",
                hint="The banner comes from the document that declares `consent` (the privacy or cookie policy).",
            )
        return self.consent
