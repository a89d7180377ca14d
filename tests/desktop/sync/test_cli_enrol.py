"""`navigator-desktop enrol` for IT: its help says what it reads and in which order, it asks in
that order, and a refusal is the same sentence the app's "Connect to your organisation" shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from navigator_desktop import cli
from navigator_desktop.__main__ import build_command_parser, main
from navigator_desktop.session import Session
from tests.e2e.harness import PASSPHRASE, PASSWORD, Org


def test_the_help_says_what_is_read_and_in_which_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["enrol", "--help"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    first, second = out.index("1. the vault passphrase"), out.index("2. the password of --user")
    assert first < second
    assert "standard input is piped" in out and "one line" in out
    for option in ("--server", "--code", "--user", "--data-dir"):
        assert option in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _enrol(data: Path, url: str, code: str, secrets: cli.Secrets, out: io.StringIO) -> int:
    args = build_command_parser().parse_args(
        ["enrol", "--data-dir", str(data), "--server", url, "--code", code, "--user", "ann"]
    )
    return cli.run(args, secrets, out)


def test_it_asks_in_the_order_the_help_gives(served: tuple[Org, str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    org, url = served
    org.person("ann")
    data = tmp_path / "vault"
    Session(data, cli.kdf()).create(PASSPHRASE, recovery_key=False)
    asked: list[str] = []
    answers = iter([PASSPHRASE, PASSWORD])

    def prompt(label: str) -> str:
        asked.append(label)
        return next(answers)

    out = io.StringIO()
    assert _enrol(data, url, org.code("ann"), cli.Secrets(_Terminal(), prompt), out) == 0
    assert asked == ["Vault passphrase: ", "Password for ann: "]
    assert "Enrolled with" in out.getvalue()


def test_a_refusal_is_the_app_s_sentence(
    served: tuple[Org, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv(cli.TEST_KDF_ENV, "1")
    org, url = served
    org.person("ann")
    data = tmp_path / "vault"
    Session(data, cli.kdf()).create(PASSPHRASE, recovery_key=False)
    piped = cli.Secrets(io.StringIO(f"{PASSPHRASE}\nnot the password\n"))
    assert _enrol(data, url, org.code("ann"), piped, io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.startswith("navigator-desktop enrol: The username or password is wrong.")
    assert "ask IT to reset it" in err and "not the password" not in err
