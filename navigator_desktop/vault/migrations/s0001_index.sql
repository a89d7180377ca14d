-- The full-text index's own database (navigator-search.db), encrypted with the vault's data key.
-- Names are few (one per client) and are searched first and ranked; notes are many (hundreds of
-- thousands) and are searched newest first with a limit, never ranked as a whole, so a very common
-- word stays fast. Everything here can be rebuilt from the records: a damaged file is replaced.
-- Frozen once released.

-- Maps each record to the integer rowid of its search document (FTS5 finds a document quickly
-- only by rowid). One b-tree, keyed by the record: it is only ever looked up that way. Document
-- ids are handed out in the order records were indexed (search_state's next_docid), so "newest
-- first" is rowid order.
CREATE TABLE search_docs (
    record_id TEXT PRIMARY KEY NOT NULL,
    docid INTEGER NOT NULL
) WITHOUT ROWID;

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

-- pending_done: the highest search_pending number (in the records database) whose records are
-- indexed here; next_docid: the next document id to hand out.
CREATE TABLE search_state (
    name TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
);
INSERT INTO search_state (name, value) VALUES ('pending_done', 0), ('next_docid', 1);
