"""A navigator's day through real widgets: clients, contacts, corrections, risk flags and handover notes."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from navigator_core import timeutil
from navigator_desktop.store import audit, contacts, handover
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into, wait_idle


def test_today_shows_the_days_visits_reviews_and_unread_notes(app):
    view = app.today_view
    assert "Today —" in view.heading.text()
    shown = sum(m.rowCount() for m in (view.visits, view.reviews, view.risk_reviews, view.handover))
    assert shown > 0, "the demo caseload has something to do today"
    assert all("_" not in view.counts[k].text() for k in view.counts)


def test_adding_a_client_shows_each_problem_at_its_field_then_saves(qtbot, app):
    app.window.new_client_action.trigger()
    form = open_form(qtbot, app, "client")
    type_into(qtbot, field(form, "nhs_number"), "1234567890")
    save(qtbot, app, form)
    assert form.editors["given_name"].error.isVisibleTo(form)
    assert "required" in form.editors["given_name"].error.text()
    assert "required" in form.editors["date_of_birth"].error.text()
    assert form.editors["nhs_number"].error.text(), "a wrong check digit is explained at the field"
    assert not form.editors["status"].error.text()

    type_into(qtbot, field(form, "given_name"), "Ada")
    type_into(qtbot, field(form, "family_name"), "Zedwright")
    field(form, "nhs_number").clear()
    type_into(qtbot, field(form, "nhs_number"), "9990000018")
    type_into(qtbot, field(form, "date_of_birth"), "5/12/1986")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "client" not in [f.name for f in app.forms.open_forms.values()])
    wait_idle(qtbot, app)
    names = [app.caseload_model.row(i).name for i in range(app.caseload_model.rowCount())]
    assert "Zedwright, Ada" in names, "the new client (key-worked by me) joins my caseload"
    assert app.window.status.text() == "Client details saved."


def test_a_contact_is_added_with_defaults_then_corrected_then_marked_entered_in_error(qtbot, app):
    client_id = open_first_client(qtbot, app)
    view = app.client_view
    before = app.caseload_model.rowCount()
    views = app.runner.call(lambda s: [a for a in audit.for_client(s.db, client_id) if a["action"] == "view"])
    assert views, "opening the record wrote an audit view event"
    count = view.contacts.rowCount()

    app.window.new_contact_action.trigger()  # Ctrl+N
    form = open_form(qtbot, app, "contact")
    assert field(form, "contact_type").currentData() == "home_visit"
    assert field(form, "duration_minutes").value() == 60
    assert not form.late.isVisibleTo(form)
    type_into(qtbot, field(form, "narrative"), "Talked through the tenancy letter; calmer than last week.")
    form.editors["pathways"].tags["housing"].setChecked(True)
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: view.contacts.rowCount() == count + 1)
    newest = view.contacts.record(0)
    assert newest["narrative"].startswith("Talked through") and newest["pathways"] == ["housing"]
    assert app.caseload_model.rowCount() == before

    view.tabs.setCurrentIndex(1)
    view.contact_table.selectRow(0)
    view.amend.click()
    amend = open_form(qtbot, app, "contact")
    assert "Correct" in amend.windowTitle()
    narrative = field(amend, "narrative")
    narrative.selectAll()
    qtbot.keyClicks(narrative, "Talked through the tenancy letter with his sister present.")
    save(qtbot, app, amend)
    assert "required" in amend.editors["amend_reason"].error.text()
    type_into(qtbot, field(amend, "amend_reason"), "Sister was there; I left her out.")
    save(qtbot, app, amend)
    qtbot.waitUntil(lambda: "sister present" in view.contacts.record(0)["narrative"])
    assert view.contacts.rowCount() == count + 1, "the correction replaces the original in the timeline"
    assert any(v["state"] == "superseded" for v in view.versions._rows)
    assert "Corrected" in view.contacts.index(0, 4).data()

    view.contact_table.selectRow(0)
    view.in_error.click()
    mark = open_form(qtbot, app, "contact_in_error")
    type_into(qtbot, field(mark, "reason"), "Wrong client.")
    save(qtbot, app, mark)
    qtbot.waitUntil(lambda: view.contacts.rowCount() == count)
    assert any(v["state"] == "entered_in_error" for v in view.versions._rows)


def test_a_contact_written_two_days_later_is_marked_as_a_late_entry(qtbot, app):
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    two_days_ago = timeutil.to_text(timeutil.utcnow() - timedelta(days=2))
    form.editors["occurred_at"].set_value(two_days_ago)
    assert form.late.isVisibleTo(form) and "Late entry" in form.late.text()
    type_into(qtbot, field(form, "narrative"), "Phone call on Saturday, written up on Monday.")
    save(qtbot, app, form)
    qtbot.waitUntil(
        lambda: any(
            c["narrative"].startswith("Phone call on Saturday") for c in app.client_view.contacts._rows
        )
    )
    row = next(
        i for i, c in enumerate(app.client_view.contacts._rows) if c["narrative"].startswith("Phone call")
    )
    assert "Late entry" in app.client_view.contacts.index(row, 4).data()


def test_a_risk_flag_is_raised_shown_in_the_banner_reviewed_and_resolved(qtbot, app):
    open_first_client(qtbot, app)
    view = app.client_view
    view.tabs.setCurrentIndex(2)
    view.raise_risk.click()
    form = open_form(qtbot, app, "risk")
    combo = field(form, "category")
    combo.setCurrentIndex(combo.findData("visit_two_workers"))
    field(form, "severity").setCurrentIndex(field(form, "severity").findData("high"))
    type_into(qtbot, field(form, "description"), "Threatened a worker with a dog at the door.")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "two workers only" in view.banner.label.text())
    assert "HIGH" in view.banner.label.text(), "the level is said in words, not only in colour"
    row = next(i for i, r in enumerate(view.risks._rows) if r["category"] == "visit_two_workers")
    assert view.risks.index(row, 2).data() == "Visit: two workers only"
    caseload_row = next(
        app.caseload_model.row(i)
        for i in range(app.caseload_model.rowCount())
        if app.caseload_model.row(i).client_id == view.record.client["id"]
    )
    assert "visit_two_workers" in caseload_row.risk_categories, "the caseload row refreshed on the change"

    view.risk_table.selectRow(row)
    view.review.click()
    review = open_form(qtbot, app, "risk_review")
    type_into(qtbot, field(review, "note"), "Dog now kept in the garden; keep two workers for now.")
    fortnight = timeutil.local(timeutil.utcnow() + timedelta(days=14)).date()
    field(review, "review_date").clear()
    type_into(qtbot, field(review, "review_date"), f"{fortnight.day}/{fortnight.month}/{fortnight.year}")
    save(qtbot, app, review)
    qtbot.waitUntil(lambda: "Dog now kept" in view.risk_detail.toPlainText(), timeout=10_000)

    row = next(i for i, r in enumerate(view.risks._rows) if r["category"] == "visit_two_workers")
    view.risk_table.selectRow(row)
    view.resolve.click()
    resolve = open_form(qtbot, app, "risk_resolve")
    type_into(qtbot, field(resolve, "reason"), "Moved to a flat without the dog.")
    save(qtbot, app, resolve)
    qtbot.waitUntil(lambda: "two workers only" not in view.banner.label.text())


def test_a_handover_note_is_written_then_acknowledged(qtbot, app):
    open_first_client(qtbot, app)
    view = app.client_view
    app.window.note_action.trigger()
    form = open_form(qtbot, app, "handover")
    type_into(qtbot, field(form, "text"), "May ring on-call tonight about the hostel move.")
    field(form, "priority").setCurrentIndex(field(form, "priority").findData("urgent"))
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: any(n["text"].startswith("May ring") for n in view.notes._rows))
    # The author has not acknowledged their own note yet: mark it as read.
    view.tabs.setCurrentIndex(4)
    row = next(i for i, n in enumerate(view.notes._rows) if n["text"].startswith("May ring"))
    view.note_table.selectRow(row)
    assert view.acknowledge.isEnabled()
    view.acknowledge.click()
    wait_idle(qtbot, app)
    qtbot.waitUntil(lambda: next(n for n in view.notes._rows if n["text"].startswith("May ring"))["read"])
    note_id = next(n for n in view.notes._rows if n["text"].startswith("May ring"))["id"]
    user = app.signed_in.who.user_id
    assert app.runner.call(lambda s: handover.is_acknowledged(s.db, note_id, user))


def test_search_filters_names_as_you_type_and_finds_words_in_notes(qtbot, app):
    app.window.find_action.trigger()
    view = app.caseload_view
    assert app.window.current_screen() == "caseload"
    first = app.caseload_model.row(0)
    qtbot.keyClicks(view.search, first.family_name[:4])
    assert 1 <= view.proxy.rowCount() <= app.caseload_model.rowCount()
    assert all(
        first.family_name[:4].lower() in view.proxy.index(r, 0).data().lower()
        for r in view.proxy.rowCount() * [0]
    )
    view.search.clear()
    word = app.runner.call(lambda s: contacts.timeline(s.db, first.client_id, limit=1))[0][
        "narrative"
    ].split()[3]
    qtbot.keyClicks(view.search, word)
    qtbot.waitUntil(lambda: view.hits.rowCount() > 0, timeout=10_000)
    assert view.hit_pane.isVisibleTo(view)
    assert any(view.hits.record(i)["kind"] != "client" for i in range(view.hits.rowCount()))
    view.hit_table.setFocus()
    view.hit_table.selectRow(0)
    qtbot.keyClick(view.hit_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.current_screen() == "client")
