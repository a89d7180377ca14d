"""The safety briefing shows every active flag that applies to the place of the visit (one table,
navigator_core.kinds.RISK_PLACES), and check-in needs someone to call or a recorded reason why not."""

from __future__ import annotations

from PySide6.QtCore import Qt

from navigator_core import timeutil
from navigator_core.kinds import AT_HOME, IN_COMMUNITY, RISK_CATEGORIES, RISK_PLACES, risks_for_place
from navigator_desktop.store import clients, risk, visits
from tests.desktop.ui.helpers import wait_idle


def test_every_risk_category_says_where_it_applies():
    assert set(RISK_PLACES) == set(RISK_CATEGORIES)
    assert all(set(places) <= {AT_HOME, IN_COMMUNITY} for places in RISK_PLACES.values())
    assert "risk_from_others" in risks_for_place(AT_HOME) and "risk_from_others" in risks_for_place(
        IN_COMMUNITY
    )
    assert "environment" in risks_for_place(AT_HOME) and "environment" not in risks_for_place(IN_COMMUNITY)
    assert "self_harm" not in risks_for_place(AT_HOME)


def test_the_place_of_a_visit_is_home_when_it_is_the_clients_address():
    assert visits.visit_place("Flat 3, 9 Mill Lane, Leeds", "9 Mill Lane\nLeeds") == AT_HOME
    assert visits.visit_place("Café on Briggate", "9 Mill Lane\nLeeds") == IN_COMMUNITY
    assert (
        visits.visit_place("Flat 2, 40 Kirkgate", "9 Mill Lane\nLeeds") == AT_HOME
    )  # a home, maybe not theirs
    assert visits.visit_place("Café on Briggate", None) == AT_HOME  # unknown: the home's risks show too


def _visit(app, place: str, call_contact: str | None) -> str:
    me = app.signed_in.who

    def seed(s) -> str:
        client_id = clients.caseload(s.db, worker_id=me.user_id)[0].client_id
        for open_visit in visits.in_progress_for(s.db, me.user_id):
            visits.check_out(s.db, s.actor, open_visit["id"])
        for flag in risk.active_for_client(s.db, client_id):
            risk.resolve(s.db, s.actor, flag["id"], "Cleared for the test")
        clients.update(s.db, s.actor, client_id, {"address": "9 Mill Lane\nLeeds"})
        for category, plan in (
            ("risk_from_others", "Meet at the flat only when the cousin is out; text first."),
            ("environment", "Ask for the dogs to be shut in the kitchen."),
            ("self_harm", "Crisis team number on the plan."),
        ):
            values = {"client_id": client_id, "category": category, "severity": "high",
                      "description": f"About {category}", "management_plan": plan,
                      "review_date": "2099-01-01"}  # fmt: skip
            risk.raise_flag(s.db, s.actor, values)
        values = {"client_id": client_id, "place": place, "planned_start": timeutil.now_text(),
                  "expected_minutes": 45, "call_contact": call_contact}  # fmt: skip
        return visits.plan(s.db, s.actor, values).record_id

    return app.runner.call(seed)


def _briefing(qtbot, app, visit_id: str):
    app.visits.start({"id": visit_id})
    qtbot.waitUntil(lambda: app.visits.briefing is not None and app.visits.briefing.isVisible())
    return app.visits.briefing


def test_a_home_visit_briefing_shows_the_exploitation_flag_and_its_plan(qtbot, app):
    visit_id = _visit(app, "Flat 3, 9 Mill Lane", "Team office 0113 496 0001")
    dialog = _briefing(qtbot, app, visit_id)
    shown = dialog.content.toPlainText()
    assert "Risks for this visit (at home)" in shown
    assert (
        "Risk from others / exploitation" in shown and "Meet at the flat only when the cousin is out" in shown
    )
    assert "Ask for the dogs" in shown and "Crisis team number" not in shown
    assert dialog.no_one is None  # someone to call: nothing more to choose
    dialog.reject()


def test_a_community_visit_briefing_leaves_out_the_homes_own_risks(qtbot, app):
    visit_id = _visit(app, "Café on Briggate", "Team office 0113 496 0001")
    shown = _briefing(qtbot, app, visit_id).content.toPlainText()
    assert "(in the community)" in shown and "Risk from others / exploitation" in shown
    assert "Ask for the dogs" not in shown
    app.visits.briefing.reject()


def test_check_in_with_no_one_to_call_needs_the_duty_line_or_a_recorded_reason(qtbot, app):
    visit_id = _visit(app, "Flat 3, 9 Mill Lane", None)
    dialog = _briefing(qtbot, app, visit_id)
    assert dialog.no_one is not None and dialog.no_one.isVisible()
    dialog.read.setChecked(True)
    assert not dialog.start.isEnabled()
    dialog.accept()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "short")
    assert dialog.without.isChecked() and not dialog.start.isEnabled()
    qtbot.keyClicks(dialog.reason, ": no signal at the flat, office closed")
    assert dialog.start.isEnabled()
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert app.runner.call(lambda s: visits.get(s.db, visit_id))["status"] == "in_progress"
    reason = app.runner.call(lambda s: visits.no_call_reason(s.db, visit_id))
    assert reason == "short: no signal at the flat, office closed"


def test_choosing_the_duty_line_makes_it_who_to_call(qtbot, app):
    visit_id = _visit(app, "Flat 3, 9 Mill Lane", None)
    dialog = _briefing(qtbot, app, visit_id)
    dialog.read.setChecked(True)
    dialog.duty.setChecked(True)
    assert dialog.start.isEnabled()
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    visit = app.runner.call(lambda s: visits.get(s.db, visit_id))
    assert visit["status"] == "in_progress" and visit["call_contact"] == visits.DUTY_LINE
    assert app.runner.call(lambda s: visits.no_call_reason(s.db, visit_id)) is None
