"""`navigator-desktop check` on a damaged vault: it says what is wrong and changes no byte."""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator_core.demo import Scale
from navigator_desktop import cli, demo
from navigator_desktop.session import Session
from navigator_desktop.store.search import writer as search_writer
from navigator_desktop.store.search.index import index_of
from navigator_desktop.vault import KdfParams


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("check") / "data"
    demo.ensure_demo_vault(Session(where, KdfParams.for_tests()), Scale.small())
    return where


def hashes(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()
    }


def run_check(data: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    args = argparse.Namespace(command="check", data_dir=data, ca_bundle=None)
    code = cli.run(args, cli.Secrets(io.StringIO(demo.DEMO_PASSPHRASE + "\n")), out)
    return code, out.getvalue(), err.getvalue()


def flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])


def crashed_with_a_wal(data: Path) -> None:
    """A crash left committed work in the write-ahead log."""
    session = Session(data, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)
    db = session.db
    with db.transaction():
        db.execute("UPDATE settings SET value = value WHERE key = 'current_user_id'")
        db.execute("CREATE TABLE filler (x TEXT)")
    for _ in range(8):  # several commits, so the damaged frame has committed frames after it
        with db.transaction():
            db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(20)])
    crashed = data.with_name("crashed")
    shutil.copytree(data, crashed)  # the files as a killed app leaves them
    session.lock()
    shutil.rmtree(data)
    crashed.rename(data)
    assert (data / "navigator.db-wal").stat().st_size > 10 * 4096


def with_a_damaged_wal(data: Path) -> None:
    """Committed work in the write-ahead log, and a byte in the middle of the log damaged."""
    crashed_with_a_wal(data)
    flip_middle_byte(data / "navigator.db-wal")


def damage_header(data: Path) -> None:
    header = data / "navigator.vault"
    header.write_bytes(header.read_bytes()[:100])


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        pytest.param(lambda d: flip_middle_byte(d / "navigator.db"), "damaged", id="flipped-byte-in-a-page"),
        pytest.param(lambda d: truncate(d / "navigator.db"), "damaged", id="truncated-file"),
        pytest.param(with_a_damaged_wal, "write-ahead log", id="damaged-wal"),
        pytest.param(damage_header, "key file", id="damaged-header"),
    ],
)
def test_check_changes_no_byte_of_a_damaged_vault_and_says_what_to_do(
    demo_vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[Path], None],
    said: str,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_vault, data)
    damage(data)
    before = hashes(data)
    code, out, err = run_check(data, monkeypatch)
    assert hashes(data) == before
    assert code == 1
    assert "Traceback" not in out + err
    assert said in err.lower()
    assert "integrity ok" not in out


def test_check_of_a_healthy_vault_still_reports_counts(
    demo_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_vault, data)
    code, out, _ = run_check(data, monkeypatch)
    assert code == 0
    assert "integrity ok" in out
    assert any(line.split()[0] == "client" for line in out.splitlines())
    assert "search index" in out


def test_unlocking_with_a_damaged_wal_is_refused_and_changes_nothing(
    demo_vault: Path, tmp_path: Path
) -> None:
    from navigator_desktop.vault.wal import WalDamaged

    data = tmp_path / "data"
    shutil.copytree(demo_vault, data)
    with_a_damaged_wal(data)
    before = hashes(data)
    with pytest.raises(WalDamaged) as refused:
        Session(data, KdfParams.for_tests()).unlock(demo.DEMO_PASSPHRASE)
    assert "IT service desk" in refused.value.message
    assert hashes(data) == before


def test_a_torn_last_frame_left_by_a_crash_is_not_damage(demo_vault: Path, tmp_path: Path) -> None:
    from navigator_desktop.vault.wal import wal_is_damaged

    data = tmp_path / "data"
    shutil.copytree(demo_vault, data)
    crashed_with_a_wal(data)
    wal = data / "navigator.db-wal"
    assert not wal_is_damaged(wal)
    content = wal.read_bytes()
    wal.write_bytes(content[:-100] + bytes(100))  # the last frame half written
    assert not wal_is_damaged(wal)
    session = Session(data, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)  # opens as before
    session.lock()


def test_check_compares_the_search_index_with_the_records_and_says_what_it_repaired(
    demo_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_vault, data)
    session = Session(data, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)
    search_writer.flush(session.db)
    index_of(session.db).conn.execute("DELETE FROM search_names")  # as a batch lost by a killed sync
    clients = int(session.db.scalar("SELECT count(*) FROM clients"))
    session.lock()
    code, out, err = run_check(data, monkeypatch)
    assert code == 0, err
    assert f"repaired client: {clients} missing, 0 out of date" in out
    assert any(line.split()[:2] == ["search", "client"] for line in out.splitlines())
    code, out, _ = run_check(data, monkeypatch)
    assert "repaired" not in out
    assert "search index           ok" in out
    assert f"search client          {clients} of {clients}" in out
