"""Date and time fields take a typed date or time in one box and show back what they understood;
the form's values keep their stored types (``2026-12-05``, a UTC instant)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt

from navigator_core import timeutil
from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_desktop.ui.forms.fields import FieldEditor
from navigator_desktop.ui.widgets.typed_date import TypedDateEdit
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into

TODAY = date(2026, 12, 5)


def _editor(qtbot, kind: T) -> tuple[FieldEditor, TypedDateEdit]:
    editor = FieldEditor(FieldSpec("when", kind, "When"))
    assert isinstance(editor.widget, TypedDateEdit)
    editor.widget.today = lambda: TODAY
    qtbot.addWidget(editor.widget)
    return editor, editor.widget


def _finish(qtbot, box: TypedDateEdit, typed: str) -> None:
    box.clear()
    qtbot.keyClicks(box, typed)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the typing is done: the box says what it read


def test_a_date_field_reads_typed_dates_and_shows_them_in_words(qtbot) -> None:
    editor, box = _editor(qtbot, T.DATE)
    assert editor.value() is None
    for typed, stored, shown in (
        ("5/12", "2026-12-05", "Sat 5 Dec 2026"),
        ("12/5/2026", "2026-05-12", "Tue 12 May 2026"),
        ("yesterday", "2026-12-04", "Fri 4 Dec 2026"),
        ("tomorrow", "2026-12-06", "Sun 6 Dec 2026"),
    ):
        _finish(qtbot, box, typed)
        assert (editor.value(), box.text(), editor.typed_problem()) == (stored, shown, None)
    editor.set_value("1986-01-31")
    assert box.text() == "Fri 31 Jan 1986" and editor.value() == "1986-01-31"


def test_a_date_and_time_field_reads_a_time_alone_and_stores_utc(qtbot) -> None:
    editor, box = _editor(qtbot, T.DATETIME)
    _finish(qtbot, box, "14:30")  # December: London is on UTC
    assert editor.value() == "2026-12-05T14:30:00.000Z" and box.text() == "Sat 5 Dec 2026, 14:30"
    _finish(qtbot, box, "1/7 2:30pm")  # July: British Summer Time, an hour ahead of UTC
    assert editor.value() == "2026-07-01T13:30:00.000Z" and box.text() == "Wed 1 Jul 2026, 14:30"
    _finish(qtbot, box, "today")  # a date alone keeps the time already there
    assert editor.value() == "2026-12-05T14:30:00.000Z"
    editor.set_value("2026-06-01T08:00:00.000Z")
    assert box.text() == "Mon 1 Jun 2026, 09:00" and editor.value() == "2026-06-01T08:00:00.000Z"


def test_unreadable_text_is_kept_as_typed_and_explained(qtbot) -> None:
    editor, box = _editor(qtbot, T.DATE)
    _finish(qtbot, box, "31/2")
    assert box.text() == "31/2" and "5/12/2026" in (editor.typed_problem() or "")
    assert editor.value() == "31/2", "given back as typed, so the field's checks refuse it"
    box.clear()
    assert editor.value() is None and editor.typed_problem() is None


def test_a_contact_cannot_be_dated_in_the_future_and_a_typed_date_saves(qtbot, app) -> None:
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    when = field(form, "occurred_at")
    assert isinstance(when, TypedDateEdit)
    tomorrow = timeutil.local(timeutil.utcnow() + timedelta(days=1)).date()
    when.clear()
    type_into(qtbot, when, f"{tomorrow.day}/{tomorrow.month} 10:00")
    type_into(qtbot, field(form, "narrative"), "Typed dates test.")
    save(qtbot, app, form)
    error = form.editors["occurred_at"].error
    assert error.isVisibleTo(form) and "future" in error.text()
    when.clear()
    before = timeutil.local(timeutil.utcnow()).date() - timedelta(days=2)
    type_into(qtbot, when, f"{before.day}/{before.month}/{before.year} 9:15am")
    assert not error.isVisibleTo(form), "the error goes as the field becomes valid"
    wanted = datetime.combine(before, time(9, 15), tzinfo=timeutil.LONDON)
    assert form.editors["occurred_at"].value() == timeutil.to_text(wanted)
    assert form.late.isVisibleTo(form), "more than a day ago: a late entry"
    form.reject()


def test_the_access_audit_dates_are_typed_too(qtbot) -> None:
    from navigator_desktop.ui.views.access_audit import AccessAuditView

    view = AccessAuditView()
    qtbot.addWidget(view)
    asked: list[tuple[object, str, str]] = []
    view.refresh_requested.connect(lambda *args: asked.append(args))
    view.since.setText("1/7/2026")  # British Summer Time: midnight in London is 23:00 UTC
    view.until.setText("31/7/2026")
    qtbot.keyClick(view.until, Qt.Key.Key_Return)
    assert asked == [(None, "2026-06-30T23:00:00.000Z", "2026-07-31T23:00:00.000Z")]
    assert view.until.text() == "Fri 31 Jul 2026"
    view.since.setText("31/6")
    view.request_refresh()
    assert len(asked) == 1 and "Type a date" in view.status.text()
