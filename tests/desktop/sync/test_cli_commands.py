"""The IT commands, run as IT staff would: in a subprocess, secrets piped on standard input."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import PASSWORD
from tests.server.helpers import client_values

PASS = "an IT test passphrase, long enough"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NAVIGATOR_TEST_KDF": "1"}
    return subprocess.run(
        [sys.executable, "-m", "navigator_desktop", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_enrol_sync_check(served, tmp_path: Path):
    org, url = served
    org.person("ann")
    data = str(tmp_path / "vault")
    done = cli("init", "--data-dir", data, stdin=f"{PASS}\n{PASS}\n")
    assert done.returncode == 0, done.stderr
    done = cli(
        "enrol",
        "--data-dir",
        data,
        "--server",
        url,
        "--code",
        org.code("ann"),
        "--user",
        "ann",
        stdin=f"{PASS}\n{PASSWORD}\n",
    )
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    # Something to pull: a client of Ann's written by another laptop straight into the store.
    from tests.e2e.harness import Laptop

    other = Laptop(tmp_path / "other", url)
    org.person("mgr", "manager")
    other.enrol(org, "mgr")
    other.create("client", **client_values(org.team_id, org.users["ann"]))
    other.sync()
    other.close()
    done = cli("sync", "--data-dir", data, stdin=f"{PASS}\n")
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert int(lines["pulled"]) >= 1 and "pushed" in lines and "conflicts" in lines
    done = cli("check", "--data-dir", data, stdin=f"{PASS}\n")
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    assert any(line.split() == ["client", "1"] for line in done.stdout.splitlines())
    assert any(line.split()[:3] == ["search", "index", "ok"] for line in done.stdout.splitlines())


def test_check_replaces_a_damaged_search_index(tmp_path: Path):
    data = tmp_path / "vault"
    assert cli("init", "--data-dir", str(data), stdin=f"{PASS}\n{PASS}\n").returncode == 0
    index = data / "navigator-search.db"
    page = 16384  # the index file's page size (vault/connection.py, SEARCH_CIPHER)
    assert index.stat().st_size > 4 * page
    with index.open("r+b") as f:  # a page past the first: the file opens, the full check finds it
        f.seek(3 * page + 100)
        f.write(b"\xff" * 64)
    done = cli("check", "--data-dir", str(data), stdin=f"{PASS}\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "damaged: removed" in done.stdout and not index.exists()
    done = cli("check", "--data-dir", str(data), stdin=f"{PASS}\n")
    assert done.returncode == 0 and "search index" in done.stdout and "damaged" not in done.stdout
    assert index.is_file()


def test_a_wrong_passphrase_is_a_message_not_a_traceback(tmp_path: Path):
    data = str(tmp_path / "vault")
    assert cli("init", "--data-dir", data, stdin=f"{PASS}\n{PASS}\n").returncode == 0
    done = cli("check", "--data-dir", data, stdin="wrong passphrase entirely\n")
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr


def test_plain_http_to_another_host_is_refused_at_enrolment(tmp_path: Path):
    data = str(tmp_path / "vault")
    cli("init", "--data-dir", data, stdin=f"{PASS}\n{PASS}\n")
    done = cli(
        "enrol",
        "--data-dir",
        data,
        "--server",
        "http://store.example.org",
        "--code",
        "X",
        "--user",
        "a",
        stdin=f"{PASS}\npw\n",
    )
    assert done.returncode == 1 and "http" in done.stderr


def test_init_demo_makes_a_demo_vault(tmp_path: Path):
    done = cli("init", "--data-dir", str(tmp_path / "demo"), "--demo")
    assert done.returncode == 0, done.stderr
    assert "Demo vault created" in done.stdout


@pytest.mark.parametrize("fails", [False, True])
@pytest.mark.parametrize("was_on", [True, False])
def test_a_sync_holds_the_collector_off_and_leaves_it_as_it_was(monkeypatch, fails: bool, was_on: bool):
    from navigator_desktop import cli as commands
    from navigator_desktop.sync.engine import SyncReport
    from navigator_desktop.sync.errors import SyncError

    seen: list[bool] = []

    class Engine:
        def sync(self) -> SyncReport:
            seen.append(gc.isenabled())
            if fails:
                raise SyncError("the store could not be reached")
            return SyncReport(pulled=3)

    monkeypatch.setattr(commands, "_unlock", lambda *_: None)
    monkeypatch.setattr(commands, "_engine", lambda *_: Engine())
    before = gc.isenabled()  # the suite runs with it off (tests/conftest.py): put back after
    (gc.enable if was_on else gc.disable)()
    out = io.StringIO()
    try:
        if fails:
            with pytest.raises(SyncError):
                commands.cmd_sync(None, None, None, out)  # type: ignore[arg-type]
        else:
            assert commands.cmd_sync(None, None, None, out) == 0  # type: ignore[arg-type]
            assert "pulled 3" in out.getvalue()
        assert seen == [False]
        assert gc.isenabled() is was_on
    finally:
        (gc.enable if before else gc.disable)()
