-- Which pulled batches (search_pending rows of the records' database) are written here: one row
-- per batch, in the transaction that writes the batch's entries. The single high-water mark it
-- replaces (pending_done) could not tell a batch that a killed sync never handed over from the
-- ones below a later batch: once the next run had written a later batch, the lost one counted as
-- done, and its records were never found (issue 19).
-- Frozen once released.

CREATE TABLE search_batches (
    seq INTEGER PRIMARY KEY
);

DELETE FROM search_state WHERE name = 'pending_done';

-- A file written under the old mark may already miss a batch: every record is indexed again once
-- (the store queues them all as it opens, and clears this).
INSERT INTO search_state (name, value) VALUES ('requeue', 1);
