"""SOS during a visit: the banner's "I need help now" and the shortcut, a confirm that Enter only
cancels, the store's SOS sent at once to a real server on loopback, and plain words (ring the duty
line, 999 if in danger) when it cannot go."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from navigator_desktop.store import visits
from navigator_desktop.sync import sos
from navigator_desktop.sync.break_glass import ServerConfig
from navigator_desktop.ui.dialogs.sos_confirm import SosConfirmDialog
from navigator_server.schema import escalations
from tests.desktop.ui.helpers import shortcut, wait_idle
from tests.e2e.harness import Org, free_port


def _sos_chains(org: Org, visit_id: str) -> list[str]:
    with org.db.engine.connect() as conn:
        query = sa.select(escalations.c.reason).where(escalations.c.visit_id == visit_id)
        return [row.reason for row in conn.execute(query)]


def test_sos_from_the_banner_reaches_the_store_at_once_and_enter_only_cancels(qtbot, enrolled):
    app, org, visit_id, _url = enrolled
    qtbot.waitUntil(
        lambda: app.visit_banner.isVisible() and app.visit_banner.visit is not None, timeout=20_000
    )
    assert app.visit_banner.sos_button.text() == "I need help now"

    qtbot.mouseClick(app.visit_banner.sos_button, Qt.MouseButton.LeftButton)
    dialog = app.sos.confirm
    assert isinstance(dialog, SosConfirmDialog) and dialog.isVisible()
    assert dialog.cancel_button.isDefault() and not dialog.send_button.autoDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # in a hurry, or a bag on the keyboard: cancelled
    assert not dialog.isVisible()
    wait_idle(qtbot, app)
    assert _sos_chains(org, visit_id) == []

    shortcut(qtbot, app, "Ctrl+Shift+S")  # the shortcut opens the same confirm
    dialog = app.sos.confirm
    assert dialog.isVisible() and "call 999" in " ".join(
        label.text() for label in dialog.findChildren(QLabel)
    )
    with qtbot.waitSignal(app.sos.said, timeout=20_000) as said:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    sent, message = said.args
    assert sent and message.startswith("SOS sent at") and "999" in message
    assert app.sos.answer is not None and app.sos.answer.isVisible()
    assert _sos_chains(org, visit_id) == ["sos"]
    app.sos.answer.close()


def test_sos_that_cannot_be_sent_says_so_and_what_to_do(qtbot, app):
    """The demo laptop is not enrolled: nothing can be sent, and the message says what to do."""
    me = app.signed_in.who
    visit = app.runner.call(lambda s: visits.in_progress_for(s.db, me.user_id))
    if not visit:
        pytest.fail("the demo has a visit in progress for its navigator")
    app.sos.ask(visit[0])
    with qtbot.waitSignal(app.sos.said, timeout=20_000) as said:
        qtbot.mouseClick(app.sos.confirm.send_button, Qt.MouseButton.LeftButton)
    sent, message = said.args
    assert not sent and "NOT sent" in message and "no one has been alerted" in message
    assert "Ring the duty line now" in message and "call 999" in message
    assert app.sos.answer.windowTitle() == "SOS NOT sent"


def test_sos_to_a_store_that_does_not_answer_says_it_was_not_sent():
    config = ServerConfig(f"http://127.0.0.1:{free_port()}", "a-device-token")
    with pytest.raises(sos.SosError) as raised:
        sos.send(config, "0f1c1f38-8f7a-4f51-9a52-1b2a7f0e1c11")
    assert str(raised.value) == sos.OFFLINE and "Ring the duty line now" in sos.OFFLINE
