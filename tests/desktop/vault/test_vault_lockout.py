"""Repeated wrong passphrases slow down, across restarts; the organisation may ask for a wipe."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from navigator_desktop.vault import KdfParams, Vault, close, errors
from navigator_desktop.vault.lockout import Policy
from tests.desktop.vault.vault_helpers import PASSPHRASE, SCHEMA, FakeClock, header_json, snapshot

WRONG = "lantern cobble heron eighty"


def fail(vault: Vault, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(errors.WrongPassphrase):
            vault.unlock(WRONG)


def fail_five(vault: Vault, *clocks: FakeClock) -> None:
    """Five failures in a row (the fourth imposes a 2 s wait); after them the wait is 4 s."""
    fail(vault, 4)
    for c in clocks:
        c.advance(2)
    fail(vault)


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
    assert header_json(data_dir)["lockout"] == {"failures": 0, "last_failure": 0.0}
    fail(created, 3)
    fail(created)  # free again


def test_the_count_lives_in_the_header_with_the_time_of_the_last_failure(
    created: Vault, data_dir: Path, clock: FakeClock
) -> None:
    fail(created, 2)
    assert header_json(data_dir)["lockout"] == {"failures": 2, "last_failure": clock.now}
    assert not (data_dir / "navigator.lockout").exists()


def test_deleting_the_lockout_file_no_longer_resets_the_wait(
    created: Vault, make_vault: Callable[..., Vault], clock: FakeClock
) -> None:
    fail_five(created, clock)
    restarted = make_vault()
    with pytest.raises(errors.TooManyAttempts):
        restarted.unlock(PASSPHRASE)  # nothing outside the header to delete


def test_deleting_the_header_gains_nothing(created: Vault, data_dir: Path, clock: FakeClock) -> None:
    fail_five(created, clock)
    (data_dir / "navigator.vault").unlink()
    with pytest.raises(errors.HeaderMissing):
        created.unlock(PASSPHRASE)


def test_a_header_edited_to_reset_the_count_without_its_checksum_is_refused(
    created: Vault, data_dir: Path, clock: FakeClock
) -> None:
    fail_five(created, clock)
    body = header_json(data_dir)
    body["lockout"] = {"failures": 0, "last_failure": 0}
    (data_dir / "navigator.vault").write_text(json.dumps(body))
    with pytest.raises(errors.HeaderDamaged):
        created.unlock(PASSPHRASE)


def test_an_old_lockout_file_is_carried_into_the_header_once_then_removed(
    created: Vault, data_dir: Path, make_vault: Callable[..., Vault], clock: FakeClock
) -> None:
    legacy = data_dir / "navigator.lockout"
    legacy.write_text(json.dumps({"failures": 6, "last_failure": clock.now}))
    with pytest.raises(errors.TooManyAttempts) as caught:
        make_vault().unlock(PASSPHRASE)
    assert caught.value.retry_after_seconds == pytest.approx(8)
    assert not legacy.exists()
    assert header_json(data_dir)["lockout"] == {"failures": 6, "last_failure": clock.now}
    clock.advance(8)
    close(make_vault().unlock(PASSPHRASE))
    assert header_json(data_dir)["lockout"]["failures"] == 0


def test_an_old_lockout_file_never_lowers_the_count(created: Vault, data_dir: Path, clock: FakeClock) -> None:
    fail_five(created, clock)
    (data_dir / "navigator.lockout").write_text(json.dumps({"failures": 1, "last_failure": 0}))
    with pytest.raises(errors.TooManyAttempts):
        created.unlock(PASSPHRASE)
    assert header_json(data_dir)["lockout"]["failures"] == 5
    assert not (data_dir / "navigator.lockout").exists()


@pytest.mark.parametrize("content", ["", "garbage", "[]", '{"failures": "9", "last_failure": 0}', "{}"])
def test_an_unreadable_old_lockout_file_is_removed_and_counts_as_no_failures(
    created: Vault, data_dir: Path, content: str
) -> None:
    (data_dir / "navigator.lockout").write_text(content)
    close(created.unlock(PASSPHRASE))
    assert not (data_dir / "navigator.lockout").exists()
    assert header_json(data_dir)["lockout"]["failures"] == 0


def test_clock_set_back_restarts_the_wait_instead_of_extending_it(
    created: Vault, make_vault: Callable[..., Vault], clock: FakeClock, data_dir: Path
) -> None:
    fail_five(created, clock)
    restarted = make_vault()  # a fresh process: only the header's time counts
    clock.advance(-86_400)
    with pytest.raises(errors.TooManyAttempts) as caught:
        restarted.unlock(PASSPHRASE)
    assert caught.value.retry_after_seconds == pytest.approx(4)
    assert header_json(data_dir)["lockout"] == {"failures": 5, "last_failure": clock.now}
    clock.advance(4)
    close(restarted.unlock(PASSPHRASE))


def test_clock_set_forward_does_not_shorten_a_wait_within_one_run(data_dir: Path, clock: FakeClock) -> None:
    monotonic = FakeClock(100.0)
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), clock=clock, migrations=SCHEMA)
    vault = Vault(data_dir, kdf=KdfParams.for_tests(), clock=clock, migrations=SCHEMA, monotonic=monotonic)
    fail_five(vault, clock, monotonic)
    clock.advance(86_400)  # the wall clock jumps a day; the monotonic clock does not
    with pytest.raises(errors.TooManyAttempts) as caught:
        vault.unlock(PASSPHRASE)
    assert caught.value.retry_after_seconds == pytest.approx(4)
    monotonic.advance(4)
    close(vault.unlock(PASSPHRASE))


def test_a_header_that_cannot_be_written_still_counts_within_the_run(
    created: Vault, data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from navigator_desktop.vault import header as header_file

    def refuse(path: Path, data: bytes) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(header_file, "write_atomically", refuse)
    fail(created, 4)  # each still says "wrong passphrase"
    with pytest.raises(errors.TooManyAttempts):
        created.unlock(PASSPHRASE)
    clock.advance(2)
    close(created.unlock(PASSPHRASE))


def test_wipe_after_n_failures_destroys_the_keys_and_removes_the_database(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path, clock: FakeClock
) -> None:
    opened = created.open_store(PASSPHRASE)  # open, so the -wal and -shm files exist too
    names = {p.name for p in data_dir.iterdir()}
    assert {"navigator.db-wal", "navigator.db-shm", "navigator-search.db", "navigator-search.db-wal"} <= names
    before = header_json(data_dir)
    policed = make_vault(wipe_after=5)
    fail(policed, 4)
    clock.advance(2)
    with pytest.raises(errors.VaultWiped):
        policed.unlock(WRONG)
    opened.records.close()
    opened.search.close()
    assert [p.name for p in data_dir.iterdir()] == ["navigator.vault"]  # the search index went too
    after = header_json(data_dir)
    assert after["wiped"] is True
    assert after["recovery"] is None
    assert after["passphrase"]["wrapped_key"] != before["passphrase"]["wrapped_key"]
    assert after["passphrase"]["salt"] != before["passphrase"]["salt"]
    with pytest.raises(errors.VaultWiped) as caught:
        make_vault().unlock(PASSPHRASE)  # the right passphrase opens nothing now
    assert "IT service desk" in caught.value.message
    assert make_vault().is_wiped()


def test_the_organisations_limit_is_kept_in_the_header_and_applies_before_unlock(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path, clock: FakeClock
) -> None:
    assert created.set_wipe_after(4) is True
    assert created.set_wipe_after(4) is False  # unchanged: the header is not rewritten
    assert header_json(data_dir)["policy"] == {"wipe_after_failures": 4}
    restarted = make_vault()  # a fresh start, nothing passed in: the header says 4
    assert restarted.wipe_limit() == 4
    before = snapshot(data_dir)
    fail(restarted, 3)
    assert snapshot(data_dir) == before  # below the limit nothing is wiped or changed
    with pytest.raises(errors.VaultWiped):
        restarted.unlock(WRONG)
    assert not (data_dir / "navigator.db").exists()


def test_the_lower_of_the_two_limits_applies(created: Vault, make_vault: Callable[..., Vault]) -> None:
    created.set_wipe_after(10)
    assert make_vault(wipe_after=6).wipe_limit() == 6
    created.set_wipe_after(2)
    assert make_vault(wipe_after=6).wipe_limit() == 2
    created.set_wipe_after(None)
    assert make_vault().wipe_limit() is None


def test_a_wiped_laptop_can_be_set_up_again(
    created: Vault, make_vault: Callable[..., Vault], data_dir: Path
) -> None:
    created.set_wipe_after(1)
    with pytest.raises(errors.VaultWiped):
        created.unlock(WRONG)
    vault, _ = Vault.create(data_dir, PASSPHRASE, kdf=KdfParams.for_tests(), migrations=SCHEMA)
    assert not vault.is_wiped()
    close(vault.unlock(PASSPHRASE))


def test_an_older_header_without_the_new_fields_still_opens(created: Vault, data_dir: Path) -> None:
    body = header_json(data_dir)
    for name in ("lockout", "policy", "wiped", "checksum"):
        body.pop(name)
    from navigator_desktop.vault.header import _checksum

    body["checksum"] = _checksum(body)
    (data_dir / "navigator.vault").write_text(json.dumps(body))
    fail(created)
    close(created.unlock(PASSPHRASE))


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
    assert header_json(data_dir)["lockout"]["failures"] == 0
