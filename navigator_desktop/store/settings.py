"""Device settings kept inside the encrypted database (never in plain configuration files).

Values are text; callers that keep something structured serialise it themselves.
"""

from __future__ import annotations

from navigator_desktop.store.db import Database

# The keys the app uses, named once so a typo is a NameError rather than a silent miss.
DEVICE_ID = "device_id"
CURRENT_USER = "current_user_id"
CLOCK_LAST = "clock_last_stamp"
SERVER_URL = "server_url"
DEVICE_TOKEN = "device_token"  # noqa: S105 (a key name); the database is encrypted, so the token is too
SYNC_CURSOR = "sync_cursor"
LAST_SYNC_AT = "last_sync_at"
DEMO_DATA = "demo_data"  # "1" in the demo vault: synthetic records, never from a central store
SERVER_IDLE_LOCK_MINUTES = "server_idle_lock_minutes"  # the organisation's longest idle time


def get(db: Database, key: str, default: str | None = None) -> str | None:
    value = db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return default if value is None else str(value)


def put(db: Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def remove(db: Database, key: str) -> None:
    db.execute("DELETE FROM settings WHERE key = ?", (key,))


def all_settings(db: Database) -> dict[str, str | None]:
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings ORDER BY key")}
