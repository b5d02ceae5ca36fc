"""The banner's regional rules: which regions are opt-out, and Google Consent Mode's default per region.

The policy declares a consent mode per region (``consent.regions``, :mod:`policyforge.source.regions`); the
banner learns the visitor's region from its script tag (``data-region``, docs/embedding.md "Regional rules").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..source.model import Consent
from ..source.regions import OPT_OUT, effective_modes

__all__ = ["WAIT_FOR_UPDATE", "consent_mode_defaults", "region_modes"]

#: Google's tags wait this long (ms) for the banner's ``update`` after a ``default`` (the banner's own value).
WAIT_FOR_UPDATE = 500


def region_modes(consent: Consent) -> dict[str, int]:
    """The banner config's ``regions``: each ISO code whose mode is not its fallback's, 1 for opt-out and 0 for
    opt-in (:func:`~policyforge.source.regions.effective_modes`); empty when no region is opt-out."""
    modes = effective_modes(consent.regions)
    if OPT_OUT not in modes.values():
        return {}
    return {code: int(mode == OPT_OUT) for code, mode in modes.items()}


def _state(categories: Sequence[Mapping[str, Any]], opt_out: bool) -> dict[str, str]:
    """Each Consent Mode type the categories govern: granted when a category governing it is required, or (in an
    opt-out region) on until the visitor opts out; else denied."""
    state: dict[str, str] = {}
    for category in categories:
        on = bool(category.get("required")) or (opt_out and not category.get("optIn"))
        for kind in category.get("gcm", ()):
            if state.get(kind) != "granted":
                state[kind] = "granted" if on else "denied"
    return state


def consent_mode_defaults(config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``gtag('consent', 'default', ...)`` commands for the banner config ``config`` (``banner_config``'s):
    first the global default (only required categories' types granted), then one per mode that differs from it
    by region (``region``: the ISO codes, e.g. ``["US", "US-CA"]``), opt-out regions with their categories'
    types granted. Google applies the most specific region's default, so ``US-CA`` listed as opt-in inside an
    opt-out ``US`` stays denied. Empty when no category names a Consent Mode type.
    """
    categories = config["categories"]
    base = _state(categories, opt_out=False)
    if not base:
        return []
    out: list[dict[str, Any]] = [{**base, "wait_for_update": WAIT_FOR_UPDATE}]
    regions: Mapping[str, int] = config.get("regions", {})
    for mode in (1, 0):
        codes = sorted(code for code, value in regions.items() if value == mode)
        if codes:
            state = _state(categories, opt_out=bool(mode))
            out.append({**state, "region": codes, "wait_for_update": WAIT_FOR_UPDATE})
    return out
