"""Escalation chains that go on until someone answers: each step row says which repeat round it
belongs to (0: the chain's first pass; 1, 2, ...: the on-call and last-resort steps sent again).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalation_steps") as batch:
        batch.add_column(sa.Column("repeat", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("escalation_steps") as batch:
        batch.drop_column("repeat")
