"""The organisation's laptop policy travels from the central store to the laptop: at enrolment
and on every sync, into the vault header (wipe after N failures) and the vault's settings (idle
lock). Run through the IT commands against a real store on loopback."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from navigator_desktop import cli
from navigator_desktop.session import Session
from navigator_desktop.sync import server_policy
from navigator_desktop.vault import KdfParams, Vault
from navigator_server.db import Database
from tests.e2e.harness import PASSWORD, Org, free_port, live_server
from tests.server.conftest import sqlite_db, sqlite_template  # noqa: F401 - fixtures

PASS = "kettle orbit marble seven"


def run(command: str, data: Path, *extra: str, lines: tuple[str, ...]) -> int:
    parser = argparse.ArgumentParser()
    cli.add_commands(parser)
    args = parser.parse_args([command, "--data-dir", str(data), *extra])
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    return cli.run(args, cli.Secrets(stdin), io.StringIO())


def idle_minutes(data: Path) -> int | None:
    session = Session(data, KdfParams.for_tests())
    session.unlock(PASS)
    try:
        return server_policy.idle_lock_minutes(session.db)
    finally:
        session.lock()


def test_policy_arrives_at_enrolment_and_changes_with_a_sync(
    sqlite_db: Database,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    data = tmp_path / "laptop"
    Vault.create(data, PASS, kdf=KdfParams.for_tests())
    strict = sqlite_db.settings.model_copy(update={"wipe_after_failures": 6, "idle_lock_minutes": 2})
    org = Org(sqlite_db, strict)
    org.person("ann")
    port = free_port()  # the same address both times: the laptop keeps the one it enrolled with
    with live_server(org.app(), port) as url:
        code = org.code("ann")
        assert (
            run("enrol", data, "--server", url, "--code", code, "--user", "ann", lines=(PASS, PASSWORD)) == 0
        )
    assert Vault(data, kdf=KdfParams.for_tests()).wipe_limit() == 6  # readable before unlocking
    assert idle_minutes(data) == 2

    relaxed = sqlite_db.settings.model_copy(update={"wipe_after_failures": None, "idle_lock_minutes": 4})
    with live_server(Org(sqlite_db, relaxed).app(), port):
        assert run("sync", data, lines=(PASS,)) == 0
    assert Vault(data, kdf=KdfParams.for_tests()).wipe_limit() is None
    assert idle_minutes(data) == 4
