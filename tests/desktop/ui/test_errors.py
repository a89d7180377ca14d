"""A fault of the laptop (the disk full) is said as what it is, with what to do next; only a bug
gets the generic sentence, and only a bug puts a traceback in the log."""

from __future__ import annotations

import logging

from navigator_desktop.store import contacts
from navigator_desktop.store.db import mapped_errors
from navigator_desktop.store.errors import DiskFullError
from navigator_desktop.ui.flows import errors
from tests.desktop.ui.helpers import field, open_first_client, open_form, save, type_into

GENERIC = "Something went wrong inside Navigator"


class SqliteFullError(Exception):
    """What SQLite raises when the disk fills (its error name is what the store classifies)."""

    sqlite_errorname = "SQLITE_FULL"


def the_disk_is_full(*_args: object, **_kwargs: object) -> None:
    with mapped_errors():  # every Database call is wrapped so
        raise SqliteFullError("database or disk is full")


def test_a_full_disk_while_saving_a_contact_is_said_as_such_and_the_form_stays_open(
    qtbot, app, caplog, monkeypatch
) -> None:
    open_first_client(qtbot, app)
    app.client_actions.new_contact()
    form = open_form(qtbot, app, "contact")
    type_into(qtbot, field(form, "narrative"), "Talked through the tenancy letter.")
    monkeypatch.setattr(contacts, "add", the_disk_is_full)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        save(qtbot, app, form)
        qtbot.waitUntil(lambda: bool(form.message.text()))
    said = form.message.text()
    assert said.startswith(f"{DiskFullError.title}.") and "Free some space, then try again" in said
    assert GENERIC not in said
    assert form in app.forms.open_forms.values(), "what was typed is still there to save again"
    assert not [r for r in caplog.records if r.exc_info], "an environment fault is not logged as a bug"


def test_only_a_bug_gets_the_generic_sentence_and_a_traceback(caplog) -> None:
    with caplog.at_level(logging.ERROR):
        assert errors.explain(DiskFullError("database or disk is full")).startswith("The disk is full. ")
        assert not caplog.records
        assert errors.explain(KeyError("typo")) == errors.NOTHING_SAVED
    [logged] = caplog.records
    assert logged.exc_info is not None and logged.exc_info[0] is KeyError
    assert errors.unfinished("save contact", DiskFullError()).startswith("The disk is full. ")
    assert errors.unfinished("save contact", KeyError("typo")) == "Could not finish: save contact."
