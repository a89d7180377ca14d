"""Referrals and signposts on the client screen: the Referrals tab and the agencies on the overview,
a referral made (from the tab or after a contact) and moved on, and one pulled by sync."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from navigator_core import timeutil
from navigator_core.kinds import REFERRAL_STATUS_DATES
from navigator_desktop.store import agencies, referrals
from navigator_desktop.store.changes import Action, Change, WriteResult
from navigator_desktop.ui import text
from navigator_desktop.ui.forms.partners import CHOOSE_AGENCY
from tests.desktop.ui.conftest import unlock
from tests.desktop.ui.helpers import field, open_form, save, type_into, wait_idle


def _client_with_referrals(qtbot, app) -> str:
    """Open the caseload's client with the most referrals; their id."""
    model = app.caseload_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    ids = [model.row(i).client_id for i in range(model.rowCount())]
    counts = app.runner.call(lambda s: {cid: len(referrals.for_client(s.db, cid)) for cid in ids})
    client_id = max(ids, key=lambda cid: counts[cid])
    assert counts[client_id] >= 2
    return _open_client(qtbot, app, client_id)


def _open_client(qtbot, app, client_id: str) -> str:
    app.open_client(client_id)
    view = app.client_view
    qtbot.waitUntil(lambda: view.record is not None and view.referrals.client_id == client_id, timeout=20_000)
    wait_idle(qtbot, app)
    return client_id


def _rows(app) -> list[dict]:
    model = app.client_view.referrals.model
    return [model.record(i) for i in range(model.rowCount())]


def _cells(app, row: int) -> list[str]:
    model = app.client_view.referrals.model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _referrals_tab(app) -> None:
    view = app.client_view
    view.tabs.setCurrentWidget(view.referrals)


def test_the_referrals_tab_lists_the_clients_referrals_and_the_overview_their_agencies(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    view = app.client_view
    stored = app.runner.call(lambda s: referrals.for_client(s.db, client_id))
    assert [r["id"] for r in _rows(app)] == [r["id"] for r in stored]
    assert view.tabs.tabText(view.tabs.indexOf(view.referrals)) == f"Referrals ({len(stored)})"
    first = stored[0]
    agency, pathway, what_for, made, by, status, _outcome = _cells(app, 0)
    assert (agency, pathway, made) == (
        first["agency_name"],
        text.label(first["pathway"]),
        text.day(first["made_on"]),
    )
    assert what_for == text.first_line(first["what_for"], 60)
    assert by == app.signed_in.names[first["made_by"]]
    assert status.startswith(text.label(first["status"]) + ", ")  # with the date it got there

    involved = app.runner.call(lambda s: referrals.agencies_of_client(s.db, client_id))
    overview = view.overview.toPlainText()
    assert involved and all(a["name"] in overview for a in involved)
    others = app.runner.call(lambda s: agencies.for_team(s.db, app.signed_in.who.team_id))
    strangers = [a["name"] for a in others if a["id"] not in {b["id"] for b in involved}]
    assert strangers and not any(name in overview for name in strangers)


def test_a_referral_is_made_from_the_tab_and_its_status_updated(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    view = app.client_view
    _referrals_tab(app)
    before = len(_rows(app))
    qtbot.mouseClick(view.referrals.refer, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "referral")
    assert form.fixed["client_id"] == client_id
    agency_box = field(form, "agency_id")
    assert agency_box.currentText() == CHOOSE_AGENCY
    type_into(qtbot, field(form, "what_for"), "A place on the tenancy course")
    save(qtbot, app, form)
    assert form.editors["agency_id"].error.text() == "⚠ Agency is required."
    chosen = agency_box.findText("(Housing)", Qt.MatchFlag.MatchContains)
    agency_box.setCurrentIndex(chosen)
    assert form.editors["agency_id"].error.isHidden()  # the error goes as the field is put right
    agency_name = agency_box.currentText().rsplit(" (", 1)[0]
    form.set_values({"pathway": "housing", "status": "referral_made"})
    save(qtbot, app, form)

    qtbot.waitUntil(lambda: len(_rows(app)) == before + 1)
    assert app.window.status.text() == "Referral recorded."
    made = next(r for r in _rows(app) if r["what_for"] == "A place on the tenancy course")
    row = _rows(app).index(made)
    assert _cells(app, row)[0] == agency_name
    assert _cells(app, row)[5] == f"Referral made, {text.day(text.today())}"
    assert made["made_by"] == app.signed_in.who.user_id and made["referred_on"] == text.today()
    assert agency_name in view.overview.toPlainText()

    # Moved on: accepted, then the outcome (which needs saying).
    view.referrals.table.selectRow(row)
    qtbot.mouseClick(view.referrals.update_status, Qt.MouseButton.LeftButton)
    status_form = open_form(qtbot, app, "referral_status")
    status_form.set_values({"status": "outcome_recorded"})
    save(qtbot, app, status_form)
    assert status_form.editors["outcome"].error.text() == "⚠ Say what the outcome was."
    type_into(qtbot, field(status_form, "outcome"), "Starts the course on Monday.")
    assert status_form.editors["outcome"].error.isHidden()
    save(qtbot, app, status_form)
    qtbot.waitUntil(lambda: any(r.get("outcome") == "Starts the course on Monday." for r in _rows(app)))
    now = next(r for r in _rows(app) if r["id"] == made["id"])
    assert now["status"] == "outcome_recorded" and now["outcome_on"] == text.today()
    assert _cells(app, _rows(app).index(now))[5:] == [
        f"Outcome recorded, {text.day(text.today())}",
        "Starts the course on Monday.",
    ]
    assert view.referrals.selected()["id"] == made["id"]  # the list kept its place
    assert "Outcome recorded" in view.referrals.detail.toPlainText()


def test_the_status_date_is_the_day_it_was_reached_or_today_for_a_new_step(qtbot, app) -> None:
    _client_with_referrals(qtbot, app)
    view = app.client_view
    _referrals_tab(app)
    dated = next(
        i for i, r in enumerate(_rows(app)) if r["status"] in ("accepted", "referral_made", "declined")
    )
    view.referrals.table.selectRow(dated)
    referral = view.referrals.selected()
    reached = referral[REFERRAL_STATUS_DATES[referral["status"]]]
    assert reached != text.today()
    view.referrals.update_status.click()
    form = open_form(qtbot, app, "referral_status")
    assert form.editors["status_on"].value() == reached
    form.set_values({"status": "attended"})
    assert form.editors["status_on"].value() == text.today()
    form.set_values({"status": referral["status"]})
    assert form.editors["status_on"].value() == reached
    # Only an outcome added: the status keeps the day it was reached.
    type_into(qtbot, field(form, "outcome"), "Waiting for a start date.")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: view.referrals.selected().get("outcome") == "Waiting for a start date.")
    stored = app.runner.call(lambda s: referrals.get(s.db, referral["id"]))
    assert stored["status"] == referral["status"]
    assert stored[REFERRAL_STATUS_DATES[referral["status"]]] == reached


def test_a_status_cannot_be_dated_before_the_referral_was_made(qtbot, app) -> None:
    _client_with_referrals(qtbot, app)
    view = app.client_view
    _referrals_tab(app)
    view.referrals.table.selectRow(0)
    referral = view.referrals.selected()
    view.referrals.update_status.click()
    form = open_form(qtbot, app, "referral_status")
    day_before = timeutil.parse_date(referral["made_on"]).toordinal() - 1
    form.set_values({"status": "accepted", "status_on": date.fromordinal(day_before).isoformat()})
    save(qtbot, app, form)
    assert "cannot be before the referral was made" in form.editors["status_on"].error.text()
    form.set_values({"status_on": text.today()})
    assert form.editors["status_on"].error.isHidden()
    form.reject()


def test_refer_after_a_contact_opens_the_form_for_that_client_on_the_contacts_day(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    view = app.client_view
    view.tabs.setCurrentIndex(1)
    contact = next(r for r in view.record.timeline if r.get("pathways"))
    view.contact_table.selectRow(view.record.timeline.index(contact))
    assert view.refer_contact.isVisibleTo(app.window) and view.refer_contact.isEnabled()
    qtbot.mouseClick(view.refer_contact, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "referral")
    assert form.fixed["client_id"] == client_id and form.context["client_name"] == text.known_as(
        view.record.client
    )
    assert form.editors["made_on"].value() == (
        timeutil.local(timeutil.parse(contact["occurred_at"])).date().isoformat()
    )
    assert form.editors["pathway"].value() == contact["pathways"][0]
    intro = form.findChild(QLabel, "formIntro").text()
    assert intro.startswith(f"After the contact of {text.moment(contact['occurred_at'])}.")
    form.reject()


def test_a_referral_being_written_survives_the_lock_as_a_draft(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    _referrals_tab(app)
    app.client_view.referrals.refer.click()
    form = open_form(qtbot, app, "referral")
    box = field(form, "agency_id")
    box.setCurrentIndex(2)
    chosen = box.currentData()
    type_into(qtbot, field(form, "what_for"), "Help with the move-on panel")
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    wait_idle(qtbot, app)
    assert app.forms.open_forms == {}
    unlock(qtbot, app)
    again = open_form(qtbot, app, "referral")
    assert again.fixed["client_id"] == client_id
    assert again.editors["agency_id"].value() == chosen
    assert field(again, "what_for").toPlainText() == "Help with the move-on panel"
    again.reject()


def test_a_referral_pulled_by_sync_refreshes_the_tab(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    before = len(_rows(app))
    team = app.signed_in.who.team_id
    agency = app.runner.call(lambda s: agencies.for_team(s.db, team))[0]
    values = {"team_id": team, "client_id": client_id, "agency_id": agency["id"], "pathway": "education",
              "what_for": "Maths at entry level, by a colleague", "status": "accepted"}  # fmt: skip
    # Written as a pull writes it (nothing published by the write), then announced on the bus as
    # the sync flow announces what a pull changed.
    made = app.runner.call(lambda s: referrals.make(s.db, s.actor, values))
    assert len(_rows(app)) == before
    app.bus.publish(WriteResult("", [Change("referral", made.record_id, client_id, Action.LOADED)]))
    qtbot.waitUntil(lambda: len(_rows(app)) == before + 1)
    assert made.record_id in [r["id"] for r in _rows(app)]
    assert agency["name"] in app.client_view.overview.toPlainText()


def test_an_agency_renamed_changes_the_open_clients_tab(qtbot, app) -> None:
    client_id = _client_with_referrals(qtbot, app)
    first = _rows(app)[0]
    result = app.runner.call(
        lambda s: agencies.update(s.db, s.actor, first["agency_id"], {"name": "Renamed Partnership"})
    )
    app.bus.publish(result)
    qtbot.waitUntil(lambda: _rows(app)[0]["agency_name"] == "Renamed Partnership")
    assert "Renamed Partnership" in app.client_view.overview.toPlainText()
    assert app.client_view.referrals.client_id == client_id


def test_the_agencies_serving_the_pathway_chosen_come_first_and_the_choice_stays(qtbot, app) -> None:
    _client_with_referrals(qtbot, app)
    _referrals_tab(app)
    app.client_view.referrals.refer.click()
    form = open_form(qtbot, app, "referral")
    box = field(form, "agency_id")
    team = app.signed_in.who.team_id
    directory = app.runner.call(lambda s: agencies.for_team(s.db, team))
    serving = [a["id"] for a in directory if "education" in a["pathways"]]
    assert 0 < len(serving) < len(directory)
    other = next(a for a in directory if "education" not in a["pathways"])
    box.setCurrentIndex(box.findData(other["id"]))
    form.set_values({"pathway": "education"})
    listed = [box.itemData(i) for i in range(1, box.count())]
    assert listed[: len(serving)] == serving and sorted(listed) == sorted(a["id"] for a in directory)
    assert all(box.itemText(i).endswith(" ✓") for i in range(1, len(serving) + 1))
    assert not box.itemText(len(serving) + 1).endswith(" ✓")
    assert box.currentData() == other["id"]  # the agency chosen stays chosen
    form.reject()
