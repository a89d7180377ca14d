"""Writing a report export to a file, with its audit event."""

from __future__ import annotations

from pathlib import Path

from navigator_desktop import private_file
from navigator_desktop.documents import excel_csv
from navigator_desktop.store import records
from navigator_desktop.store.changes import WriteResult
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database


def export(db: Database, actor: Actor, path: Path, text: str, what: str) -> WriteResult:
    """Write `text` to `path` (replaced atomically: a partial file never takes its place) and an
    "export" audit event saying `what` was exported, in one transaction: if the file cannot be
    written, no export is recorded."""
    path = Path(path)
    with db.transaction():
        audit = records.write_audit(
            db, actor, "export", "report", None, None, reason=f"{what} to {path.name}"
        )
        private_file.write(path, text.encode(excel_csv.ENCODING))
    return WriteResult(audit.record_id, [audit])
