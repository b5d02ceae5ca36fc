"""``policyforge new DIR``: a new project with a skeleton policy, like ``mkdocs new``.

The project holds ``mkdocs.yml`` with the plugin, ``policy_source/policy.yaml`` (every fact the
completeness check asks for, its unknown values as ``TODO`` placeholders that ``check`` lists and
``release`` refuses: in a language other than English its own English words too, and the country when
none is given, in the TODOs beside it), the editors' JSON Schemas and an empty ``docs/``: none of policyforge's own
documentation, so the site publishes the policy and nothing else. The files are the Jinja2
templates of ``skeleton/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import TypeAdapter, ValidationError

from ..errors import BuildError
from ..source import editor_schema
from ..source.facts import Country
from ..source.options import check_option

__all__ = ["DEFAULT_COUNTRY", "NewProject", "new_project"]

_SKELETON = {"mkdocs.yml": "mkdocs.yml", "policy_source/policy.yaml": "policy.yaml"}


#: The country written when none is given; the TODOs beside each ``country`` then say it is only a default.
DEFAULT_COUNTRY = "DE"


@dataclass(frozen=True)
class NewProject:
    """What to write: the product's name, the documents' language and the country (None: not given, so
    :data:`DEFAULT_COUNTRY`, which the TODOs beside it flag)."""

    product: str = "Your Product"
    language: str = "en"
    country: str | None = None


def _words(language: str, text: str) -> str:
    """The skeleton's own English ``text`` (a title, a cookie's purpose): as it is in an English policy, else a
    placeholder asking for it in ``language``, so that ``check`` lists it and ``release`` refuses it."""
    return text if language.lower().split("-")[0] == "en" else f"TODO: in {language}: {text}"


def _yaml(value: str) -> str:
    """``value`` as a YAML scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("policyforge.mkdocs_plugin", "skeleton"),
        autoescape=False,  # YAML, not HTML: every value goes through the `yaml` filter
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a line holding only {% if %} or {% endif %} leaves nothing behind
    )
    env.filters["yaml"] = _yaml
    return env


def new_project(target: Path, project: NewProject | None = None) -> list[Path]:
    """Write a new project into ``target`` (absent or empty); the files written, in order.

    Raises :class:`BuildError` for a folder that holds anything, a language that is no language tag or a
    country that is no ISO 3166 code.
    """
    project = project or NewProject()
    check_option("language", project.language)
    try:
        country = TypeAdapter(Country).validate_python(project.country or DEFAULT_COUNTRY)
    except ValidationError as exc:
        raise BuildError(f"--country: {exc.errors()[0]['ctx']['error']}", hint="") from None
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BuildError(
            f"{target} already exists and is not an empty folder; `policyforge new` never overwrites a file",
            hint="Name a new folder (it is created), or an empty one.",
        )
    env = _environment()
    values = {
        "product": " ".join(project.product.split()),
        "language": project.language,
        "country": country,
        "assumed": project.country is None,
        "words": partial(_words, project.language),
    }
    written = []
    try:
        for name, template in _SKELETON.items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(env.get_template(template).render(values), encoding="utf-8", newline="")
            written.append(path)
        schemas = target / "policy_source" / "policy.schema.json"
        for path, text in (
            (schemas, editor_schema.schema_text()),
            (schemas.with_name(editor_schema.TRANSLATION_SCHEMA_FILE), editor_schema.translation_schema_text()),
        ):
            path.write_text(text, encoding="utf-8", newline="")
            written.append(path)
        (target / "docs").mkdir()  # MkDocs needs its docs_dir; a page put there is published too
        (target / "docs" / ".gitkeep").touch()  # so that a clone has it (MkDocs skips dot files)
    except OSError as exc:
        raise BuildError(f"cannot write the new project into {target}: {exc.strerror or exc}", hint="") from None
    return written
