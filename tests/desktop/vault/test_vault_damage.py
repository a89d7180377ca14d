"""Missing, damaged, tampered or too-new files: each a clear error, and nothing is changed."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from navigator_desktop.vault import KdfParams, Vault, check_integrity, close, errors
from navigator_desktop.vault import header as header_file
from navigator_desktop.vault.connection import is_damage_error
from tests.desktop.vault.vault_helpers import CANARY, PASSPHRASE, SCHEMA, snapshot, write_notes


def header_json(vault: Vault) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(vault.header_path.read_text())
    return obj


def write_header_json(vault: Vault, obj: dict[str, Any], *, fix_checksum: bool) -> None:
    if fix_checksum:
        body = {k: v for k, v in obj.items() if k != "checksum"}
        obj = {**body, "checksum": header_file._checksum(body)}
    vault.header_path.write_text(json.dumps(obj))


def assert_refused_and_untouched(
    vault: Vault, data_dir: Path, error: type[errors.VaultError], passphrase: str = PASSPHRASE
) -> errors.VaultError:
    before = snapshot(data_dir)
    with pytest.raises(error) as caught:
        vault.unlock(passphrase)
    assert snapshot(data_dir) == before
    assert caught.value.title
    assert caught.value.message
    assert str(caught.value) == caught.value.message
    return caught.value


def test_header_missing(created: Vault, data_dir: Path) -> None:
    created.header_path.unlink()
    assert_refused_and_untouched(created, data_dir, errors.HeaderMissing)
    assert created.exists()  # the database is still there: never offer to create over it


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"\x00\xff garbage \x89PNG" * 20, id="garbage"),
        pytest.param(lambda data: b"[" * 50_000 + b"]" * 50_000, id="deeply-nested"),
        pytest.param(lambda data: b" " * (70 * 1024) + data, id="oversized"),
        pytest.param(lambda data: data.replace(b'"version": 1', b'"version": "1"'), id="version-a-string"),
        pytest.param(
            lambda data: data.replace(b'"format": "navigator-vault"', b'"format": "other"'), id="format"
        ),
    ],
)
def test_header_damaged(created: Vault, data_dir: Path, damage: Callable[[bytes], bytes]) -> None:
    created.header_path.write_bytes(damage(created.header_path.read_bytes()))
    assert_refused_and_untouched(created, data_dir, errors.HeaderDamaged)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda h: h["kdf"].update(memory_kib="8"), id="memory-a-string"),
        pytest.param(lambda h: h["kdf"].update(iterations=True), id="iterations-a-bool"),
        pytest.param(lambda h: h["kdf"].update(algorithm="scrypt"), id="unknown-kdf"),
        pytest.param(lambda h: h["kdf"].update(memory_kib=64 * 1024 * 1024), id="memory-64-GiB"),
        pytest.param(lambda h: h["kdf"].update(iterations=10_000), id="iterations-10000"),
        pytest.param(lambda h: h["kdf"].update(lanes=0), id="no-lanes"),
        pytest.param(lambda h: h["passphrase"].update(salt=12345), id="salt-an-int"),
        pytest.param(lambda h: h["passphrase"].update(nonce="not*base64!"), id="bad-base64"),
        pytest.param(lambda h: h["passphrase"].update(wrapped_key="AAAA"), id="short-key"),
        pytest.param(lambda h: h.pop("passphrase"), id="no-passphrase-slot"),
        pytest.param(lambda h: h.update(vault_id="not-a-uuid"), id="vault-id"),
        pytest.param(lambda h: h.update(recovery=[]), id="recovery-a-list"),
    ],
)
def test_header_with_wrong_fields_is_damaged_even_with_a_good_checksum(
    created: Vault, data_dir: Path, change: Callable[[dict[str, Any]], object]
) -> None:
    obj = header_json(created)
    change(obj)
    write_header_json(created, obj, fix_checksum=True)
    assert_refused_and_untouched(created, data_dir, errors.HeaderDamaged)


def flip_wrapped_key_byte(vault: Vault, *, fix_checksum: bool) -> None:
    obj = header_json(vault)
    wrapped = bytearray(base64.b64decode(obj["passphrase"]["wrapped_key"]))
    wrapped[5] ^= 0x01
    obj["passphrase"]["wrapped_key"] = base64.b64encode(wrapped).decode()
    write_header_json(vault, obj, fix_checksum=fix_checksum)


def test_flipped_bit_in_the_wrapped_key_is_reported_as_damage(created: Vault, data_dir: Path) -> None:
    flip_wrapped_key_byte(created, fix_checksum=False)
    assert_refused_and_untouched(created, data_dir, errors.HeaderDamaged)


def test_deliberately_altered_wrapped_key_reads_as_a_wrong_passphrase(created: Vault, data_dir: Path) -> None:
    # With the checksum recomputed the change cannot be told from a wrong passphrase; AES-GCM
    # still refuses it, so nothing opens.
    flip_wrapped_key_byte(created, fix_checksum=True)
    assert_refused_and_untouched(created, data_dir, errors.WrongPassphrase)


def test_header_from_a_newer_version(created: Vault, data_dir: Path) -> None:
    obj = header_json(created)
    obj["version"] = 2
    write_header_json(created, obj, fix_checksum=True)
    assert_refused_and_untouched(created, data_dir, errors.HeaderTooNew)


def test_header_moved_to_another_vault_does_not_open_it(created: Vault, data_dir: Path) -> None:
    obj = header_json(created)
    obj["vault_id"] = "00000000-0000-4000-8000-000000000000"
    write_header_json(created, obj, fix_checksum=True)
    assert_refused_and_untouched(created, data_dir, errors.WrongPassphrase)


def test_database_missing_with_the_header_present(created: Vault, data_dir: Path) -> None:
    created.db_path.unlink()
    assert_refused_and_untouched(created, data_dir, errors.DatabaseMissing)
    assert not created.db_path.exists()
    with pytest.raises(errors.VaultExists):  # the header is still there: do not create over it
        Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)


def test_database_missing_with_a_recovery_key(data_dir: Path) -> None:
    vault, shown = Vault.create(
        data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    vault.db_path.unlink()
    with pytest.raises(errors.DatabaseMissing):
        vault.unlock_with_recovery_key(shown)
    assert not vault.db_path.exists()


def fill_and_close(vault: Vault, rows: int = 5000) -> None:
    conn = vault.unlock(PASSPHRASE)
    write_notes(conn, rows)
    close(conn)


def flip_bytes(path: Path, offset: int, count: int = 16) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_tampered_page_is_found_by_the_integrity_check(created: Vault, data_dir: Path) -> None:
    fill_and_close(created)
    size = created.db_path.stat().st_size
    assert size > 100 * 1024
    flip_bytes(created.db_path, size // 2)

    conn = created.unlock(PASSPHRASE)  # unlock reads only the first pages: it does not notice
    with pytest.raises(errors.DatabaseDamaged):
        check_integrity(conn)
    with pytest.raises(Exception) as caught:
        conn.execute("SELECT sum(length(body)) FROM note").fetchone()
    assert is_damage_error(caught.value)
    conn.close()


def test_integrity_check_passes_on_a_healthy_database(created: Vault) -> None:
    fill_and_close(created, 200)
    conn = created.unlock(PASSPHRASE)
    Vault.check_integrity(conn)
    close(conn)


def test_tampered_first_page_is_refused_at_unlock(created: Vault, data_dir: Path) -> None:
    fill_and_close(created, 10)
    flip_bytes(created.db_path, 100)
    assert_refused_and_untouched(created, data_dir, errors.DatabaseDamaged)


def test_database_from_another_vault_is_refused(created: Vault, data_dir: Path, tmp_path: Path) -> None:
    other, _ = Vault.create(tmp_path / "other", PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    shutil.copyfile(other.db_path, created.db_path)
    assert_refused_and_untouched(created, data_dir, errors.DatabaseDamaged)


def test_plain_sqlite_file_in_place_of_the_database_is_refused(created: Vault, data_dir: Path) -> None:
    import sqlite3

    created.db_path.unlink()
    plain = sqlite3.connect(created.db_path)
    plain.execute("CREATE TABLE x (y)")
    plain.commit()
    plain.close()
    assert_refused_and_untouched(created, data_dir, errors.DatabaseDamaged)


def test_database_from_a_newer_version_is_refused_and_left_alone(created: Vault, data_dir: Path) -> None:
    conn = created.unlock(PASSPHRASE)
    conn.execute("PRAGMA user_version = 99")
    close(conn)
    error = assert_refused_and_untouched(created, data_dir, errors.DatabaseTooNew)
    assert isinstance(error, errors.DatabaseTooNew)
    assert (error.found, error.supported) == (99, SCHEMA[-1].version)


def test_no_file_holds_plain_sqlite_the_passphrase_or_record_text(created: Vault, data_dir: Path) -> None:
    conn = created.unlock(PASSPHRASE)
    write_notes(conn, 500)
    created.change_passphrase(PASSPHRASE, "lantern cobble heron ninety")
    created.add_recovery_key("lantern cobble heron ninety")
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {
        "navigator.db",
        "navigator.db-wal",
        "navigator.db-shm",
        "navigator.vault",
    }
    secrets = [b"SQLite format 3", PASSPHRASE.encode(), b"lantern cobble", CANARY.encode()]
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, (path.name, secret)
    close(conn)


@pytest.mark.parametrize(
    "error_class",
    [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.VaultError)],
)
def test_every_error_has_a_title_and_a_plain_message(error_class: type[errors.VaultError]) -> None:
    args: dict[type, tuple[Any, ...]] = {
        errors.WeakPassphrase: (["It is too short."],),
        errors.TooManyAttempts: (12.2,),
        errors.DatabaseTooNew: (7, 5),
    }
    error = error_class(*args.get(error_class, ()))
    assert error.title
    assert len(error.message) > 20
    assert "Traceback" not in error.message


def copy_as_if_crashed(vault: Vault, destination: Path) -> None:
    """Copy the data folder while a connection is open, as a killed app would leave it."""
    shutil.copytree(vault.data_dir, destination)


def test_after_a_crash_committed_work_in_the_wal_is_kept(created: Vault, tmp_path: Path) -> None:
    conn = created.unlock(PASSPHRASE)
    write_notes(conn, 3)
    crashed = tmp_path / "crashed"
    copy_as_if_crashed(created, crashed)
    close(conn)
    assert (crashed / "navigator.db-wal").stat().st_size > 0
    conn = Vault(crashed, kdf=KdfParams.for_tests(), migrations=SCHEMA).unlock(PASSPHRASE)
    assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 3
    close(conn)


def test_after_a_crash_a_too_new_database_is_refused_without_merging_the_wal(
    created: Vault, tmp_path: Path
) -> None:
    conn = created.unlock(PASSPHRASE)
    write_notes(conn, 3)
    conn.execute("PRAGMA user_version = 99")
    crashed = tmp_path / "crashed"
    copy_as_if_crashed(created, crashed)
    close(conn)
    # The -shm file is SQLite's scratch index of the log, rebuilt by any reader; it holds no data.
    before = snapshot(crashed, ignore=("navigator.lockout", "navigator.db-shm"))
    with pytest.raises(errors.DatabaseTooNew):
        Vault(crashed, kdf=KdfParams.for_tests(), migrations=SCHEMA).unlock(PASSPHRASE)
    assert snapshot(crashed, ignore=("navigator.lockout", "navigator.db-shm")) == before
