"""Every version of every record: one row per operation applied, for subject access requests.

Operations applied before this revision left only their current values (records) and their
applied_ops rows: their earlier versions were not kept and cannot be rebuilt.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.String(36)
TIME = sa.String(32)
JSONDOC = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("client_id", ID),
        sa.Column("seq", sa.BigInteger),
        sa.Column("op_id", ID, nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("device_id", ID, nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("applied_at", TIME, nullable=False),
        sa.Column("changes", JSONDOC, nullable=False),
    )
    op.create_index("ix_record_versions_client", "record_versions", ["client_id"])
    op.create_index("ix_record_versions_record", "record_versions", ["record_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_record_versions_record", "record_versions")
    op.drop_index("ix_record_versions_client", "record_versions")
    op.drop_table("record_versions")
