"""The banner's weight by number of languages (issue 16.5), for the example policy; no browser needed.

    .venv/bin/python bench/banner_sizes.py

Prints the gzip -9 size of ``consent.js`` for the example policy in 1, 3 (en, de, fr) and 24 languages (the
official EU languages) with built-in texts, what each built-in language adds on its own, and what the example's
own German (its translation file: banner texts, categories and cookie purposes too) adds; then a PASS/FAIL line
per target: the one-language banner within 6,000 bytes (issue 13), each built-in language within 500 bytes, and
the example site's banner within 6,000 bytes plus 500 per extra language.
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
from policyforge.site.build import prepare  # noqa: E402
from policyforge.source.options import read_project  # noqa: E402

MAX_ONE_LANGUAGE = 6000  # issue 13: every feature of a trustworthy banner within 6,000 bytes gzip
MAX_PER_LANGUAGE = 500  # issue 16: each extra language adds at most 500 bytes gzip
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


def sizes(config_file: Path = ROOT / "mkdocs.yml") -> dict[str, object]:
    """The figures, in bytes gzip -9 of the assembled ``consent.js``."""
    options = read_project(config_file)
    inputs = prepare(options)
    policy = inputs.current

    def size(langs: list[BannerLanguage]) -> int:
        cfg = banner_config(
            policy,
            policy_url=options.url(),
            changes_url=options.url("changes/since/{revision}/"),
            language=options.language,
            others=langs,
        )
        return len(gzip.compress(widget.assemble(cfg).encode("ascii"), 9))

    def builtin(langs: tuple[str, ...]) -> list[BannerLanguage]:
        return [BannerLanguage(lang, policy) for lang in langs if lang != options.language]

    one = size([])
    alone = {lang: size(builtin((lang,))) - one for lang in builtin_languages() if lang != options.language}
    own = banner_languages(options, policy)
    return {
        "one": one,
        "three": size(builtin(("de", "fr"))),
        "eu": size(builtin(EU)),
        "alone": alone,
        "site_langs": [options.language, *(lang.lang for lang in own)],
        "site": size(own),
    }


def report(figures: dict[str, object]) -> list[tuple[str, bool, str]]:
    """Print the table; return the targets as (name, passed, detail)."""
    one, three, eu, site = (int(figures[k]) for k in ("one", "three", "eu", "site"))  # type: ignore[call-overload]
    alone: dict[str, int] = figures["alone"]  # type: ignore[assignment]
    site_langs: list[str] = figures["site_langs"]  # type: ignore[assignment]
    print("banner size by languages (example policy, gzip -9; built-in texts, categories untranslated):")
    print(f"  {'1 language (en)':<28} {one:>6,} B")
    print(f"  {'3 languages (en de fr)':<28} {three:>6,} B   +{(three - one) / 2:,.0f} B per extra language")
    print(f"  {'24 languages (EU)':<28} {eu:>6,} B   +{(eu - one) / 23:,.0f} B per extra language")
    worst = max(alone, key=lambda lang: alone[lang])
    print(
        f"  each language on its own: +{min(alone.values())} to +{alone[worst]} B ({worst}); "
        + " ".join(f"{lang} {added}" for lang, added in sorted(alone.items()))
    )
    if len(site_langs) > 1:
        print(
            f"  the example's site ({' '.join(site_langs)}, its own translations): {site:,} B, "
            f"+{site - one} B for {', '.join(site_langs[1:])} (its translated categories and cookie texts too)"
        )
    extra = len(site_langs) - 1
    limit = MAX_ONE_LANGUAGE + MAX_PER_LANGUAGE * extra
    return [
        (f"one-language banner <= {MAX_ONE_LANGUAGE}", one <= MAX_ONE_LANGUAGE, f"{one} B"),
        (
            f"each built-in language adds <= {MAX_PER_LANGUAGE}",
            alone[worst] <= MAX_PER_LANGUAGE,
            f"max {alone[worst]} B ({worst})",
        ),
        (
            f"example site's banner <= {MAX_ONE_LANGUAGE} + {MAX_PER_LANGUAGE} x {extra} extra",
            site <= limit,
            f"{site} B of {limit} B",
        ),
    ]


def main() -> int:
    results = report(sizes())
    width = max(len(name) for name, _, _ in results)
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name:<{width}}  {detail}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
