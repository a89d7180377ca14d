"""Drafts kept while typing: a killed app gives back, at the next unlock, what was being typed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from navigator_desktop.app import Navigator
from navigator_desktop.store import drafts
from navigator_desktop.vault import KdfParams
from tests.desktop.ui.conftest import unlock
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into, wait_idle
from tests.desktop.ui.typing_then_killed import NARRATIVE, RISK_DESCRIPTION, RISK_PLAN

ROOT = Path(__file__).resolve().parents[3]


def type_and_get_killed(data: Path) -> str:
    """Run the real app in its own process, have it type, and SIGKILL it: no lock, no quit."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    errors = data.parent / "child-stderr.txt"
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-m", "tests.desktop.ui.typing_then_killed", str(data)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as child,
    ):
        try:
            assert child.stdout is not None
            line = child.stdout.readline()  # bounded: the child gives up by itself after 30 s a step
            assert line.startswith("READY"), errors.read_text()
            child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=30) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=30)
    return line.split()[1]


def test_a_killed_app_gives_back_a_half_typed_contact_and_risk_flag_word_for_word(
    qtbot, tmp_path, demo_template
):
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    client_id = type_and_get_killed(data)
    assert (data / "navigator.db-wal").exists(), "killed while unlocked: the vault was never closed"

    app = Navigator(data, kdf=KdfParams.for_tests())
    qtbot.addWidget(app.window)
    app.start()
    try:
        unlock(qtbot, app)
        contact = open_form(qtbot, app, "contact")
        risk = open_form(qtbot, app, "risk")
        assert field(contact, "narrative").toPlainText() == NARRATIVE
        assert contact.context["client_id"] == client_id
        assert field(risk, "description").toPlainText() == RISK_DESCRIPTION
        assert field(risk, "management_plan").toPlainText() == RISK_PLAN
        assert "Restored" in contact.message.text() and "Restored" in risk.message.text()
    finally:
        app.shutdown()


def test_a_form_typed_in_is_kept_after_the_debounce_and_a_saved_form_leaves_no_draft(qtbot, app):
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    user = app.signed_in.who.user_id
    type_into(qtbot, field(form, "narrative"), "Met at the cafe")
    qtbot.waitUntil(lambda: app.runner.call(lambda s: drafts.for_user(s.db, user)) != [], timeout=10_000)
    kept = app.runner.call(lambda s: drafts.for_user(s.db, user))
    assert [d.payload["values"]["narrative"] for d in kept] == ["Met at the cafe"]
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: not app.forms.open_forms)
    wait_idle(qtbot, app)
    qtbot.wait(2_500)  # past any debounce that could still have been running
    wait_idle(qtbot, app)
    assert app.runner.call(lambda s: drafts.for_user(s.db, user)) == []
