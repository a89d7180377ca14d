"""Form drafts: what someone was typing, kept so nothing is lost to the idle lock, a crash or a
closed lid. The database is encrypted, so a draft is as safe as a saved record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from navigator_core import timeutil
from navigator_desktop.store import codec
from navigator_desktop.store.db import Database


@dataclass(frozen=True)
class Draft:
    form_key: str  # which form, and which record it was for, e.g. "contact:new:<client id>"
    user_id: str | None
    payload: dict[str, Any]
    updated_at: str


def save(db: Database, form_key: str, payload: dict[str, Any], *, user_id: str | None = None) -> None:
    db.execute(
        "INSERT INTO drafts (form_key, user_id, payload, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (form_key) DO UPDATE SET user_id = excluded.user_id, payload = excluded.payload, "
        "updated_at = excluded.updated_at",
        (form_key, user_id, codec.dumps(payload), timeutil.now_text()),
    )


def load(db: Database, form_key: str) -> Draft | None:
    row = db.one("SELECT form_key, user_id, payload, updated_at FROM drafts WHERE form_key = ?", (form_key,))
    if row is None:
        return None
    return Draft(row["form_key"], row["user_id"], codec.loads(row["payload"]), row["updated_at"])


def discard(db: Database, form_key: str) -> None:
    db.execute("DELETE FROM drafts WHERE form_key = ?", (form_key,))


def for_user(db: Database, user_id: str) -> list[Draft]:
    """A user's drafts, newest first (to offer them back after unlock)."""
    rows = db.query(
        "SELECT form_key, user_id, payload, updated_at FROM drafts WHERE user_id = ? "
        "ORDER BY updated_at DESC",
        (user_id,),
    )
    return [Draft(r["form_key"], r["user_id"], codec.loads(r["payload"]), r["updated_at"]) for r in rows]
