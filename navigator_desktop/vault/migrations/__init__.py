"""Schema migrations for the local database, oldest first.

Each migration is a numbered step from the version before it; the runner applies the ones above
``PRAGMA user_version`` in order, each in its own transaction, and sets ``user_version`` to the
step's number. The SQL is frozen text in the ``m####_*.sql`` files beside this module: a
migration that has been released is never edited, since laptops in the field have already applied
it. A change to the schema is a new file. (``tests/fixtures/make_schema_sql.py`` wrote the first
one from ``navigator_core.kinds`` and writes the ALTER statements for a new spec field.)

The files hold no BEGIN/COMMIT of their own: the runner owns the transaction. The ``s####_*.sql``
files are the same for the search index's own database file (store/search/index.py).
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int  # the `PRAGMA user_version` the database has once this migration is applied
    name: str
    sql: str


def _load(version: int, name: str, prefix: str = "m") -> Migration:
    text = (
        importlib.resources.files(__name__).joinpath(f"{prefix}{version:04d}_{name}.sql").read_text("utf-8")
    )
    return Migration(version, name, text)


MIGRATIONS: list[Migration] = [
    _load(1, "records"),  # one table per record kind, with the indexes the screens need
    _load(2, "sync_bookkeeping"),  # outbox, revisions, conflicts, settings, drafts, users, teams
    _load(3, "search"),  # full-text indexes over names and notes, kept current by triggers
    _load(4, "lone_working"),  # visit escalation steps, conflict decisions, out-of-hours contacts
    _load(5, "plan_reviews"),  # support goals' review log; a covering index for the reports
    _load(6, "search_file"),  # the full-text index moves to its own file; a sync indexes in parallel
    _load(7, "peer_support"),  # referrals, engagements, concerns for supervision; agencies' pathways
]
LATEST_VERSION = MIGRATIONS[-1].version

# The full-text index's own file (navigator-search.db): its schema, numbered on its own.
SEARCH_MIGRATIONS: list[Migration] = [
    _load(1, "index", "s"),  # the index tables and what the file has caught up with
    _load(2, "bulk_writes", "s"),  # FTS5 keeps more terms in memory before writing a segment
    _load(3, "batch_marks", "s"),  # each pulled batch is marked as written on its own
]
