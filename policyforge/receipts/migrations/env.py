"""Alembic's environment for the receipts database: it runs on the connection ``tables.migrate`` hands it.

``tables.migrate`` holds the migration lock in that connection's transaction and commits it, so this only
configures the context and runs the revisions of ``versions/``. A new schema step is a new file there:
``revision`` the next integer (the schema version ``receipts migrate`` prints), ``down_revision`` the one
before, and its ``upgrade()`` written with :mod:`alembic.op`; never edit a released one.
"""

from __future__ import annotations

from alembic import context

from policyforge.receipts.tables import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
