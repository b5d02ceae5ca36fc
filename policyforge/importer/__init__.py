"""``policyforge import``: existing policies (Markdown, HTML, DOCX) and their history → policy YAML and releases."""

from .document import FORMATS, Imported, import_document, import_text
from .notes import Note
from .policy_yaml import Details, slug

__all__ = ["FORMATS", "Details", "Imported", "Note", "import_document", "import_text", "slug"]
