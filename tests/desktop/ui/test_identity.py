"""The wrong client's record opened (hazard H4 of docs/clinical-safety.md): two people of the same
name are told apart on the client's header by the identifiers NHS staff check, date of birth and
NHS number, shown as people read them aloud."""

from __future__ import annotations

from navigator_core import nhs
from navigator_desktop.store import clients
from tests.desktop.store.helpers import client_values
from tests.desktop.ui.helpers import wait_idle


def test_nhs_numbers_are_shown_in_three_groups_and_other_text_is_left_alone():
    assert nhs.spaced("9434765919") == "943 476 5919"
    assert nhs.spaced("943-476-5919") == "943 476 5919"
    assert nhs.spaced("unknown") == "unknown"


def test_two_clients_of_the_same_name_are_told_apart_by_birth_date_and_nhs_number(qtbot, app):
    me = app.signed_in.who

    def make(s) -> list[str]:
        made = []
        for born, number in (("1984-03-02", "9990001103"), ("1991-11-20", None)):
            values = client_values(team_id=me.team_id, key_worker_id=me.user_id, date_of_birth=born)
            values["given_name"], values["family_name"] = "Sam", "Ashworth"
            if number:
                values["nhs_number"] = number
            made.append(clients.create(s.db, s.actor, values).record_id)
        return made

    first, second = app.runner.call(make)
    headers = []
    for client_id in (first, second):
        app.open_client(client_id)
        qtbot.waitUntil(lambda cid=client_id: _shown(app) == cid, timeout=20_000)
        wait_idle(qtbot, app)
        headers.append(app.client_view.details.text())
    assert "Sam Ashworth" in app.client_view.name.text()
    assert "Born 2 Mar 1984" in headers[0] and "NHS 999 000 1103" in headers[0]
    assert "Born 20 Nov 1991" in headers[1] and "NHS number not recorded" in headers[1]


def _shown(app) -> str | None:
    record = app.client_view.record
    return record.client["id"] if record else None
