"""A person's decision on a conflict reaches every laptop and the central store (real server on
loopback, SQLite and PostgreSQL), whatever order the conflict and its decision arrive in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from navigator_desktop.store import conflicts
from navigator_server.schema import conflicts as server_conflicts
from tests.e2e.harness import Laptop, Org, assert_converged


def make_conflict(a: Laptop, b: Laptop, client: str) -> conflicts.Conflict:
    """Ann and Bob change the client's phone offline; both laptops end up holding the conflict."""
    a.update("client", client, phone="111")
    b.update("client", client, phone="222")
    a.sync()
    b.sync()
    a.sync()
    (found_a,) = conflicts.open_conflicts(a.db)
    (found_b,) = conflicts.open_conflicts(b.db)
    assert (found_a.kept_stamp, found_a.lost_stamp) == (found_b.kept_stamp, found_b.lost_stamp)
    return found_a


def server_rows(org: Org) -> list[Any]:
    with org.db.read() as conn:
        return list(conn.execute(sa.select(server_conflicts)))


def settled(laptop: Laptop) -> list[tuple[str | None, str | None]]:
    return [(c.resolved_by, c.resolution) for c in conflicts.all_conflicts(laptop.db)]


def test_a_decision_on_one_laptop_settles_the_conflict_on_the_other_and_on_the_server(pair, org):
    a, b, client = pair
    conflict = make_conflict(a, b, client)
    # Who wrote each side is known (the dialog shows their names), on both laptops.
    authors = {conflict.kept_author, conflict.lost_author}
    assert authors == {org.users["ann"], org.users["bob"]}
    (on_b,) = conflicts.open_conflicts(b.db)
    assert (on_b.kept_author, on_b.lost_author) == (conflict.kept_author, conflict.lost_author)

    conflicts.resolve(a.db, a.actor, conflict.id, conflicts.KEEP, "agreed with the client")
    assert conflicts.open_conflicts(b.db), "not settled on b before b syncs"
    assert server_rows(org)[0].resolved_at is None
    a.sync()
    (row,) = server_rows(org)
    assert row.resolved_by == org.users["ann"] and row.resolved_at
    b.sync()
    assert conflicts.open_conflicts(b.db) == []
    assert settled(b) == [(org.users["ann"], conflicts.KEEP)] == settled(a)
    (decision,) = b.db.query("SELECT * FROM conflict_resolutions")
    assert decision["note"] == "agreed with the client" and decision["choice"] == conflicts.KEEP
    assert decision["kept_stamp"] == conflict.kept_stamp and decision["lost_stamp"] == conflict.lost_stamp
    assert b.get("client", client)["phone"] == conflict.kept_value
    assert_converged(a.url, a, b)


def test_a_conflict_arriving_after_its_decision_is_recorded_already_settled(pair, org, tmp_path: Path):
    a, b, client = pair
    conflict = make_conflict(a, b, client)
    conflicts.resolve(a.db, a.actor, conflict.id, conflicts.TAKE_OTHER)
    a.sync()
    # Cath joins the client's care: the store sends her its records again, and the conflicts after
    # them, so the decision (a record of the client) reaches her laptop before the conflict does.
    org.person("cath")
    org.person("mo", "manager")
    c, m = Laptop(tmp_path / "c", a.url), Laptop(tmp_path / "m", a.url)
    c.enrol(org, "cath")
    m.enrol(org, "mo")
    m.sync()
    m.update("client", client, co_worker_ids=[org.users["bob"], org.users["cath"]])
    assert m.sync().rejected == 0
    c.sync()
    try:
        (on_c,) = conflicts.all_conflicts(c.db)
        assert on_c.resolved_at is not None
        assert (on_c.resolved_by, on_c.resolution) == (org.users["ann"], conflicts.TAKE_OTHER)
        assert conflicts.open_conflicts(c.db) == []
        assert c.get("client", client)["phone"] == conflict.lost_value
        for laptop in (a, b, m):
            laptop.sync()
        assert_converged(a.url, a, b, c, m)
    finally:
        c.close()
        m.close()


def test_two_different_decisions_made_offline_are_both_kept_and_the_earliest_is_shown(pair, org):
    a, b, client = pair
    conflict = make_conflict(a, b, client)
    (on_b,) = conflicts.open_conflicts(b.db)
    conflicts.resolve(a.db, a.actor, conflict.id, conflicts.KEEP, "ann first")
    conflicts.resolve(b.db, b.actor, on_b.id, conflicts.TAKE_OTHER, "bob later")
    # Bob's decision reaches the store first; Ann's, recorded earlier, still becomes the one shown.
    b.sync()
    a.sync()
    b.sync()
    for laptop in (a, b):
        notes = {r["note"] for r in laptop.db.query("SELECT note FROM conflict_resolutions")}
        assert notes == {"ann first", "bob later"}
        assert settled(laptop) == [(org.users["ann"], conflicts.KEEP)]
    (row,) = server_rows(org)
    assert row.resolved_by == org.users["ann"]
    # Bob's choice still put the other value back (an ordinary later update), the same everywhere.
    assert a.get("client", client)["phone"] == b.get("client", client)["phone"] == conflict.lost_value
    assert_converged(a.url, a, b)
