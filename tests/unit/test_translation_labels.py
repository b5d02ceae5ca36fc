"""A translation file's `labels`: fideslang keys' names in its language, for the facts' tables; an unknown key is
an error at its line with the closest keys as did-you-mean, and the names reach the translated policy."""

from __future__ import annotations

from pathlib import Path

from policyforge.source.loader import load_policy
from policyforge.translation.apply import translate_policy
from policyforge.translation.read import read_translation
from tests.conftest import FIXTURES

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
