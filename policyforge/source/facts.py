"""The facts a regulator checks, as data: the controller's parties, processing activities, recipients.

GDPR Art. 13/14 and the CCPA's notice at collection ask for these facts; ``completeness.py`` checks
them against the declared ``controller.jurisdictions``. Data uses, data categories and data subjects
are keys of fideslang's taxonomy (``taxonomy.py``). None of these facts is consent-relevant: adding
them changes neither the consent revision nor any translation fingerprint.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated, Any, Literal, get_args

from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from .durations import is_period
from .taxonomy import TaxonomyKind, check_key, taxonomy

__all__ = [
    "EEA",
    "FACT_PROSE",
    "FORM_TAGS",
    "LEGAL_BASES",
    "SPECIAL_DATA_CATEGORIES",
    "Activity",
    "AutomatedDecision",
    "DataSource",
    "DpoFact",
    "Party",
    "Recipient",
    "Representatives",
    "Requirement",
    "Retention",
    "SecurityMeasures",
    "SupervisoryAuthority",
    "is_third_country",
]

_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
_Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80)]
#: A general description of the technical and organisational security measures (Art. 32(1)), in prose:
#: the record of processing's Art. 30(1)(g), never shown in the notice.
SecurityMeasures = _Text

#: The European Economic Area: a recipient elsewhere is in a third country (GDPR Chapter V).
EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
    ]
)


def is_third_country(country: str, jurisdictions: tuple[str, ...]) -> bool:
    """True when data sent to ``country`` leaves the area the declared laws protect (GDPR, UK GDPR Chapter V)."""
    return ("eu" in jurisdictions and country not in EEA) or ("uk" in jurisdictions and country not in EEA | {"GB"})


def _email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise ValueError(f"malformed e-mail address {value!r} (expected name@example.com)")
    return value


# CLDR territories that are no country: unions, pseudo-locales, the unknown region.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


def _country(value: str) -> str:
    names = Locale("en").territories
    if len(value) == 2 and value.isalpha() and value.upper() in names and value.upper() not in _NOT_COUNTRIES:
        return value.upper()
    close = [code for code, name in names.items() if name.casefold() == value.casefold()]
    hint = f" (did you mean {close[0]!r}, {names[close[0]]}?)" if close else ""
    raise ValueError(f"{value!r} is not a country code; write its ISO 3166 two-letter code, e.g. DE or US{hint}")


Email = Annotated[str, AfterValidator(_email)]
Country = Annotated[str, AfterValidator(_country)]


def _enum(kind: TaxonomyKind) -> dict[str, Any]:
    """The JSON Schema offering an editor every key of ``kind``."""
    return {"type": "string", "enum": sorted(taxonomy(kind))}


# fideslang keys: checked with did-you-mean, offered to editors as an enum.
DataUse = Annotated[str, AfterValidator(partial(check_key, "data_use")), WithJsonSchema(_enum("data_use"))]
DataCategory = Annotated[
    str, AfterValidator(partial(check_key, "data_category")), WithJsonSchema(_enum("data_category"))
]
DataSubject = Annotated[str, AfterValidator(partial(check_key, "data_subject")), WithJsonSchema(_enum("data_subject"))]

Jurisdiction = Literal["eu", "uk", "us-ca"]
LegalBasis = Literal[
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"
]
#: Each legal basis with its point of GDPR Art. 6(1).
LEGAL_BASES: dict[str, str] = dict(zip(get_args(LegalBasis), "abcdef", strict=True))
SpecialCategory = Literal[
    "racial_or_ethnic_origin",
    "political_opinions",
    "religious_or_philosophical_beliefs",
    "trade_union_membership",
    "genetic",
    "biometric",
    "health",
    "sex_life_or_sexual_orientation",
]
Art9Condition = Literal[
    "explicit_consent",
    "employment_law",
    "vital_interests",
    "not_for_profit_body",
    "made_public",
    "legal_claims",
    "substantial_public_interest",
    "health_care",
    "public_health",
    "research_or_statistics",
]
CcpaCategory = Literal[
    "identifiers",
    "customer_records",
    "protected_classifications",
    "commercial_information",
    "biometric_information",
    "internet_activity",
    "geolocation",
    "sensory_data",
    "professional_information",
    "education_information",
    "inferences",
    "sensitive_personal_information",
]
RecipientRole = Literal["processor", "sub_processor", "controller", "joint_controller", "authority"]
Safeguard = Literal["adequacy", "sccs", "bcrs", "derogation"]


def _period(value: str) -> str:
    if not is_period(value):
        raise ValueError(f"{value!r} is not an ISO 8601 period; write e.g. P14M (14 months), P30D, P1Y6M")
    return value


#: An ISO 8601 duration in whole years, months, weeks or days: P14M, P30D, P1Y6M.
Period = Annotated[str, AfterValidator(_period)]


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Party(_Fact):
    """Someone a data subject can reach: the data protection officer or a representative."""

    name: _Line = Field(description="Name of the person or organisation.")
    email: Email | None = Field(default=None, description="Contact e-mail address.")
    address: _Line | None = Field(default=None, description="Postal address, on one line.")

    @model_validator(mode="after")
    def _reachable(self) -> Party:
        if self.email is None and self.address is None:
            raise ValueError("give an `email` or an `address` to reach them by")
        return self


#: The tags of a fact's two forms, its details (a mapping) or the word `none`. pydantic puts the tag of
#: the form it validated in an error's ``loc``; the loader drops it (a tag has no place in the data).
FORM_TAGS = ("fact-details", "fact-none")


def _form(value: object) -> str:
    """A mapping (or a model) is the details, anything else the word: errors come from that form only."""
    return FORM_TAGS[0] if isinstance(value, dict | BaseModel) else FORM_TAGS[1]


#: The data protection officer: their details, or `none`.
DpoFact = Annotated[
    Annotated[Party, Tag(FORM_TAGS[0])] | Annotated[Literal["none"], Tag(FORM_TAGS[1])],
    Discriminator(_form),
]


class Representatives(_Fact):
    """The representatives of a controller established outside the EU or the UK (GDPR Art. 27)."""

    eu: Party | None = Field(default=None, description="Representative in the EU (Art. 27 GDPR).")
    uk: Party | None = Field(default=None, description="Representative in the UK (Art. 27 UK GDPR).")


class SupervisoryAuthority(_Fact):
    """The authority a data subject may complain to (GDPR Art. 13(2)(d), Art. 77)."""

    name: _Line = Field(description="Name of the supervisory authority.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)] | None = Field(
        default=None, description="Its website, e.g. `https://www.dataprotection.ie`."
    )


class Retention(_Fact):
    """How long data is kept (Art. 13(2)(a)): a period, a period after an event, or the criteria."""

    period: Period | None = Field(default=None, description="ISO 8601 duration, e.g. `P14M`, `P30D`, `P1Y`.")
    after: _Line | None = Field(
        default=None, description="The event the period runs from, e.g. `account deletion` (with `period`)."
    )
    criteria: _Text | None = Field(
        default=None, description="The criteria used to determine the period, when there is no fixed one."
    )

    @model_validator(mode="after")
    def _one_form(self) -> Retention:
        if (self.period is None) == (self.criteria is None):
            raise ValueError("give either a `period` (optionally with `after`) or the `criteria`, not both or neither")
        if self.after is not None and self.period is None:
            raise ValueError("`after` needs a `period` that runs from it")
        return self

    def summary(self) -> str:
        """One line: the criteria, or the ISO period with the event it runs from (``P30D after account deletion``)."""
        if self.period is None:
            return self.criteria or ""
        return f"{self.period} after {self.after}" if self.after else self.period


class DataSource(_Fact):
    """Where data not collected from the person comes from (GDPR Art. 14(2)(f))."""

    kind: Literal["data_subject", "third_party", "publicly_accessible"] = Field(
        description="`data_subject` (collected from the person), `third_party` or `publicly_accessible`."
    )
    name: _Line | None = Field(default=None, description="The source, e.g. `your employer` or `LinkedIn`.")


class Requirement(_Fact):
    """Whether the person must provide the data, and what happens if not (GDPR Art. 13(2)(e))."""

    basis: Literal["statutory", "contractual", "contract_entry", "voluntary"] = Field(
        description="`statutory`, `contractual`, `contract_entry` (needed to enter a contract) or `voluntary`."
    )
    consequence: _Text | None = Field(default=None, description="What happens when the data is not provided.")

    @model_validator(mode="after")
    def _consequence(self) -> Requirement:
        if self.basis != "voluntary" and self.consequence is None:
            raise ValueError("a requirement needs its `consequence` of not providing the data")
        return self


class AutomatedDecision(_Fact):
    """Automated decision-making, including profiling (GDPR Art. 22, Art. 13(2)(f))."""

    logic: _Text = Field(description="Meaningful information about the logic involved.")
    significance: _Text = Field(description="Its significance for the person.")
    consequences: _Text = Field(description="Its envisaged consequences for the person.")


#: fideslang data categories that are special categories of data (GDPR Art. 9(1)).
SPECIAL_DATA_CATEGORIES = (
    "user.biometric",
    "user.health_and_medical",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
)


#: Automated decision-making: its details, or `none`.
DecisionFact = Annotated[
    Annotated[AutomatedDecision, Tag(FORM_TAGS[0])] | Annotated[Literal["none"], Tag(FORM_TAGS[1])],
    Discriminator(_form),
]


class Activity(_Fact):
    """One processing activity: a purpose with its data, legal basis, retention and recipients."""

    id: _Id = Field(description="Stable id of the activity; consent categories point to it (`activity`).")
    title: _Line = Field(description="The purpose, in plain words.")
    data_use: DataUse = Field(description="fideslang data use, e.g. `essential.service.operations`.")
    data_categories: tuple[DataCategory, ...] = Field(
        default=(), description="fideslang data categories, e.g. `user.contact.email`."
    )
    data_subjects: tuple[DataSubject, ...] = Field(default=(), description="fideslang data subjects, e.g. `customer`.")
    source: DataSource | None = Field(
        default=None, description="Where the data comes from (Art. 14); unset: the person."
    )
    legal_basis: LegalBasis | None = Field(
        default=None,
        description="GDPR Art. 6(1): `consent` (a), `contract` (b), `legal_obligation` (c), `vital_interests` (d), "
        "`public_task` (e), `legitimate_interests` (f).",
    )
    legitimate_interest: _Text | None = Field(
        default=None, description="The legitimate interest pursued (required with `legitimate_interests`)."
    )
    special_categories: tuple[SpecialCategory, ...] = Field(
        default=(), description="Special categories of data (GDPR Art. 9(1)) the activity processes."
    )
    special_condition: Art9Condition | None = Field(
        default=None, description="The GDPR Art. 9(2) condition that allows processing the special categories."
    )
    retention: Retention | None = Field(default=None, description="How long the data is kept (Art. 13(2)(a)).")
    recipients: tuple[_Id, ...] | None = Field(
        default=None, description="Ids of the `recipients` who receive the data; `[]` for none."
    )
    required: Requirement | None = Field(
        default=None, description="Whether the person must provide the data and the consequence if not."
    )
    automated_decision: DecisionFact | None = Field(
        default=None, description="Automated decision-making (Art. 22): `none`, or its logic, significance and effects."
    )
    ccpa_categories: tuple[CcpaCategory, ...] = Field(
        default=(), description="CCPA categories of personal information (Cal. Civ. Code § 1798.140(v))."
    )
    sold_or_shared: StrictBool | None = Field(
        default=None, description="Whether the data is sold or shared (CCPA § 1798.100(a)(1))."
    )
    sensitive: StrictBool = Field(default=False, description="Sensitive personal information under the CCPA.")
    security_measures: SecurityMeasures | None = Field(
        default=None,
        description="This activity's security measures (Art. 30(1)(g)) when they differ from the controller's.",
    )

    def special_data(self) -> list[str]:
        """The special categories declared, and the fideslang data categories that are special ones."""
        return [*self.special_categories, *(c for c in self.data_categories if c.startswith(SPECIAL_DATA_CATEGORIES))]


class Recipient(_Fact):
    """A processor, sub-processor, controller or authority that receives personal data."""

    id: _Id = Field(description="Stable id; activities list it under `recipients`.")
    name: _Line = Field(description="Legal name, e.g. `Stripe, Inc.`.")
    role: RecipientRole = Field(
        description="`processor`, `sub_processor`, `controller`, `joint_controller` or `authority`."
    )
    purpose: _Line = Field(description="What it does with the data.")
    country: Country = Field(description="Where it processes the data: ISO 3166 code, e.g. `US`.")
    safeguard: Safeguard | None = Field(
        default=None,
        description="For a third country: `adequacy` (decision), `sccs` (standard contractual clauses), "
        "`bcrs` (binding corporate rules) or `derogation` (Art. 49).",
    )


#: The prose of each kind of fact, as dotted paths, that a translation file translates (``translation/fact_texts.py``),
#: and of those the names a translation may leave to the original's; every other field is data, never translated.
_PARTIES = ("dpo", "representative.eu", "representative.uk")
_DECISION = ("logic", "significance", "consequences")
_ACTIVITY_PROSE: tuple[str, ...] = ("title", "legitimate_interest", "retention.criteria", "retention.after")
_ACTIVITY_PROSE += ("required.consequence", "source.name")
FACT_PROSE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "activity": (
        (*_ACTIVITY_PROSE, *(f"automated_decision.{f}" for f in _DECISION)),
        (),
    ),
    "recipient": (("name", "purpose"), ("name",)),
    "controller": (
        ("address", *(f"{p}.{f}" for p in _PARTIES for f in ("name", "address")), "supervisory_authority.name"),
        (*(f"{p}.name" for p in _PARTIES), "supervisory_authority.name"),
    ),
}
