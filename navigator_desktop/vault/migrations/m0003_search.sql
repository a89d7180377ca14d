-- Full-text search: client names in one index, the free text of records in another.
-- Names are few (one per client) and are searched first and ranked; notes are many (hundreds of
-- thousands) and are searched newest first with a limit, never ranked as a whole, so a very common
-- word stays fast.
--
-- Triggers on every searchable table note each insert, change and removal in search_queue, so
-- every path that writes rows (the store's writes, the sync apply, bulk loads) is caught without
-- remembering to. navigator_desktop.store.search_index.flush moves the queue into the FTS5 tables
-- in a few set-based statements; search runs it before every query, so results are always
-- current. (FTS5 written row by row from triggers is many times slower, and made bulk loads in
-- one transaction crawl.)
-- Frozen once released.

CREATE TABLE search_queue (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL
);
CREATE INDEX search_queue_by_record ON search_queue (record_id, seq);

-- Maps each record to the integer rowid of its search document. FTS5 finds a document quickly
-- only by rowid, and a record table's own rowid can change on VACUUM (ids are text). Document ids
-- are handed out in the order records were written, so "newest first" is rowid order.
CREATE TABLE search_docs (
    docid INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE search_names USING fts5(
    names,
    kind UNINDEXED,
    record_id UNINDEXED,
    client_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE VIRTUAL TABLE search_text USING fts5(
    body,
    kind UNINDEXED,
    record_id UNINDEXED,
    client_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', new.id);
END;
CREATE TRIGGER clients_search_update
AFTER UPDATE OF given_name, family_name, preferred_name, deleted ON clients BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', new.id);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('client', old.id);
END;

CREATE TRIGGER risk_flags_search_insert AFTER INSERT ON risk_flags BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', new.id);
END;
CREATE TRIGGER risk_flags_search_update AFTER UPDATE OF description, deleted ON risk_flags BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', new.id);
END;
CREATE TRIGGER risk_flags_search_delete AFTER DELETE ON risk_flags BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('risk_flag', old.id);
END;

CREATE TRIGGER support_goals_search_insert AFTER INSERT ON support_goals BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', new.id);
END;
CREATE TRIGGER support_goals_search_update AFTER UPDATE OF goal, deleted ON support_goals BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', new.id);
END;
CREATE TRIGGER support_goals_search_delete AFTER DELETE ON support_goals BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('support_goal', old.id);
END;

-- Contacts and handover notes are append-only: inserted once, removed only when the client
-- leaves this laptop.
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('contact', new.id);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('contact', old.id);
END;

CREATE TRIGGER handover_notes_search_insert AFTER INSERT ON handover_notes BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('handover_note', new.id);
END;
CREATE TRIGGER handover_notes_search_delete AFTER DELETE ON handover_notes BEGIN
    INSERT INTO search_queue (kind, record_id) VALUES ('handover_note', old.id);
END;

-- Index what an earlier version already holds, here rather than through the queue, so the first
-- search after the upgrade is not the one that pays for it. Documents are inserted in rowid
-- order: FTS5 writes out its pending terms whenever a rowid goes backwards.
INSERT INTO search_docs (record_id)
    SELECT id FROM (
        SELECT id, updated_at AS written FROM clients WHERE deleted = 0
        UNION ALL SELECT id, updated_at FROM risk_flags WHERE deleted = 0
        UNION ALL SELECT id, updated_at FROM support_goals WHERE deleted = 0
        UNION ALL SELECT id, recorded_at FROM contacts
        UNION ALL SELECT id, recorded_at FROM handover_notes
    ) ORDER BY written, id;
INSERT INTO search_names (rowid, names, kind, record_id, client_id)
    SELECT d.docid,
        coalesce(t.given_name, '') || ' ' || coalesce(t.family_name, '') || ' ' || coalesce(t.preferred_name, ''),
        'client', t.id, t.id
    FROM search_docs d JOIN clients t ON t.id = d.record_id ORDER BY d.docid;
INSERT INTO search_text (rowid, body, kind, record_id, client_id)
    SELECT d.docid, coalesce(t.description, ''), 'risk_flag', t.id, t.client_id
    FROM search_docs d JOIN risk_flags t ON t.id = d.record_id ORDER BY d.docid;
INSERT INTO search_text (rowid, body, kind, record_id, client_id)
    SELECT d.docid, coalesce(t.goal, ''), 'support_goal', t.id, t.client_id
    FROM search_docs d JOIN support_goals t ON t.id = d.record_id ORDER BY d.docid;
INSERT INTO search_text (rowid, body, kind, record_id, client_id)
    SELECT d.docid, coalesce(t.narrative, ''), 'contact', t.id, t.client_id
    FROM search_docs d JOIN contacts t ON t.id = d.record_id ORDER BY d.docid;
INSERT INTO search_text (rowid, body, kind, record_id, client_id)
    SELECT d.docid, coalesce(t.text, ''), 'handover_note', t.id, t.client_id
    FROM search_docs d JOIN handover_notes t ON t.id = d.record_id ORDER BY d.docid;
