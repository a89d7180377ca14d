"""The search index in its own encrypted file, filled by an indexer process during a large pull:
what is found is what is stored, in every order of events, and a file that is lost, damaged or
another vault's is made anew from the records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navigator_desktop.session import Session
from navigator_desktop.store import risk, search
from navigator_desktop.store.context import make_actor
from navigator_desktop.store.search import check as search_check
from navigator_desktop.store.search import queue as search_queue
from navigator_desktop.store.search import writer as search_writer
from navigator_desktop.store.search.index import INLINE_MAX, SearchIndex, index_of
from navigator_desktop.sync.apply import apply_page
from navigator_desktop.vault import KdfParams
from navigator_desktop.vault.vault import SEARCH_DB_NAME
from tests.desktop.store.helpers import (
    DEVICE_ID,
    USER_ID,
    client_values,
    pulled_contact,
    pulled_record,
    risk_values,
)

PASSPHRASE = "lantern harbour kettle morning"
CLIENT = "0190f5a0-0000-7000-8000-000000000001"
FLAG = "0190f5a0-0000-7000-8000-000000000002"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = Session(tmp_path / "vault", KdfParams.for_tests())
    s.create(PASSPHRASE, recovery_key=False)
    yield s
    s.lock()


def contacts(n: int, word: str) -> list[dict[str, Any]]:
    return [pulled_contact(CLIENT, f"Spoke about {word} number {i}.", seq=2) for i in range(n)]


def flag(description: str, stamp: str) -> dict[str, Any]:
    values = {**risk_values(CLIENT, description=description), "status": "active", "raised_on": "2026-01-01"}
    return pulled_record("risk_flag", FLAG, values, stamp)


def client() -> dict[str, Any]:
    return pulled_record("client", CLIENT, client_values(given_name="Saoirse"), "1700000000000.00000.server")


def pull(session: Session, *pages: list[dict[str, Any]]) -> None:
    """Apply these pages in one transaction, as an initial sync does."""
    with session.db.transaction(savepoint=False):
        for n, items in enumerate(pages, start=1):
            apply_page(session, items, n)


def found(session: Session, text: str) -> list[str]:
    return [h.kind for h in search.search(session.db, text, limit=5000)]


def indexer_started(session: Session) -> bool:
    indexer = index_of(session.db)._indexer
    return indexer is not None and indexer._proc is not None


def test_a_large_pull_is_written_by_the_indexer_process_and_found(session: Session) -> None:
    pull(session, [client()], contacts(INLINE_MAX, "allotments"))
    assert indexer_started(session)
    assert len(found(session, "allotments")) == INLINE_MAX
    assert found(session, "saoirse") == ["client"]
    header = (session.data_dir / SEARCH_DB_NAME).read_bytes()[:16]
    assert header != b"SQLite format 3\x00", "the index is encrypted like the records"


def test_a_small_pull_is_indexed_on_the_spot(session: Session) -> None:
    pull(session, [client()], contacts(5, "allotments"))
    assert not indexer_started(session)
    assert len(found(session, "allotments")) == 5


@pytest.mark.parametrize("padding", [0, INLINE_MAX], ids=["on the spot", "by the indexer"])
def test_a_record_pulled_twice_in_one_transaction_is_indexed_once_as_last_pulled(
    session: Session, padding: int
) -> None:
    first = flag("Keeps a machete under the bed.", "1700000000000.00000.server")
    later = flag("Keeps a cricket bat by the door.", "1700000001000.00000.server")
    pull(session, [client(), first], contacts(padding, "padding"), [later])
    assert found(session, "machete") == []
    assert found(session, "cricket") == ["risk_flag"]
    docs = index_of(session.db).conn.execute("SELECT count(*) FROM search_docs WHERE record_id = ?", (FLAG,))
    assert docs.fetchone()[0] == 1


def test_an_edit_made_here_after_a_pull_wins_over_the_pulled_text(session: Session) -> None:
    # The pulled flag goes to the indexer process, which may still be writing when the edit is made.
    pull(
        session,
        [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")],
        contacts(INLINE_MAX, "padding"),
    )
    assert indexer_started(session)
    actor = make_actor(USER_ID, DEVICE_ID)  # not enrolled: someone to write as
    risk.update(session.db, actor, FLAG, {"description": "Keeps a cricket bat by the door."})
    assert found(session, "machete") == []
    assert found(session, "cricket") == ["risk_flag"]


def test_records_that_leave_the_laptop_leave_the_index(session: Session) -> None:
    pull(session, [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")])
    assert found(session, "machete") == ["risk_flag"]
    gone = {"seq": 3, "kind": "risk_flag", "id": FLAG, "access": "none"}
    pull(session, [gone], contacts(INLINE_MAX, "padding"))
    assert found(session, "machete") == []


def test_a_pull_the_indexer_never_wrote_is_indexed_again_at_the_next_search(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    pull(session, [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")])
    assert found(session, "machete") == ["risk_flag"]
    # The app stops before the indexer writes the next batches (a crash, a lock part way through).
    monkeypatch.setattr(SearchIndex, "submit", lambda self, seq, entries: None)
    gone = {"seq": 3, "kind": "risk_flag", "id": FLAG, "access": "none"}
    pull(session, [gone], contacts(INLINE_MAX + 10, "leeks"))
    monkeypatch.undo()
    session.lock()
    session.unlock(PASSPHRASE)
    assert len(found(session, "leeks")) == INLINE_MAX + 10
    assert found(session, "machete") == [], "what left the laptop is not found after the rebuild either"
    assert search_queue.pending(session.db) == 0


def kill_indexer(session: Session) -> None:
    indexer = index_of(session.db)._indexer
    assert indexer is not None and indexer._proc is not None
    indexer._proc.kill()
    indexer._proc.join()


def test_a_small_pull_after_the_indexer_died_does_not_hide_what_it_lost(session: Session) -> None:
    pull(session, [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")])
    pull(session, contacts(INLINE_MAX, "lost"))
    kill_indexer(session)  # before or after it wrote: either way nothing may be missing
    gone = {"seq": 3, "kind": "risk_flag", "id": FLAG, "access": "none"}
    pull(session, [gone, *contacts(3, "small")])  # small enough to be written on the spot
    assert len(found(session, "lost")) == INLINE_MAX
    assert len(found(session, "small")) == 3
    assert found(session, "machete") == []


def test_an_indexer_that_does_not_drain_in_time_is_ended_before_the_rebuild(session: Session) -> None:
    pull(session, [client()], contacts(INLINE_MAX, "slow"))
    indexer = index_of(session.db)._indexer
    assert indexer is not None
    assert not index_of(session.db).drain(timeout=0)  # it could not have written 2,000 records yet
    assert indexer._proc is None or not indexer._proc.is_alive(), "no process left to write later"
    assert len(found(session, "slow")) == INLINE_MAX


def test_a_killed_indexer_loses_nothing(session: Session) -> None:
    pull(session, [client()], contacts(INLINE_MAX, "first"))
    indexer = index_of(session.db)._indexer
    assert indexer is not None and indexer._proc is not None
    indexer._proc.kill()
    indexer._proc.join()
    pull(session, contacts(INLINE_MAX, "second"))
    assert len(found(session, "first")) == INLINE_MAX
    assert len(found(session, "second")) == INLINE_MAX
    # Once the search caught up from the records, the next large pull has an indexer again.
    pull(session, contacts(INLINE_MAX, "third"))
    assert indexer._proc is not None and indexer._proc.is_alive()
    assert len(found(session, "third")) == INLINE_MAX


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.unlink(),
        lambda path: path.write_bytes(b"\x00" * 4096 + path.read_bytes()[4096:]),
        lambda path: path.write_bytes(b"not a database at all"),
    ],
    ids=["deleted", "damaged", "garbage"],
)
def test_a_lost_or_damaged_index_is_made_anew_from_the_records(session: Session, damage: Any) -> None:
    pull(session, [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")])
    session.lock()
    path = session.data_dir / SEARCH_DB_NAME
    for side in path.parent.glob(f"{SEARCH_DB_NAME}-*"):
        side.unlink()
    damage(path)
    session.unlock(PASSPHRASE)
    assert found(session, "saoirse") == ["client"]
    assert found(session, "machete") == ["risk_flag"]


def test_another_vaults_index_is_not_used(session: Session, tmp_path: Path) -> None:
    pull(session, [client()])
    other = Session(tmp_path / "other", KdfParams.for_tests())
    other.create(PASSPHRASE, recovery_key=False)
    pull(other, [pulled_record("client", CLIENT, client_values(given_name="Bartholomew"), "1")])
    other.lock()
    session.lock()
    (session.data_dir / SEARCH_DB_NAME).write_bytes((other.data_dir / SEARCH_DB_NAME).read_bytes())
    session.unlock(PASSPHRASE)
    assert found(session, "bartholomew") == []
    assert found(session, "saoirse") == ["client"]


def test_the_index_keeps_a_large_hash_of_terms_and_an_older_file_is_brought_up_to_it(
    session: Session,
) -> None:
    conn = index_of(session.db).conn
    for table in ("search_text", "search_names"):
        assert conn.execute(f"SELECT v FROM {table}_config WHERE k = 'hashsize'").fetchone() == (
            16 * 1024 * 1024,
        )
    # A file made by the first version of the index (no hash size, one high-water mark, which may
    # hide a lost batch) is upgraded, not replaced, and every record goes into it again once.
    pull(session, [client()])
    search_writer.flush(session.db)
    conn.execute("DELETE FROM search_text_config WHERE k = 'hashsize'")
    conn.execute("DELETE FROM search_names_config WHERE k = 'hashsize'")
    conn.execute("DROP TABLE search_batches")
    conn.execute("DELETE FROM search_names")  # the lost batch
    conn.execute("INSERT INTO search_state (name, value) VALUES ('pending_done', 7)")
    conn.execute("PRAGMA user_version = 1")
    session.lock()
    session.unlock(PASSPHRASE)
    conn = index_of(session.db).conn
    assert conn.execute("SELECT value FROM search_state WHERE name = 'pending_done'").fetchone() is None
    assert conn.execute("SELECT count(*) FROM search_batches").fetchone() == (0,)
    assert conn.execute("SELECT v FROM search_text_config WHERE k = 'hashsize'").fetchone() == (
        16 * 1024 * 1024,
    )
    assert found(session, "saoirse") == ["client"]
    assert conn.execute("SELECT value FROM search_state WHERE name = 'requeue'").fetchone() is None


def test_a_batch_a_killed_sync_never_handed_over_is_found_after_a_later_batch_is_written(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: the sync is killed after its transaction committed and before the indexer wrote
    it; the next run writes a later batch first. Every batch is marked on its own, so the earlier
    one is still known to be missing."""
    monkeypatch.setattr(SearchIndex, "submit", lambda self, seq, entries: None)
    pull(session, [client()], contacts(INLINE_MAX, "allotments"))
    monkeypatch.undo()
    session.lock()  # the next run of the app
    session.unlock(PASSPHRASE)
    pull(session, contacts(3, "kettles"))  # written on the spot, marked before anyone searched
    session.lock()
    session.unlock(PASSPHRASE)
    pull(session, contacts(INLINE_MAX, "parsnips"))  # and a large one, by the indexer
    assert index_of(session.db).drain()
    assert len(found(session, "allotments")) == INLINE_MAX
    assert found(session, "saoirse") == ["client"]
    assert len(found(session, "kettles")) == 3
    assert len(found(session, "parsnips")) == INLINE_MAX
    assert search_queue.pending(session.db) == 0


def test_comparing_the_index_with_the_records_finds_and_repairs_what_is_missing_or_stale(
    session: Session,
) -> None:
    pull(session, [client(), flag("Keeps a machete under the bed.", "1700000000000.00000.server")])
    pull(session, contacts(30, "onions"))
    search_writer.flush(session.db)
    assert all(c.ok for c in search_check.compare(session.db))
    conn = index_of(session.db).conn
    # Damage the index as a lost batch or a stale write would: a name gone, a text replaced.
    conn.execute("DELETE FROM search_names")
    conn.execute("UPDATE search_text SET body = 'cricket bat' WHERE kind = 'risk_flag'")
    conn.execute(
        "DELETE FROM search_text WHERE rowid IN "
        "(SELECT rowid FROM search_text WHERE kind = 'contact' LIMIT 4)"
    )
    checks = {c.kind: c for c in search_check.compare(session.db)}
    assert (checks["client"].records, checks["client"].indexed, checks["client"].missing) == (1, 0, 1)
    assert (checks["contact"].records, checks["contact"].indexed, checks["contact"].missing) == (30, 26, 4)
    assert (checks["risk_flag"].stale, checks["risk_flag"].missing) == (1, 0)
    assert checks["client"].records_digest != checks["client"].indexed_digest
    repaired = search_check.repair(session.db)
    assert sum(c.missing + c.stale + c.extra for c in repaired) == 6
    assert all(c.ok for c in search_check.compare(session.db))
    assert found(session, "saoirse") == ["client"]
    assert found(session, "machete") == ["risk_flag"]
    assert found(session, "cricket") == []
    assert len(found(session, "onions")) == 30
