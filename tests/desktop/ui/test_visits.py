"""A lone-working visit, the whole way through the app: planned from the client's screen, the
safety briefing that must be acknowledged, check-in, the warnings before the expected end and at
it (with the clock injected), and check-out offering the contact already filled in."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from navigator_core import timeutil
from navigator_desktop.store import clients, contacts, risk, visits
from navigator_desktop.ui import text
from tests.desktop.ui.helpers import field, open_form, save, type_into, wait_idle


def _my_client_with_risks(app) -> str:
    me = app.signed_in.who

    def seed(s) -> str:
        client_id = clients.caseload(s.db, worker_id=me.user_id)[0].client_id
        for open_visit in visits.in_progress_for(s.db, me.user_id):  # the demo's, so only ours warns
            visits.check_out(s.db, s.actor, open_visit["id"])
        for flag in risk.active_for_client(s.db, client_id):
            risk.resolve(s.db, s.actor, flag["id"], "Cleared for the test")
        for category, severity, plan in (
            ("visit_two_workers", "high", "Always visit with a colleague."),
            ("environment", "medium", "Ask for the dogs to be shut in the kitchen."),
            ("self_harm", "high", "Crisis team number on the plan."),
        ):
            risk.raise_flag(
                s.db,
                s.actor,
                {
                    "client_id": client_id,
                    "category": category,
                    "severity": severity,
                    "description": f"About {category}",
                    "management_plan": plan,
                    "review_date": "2099-01-01",
                },
            )
        clients.update(
            s.db, s.actor, client_id, {"exclusion_zones": "Kirkgate Market", "no_contact": "J. Doe"}
        )
        return client_id

    return app.runner.call(seed)


def test_the_whole_visit_lifecycle(qtbot, app):
    pushed: list[int] = []
    app.visits.push_now = lambda: pushed.append(1)
    client_id = _my_client_with_risks(app)
    app.open_client(client_id)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    wait_idle(qtbot, app)

    # Plan it from the client's screen.
    before = {v["id"] for v in app.runner.call(lambda s: visits.for_client(s.db, client_id))}
    qtbot.mouseClick(app.client_view.plan_visit, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "visit")
    assert form.fixed["client_id"] == client_id
    start = timeutil.utcnow().replace(second=0, microsecond=0) - timedelta(minutes=5)
    form.set_values({"planned_start": timeutil.to_text(start), "expected_minutes": 30})
    field(form, "place").clear()
    type_into(qtbot, field(form, "place"), "Flat 3, 9 Mill Lane")
    type_into(qtbot, field(form, "call_contact"), "Team office 0113 496 0001")
    save(qtbot, app, form)
    planned = [
        v for v in app.runner.call(lambda s: visits.for_client(s.db, client_id)) if v["id"] not in before
    ]
    assert [(v["status"], v["place"], v["expected_minutes"]) for v in planned] == [
        ("planned", "Flat 3, 9 Mill Lane", 30)
    ]
    visit_id = planned[0]["id"]

    # Today lists it; starting it shows the briefing, which must be acknowledged.
    app.window.nav["today"].trigger()
    today = app.today_view
    qtbot.waitUntil(
        lambda: any(today.visits.record(r)["id"] == visit_id for r in range(today.visits.rowCount()))
    )
    row = next(r for r in range(today.visits.rowCount()) if today.visits.record(r)["id"] == visit_id)
    today.visit_table.selectRow(row)
    assert today.start_visit.isEnabled() and not today.check_out.isEnabled()
    qtbot.mouseClick(today.start_visit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.visits.briefing is not None and app.visits.briefing.isVisible())
    dialog = app.visits.briefing
    shown = dialog.content.toPlainText()
    assert "VISIT: TWO WORKERS ONLY" in shown and "Always visit with a colleague." in shown
    assert "Environment (dogs, hazards)" in shown and "Ask for the dogs to be shut in the kitchen." in shown
    assert "Self-harm" not in shown  # not a visit-relevant risk
    assert "Kirkgate Market" in shown and "J. Doe" in shown and "Team office 0113 496 0001" in shown
    assert shown.index("VISIT: TWO WORKERS ONLY") < shown.index("Risks for this visit")
    assert not dialog.start.isEnabled()
    dialog.accept()  # not acknowledged: nothing happens
    assert dialog.isVisible()
    assert app.runner.call(lambda s: visits.get(s.db, visit_id))["status"] == "planned"
    dialog.read.setChecked(True)
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    visit = app.runner.call(lambda s: visits.get(s.db, visit_id))
    assert visit["status"] == "in_progress" and visit["checked_in_at"]
    assert app.runner.call(lambda s: visits.briefing_acknowledged(s.db, visit_id))
    assert pushed, "check-in must ask the sync to push at once"

    # In progress: the banner says so; the warnings come from the visit's times and the clock.
    qtbot.waitUntil(lambda: app.visit_banner.isVisible())
    assert "Visit in progress" in app.visit_banner.label.text()
    due = timeutil.parse(visit["due_out_at"])
    assert due == timeutil.parse(visit["checked_in_at"]) + timedelta(minutes=30)  # from the check-in
    clock = {"now": due - timedelta(minutes=10, seconds=1)}
    app.visits.now = lambda: clock["now"]
    app.visits.tick()
    assert app.visits.warnings == {} and app.visits.timer.isActive()
    assert app.visits.timer.interval() <= 1_001
    clock["now"] = due - timedelta(minutes=10)
    with qtbot.waitSignal(app.visits.warned, timeout=5_000) as soon:
        pass
    assert soon.args == [visit_id, "soon"]
    assert isinstance(app.visits.alert, QMessageBox) and app.visits.alert.isVisible()
    assert "in 10 minutes" in app.visits.alert.text()
    assert "Ends in less than 10 minutes" in app.visit_banner.label.text()
    clock["now"] = due - timedelta(milliseconds=200)
    app.visits.tick()  # nothing new; the timer is set for the end
    assert app.visits.warnings == {visit_id: "soon"} and app.visits.timer.interval() <= 201
    clock["now"] = due
    with qtbot.waitSignal(app.visits.warned, timeout=5_000) as at_end:
        pass
    assert at_end.args == [visit_id, "due"]
    assert "overdue" in app.visits.alert.text()
    app.visits.tick()  # each warning once
    assert app.visits.warnings == {visit_id: "due"}
    app.visits.alert.close()

    # Check out: recorded, pushed, and the contact offered already filled in.
    pushed.clear()
    qtbot.mouseClick(app.visit_banner.button, Qt.MouseButton.LeftButton)
    contact = open_form(qtbot, app, "contact")
    visit = app.runner.call(lambda s: visits.get(s.db, visit_id))
    assert visit["status"] == "completed" and visit["checked_out_at"] and pushed
    qtbot.waitUntil(lambda: not app.visit_banner.isVisible())
    values = contact.values()
    assert values["occurred_at"][:16] == visit["checked_in_at"][:16]
    assert values["contact_type"] == "home_visit" and values["place"] == "Flat 3, 9 Mill Lane"
    assert values["duration_minutes"] >= 1
    assert contact.fixed == {"client_id": client_id, "visit_id": visit_id}
    type_into(qtbot, field(contact, "narrative"), "Visit went well; dogs shut away as agreed.")
    save(qtbot, app, contact)
    saved = app.runner.call(lambda s: contacts.timeline(s.db, client_id))[0]
    assert saved["visit_id"] == visit_id and saved["narrative"].startswith("Visit went well")
    assert saved["contact_type"] == "home_visit" and saved["place"] == "Flat 3, 9 Mill Lane"


def test_planning_from_today_chooses_from_my_caseload(qtbot, app):
    qtbot.mouseClick(app.today_view.plan_visit, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "visit")
    mine = app.runner.call(lambda s: clients.caseload(s.db, worker_id=app.signed_in.who.user_id))
    combo = field(form, "client_id")
    assert combo.count() == len(mine) and combo.currentData() == mine[0].client_id
    buddies = field(form, "buddy_id")
    assert app.signed_in.who.user_id not in [buddies.itemData(i) for i in range(buddies.count())]
    buddies.setCurrentIndex(1)
    buddy = buddies.itemData(1)
    field(form, "place").setText("Café on Briggate")
    save(qtbot, app, form)
    planned = [
        v
        for v in app.runner.call(lambda s: visits.for_client(s.db, mine[0].client_id))
        if v["place"] == "Café on Briggate"
    ]
    assert planned[0]["place"] == "Café on Briggate" and planned[0]["buddy_id"] == buddy
    assert planned[0]["worker_id"] == app.signed_in.who.user_id


def test_a_visit_is_extended_from_the_banner_or_today_and_pushed_at_once(qtbot, app):
    pushed: list[int] = []
    app.visits.push_now = lambda: pushed.append(1)
    client_id = _my_client_with_risks(app)
    now = timeutil.utcnow().replace(microsecond=0)

    def seed(s) -> str:
        values = {
            "client_id": client_id,
            "place": "Flat 3, 9 Mill Lane",
            # planned 100 minutes ago for 60, but only started 50 minutes ago: not overdue
            "planned_start": timeutil.to_text(now - timedelta(minutes=100)),
            "expected_minutes": 60,
        }
        visit_id = visits.plan(s.db, s.actor, values).record_id
        visits.start(s.db, s.actor, visit_id, timeutil.to_text(now - timedelta(minutes=50)))
        return visit_id

    visit_id = app.runner.call(seed)
    app.visits.refresh()
    qtbot.waitUntil(lambda: [v["id"] for v in app.visits.active] == [visit_id])
    [active] = app.visits.active
    assert app.visit_banner.isVisible()
    assert timeutil.parse(active["due_out_at"]) == now + timedelta(minutes=10)
    assert not active["overdue"]
    assert "Ends in less than 10 minutes" in app.visit_banner.label.text()  # warned "soon"
    if app.visits.alert is not None:
        app.visits.alert.close()

    qtbot.mouseClick(app.visit_banner.extend_button, Qt.MouseButton.LeftButton)
    dialog = app.visits.extend_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.minutes.setValue(30)
    assert dialog.new_end.text() == text.clock(timeutil.to_text(now + timedelta(minutes=40)))
    qtbot.mouseClick(dialog.extend_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    visit = app.runner.call(lambda s: visits.get(s.db, visit_id))
    assert visit["expected_minutes"] == 90 and pushed, "an extension must be pushed at once"
    assert timeutil.parse(visit["due_out_at"]) == now + timedelta(minutes=40)
    qtbot.waitUntil(lambda: app.visits.active and app.visits.active[0]["expected_minutes"] == 90)
    assert app.visits.warnings == {}  # the warning comes again before the new end
    assert "Ends in less than" not in app.visit_banner.label.text()
    assert text.clock(visit["due_out_at"]) in app.visit_banner.label.text()

    # The same from Today, on the selected visit in progress.
    pushed.clear()
    app.window.nav["today"].trigger()
    today = app.today_view
    qtbot.waitUntil(
        lambda: any(today.visits.record(r)["id"] == visit_id for r in range(today.visits.rowCount()))
    )
    row = next(r for r in range(today.visits.rowCount()) if today.visits.record(r)["id"] == visit_id)
    today.visit_table.selectRow(row)
    assert today.extend_visit.isEnabled() and not today.start_visit.isEnabled()
    qtbot.mouseClick(today.extend_visit, Qt.MouseButton.LeftButton)
    dialog = app.visits.extend_dialog
    assert dialog is not None and dialog.isVisible() and dialog.minutes.value() == 15
    qtbot.mouseClick(dialog.extend_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert app.runner.call(lambda s: visits.get(s.db, visit_id))["expected_minutes"] == 105 and pushed
