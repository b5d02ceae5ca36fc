"""Schema version 1: the receipts (``pf_receipts``), one row per receipt, and their indexes.

Written out column by column, not from ``tables.receipts``: a revision must create what it created when
it was released, whatever the table looks like later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pf_receipts",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("receipt_id", sa.String(36), nullable=False, unique=True),
        sa.Column("consent_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("granted", sa.String(4200), nullable=False),
        sa.Column("refused", sa.String(4200), nullable=False),
        sa.Column("revision", sa.String(12), nullable=False),
        sa.Column("version", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("gpc", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(40), nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("client_time", sa.String(40), nullable=False),
        sa.Column("server_time", sa.DateTime(), nullable=False),
    )
    op.create_index("pf_receipts_consent_id", "pf_receipts", ["consent_id"])
    op.create_index("pf_receipts_server_time", "pf_receipts", ["server_time"])
    op.create_index("pf_receipts_version", "pf_receipts", ["version", "action"])


def downgrade() -> None:
    op.drop_table("pf_receipts")
