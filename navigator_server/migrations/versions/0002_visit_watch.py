"""Lone working: the table of open visits the overdue sweep watches, filled from the visits held.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(36)
TIME = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "visit_watch",
        sa.Column("visit_id", ID, primary_key=True),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("client_id", ID),
        sa.Column("ends_at", TIME, nullable=False),
    )
    op.create_index("ix_visit_watch_ends_at", "visit_watch", ["ends_at"])
    # Visits pushed before this revision: watched from now on like any other.
    from navigator_server import overdue

    overdue.rebuild_watch(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_visit_watch_ends_at", "visit_watch")
    op.drop_table("visit_watch")
