-- Lone working and conflict decisions: escalation steps on visits that ran over, a person's
-- decision on a conflict (synced so every copy of the conflict is settled), and two contact fields.
ALTER TABLE contacts ADD COLUMN out_of_hours INTEGER;
ALTER TABLE contacts ADD COLUMN visit_id TEXT;
CREATE TABLE visit_escalations (
    id TEXT PRIMARY KEY NOT NULL,
    author_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    amends_id TEXT,
    amend_reason TEXT,
    client_id TEXT,
    visit_id TEXT,
    step TEXT,
    occurred_at TEXT,
    notes TEXT,
    refreshed_at TEXT
);
CREATE INDEX visit_escalations_by_visit ON visit_escalations (visit_id, occurred_at);
CREATE TABLE conflict_resolutions (
    id TEXT PRIMARY KEY NOT NULL,
    author_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    amends_id TEXT,
    amend_reason TEXT,
    target_kind TEXT,
    target_id TEXT,
    client_id TEXT,
    field TEXT,
    kept_stamp TEXT,
    lost_stamp TEXT,
    choice TEXT,
    note TEXT,
    refreshed_at TEXT
);
CREATE INDEX conflict_resolutions_by_target ON conflict_resolutions (target_id, field);

