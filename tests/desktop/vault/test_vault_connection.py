"""Connections: the key first, then our pragmas; wrong keys and missing files are clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from navigator_desktop.vault import Vault, close, errors, keys
from navigator_desktop.vault.connection import MEMORY_SECURITY_ENV, connect, memory_security_wanted
from tests.desktop.vault.vault_helpers import PASSPHRASE


def pragma(conn: Any, name: str) -> object:
    return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_unlocked_connection_has_the_pragmas_set(created: Vault) -> None:
    conn = created.unlock(PASSPHRASE)
    assert pragma(conn, "temp_store") == 2
    assert pragma(conn, "journal_mode") == "wal"
    assert pragma(conn, "foreign_keys") == 1
    assert pragma(conn, "cache_size") == -65536
    assert pragma(conn, "busy_timeout") == 5000
    close(conn)


def test_none_is_bound_as_null_through_the_fast_adapter(created: Vault) -> None:
    conn = created.unlock(PASSPHRASE)
    conn.execute("CREATE TEMP TABLE t (a, b)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(None, 1), (None, None)])
    assert conn.execute("SELECT count(*) FROM t WHERE a IS NULL AND typeof(a) = 'null'").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM t WHERE b IS NULL").fetchone()[0] == 1
    close(conn)


@pytest.mark.parametrize(("value", "wanted"), [("1", True), ("on", True), ("", False), ("0", False)])
def test_memory_security_is_an_organisation_switch(monkeypatch, value: str, wanted: bool) -> None:
    monkeypatch.setenv(MEMORY_SECURITY_ENV, value)
    assert memory_security_wanted() is wanted


def test_memory_security_when_switched_on_is_set_on_the_connection(tmp_path: Path) -> None:
    # In a child process: the setting is process-wide and sticky, and would slow every later test.
    script = (
        "import sys; from pathlib import Path; from navigator_desktop.vault import Vault, KdfParams;"
        "v, _ = Vault.create(Path(sys.argv[1]), 'kettle harbour lantern morning', kdf=KdfParams.for_tests());"
        "v = Vault(Path(sys.argv[1]), kdf=KdfParams.for_tests());"
        "c = v.unlock('kettle harbour lantern morning');"
        "print(c.execute('PRAGMA cipher_memory_security').fetchone()[0])"
    )
    env = dict(os.environ, **{MEMORY_SECURITY_ENV: "1"})
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "v")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "1"


def test_connection_leaves_transactions_to_the_caller(created: Vault) -> None:
    conn = created.unlock(PASSPHRASE)
    assert conn.isolation_level is None
    conn.execute("CREATE TABLE t (x)")
    assert not conn.in_transaction  # autocommit: nothing opened implicitly
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    close(conn)


def test_connection_can_be_used_from_the_database_worker_thread(created: Vault) -> None:
    conn = created.unlock(PASSPHRASE)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(conn.execute("SELECT 1").fetchone()[0]))
    worker.start()
    worker.join()
    assert result == [1]
    close(conn)


def test_closing_checkpoints_the_wal_away(created: Vault, data_dir: Path) -> None:
    conn = created.unlock(PASSPHRASE)
    conn.execute("INSERT INTO note (body) VALUES ('x')")
    close(conn)
    assert sorted(p.name for p in data_dir.iterdir()) == ["navigator.db", "navigator.vault"]


def test_connect_never_creates_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(errors.DatabaseMissing):
        connect(tmp_path / "absent.db", keys.new_data_key())
    assert list(tmp_path.iterdir()) == []


def test_a_key_that_does_not_fit_is_damage_and_prints_nothing(
    created: Vault, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(errors.DatabaseDamaged):
        connect(created.db_path, keys.new_data_key())
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


def test_a_key_of_the_wrong_length_is_a_bug(created: Vault) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        connect(created.db_path, b"short")
