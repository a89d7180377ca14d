"""A subject-access archive: everything held about one person, as one .zip.

Layout (the laptop and the central store write the same one):
  manifest.json            what is in it: counts per file, when, by whom, from where, and what it
                           does not hold
  summary.txt              the same in plain words, and a listing a person can read
  records/<kind>.json      every record of every kind about the person, every version (append-only
                           entries keep each correction as its own entry; entered-in-error marks
                           are records/entered_in_error.json), deleted records included
  revisions.json           every field change of their mutable records (the version history)
  conflicts.json           concurrent edits kept for a person to review
  audit_events are records/audit_event.json: who looked at or changed the record, when and why
  pending.json             (laptop) changes made here and not yet on the central store
  server_audit_log.json    (central store) what the store itself did about the person: break-glass
                           reads, exports, this subject-access export itself
On the central store revisions.json holds every applied operation (``record_versions``): every
version of every record, with who, when, from which device and what it changed.
Pure: data in, bytes out; ``write_zip`` writes the file atomically. Shared by the laptop
(navigator_desktop.documents.exports) and the central store (navigator_server.subject_access).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

Record = dict[str, Any]
LAPTOP_SCOPE = (
    "This archive holds what THIS LAPTOP holds about the person, and nothing more. A laptop "
    "carries only what its user needs (other workers' laptops and the central store may hold "
    "more, and older records may have left this laptop). The complete answer to a subject access "
    "request comes from the central store: an administrator runs "
    "`navigator-server subject-access --client-id <client id> --out <file>.zip`."
)
SERVER_SCOPE = (
    "This archive is the central store's complete answer to a subject access request: every record "
    "of every kind about the person synced to it (deleted ones, corrections and entered-in-error "
    "marks included), every version of each (revisions.json: every change applied, with who, when "
    "and from which device), conflicts, every audit event about the person by anyone, and the "
    "store's own audit log (break-glass reads, exports). Changes still waiting on a laptop that has "
    "not synced are not in it."
)
SUBJECT_ACCESS_COMMAND = "navigator-server subject-access"


TEXT_FIELDS = (
    "narrative", "text", "goal", "description", "reason", "notes", "observed", "action", "what_for", "person",
)  # fmt: skip


@dataclass
class SubjectAccess:
    client_id: str
    client_name: str
    made_at: str
    made_by: str  # display name
    made_by_id: str
    source: str  # "laptop <device id>" or "central store"
    scope: str
    records: dict[str, list[Record]] = field(default_factory=dict)  # kind -> rows
    revisions: list[Record] = field(default_factory=list)
    conflicts: list[Record] = field(default_factory=list)
    pending: list[Record] | None = None  # laptop only
    extra: dict[str, list[Record]] = field(default_factory=dict)  # file name -> rows (central store)


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS, default=str)


def manifest(data: SubjectAccess) -> Record:
    counts = {f"records/{kind}.json": len(rows) for kind, rows in sorted(data.records.items())}
    counts["revisions.json"] = len(data.revisions)
    counts["conflicts.json"] = len(data.conflicts)
    if data.pending is not None:
        counts["pending.json"] = len(data.pending)
    counts.update({name: len(rows) for name, rows in sorted(data.extra.items())})
    return {
        "format": "navigator-subject-access/1",
        "client_id": data.client_id,
        "exported_at": data.made_at,
        "exported_by": {"user_id": data.made_by_id, "name": data.made_by},
        "source": data.source,
        "scope": data.scope,
        "counts": counts,
        "total_records": sum(len(rows) for rows in data.records.values()),
    }


def summary_text(data: SubjectAccess) -> str:
    m = manifest(data)
    lines = [
        f"Subject access export: {data.client_name} (client id {data.client_id})",
        f"Exported {data.made_at} by {data.made_by}, from {data.source}.",
        "",
        data.scope,
        "",
        "What is in this archive:",
    ]
    lines += [f"  {name:<40} {count:>6}" for name, count in m["counts"].items()]
    lines += ["", "Records, oldest first:"]
    for kind, rows in sorted(data.records.items()):
        for row in sorted(rows, key=lambda r: str(r.get("recorded_at") or r.get("created_at") or "")):
            when = row.get("recorded_at") or row.get("created_at") or ""
            words = next((str(row[k]) for k in TEXT_FIELDS if row.get(k)), "")
            flags = " [correction of " + str(row["amends_id"]) + "]" if row.get("amends_id") else ""
            flags += " [deleted]" if row.get("deleted") else ""
            lines.append(f"  {when[:16]}  {kind:<22} {' '.join(words.split())[:90]}{flags}")
    return "\n".join(lines) + "\n"


def build_files(data: SubjectAccess) -> dict[str, bytes]:
    """The archive's files, by name."""
    files = {
        "manifest.json": _json(manifest(data)),
        "summary.txt": summary_text(data).encode(),
        "revisions.json": _json(data.revisions),
        "conflicts.json": _json(data.conflicts),
    }
    for kind, rows in sorted(data.records.items()):
        files[f"records/{kind}.json"] = _json(rows)
    if data.pending is not None:
        files["pending.json"] = _json(data.pending)
    for name, rows in sorted(data.extra.items()):
        files[name] = _json(rows)
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def write_zip(files: dict[str, bytes], path: Path) -> Path:
    """Write the archive at `path`, replacing it atomically (a half-written archive never has the
    final name); the partial file is removed if writing fails."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            out.write(zip_bytes(files))
            out.flush()
            os.fsync(out.fileno())
        if sys.platform != "win32":
            partial.chmod(0o600)  # readable by its owner only
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
