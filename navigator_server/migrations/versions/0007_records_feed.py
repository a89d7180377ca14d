"""A pull reads the team's records in feed order, not the feed joined to the records.

- Each record's ``updated_seq`` becomes its last place in the feed. A client's change of key
  worker or team re-announced every record about them with new feed entries and left their
  ``updated_seq`` behind; the re-announcing push now moves it too, and this sets it for the past.
- ``ix_records_team_updated``: the team's records in that order (a pull's main read), and
  ``ix_changes_team_conflicts``: the team's conflicts in the feed (their records are not records).
- ``records.author_id``: the author the policy reads (meta's author_id, else its created_by),
  filled in from meta. A pull read it from inside meta for every record.
- On PostgreSQL the records' documents become ``json`` (the text as written) instead of ``jsonb``:
  a pull sends most of them as they are stored, and writing jsonb out as text again was a third
  of PostgreSQL's work in a laptop's first sync.

On PostgreSQL the table is rewritten (about a minute per million records on a small host).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_DOCS = ("data", "field_stamps", "meta")
_CONFLICTS = sa.text("kind = 'conflict'")
# Each record's last place among the feed's entries for it (a conflict's entries are about the
# conflict, not a record).
_LAST_PLACES = """
UPDATE records SET updated_seq = last.seq
FROM (SELECT record_id, MAX(seq) AS seq FROM changes WHERE kind <> 'conflict' GROUP BY record_id) AS last
WHERE last.record_id = records.id AND last.seq > records.updated_seq
"""


def _author(postgres: bool) -> str:
    if postgres:
        return "COALESCE(NULLIF(meta->>'author_id', ''), meta->>'created_by')"
    return "COALESCE(NULLIF(json_extract(meta, '$.author_id'), ''), json_extract(meta, '$.created_by'))"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("author_id", sa.String(36)))
    op.execute(f"UPDATE records SET author_id = {_author(postgres)}")
    if postgres:
        op.execute(
            "ALTER TABLE records " + ", ".join(f"ALTER COLUMN {c} TYPE json USING {c}::json" for c in _DOCS)
        )
    op.execute(_LAST_PLACES)
    op.create_index("ix_records_team_updated", "records", ["team_id", "updated_seq"])
    op.create_index(
        "ix_changes_team_conflicts",
        "changes",
        ["team_id", "seq"],
        postgresql_where=_CONFLICTS,
        sqlite_where=_CONFLICTS,
    )


def downgrade() -> None:
    op.drop_index("ix_changes_team_conflicts", "changes")
    op.drop_index("ix_records_team_updated", "records")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE records " + ", ".join(f"ALTER COLUMN {c} TYPE jsonb USING {c}::jsonb" for c in _DOCS)
        )
    with op.batch_alter_table("records") as batch:
        batch.drop_column("author_id")
    # updated_seq keeps the last place: the revision before reads it as the last update, which it is.
