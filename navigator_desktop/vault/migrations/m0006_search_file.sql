-- The full-text index moves to a file of its own, navigator-search.db (store/search_db.py), with
-- its own connection. That lets a sync index the records it pulls in another process while this
-- database takes the records themselves: on a team's initial sync the index was half the work.
-- And a damaged index can now be thrown away and rebuilt without touching a record.
--
-- What stays here is what must commit with the records: the queue the triggers fill for every
-- write (as before), and search_pending, which a sync's apply writes instead of queueing each
-- record it pulls: one small row per batch handed to the indexer, so that a batch the indexer
-- never wrote (the app stopped part way through a large sync) is noticed by the next flush, which
-- then indexes every record again. While the apply writes, a row in search_pause tells the
-- triggers not to queue those records; the row only ever exists inside the apply's own
-- transaction.
-- Frozen once released.

CREATE TABLE search_pause (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

-- AUTOINCREMENT: numbers are never reused, so "indexed up to N" (kept in the search file) means
-- the same rows for ever.
CREATE TABLE search_pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    records INTEGER NOT NULL  -- how many records the batch holds
);

-- contacts_for_reports (client_id, occurred_at, contact_type, id) serves every query this one did
-- and more; keeping both cost every contact written a second random-order index entry.
DROP INDEX contacts_by_client_occurred;

DROP TABLE search_names;
DROP TABLE search_text;
DROP TABLE search_docs;
DELETE FROM search_queue;

-- Everything already here goes into the new file at the first flush after the upgrade (the first
-- search, or the end of the first sync).
INSERT INTO search_queue (kind, record_id)
    SELECT kind, id FROM (
        SELECT 'client' AS kind, id, updated_at AS written FROM clients
        UNION ALL SELECT 'risk_flag', id, updated_at FROM risk_flags
        UNION ALL SELECT 'support_goal', id, updated_at FROM support_goals
        UNION ALL SELECT 'contact', id, recorded_at FROM contacts
        UNION ALL SELECT 'handover_note', id, recorded_at FROM handover_notes
    ) ORDER BY written, id;

DROP TRIGGER clients_search_insert;
DROP TRIGGER clients_search_update;
DROP TRIGGER clients_search_delete;
DROP TRIGGER risk_flags_search_insert;
DROP TRIGGER risk_flags_search_update;
DROP TRIGGER risk_flags_search_delete;
DROP TRIGGER support_goals_search_insert;
DROP TRIGGER support_goals_search_update;
DROP TRIGGER support_goals_search_delete;
DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER handover_notes_search_insert;
DROP TRIGGER handover_notes_search_delete;

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', new.id);
END;
CREATE TRIGGER clients_search_update
AFTER UPDATE OF given_name, family_name, preferred_name, deleted ON clients
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', new.id);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', old.id);
END;

CREATE TRIGGER risk_flags_search_insert AFTER INSERT ON risk_flags
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', new.id);
END;
CREATE TRIGGER risk_flags_search_update AFTER UPDATE OF description, deleted ON risk_flags
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', new.id);
END;
CREATE TRIGGER risk_flags_search_delete AFTER DELETE ON risk_flags
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', old.id);
END;

CREATE TRIGGER support_goals_search_insert AFTER INSERT ON support_goals
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', new.id);
END;
CREATE TRIGGER support_goals_search_update AFTER UPDATE OF goal, deleted ON support_goals
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', new.id);
END;
CREATE TRIGGER support_goals_search_delete AFTER DELETE ON support_goals
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', old.id);
END;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('contact', new.id);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('contact', old.id);
END;

CREATE TRIGGER handover_notes_search_insert AFTER INSERT ON handover_notes
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('handover_note', new.id);
END;
CREATE TRIGGER handover_notes_search_delete AFTER DELETE ON handover_notes
WHEN NOT EXISTS (SELECT 1 FROM search_pause) BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('handover_note', old.id);
END;
