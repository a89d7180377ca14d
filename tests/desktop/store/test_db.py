"""The database wrapper: transactions, savepoints, and faults split by cause."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from navigator_desktop.store import errors, settings
from navigator_desktop.store.db import Database
from navigator_desktop.store.plain import open_plain


def test_transaction_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    with db.transaction():
        settings.put(db, "a", "1")
    with pytest.raises(RuntimeError), db.transaction():
        settings.put(db, "b", "2")
        raise RuntimeError("stop")
    assert settings.get(db, "a") == "1"
    assert settings.get(db, "b") is None
    assert not db.connection.in_transaction


def test_nested_transaction_does_not_commit_early(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        with db.transaction():
            settings.put(db, "inner", "1")
        assert db.in_transaction
        raise RuntimeError("outer fails after the inner block finished")
    assert settings.get(db, "inner") is None


def test_failed_inner_block_undoes_only_itself(db: Database) -> None:
    with db.transaction():
        settings.put(db, "outer", "1")
        with pytest.raises(RuntimeError), db.transaction():
            settings.put(db, "inner", "1")
            raise RuntimeError("inner fails")
        settings.put(db, "after", "1")
    assert settings.all_settings(db) == {"after": "1", "outer": "1"}


def test_query_helpers(db: Database) -> None:
    settings.put(db, "k", "v")
    assert db.query("SELECT key, value FROM settings") == [{"key": "k", "value": "v"}]
    assert db.one("SELECT value FROM settings WHERE key = ?", ("k",)) == {"value": "v"}
    assert db.one("SELECT value FROM settings WHERE key = ?", ("none",)) is None
    assert db.scalar("SELECT count(*) FROM settings") == 1
    assert db.column("SELECT key FROM settings") == ["k"]


def test_a_full_disk_is_a_store_error_and_nothing_is_kept(plain_db: Database) -> None:
    db = plain_db
    pages = db.scalar("PRAGMA page_count")
    db.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(errors.DiskFullError) as caught, db.transaction():
        for i in range(2000):
            settings.put(db, f"key{i}", "x" * 500)
    assert "no room" in caught.value.message
    assert settings.get(db, "key0") is None
    assert not db.connection.in_transaction


def test_a_read_only_file_is_a_store_error(tmp_path: Path) -> None:
    open_plain(tmp_path / "ro.db").close()
    conn = sqlite3.connect(f"file:{tmp_path / 'ro.db'}?mode=ro", uri=True, isolation_level=None)
    db = Database(conn)
    with pytest.raises(errors.ReadOnlyError):
        settings.put(db, "k", "v")


def test_a_damaged_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database at all" * 200)
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    with pytest.raises(errors.DatabaseDamagedError) as caught:
        db.query("SELECT * FROM settings")
    assert "damaged" in caught.value.message


def test_a_bug_is_not_disguised_as_a_store_error(db: Database) -> None:
    with pytest.raises(Exception) as caught:
        db.query("SELECT no_such_column FROM settings")
    assert not isinstance(caught.value, errors.StoreError)


def test_actions_after_commit_run_once_it_commits_and_never_after_a_rollback(db: Database) -> None:
    ran: list[str] = []
    with db.transaction():
        db.after_commit(lambda: ran.append("kept"))
        with pytest.raises(ValueError), db.transaction():
            db.after_commit(lambda: ran.append("undone with its savepoint"))
            raise ValueError("boom")
        assert ran == []
    assert ran == ["kept"]
    with pytest.raises(ValueError), db.transaction():
        db.after_commit(lambda: ran.append("rolled back"))
        raise ValueError("boom")
    assert ran == ["kept"]


def test_a_failing_action_after_commit_does_not_undo_the_commit(db: Database) -> None:
    def broken() -> None:
        raise RuntimeError("after the fact")

    with db.transaction():
        settings.put(db, "k", "v")
        db.after_commit(broken)
    assert settings.get(db, "k") == "v"


def test_scratch_lives_as_long_as_its_transaction(db: Database) -> None:
    with db.transaction():
        db.scratch()["x"] = 1
        with db.transaction(savepoint=False):
            assert db.scratch()["x"] == 1
    with db.transaction():
        assert "x" not in db.scratch()
    with pytest.raises(RuntimeError):
        db.scratch()


def test_records_are_not_handed_to_the_index_from_inside_a_savepoint(db: Database) -> None:
    from navigator_desktop.store.search import queue as search_queue

    entries = [search_queue.entry("contact", "0190f5a0-0000-7000-8000-0000000000aa", {"narrative": "x"})]
    with db.transaction(), db.transaction():
        with pytest.raises(RuntimeError):
            search_queue.hand_over(db, entries)
        with pytest.raises(RuntimeError), search_queue.paused(db):
            pass
