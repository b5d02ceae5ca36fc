"""Counting receipts: choices per version and action, and per version and category.

``receipts stats`` shows how a policy change played out: how many visitors each version asked,
how they chose (accept, reject, custom, GPC, withdraw), and how many of them had already chosen
under an earlier version (they were asked again because the consent revision changed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import aliased

from .receipt import ACTIONS
from .store import Store
from .tables import receipts

__all__ = ["CategoryCount", "VersionStats", "receipt_stats"]


@dataclass
class CategoryCount:
    """How often one category was granted and refused."""

    granted: int = 0
    refused: int = 0


@dataclass
class VersionStats:
    """Counts for one released version."""

    version: str
    receipts: int = 0
    visitors: int = 0
    asked_again: int = 0
    actions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    categories: dict[str, CategoryCount] = field(default_factory=dict)


def receipt_stats(store: Store) -> list[VersionStats]:
    """Counts per version, oldest version first."""
    out: dict[str, VersionStats] = {}

    def get(version: str) -> VersionStats:
        return out.setdefault(version, VersionStats(version))

    r = receipts.c
    for version, action, count in store.rows(select(r.version, r.action, func.count()).group_by(r.version, r.action)):
        stats = get(version)
        stats.actions[action] = stats.actions.get(action, 0) + int(count)
        stats.receipts += int(count)
    for version, visitors in store.rows(select(r.version, func.count(distinct(r.consent_id))).group_by(r.version)):
        get(version).visitors = int(visitors)
    earlier = aliased(receipts)
    before = exists().where(and_(earlier.c.consent_id == r.consent_id, earlier.c.version < r.version))
    for version, again in store.rows(
        select(r.version, func.count(distinct(r.consent_id))).where(before).group_by(r.version)
    ):
        get(version).asked_again = int(again)
    for rows in store.chunks([r.version, r.granted, r.refused]):
        for row in rows:
            counts = get(row.version).categories
            for category in json.loads(row.granted):
                counts.setdefault(category, CategoryCount()).granted += 1
            for category in json.loads(row.refused):
                counts.setdefault(category, CategoryCount()).refused += 1
    return [out[v] for v in sorted(out)]
