"""The schema: it matches the record specs, its released migrations never change, every earlier
version migrates to the latest with its data intact, and the screens' queries use indexes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from navigator_core.kinds import ALL_KINDS
from navigator_desktop.store import clients, contacts, handover, search
from navigator_desktop.store.codec import meta_columns
from navigator_desktop.store.db import Database, apply_migrations
from navigator_desktop.vault.migrations import LATEST_VERSION, MIGRATIONS, SEARCH_MIGRATIONS
from tests.fixtures import make_schema_fixtures as fx
from tests.fixtures.make_schema_sql import missing_sql

FIXTURES = Path(__file__).parents[2] / "fixtures"

# A migration that has been released is on laptops already: changing its text would leave those
# laptops with a schema nobody can reproduce. Add a new migration instead (and its hash here).
RELEASED = {
    1: "a0d753bf696b5b25c30b6bc71f7e02f434ed3f35273a7d67614d4bfca30dd461",
    2: "cc70af93a0bb50f9a3e36cbb379ef944f765771f2347790054a91749e08bd037",
    3: "ded3035567e3374586be9601f0ac67d039c32b6582e963802f8117f1afca9b7d",
    4: "ea5931d5fa35b8646d9e7e814917b23618e7041427f3dbc8ccd90641fd52ac15",
    5: "9a8d179b94432115d712a820f42cd799167a4b95fceb6b1622c38ac5d1de62d2",
    6: "a9dfe2b2fcedcba37e492252b313b03e7952f0758f9e691354ef957f15571b2a",
    7: "1e1955af90f2ac0526ff4771e1ef2f3cf1c8b511cd0d9831b9c40d63330a58e6",
}
# The search index's own file (store/search/index.py). A file made by an earlier schema is not
# migrated but it is on laptops all the same: the same rule.
SEARCH_RELEASED = {
    1: "8d051a539aeb04f158709b9e4302de4db559540d82bdb7f517569c9ac4b61cbd",
    2: "670d14951f44b7b8619786ebb37ebfdb8df29ae7607c65d1e1a859948b679ad9",
    3: "4424ad4907d5267856e851c9aac76e5c3b304daf577b2e979965351dd6094ae4",
}


def test_latest_schema_has_a_column_for_every_field_of_every_kind(plain_db: Database) -> None:
    for spec in ALL_KINDS:
        columns = {r["name"]: r["type"] for r in plain_db.query(f"PRAGMA table_info({spec.table})")}
        assert columns, f"no table for {spec.name}"
        for name in meta_columns(spec):
            assert name in columns, f"{spec.table} lacks meta column {name}"
        for field in spec.fields:
            assert columns.get(field.name) == field.sql_type, f"{spec.table}.{field.name}"
    assert missing_sql(plain_db.connection).strip() == ""


def test_released_migrations_are_unchanged() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    for migration in MIGRATIONS:
        digest = hashlib.sha256(migration.sql.encode()).hexdigest()
        assert RELEASED.get(migration.version) == digest, f"migration {migration.version} was edited"


def test_released_search_migrations_are_unchanged() -> None:
    assert [m.version for m in SEARCH_MIGRATIONS] == list(range(1, len(SEARCH_MIGRATIONS) + 1))
    for migration in SEARCH_MIGRATIONS:
        digest = hashlib.sha256(migration.sql.encode()).hexdigest()
        assert SEARCH_RELEASED.get(migration.version) == digest, (
            f"search migration {migration.version} was edited"
        )


def test_every_version_has_a_fixture() -> None:
    for migration in MIGRATIONS:
        assert (FIXTURES / f"schema_v{migration.version}.db").is_file()


@pytest.mark.parametrize("version", [m.version for m in MIGRATIONS])
def test_each_fixture_version_migrates_to_the_latest_with_its_data(version: int, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / f"schema_v{version}.db", path)
    conn = fx.open_keyed(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    assert apply_migrations(conn) == LATEST_VERSION
    db = Database(conn)

    client = clients.get(db, fx.CLIENT)
    assert client is not None and client["given_name"] == "Siobhán" and client["co_worker_ids"] == []
    [row] = clients.caseload(db, now="2025-11-23T12:00:00.000Z")
    assert (row.risk_level, row.risk_categories) == ("high", ("visit_two_workers",))
    assert row.review_due == "2025-12-01"
    assert [c["id"] for c in contacts.timeline(db, fx.CLIENT)] == [fx.CONTACT_AMENDED]
    assert {c["state"] for c in contacts.history(db, fx.CLIENT)} == {
        "current",
        "superseded",
        "entered_in_error",
    }
    notes = handover.current(db, team_id=fx.TEAM, user_id=fx.USER, now="2025-11-24T00:00:00.000Z")
    assert [n["id"] for n in notes] == [fx.NOTE]

    # Search covers what was there before the search index existed.
    assert [h.record_id for h in search.search(db, "siobhan")] == [fx.CLIENT]
    assert [h.record_id for h in search.search(db, "bike workshop")] == [fx.CONTACT_AMENDED]
    assert [h.kind for h in search.search(db, "kitchen knife")] == ["risk_flag"]
    assert [h.kind for h in search.search(db, "benefits appointment")] == ["handover_note"]

    if version >= 2:
        assert db.scalar("SELECT count(*) FROM outbox") == 1
        assert db.scalar("SELECT value FROM settings WHERE key = 'device_id'") == fx.DEVICE
    db.close()


def _plan(db: Database, sql: str, params: tuple[object, ...] | dict[str, object]) -> str:
    return "\n".join(str(r["detail"]) for r in db.query("EXPLAIN QUERY PLAN " + sql, params))


@pytest.mark.parametrize(
    ("sql", "params", "table"),
    [
        (
            "SELECT * FROM contacts c WHERE c.client_id = ? ORDER BY c.occurred_at DESC LIMIT 50",
            ("x",),
            "contacts",
        ),
        ("SELECT * FROM risk_flags WHERE client_id = ? AND status = 'active'", ("x",), "risk_flags"),
        ("SELECT * FROM entered_in_errors WHERE target_id = ?", ("x",), "entered_in_errors"),
        ("SELECT * FROM contacts WHERE amends_id = ?", ("x",), "contacts"),
        ("SELECT * FROM audit_events WHERE client_id = ? ORDER BY recorded_at DESC", ("x",), "audit_events"),
        ("SELECT * FROM visits WHERE worker_id = ? AND planned_start >= ?", ("x", "y"), "visits"),
        ("SELECT * FROM handover_notes WHERE valid_from >= ?", ("x",), "handover_notes"),
    ],
)
def test_screen_queries_use_an_index(
    plain_db: Database, sql: str, params: tuple[object, ...], table: str
) -> None:
    plan = _plan(plain_db, sql, params)
    assert f"SCAN {table}" not in plan.replace(" AS ", " "), plan
    assert "INDEX" in plan, plan


def test_current_handover_query_uses_its_expression_index(plain_db: Database) -> None:
    # handover.current's SQL, captured by running it with EXPLAIN through a recording db.
    class Recorder(Database):
        sql = ""

        def query(self, sql: str, params: object = ()) -> list[dict[str, object]]:
            Recorder.sql = sql
            return []

    handover.current(Recorder(plain_db.connection), team_id="t", user_id="u")
    plan = _plan(plain_db, Recorder.sql, {"team": "t", "user": "u", "now": "2026"})
    assert "handover_notes_by_current" in plan, plan


def test_timeline_query_walks_the_client_index(plain_db: Database) -> None:
    class Recorder(Database):
        sql = ""

        def query(self, sql: str, params: object = ()) -> list[dict[str, object]]:
            Recorder.sql = sql
            return []

    contacts.timeline(Recorder(plain_db.connection), "x")
    plan = _plan(plain_db, Recorder.sql, ("x", "9999", -1))
    assert "contacts_for_reports" in plan, plan
    assert "SCAN c" not in plan and "SCAN contacts" not in plan, plan
