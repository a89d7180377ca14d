"""A field's error goes as soon as the field is corrected, not at the next save; an error that is
still true stays."""

from __future__ import annotations

from tests.desktop.ui.helpers import field, open_form, save, type_into


def test_an_error_clears_once_its_field_is_corrected(qtbot, app):
    app.window.new_client_action.trigger()
    form = open_form(qtbot, app, "client")
    type_into(qtbot, field(form, "nhs_number"), "1234567890")
    save(qtbot, app, form)
    given, nhs, born = (form.editors[n].error for n in ("given_name", "nhs_number", "date_of_birth"))
    assert given.isVisibleTo(form) and nhs.isVisibleTo(form) and born.isVisibleTo(form)
    assert "check the fields" in form.message.text()

    type_into(qtbot, field(form, "given_name"), "Ada")
    assert not given.isVisibleTo(form) and not given.text()
    assert nhs.isVisibleTo(form) and born.isVisibleTo(form)  # still wrong: still said

    field(form, "nhs_number").setText("99900")  # half typed: still not a valid number
    assert nhs.isVisibleTo(form)
    type_into(qtbot, field(form, "nhs_number"), "00018")
    assert not nhs.isVisibleTo(form)

    type_into(qtbot, field(form, "date_of_birth"), "31/")  # half typed: not a date yet
    assert born.isVisibleTo(form)
    type_into(qtbot, field(form, "date_of_birth"), "12/1986")
    assert not born.isVisibleTo(form)
    family = form.editors["family_name"].error
    assert family.isVisibleTo(form) and "check the fields" in form.message.text()
    type_into(qtbot, field(form, "family_name"), "Zedwright")
    assert not any(e.error.isVisibleTo(form) for e in form.editors.values())
    assert form.message.text() == ""  # nothing left to check
    form.reject()
