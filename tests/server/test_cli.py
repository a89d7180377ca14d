"""The administrator's command line, run in-process against an SQLite data directory."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from navigator_core.policy import Access, Actor, Role
from navigator_server import cli, pull
from navigator_server.db import Database
from navigator_server.schema import records, users
from navigator_server.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NAVIGATOR_DATABASE_URL", raising=False)
    # Set here so that monkeypatch puts it back: `--data-dir` writes it into the environment.
    monkeypatch.setenv("NAVIGATOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NAVIGATOR_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("NAVIGATOR_ARGON2_TIME_COST", "1")
    return tmp_path


def run(
    data_dir: Path, *args: str, stdin: str = "", capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        status = cli.main(["--data-dir", str(data_dir), *args])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return status, out, err


def test_users_are_created_with_a_piped_password_and_enrolled(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, "migrate", capsys=capsys)[0] == 0  # no command makes a database by accident
    assert run(data_dir, "create-team", "North", capsys=capsys)[0] == 0
    status, out, _ = run(
        data_dir,
        "create-user",
        "nina",
        "--team",
        "North",
        "--role",
        "on-call",
        stdin="a long password\n",
        capsys=capsys,
    )
    assert status == 0
    status, out, _ = run(data_dir, "enrol", "nina", capsys=capsys)
    assert status == 0 and "Enrolment code for nina:" in out
    db = Database(Settings(data_dir=data_dir))
    with db.read() as conn:
        row = conn.execute(sa.select(users.c.role, users.c.password_hash)).one()
    db.dispose()
    assert row.role == "on-call" and "a long password" not in row.password_hash


def test_there_is_no_way_to_give_a_password_on_the_command_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main(
            [
                "--data-dir",
                str(data_dir),
                "create-user",
                "x",
                "--team",
                "T",
                "--role",
                "admin",
                "--password",
                "secret",
            ]
        )


def test_mistakes_are_one_line_messages_not_tracebacks(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(data_dir, "migrate", capsys=capsys)
    status, _, err = run(data_dir, "enrol", "nobody", capsys=capsys)
    assert status == 1 and err.strip() == "navigator-server: no such user"
    run(data_dir, "create-team", "North", capsys=capsys)
    status, _, err = run(
        data_dir, "create-user", "x", "--team", "North", "--role", "admin", stdin="short\n", capsys=capsys
    )
    assert status == 1 and "at least" in err
    status, _, err = run(data_dir, "revoke-device", "not-a-uuid", capsys=capsys)
    assert status == 1 and "UUID" in err


def test_seed_demo_creates_every_role_and_a_caseload_that_pulls(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(data_dir, "seed-demo", stdin="demo password\n", capsys=capsys)
    assert status == 0, err
    assert "(the demo caseload)" in out
    db = Database(Settings(data_dir=data_dir))
    with db.read() as conn:
        people = conn.execute(sa.select(users.c.id, users.c.team_id, users.c.role)).all()
        assert {p.role for p in people} == {r.value for r in Role}
        navigator = next(p for p in people if p.role == "navigator")
        kinds = {k for (k,) in conn.execute(sa.select(records.c.kind).distinct())}
        page = pull.pull(conn, Actor(navigator.id, navigator.team_id, Role.NAVIGATOR), 0, 100_000)
    db.dispose()
    assert {"client", "contact", "risk_flag", "handover_note"} <= kinds
    access = {item["access"] for item in page["changes"] if item["kind"] == "client"}
    assert {Access.FULL.name.lower(), Access.SUMMARY.name.lower()} <= access
    status, _, err = run(data_dir, "seed-demo", stdin="demo password\n", capsys=capsys)
    assert status == 1 and "exists already" in err
