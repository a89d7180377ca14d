"""The support plan tab through real widgets: a goal with steps, a tick, a review, an outcome
(corrected and marked entered in error), and the exports from the client screen."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import timedelta

import orjson
from pypdf import PdfReader
from PySide6.QtCore import Qt

from navigator_core import timeutil
from navigator_desktop.store import audit, plans
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into, wait_idle


def pdf_text(path) -> str:
    """The PDF's words, with ligatures ("ﬂ") and tabs undone."""
    raw = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


GOAL = "I want my own flat near my sister by the summer"


def _goal_row(view, words: str) -> int:
    model = view.plan.goals
    return next(i for i in range(model.rowCount()) if model.record(i)["goal"] == words)


def _add_goal(qtbot, app, client_id: str) -> dict:
    view = app.client_view
    view.tabs.setCurrentWidget(view.plan)
    view.plan.add_goal.click()
    form = open_form(qtbot, app, "goal")
    assert field(form, "co_produced").isChecked(), "goals are written with the client by default"
    type_into(qtbot, field(form, "goal"), GOAL)
    type_into(qtbot, field(form, "steps_text"), "Register with the council")
    qtbot.keyClick(field(form, "steps_text"), Qt.Key.Key_Return)
    qtbot.keyClicks(field(form, "steps_text"), "View two flats")
    field(form, "pathway").setCurrentIndex(field(form, "pathway").findData("housing"))
    save(qtbot, app, form)
    qtbot.waitUntil(
        lambda: any(view.plan.goals.record(i)["goal"] == GOAL for i in range(view.plan.goals.rowCount()))
    )
    wait_idle(qtbot, app)
    view.plan.goal_table.selectRow(_goal_row(view, GOAL))
    return view.plan.selected_goal()


def test_a_goal_with_steps_is_added_ticked_reviewed_and_an_outcome_recorded(qtbot, app):
    client_id = open_first_client(qtbot, app)
    view = app.client_view
    goal = _add_goal(qtbot, app, client_id)
    assert goal["pathway"] == "housing" and goal["co_produced"] is True
    assert [s["step"] for s in goal["steps"]] == ["Register with the council", "View two flats"]
    steps = view.plan.steps
    assert steps.count() == 2 and steps.item(0).checkState() == Qt.CheckState.Unchecked

    # Tick the first step off, as a person clicks its box.
    steps.item(0).setCheckState(Qt.CheckState.Checked)
    wait_idle(qtbot, app)
    qtbot.waitUntil(lambda: (view.plan.selected_goal() or {}).get("steps", [{}])[0].get("done") is True)
    stored = app.runner.call(
        lambda s: next(g for g in plans.goals_for_client(s.db, client_id) if g["goal"] == GOAL)
    )
    assert (
        stored["steps"][0]["done"]
        and stored["steps"][0]["done_on"] == timeutil.local(timeutil.utcnow()).date().isoformat()
    )
    assert not stored["steps"][1]["done"]
    assert view.plan.goals.record(_goal_row(view, GOAL)) and "1 of 2" in view.plan.goals.data(
        view.plan.goals.index(_goal_row(view, GOAL), 2)
    )

    # A new step from the line under the list.
    type_into(qtbot, view.plan.new_step, "Ask about the deposit scheme")
    qtbot.keyClick(view.plan.new_step, Qt.Key.Key_Return)
    wait_idle(qtbot, app)
    qtbot.waitUntil(lambda: view.plan.steps.count() == 3)

    # Mark reviewed: the next review date moves on and the review is kept with its note.
    view.plan.review.click()
    review = open_form(qtbot, app, "goal_review")
    type_into(qtbot, field(review, "note"), "Going well; council registration done.")
    next_review = (timeutil.utcnow().date() + timedelta(days=60)).isoformat()
    review.editors["review_date"].set_value(next_review)
    review.editors["status"].set_value("in_progress")
    save(qtbot, app, review)
    qtbot.waitUntil(lambda: (view.plan.selected_goal() or {}).get("review_date") == next_review)
    assert view.plan.selected_goal()["status"] == "in_progress"
    qtbot.waitUntil(lambda: "Going well" in view.plan.goal_detail.toPlainText())
    events = app.runner.call(lambda s: audit.for_client(s.db, client_id))
    assert any((e.get("reason") or "").startswith("Plan review: Going well") for e in events)

    # An outcome, linked to the goal.
    before = view.plan.outcomes.rowCount()
    view.plan.record_outcome.click()
    outcome = open_form(qtbot, app, "outcome")
    goal_box = field(outcome, "goal_id")
    goal_box.setCurrentIndex(goal_box.findData(goal["id"]))
    type_into(qtbot, field(outcome, "notes"), "Tenancy signed at Elm Court.")
    save(qtbot, app, outcome)
    qtbot.waitUntil(lambda: view.plan.outcomes.rowCount() == before + 1)
    recorded = next(
        view.plan.outcomes.record(i) for i in range(view.plan.outcomes.rowCount())
        if view.plan.outcomes.record(i).get("notes") == "Tenancy signed at Elm Court."
    )  # fmt: skip
    assert recorded["goal_id"] == goal["id"] and recorded["outcome"] == "housing_secured"

    # Correcting it needs a reason; the correction replaces it, the original stays in history.
    row = [view.plan.outcomes.record(i)["id"] for i in range(view.plan.outcomes.rowCount())].index(
        recorded["id"]
    )
    view.plan.outcome_table.selectRow(row)
    view.plan.amend_outcome.click()
    amend = open_form(qtbot, app, "outcome")
    field(amend, "notes").clear()
    type_into(qtbot, field(amend, "notes"), "Tenancy signed at Elm Court, flat 4.")
    save(qtbot, app, amend)
    assert "required" in amend.editors["amend_reason"].error.text()
    type_into(qtbot, field(amend, "amend_reason"), "Left out the flat number.")
    save(qtbot, app, amend)

    def corrected() -> bool:
        model = view.plan.outcomes
        return any((model.record(i).get("notes") or "").endswith("flat 4.") for i in range(model.rowCount()))

    qtbot.waitUntil(corrected)
    assert view.plan.outcomes.rowCount() == before + 1
    earlier = app.runner.call(lambda s: plans.outcome_history(s.db, client_id))
    assert [o["id"] for o in earlier] == [recorded["id"]]

    # Entered in error: hidden from the plan with a reason, kept in the history.
    current = [view.plan.outcomes.record(i)["id"] for i in range(view.plan.outcomes.rowCount())]
    corrected_id = next(i for i in current if view.plan.outcomes.record(current.index(i)).get("amends_id"))
    view.plan.outcome_table.selectRow(current.index(corrected_id))
    view.plan.outcome_in_error.click()
    mark = open_form(qtbot, app, "outcome_in_error")
    type_into(qtbot, field(mark, "reason"), "Recorded against the wrong client.")
    save(qtbot, app, mark)
    qtbot.waitUntil(lambda: view.plan.outcomes.rowCount() == before)
    hidden = app.runner.call(lambda s: plans.outcome_history(s.db, client_id))
    assert {o["id"] for o in hidden} == {recorded["id"], corrected_id}


def test_exports_from_the_client_screen_are_written_where_chosen_and_audited(qtbot, app, tmp_path):
    client_id = open_first_client(qtbot, app)
    _add_goal(qtbot, app, client_id)
    chosen = iter([str(tmp_path / "plan"), str(tmp_path / "sar.zip"), str(tmp_path / "team.pdf")])
    app.plan.ask_path = lambda caption, suggested, filters: next(chosen)
    view = app.client_view

    view.requested.emit("export_plan", None)
    qtbot.waitUntil(lambda: (tmp_path / "plan.pdf").exists(), timeout=20_000)
    wait_idle(qtbot, app)
    text = pdf_text(tmp_path / "plan.pdf")
    assert "Support plan" in text and "own flat near my sister" in text and "Housing" in text

    view.requested.emit("export_subject_access", None)
    qtbot.waitUntil(lambda: (tmp_path / "sar.zip").exists(), timeout=20_000)
    wait_idle(qtbot, app)
    with zipfile.ZipFile(tmp_path / "sar.zip") as archive:
        manifest = orjson.loads(archive.read("manifest.json"))
        goals = orjson.loads(archive.read("records/support_goal.json"))
    assert manifest["client_id"] == client_id and "THIS LAPTOP" in manifest["scope"]
    assert any(g["goal"] == GOAL for g in goals)
    assert "records about" in app.window.status.text()

    view.requested.emit("export_handover_team", None)
    qtbot.waitUntil(lambda: (tmp_path / "team.pdf").exists(), timeout=20_000)
    wait_idle(qtbot, app)
    events = app.runner.call(lambda s: audit.for_client(s.db, client_id))
    exported = [e["reason"] for e in events if e["action"] == "export"]
    assert any("support plan: plan.pdf" in r for r in exported)
    assert any("subject access archive: sar.zip" in r for r in exported)
    team_exports = app.runner.call(
        lambda s: s.db.query("SELECT reason FROM audit_events WHERE action = 'export' AND client_id IS NULL")
    )
    assert any("handover sheet: team.pdf" in r["reason"] for r in team_exports)
