"""The forward-only migration runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navigator_desktop.vault import errors, keys
from navigator_desktop.vault.connection import close, connect
from navigator_desktop.vault.migrate import migrate, split_statements
from tests.desktop.vault.vault_helpers import Migration

BASE = [
    Migration(1, "people", "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT);"),
    Migration(
        2, "visits", "CREATE TABLE visit (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person(id));"
    ),
]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Any]:
    connection = connect(tmp_path / "m.db", keys.new_data_key(), create=True)
    yield connection
    close(connection)


def version(conn: Any) -> int:
    value: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return value


def tables(conn: Any) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_applies_every_migration_in_order_and_records_the_version(conn: Any) -> None:
    assert migrate(conn, BASE) == 2
    assert version(conn) == 2
    assert tables(conn) == {"person", "visit"}


def test_applies_only_newer_migrations(conn: Any) -> None:
    migrate(conn, BASE[:1])
    conn.execute("INSERT INTO person (name) VALUES ('kept')")
    assert migrate(conn, BASE) == 2
    assert conn.execute("SELECT name FROM person").fetchall() == [("kept",)]
    assert migrate(conn, BASE) == 2  # nothing left to do


def test_a_failing_migration_leaves_the_database_at_the_previous_version(conn: Any) -> None:
    broken = Migration(
        3,
        "half done",
        """
        CREATE TABLE note (id INTEGER PRIMARY KEY);
        INSERT INTO person (name) VALUES ('x');
        INSERT INTO nowhere VALUES (1);
        """,
    )
    with pytest.raises(errors.MigrationFailed):
        migrate(conn, [*BASE, broken])
    assert version(conn) == 2
    assert "note" not in tables(conn)
    assert conn.execute("SELECT count(*) FROM person").fetchone()[0] == 0
    assert not conn.in_transaction
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_earlier_migrations_stay_applied_when_a_later_one_fails(conn: Any) -> None:
    with pytest.raises(errors.MigrationFailed):
        migrate(conn, [*BASE, Migration(3, "broken", "CREATE TABLE (;")])
    assert version(conn) == 2


def test_a_database_newer_than_every_migration_is_refused_unchanged(conn: Any) -> None:
    migrate(conn, BASE)
    conn.execute("PRAGMA user_version = 7")
    with pytest.raises(errors.DatabaseTooNew) as caught:
        migrate(conn, BASE)
    assert (caught.value.found, caught.value.supported) == (7, 2)
    assert version(conn) == 7


def test_a_migration_may_not_commit_on_its_own(conn: Any) -> None:
    sneaky = Migration(3, "sneaky", "CREATE TABLE a (x);\nCOMMIT;\nCREATE TABLE b (x);")
    with pytest.raises(errors.MigrationFailed):
        migrate(conn, [*BASE, sneaky])
    assert version(conn) == 2
    assert "a" not in tables(conn)


def test_a_migration_that_breaks_foreign_keys_is_rolled_back(conn: Any) -> None:
    orphan = Migration(3, "orphan", "INSERT INTO visit (person_id) VALUES (42);")
    with pytest.raises(errors.MigrationFailed):
        migrate(conn, [*BASE, orphan])
    assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 0


def test_a_table_rebuild_works_with_foreign_keys_on(conn: Any) -> None:
    migrate(conn, BASE)
    conn.execute("INSERT INTO person (id, name) VALUES (1, 'a')")
    conn.execute("INSERT INTO visit (person_id) VALUES (1)")
    rebuild = Migration(
        3,
        "rebuild person",
        """
        CREATE TABLE person_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
        INSERT INTO person_new (id, name) SELECT id, coalesce(name, '') FROM person;
        DROP TABLE person;
        ALTER TABLE person_new RENAME TO person;
        """,
    )
    assert migrate(conn, [*BASE, rebuild]) == 3
    assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] == 1


def test_versions_out_of_order_are_a_bug(conn: Any) -> None:
    with pytest.raises(ValueError, match="increase"):
        migrate(conn, [BASE[1], BASE[0]])
    with pytest.raises(ValueError, match="increase"):
        migrate(conn, [BASE[0], BASE[0]])


def test_no_migrations_leaves_a_fresh_database_at_version_zero(conn: Any) -> None:
    assert migrate(conn, []) == 0


def test_statements_split_only_where_sqlite_says_they_end() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE t (x TEXT DEFAULT 'a;b');
    /* block; comment */ INSERT INTO t VALUES ('c;d');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET x = 'e;f' WHERE rowid = new.rowid;
    END;
    -- trailing comment
    """
    statements = split_statements(sql)
    assert len(statements) == 4
    assert statements[0].endswith("DEFAULT 'a;b');")
    assert statements[2].startswith("CREATE TRIGGER") and statements[2].endswith("END;")


def test_trigger_bodies_survive_migration(conn: Any) -> None:
    schema = Migration(
        1,
        "trigger",
        """
        CREATE TABLE t (x TEXT);
        CREATE TABLE log (x TEXT);
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN
            INSERT INTO log VALUES (new.x || ';');
            INSERT INTO log VALUES ('second');
        END;
        """,
    )
    migrate(conn, [schema])
    conn.execute("INSERT INTO t VALUES ('a')")
    assert conn.execute("SELECT x FROM log").fetchall() == [("a;",), ("second",)]


def test_incomplete_trailing_sql_is_refused() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x); CREATE TABLE u (x DEFAULT 'unterminated")
