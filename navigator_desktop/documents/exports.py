"""Exports: gather what a document needs in one read from the store, build it with the pure
builders beside this module, and record an "export" audit event for every one.

PDFs are drawn by Qt on the GUI thread (ui/printing.py), so for them this module hands back the
HTML and the screen records the export once the file is written (``record_export``). The
subject-access archive needs no Qt: it is gathered, written (atomically) and audited here, on the
database worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from navigator_core import timeutil
from navigator_core.kinds import CLIENT, HANDOVER_NOTE
from navigator_desktop.documents import handover_sheet, subject_access, support_plan
from navigator_desktop.store import (
    client_records,
    clients,
    codec,
    directory,
    handover,
    outbox,
    plans,
    records,
)
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.views import client_names

Record = dict[str, Any]


@dataclass(frozen=True)
class Document:
    """An HTML document ready for ui/printing.py, and what the audit event will say about it."""

    html: str
    title: str
    client_id: str | None
    what: str  # "support plan", "handover sheet", ...


def _me(db: Database, actor: Actor) -> str:
    return directory.display_names(db).get(actor.user_id, "this laptop's user")


def client_name(client: Record) -> str:
    return f"{client.get('given_name', '')} {client.get('family_name', '')}".strip()


def support_plan_document(db: Database, actor: Actor, client_id: str) -> Document:
    client = clients.get(db, client_id)
    if client is None:
        raise records.RecordNotFoundError(CLIENT.name, client_id)
    plan = plans.plan_for_client(db, client_id)
    html = support_plan.support_plan_html(
        client,
        plan.goals,
        plan.outcomes,
        plan.reviews,
        directory.display_names(db),
        made_by=_me(db, actor),
        made_at=actor.now_text(),
    )
    return Document(html, f"Support plan: {client_name(client)}", client_id, "support plan")


def handover_sheet_document(
    db: Database, actor: Actor, team_id: str, client_id: str | None = None, *, now: str | None = None
) -> Document:
    """The notes current now for the signed-in worker: the team's, or those about one client."""
    now = now or actor.now_text()
    notes = handover.current(db, team_id=team_id, user_id=actor.user_id, now=now, client_id=client_id)
    about = client_names(db, [n["client_id"] for n in notes if n.get("client_id")])
    if client_id is not None:
        about.update(client_names(db, [client_id]))
        title = f"Handover sheet: {about.get(client_id, 'one client')}"
    else:
        team = next((t["name"] for t in directory.teams(db) if t["id"] == team_id), "the team")
        title = f"Handover sheet: {team}"
    html = handover_sheet.handover_sheet_html(
        notes, directory.display_names(db), about, title=title, made_by=_me(db, actor), made_at=now
    )
    return Document(html, title, client_id, "handover sheet")


def record_export(
    db: Database, actor: Actor, what: str, client_id: str | None, file_name: str
) -> WriteResult:
    """The audit event for an export: who, when, from which device, what, and the file's name."""
    with db.transaction():
        target = CLIENT.name if client_id else HANDOVER_NOTE.name
        change = records.write_audit(
            db, actor, "export", target, client_id, client_id, reason=f"Exported {what}: {file_name}"
        )
    return WriteResult(change.record_id, [change])


# --- subject access ---------------------------------------------------------------------------


def gather_subject_access(db: Database, actor: Actor, client_id: str) -> subject_access.SubjectAccess:
    """Every row this laptop holds about the client: each kind (deleted records, corrections and
    entered-in-error marks included), the revisions of their mutable records, conflicts, and the
    changes not yet sent."""
    client = records.get(db, CLIENT.name, client_id, include_deleted=True)
    if client is None:
        raise records.RecordNotFoundError(CLIENT.name, client_id)
    found = {
        spec.name: [codec.decode_row(spec, r) for r in rows]
        for spec, rows in client_records.rows_by_kind(db, client_id).items()
    }
    ids = sorted({str(r["id"]) for rows in found.values() for r in rows})
    revisions = [
        {**r, "changes": codec.loads(r["changes"])}
        for r in sorted(client_records.rows_in(db, "revisions", "record_id", ids), key=lambda r: r["id"])
    ]
    conflicts = {r["id"]: r for r in client_records.rows_in(db, "conflicts", "record_id", ids)}
    conflicts.update(
        {r["id"]: r for r in db.query("SELECT * FROM conflicts WHERE client_id = ?", (client_id,))}
    )
    pending = [
        {**{k: r[k] for k in ("op_id", "kind", "record_id", "created_at", "sent_at", "result", "error")},
         "operation": codec.loads(r["op_json"])}
        for r in client_records.rows_in(db, "outbox", "record_id", ids)
        if r["acked_at"] is None or r["result"] == outbox.REJECTED
    ]  # fmt: skip
    return subject_access.SubjectAccess(
        client_id=client_id,
        client_name=client_name(client),
        made_at=actor.now_text(),
        made_by=_me(db, actor),
        made_by_id=actor.user_id,
        source=f"laptop {actor.device_id}",
        scope=subject_access.LAPTOP_SCOPE,
        records=found,
        revisions=revisions,
        conflicts=[conflicts[k] for k in sorted(conflicts)],
        pending=pending,
    )


def export_subject_access(db: Database, actor: Actor, client_id: str, path: Path) -> Record:
    """Write the archive at `path` (atomically), then audit it; the manifest is returned."""
    data = gather_subject_access(db, actor, client_id)
    subject_access.write_zip(subject_access.build_files(data), Path(path))
    record_export(db, actor, "subject access archive", client_id, Path(path).name)
    return {**subject_access.manifest(data), "path": str(path), "at": timeutil.now_text()}
