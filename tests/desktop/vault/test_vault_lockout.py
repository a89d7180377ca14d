"""Repeated wrong passphrases slow down, across restarts; the organisation may ask for a wipe."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator_desktop.vault import Vault, close, errors
from navigator_desktop.vault.lockout import Lockout, Policy
from tests.desktop.vault.vault_helpers import PASSPHRASE, FakeClock, snapshot

WRONG = "lantern cobble heron eighty"


def fail(vault: Vault, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(errors.WrongPassphrase):
            vault.unlock(WRONG)


def test_delay_is_free_for_three_failures_then_doubles_from_two_seconds_to_a_cap() -> None:
    policy = Policy()
    delays = [policy.delay_after(n) for n in range(1, 14)]
    assert delays == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert policy.delay_after(10**9) == 300  # a huge count from a tampered file does not overflow


def test_first_three_wrong_passphrases_need_no_wait(created: Vault) -> None:
    fail(created, 3)
    fail(created)  # the fourth attempt is still allowed; the wait starts after it


def test_attempt_during_the_delay_is_refused_without_trying_it(created: Vault, clock: FakeClock) -> None:
    fail(created, 4)
    clock.advance(1.5)
    with pytest.raises(errors.TooManyAttempts) as caught:
        created.unlock(PASSPHRASE)  # even the right passphrase is not tried
    assert caught.value.retry_after_seconds == pytest.approx(0.5)
    assert "1 second " in caught.value.message

    clock.advance(0.5)
    fail(created)  # allowed again; now the wait is 4 s
    with pytest.raises(errors.TooManyAttempts) as caught:
        created.unlock(PASSPHRASE)
    assert caught.value.retry_after_seconds == pytest.approx(4)


def test_the_delay_grows_with_each_failure(created: Vault, clock: FakeClock) -> None:
    fail(created, 3)
    waits = []
    for _ in range(10):
        fail(created)
        with pytest.raises(errors.TooManyAttempts) as caught:
            created.unlock(WRONG)
        waits.append(caught.value.retry_after_seconds)
        clock.advance(caught.value.retry_after_seconds)
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_the_delay_survives_a_restart(
    created: Vault, make_vault: Callable[..., Vault], clock: FakeClock
) -> None:
    fail(created, 4)
    clock.advance(2)
    fail(created)
    restarted = make_vault()
    with pytest.raises(errors.TooManyAttempts) as caught:
        restarted.unlock(PASSPHRASE)
    assert caught.value.retry_after_seconds == pytest.approx(4)
    clock.advance(4)
    close(restarted.unlock(PASSPHRASE))


def test_success_resets_the_count(created: Vault, data_dir: Path, clock: FakeClock) -> None:
    fail(created, 4)
    clock.advance(2)
    close(created.unlock(PASSPHRASE))
    assert not (data_dir / "navigator.lockout").exists()
    fail(created, 3)
    fail(created)  # free again


def test_lockout_file_holds_only_a_count_and_a_time(created: Vault, data_dir: Path, clock: FakeClock) -> None:
    fail(created, 2)
    assert json.loads((data_dir / "navigator.lockout").read_text()) == {
        "failures": 2,
        "last_failure": clock.now,
    }


def test_clock_set_back_restarts_the_wait_instead_of_extending_it(tmp_path: Path) -> None:
    clock = FakeClock()
    lockout = Lockout(tmp_path / "navigator.lockout", clock)
    for _ in range(5):
        lockout.record_failure()
    assert lockout.retry_after() == 4
    clock.advance(-86_400)
    assert lockout.retry_after() == 4
    clock.advance(4)
    assert lockout.retry_after() == 0


@pytest.mark.parametrize("content", ["", "garbage", "[]", '{"failures": "9", "last_failure": 0}', "{}"])
def test_an_unreadable_lockout_file_counts_as_no_failures(tmp_path: Path, content: str) -> None:
    path = tmp_path / "navigator.lockout"
    path.write_text(content)
    assert Lockout(path, FakeClock()).retry_after() == 0


def test_a_lockout_file_that_cannot_be_written_does_not_stop_unlocking(
    created: Vault, data_dir: Path
) -> None:
    (data_dir / "navigator.lockout").mkdir()  # writing over a folder fails
    fail(created)
    close(created.unlock(PASSPHRASE))


def test_wipe_after_n_failures_removes_database_and_header(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path, clock: FakeClock
) -> None:
    conn = created.unlock(PASSPHRASE)  # open, so the -wal and -shm files exist too
    assert {"navigator.db-wal", "navigator.db-shm"} <= {p.name for p in data_dir.iterdir()}
    policed = make_vault(wipe_after=5)
    fail(policed, 4)
    clock.advance(2)
    with pytest.raises(errors.VaultWiped):
        policed.unlock(WRONG)
    conn.close()
    assert list(data_dir.iterdir()) == []
    assert not make_vault().exists()


def test_no_wipe_without_the_policy(created: Vault, data_dir: Path, clock: FakeClock) -> None:
    before = snapshot(data_dir)
    for _ in range(20):
        fail(created)
        clock.advance(300)
    assert snapshot(data_dir) == before


def test_wrong_recovery_keys_are_not_counted(data_dir: Path, make_vault: Callable[..., Vault]) -> None:
    # 160 random bits cannot be guessed at the keyboard; counting them would only lock out
    # someone who has forgotten their passphrase.
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=make_vault().kdf, recovery_key=True)
    for _ in range(10):
        with pytest.raises(errors.WrongRecoveryKey):
            vault.unlock_with_recovery_key("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
    assert not (data_dir / "navigator.lockout").exists()
