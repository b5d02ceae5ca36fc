"""What a reader is told about a changed fact, in the page's language: ``Retention of Support messages:
24 months → 12 months (shorter)``, ``New recipient: Sentry, Inc., United States, SCCs``.

:mod:`policyforge.history.fact_diff` gives the changes as data; every word here comes from the strings per
language (:mod:`.strings`), periods and countries from Babel (CLDR). :class:`FactWords` is the base of
:class:`~policyforge.site.diff_words.Words`: it holds the language, HTML or plain text, and the helpers
both use.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.units import format_unit
from pydantic import BaseModel

from ..history.fact_diff import FactChange
from ..source.facts import LEGAL_BASES, Party, Recipient, Retention, SupervisoryAuthority
from ..source.locales import babel_locale
from ..source.taxonomy import TaxonomyKind, taxonomy, taxonomy_name
from .strings import current_language, text
from .templating import Markup, environment

__all__ = ["FactWords", "macro"]

_UNITS = {"Y": "duration-year", "M": "duration-month", "W": "duration-week", "D": "duration-day"}
_PART = re.compile(r"(\d+)([YMWD])")
_TAXONOMY: dict[str, TaxonomyKind] = {
    "data_use": "data_use",
    "data_categories": "data_category",
    "data_subjects": "data_subject",
}

# The strings of each field, controller fact, safeguard, role and direction (keys spelled out for the strings test)
_FIELDS = {
    "title": "fact_field_title",
    "data_use": "fact_field_data_use",
    "data_categories": "fact_field_data_categories",
    "data_subjects": "fact_field_data_subjects",
    "source": "fact_field_source",
    "legal_basis": "fact_field_legal_basis",
    "legitimate_interest": "fact_field_legitimate_interest",
    "special_categories": "fact_field_special_categories",
    "special_condition": "fact_field_special_condition",
    "retention": "fact_field_retention",
    "recipients": "fact_field_recipients",
    "required": "fact_field_required",
    "automated_decision": "fact_field_automated_decision",
    "ccpa_categories": "fact_field_ccpa_categories",
    "sold_or_shared": "fact_field_sold_or_shared",
    "sensitive": "fact_field_sensitive",
    "name": "fact_field_name",
    "role": "fact_field_role",
    "purpose": "fact_field_purpose",
    "country": "fact_field_country",
    "safeguard": "fact_field_safeguard",
}
_CONTROLLER = {
    "dpo": "fact_dpo",
    "representative_eu": "fact_representative_eu",
    "representative_uk": "fact_representative_uk",
    "authority": "fact_authority",
    "address": "fact_address",
    "country": "fact_country",
    "jurisdictions": "fact_jurisdictions",
}
_ENUMS = {
    "safeguard_adequacy": "fact_safeguard_adequacy",
    "safeguard_sccs": "fact_safeguard_sccs",
    "safeguard_bcrs": "fact_safeguard_bcrs",
    "safeguard_derogation": "fact_safeguard_derogation",
    "role_processor": "fact_role_processor",
    "role_sub_processor": "fact_role_sub_processor",
    "role_controller": "fact_role_controller",
    "role_joint_controller": "fact_role_joint_controller",
    "role_authority": "fact_role_authority",
    "longer": "fact_longer",
    "shorter": "fact_shorter",
}
_WHOLE = {
    ("added", "activity"): "fact_new_activity",
    ("removed", "activity"): "fact_gone_activity",
    ("added", "recipient"): "fact_new_recipient",
    ("removed", "recipient"): "fact_gone_recipient",
}


class FactWords:
    """Sentences in one language: ``html`` for a page (the current page language), else plain text in ``lang``."""

    def __init__(self, lang: str | None = None, *, html: bool = True) -> None:
        self.lang = lang
        self.html = html

    def t(self, key: str, **params: Any) -> str:
        """The text ``key``; in HTML, escaped, with ``params`` escaped unless already HTML."""
        if not self.html:
            return text(key, self.lang or "en", **params)
        template = Markup.escape(text(key, self.lang or current_language()))
        return template.format(**params) if params else template

    def value(self, value: object) -> str:
        """A value from the policy (a title, a cookie's provider), in the original's language."""
        if not self.html:
            return str(value)
        return macro("original", str(value))

    def _join(self, parts: list[str], sep: str) -> str:
        return Markup(sep).join(parts) if self.html else sep.join(parts)

    def _locale(self) -> Locale:
        return babel_locale(self.lang or current_language()) or Locale("en")

    def period(self, period: str) -> str:
        """``P1Y6M`` → ``1 year, 6 months`` in the language's words."""
        parts = [format_unit(int(n), _UNITS[u], locale=self._locale()) for n, u in _PART.findall(period)]
        return str(format_list(parts, locale=self._locale()))

    def country(self, code: str) -> str:
        """``US`` → ``United States`` in the language (the code when CLDR has no name)."""
        return str(self._locale().territories.get(code, code))

    def safeguard(self, value: str | None) -> str:
        """A recipient's safeguard for transfers (``none`` when it has none) in the language's words."""
        return self._fact_value("safeguard", value)

    def fact(self, c: FactChange) -> str:
        """One changed fact in words."""
        if c.subject in ("activity", "recipient") and not c.field:
            key = _WHOLE[(c.kind, c.subject)]
            model = c.new if c.kind == "added" else c.old
            details = self._recipient(model) if isinstance(model, Recipient) else self._activity(model)
            if c.transfer:
                details.append(self.t("fact_transfer"))
            return self._join([self.t(key, name=self.value(c.label)), *details], ", ")
        if c.subject not in ("activity", "recipient"):
            return self._change(self.t(_CONTROLLER[c.subject]), c)
        field = self.t(_FIELDS[c.field])
        if c.kind != "changed":
            element = self._fact_value(c.field, c.new if c.kind == "added" else c.old)
            key = "fact_added_to" if c.kind == "added" else "fact_removed_from"
            return self._join([self.t(key, field=field, name=self.value(c.label)), element], ": ")
        return self._change(self.t("fact_of", field=field, name=self.value(c.label)), c)

    def _change(self, label: str, c: FactChange) -> str:
        shown = [self._fact_value(c.field or c.subject, v) for v in (c.old, c.new) if v is not None]
        out = self._join([label, self._join(shown, " → ")], ": ")
        extra = [self.t(_ENUMS[c.direction])] if c.direction else []
        extra += [self.t("fact_transfer")] if c.transfer else []
        return self._join([out, self._join(["(", self._join(extra, ", "), ")"], "")], " ") if extra else out

    def _activity(self, a: Any) -> list[str]:
        return [self._fact_value(f, getattr(a, f)) for f in ("legal_basis", "retention") if getattr(a, f) is not None]

    def _recipient(self, r: Recipient) -> list[str]:
        out = [self.country(r.country)]
        return [*out, self._fact_value("safeguard", r.safeguard)] if r.safeguard else out

    def _fact_value(self, field: str, value: Any) -> str:
        """One value of a fact as a reader sees it."""
        if value is None or value == "none":
            return self.t("none")
        if isinstance(value, bool):
            return self.t("fact_yes" if value else "fact_no")
        if field in _TAXONOMY and value in taxonomy(_TAXONOMY[field]):
            return self.value(taxonomy_name(_TAXONOMY[field], value))
        if field == "legal_basis":
            return self.t("fact_basis", point=LEGAL_BASES[value])
        if field in ("safeguard", "role"):
            return self.t(_ENUMS[f"{field}_{value}"])
        if field == "country":
            return self.country(value)
        if field == "jurisdictions":  # the codes as the YAML gives them (eu, us-ca): code, not words
            return self._join([macro("code", j) if self.html else j for j in value], ", ")
        if isinstance(value, Retention):
            return self._retention(value)
        if isinstance(value, Party | SupervisoryAuthority):
            return self._join([self.value(v) for v in value.model_dump(exclude_none=True).values()], ", ")
        if isinstance(value, BaseModel):
            return self._join([self._fact_value(k, v) for k, v in value.model_dump(exclude_none=True).items()], "; ")
        return self.value(value)

    def _retention(self, r: Retention) -> str:
        if r.period is None:
            return self.value(r.criteria)
        period = self.period(r.period)
        return self.t("fact_retention_after", period=period, event=self.value(r.after)) if r.after else period


def macro(name: str, value: str) -> Markup:
    """A macro of ``macros.html`` applied to ``value`` (escaped unless already HTML)."""
    module: Any = environment().get_template("macros.html").module
    return Markup(getattr(module, name)(value))
