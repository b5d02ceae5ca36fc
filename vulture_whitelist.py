"""Names vulture cannot see used (``make lint`` runs ``vulture policyforge vulture_whitelist.py``).

Only true false positives belong here: code called by a framework, never by our own code. Dead code
is deleted, not listed. Regenerate candidates with ``vulture policyforge --make-whitelist``.
"""

# ruff: noqa
# mypy: ignore-errors

# click: commands are registered by their decorator; a callback's (ctx, param, value) signature is click's.
widget_cmd
new_cmd
serve_cmd
migrate_cmd
show_cmd
export_cmd
stats_cmd
status_cmd
mark_cmd
init_cmd
freeze_cmd
ctx
param

# MkDocs: plugin events and the config's validation hook are called by MkDocs; `dirty` is on_startup's signature.
_.on_config
_.on_files
_.on_env
_.on_page_context
_.on_template_context
_.on_page_markdown
_.on_page_content
_.get_command  # click calls it (cli/main.py: the lazy group)
_.list_commands
_.on_post_page
_.on_post_template
_.on_post_build
_.on_build_error
_.on_serve
run_validation
dirty
_.toc  # a theme rendering reads page.toc

# Alembic reads a revision file's module attributes and calls its functions.
down_revision
branch_labels
depends_on
downgrade

# html.parser.HTMLParser calls these.
_.handle_starttag
_.handle_startendtag
_.handle_endtag
_.handle_data
_.handle_comment

# Attributes a library reads: socketserver, logging, markdown-it-py.
_.daemon_threads
_.disabled
_.validateLink

# pydantic: model_config and validators are read by pydantic; fields read by templates and model_dump().
model_config
_._valid_email
_._row_lengths
_._server_sets_cookies
_._not_reserved
_._unique_documents
_._absolute_source
domain  # Cookie.domain, in the cookie tables' template
save  # BannerTexts: serialised into the banner's configuration
policy_link
settings_title
always_on
changed_link
chosen_on
privacy_choices
enabled  # PluginOptions.enabled, read by MkDocs' plugin config as self.config["enabled"]
_._reachable  # facts.py: model validators, called by pydantic
_._one_form
_._consequence
logic  # AutomatedDecision and Activity.sensitive: facts published in policy.json (model_dump)
significance
consequences
sensitive
supervisory_authority  # Controller: read by name in completeness.py (_CONTROLLER_FACTS)
recipient  # Cookie.recipient: checked by fact_refs.py on the YAML, published in policy.json

# Jinja2 templates read these.
dir  # PartNote.dir, in policy/body.md and policy/parts.html

# The words policyforge hands the theme (site/inject.py ThemeWords): read by the template overrides
# (mkdocs_plugin/overrides/404.html, partials/copyright.html).
_.not_found
_.made_with
_.__getattr__  # the package's lazy names (PEP 562: policyforge/__init__.py)
_.__dir__
