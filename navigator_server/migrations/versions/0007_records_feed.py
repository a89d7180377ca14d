"""A pull reads the team's records in feed order, not the feed joined to the records.

- Each record's ``updated_seq`` becomes its last place in the feed. A client's change of key
  worker or team re-announced every record about them with new feed entries and left their
  ``updated_seq`` behind; the re-announcing push now moves it too, and this sets it for the past.
- ``ix_records_team_updated``: the team's records in that order (a pull's main read), and
  ``ix_changes_team_conflicts``: the team's conflicts in the feed (their records are not records).
- ``records.author_id``: the author the policy reads (meta's author_id, else its created_by),
  filled in from meta. A pull read it from inside meta for every record.
- ``client_facts``: what the policy and the retention rule read of each client, filled in from
  the clients' records (the store keeps it from now on). A pull read it from the documents.
- On PostgreSQL the records' documents become ``json`` (the text as written) instead of ``jsonb``:
  a pull sends most of them as they are stored, and writing jsonb out as text again was a third
  of PostgreSQL's work in a laptop's first sync.

On PostgreSQL the records table is rewritten: 37 s for a team of 452,000 records on a 2-core host.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_DOCS = ("data", "field_stamps", "meta")
_CHUNK = 2000
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


def _facts(client_id: str, data: dict[str, Any], stamps: dict[str, Any]) -> dict[str, Any]:
    """A client's facts as the policy reads them from its document (policy.ClientFacts.from_values
    at this revision), and the retention rule's two values."""
    co_workers = data.get("co_worker_ids") or []
    key_worker = data.get("key_worker_id") or None
    on, stamp = data.get("service_discharge_date"), stamps.get("status")
    return {
        "client_id": client_id,
        "team_id": str(data.get("team_id") or ""),
        "status": str(data.get("status") or ""),
        "key_worker_id": None if key_worker is None else str(key_worker),
        "co_worker_ids": orjson.dumps(sorted({str(c) for c in co_workers if isinstance(c, str)})).decode(),
        "discharged_on": on if isinstance(on, str) else None,
        "status_stamp": stamp if isinstance(stamp, str) else None,
    }


def _fill_client_facts(table: sa.Table) -> None:
    conn = op.get_bind()
    last = ""
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, CAST(data AS TEXT), CAST(field_stamps AS TEXT) FROM records"
                " WHERE kind = 'client' AND id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": _CHUNK},
        ).all()
        if not rows:
            return
        conn.execute(table.insert(), [_facts(r[0], _doc(r[1]), _doc(r[2])) for r in rows])
        last = rows[-1][0]


def _doc(text: str) -> dict[str, Any]:
    found = orjson.loads(text)
    return found if isinstance(found, dict) else {}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    facts = op.create_table(
        "client_facts",
        sa.Column("client_id", sa.String(36), primary_key=True),
        sa.Column("team_id", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("key_worker_id", sa.Text),
        sa.Column("co_worker_ids", sa.Text, nullable=False),
        sa.Column("discharged_on", sa.Text),
        sa.Column("status_stamp", sa.Text),
    )
    _fill_client_facts(facts)
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("author_id", sa.Text))
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
    if postgres:
        op.execute("ANALYZE records, client_facts")  # the rewrite left the planner no statistics


def downgrade() -> None:
    op.drop_table("client_facts")
    op.drop_index("ix_changes_team_conflicts", "changes")
    op.drop_index("ix_records_team_updated", "records")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE records " + ", ".join(f"ALTER COLUMN {c} TYPE jsonb USING {c}::jsonb" for c in _DOCS)
        )
    with op.batch_alter_table("records") as batch:
        batch.drop_column("author_id")
    # updated_seq keeps the last place: the revision before reads it as the last update, which it is.
