"""The agencies directory: team-wide from the vault, searched by name, type and pathway from the
keyboard, agencies added and changed through a checked form, phone and e-mail copied, and kept
fresh when an agency arrives by sync."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from navigator_core.reach import EMAIL_PROBLEM, PHONE_PROBLEM
from navigator_desktop.store import agencies
from navigator_desktop.store.changes import Action, Change, WriteResult
from navigator_desktop.ui.views.agencies import COPIED, searched_words
from tests.desktop.ui.helpers import field, open_form, save, type_into, wait_idle


def _open(qtbot, app):
    app.agencies.action.trigger()
    view = app.agencies_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    wait_idle(qtbot, app)
    assert app.window.current_screen() == "agencies"
    return view


def _names(view) -> list[str]:
    return [view.model.record(i)["name"] for i in range(view.model.rowCount())]


def _edit(qtbot, app, row: int):
    """Select the agency on `row` and press Edit: the agency and its form."""
    view = app.agencies_view
    view.table.selectRow(row)
    chosen = view.selected()
    qtbot.mouseClick(view.edit, Qt.MouseButton.LeftButton)
    return chosen, open_form(qtbot, app, "agency")


def _team_agencies(app) -> list[dict]:
    team = app.signed_in.who.team_id
    return app.runner.call(lambda s: agencies.for_team(s.db, team))


def test_the_directory_lists_the_teams_agencies_and_searches_by_name_type_and_pathway(qtbot, app) -> None:
    view = _open(qtbot, app)
    everyone = _team_agencies(app)
    assert _names(view) == [a["name"] for a in everyone] and len(everyone) >= 10
    assert view.count.text() == f"{len(everyone)} agencies"

    first = everyone[0]["name"]
    view.search.setText(first.split()[0].upper())  # a word of a name, in any case
    assert first in _names(view)
    word = first.split()[0].casefold()
    assert _names(view) == [a["name"] for a in everyone if word in searched_words(a)]

    view.search.setText("probation")  # a type, in words
    assert _names(view) == [a["name"] for a in everyone if a["agency_type"] == "probation"] != []
    view.search.setText("welfare benefits")  # a pathway, in words
    serving = [a["name"] for a in everyone if "welfare_benefits" in a["pathways"]]
    assert _names(view) == serving != []
    assert view.count.text() == f"{len(serving)} of {len(everyone)} agencies"

    view.search.clear()
    view.type_filter.setCurrentIndex(view.type_filter.findData("housing"))
    assert _names(view) == [a["name"] for a in everyone if a["agency_type"] == "housing"] != []
    view.type_filter.setCurrentIndex(0)
    view.pathway_filter.setCurrentIndex(view.pathway_filter.findData("education"))
    assert _names(view) == [a["name"] for a in everyone if "education" in a["pathways"]] != []
    view.search.setText("no agency is called this")
    assert _names(view) == [] and view.count.text() == f"0 of {len(everyone)} agencies"


def test_enter_and_down_from_the_search_box_reach_the_results(qtbot, app) -> None:
    view = _open(qtbot, app)
    assert app.window.focusWidget() is view.search  # the menu entry puts the cursor in the search
    type_into(qtbot, view.search, "housing")
    housing = _names(view)
    assert len(housing) >= 2
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert app.window.focusWidget() is view.table
    assert view.selected()["name"] == housing[0]
    assert housing[0] in view.title.text() and "Housing" in view.detail.toPlainText()

    view.search.setFocus()
    view.table.clearSelection()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert app.window.focusWidget() is view.table and view.table.currentIndex().row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected()["name"] == housing[1]
    # Enter in the list opens the agency to change it.
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    form = open_form(qtbot, app, "agency")
    assert field(form, "name").text() == housing[1]
    form.reject()


def test_an_agency_is_added_with_its_fields_checked_and_errors_clearing_as_they_are_put_right(
    qtbot, app
) -> None:
    view = _open(qtbot, app)
    qtbot.mouseClick(view.add, Qt.MouseButton.LeftButton)
    form = open_form(qtbot, app, "agency")
    type_into(qtbot, field(form, "phone"), "ring the desk")
    type_into(qtbot, field(form, "email"), "hub at example")
    save(qtbot, app, form)
    errors = {name: e.error for name, e in form.editors.items() if not e.error.isHidden()}
    assert set(errors) == {"name", "phone", "email"}
    assert errors["phone"].text() == f"⚠ {PHONE_PROBLEM}" and errors["email"].text() == f"⚠ {EMAIL_PROBLEM}"

    type_into(qtbot, field(form, "name"), "Armley Tenancy Support")
    assert form.editors["name"].error.isHidden()
    assert not form.editors["phone"].error.isHidden()
    field(form, "phone").clear()
    type_into(qtbot, field(form, "phone"), "0113 496 0777")
    assert form.editors["phone"].error.isHidden() and not form.editors["email"].error.isHidden()
    field(form, "email").clear()
    type_into(qtbot, field(form, "email"), "tenancy@armley.example.org")
    assert form.editors["email"].error.isHidden() and form.message.text() == ""
    form.editors["pathways"].tags["housing"].setChecked(True)
    form.set_values({"agency_type": "housing"})
    save(qtbot, app, form)

    qtbot.waitUntil(lambda: "Armley Tenancy Support" in _names(view))
    assert app.window.status.text() == "Agency saved in the team's directory."
    made = next(a for a in _team_agencies(app) if a["name"] == "Armley Tenancy Support")
    assert (made["phone"], made["email"], made["pathways"]) == (
        "0113 496 0777",
        "tenancy@armley.example.org",
        ["housing"],
    )
    assert made["team_id"] == app.signed_in.who.team_id


def test_an_agency_is_changed_and_the_directory_shows_it(qtbot, app) -> None:
    view = _open(qtbot, app)
    chosen, form = _edit(qtbot, app, 0)
    assert field(form, "email").text() == chosen["email"]
    field(form, "phone").clear()
    type_into(qtbot, field(form, "phone"), "0113 496 0999 x")
    save(qtbot, app, form)
    assert form.editors["phone"].error.text() == f"⚠ {PHONE_PROBLEM}"
    field(form, "phone").clear()
    type_into(qtbot, field(form, "phone"), "0113 496 0999")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: (view.selected() or {}).get("phone") == "0113 496 0999")
    assert view.selected()["id"] == chosen["id"] and view.phone.text() == "0113 496 0999"


def test_copy_puts_the_phone_and_e_mail_on_the_clipboard_and_the_lock_clears_it(qtbot, app) -> None:
    view = _open(qtbot, app)
    view.table.selectRow(1)
    agency = view.selected()
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(view.copy_phone, Qt.MouseButton.LeftButton)
    assert clipboard.text() == agency["phone"] and view.copied.text() == COPIED.format(what="Phone number")
    qtbot.mouseClick(view.copy_email, Qt.MouseButton.LeftButton)
    assert clipboard.text() == agency["email"]
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    assert clipboard.text() == ""
    assert view.model.rowCount() == 0 and not app.agencies.action.isEnabled()


def test_an_agency_without_a_phone_offers_nothing_to_copy(qtbot, app) -> None:
    view = _open(qtbot, app)
    view.table.selectRow(0)
    chosen = view.selected()
    app.bus.publish(app.runner.call(lambda s: agencies.update(s.db, s.actor, chosen["id"], {"phone": None})))
    qtbot.waitUntil(lambda: view.phone.text() == "—")
    assert not view.copy_phone.isEnabled() and view.copy_email.isEnabled()


def test_an_agency_pulled_by_sync_appears_in_the_directory(qtbot, app) -> None:
    view = _open(qtbot, app)
    team = app.signed_in.who.team_id
    values = {
        "team_id": team,
        "name": "Aardvark Advocacy",
        "agency_type": "other",
        "pathways": ["family_social"],
    }
    made = app.runner.call(lambda s: agencies.add(s.db, s.actor, values))
    assert "Aardvark Advocacy" not in _names(view)
    # As the sync flow publishes what a pull changed (flows/sync.py).
    app.bus.publish(WriteResult("", [Change("agency", made.record_id, None, Action.LOADED)]))
    qtbot.waitUntil(lambda: "Aardvark Advocacy" in _names(view))
    assert _names(view)[0] == "Aardvark Advocacy"


def test_saving_an_agency_unchanged_writes_nothing(qtbot, app) -> None:
    view = _open(qtbot, app)
    team = app.signed_in.who.team_id
    values = {"team_id": team, "name": "Bare Minimum Trust", "agency_type": "other"}
    app.bus.publish(app.runner.call(lambda s: agencies.add(s.db, s.actor, values)))
    qtbot.waitUntil(lambda: "Bare Minimum Trust" in _names(view))
    _chosen, form = _edit(qtbot, app, _names(view).index("Bare Minimum Trust"))
    save(qtbot, app, form)
    assert app.window.status.text() == "Nothing had changed, so nothing was saved."


def test_a_change_writes_only_the_fields_changed_so_a_colleagues_synced_change_stands(qtbot, app) -> None:
    _open(qtbot, app)
    chosen, form = _edit(qtbot, app, 0)
    # Meanwhile a colleague's new address arrives by sync.
    moved = app.runner.call(
        lambda s: agencies.update(s.db, s.actor, chosen["id"], {"address": "1 New Street, Leeds"})
    )
    app.bus.publish(moved)
    field(form, "name").clear()
    type_into(qtbot, field(form, "name"), "Renamed Centre")
    save(qtbot, app, form)
    after = app.runner.call(lambda s: agencies.get(s.db, chosen["id"]))
    assert (after["name"], after["address"]) == ("Renamed Centre", "1 New Street, Leeds")
