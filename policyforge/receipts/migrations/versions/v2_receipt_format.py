"""Schema version 2: the receipt format of each row (``format``); rows stored before it are format 1.

A format 2 receipt names the consent revision only, and its row holds the version (and sha256) the
service resolved from the revision and the time it arrived.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "2"
down_revision = "1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pf_receipts", sa.Column("format", sa.SmallInteger(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("pf_receipts", "format")
