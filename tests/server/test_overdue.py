"""Overdue visits marked by the central store: the sweep, its merge rule with offline check-outs,
its safety with several processes, and the three ways it runs (timer, before a pull, CLI)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from navigator_core import hlc, timeutil
from navigator_core.policy import Role
from navigator_core.timerules import Limits
from navigator_server import cli, overdue, push, store
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.schema import changes, conflicts, records, visit_watch
from tests.server.helpers import Laptop, World, client_values

DRIFT = timedelta(hours=24)


def ago(minutes: float) -> str:
    return timeutil.to_text(timeutil.utcnow() - timedelta(minutes=minutes))


def send(db: Database, laptop: Laptop, *ops: dict[str, Any]) -> list[str]:
    with db.write() as conn:
        results = push.push(conn, laptop.who, list(ops), limits=Limits(drift=DRIFT))
    return [r.status for r in results]


@pytest.fixture
def world(store_db: Database) -> World:
    w = World(store_db, store_db.settings)
    w.team("North")
    return w


def setup_visit(world: World, *, started_minutes_ago: float = 120, minutes: int = 60, **more: Any) -> tuple:
    nav = world.laptops.get("nav") or world.person("nav", "North", Role.NAVIGATOR)
    client = nav.create("client", **client_values(world.teams["North"], nav.who.user_id))
    values = {
        "client_id": client["record_id"],
        "worker_id": nav.who.user_id,
        "place": "Client's flat",
        "planned_start": ago(started_minutes_ago),
        "expected_minutes": minutes,
        "status": "planned",
        **more,
    }
    visit = nav.create("visit", **values)
    assert send(world.db, nav, client, visit) == ["applied", "applied"]
    return nav, client["record_id"], visit["record_id"]


def load(db: Database, record_id: str) -> store.Stored:
    with db.read() as conn:
        found = store.load(conn, record_id)
    assert found is not None
    return found


def watched(db: Database) -> set[str]:
    with db.read() as conn:
        return {r.visit_id for r in conn.execute(sa.select(visit_watch.c.visit_id))}


def sweep(db: Database, grace: float = 15) -> list[str]:
    with db.write() as conn:
        return overdue.sweep(conn, grace)


def feed_entries(db: Database, record_id: str) -> int:
    with db.read() as conn:
        query = sa.select(sa.func.count()).select_from(changes).where(changes.c.record_id == record_id)
        return int(conn.execute(query).scalar_one())


def test_a_visit_past_its_end_and_grace_is_marked_overdue_once_as_a_server_change(world: World) -> None:
    _nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    assert watched(world.db) == {visit}
    before = load(world.db, visit)
    assert sweep(world.db) == [visit]
    after = load(world.db, visit)
    assert after.data["status"] == "overdue"
    stamp = hlc.Stamp.parse(after.field_stamps["status"])
    assert stamp.device == overdue.SERVER and after.field_stamps["status"] > before.field_stamps["status"]
    assert after.meta["updated_by"] == overdue.SERVER
    assert feed_entries(world.db, visit) == 2  # created, then marked
    assert watched(world.db) == set()
    assert sweep(world.db) == []  # idempotent
    assert feed_entries(world.db, visit) == 2


def test_within_the_grace_period_or_checked_out_a_visit_is_left_alone(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=70, minutes=60)  # 10 min over
    assert sweep(world.db, grace=15) == []
    assert load(world.db, visit).data["status"] == "planned"
    checkout = nav.upsert("visit", visit, status="completed", checked_in_at=ago(70), checked_out_at=ago(5))
    assert send(world.db, nav, checkout) == ["applied"]
    assert watched(world.db) == set()
    assert sweep(world.db, grace=0) == []
    assert load(world.db, visit).data["status"] == "completed"


def test_a_checked_in_visit_is_due_at_its_check_in_plus_its_duration(world: World) -> None:
    # Planned two hours ago for an hour, but the navigator only got there 30 minutes ago.
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    check_in = nav.upsert("visit", visit, status="in_progress", checked_in_at=ago(30))
    assert send(world.db, nav, check_in) == ["applied"]
    assert sweep(world.db) == []  # half way through, not overdue
    assert watched(world.db) == {visit}
    with world.db.read() as conn:
        [due] = conn.execute(sa.select(visit_watch.c.ends_at)).scalars().all()
    assert abs(timeutil.parse(due) - (timeutil.utcnow() + timedelta(minutes=30))) < timedelta(minutes=1)


def test_a_visit_started_early_is_due_early(world: World) -> None:
    # Planned to start now, checked in 100 minutes ago for an hour: 40 minutes over.
    nav, _client, visit = setup_visit(world, started_minutes_ago=0, minutes=60)
    assert sweep(world.db) == []
    check_in = nav.upsert("visit", visit, status="in_progress", checked_in_at=ago(100))
    assert send(world.db, nav, check_in) == ["applied"]
    assert sweep(world.db) == [visit]


def test_replanning_or_extending_moves_the_due_time(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    replan = nav.upsert("visit", visit, planned_start=ago(30))
    assert send(world.db, nav, replan) == ["applied"]
    assert sweep(world.db) == []  # re-planned to start 30 minutes ago, for an hour
    check_in = nav.upsert("visit", visit, status="in_progress", checked_in_at=ago(100))
    assert send(world.db, nav, check_in) == ["applied"]
    assert watched(world.db) == {visit}
    extend = nav.upsert("visit", visit, expected_minutes=150)  # now due 50 minutes from now
    assert send(world.db, nav, extend) == ["applied"]
    assert sweep(world.db) == []
    assert watched(world.db) == {visit}


def test_an_extension_sent_after_the_mark_withdraws_it_and_the_visit_is_watched_again(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    assert send(world.db, nav, nav.upsert("visit", visit, status="in_progress", checked_in_at=ago(120))) == [
        "applied"
    ]
    assert sweep(world.db) == [visit]
    mark = load(world.db, visit).field_stamps["status"]
    time.sleep(0.01)
    assert send(world.db, nav, nav.upsert("visit", visit, expected_minutes=180)) == ["applied"]
    stored = load(world.db, visit)
    assert stored.data["status"] == "in_progress" and stored.field_stamps["status"] > mark
    assert hlc.Stamp.parse(stored.field_stamps["status"]).device == overdue.SERVER
    assert watched(world.db) == {visit}
    assert sweep(world.db) == []


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_a_visit_cancelled_or_completed_offline_before_the_mark_is_settled_so(
    world: World, status: str
) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    ended = nav.upsert("visit", visit, status=status)  # offline, before the store's mark
    time.sleep(0.01)
    assert sweep(world.db) == [visit]
    mark = load(world.db, visit).field_stamps["status"]
    assert send(world.db, nav, ended) == ["conflict_recorded"]
    settled = load(world.db, visit)
    assert settled.data["status"] == status and settled.field_stamps["status"] > mark
    assert _open_conflicts(world.db, visit) == 0
    [decision] = _resolutions(world.db, visit)
    assert decision["choice"] == "take_other" and f"Marked {status}" in decision["note"]
    assert watched(world.db) == set()
    assert sweep(world.db, grace=0) == []


def _open_conflicts(db: Database, visit: str) -> int:
    with db.read() as conn:
        query = sa.select(sa.func.count()).select_from(conflicts)
        query = query.where(conflicts.c.record_id == visit, conflicts.c.resolved_at.is_(None))
        return int(conn.execute(query).scalar_one())


def _resolutions(db: Database, visit: str) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(sa.select(records.c.id).where(records.c.kind == "conflict_resolution"))
        found = store.load_many(conn, [r.id for r in rows])
    return [s.data for s in found.values() if s.data["target_id"] == visit]


def test_an_offline_check_out_made_before_the_mark_settles_the_visit_completed(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    # Checked out offline, 40 minutes ago by its own clock; the store has not heard of it yet.
    checkout = nav.upsert("visit", visit, status="completed", checked_in_at=ago(120), checked_out_at=ago(40))
    time.sleep(0.01)
    assert sweep(world.db) == [visit]
    mark = load(world.db, visit).field_stamps["status"]
    assert checkout["changes"]["status"]["stamp"] < mark  # the check-out's stamp is the older
    assert send(world.db, nav, checkout) == ["conflict_recorded"]
    settled = load(world.db, visit)
    assert settled.data["status"] == "completed" and settled.data["checked_out_at"]
    assert settled.field_stamps["status"] > mark  # later than every stamp: every laptop converges
    assert hlc.Stamp.parse(settled.field_stamps["status"]).device == overdue.SERVER
    assert _open_conflicts(world.db, visit) == 0
    [decision] = _resolutions(world.db, visit)
    assert decision["choice"] == "take_other" and decision["kept_stamp"] == mark
    assert watched(world.db) == set()


def test_a_check_out_after_the_mark_wins_and_its_conflict_is_settled(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    assert sweep(world.db) == [visit]
    time.sleep(0.01)
    checkout = nav.upsert("visit", visit, status="completed", checked_out_at=ago(0))
    assert send(world.db, nav, checkout) == ["conflict_recorded"]
    assert load(world.db, visit).data["status"] == "completed"
    assert _open_conflicts(world.db, visit) == 0
    [decision] = _resolutions(world.db, visit)
    assert decision["choice"] == "keep"


def test_a_persons_escalation_is_never_withdrawn(world: World) -> None:
    nav, _client, visit = setup_visit(world, started_minutes_ago=120, minutes=60)
    on_call = world.person("oncall", "North", Role.ON_CALL)
    checkout = nav.upsert("visit", visit, status="completed", checked_out_at=ago(40))
    assert sweep(world.db) == [visit]
    time.sleep(0.01)
    on_call.stamps[visit] = dict(load(world.db, visit).field_stamps)
    escalate = on_call.upsert("visit", visit, status="escalated", overrun_action="Called the police.")
    assert send(world.db, on_call, escalate) == ["applied"]
    assert send(world.db, nav, checkout) == ["conflict_recorded"]
    stored = load(world.db, visit)
    assert stored.data["status"] == "escalated" and stored.data["checked_out_at"]
    assert _open_conflicts(world.db, visit) == 1  # a real disagreement between people, for review


def test_the_watch_table_is_rebuilt_from_the_visits_held(world: World) -> None:
    _nav, _client, visit = setup_visit(world)
    with world.db.write() as conn:
        conn.execute(visit_watch.delete())
        assert overdue.rebuild_watch(conn) == 1
    assert watched(world.db) == {visit}


@pytest.mark.postgres
def test_two_processes_sweeping_at_once_mark_each_visit_once(pg_db: Database) -> None:
    world = World(pg_db, pg_db.settings)
    world.team("North")
    _nav, _client, visit = setup_visit(world)
    other = Database(pg_db.settings)  # a second engine: another server process
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def run(db: Database) -> None:
        barrier.wait()
        results.append(sweep(db))

    threads = [threading.Thread(target=run, args=(db,)) for db in (pg_db, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    other.dispose()
    assert sorted(map(len, results)) == [0, 1]
    assert feed_entries(pg_db, visit) == 2


def test_a_pull_sweeps_first_so_the_on_call_worker_sees_the_visit_overdue(world: World) -> None:
    _nav, _client, visit = setup_visit(world)
    on_call = world.person("oncall", "North", Role.ON_CALL)
    settings = world.settings.model_copy(
        update={"overdue_pull_throttle_seconds": 0, "overdue_sweep_seconds": 0}
    )
    api = TestClient(create_app(settings, world.db))
    response = api.get("/v1/changes", headers=on_call.headers)
    assert response.status_code == 200
    [item] = [i for i in response.json()["changes"] if i["id"] == visit]
    assert item["access"] == "summary" and item["data"]["status"] == "overdue"


def test_pulls_sweep_at_most_once_per_throttle_interval(world: World) -> None:
    sweeper = overdue.Sweeper(
        world.db, world.settings.model_copy(update={"overdue_pull_throttle_seconds": 3600})
    )
    sweeper.before_pull()
    _nav, _client, visit = setup_visit(world)
    sweeper.before_pull()  # throttled: nothing swept
    assert load(world.db, visit).data["status"] == "planned"
    assert sweeper.run() == [visit]


def test_each_server_process_sweeps_on_a_timer_while_it_serves(world: World) -> None:
    _nav, _client, visit = setup_visit(world)
    settings = world.settings.model_copy(update={"overdue_sweep_seconds": 0.05})
    with TestClient(create_app(settings, world.db)):
        deadline = time.monotonic() + 10
        while load(world.db, visit).data["status"] != "overdue" and time.monotonic() < deadline:
            time.sleep(0.05)
    assert load(world.db, visit).data["status"] == "overdue"


def test_the_cli_sweeps_on_demand(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    world = World(sqlite_db, sqlite_db.settings)
    world.team("North")
    _nav, _client, visit = setup_visit(world)
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", sqlite_db.url)
    assert cli.main(["--data-dir", str(tmp_path), "sweep-overdue"]) == 0
    assert "marked 1 visit(s) overdue" in capsys.readouterr().out
    assert load(sqlite_db, visit).data["status"] == "overdue"
