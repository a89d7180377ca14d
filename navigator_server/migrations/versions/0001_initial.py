"""The central store's first schema: accounts, devices, records, the change feed.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(36)
TIME = sa.String(32)
JSONDOC = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", ID, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(400), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_users_team_id", "users", ["team_id"])
    op.create_table(
        "devices",
        sa.Column("id", ID, primary_key=True),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME),
        sa.Column("revoked_at", TIME),
        sa.Column("revoked_by", ID),
    )
    op.create_index("ix_devices_user_id", "devices", ["user_id"])
    op.create_table(
        "enrolment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("used_at", TIME),
        sa.Column("device_id", ID),
    )
    op.create_index("ix_enrolment_codes_user_id", "enrolment_codes", ["user_id"])
    op.create_table(
        "auth_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("at", TIME, nullable=False),
    )
    op.create_index("ix_auth_failures_key_at", "auth_failures", ["key", "at"])
    op.create_table(
        "records",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("client_id", ID),
        sa.Column("data", JSONDOC, nullable=False),
        sa.Column("field_stamps", JSONDOC, nullable=False),
        sa.Column("meta", JSONDOC, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("created_seq", sa.BigInteger, nullable=False),
        sa.Column("updated_seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_records_client", "records", ["client_id"])
    op.create_index("ix_records_team_kind", "records", ["team_id", "kind"])
    op.create_table(
        "applied_ops",
        sa.Column("op_id", ID, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("device_id", ID, nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("seq", sa.BigInteger),
        sa.Column("applied_at", TIME, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("client_id", ID),
        sa.Column("op_id", ID),
        sa.Column("at", TIME, nullable=False),
    )
    op.create_index("ix_changes_team_seq", "changes", ["team_id", "seq"])
    feed_counter = op.create_table(
        "feed_counter",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(feed_counter, [{"id": 1, "last_seq": 0}])
    op.create_table(
        "conflicts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("client_id", ID),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("winner", JSONDOC, nullable=False),
        sa.Column("loser", JSONDOC, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("resolved_at", TIME),
        sa.Column("resolved_by", ID),
    )
    op.create_index("ix_conflicts_record_id", "conflicts", ["record_id"])
    op.create_table(
        "rota",
        sa.Column("id", ID, primary_key=True),
        sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("starts_at", TIME, nullable=False),
        sa.Column("ends_at", TIME, nullable=False),
    )
    op.create_index("ix_rota_team_id", "rota", ["team_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor_id", ID),
        sa.Column("device_id", ID),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target_kind", sa.String(40)),
        sa.Column("target_id", ID),
        sa.Column("reason", sa.Text),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "rota",
        "conflicts",
        "feed_counter",
        "changes",
        "applied_ops",
        "records",
        "auth_failures",
        "enrolment_codes",
        "devices",
        "users",
        "teams",
    ):
        op.drop_table(table)
