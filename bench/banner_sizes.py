"""The banner's weight by number of site languages (issues 16.5 and 25.7), for the example policy; no browser.

    .venv/bin/python bench/banner_sizes.py

The banner comes in two stages (docs/embedding.md, "Two stages"): the first stage, one file per site language,
is what a page loads; the second (the settings layer, the cookie tables, every language) comes on demand.
Prints, gzip -9, for the example site with two site languages (its own: the original and its translation) and
with five (those and three built-in ones): each first stage, the second stage, and the full banner (the
largest first stage plus the second); and what each built-in language adds to the second stage on its own.
Then a PASS/FAIL line per target: every first stage within 3,000 bytes, with two and with five site languages
(issue 25.7: whatever the number of languages), and each built-in language within 500 bytes (issue 16).
``banner_bench.py`` prints the same section. Exit code 1 when a target fails.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyforge.banner import assemble as widget  # noqa: E402
from policyforge.banner.config import banner_config  # noqa: E402
from policyforge.banner.languages import BannerLanguage, banner_languages, builtin_languages  # noqa: E402
from policyforge.banner.stages import banner_files  # noqa: E402
from policyforge.site.build import prepare  # noqa: E402
from policyforge.source.options import read_project  # noqa: E402

MAX_FIRST_STAGE = 3000  # issue 25.7: the first stage within 3,000 bytes gzip, whatever the number of languages
MAX_PER_LANGUAGE = 500  # issue 16: each extra language adds at most 500 bytes gzip
MORE = ("fr", "es", "it")  # the built-in languages that make the example's two site languages five
EU = (
    "en",
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
)


def gz(text: str) -> int:
    return len(gzip.compress(text.encode("ascii"), 9))


def sizes(config_file: Path = ROOT / "mkdocs.yml") -> dict[str, object]:
    """The figures, in bytes gzip -9: per site-language count, each first stage and the second stage."""
    options = read_project(config_file)
    inputs = prepare(options)
    policy = inputs.current

    def config(langs: list[BannerLanguage]) -> dict[str, object]:
        return banner_config(
            policy,
            policy_url=options.url(),
            changes_url=options.url("changes/since/{revision}/"),
            language=options.language,
            others=langs,
        )

    def stages(langs: list[BannerLanguage]) -> dict[str, object]:
        files = banner_files(config(langs))
        return {"first": {lang: gz(text) for lang, text in files.first.items()}, "second": gz(files.settings)}

    own = banner_languages(options, policy)
    taken = {options.language, *(lang.lang for lang in own)}
    five = own + [BannerLanguage(lang, policy) for lang in MORE if lang not in taken][: 5 - len(taken)]
    one = gz(widget.assemble_settings(config([])))
    alone = {
        lang: gz(widget.assemble_settings(config([BannerLanguage(lang, policy)]))) - one
        for lang in builtin_languages()
        if lang != options.language
    }
    return {"two": stages(own), "five": stages(five), "alone": alone}


def report(figures: dict[str, object]) -> list[tuple[str, bool, str]]:
    """Print the table; return the targets as (name, passed, detail)."""
    alone: dict[str, int] = figures["alone"]  # type: ignore[assignment]
    print("banner size by site languages (example policy, gzip -9):")
    out = []
    for key in ("two", "five"):
        sized: dict[str, object] = figures[key]  # type: ignore[assignment]
        first: dict[str, int] = sized["first"]  # type: ignore[assignment]
        second: int = sized["second"]  # type: ignore[assignment]
        largest = max(first.values())
        print(
            f"  {len(first)} languages ({' '.join(first)}): first stage "
            + ", ".join(f"{lang} {size:,} B" for lang, size in first.items())
            + f"; second stage {second:,} B; full (first + second) {largest + second:,} B"
        )
        out.append(
            (
                f"first stage <= {MAX_FIRST_STAGE} B with {len(first)} site languages",
                largest <= MAX_FIRST_STAGE,
                f"largest {largest:,} B ({max(first, key=lambda lang: first[lang])}); full {largest + second:,} B",
            )
        )
    worst = max(alone, key=lambda lang: alone[lang])
    print(
        f"  each built-in language on its own, added to the second stage: +{min(alone.values())} to "
        f"+{alone[worst]} B ({worst}); " + " ".join(f"{lang} {added}" for lang, added in sorted(alone.items()))
    )
    out.append(
        (
            f"each built-in language adds <= {MAX_PER_LANGUAGE}",
            alone[worst] <= MAX_PER_LANGUAGE,
            f"max {alone[worst]} B ({worst})",
        )
    )
    return out


def main() -> int:
    results = report(sizes())
    width = max(len(name) for name, _, _ in results)
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name:<{width}}  {detail}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
