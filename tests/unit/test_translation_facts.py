"""The facts' prose is translated like the sections: activities, recipients and the controller by id in the
translation file, each a part with its own fingerprint, checked against the original's shape, marked, made stale
by a change of its own prose only (never by data, never by facts added), and offered by the skeleton."""

from __future__ import annotations

from pathlib import Path

from policyforge.cli.main import main
from policyforge.history.releases import load_history
from policyforge.source.loader import load_policy
from policyforge.source.options import read_project
from policyforge.translation.apply import translate_policy
from policyforge.translation.edits import mark_translation, skeleton_text
from policyforge.translation.read import read_translation
from tests.conftest import ROOT, copy_project, invoke

SOURCE = ROOT / "policy_source"
FACT_KEYS = {"activity", "recipient", "controller"}


def _german(policy_path: Path = SOURCE / "policy.yaml", translation: Path = SOURCE / "translations" / "de.yaml"):  # type: ignore[no-untyped-def]
    policy = load_policy(policy_path)
    found, errors, _ = read_translation(translation, policy, lang="de")
    assert not errors and found is not None
    return policy, found


def test_the_example_translates_every_fact_and_each_part_is_current() -> None:
    policy, translation = _german()
    german = translate_policy(policy, translation)
    facts = {k: s.status for k, s in german.states.items() if s.kind in FACT_KEYS}
    assert len(facts) == len(policy.processing) + len(policy.recipients) + 1
    assert set(facts.values()) == {"current"}
    activity = {a.id: a for a in german.policy.processing}["security"]
    assert activity.title == "Gewährleistung der Sicherheit der Plattform und Verhinderung von Missbrauch"
    assert activity.legitimate_interest == "GPT Image 2 sicher zu halten und Missbrauch und Betrug zu verhindern"
    assert activity.legal_basis == "legitimate_interests" and activity.data_use == "essential.service.security"
    images = {a.id: a for a in german.policy.processing}["image-generation"]
    assert images.required is not None and images.required.basis == "contractual"
    assert images.required.consequence is not None and images.required.consequence.startswith("Ohne Ihre Prompts")
    names = {r.id: (r.name, r.country) for r in german.policy.recipients}
    assert names == {  # a legal name is left to the original; a description is translated
        "ai-providers": ("KI-Anbieter", "US"),
        "stripe": ("Stripe", "US"),
        "cloud-infrastructure": ("Anbieter für Analyse und Infrastruktur", "IE"),
    }
    assert german.policy.controller.address == "1 Example Street, Dublin 2, Irland"
    assert german.policy.controller.email == policy.controller.email


def test_adding_facts_made_no_translated_part_stale() -> None:
    """The German frozen with 2025-09-01 (before the facts) reads the same on the release that added them."""
    history = load_history(read_project(ROOT / "mkdocs.yml"))
    before, after = history.get("2025-09-01").policy, history.get("2026-12-06").policy
    frozen = SOURCE / "versions" / "2025-09-01.de.yaml"
    _, old = _german(SOURCE / "versions" / "2025-09-01.yaml", frozen)
    on_before = {k: s.status for k, s in translate_policy(before, old).states.items()}
    on_after = translate_policy(after, old).states
    assert {k: s.status for k, s in on_after.items() if s.kind not in FACT_KEYS} == on_before
    assert {s.status for s in on_after.values() if s.kind in FACT_KEYS} == {"missing"}  # not translated then


def _status(project: Path) -> dict[str, str]:
    policy, translation = _german(project / "policy.yaml", project / "translations" / "de.yaml")
    return {k: s.status for k, s in translate_policy(policy, translation).states.items() if s.status != "current"}


def test_a_change_of_prose_makes_its_fact_stale_and_a_change_of_data_makes_nothing_stale(tmp_path: Path) -> None:
    copy_project(tmp_path / "p")
    source = tmp_path / "p" / "policy_source"
    policy = source / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    untouched = _status(source)
    assert untouched == {"international-transfers": "stale"}  # the example's deliberate one
    data = text.replace("    sold_or_shared: true\n", "    sold_or_shared: false\n").replace(
        "country: IE\n\nconsent:", "country: FR\n\nconsent:"
    )
    data = data.replace("legal_basis: legitimate_interests", "legal_basis: contract").replace(
        "    legitimate_interest: Keeping GPT Image 2 secure and preventing abuse and fraud\n", ""
    )
    assert data != text
    policy.write_text(data, encoding="utf-8")
    changed = _status(source)  # the legitimate interest is gone: its entry no longer fits (shown as missing)
    assert changed == {**untouched, "activity:security": "missing"}
    policy.write_text(text.replace("preventing abuse and fraud", "preventing fraud"), encoding="utf-8")
    assert _status(source) == {**untouched, "activity:security": "stale"}
    policy.write_text(
        text.replace("purpose: To handle transactions and billing", "purpose: To take payments"), encoding="utf-8"
    )
    assert _status(source) == {**untouched, "recipient:stripe": "stale"}
    policy.write_text(text.replace("1 Example Street", "2 Example Street"), encoding="utf-8")
    assert _status(source) == {**untouched, "controller": "stale"}


def test_translate_status_names_the_stale_fact_and_shows_what_changed(tmp_path: Path) -> None:
    config = copy_project(tmp_path / "p")
    policy = tmp_path / "p" / "policy_source" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace("purpose: To handle transactions and billing", "purpose: To take payments"), encoding="utf-8"
    )
    result = invoke(main, ["translate", "status", "de", "-f", str(config), "--document", "privacy"])
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "stale: recipient Stripe (stripe)" in line)
    assert lines[at].startswith("  policy_source/translations/de.yaml:")
    assert "translated from the text of the release 2026-12-06; the original changed in the draft" in lines[at + 1]
    assert lines[at + 2 : at + 4] == [
        "    - name: Stripe",
        "    - purpose: To [-handle transactions and billing-] {+take payments+}",
    ]


def _entry_errors(tmp_path: Path, entries: str) -> list[str]:
    path = tmp_path / "de.yaml"
    path.write_text("language: de\n" + entries, encoding="utf-8")
    _, errors, _ = read_translation(path, load_policy(SOURCE / "policy.yaml"), lang="de", display="de.yaml")
    return [f"{p.line}: {p.path}: {p.message}" for p in errors]


def test_a_fact_entry_is_checked_against_the_original(tmp_path: Path) -> None:
    entries = (
        "activities:\n"
        "  accounts:\n"
        "    title: Ihr Konto\n"
        "    legal_basis: Vertrag\n"
        "  acounts: {title: Tippfehler}\n"
        "recipients:\n"
        "  stripe: {name: Stripe}\n"
        "controller:\n"
        "  address: Dublin\n"
        "  email: x@example.com\n"
    )
    assert _entry_errors(tmp_path, entries) == [
        "3: activities.accounts: `retention.criteria` is missing: the original has it, so its translation must too",
        "3: activities.accounts: `required.consequence` is missing: the original has it, so its translation must too",
        "5: activities.accounts.legal_basis: `legal_basis` may not be translated: it is data and comes from the "
        "original",
        "6: activities.acounts: no activity 'acounts' in the original (did you mean 'accounts'?)",
        "8: recipients.stripe: `purpose` is missing: the original has it, so its translation must too",
        "11: controller.email: `email` may not be translated: it is data and comes from the original",
    ]
    # a legal name may be left to the original, a description of the recipient translated: both fit
    fits = "recipients:\n  stripe: {purpose: Zahlungen}\n  ai-providers: {name: KI-Anbieter, purpose: Bilder}\n"
    assert _entry_errors(tmp_path, fits) == []


def test_the_skeleton_offers_the_facts_and_mark_marks_them(tmp_path: Path) -> None:
    draft = load_policy(SOURCE / "policy.yaml")
    text = skeleton_text(draft, "fr")
    assert "activities:\n  image-generation:\n    title: Generate and edit images per your requests\n" in text
    assert "recipients:\n  ai-providers:\n    name: AI providers\n    purpose: To generate" in text
    assert "controller:\n  address: 1 Example Street, Dublin 2, Ireland\n" in text
    path = tmp_path / "fr.yaml"
    path.write_text(text, encoding="utf-8")
    translation, errors, _ = read_translation(path, draft, lang="fr")
    assert not errors and translation is not None
    states = translate_policy(draft, translation).states
    assert states["activity:accounts"].status == "missing"  # not marked yet: not shown
    marked = mark_translation(text, translation, draft, ["activity:accounts", "controller"]).text
    path.write_text(marked, encoding="utf-8")
    translation, errors, _ = read_translation(path, draft, lang="fr")
    assert not errors and translation is not None
    states = translate_policy(draft, translation).states
    assert states["activity:accounts"].status == states["controller"].status == "current"
    assert states["activity:payments"].status == "missing"
    assert f"controller:\n  translated_from: {states['controller'].fingerprint}\n  address:" in marked
