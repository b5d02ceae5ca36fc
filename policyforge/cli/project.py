"""The project commands: ``check``, ``new``, ``build``, ``serve``, ``schema`` and ``widget``.

Loaded by :mod:`policyforge.cli.main` only when one of them runs (or ``--help`` lists them).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from ..banner.config import banner_script, write_banner
from ..banner.failsafe import embed_snippet
from ..banner.handoff import snippet as handoff_snippet
from ..banner.languages import banner_languages
from ..banner.stages import BannerFiles
from ..errors import BuildError, PolicyError
from ..mkdocs_plugin.scaffold import DEFAULT_COUNTRY, NewProject, new_project
from ..site import build as site
from ..site.check import check_project
from ..site.urls import check_url
from ..source import editor_schema as schema_mod
from ..source.documents import document_options
from ..source.numbering import numbered_sections
from ..source.options import ProjectOptions, read_project
from ..source.revision import consent_revision
from .common import (
    config_option,
    document_option,
    echo,
    plural,
    print_lint_error,
    report_errors,
)

__all__ = ["build", "check", "new_cmd", "schema", "serve", "widget_cmd"]


@click.command()
@config_option
@click.option("--strict", is_flag=True, help="Treat lint warnings as errors.")
@document_option
@report_errors
def check(config_file: Path, strict: bool, document: str | None) -> None:
    """Validate the policy source, its translations, and lint it, without building anything.

    Every released version is checked against versions.lock (its hash); they were validated when
    released, and `policyforge build` reads them all again. Without --document, every document of
    the project is checked, and the `doc:` links between them.
    """
    report = check_project(read_project(config_file, draft=True), document, strict=strict)
    for doc in report.documents:
        for line in doc.warnings:
            echo(line, err=True)
        for finding in doc.lint:
            echo(str(finding), err=True)
        if doc.lint_error is not None:
            print_lint_error(doc.lint_error)
            continue
        policy = doc.policy
        sections = sum(1 for _ in numbered_sections(policy.sections))
        consent = (
            f"{plural(len(policy.categories), 'consent category', 'consent categories')}, "
            f"consent revision {consent_revision(policy)}"
            if policy.consent
            else "no consent block"
        )
        echo(f"OK: {doc.options.display(doc.options.policy_file)} is valid: {plural(sections, 'section')}, {consent}.")
        for count in doc.translations:
            tail = "; `policyforge translate status` shows what changed." if count.stale else "."
            echo(
                f"Translation {count.lang} ({count.file}): {count.current} current, {count.stale} "
                f"stale, {count.missing} missing{tail}"
            )
    if report.failed:
        sys.exit(1)


@click.command("new")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--product", default=NewProject.product, show_default=True, help="The product the policy covers.")
@click.option(
    "--language", default=NewProject.language, show_default=True, help="The policy's language (a language tag)."
)
@click.option(
    "--country",
    default=None,
    help="ISO 3166 code written as the controller's and the hosting recipient's `country`. Not given: "
    f"{DEFAULT_COUNTRY}, and the TODOs beside them say it is only the default.",
)
@report_errors
def new_cmd(directory: Path, product: str, language: str, country: str | None) -> None:
    """Start a new project in DIRECTORY (created, or empty): mkdocs.yml and a skeleton policy to fill in.

    Every value still to be written reads TODO: `policyforge check` lists them with their lines, and
    `policyforge release` refuses the draft until none is left; in a language other than English, so do
    the skeleton's English titles and cookie texts. The site publishes the policy only.
    """
    for path in new_project(directory, NewProject(product=product, language=language, country=country)):
        echo(f"Wrote {path}")
    echo(
        f"Next: cd {directory}, fill in the TODOs that `policyforge check` lists, and preview the site with "
        "`policyforge serve`."
    )


@click.command()
@config_option
@click.option("--draft", is_flag=True, help="Also publish the draft at /draft/.")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, help="Output folder (default: site_dir).")
@report_errors
def build(config_file: Path, draft: bool, site_dir: Path | None) -> None:
    """Build the site into site/ (atomically: a failed build leaves the old site untouched)."""
    started = time.perf_counter()  # the "Built in" line covers the whole command
    from ..mkdocs_plugin import engine

    options = read_project(config_file, draft=draft or None, site_dir=site_dir)
    result = site.build_site(options, lambda inputs: engine.build(config_file, prepared=inputs))
    inputs = result.inputs
    for finding in result.lint:
        echo(str(finding), err=True)
    options = inputs.options  # the site's main document (its source folder, when there are several)
    took = time.perf_counter() - started
    echo(f"Built {options.display(result.site_dir)}/ ({plural(result.pages, 'page')}) in {took:.1f} s.")
    if result.banner:
        config, files = site.shown_banner(inputs)
        echo("Embed the consent banner in your product, first in <head> (before any Google tag):")
        _print_embeddings(files, config, lambda name: options.url("consent/" + name))
        for rel in inputs.history.upcoming():
            upcoming, _ = handoff_snippet(options, inputs.history, rel)
            if upcoming == result.banner:  # it shows the same banner: the same file, nothing to swap
                continue
            echo(
                f"Published ahead: consent/{upcoming}, the banner of the release {rel.date}; a pinned "
                f"snippet switches to it on that day (`policyforge versions --handoff {rel.date}`)."
            )
    echo(f"Consent revision {inputs.revision}. Serve it with: policyforge serve")


@click.command()
@config_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--draft/--no-draft", default=True, show_default=True, help="Publish the draft at /draft/.")
@report_errors
def serve(config_file: Path, dev_addr: str, draft: bool) -> None:
    """Serve the site with live reload while you edit; while the policy has problems, every page lists them."""
    from ..mkdocs_plugin import engine

    engine.serve(config_file, dev_addr=dev_addr, draft=draft)


@click.command()
@config_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the policy's schema (default: policy.schema.json in the source folder); the "
    "translation files' schema, translation.schema.json, goes next to it.",
)
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if a file on disk is stale; write nothing.")
@report_errors
def schema(config_file: Path, out: Path | None, check_only: bool) -> None:
    """Write the JSON Schemas (draft 2020-12) that editors use to autocomplete policy.yaml and translation files."""
    target = out or _source_dir(config_file) / "policy.schema.json"
    files = (
        (target, schema_mod.schema_text()),
        (target.with_name(schema_mod.TRANSLATION_SCHEMA_FILE), schema_mod.translation_schema_text()),
    )
    if check_only:
        stale = [path for path, text in files if (path.read_text(encoding="utf-8") if path.is_file() else "") != text]
        for path in stale:
            echo(f"{path} is stale; run `policyforge schema`", err=True)
        if stale:
            sys.exit(1)
        echo(" and ".join(str(path) for path, _ in files) + " are up to date.")
        return
    for path, text in files:
        try:
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise BuildError(f"cannot write {path}: {exc.strerror or exc}", hint="") from None
        echo(f"Wrote {path}")


def _source_dir(config_file: Path) -> Path:
    try:
        return document_options(read_project(config_file), None).source
    except PolicyError:
        return Path("policy_source")


@click.command("widget")
@config_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the banner into (each language's first stage and the second stage).",
)
@click.option(
    "--policy-url",
    default=None,
    help="Page where the policy is published; the cookie section's #anchor is added unless the URL has "
    "one. Default: the site_url of this project.",
)
@click.option(
    "--changes-url",
    default=None,
    help="Page listing what changed since a consent revision, with {revision} in it (e.g. "
    "https://example.com/privacy/changes/{revision}). Default: this project's change pages when it "
    "has releases and no --policy-url is given; otherwise none.",
)
@report_errors
def widget_cmd(config_file: Path, out: Path, policy_url: str | None, changes_url: str | None) -> None:
    """Write the consent banner alone, to embed in any site (for example one not built with MkDocs)."""
    options: ProjectOptions = read_project(config_file)
    inputs = site.prepare(options, pages=False)  # the banner's policy only: no release is diffed
    if policy_url is None and not options.site_url:
        raise BuildError(
            "the banner needs to link to the published policy: pass --policy-url, or set site_url in mkdocs.yml",
            hint="",
        )
    if changes_url is None:
        releases = bool(inputs.history.releases) and policy_url is None
        changes_url = options.url("changes/since/{revision}/") if releases else ""
    if changes_url and "{revision}" not in changes_url:
        raise BuildError(f"--changes-url {changes_url!r} needs a {{revision}} placeholder")
    if policy_url is not None:
        check_url(policy_url, "--policy-url")
    if changes_url:
        check_url(changes_url, "--changes-url", placeholder=True)
    shown = next((r for r in inputs.history.releases if r.date == inputs.version), None)
    config, files = banner_script(
        inputs.current,
        policy_url=policy_url or options.url(),
        changes_url=changes_url,
        revision=shown.consent_revision if shown else None,
        released=shown is not None,
        language=options.language,
        others=banner_languages(options, inputs.current, with_changes=bool(changes_url), history=inputs.history),
    )
    try:
        name = write_banner(files, out)
        (out / "consent.config.json").write_text(
            json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline=""
        )
    except OSError as exc:
        raise BuildError(f"cannot write the banner into {out}: {exc.strerror or exc}", hint="") from None
    echo(
        f"Wrote {out / 'consent.js'}, {out / name} and their second stage; serve the folder from your site and "
        "embed the file of the page's language first in <head> (before any Google tag):"
    )
    _print_embeddings(files, config, "/path/to/".__add__)
    echo(f"(Each loads {files.settings_name}, from the same folder, when the visitor opens the settings.)")


def _print_embeddings(files: BannerFiles, config: Mapping[str, Any], url: Callable[[str], str]) -> None:
    """The failure-safe snippet of each language's first stage, served at ``url(file name)``: the stub and async
    tag, the CSP sources it needs (the same for every language) and the settings link (banner/failsafe.py)."""
    languages = config.get("languages") or {}
    for lang, name in files.names().items():
        spoken = {**config, "policyUrl": languages[lang]["policyUrl"]} if lang in languages else config
        embedding = embed_snippet(url(name), files.first[lang], spoken)
        if lang in languages:
            echo(f"Pages in {lang}: its own first stage (the same CSP sources), and its settings link:")
        for line in embedding.head.splitlines():
            echo("  " + line)
        if lang not in languages:
            echo(f"Under a Content-Security-Policy, add to script-src: {' '.join(embedding.csp)}")
            echo('In the page\'s footer, a "Cookie settings" link (it leads to the policy if the banner cannot load):')
        echo("  " + embedding.settings)
