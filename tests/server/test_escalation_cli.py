"""The administrator's commands for alerts: contact details, and a test message through each of a
user's channels with each result reported (an SMTP server on loopback; a webhook answering 500)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import free_port
from tests.server.escalation_support import WEBHOOK_SECRET, HttpReceiver, SmtpServer, check_webhook
from tests.server.test_cli import data_dir, run

__all__ = ["data_dir"]


def test_notify_test_reports_each_channel_and_unknown_users_are_refused(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(data_dir, "migrate", capsys=capsys)[0] == 0
    assert run(data_dir, "create-team", "North", capsys=capsys)[0] == 0
    status, _out, err = run(
        data_dir,
        "create-user",
        "olly",
        "--team",
        "North",
        "--role",
        "on-call",
        stdin="a password 123\n",
        capsys=capsys,
    )
    assert status == 0, err
    status, out, _ = run(
        data_dir,
        "set-contact",
        "olly",
        "--email",
        "olly@navigator.test",
        "--channels",
        "webhook,email,sms",
        capsys=capsys,
    )
    assert status == 0 and "webhook, email, sms" in out
    with SmtpServer(free_port()) as smtp, HttpReceiver(check_webhook) as hook:
        hook.log.status = 500
        monkeypatch.setenv("NAVIGATOR_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NAVIGATOR_SMTP_PORT", str(smtp.controller.port))
        monkeypatch.setenv("NAVIGATOR_SMTP_SECURITY", "none")
        monkeypatch.setenv("NAVIGATOR_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("NAVIGATOR_WEBHOOK_SECRET", WEBHOOK_SECRET)
        status, out, _ = run(data_dir, "notify-test", "--user", "olly", capsys=capsys)
        assert status == 0
        lines = dict(line.split(None, 1) for line in out.strip().splitlines())
        assert lines == {
            "webhook": "FAILED: webhook: HTTP 500",
            "email": "accepted",
            "sms": "not configured, or no address for this user",
        }
        assert [m.to for m in smtp.inbox.mails] == [["olly@navigator.test"]]
    status, _out, err = run(data_dir, "notify-test", "--user", "nobody", capsys=capsys)
    assert status == 1 and "no such user" in err
    status, _out, err = run(data_dir, "set-contact", "olly", "--mobile", "12", capsys=capsys)
    assert status == 1 and "mobile" in err
