"""``navigator-server subject-access``: the central store's complete answer to a subject access
request about one person, as the same archive layout the laptops write
(``navigator_core.subject_access``).

It holds every record of every kind about the client (deleted ones, corrections and
entered-in-error marks included, and the acknowledgements of handover notes about them), every
version of each (``record_versions``: every operation applied, with who, when, from which device
and what it changed), the conflicts, every audit event about the person whoever wrote it, and the
store's own audit log about them (break-glass reads, exports). The export itself is recorded in
the audit log, in the same transaction as the gathering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_core import subject_access as archive
from navigator_core import timeutil
from navigator_server import accounts, versions
from navigator_server.schema import audit_log, conflicts, records

Record = dict[str, Any]


class SubjectNotFoundError(ValueError):
    """No client with this id in the central store."""


def _flat(row: Any) -> Record:
    """A stored record as the laptop's archive shows one: its values, its meta, its bookkeeping."""
    return {
        **dict(row.data or {}),
        **dict(row.meta or {}),
        "id": row.id,
        "kind": row.kind,
        "team_id": row.team_id,
        "client_id": row.client_id,
        "deleted": bool(row.deleted),
        "field_stamps": dict(row.field_stamps or {}),
        "created_seq": row.created_seq,
        "updated_seq": row.updated_seq,
    }


def _records(conn: Connection, client_id: str) -> dict[str, list[Record]]:
    rows = conn.execute(
        sa.select(records).where(sa.or_(records.c.client_id == client_id, records.c.id == client_id))
    ).all()
    found: dict[str, list[Record]] = {}
    for row in rows:
        found.setdefault(row.kind, []).append(_flat(row))
    note_ids = [r["id"] for r in found.get("handover_note", [])]
    for start in range(0, len(note_ids), 500):
        chunk = note_ids[start : start + 500]
        acks = conn.execute(
            sa.select(records).where(
                records.c.kind == "acknowledgement", records.c.data["note_id"].as_string().in_(chunk)
            )
        ).all()
        found.setdefault("acknowledgement", []).extend(_flat(a) for a in acks)
    for rows_of_kind in found.values():
        rows_of_kind.sort(key=lambda r: (r["created_seq"], r["id"]))
    return {kind: rows for kind, rows in found.items() if rows}


def _in(column: Any, ids: list[str]) -> Any:
    return column.in_(ids) if ids else sa.false()


def gather(conn: Connection, client_id: str, *, made_by: str) -> archive.SubjectAccess:
    """Everything the central store holds about the client."""
    client = conn.execute(
        sa.select(records).where(records.c.id == client_id, records.c.kind == "client")
    ).first()
    if client is None:
        raise SubjectNotFoundError("no client with that id in the central store")
    found = _records(conn, client_id)
    ids = sorted({r["id"] for rows in found.values() for r in rows})
    kept = conn.execute(
        sa.select(conflicts)
        .where(sa.or_(conflicts.c.client_id == client_id, _in(conflicts.c.record_id, ids)))
        .order_by(conflicts.c.created_at, conflicts.c.id)
    ).all()
    log = conn.execute(
        sa.select(audit_log).where(_in(audit_log.c.target_id, ids)).order_by(audit_log.c.id)
    ).all()
    data = client.data or {}
    name = f"{data.get('family_name') or ''}, {data.get('given_name') or ''}".strip(", ")
    return archive.SubjectAccess(
        client_id=client_id,
        client_name=name,
        made_at=timeutil.now_text(),
        made_by=made_by,
        made_by_id="",
        source="central store",
        scope=archive.SERVER_SCOPE,
        records=found,
        revisions=versions.of_records(conn, ids),
        conflicts=[versions.plain(r) for r in kept],
        extra={"server_audit_log.json": [versions.plain(r) for r in log]},
    )


def export(conn: Connection, client_id: str, out: Path, *, made_by: str) -> Record:
    """Write the archive at `out` (atomically) and record the export in the audit log, in the
    caller's transaction: if the file cannot be written, no export is recorded. The manifest is
    returned."""
    accounts.audit(
        conn,
        "subject_access",
        target_kind="client",
        target_id=client_id,
        reason=f"Subject access archive to {Path(out).name}, run by {made_by}",
    )
    data = gather(conn, client_id, made_by=made_by)  # includes its own audit row
    archive.write_zip(archive.build_files(data), Path(out))
    return archive.manifest(data)
