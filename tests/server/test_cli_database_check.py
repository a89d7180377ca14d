"""Admin commands never create a database they were not told about: without NAVIGATOR_DATABASE_URL
and with no database yet, they say what to set instead of printing an empty table from a new,
empty store; `seed-demo` names every user it made, with their role."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from navigator_core.demo import Scale, generate
from navigator_server import cli
from tests.server.test_cli import data_dir as data_dir  # an empty data folder, no NAVIGATOR_DATABASE_URL


def _run(*args: str, stdin: str = "") -> int:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return cli.main(list(args))
    finally:
        sys.stdin = old


@pytest.mark.parametrize(
    "command",
    [
        ["list-devices"],
        ["create-team", "North"],
        ["enrol", "nina"],
        ["revoke-device", "00000000-0000-4000-8000-000000000000"],
        ["sweep-overdue"],
        ["subject-access", "--client-id", "x", "--out", "x.zip"],
        ["notify-test", "--user", "nina"],
        ["set-contact", "nina", "--email", "nina@example.org"],
    ],
)
def test_a_command_without_a_database_says_what_to_set_and_creates_nothing(
    data_dir: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(*command) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "NAVIGATOR_DATABASE_URL" in err and "navigator-server migrate" in err
    assert str(data_dir / "navigator.db") in err
    assert list(data_dir.iterdir()) == []


def test_an_sqlite_url_to_a_missing_file_is_refused_too(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = data_dir / "elsewhere" / "store.db"
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", f"sqlite:///{missing}")
    assert _run("list-devices") == 1
    assert f"no database at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_migrate_makes_the_database_and_then_the_commands_work(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("migrate") == 0
    assert (data_dir / "navigator.db").exists()
    assert _run("list-devices") == 0
    assert "DEVICE" in capsys.readouterr().out


def test_seed_demo_names_every_user_with_their_role(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("seed-demo", stdin="demo password\n") == 0
    out = capsys.readouterr().out
    team, _rows = generate(Scale.named("small"), seed=1)
    assert "more" not in out
    lines = out.splitlines()
    for user in team.users:
        assert any(user.username in line and user.role in line for line in lines), user.username
