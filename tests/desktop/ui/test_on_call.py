"""The On call screen: handover notes (unread first, urgent first, expired hidden) and
acknowledging them, visits not checked out (overdue first) and escalation steps, the team client
finder with the on-call summary, out-of-hours contacts, the crisis sheet, and break-glass."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from navigator_core import timeutil
from navigator_desktop.store import audit, clients, contacts, directory, handover, visits
from tests.desktop.ui.helpers import field, open_form, save, shortcut, type_into, wait_idle

CRISIS_PLAN = "If unwell call the crisis team on 0113 496 0999 and his sister Maria."


def _rows(model) -> list[dict]:
    return [model.record(r) for r in range(model.rowCount())]


def _seed(app) -> dict[str, str]:
    me = app.signed_in.who

    def seed(s) -> dict[str, str]:
        now = timeutil.utcnow()
        at = lambda **d: timeutil.to_text(now + timedelta(**d))  # noqa: E731
        team = clients.caseload(s.db, team_id=me.team_id)
        mine = {r.client_id for r in clients.caseload(s.db, worker_id=me.user_id)}
        other = next(r for r in team if r.client_id not in mine)
        clients.update(s.db, s.actor, other.client_id, {"crisis_plan": CRISIS_PLAN})

        def note(text: str, **v: str) -> str:
            values = {"team_id": me.team_id, "text": text, "valid_from": at(hours=-1), **v}
            return handover.write(s.db, s.actor, values).record_id

        ids = {
            "expired": note("Expired note", valid_from=at(hours=-5), valid_until=at(hours=-1)),
            "routine": note("Routine unread", valid_from=at(hours=-2)),
            "urgent": note("Urgent unread", priority="urgent", client_id=other.client_id),
            "read": note("Already read", priority="urgent", valid_from=at(minutes=-10)),
        }
        handover.acknowledge(s.db, s.actor, ids["read"])

        def plan(start: str, minutes: int) -> str:
            values = {
                "client_id": other.client_id,
                "place": "Hostel, Kirkstall Road",
                "planned_start": start,
                "expected_minutes": minutes,
                "call_contact": "Buddy 07700 900123",
            }
            return visits.plan(s.db, s.actor, values).record_id

        started = {"overdue": at(hours=-3), "running": at(minutes=-20)}
        for key, start in started.items():
            ids[key] = plan(start, 60)
            visits.check_in(s.db, s.actor, ids[key], start)  # due out an hour after check-in
        ids["other"], ids["other_name"] = other.client_id, other.name
        return ids

    return app.runner.call(seed)


def test_on_call_screen(qtbot, app, tmp_path):
    ids = _seed(app)
    view, flow = app.on_call_view, app.on_call
    testers = [
        QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
        for m in (view.notes, view.visits, view.clients, view.finder)
    ]
    shortcut(qtbot, app, "Ctrl+4")
    assert app.window.current_screen() == "on_call"
    flow.refresh()
    wait_idle(qtbot, app)
    assert "never synced" in view.fresh.text()

    # Notes: current only, unread first, then urgent first.
    notes = _rows(view.notes)
    shown = [n["id"] for n in notes]
    assert ids["expired"] not in shown
    assert [n["read"] for n in notes] == sorted(n["read"] for n in notes)
    unread = [n for n in notes if not n["read"]]
    assert [n["priority"] for n in unread] == sorted(
        (n["priority"] for n in unread), key=lambda p: p != "urgent"
    )
    assert shown.index(ids["urgent"]) < shown.index(ids["routine"]) < shown.index(ids["read"])
    assert view.notes.data(view.notes.index(shown.index(ids["urgent"]), 0)) == "● Unread"
    view.note_table.selectRow(shown.index(ids["urgent"]))
    assert view.acknowledge.isEnabled()
    qtbot.mouseClick(view.acknowledge, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert app.runner.call(lambda s: handover.is_acknowledged(s.db, ids["urgent"], app.signed_in.who.user_id))
    assert next(n for n in _rows(view.notes) if n["id"] == ids["urgent"])["read"]

    # Visits not checked out: overdue first and marked; record an escalation step.
    rows = _rows(view.visits)
    assert [v["overdue"] for v in rows] == sorted((v["overdue"] for v in rows), reverse=True)
    at = [v["id"] for v in rows]
    assert at.index(ids["overdue"]) < at.index(ids["running"])
    assert view.visits.data(view.visits.index(at.index(ids["overdue"]), 0)) == "⚠ OVERDUE: not checked out"
    assert view.visits.data(view.visits.index(at.index(ids["running"]), 0)) == "In progress"
    view.visit_table.selectRow(at.index(ids["overdue"]))
    qtbot.mouseClick(view.escalate, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "visit_escalation")
    combo = field(form, "step")
    combo.setCurrentIndex(combo.findData("called_buddy"))
    type_into(qtbot, field(form, "notes"), "Buddy on the way")
    save(qtbot, app, form)
    steps = app.runner.call(lambda s: visits.steps(s.db, ids["overdue"]))
    assert [(s["step"], s["notes"]) for s in steps] == [("called_buddy", "Buddy on the way")]
    qtbot.waitUntil(lambda: "Called the buddy" in view.steps.toPlainText())

    # The finder: search as you type over the team's clients; the on-call summary.
    family = ids["other_name"].split(",")[0]
    type_into(qtbot, view.search, family.lower())
    assert 0 < view.finder.rowCount() < view.clients.rowCount()
    assert all(
        family.lower() in view.finder.index(r, 0).data().lower() for r in range(view.finder.rowCount())
    )
    row = next(
        r for r in range(view.finder.rowCount()) if view.finder.index(r, 0).data() == ids["other_name"]
    )
    view.client_table.selectRow(row)
    qtbot.waitUntil(lambda: view.summary is not None and view.summary.client["id"] == ids["other"])
    wait_idle(qtbot, app)
    summary = view.summary_view.toPlainText()
    assert CRISIS_PLAN in summary and "Active risks" in summary and "Exclusion zones" in summary
    assert "Urgent unread" in summary  # current notes about the client
    events = app.runner.call(lambda s: audit.for_client(s.db, ids["other"]))
    assert any(e["action"] == "view" and e["reason"] == "on-call summary" for e in events)

    # Out-of-hours contact for the selected client.
    qtbot.mouseClick(view.out_of_hours, Qt.MouseButton.LeftButton)
    contact = open_form(qtbot, app, "contact")
    type_into(qtbot, field(contact, "narrative"), "Rang at 2am, anxious; talked it through.")
    save(qtbot, app, contact)
    written = app.runner.call(lambda s: contacts.timeline(s.db, ids["other"]))[0]
    assert written["out_of_hours"] is True and written["narrative"].startswith("Rang at 2am")

    # The crisis sheet: a one-page PDF, and print; both audited as exports.
    flow.ask_path = lambda _parent, _name: tmp_path / "crisis.pdf"
    qtbot.mouseClick(view.crisis_pdf, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    pdf = PdfReader(str(tmp_path / "crisis.pdf"))
    assert len(pdf.pages) == 1
    words = " ".join(unicodedata.normalize("NFKC", pdf.pages[0].extract_text()).split())
    given_family = f"{view.summary.client['given_name']} {view.summary.client['family_name']}"
    assert given_family in words and CRISIS_PLAN in words
    printed: list[str] = []
    flow.print_html = lambda html, title, _parent: printed.append(title) or True
    qtbot.mouseClick(view.crisis_print, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert printed == [f"Crisis sheet — {given_family}"]
    exports = [
        e["reason"]
        for e in app.runner.call(lambda s: audit.for_client(s.db, ids["other"]))
        if e["action"] == "export"
    ]
    assert sorted(exports) == ["crisis sheet printed", "crisis sheet saved as PDF"]

    # Outside my caseload: the full record is break-glass, asked for by a signal.
    assert "break-glass" in view.full_record.text()
    with qtbot.waitSignal(view.break_glass_requested) as asked:
        qtbot.mouseClick(view.full_record, Qt.MouseButton.LeftButton)
    assert asked.args == [ids["other"], given_family]

    flow.refresh()
    wait_idle(qtbot, app)
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: view.clients.rowCount() == 0 and view.summary is None, timeout=10_000)
    assert len(testers) == 4


def test_reports_entry_only_when_there_is_a_reports_screen(app):
    assert "on_call" in app.window.nav and app.window.nav["on_call"].shortcut().toString() == "Ctrl+4"
    assert ("reports" in app.window.nav) == ("reports" in app.window.screens)


def test_without_on_call_rights_out_of_hours_and_break_glass_are_offered_only_with_a_reason_why(qtbot, app):
    ids = _seed(app)
    view, flow = app.on_call_view, app.on_call
    me = app.signed_in.who
    now = timeutil.utcnow()
    shift = {
        "user_id": me.user_id,
        "starts_at": timeutil.to_text(now + timedelta(hours=4)),  # tonight, not now
        "ends_at": timeutil.to_text(now + timedelta(hours=12)),
    }

    def rota(shifts: list[dict[str, str]], role: str = "navigator") -> None:
        def put(s) -> None:
            user = directory.user(s.db, me.user_id)
            directory.save_users(s.db, [{**user, "role": role}])
            directory.save_rota(s.db, shifts)

        app.runner.call(put)
        flow.refresh()
        wait_idle(qtbot, app)

    rota([shift])
    shortcut(qtbot, app, "Ctrl+4")
    flow.show_client(ids["other"])
    qtbot.waitUntil(lambda: view.summary is not None and view.summary.client["id"] == ids["other"])
    assert not view.summary.mine
    for button in (view.out_of_hours, view.full_record):
        assert not button.isEnabled()
        assert "not on the on-call rota now" in button.toolTip()
    assert view.crisis_pdf.isEnabled() and view.crisis_print.isEnabled()

    # A client of my own: my full record and my contacts, rota or not.
    mine = app.runner.call(lambda s: clients.caseload(s.db, worker_id=me.user_id))[0].client_id
    flow.show_client(mine)
    qtbot.waitUntil(lambda: view.summary is not None and view.summary.client["id"] == mine)
    assert view.out_of_hours.isEnabled() and view.full_record.isEnabled()

    # On shift now: on-call rights.
    rota([{**shift, "starts_at": timeutil.to_text(now - timedelta(hours=1))}])
    flow.show_client(ids["other"])
    qtbot.waitUntil(lambda: view.summary is not None and view.summary.client["id"] == ids["other"])
    assert view.out_of_hours.isEnabled() and view.full_record.isEnabled()

    # The on-call role, off the rota: rights all the same.
    rota([], role="on-call")
    assert view.refusal is None and view.out_of_hours.isEnabled() and view.full_record.isEnabled()
    rota([])
    assert view.refusal is not None and not view.full_record.isEnabled()


def _show_other(qtbot, app) -> str:
    ids = _seed(app)
    shortcut(qtbot, app, "Ctrl+4")
    app.on_call.show_client(ids["other"])
    qtbot.waitUntil(lambda: app.on_call_view.summary is not None)
    wait_idle(qtbot, app)
    return ids["other"]


def _exports(app, client_id: str) -> list[str]:
    events = app.runner.call(lambda s: audit.for_client(s.db, client_id))
    return [e["reason"] for e in events if e["action"] == "export"]


def test_a_crisis_sheet_that_cannot_be_written_is_said_so_and_not_audited(qtbot, app, tmp_path):
    other = _show_other(qtbot, app)
    flow, view = app.on_call, app.on_call_view
    messages: list[str] = []
    exported: list[str] = []
    flow.message.connect(messages.append)
    flow.exported.connect(exported.append)
    nowhere = tmp_path / "no-such-folder" / "crisis.pdf"
    flow.ask_path = lambda _parent, _name: nowhere
    qtbot.mouseClick(view.crisis_pdf, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert not nowhere.exists() and exported == []
    assert messages and "could not be saved" in messages[-1] and "Choose another folder" in messages[-1]
    assert (
        flow.warning is not None and flow.warning.isVisible() and "could not be saved" in flow.warning.text()
    )
    assert _exports(app, other) == []  # nothing exported, nothing audited
    flow.warning.close()

    # A folder in place of the file: the same.
    folder = tmp_path / "crisis.pdf"
    folder.mkdir()
    flow.ask_path = lambda _parent, _name: folder
    qtbot.mouseClick(view.crisis_pdf, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, app)
    assert "could not be saved" in messages[-1] and _exports(app, other) == []
    flow.warning.close()


def test_when_the_export_cannot_be_audited_the_person_is_told(qtbot, app, tmp_path, monkeypatch, caplog):
    other = _show_other(qtbot, app)
    flow, view = app.on_call, app.on_call_view
    messages: list[str] = []
    flow.message.connect(messages.append)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the audit table is unreachable")

    monkeypatch.setattr(audit, "record_export", broken)
    flow.ask_path = lambda _parent, _name: tmp_path / "crisis.pdf"
    with caplog.at_level("ERROR"):
        qtbot.mouseClick(view.crisis_pdf, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, app)
        qtbot.waitUntil(lambda: bool(messages))
    assert (tmp_path / "crisis.pdf").exists() and not (tmp_path / "crisis.pdf.part").exists()
    assert "could not be recorded in the audit trail" in messages[-1]
    assert flow.warning is not None and "audit trail" in flow.warning.text()
    assert _exports(app, other) == []
    flow.warning.close()
