"""Lone-working escalation: chains of alerts, their claimed steps, staff contact details, the
single-use acknowledgement tokens and the key that signs them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.String(36)
TIME = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "staff_contacts",
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("email", sa.String(254)),
        sa.Column("mobile", sa.String(32)),
        sa.Column("channels", sa.String(100), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "escalations",
        sa.Column("id", ID, primary_key=True),
        sa.Column("visit_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("ended_at", TIME),
        sa.Column("ended_why", sa.String(40)),
        sa.Column("acknowledged_by", ID),
    )
    op.create_index("ix_escalations_visit_id", "escalations", ["visit_id"])
    op.create_table(
        "escalation_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("escalation_id", ID, sa.ForeignKey("escalations.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("claimed_until", TIME),
        sa.Column("claimed_by", sa.String(80)),
        sa.Column("done_at", TIME),
        sa.UniqueConstraint("escalation_id", "position", name="uq_escalation_steps_position"),
    )
    op.create_index("ix_escalation_steps_status_next", "escalation_steps", ["status", "next_attempt_at"])
    op.create_table(
        "ack_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("escalation_id", ID, sa.ForeignKey("escalations.id"), nullable=False),
        sa.Column("user_id", ID),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME),
    )
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("server_secrets")
    op.drop_table("ack_tokens")
    op.drop_index("ix_escalation_steps_status_next", "escalation_steps")
    op.drop_table("escalation_steps")
    op.drop_index("ix_escalations_visit_id", "escalations")
    op.drop_table("escalations")
    op.drop_table("staff_contacts")
