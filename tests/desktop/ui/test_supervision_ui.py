"""Concerns for supervision through real widgets: a worker flags a contact with a line of why; the
supervisor's screen lists it, marks it discussed with a note; it leaves the open list and the
record keeps both the flag and the discussion."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import contacts, safeguarding, supervision, visits
from navigator_desktop.ui import text
from tests.desktop.ui.as_role import start_as
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into, wait_idle
from tests.e2e.harness import Laptop

REASON = "Unsure whether his brother taking his benefits meets the safeguarding threshold."


def test_a_worker_flags_a_contact_for_supervision_with_why(qtbot, app):
    client_id = open_first_client(qtbot, app)
    view = app.client_view
    view.tabs.setCurrentIndex(1)
    # A contact nobody has raised yet: the demo's own concerns fall on contacts that move with the
    # date (the demo is made relative to today), and this one must be the contact's only concern.
    ids = [view.contacts.record(i)["id"] for i in range(view.contacts.rowCount())]
    raised = app.runner.call(lambda s: {i for i in ids if supervision.on_record(s.db, i)})
    view.contact_table.selectRow(next(row for row, i in enumerate(ids) if i not in raised))
    contact = view.selected(view.contact_table)
    assert contact["id"] not in raised
    assert view.for_supervision.isEnabled()
    view.for_supervision.click()
    form = open_form(qtbot, app, "supervision")
    assert form.windowTitle() == "Raise in supervision"
    intro = form.findChild(QLabel, "formIntro").text()
    assert intro.startswith(f"About the contact of {text.moment(contact['occurred_at'])} with ")
    assert field(form, "supervisor_id").currentText() == "The team's managers"
    assert app.signed_in.who.user_id not in [
        field(form, "supervisor_id").itemData(i) for i in range(field(form, "supervisor_id").count())
    ], "nobody raises a concern to themselves"
    save(qtbot, app, form)
    assert "required" in form.editors["reason"].error.text()
    type_into(qtbot, field(form, "reason"), REASON)
    assert form.editors["reason"].error.isHidden()
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "supervision" not in [f.name for f in app.forms.open_forms.values()])
    wait_idle(qtbot, app)
    assert app.window.status.text() == "Raised for supervision."

    items = app.runner.call(lambda s: supervision.on_record(s.db, contact["id"]))
    assert len(items) == 1
    item = items[0]
    assert (item["target_kind"], item["client_id"], item["status"]) == ("contact", client_id, "open")
    assert item["supervisor_id"] is None and item["reason"] == REASON
    qtbot.waitUntil(lambda: "For supervision" in view.contact_detail.toPlainText())
    row = [view.contacts.record(i)["id"] for i in range(view.contacts.rowCount())].index(contact["id"])
    assert "⚑ For supervision" in view.contacts.index(row, 4).data(), "the timeline marks it"
    assert "Not discussed yet" in view.contact_detail.toPlainText()
    assert "the team's managers" in view.contact_detail.toPlainText()


def _flag_by_the_navigator(session: Session) -> dict[str, str]:
    """The demo's navigator flags an older contact of one of their clients, naming no supervisor."""
    client = session.db.one(
        "SELECT id, team_id FROM clients WHERE key_worker_id = ? ORDER BY id LIMIT 1",
        (session.actor.user_id,),
    )
    contact = contacts.timeline(session.db, client["id"])[2]  # not the newest: the link must find it
    item_id = supervision.raise_item(
        session.db, session.actor, team_id=client["team_id"], target_kind="contact", target_id=contact["id"],
        reason=REASON, client_id=client["id"],
    ).record_id  # fmt: skip
    return {"item": item_id, "contact": contact["id"], "client": client["id"]}


def test_the_supervisor_marks_it_discussed_and_the_record_keeps_both(qtbot, tmp_path, demo_template):
    app, made = start_as(qtbot, tmp_path, demo_template, "manager", _flag_by_the_navigator)
    try:
        view = app.supervision.view
        assert app.supervision.action.isEnabled()
        app.supervision.action.trigger()
        assert app.window.current_screen() == "supervision"
        qtbot.waitUntil(lambda: made["item"] in _ids(view.open_items))
        row = _ids(view.open_items).index(made["item"])
        assert view.open_items.index(row, 4).data() == REASON
        assert view.open_items.index(row, 3).data().startswith("Contact of ")
        assert made["item"] not in _ids(view.discussed)
        discussed_before = view.discussed.rowCount()

        view.open_table.selectRow(row)
        assert view.selected()["id"] == made["item"]
        assert REASON in view.detail.toPlainText()
        assert "The team's managers" in view.detail.toPlainText()
        view.discuss.click()
        form = open_form(qtbot, app, "supervision_discussed")
        save(qtbot, app, form)
        assert "required" in form.editors["discussion_note"].error.text()
        type_into(
            qtbot,
            field(form, "discussion_note"),
            "It meets the threshold: raise it with the local authority.",
        )
        save(qtbot, app, form)
        qtbot.waitUntil(lambda: made["item"] not in _ids(view.open_items))
        assert made["item"] in _ids(view.discussed)
        assert view.discussed.rowCount() == discussed_before + 1
        assert app.window.status.text() == "Marked as discussed in supervision."

        item = app.runner.call(lambda s: supervision.get(s.db, made["item"]))
        assert item["status"] == "discussed" and item["reason"] == REASON, "the flag's why is kept"
        assert item["discussed_by"] == app.signed_in.who.user_id
        assert "local authority" in item["discussion_note"]

        # The record's history shows both: raised, and discussed with the note.
        view.discussed_table.selectRow(_ids(view.discussed).index(made["item"]))
        view.open_client.click()
        client = app.client_view
        qtbot.waitUntil(lambda: client.record is not None and client.record.client["id"] == made["client"])
        wait_idle(qtbot, app)
        assert client.tabs.currentIndex() == 1, "the link opens the record at the contact"
        assert client.selected(client.contact_table)["id"] == made["contact"]
        shown = client.contact_detail.toPlainText()
        assert REASON in shown and "Discussed" in shown and "meets the threshold" in shown
        row = client.contact_table.selectionModel().selectedRows()[0].row()
        assert "✓ Discussed in supervision" in client.contacts.index(row, 4).data()
    finally:
        app.shutdown()


def test_a_navigator_sees_only_concerns_named_to_them(qtbot, app):
    app.supervision.action.trigger()
    wait_idle(qtbot, app)
    board = app.runner.call(lambda s: supervision.board(s.db, app.signed_in.who.user_id))
    assert not board.manager
    assert all(i["supervisor_id"] == app.signed_in.who.user_id for i in board.open + board.discussed)
    assert _ids(app.supervision.view.open_items) == [i["id"] for i in board.open]
    assert "Raised to you by name." in app.supervision.view.intro.text()


def _ids(model) -> list[str]:
    return [model.record(i)["id"] for i in range(model.rowCount())]


def test_concerns_pulled_by_sync_reach_the_open_client_and_the_supervision_screen(qtbot, tmp_path, enrolled):
    app, org, visit_id, url = enrolled
    client_id = app.runner.call(lambda s: visits.get(s.db, visit_id))["client_id"]
    app.open_client(client_id)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    app.supervision.refresh()
    wait_idle(qtbot, app)
    assert app.client_view.safeguarding.concerns.rowCount() == 0
    assert app.supervision.view.open_items.rowCount() == 0

    # The same navigator's other laptop records a concern, a contact, and raises the contact in
    # supervision naming her (as a named supervisor would be), then syncs.
    me = org.users["ann"]
    other = Laptop(tmp_path / "other", url)
    try:
        other.enrol(org, "ann")
        assert other.sync().rejected == 0
        concern = {"client_id": client_id, "category": "financial", "observed": "A cousin has his card.",
                   "action_taken": "Agreed to talk to the bank together."}  # fmt: skip
        safeguarding.raise_concern(other.db, other.actor, concern)
        contact_id = contacts.add(
            other.db, other.actor, {"client_id": client_id, "occurred_at": timeutil.now_text(),
                                    "contact_type": "phone", "narrative": "Rang about the bank card."},
        ).record_id  # fmt: skip
        item_id = supervision.raise_item(
            other.db, other.actor, team_id=org.team_id, target_kind="contact", target_id=contact_id,
            reason=REASON, client_id=client_id, supervisor_id=me,
        ).record_id  # fmt: skip
        assert other.sync().rejected == 0
    finally:
        other.close()

    qtbot.waitUntil(lambda: not app.sync.worker.syncing, timeout=20_000)
    app.sync.worker.sync_now()  # nobody presses anything on this laptop
    pane = app.client_view.safeguarding
    qtbot.waitUntil(lambda: pane.concerns.rowCount() == 1, timeout=30_000)
    assert pane.concerns.index(0, 1).data() == "● Open: not referred"
    qtbot.waitUntil(lambda: item_id in _ids(app.supervision.view.open_items), timeout=30_000)
    assert any(s["target_id"] == contact_id for s in app.client_view.record.supervision)


def test_an_engagement_is_raised_in_supervision_from_the_engagements_screen(qtbot, app):
    app.engagements.show_action.trigger()
    view = app.engagements_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    view.table.selectRow(0)
    engagement = view.current()
    assert engagement is not None and view.for_supervision.isEnabled()
    view.for_supervision.click()
    form = open_form(qtbot, app, "supervision")
    intro = form.findChild(QLabel, "formIntro").text()
    assert intro.startswith(f"About the engagement of {text.moment(engagement['met_at'])} with ")
    before = len(app.runner.call(lambda s: supervision.on_record(s.db, engagement["id"])))
    type_into(qtbot, field(form, "reason"), REASON)
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "supervision" not in [f.name for f in app.forms.open_forms.values()])
    wait_idle(qtbot, app)
    items = app.runner.call(lambda s: supervision.on_record(s.db, engagement["id"]))
    assert len(items) == before + 1
    new = items[-1]
    assert (new["target_kind"], new["reason"], new["status"]) == ("engagement", REASON, "open")
