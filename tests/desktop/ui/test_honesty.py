"""The app says only what is true: "last refreshed" only after a refresh that happened (the demo
says it is demo data, on screen and on the crisis sheet), the lock screen's sync status is what was
true at the lock, and a visit's messages say who can and cannot see it (offline, not enrolled)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from navigator_core import timeutil
from navigator_desktop.store import clients, freshness, outbox, visits
from navigator_desktop.store.freshness import Source, record_words
from navigator_desktop.ui import visit_words
from navigator_desktop.ui.widgets.sync_status import NOT_ENROLLED
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, wait_idle


def test_record_words_state_only_a_refresh_that_happened():
    at = "2026-12-03T09:14:00.000Z"
    assert record_words(at, Source(last_sync_at=at)).startswith("Last refreshed from the central store: ")
    assert record_words(at, Source()) == freshness.NEVER  # loaded, but this laptop never synced
    assert record_words(at, Source(last_sync_at=at, demo=True)) == freshness.DEMO
    assert record_words(None, Source(last_sync_at=at)) == freshness.LOCAL_ONLY


def test_the_demo_says_it_is_demo_data_on_the_client_header_and_the_crisis_sheet(qtbot, app):
    client_id = open_first_client(qtbot, app)
    assert app.client_view.refreshed.text() == f"↻ {freshness.DEMO}"
    assert "Last refreshed" not in app.client_view.refreshed.text()

    app.on_call.show_client(client_id)
    qtbot.waitUntil(lambda: app.on_call_view.summary is not None)
    wait_idle(qtbot, app)
    assert freshness.DEMO in app.on_call_view.summary_view.toPlainText()
    sheets: list[str] = []
    app.on_call._with_sheet(lambda _client_id, _title, html: sheets.append(html))
    qtbot.waitUntil(lambda: bool(sheets))
    assert freshness.DEMO in sheets[0] and "last refreshed" not in sheets[0].lower()


def test_the_lock_screen_keeps_the_true_sync_status(qtbot, app):
    me = app.signed_in.who

    def write(s) -> int:
        client_id = clients.caseload(s.db, worker_id=me.user_id)[0].client_id
        clients.update(s.db, s.actor, client_id, {"phone": "0113 496 0000"})
        return outbox.pending_count(s.db)

    waiting = app.runner.call(write)
    assert waiting > 0
    app.sync.refresh()
    qtbot.waitUntil(lambda: app.sync.widget.waiting.text().startswith(f"{waiting} change"))
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    widget = app.sync.widget
    assert widget.state.text() == NOT_ENROLLED
    assert widget.waiting.text().startswith(f"{waiting} change") and widget.last.text() == "Last sync: never"
    assert not widget.sync_button.isEnabled()


def test_the_lock_screen_on_an_enrolled_laptop_says_so(qtbot, enrolled):
    app, _org, _visit, _url = enrolled
    qtbot.waitUntil(lambda: app.sync.last is not None and app.sync.last.enrolled, timeout=20_000)
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    assert app.sync.widget.state.text() == "Locked: not syncing"
    assert app.sync.widget.last.text() != "Last sync: never"
    assert app.sync.reach() in ("online", "offline")


def test_an_unenrolled_laptop_says_no_one_is_watching_at_plan_and_check_in(qtbot, app):
    assert app.sync.reach() == "unenrolled"
    me = app.signed_in.who
    mine = app.runner.call(lambda s: clients.caseload(s.db, worker_id=me.user_id))
    qtbot.mouseClick(app.today_view.plan_visit, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "visit")
    field(form, "place").setText("Café on Briggate")
    save(qtbot, app, form)
    assert "no one is watching this visit" in app.window.status.text()
    visit_id = next(
        v["id"]
        for v in app.runner.call(lambda s: visits.for_client(s.db, mine[0].client_id))
        if v["place"] == "Café on Briggate"
    )
    app.visits.start({"id": visit_id})
    qtbot.waitUntil(lambda: app.visits.briefing is not None and app.visits.briefing.isVisible())
    shown = " ".join(label.text() for label in app.visits.briefing.findChildren(QLabel))
    assert "no one is watching this visit" in shown and "sent to the central store" not in shown
    app.visits.briefing.reject()
    app.visits._check_in(visit_id)
    wait_idle(qtbot, app)
    assert app.window.status.text() == visit_words.checked_in("unenrolled")
    assert "no one is watching this visit" in app.window.status.text()


def test_an_offline_check_out_past_the_end_says_who_cannot_see_it_and_to_ring(qtbot, app):
    app.visits.reach = lambda: "offline"
    now = timeutil.utcnow().replace(microsecond=0)
    me = app.signed_in.who

    def seed(s) -> str:
        client_id = clients.caseload(s.db, worker_id=me.user_id)[0].client_id
        start = timeutil.to_text(now - timedelta(minutes=90))
        values = {"client_id": client_id, "place": "Flat 3", "planned_start": start, "expected_minutes": 60}
        visit_id = visits.plan(s.db, s.actor, values).record_id
        visits.start(s.db, s.actor, visit_id, start)
        return visit_id

    visit_id = app.runner.call(seed)
    app.visits.check_out({"id": visit_id, "client": "someone"})
    qtbot.waitUntil(lambda: "offline" in app.window.status.text())
    message = app.window.status.text()
    assert "on call cannot yet" in message and "still sees the visit as open" in message
    assert "ring the duty line now" in message
    form = open_form(qtbot, app, "contact")
    form.cancel_button.click()
