"""`navigator-desktop sync` says what "removed N" means, on the line and in its help."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from navigator_desktop import cli
from navigator_desktop.__main__ import build_command_parser, main
from navigator_desktop.session import Session
from tests.e2e.harness import PASSPHRASE, PASSWORD, Laptop, Org
from tests.server.helpers import client_values


def _sync(data: Path) -> dict[str, str]:
    out = io.StringIO()
    args = build_command_parser().parse_args(["sync", "--data-dir", str(data)])
    assert cli.run(args, cli.Secrets(io.StringIO(f"{PASSPHRASE}\n")), out) == 0
    return dict(line.split(" ", 1) for line in out.getvalue().splitlines())


def test_removed_says_what_left_the_laptop_and_why(
    served: tuple[Org, str], tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    org, url = served
    org.person("mgr", "manager")
    org.person("ann")
    data = tmp_path / "ann"
    session = Session(data, cli.kdf())
    session.create(PASSPHRASE, recovery_key=False)
    session.lock()
    enrol = build_command_parser().parse_args(
        ["enrol", "--data-dir", str(data), "--server", url, "--code", org.code("ann"), "--user", "ann"]
    )
    assert cli.run(enrol, cli.Secrets(io.StringIO(f"{PASSPHRASE}\n{PASSWORD}\n")), io.StringIO()) == 0
    manager = Laptop(tmp_path / "mgr", url)
    manager.enrol(org, "mgr")
    client = manager.create("client", **client_values(org.team_id, org.users["ann"]))
    manager.sync()
    assert int(_sync(data)["pulled"]) >= 1
    manager.update("client", client, key_worker_id=None, status="discharged")
    manager.sync()
    manager.close()
    removed = _sync(data)["removed"]
    assert int(removed.split()[0]) >= 1
    assert "may no longer hold" in removed and "taken off this laptop" in removed
    assert "central store keeps them" in removed


def test_the_help_explains_each_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sync", "--help"])
    out = capsys.readouterr().out
    for line in ("pushed", "pulled", "conflicts", "removed", "rejected", "seconds"):
        assert any(row.split()[:1] == [line] and len(row.split()) > 3 for row in out.splitlines()), line
