-- What the laptop keeps beside the records: operations waiting to be sent, the history of mutable
-- records, conflicts for a person to review, device settings, form drafts and the team directory.
-- Frozen once released.

-- Operations written locally and not yet acknowledged by the central store, in the order made.
-- AUTOINCREMENT: a sequence number is never reused, even after the newest rows are removed.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    op_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    acked_at TEXT,
    result TEXT,
    error TEXT
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;
CREATE INDEX outbox_by_record ON outbox (record_id);

-- Every change to a mutable record, field by field, for its history (risk flag history, subject
-- access). changes = JSON {field: {"old": value, "new": value}}.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action TEXT NOT NULL,
    stamp TEXT NOT NULL,
    author_id TEXT NOT NULL,
    device_id TEXT,
    recorded_at TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '{}',
    note TEXT
);
CREATE INDEX revisions_by_record ON revisions (record_id, id);

-- A concurrent edit that lost the merge: the losing value is kept here until a person decides.
-- Values are JSON text so any field type fits.
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    client_id TEXT,
    field TEXT NOT NULL,
    kept_value TEXT,
    kept_stamp TEXT NOT NULL,
    kept_author TEXT,
    lost_value TEXT,
    lost_stamp TEXT NOT NULL,
    lost_author TEXT,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT
);
CREATE INDEX conflicts_open ON conflicts (detected_at) WHERE resolved_at IS NULL;
CREATE INDEX conflicts_by_record ON conflicts (record_id);

-- Device settings: device id, current user, the clock's last stamp, server address, device token.
-- Nothing here is plain text on disk: the whole database is encrypted.
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT
) WITHOUT ROWID;

-- A form being filled in, kept so nothing typed is lost (idle lock, crash, closing the laptop).
CREATE TABLE drafts (
    form_key TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    payload TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The team directory as the central store sends it.
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    refreshed_at TEXT
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    team_id TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    refreshed_at TEXT
);
CREATE INDEX users_by_team ON users (team_id, display_name);
