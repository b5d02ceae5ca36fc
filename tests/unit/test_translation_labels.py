"""A translation file's `labels`: fideslang keys' names in its language, for the facts' tables; an unknown key is
an error at its line with the closest keys as did-you-mean, and the names reach the translated policy."""

from __future__ import annotations

from pathlib import Path

from policyforge.source.loader import load_policy
from policyforge.translation.apply import translate_policy
from policyforge.translation.edits import skeleton_text
from policyforge.translation.read import read_translation
from tests.conftest import FIXTURES, ROOT

POLICY = FIXTURES / "facts-site" / "policy_source" / "policy.yaml"


def test_labels_are_read_checked_and_carried_to_the_translated_policy(tmp_path: Path) -> None:
    policy = load_policy(POLICY)
    path = tmp_path / "de.yaml"
    path.write_text(
        "language: de\nlabels:\n  user.contact.email: E-Mail-Adresse\n  user.contact.emial: Tippfehler\n"
        "  user.name: [not, text]\n",
        encoding="utf-8",
    )
    translation, errors, _ = read_translation(path, policy, lang="de", display="de.yaml")
    assert translation is not None and translation.labels == {"user.contact.email": "E-Mail-Adresse"}
    messages = [str(e) for e in errors]
    assert any(
        "de.yaml:4" in m
        and "unknown fideslang data category or data use 'user.contact.emial'" in m
        and "did you mean 'user.contact.email'?" in m
        for m in messages
    ), messages
    assert any("de.yaml:5" in m and "expected the name in this language" in m for m in messages), messages
    assert translate_policy(policy, translation).labels == {"user.contact.email": "E-Mail-Adresse"}


def test_the_skeleton_offers_the_labels_the_processing_table_shows(tmp_path: Path) -> None:
    policy = load_policy(POLICY)
    text = skeleton_text(policy, "fr")
    offered = text[text.index("# labels:\n") :]
    assert offered.splitlines()[1:] == [
        "#   user.contact.email: User Contact Email",
        "#   user.name: Name",
        "#   user.device.cookie_id: Cookie ID",
    ]
    path = tmp_path / "fr.yaml"  # uncommented, they read back as labels
    uncommented = "".join(line[2:] + "\n" for line in offered.splitlines())
    path.write_text(text.replace(offered, uncommented), encoding="utf-8")
    translation, errors, _ = read_translation(path, policy, lang="fr")
    assert not errors and translation is not None and translation.labels["user.device.cookie_id"] == "Cookie ID"
    # a release without `include: processing` shows no labels, so its skeleton offers none
    assert "labels" not in skeleton_text(load_policy(ROOT / "policy_source" / "versions" / "2025-09-01.yaml"), "fr")
