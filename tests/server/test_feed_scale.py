"""A team's pull on PostgreSQL reads its own team's rows and no others: the work of a page does not
grow with the rest of the organisation, with or without planner statistics."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from navigator_server import store
from navigator_server.db import Database
from navigator_server.schema import changes, records

pytestmark = pytest.mark.postgres

OURS, THEIRS = "team-ours", "team-theirs"
OTHERS_PER_OURS = 200  # each of our changes sits among this many of the other teams'


def _fill(db: Database, ours: int) -> None:
    """`ours` changes of our team spread through `ours * OTHERS_PER_OURS` changes of other teams."""
    rows: list[dict[str, Any]] = []
    feed: list[dict[str, Any]] = []
    for seq in range(1, ours * (OTHERS_PER_OURS + 1) + 1):
        team = OURS if seq % (OTHERS_PER_OURS + 1) == 0 else THEIRS
        record_id = f"r{seq:08d}"
        rows.append(
            {
                "id": record_id,
                "kind": "agency",
                "team_id": team,
                "client_id": None,
                "data": {"name": f"agency {seq}"},
                "field_stamps": {},
                "meta": {"created_by": "someone"},
                "deleted": False,
                "created_seq": seq,
                "updated_seq": seq,
            }
        )
        feed.append(
            {"seq": seq, "kind": "agency", "record_id": record_id, "team_id": team, "client_id": None}
        )
    with db.write() as conn:
        conn.execute(records.insert(), rows)
        conn.execute(changes.insert(), [{**f, "op_id": None, "at": "2026-12-05T00:00:00Z"} for f in feed])


def _rows_read(conn: Connection) -> dict[str, int]:
    """What this transaction has read so far, per table: rows from scans of the whole table and
    rows fetched through indexes (PostgreSQL's counters for the open transaction)."""
    found = conn.execute(
        sa.text(
            "SELECT relname, coalesce(seq_tup_read, 0) AS seq, coalesce(idx_tup_fetch, 0) AS idx"
            " FROM pg_stat_xact_user_tables WHERE relname IN ('changes', 'records')"
        )
    ).all()
    return {f"{r.relname}.{kind}": getattr(r, kind) for r in found for kind in ("seq", "idx")}


@pytest.mark.parametrize("analysed", [False, True], ids=["no statistics", "analysed"])
def test_a_teams_page_reads_only_its_own_rows(pg_db: Database, analysed: bool) -> None:
    ours = 60
    _fill(pg_db, ours)
    if analysed:
        with pg_db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE changes, records")
    limit = ours // 3
    with pg_db.read() as conn:
        more, cursor, rows = store.feed_page(conn, OURS, 0, limit)
        read = _rows_read(conn)
        teams_sent = {s.team_id for s in store.load_many(conn, [r[2] for r in rows]).values()}
    assert len(rows) == limit and more and cursor == rows[-1][0]
    assert teams_sent == {OURS}
    # Every row read is one of the page's (and the one after it): no scan of a table, no other
    # team's change looked at, and none of ours past the page (no sort of all that follow).
    assert read.get("changes.seq", 0) == 0 and read.get("records.seq", 0) == 0
    assert read["changes.idx"] <= limit + 2 and read["records.idx"] <= limit + 2, read


def test_a_page_cut_by_size_reads_no_further_than_it_sends(pg_db: Database) -> None:
    _fill(pg_db, 60)
    with pg_db.read() as conn:
        more, _cursor, rows = store.feed_page(conn, THEIRS, 0, 5000, max_bytes=64 * 1024)
        read = _rows_read(conn)
    assert more and 0 < len(rows) < 5000
    # The server computes rows as they are fetched, and the chunks asked for shrink towards the
    # page's size: a cut page costs what it holds and one small chunk at most (with chunks of a
    # fixed 250 it read up to 249 more, half of them on average).
    assert read["records.idx"] <= len(rows) + store._MIN_FETCH + 1, (len(rows), read)


def test_the_chunks_asked_for_fill_a_page_without_passing_its_limit() -> None:
    assert store._next_chunk(0, 0, 5000, 2_000_000) == store._FETCH  # nothing known of the rows yet
    assert store._next_chunk(250, 200_000, 5000, None) == store._FETCH  # no size to fill
    # 250 rows of 800 characters leave room for about 2,250 more: three quarters of that is asked.
    assert store._next_chunk(250, 200_000, 5000, 2_000_000) == 1687
    assert store._next_chunk(2400, 1_999_000, 5000, 2_000_000) == store._MIN_FETCH  # near the end
    assert store._next_chunk(4990, 100_000, 5000, 2_000_000) == 10  # never past the limit


def test_seed_demo_makes_an_organisation_of_teams_by_copy(pg_db: Database) -> None:
    from navigator_server import seed
    from navigator_server.schema import teams, users
    from navigator_server.security import Passwords

    settings = pg_db.settings
    said = seed.seed_demo(pg_db, Passwords(settings), settings, "demo password", scale="small", teams=2)
    with pg_db.read() as conn:
        names = sorted(conn.execute(sa.select(teams.c.name)).scalars())
        per_team = dict(
            conn.execute(sa.select(records.c.team_id, sa.func.count()).group_by(records.c.team_id)).all()
        )
        fed = conn.execute(sa.select(sa.func.count()).select_from(changes)).scalar_one()
        hashes = set(conn.execute(sa.select(users.c.password_hash)).scalars())
        analysed = conn.execute(
            sa.text("SELECT count(*) FROM pg_stats WHERE tablename = 'changes' AND attname = 'team_id'")
        ).scalar_one()
    assert len(names) == 2 and names[1] == names[0] + " 2", names
    assert len(per_team) == 2 and min(per_team.values()) > 100 and fed == sum(per_team.values())
    assert len(hashes) == 1  # one password, hashed once
    assert analysed == 1  # statistics for the planner straight after the bulk load
    assert "Enrol a laptop" in said
