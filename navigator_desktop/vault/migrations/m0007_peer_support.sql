-- Liaison and diversion, and the work with other agencies (issue 20): referrals and signposts,
-- engagements before a caseload, concerns for supervision; the pathways an agency serves.
ALTER TABLE agencys ADD COLUMN pathways TEXT;
CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    field_stamps TEXT NOT NULL DEFAULT '{}',
    deleted INTEGER NOT NULL DEFAULT 0,
    team_id TEXT,
    client_id TEXT,
    engagement_id TEXT,
    agency_id TEXT,
    pathway TEXT,
    what_for TEXT,
    made_on TEXT,
    made_by TEXT,
    status TEXT,
    signposted_on TEXT,
    referred_on TEXT,
    accepted_on TEXT,
    declined_on TEXT,
    attended_on TEXT,
    outcome_on TEXT,
    outcome TEXT,
    refreshed_at TEXT
);
CREATE INDEX referrals_by_client ON referrals (client_id, made_on);
CREATE INDEX referrals_by_engagement ON referrals (engagement_id);
CREATE INDEX referrals_by_agency ON referrals (agency_id);
CREATE TABLE engagements (
    id TEXT PRIMARY KEY NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    field_stamps TEXT NOT NULL DEFAULT '{}',
    deleted INTEGER NOT NULL DEFAULT 0,
    team_id TEXT,
    client_id TEXT,
    person TEXT,
    setting TEXT,
    place TEXT,
    met_at TEXT,
    consent_asked INTEGER,
    consent_answer TEXT,
    needs TEXT,
    offered TEXT,
    notes TEXT,
    linked_on TEXT,
    refreshed_at TEXT
);
CREATE INDEX engagements_by_team ON engagements (team_id, met_at);
CREATE INDEX engagements_by_client ON engagements (client_id);
CREATE TABLE supervision_items (
    id TEXT PRIMARY KEY NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    field_stamps TEXT NOT NULL DEFAULT '{}',
    deleted INTEGER NOT NULL DEFAULT 0,
    team_id TEXT,
    client_id TEXT,
    target_kind TEXT,
    target_id TEXT,
    reason TEXT,
    supervisor_id TEXT,
    status TEXT,
    discussed_on TEXT,
    discussed_by TEXT,
    discussion_note TEXT,
    refreshed_at TEXT
);
CREATE INDEX supervision_items_by_team ON supervision_items (team_id, status);
CREATE INDEX supervision_items_by_target ON supervision_items (target_id);
CREATE INDEX supervision_items_by_client ON supervision_items (client_id);
