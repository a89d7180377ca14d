"""Safeguarding concerns through real widgets: the form (a referral needs its reference, errors
go as the field is put right), the client's Safeguarding tab, the contact's tick opening the form,
and the open concerns in a team manager's Today (and not in a navigator's)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from navigator_desktop.session import Session
from navigator_desktop.store import safeguarding
from tests.desktop.ui.as_role import start_as
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into, wait_idle


def _tab(view) -> int:
    return view.tabs.indexOf(view.safeguarding)


def _raise(qtbot, app):
    view = app.client_view
    view.tabs.setCurrentIndex(_tab(view))
    view.safeguarding.raise_concern.click()
    return open_form(qtbot, app, "safeguarding")


def test_a_referral_needs_its_reference_and_each_error_goes_as_its_field_is_put_right(qtbot, app):
    client_id = open_first_client(qtbot, app)
    form = _raise(qtbot, app)
    assert form.fixed["client_id"] == client_id
    save(qtbot, app, form)
    assert "required" in form.editors["observed"].error.text()
    assert "required" in form.editors["action_taken"].error.text()
    assert form.editors["local_authority_reference"].error.isHidden()

    type_into(qtbot, field(form, "observed"), "Said her son takes her bank card and most of her money.")
    assert form.editors["observed"].error.isHidden(), "the error went as the field was filled"
    assert not form.editors["action_taken"].error.isHidden()
    type_into(qtbot, field(form, "action_taken"), "Talked it through; agreed to refer with her consent.")
    category = field(form, "category")
    category.setCurrentIndex(category.findData("financial"))
    field(form, "referred_to_local_authority").setChecked(True)
    save(qtbot, app, form)
    reference = form.editors["local_authority_reference"]
    assert "reference" in reference.error.text(), "referred without a reference is refused at the field"
    assert app.runner.call(lambda s: safeguarding.for_client(s.db, client_id)) == []

    type_into(qtbot, field(form, "local_authority_reference"), "ASC-2026-004211")
    assert reference.error.isHidden(), "the reference's error went as it was typed"
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "safeguarding" not in [f.name for f in app.forms.open_forms.values()])
    wait_idle(qtbot, app)
    pane = app.client_view.safeguarding
    qtbot.waitUntil(lambda: pane.concerns.rowCount() == 1)
    assert pane.concerns.index(0, 1).data() == "Referred to the local authority (ASC-2026-004211)"
    assert pane.concerns.index(0, 2).data() == "Financial or material abuse"
    assert "bank card" in pane.detail.toPlainText()
    assert app.window.status.text() == "Safeguarding concern saved."


def test_the_clients_tab_lists_each_concern_and_says_which_are_open(qtbot, app):
    client_id = open_first_client(qtbot, app)
    view = app.client_view
    held = len(app.runner.call(lambda s: safeguarding.for_client(s.db, client_id)))
    form = _raise(qtbot, app)
    type_into(qtbot, field(form, "observed"), "Bruising on both forearms; said she fell.")
    type_into(qtbot, field(form, "action_taken"), "Asked about it privately; discussed with the manager.")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: view.safeguarding.concerns.rowCount() == held + 1)
    newest = view.safeguarding.concerns
    assert newest.index(0, 1).data() == "● Open: not referred"
    assert newest.index(0, 2).data() == "Physical abuse"
    assert "open)" in view.tabs.tabText(_tab(view))

    # A referral made later is added by correcting the concern: it is then no longer open.
    view.safeguarding.view.selectRow(0)
    view.safeguarding.amend.click()
    amend = open_form(qtbot, app, "safeguarding")
    assert "Correct" in amend.windowTitle()
    assert "Bruising" in field(amend, "observed").toPlainText()
    field(amend, "referred_to_local_authority").setChecked(True)
    type_into(qtbot, field(amend, "local_authority_reference"), "ASC-2026-009001")
    save(qtbot, app, amend)
    assert "required" in amend.editors["amend_reason"].error.text()
    type_into(qtbot, field(amend, "amend_reason"), "Referred the next morning.")
    save(qtbot, app, amend)
    qtbot.waitUntil(lambda: "ASC-2026-009001" in (newest.index(0, 1).data() or ""))
    assert newest.rowCount() == held + 1, "the correction replaces the concern in the list"
    history = app.runner.call(lambda s: safeguarding.history(s.db, client_id))
    assert [c["state"] for c in history if "Bruising" in c["observed"]] == ["superseded", "current"]


def test_a_contact_saved_with_the_safeguarding_tick_opens_the_concern_form_for_the_client(qtbot, app):
    client_id = open_first_client(qtbot, app)
    name = app.client_view.record.client["given_name"]
    app.client_actions.new_contact()
    contact = open_form(qtbot, app, "contact")
    type_into(qtbot, field(contact, "narrative"), "Disclosed that her partner hits her when he drinks.")
    field(contact, "safeguarding_raised").setChecked(True)
    save(qtbot, app, contact)
    form = open_form(qtbot, app, "safeguarding")
    assert form.fixed == {"client_id": client_id}
    assert name in form.windowTitle()
    assert "You ticked" in form.findChild(type(form.message), "formIntro").text()
    assert not field(form, "observed").toPlainText(), "nothing is written for the worker"


def test_a_contact_without_the_tick_opens_no_concern_form(qtbot, app):
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    contact = open_form(qtbot, app, "contact")
    type_into(qtbot, field(contact, "narrative"), "Went through the benefits letter together.")
    save(qtbot, app, contact)
    qtbot.waitUntil(lambda: not app.forms.open_forms)
    wait_idle(qtbot, app)
    assert "safeguarding" not in [f.name for f in app.forms.open_forms.values()]


def test_a_navigators_today_shows_no_team_concerns(qtbot, app):
    client_id = open_first_client(qtbot, app)
    values = {"client_id": client_id, "category": "neglect", "observed": "No food in the flat.",
              "action_taken": "Food bank voucher; will check on Friday."}  # fmt: skip
    result = app.runner.call(lambda s: safeguarding.raise_concern(s.db, s.actor, values))
    app.bus.publish(result)
    app.today.refresh()
    wait_idle(qtbot, app)
    assert app.today_view.sections["concerns"].isHidden()
    assert app.today_view.concerns.rowCount() == 0


def _concern_by_the_navigator(session: Session) -> str:
    """An open concern written by the demo's navigator about their first client."""
    client_id = session.db.one(
        "SELECT id FROM clients WHERE key_worker_id = ? LIMIT 1", (session.actor.user_id,)
    )["id"]
    values = {"client_id": client_id, "category": "self_neglect", "observed": "Not eating; flat very cold.",
              "action_taken": "Called the GP; heating engineer booked."}  # fmt: skip
    safeguarding.raise_concern(session.db, session.actor, values)
    return client_id


def test_a_team_managers_today_lists_the_teams_open_concerns_and_opens_the_client(
    qtbot, tmp_path, demo_template
):
    app, client_id = start_as(qtbot, tmp_path, demo_template, "manager", _concern_by_the_navigator)
    try:
        view = app.today_view
        qtbot.waitUntil(lambda: view.concerns.rowCount() > 0)
        assert not view.sections["concerns"].isHidden()
        rows = [view.concerns.record(i) for i in range(view.concerns.rowCount())]
        assert all(r["open"] for r in rows), "referred concerns are not listed"
        mine = next(i for i, r in enumerate(rows) if r["client_id"] == client_id)
        assert view.concerns.index(mine, 2).data() == "Self-neglect"
        assert "Open safeguarding concerns" in view.counts["concerns"].text()

        # A concern written now (here, or pulled by sync: the same bus) joins the list at once.
        before = view.concerns.rowCount()
        values = {"client_id": client_id, "category": "domestic_abuse", "observed": "Shouting next door.",
                  "action_taken": "Spoke to her alone."}  # fmt: skip
        app.bus.publish(app.runner.call(lambda s: safeguarding.raise_concern(s.db, s.actor, values)))
        qtbot.waitUntil(lambda: view.concerns.rowCount() == before + 1)

        rows = [view.concerns.record(i) for i in range(view.concerns.rowCount())]
        mine = next(i for i, r in enumerate(rows) if r["client_id"] == client_id)
        table = next(t for t in view.findChildren(QTableView) if t.model() is view.concerns)
        table.setFocus()
        table.selectRow(mine)
        qtbot.keyClick(table, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: app.client_view.record is not None and app.client_view.record.client["id"] == client_id
        )
    finally:
        app.shutdown()
