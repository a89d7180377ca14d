"""Visit warnings survive the lock: they fire on time while locked, as a system notification
(tray when there is one, the taskbar alert always) with no client details, and the lock screen
says a visit is in progress and until when, without the client."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QMessageBox

from navigator_core import timeutil
from navigator_desktop.store import clients, visits
from navigator_desktop.ui import text
from tests.desktop.ui.conftest import unlock
from tests.desktop.ui.helpers import wait_idle


def _visit_in_progress(app, minutes_left: int) -> tuple[str, str, str]:
    """Check in to a visit to my first client; its id, the client's surname and the place."""
    me = app.signed_in.who
    now = timeutil.utcnow().replace(microsecond=0)

    def seed(s) -> tuple[str, str, str]:
        for open_visit in visits.in_progress_for(s.db, me.user_id):
            visits.check_out(s.db, s.actor, open_visit["id"])
        row = clients.caseload(s.db, worker_id=me.user_id)[0]
        values = {
            "client_id": row.client_id,
            "place": "Flat 3, 9 Mill Lane",
            "planned_start": timeutil.to_text(now - timedelta(minutes=60 - minutes_left)),
            "expected_minutes": 60,
        }
        visit_id = visits.plan(s.db, s.actor, values).record_id
        visits.start(s.db, s.actor, visit_id, values["planned_start"])
        return visit_id, row.name.split()[-1], "Mill Lane"

    found = app.runner.call(seed)
    app.visits.refresh()
    return found


def test_a_visit_warning_fires_while_locked_without_client_details(qtbot, app):
    visit_id, surname, place = _visit_in_progress(app, minutes_left=30)
    qtbot.waitUntil(lambda: [v["id"] for v in app.visits.active] == [visit_id])
    due = timeutil.parse(app.visits.active[0]["due_out_at"])
    clock = {"now": due - timedelta(minutes=30)}
    app.visits.now = lambda: clock["now"]
    app.visits.tick()
    assert app.visits.warnings == {}

    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    wait_idle(qtbot, app)
    # Locked: only the id and the expected end are kept; the lock screen says it, without the client.
    assert app.visits.active == [{"id": visit_id, "due_out_at": app.visits.active[0]["due_out_at"]}]
    assert not app.visit_banner.isVisible() and app.window.status.text() == ""
    note = app.unlock_view.visit_note.text()
    assert app.unlock_view.visit_note.isVisibleTo(app.unlock_view)
    assert f"Visit in progress, due out at {text.clock(timeutil.to_text(due))}" in note
    assert "unlock first" in note and surname not in note and place not in note
    assert app.notifier.state.startswith("Visit in progress, due out at")

    clock["now"] = due - timedelta(minutes=10, milliseconds=500)
    app.visits.tick()  # as the once-a-minute look does; the timer is now set for the warning
    assert app.visits.timer.isActive() and app.visits.timer.interval() <= 501
    clock["now"] = due - timedelta(minutes=10)
    with qtbot.waitSignal(app.notifier.notified, timeout=5_000) as soon:
        pass  # the timer, still running while locked, fires the warning
    title, body = soon.args
    assert title == "Visit ends in 10 minutes" and text.clock(timeutil.to_text(due)) in body
    assert surname not in title + body and place not in title + body
    assert app.visits.warnings == {visit_id: "soon"}
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in app.window.findChildren(QMessageBox))

    clock["now"] = due + timedelta(seconds=1)
    with qtbot.waitSignal(app.notifier.notified, timeout=5_000) as overdue:
        app.visits.tick()
    assert overdue.args[0] == "Visit due out now" and surname not in overdue.args[1]
    assert "past its end" in app.unlock_view.visit_note.text()

    # After unlocking, the whole visit is back on the banner, warned once only.
    unlock(qtbot, app)
    qtbot.waitUntil(lambda: app.visit_banner.isVisible())
    assert app.visits.warnings == {visit_id: "due"} and "client" in app.visits.active[0]
    assert (
        app.notifier.state
        == "Visit in progress, due out at " + text.clock(timeutil.to_text(due)) + " — past its end."
    )


def test_the_app_copes_without_a_tray(qtbot, app):
    assert app.notifier.tray is None or app.notifier.tray.isVisible()
    app.notifier.notify("Visit ends in 10 minutes", "Your visit is due to end at 20:34.")
    assert app.notifier.last == ("Visit ends in 10 minutes", "Your visit is due to end at 20:34.")
