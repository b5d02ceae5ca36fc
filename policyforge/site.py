"""Engine-agnostic site build: which pages exist, what extra files are written, atomic swap.

A site engine adapter (the MkDocs plugin) asks :func:`prepare` for the validated inputs,
feeds :func:`generate_pages` to its own page pipeline, then calls :func:`write_outputs`
and :func:`swap_in`. Nothing here imports a site engine.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import widget
from .consent import banner_config, consent_revision
from .errors import BuildError
from .load import load_policy
from .model import Policy
from .project import ProjectOptions
from .render import format_date, policy_body_markdown

__all__ = [
    "ASSET_CSS",
    "SiteInputs",
    "build_into",
    "generate_pages",
    "prepare",
    "relative_url",
    "swap_in",
    "write_outputs",
]

ASSET_CSS = "assets/policyforge.css"


@dataclass(frozen=True)
class SiteInputs:
    """Validated inputs of one build."""

    options: ProjectOptions
    current: Policy
    version: str

    @property
    def revision(self) -> str:
        return consent_revision(self.current)


def prepare(options: ProjectOptions) -> SiteInputs:
    """Load and validate everything; raises a PolicyError before anything is written."""
    policy = load_policy(options.policy_file, allow_html=options.allow_html,
                         display=options.display(options.policy_file))
    version = policy.effective.isoformat() if policy.effective else "draft"
    return SiteInputs(options=options, current=policy, version=version)


def relative_url(from_page: str, target: str) -> str:
    """Relative URL from a page URL (``versions/2025-03-01/``) to a site path (``consent/consent.js``)."""
    depth = from_page.strip("/").count("/") + 1 if from_page.strip("/") else 0
    return "../" * depth + target.lstrip("/")


def _meta_html(inputs: SiteInputs) -> str:
    policy = inputs.current
    return (f'<p class="pf-meta"><span>Effective Date: <time datetime="{policy.effective or ""}">'
            f"{format_date(policy.effective)}</time></span><br><span>Last Updated: "
            f'<time datetime="{policy.updated or ""}">{format_date(policy.updated)}</time></span></p>')


def generate_pages(inputs: SiteInputs) -> dict[str, str]:
    """Generated page sources, keyed by path (``index.md``); values are Markdown."""
    policy = inputs.current
    title = f"{policy.title} — {policy.product}"
    index = (f"---\ntitle: {json.dumps(title)}\n---\n\n# {_md_title(title)}\n\n"
             + policy_body_markdown(policy, meta_html=_meta_html(inputs)))
    return {"index.md": index}


def _md_title(text: str) -> str:
    from .markdown_safe import escape_md_line

    return escape_md_line(text)


def write_outputs(inputs: SiteInputs, out_dir: Path) -> None:
    """Write every non-page output (banner, data files, demo, stylesheet) into ``out_dir``."""
    policy = inputs.current
    base = inputs.options.base_path
    (out_dir / "assets").mkdir(parents=True, exist_ok=True)
    (out_dir / ASSET_CSS).write_text(_asset("policyforge.css"), encoding="utf-8")
    well_known = out_dir / ".well-known"
    well_known.mkdir(exist_ok=True)
    gpc = {"gpc": True, "lastUpdate": (policy.effective or policy.updated or "").__str__()}
    (well_known / "gpc.json").write_text(json.dumps(gpc, indent=2) + "\n", encoding="utf-8")
    if inputs.options.banner:
        config = banner_config(policy, policy_url=base, changes_url=base + "changes/since/{version}/",
                               version=inputs.version)
        script = widget.assemble(config)
        consent_dir = out_dir / "consent"
        consent_dir.mkdir(exist_ok=True)
        (consent_dir / "consent.js").write_text(script, encoding="utf-8")
        (consent_dir / f"consent.{widget.content_hash(script)}.js").write_text(script, encoding="utf-8")


def _asset(name: str) -> str:
    return resources.files("policyforge.assets").joinpath(name).read_text(encoding="utf-8")


def build_into(site_dir: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(tmp)`` in a fresh temporary sibling of ``site_dir``, then swap it in.

    If ``build`` raises, the previous ``site_dir`` is untouched and the temporary directory removed.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in site_dir.parent.glob(f".{site_dir.name}.*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".tmp", dir=site_dir.parent))
    try:
        build(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site_dir)


def swap_in(new: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``new`` with two renames (the old tree is removed afterwards)."""
    new.chmod(0o755)
    old = site_dir.with_name(f".{site_dir.name}.old.tmp")
    if old.exists():
        shutil.rmtree(old)
    try:
        if site_dir.exists():
            os.rename(site_dir, old)
        os.rename(new, site_dir)
    except OSError as exc:
        raise BuildError(f"could not replace {site_dir}: {exc}") from exc
    shutil.rmtree(old, ignore_errors=True)
