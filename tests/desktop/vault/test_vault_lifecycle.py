"""Creating, unlocking, locking and reopening; recovery keys; changing the passphrase."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator_desktop.vault import KdfParams, Vault, close, errors, keys, passphrase
from navigator_desktop.vault import header as header_file
from navigator_desktop.vault.migrations import MIGRATIONS
from tests.desktop.vault.vault_helpers import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    SCHEMA,
    FakeClock,
    count_notes,
    snapshot,
    write_notes,
)


def test_created_vault_unlocks_and_keeps_data_after_lock_and_reopen(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path
) -> None:
    conn = created.unlock(PASSPHRASE)
    write_notes(conn, 5)
    close(conn)
    assert sorted(p.name for p in data_dir.iterdir()) == ["navigator.db", "navigator.vault"]

    conn = make_vault().unlock(PASSPHRASE)
    assert count_notes(conn) == 5
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    close(conn)


def test_create_migrates_the_new_database_to_the_latest_schema(created: Vault) -> None:
    conn = created.unlock(PASSPHRASE)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA[-1].version
    close(conn)


def test_create_with_the_app_schema(data_dir: Path) -> None:
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests())
    conn = vault.unlock(PASSPHRASE)
    expected = MIGRATIONS[-1].version if MIGRATIONS else 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == expected
    close(conn)


def test_exists_is_false_before_create_and_true_after(make_vault: Callable[..., Vault]) -> None:
    assert not make_vault().exists()
    Vault.create(make_vault().data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert make_vault().exists()


def test_create_returns_a_recovery_key_only_when_asked(data_dir: Path, tmp_path: Path) -> None:
    _, none = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert none is None
    _, shown = Vault.create(
        tmp_path / "other", PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    groups = shown.split("-")
    assert len(groups) == 8
    assert all(len(g) == 4 for g in groups)


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("short", passphrase.TOO_SHORT),
        ("", passphrase.TOO_SHORT),
        ("Password123!", passphrase.TOO_COMMON),
        ("violet kettle", passphrase.COMMON_WORDS),
        ("aaaaaaaaaaaaaaaa", passphrase.ONE_CHARACTER),
        ("491726350183", passphrase.ONLY_DIGITS),
        ("abcdefghijklmnop", passphrase.SEQUENCE),
    ],
)
def test_create_refuses_a_weak_passphrase_and_writes_nothing(data_dir: Path, weak: str, reason: str) -> None:
    with pytest.raises(errors.WeakPassphrase) as caught:
        Vault.create(data_dir, weak, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert reason in caught.value.reasons
    assert reason in caught.value.message
    assert not data_dir.exists()


@pytest.mark.parametrize("stray", ["navigator.db", "navigator.db-wal", "navigator.vault"])
def test_create_refuses_to_overwrite_what_is_there(data_dir: Path, stray: str) -> None:
    data_dir.mkdir()
    (data_dir / stray).write_bytes(b"precious")
    before = snapshot(data_dir)
    with pytest.raises(errors.VaultExists):
        Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert snapshot(data_dir) == before


def test_create_over_an_existing_vault_is_refused(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.VaultExists):
        Vault.create(data_dir, NEW_PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert snapshot(data_dir) == before


def test_a_failed_create_leaves_no_files(data_dir: Path) -> None:
    broken = [*SCHEMA, type(SCHEMA[0])(3, "broken", "CREATE TABLE oops (;")]
    with pytest.raises(errors.MigrationFailed):
        Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=broken)
    assert list(data_dir.iterdir()) == []


def test_wrong_passphrase_is_refused_and_changes_no_file(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.WrongPassphrase):
        created.unlock("lantern cobble heron eighty")
    assert snapshot(data_dir) == before


def test_passphrase_typed_in_another_unicode_form_still_unlocks(data_dir: Path) -> None:
    composed = unicodedata.normalize("NFC", "café crème brûlée niño")
    vault, _ = Vault.create(data_dir, composed, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    close(vault.unlock(unicodedata.normalize("NFD", composed)))


def test_recovery_key_unlocks_however_it_is_typed(data_dir: Path, make_vault: Callable[..., Vault]) -> None:
    _, shown = Vault.create(
        data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    typed_variants = [
        shown,
        shown.lower(),
        shown.replace("-", " ").lower(),
        shown.replace("-", ""),
        "  " + " ".join(shown.replace("-", "")) + "\n",
    ]
    for typed in typed_variants:
        close(make_vault().unlock_with_recovery_key(typed))


def test_wrong_recovery_key_is_refused_and_changes_no_file(data_dir: Path) -> None:
    vault, shown = Vault.create(
        data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    before = snapshot(data_dir)
    other = keys.format_recovery_key(keys.new_recovery_key())
    for wrong in [other, shown[:-1], "not a key at all", "", PASSPHRASE]:
        with pytest.raises(errors.WrongRecoveryKey):
            vault.unlock_with_recovery_key(wrong)
    assert snapshot(data_dir) == before


def test_recovery_key_when_none_was_set_up(created: Vault) -> None:
    with pytest.raises(errors.NoRecoveryKey):
        created.unlock_with_recovery_key(keys.format_recovery_key(keys.new_recovery_key()))


def test_changing_the_passphrase_rewrites_only_the_header(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path
) -> None:
    conn = created.unlock(PASSPHRASE)  # open, with committed rows still in the WAL
    write_notes(conn, 50)
    assert (data_dir / "navigator.db-wal").stat().st_size > 0
    before = snapshot(data_dir)

    created.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)

    after = snapshot(data_dir)
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == ["navigator.vault"]
    close(conn)

    with pytest.raises(errors.WrongPassphrase):
        make_vault().unlock(PASSPHRASE)
    conn = make_vault().unlock(NEW_PASSPHRASE)
    assert count_notes(conn) == 50
    close(conn)


def test_changing_the_passphrase_keeps_the_recovery_key(
    data_dir: Path, make_vault: Callable[..., Vault]
) -> None:
    vault, shown = Vault.create(
        data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    close(make_vault().unlock_with_recovery_key(shown))


def test_change_passphrase_refuses_a_weak_or_unchanged_one(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.WeakPassphrase) as caught:
        created.change_passphrase(PASSPHRASE, "password")
    assert passphrase.TOO_SHORT in caught.value.reasons
    with pytest.raises(errors.WeakPassphrase) as caught:
        created.change_passphrase(PASSPHRASE, PASSPHRASE)
    assert caught.value.reasons == ["It is the same as your current passphrase."]
    assert snapshot(data_dir) == before


def test_change_passphrase_with_the_wrong_old_one_changes_nothing(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.WrongPassphrase):
        created.change_passphrase("lantern cobble heron eighty", NEW_PASSPHRASE)
    assert snapshot(data_dir) == before
    close(created.unlock(PASSPHRASE))


def test_forgotten_passphrase_is_reset_with_the_recovery_key(
    data_dir: Path, make_vault: Callable[..., Vault]
) -> None:
    vault, shown = Vault.create(
        data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA, recovery_key=True
    )
    assert shown is not None
    vault.change_passphrase_with_recovery_key(shown.lower(), NEW_PASSPHRASE)
    with pytest.raises(errors.WrongPassphrase):
        make_vault().unlock(PASSPHRASE)
    close(make_vault().unlock(NEW_PASSPHRASE))


def test_adding_a_recovery_key_later_replaces_any_earlier_one(
    created: Vault, make_vault: Callable[..., Vault]
) -> None:
    first = created.add_recovery_key(PASSPHRASE)
    second = created.add_recovery_key(PASSPHRASE)
    with pytest.raises(errors.WrongRecoveryKey):
        make_vault().unlock_with_recovery_key(first)
    close(make_vault().unlock_with_recovery_key(second))
    close(make_vault().unlock(PASSPHRASE))


def test_add_recovery_key_needs_the_right_passphrase(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.WrongPassphrase):
        created.add_recovery_key("lantern cobble heron eighty")
    assert snapshot(data_dir) == before


def test_test_settings_are_refused_by_a_vault_with_real_settings(created: Vault, data_dir: Path) -> None:
    before = snapshot(data_dir)
    with pytest.raises(errors.HeaderDamaged):
        Vault(data_dir).unlock(PASSPHRASE)
    assert snapshot(data_dir) == before


def test_default_settings_create_and_unlock(data_dir: Path) -> None:
    """The one test with the real Argon2id settings: they must work end to end."""
    vault, _ = Vault.create(data_dir, PASSPHRASE, migrations=SCHEMA)
    kdf = header_file.read(vault.header_path).kdf
    assert kdf == KdfParams.DEFAULT
    assert kdf.memory_kib >= 64 * 1024
    assert kdf.iterations >= 3

    start = time.perf_counter()
    conn = Vault(data_dir, migrations=SCHEMA).unlock(PASSPHRASE)
    elapsed = time.perf_counter() - start
    write_notes(conn, 1)
    close(conn)
    assert elapsed < 5  # generous: only guards against settings far off the 150-600 ms target


def test_change_passphrase_upgrades_old_key_derivation_settings(data_dir: Path, clock: FakeClock) -> None:
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    stronger = KdfParams(memory_kib=16, iterations=2, lanes=1, testing=True)
    Vault(data_dir, kdf=stronger, migrations=SCHEMA).change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert header_file.read(vault.header_path, allow_test_kdf=True).kdf == stronger
