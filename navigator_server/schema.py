"""The central store's tables (SQLAlchemy Core). Alembic's migrations create them; the tests check
that the migrations and these definitions agree.

Records of every kind share one table: the kind specs in ``navigator_core.kinds`` describe the
fields, and the store keeps each record's values as one JSON document with a clock stamp per
field. Times are ISO 8601 UTC text (fixed width, so text order is time order).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON, JSONB

metadata = sa.MetaData()

ID = sa.String(36)
TIME = sa.String(32)
JSONDOC = sa.JSON().with_variant(JSONB(), "postgresql")
# A record's documents: PostgreSQL's json, which keeps the text it was given, not jsonb. A pull
# sends most documents as stored, and turning jsonb back into text was a third of PostgreSQL's
# work in a laptop's first sync; what the store reads from inside a document (a client's facts,
# an audit entry's action) is a few rows at a time, and the author is a column of its own.
RECORD_DOC = sa.JSON().with_variant(JSON(), "postgresql")

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", TIME, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=False, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(400), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", TIME, nullable=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("last_seen_at", TIME),
    sa.Column("revoked_at", TIME),
    sa.Column("revoked_by", ID),
)

enrolment_codes = sa.Table(
    "enrolment_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("expires_at", TIME, nullable=False),
    sa.Column("used_at", TIME),
    sa.Column("device_id", ID),
)

# Failed enrolment attempts, by key ("user:<hash>" or "addr:<hash>"): the rate limit lives in the
# database so that every server process sees the same count.
auth_failures = sa.Table(
    "auth_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(80), nullable=False),
    sa.Column("at", TIME, nullable=False),
    sa.Index("ix_auth_failures_key_at", "key", "at"),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("client_id", ID),
    sa.Column("data", RECORD_DOC, nullable=False),
    sa.Column("field_stamps", RECORD_DOC, nullable=False),
    sa.Column("meta", RECORD_DOC, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    # The record's author as the policy reads it (meta's author_id, else created_by), kept by the
    # store's writes so that a pull need not read it from inside meta for every record.
    sa.Column("author_id", sa.Text),
    sa.Column("created_seq", sa.BigInteger, nullable=False),
    # The record's last place in the feed: a pull reads the team's records in this order (store.py).
    sa.Column("updated_seq", sa.BigInteger, nullable=False),
    sa.Index("ix_records_client", "client_id"),
    sa.Index("ix_records_team_kind", "team_id", "kind"),
    sa.Index("ix_records_team_updated", "team_id", "updated_seq"),
)

# What the policy and the retention rule read of each client, kept beside the client's record by
# the store's writes (store.py): a pull needs them for the clients of every page, and reading them
# from the clients' documents was a tenth of a pull on PostgreSQL.
client_facts = sa.Table(
    "client_facts",
    metadata,
    sa.Column("client_id", ID, primary_key=True),
    # The values as the client's document has them (text: a value the push let in is never cut).
    sa.Column("team_id", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("key_worker_id", sa.Text),
    sa.Column("co_worker_ids", sa.Text, nullable=False),  # a JSON list
    sa.Column("discharged_on", sa.Text),  # the service discharge date, if any
    sa.Column("status_stamp", sa.Text),  # the status field's clock stamp
)

# One row per operation applied (or recorded as a conflict): a replayed operation is answered
# from here and changes nothing.
applied_ops = sa.Table(
    "applied_ops",
    metadata,
    sa.Column("op_id", ID, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("user_id", ID, nullable=False),
    sa.Column("device_id", ID, nullable=False),
    sa.Column("result", sa.String(20), nullable=False),
    sa.Column("seq", sa.BigInteger),
    sa.Column("applied_at", TIME, nullable=False),
)

# The change feed. Sequence numbers are handed out under the feed lock (see feed.py), so they are
# assigned in commit order and a reader's cursor never passes an uncommitted change.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("client_id", ID),
    sa.Column("op_id", ID),
    sa.Column("at", TIME, nullable=False),
    sa.Index("ix_changes_team_seq", "team_id", "seq"),
    # A pull reads the team's conflicts from the feed (the records from their own table).
    sa.Index(
        "ix_changes_team_conflicts",
        "team_id",
        "seq",
        postgresql_where=sa.text("kind = 'conflict'"),
        sqlite_where=sa.text("kind = 'conflict'"),
    ),
)

# A single row holding the last sequence number handed out; updating it is the feed lock.
feed_counter = sa.Table(
    "feed_counter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)

# Concurrent edits of the same field: the value that lost is kept here for a person to review.
conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("record_id", ID, nullable=False, index=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("client_id", ID),
    sa.Column("field", sa.String(80), nullable=False),
    sa.Column("winner", JSONDOC, nullable=False),
    sa.Column("loser", JSONDOC, nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("resolved_at", TIME),
    sa.Column("resolved_by", ID),
)

rota = sa.Table(
    "rota",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("team_id", ID, sa.ForeignKey("teams.id"), nullable=False, index=True),
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("starts_at", TIME, nullable=False),
    sa.Column("ends_at", TIME, nullable=False),
)

# What the server itself did on someone's behalf: enrolments, revocations, break-glass reads.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", TIME, nullable=False),
    sa.Column("actor_id", ID),
    sa.Column("device_id", ID),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target_kind", sa.String(40)),
    sa.Column("target_id", ID),
    sa.Column("reason", sa.Text),
)

# Open visits not yet checked out, with when each is expected to end (overdue.py keeps it on every
# push): the overdue sweep reads this small indexed table instead of scanning every visit ever made.
visit_watch = sa.Table(
    "visit_watch",
    metadata,
    sa.Column("visit_id", ID, primary_key=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("client_id", ID),
    sa.Column("ends_at", TIME, nullable=False),
    sa.Index("ix_visit_watch_ends_at", "ends_at"),
)

# Every version of every record: one row per operation applied (versions.py, in the push's own
# transaction), with what it changed, who made it, when and from which device. The records table
# holds only the current values; this is what a subject access request's "every version" reads.
record_versions = sa.Table(
    "record_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", ID, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("client_id", ID),
    sa.Column("seq", sa.BigInteger),
    sa.Column("op_id", ID, nullable=False),
    sa.Column("op", sa.String(10), nullable=False),
    sa.Column("result", sa.String(20), nullable=False),
    sa.Column("author_id", ID, nullable=False),
    sa.Column("device_id", ID, nullable=False),
    sa.Column("recorded_at", TIME, nullable=False),
    sa.Column("applied_at", TIME, nullable=False),
    sa.Column("changes", JSONDOC, nullable=False),
    sa.Index("ix_record_versions_client", "client_id"),
    sa.Index("ix_record_versions_record", "record_id", "id"),
)

# Lone-working escalation (navigator_server/escalation): each chain of alerts about one visit, its
# steps (each claimed by one server process before it is sent), staff contact details, the
# single-use acknowledgement tokens in the messages, and the key that signs them.
staff_contacts = sa.Table(
    "staff_contacts",
    metadata,
    sa.Column("user_id", ID, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("email", sa.String(254)),
    sa.Column("mobile", sa.String(32)),
    # Channels in the order to try them, comma separated: email, sms, notify_email, webhook.
    sa.Column("channels", sa.String(100), nullable=False),
    sa.Column("updated_at", TIME, nullable=False),
)

escalations = sa.Table(
    "escalations",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("visit_id", ID, nullable=False, index=True),
    sa.Column("team_id", ID, nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),  # overdue | sos
    sa.Column("started_at", TIME, nullable=False),
    sa.Column("ended_at", TIME),
    sa.Column("ended_why", sa.String(40)),
    sa.Column("acknowledged_by", ID),
)

escalation_steps = sa.Table(
    "escalation_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("escalation_id", ID, sa.ForeignKey("escalations.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("target", sa.String(20), nullable=False),  # worker, buddy, on_call, manager, last_resort
    sa.Column("urgent", sa.Boolean, nullable=False),
    # pending -> sending (claimed) -> sent | failed | skipped | late_skipped | cancelled
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("due_at", TIME, nullable=False),
    sa.Column("next_attempt_at", TIME, nullable=False),
    sa.Column("claimed_until", TIME),
    sa.Column("claimed_by", sa.String(80)),
    sa.Column("done_at", TIME),
    # 0: the chain's first pass; k: the k-th time its repeat steps are sent again (nobody answered).
    sa.Column("repeat", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("escalation_id", "position", name="uq_escalation_steps_position"),
    sa.Index("ix_escalation_steps_status_next", "status", "next_attempt_at"),
)

ack_tokens = sa.Table(
    "ack_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("escalation_id", ID, sa.ForeignKey("escalations.id"), nullable=False),
    sa.Column("user_id", ID),  # None for the last-resort address
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
    sa.Column("expires_at", TIME, nullable=False),
    sa.Column("used_at", TIME),
)

server_secrets = sa.Table(
    "server_secrets",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("created_at", TIME, nullable=False),
)
