"""`navigator-desktop passphrase` and `recover`: secrets read one per line, never from arguments."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from navigator_desktop import cli
from navigator_desktop.vault import KdfParams, Vault, close, errors
from tests.desktop.vault.vault_helpers import snapshot

OLD = "kettle orbit marble seven"
NEW = "lantern cobble heron ninety"


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")


def run(command: str, data: Path, *lines: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    cli.add_commands(parser)
    args = parser.parse_args([command, "--data-dir", str(data)])
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    old_err, sys.stderr = sys.stderr, err
    try:
        code = cli.run(args, cli.Secrets(stdin), out)
    finally:
        sys.stderr = old_err
    return code, out.getvalue(), err.getvalue()


def make(data: Path, recovery: bool = False) -> str | None:
    _, key = Vault.create(data, OLD, kdf=KdfParams.for_tests(), recovery_key=recovery)
    return key


def opens_with(data: Path, passphrase: str) -> bool:
    try:
        close(Vault(data, kdf=KdfParams.for_tests()).unlock(passphrase))
    except errors.WrongPassphrase:
        return False
    return True


def test_passphrase_changes_it(tmp_path: Path) -> None:
    data = tmp_path / "v"
    make(data)
    db_before = snapshot(data)["navigator.db"]
    code, out, err = run("passphrase", data, OLD, NEW, NEW)
    assert (code, err) == (0, "")
    assert "Passphrase changed" in out
    assert snapshot(data)["navigator.db"] == db_before  # only the header was rewritten
    assert opens_with(data, NEW)
    assert not opens_with(data, OLD)


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ((OLD, NEW, NEW + "x"), "differ"),
        (("not my passphrase at all", NEW, NEW), "did not unlock"),
        ((OLD, "password", "password"), "too easy to guess"),
        ((OLD, OLD, OLD), "same as your current"),
        ((OLD,), "expected on standard input"),
    ],
)
def test_passphrase_refusals_change_nothing(tmp_path: Path, lines: tuple[str, ...], said: str) -> None:
    data = tmp_path / "v"
    make(data)
    before = snapshot(data)
    code, out, err = run("passphrase", data, *lines)
    assert code == 1 and out == ""
    assert said in err and "Traceback" not in err
    assert snapshot(data) == before  # keys, database and policy as they were
    assert opens_with(data, OLD)


def test_recover_sets_a_new_passphrase_with_the_recovery_key(tmp_path: Path) -> None:
    data = tmp_path / "v"
    key = make(data, recovery=True)
    assert key is not None
    code, out, err = run("recover", data, key.lower().replace("-", " "), NEW, NEW)
    assert (code, err) == (0, "")
    assert "recovery key still works" in out
    assert opens_with(data, NEW)
    close(Vault(data, kdf=KdfParams.for_tests()).unlock_with_recovery_key(key))


def test_recover_with_a_wrong_key_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "v"
    make(data, recovery=True)
    before = snapshot(data)
    code, _, err = run("recover", data, "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", NEW, NEW)
    assert code == 1 and "recovery key did not unlock" in err
    assert snapshot(data) == before


def test_recover_without_a_recovery_key_says_so_before_asking(tmp_path: Path) -> None:
    data = tmp_path / "v"
    make(data)
    code, _, err = run("recover", data)  # nothing on stdin: it must not ask
    assert code == 1 and "No recovery key was set up" in err


def test_no_vault_is_a_message(tmp_path: Path) -> None:
    code, _, err = run("passphrase", tmp_path / "none", OLD, NEW, NEW)
    assert code == 1 and "no vault" in err
    assert not (tmp_path / "none").exists()


def test_init_sets_a_laptop_up_again_after_the_organisations_wipe(tmp_path: Path) -> None:
    data = tmp_path / "v"
    make(data)
    vault = Vault(data, kdf=KdfParams.for_tests())
    vault.set_wipe_after(1)
    with pytest.raises(errors.VaultWiped):
        vault.unlock("not my passphrase at all")
    code, _, err = run("passphrase", data, OLD, NEW, NEW)
    assert code == 1 and "removed the data" in err
    code, out, _ = run("init", data, NEW, NEW)
    assert code == 0 and "Vault created" in out
    assert opens_with(data, NEW)


def test_the_commands_run_from_the_entry_point(tmp_path: Path) -> None:
    data = tmp_path / "v"
    make(data)
    done = subprocess.run(
        [sys.executable, "-m", "navigator_desktop", "passphrase", "--data-dir", str(data)],
        input=f"{OLD}\n{NEW}\n{NEW}\n",
        env={**os.environ, cli.TEST_KDF_ENV: "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert opens_with(data, NEW)
