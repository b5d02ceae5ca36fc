"""Machine-readable data: ``/policy.json``, ``/versions.json`` and ``/versions/DATE/policy.json``.

Their JSON Schemas ship in ``policyforge/site/data_schemas/`` and are described in ``docs/data.md``; the
facts in ``policy.json`` (``controller``, ``processing``, ``recipients``) follow the model's own schema, copied
into ``policy-data.schema.json`` (a test fails when the copy is stale), and ``rights`` lists the rights the
notice owes (``fact_tables.owed_rights``).
The *current* version is the release in effect on the build date; ``/policy.json`` holds it.
Upcoming releases (dated later) are listed in ``versions.json`` with ``"current": false`` and
get their own ``/versions/DATE/policy.json``; so do announcements withdrawn before they took effect, with
``"withdrawn": {"on": DATE, "reason": TEXT}`` (null for every other release) and no ``changes_since``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ..history.classes import release_classes
from ..history.releases import Release
from ..source.model import Policy
from .fact_tables import owed_rights
from .inputs import SiteInputs
from .urls import changes_path, data_path, since_path, text_path

__all__ = ["DATA_FORMAT", "load_schema", "policy_data", "versions_data", "write_data"]

DATA_FORMAT = 1


def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema by file name, e.g. ``versions.schema.json``."""
    text = resources.files("policyforge.site.data_schemas").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _urls(inputs: SiteInputs, rel: Release) -> dict[str, str]:
    """The URLs of a release's pages; a withdrawn announcement has no "changes since" page."""
    opts = inputs.options
    paths = {"text": text_path, "changes": changes_path, "changes_since": since_path, "data": data_path}
    if rel.withdrawn is not None:
        del paths["changes_since"]
    return {key: opts.url(path(rel.date)) for key, path in paths.items()}


def policy_data(inputs: SiteInputs, policy: Policy, rel: Release | None) -> dict[str, Any]:
    """One version of the policy as data (``rel`` None: the current policy of a project without releases)."""
    current = rel is None or rel is inputs.history.in_effect()
    return {
        "format": DATA_FORMAT,
        "version": rel.date if rel is not None else inputs.version,
        "current": current,
        "language": inputs.page_lang,
        "effective": policy.effective.isoformat() if policy.effective else None,
        "consent_revision": rel.consent_revision if rel is not None else inputs.revision,  # the original's
        "sha256": rel.sha256 if rel is not None else None,
        "urls": {"policy": inputs.options.url(""), **(_urls(inputs, rel) if rel is not None else {})},
        "rights": [
            {"right": right.key.removeprefix("right_"), "law": right.law, "article": right.article}
            for right in owed_rights(policy)
        ],
        "policy": policy.model_dump(mode="json"),
    }


def versions_data(inputs: SiteInputs) -> dict[str, Any]:
    """Every release as data, newest first (upcoming ones included, with ``current`` false)."""
    current = inputs.history.in_effect()
    return {
        "format": DATA_FORMAT,
        "current": current.date if current is not None else None,
        "consent_revision": inputs.revision,
        "versions": [
            {
                "effective": rel.date,
                "summary": rel.summary,
                "published": rel.published_on.isoformat(),
                "republished": rel.republished,
                "sha256": rel.sha256,
                "consent_revision": rel.consent_revision,
                "consent_relevant": rel.consent_relevant,
                "current": rel is current,
                "withdrawn": rel.withdrawn.as_data() if rel.withdrawn is not None else None,
                "kinds": list(release_classes(rel, inputs.changes.get(rel.date)).flags),
                "reclassified": {"as": "editorial", "reason": rel.reclassified.reason} if rel.reclassified else None,
                "notice_waived": rel.notice_waived or None,
                "urls": _urls(inputs, rel),
            }
            for rel in reversed(inputs.history.record())
        ],
    }


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="")


def write_data(inputs: SiteInputs, out_dir: Path) -> None:
    """Write ``policy.json``, ``versions.json`` and one ``policy.json`` per archived version."""
    current = inputs.history.in_effect()
    _dump(out_dir / "policy.json", policy_data(inputs, inputs.current, current))
    _dump(out_dir / "versions.json", versions_data(inputs))
    for rel in inputs.history.record():  # in a translated site, each release in its language
        text = inputs.release_texts.get(rel.date)
        _dump(out_dir / data_path(rel.date), policy_data(inputs, text.policy if text else rel.policy, rel))
