"""Write policyforge/source/taxonomy.json from fideslang's default taxonomy (run where fideslang imports).

`make taxonomy` runs it in a throwaway venv with the fideslang of scripts/taxonomy-requirements.txt;
tests/unit/test_taxonomy.py fails when the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parents[1] / "policyforge" / "source" / "taxonomy.json"


def taxonomy_data() -> dict[str, Any]:
    """Every active key of fideslang's default data uses, data categories and data subjects."""
    from fideslang import __version__
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    def entries(items: Any) -> dict[str, dict[str, Any]]:
        return {
            item.fides_key: {"name": item.name, "parent": getattr(item, "parent_key", None)}
            for item in sorted(items, key=lambda i: i.fides_key)
            if not item.version_deprecated
        }

    return {
        "fideslang": str(__version__).split("+")[0],
        "data_use": entries(DEFAULT_TAXONOMY.data_use),
        "data_category": entries(DEFAULT_TAXONOMY.data_category),
        "data_subject": entries(DEFAULT_TAXONOMY.data_subject),
    }


def render(data: dict[str, Any]) -> str:
    """The file's text: stable key order, one entry a line group, a final newline."""
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    """Write the file (``--check``: exit 1 when it differs instead)."""
    text = render(taxonomy_data())
    if "--check" in sys.argv[1:]:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
