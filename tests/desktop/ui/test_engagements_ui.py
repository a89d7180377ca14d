"""Engagements on the laptop: a person met in custody is recorded from the menu (errors at the
fields, gone once right), listed on the Engagements screen, and made a client through the
new-client form, which attaches the engagement and its referrals; an engagement written on
another laptop arrives by sync and the list shows it."""

from __future__ import annotations

from navigator_desktop.store import agencies, clients, engagements, referrals
from navigator_desktop.ui.flows.signed_in import actor_of
from navigator_desktop.ui.forms.engagements import client_prefill
from navigator_desktop.ui.views.engagements import EngagementsView
from tests.desktop.store.helpers import engagement_values
from tests.desktop.ui.conftest import unlock
from tests.desktop.ui.helpers import field, open_form, save, shortcut, type_into, wait_idle
from tests.e2e.harness import Laptop


def _open_screen(qtbot, app) -> EngagementsView:
    app.engagements.show_action.trigger()
    view = app.engagements_view
    assert app.window.current_screen() == "engagements"
    assert not any(a.isChecked() for a in app.window.nav.values())  # no other screen's entry lit
    qtbot.waitUntil(lambda: view.scope.text() != "", timeout=20_000)
    return view


def _ids(view: EngagementsView) -> list[str]:
    return [view.model.record(r)["id"] for r in range(view.model.rowCount())]


def test_recording_an_engagement_checks_it_and_lists_it(qtbot, app):
    view = _open_screen(qtbot, app)
    before = _ids(view)
    me = app.signed_in.who.user_id
    assert view.table.isColumnHidden(view.model.columnCount() - 1)  # "Recorded by": a manager's list only
    assert all(view.model.record(r)["created_by"] == me for r in range(view.model.rowCount()))
    shortcut(qtbot, app, "Ctrl+E")
    form = open_form(qtbot, app, "engagement")
    assert form.editors["setting"].value() == "police_custody"
    field(form, "consent_asked").setChecked(True)
    save(qtbot, app, form)
    person, answer = form.editors["person"].error, form.editors["consent_answer"].error
    assert person.isVisibleTo(form) and "check the fields" in form.message.text()
    type_into(qtbot, field(form, "person"), "Man in his 30s, first time in custody")
    assert not person.isVisibleTo(form) and form.message.text() == ""
    save(qtbot, app, form)  # the record's own checks: consent asked needs its answer
    assert answer.isVisibleTo(form) and "Say what the person answered" in answer.text()
    assert "engagement:new" in app.forms.open_forms
    combo = field(form, "consent_answer")
    combo.setCurrentIndex(combo.findData("given"))
    assert not answer.isVisibleTo(form) and form.message.text() == ""
    type_into(qtbot, field(form, "place"), "Elland Road custody suite")
    form.editors["needs"].tags["housing"].setChecked(True)
    form.editors["needs"].tags["mental_health"].setChecked(True)
    type_into(qtbot, field(form, "offered"), "Our number; the housing drop-in.")
    save(qtbot, app, form)
    qtbot.waitUntil(lambda: "engagement:new" not in app.forms.open_forms, timeout=20_000)
    assert app.window.status.text() == "Engagement recorded."
    qtbot.waitUntil(lambda: len(_ids(view)) == len(before) + 1, timeout=20_000)
    new = view.model.record(0)  # newest first
    assert new["person"] == "Man in his 30s, first time in custody" and new["id"] not in before
    assert new["needs"] == ["housing", "mental_health"] and new["consent_answer"] == "given"
    assert new["created_by"] == me and new["team_id"] == app.signed_in.who.team_id
    view.table.selectRow(0)
    assert "Elland Road custody suite" in view.detail.text() and "Given" in view.detail.text()
    assert view.make_client.isEnabled() and not view.open_client.isEnabled()


def test_making_a_client_attaches_the_engagement_and_its_referrals(qtbot, app):
    who = app.signed_in.who

    def seed(s):
        actor = actor_of(s)
        met = engagements.record(s.db, actor, engagement_values(who.team_id, person="Jordan Reid")).record_id
        agency = agencies.add(
            s.db, actor, {"team_id": who.team_id, "name": "Housing Options", "agency_type": "housing"}
        ).record_id
        values = {"team_id": who.team_id, "agency_id": agency, "engagement_id": met, "pathway": "housing",
                  "what_for": "A bed tonight", "status": "signposted"}  # fmt: skip
        signpost = referrals.make(s.db, actor, values).record_id
        return met, signpost

    engagement_id, signpost_id = app.runner.call(seed)
    view = _open_screen(qtbot, app)
    view.names = {}
    app.engagements.refresh()
    qtbot.waitUntil(lambda: engagement_id in _ids(view), timeout=20_000)
    view.table.selectRow(_ids(view).index(engagement_id))
    assert view.model.record(_ids(view).index(engagement_id))["referrals"] == 1
    view.make_client.click()
    form = open_form(qtbot, app, "client")
    assert form.windowTitle() == "New client from an engagement"
    assert form.editors["given_name"].value() == "Jordan" and form.editors["family_name"].value() == "Reid"
    assert form.editors["referral_source"].value() == "Liaison and diversion: Police custody"
    assert form.editors["consent_to_share"].value() is True
    assert form.editors["key_worker_id"].value() == who.user_id
    type_into(qtbot, field(form, "date_of_birth"), "2/4/1990")
    save(qtbot, app, form)
    qtbot.waitUntil(
        lambda: not any(f.name == "client" for f in app.forms.open_forms.values()), timeout=20_000
    )
    wait_idle(qtbot, app)
    linked = app.runner.call(lambda s: engagements.get(s.db, engagement_id))
    client_id = linked["client_id"]
    assert client_id and linked["linked_on"]
    client = app.runner.call(lambda s: clients.get(s.db, client_id))
    assert (client["given_name"], client["family_name"], client["date_of_birth"]) == (
        "Jordan",
        "Reid",
        "1990-04-02",
    )
    signpost = app.runner.call(lambda s: referrals.get(s.db, signpost_id))
    assert signpost["client_id"] == client_id
    # The list says who the engagement became; it is still listed (still counted as an engagement).
    row = lambda: view.model.record(_ids(view).index(engagement_id))  # noqa: E731
    qtbot.waitUntil(lambda: row().get("client") == "Reid, Jordan", timeout=20_000)
    view.table.selectRow(_ids(view).index(engagement_id))
    assert not view.make_client.isEnabled() and view.open_client.isEnabled()
    view.open_client.click()
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    assert app.client_view.record.client["id"] == client_id


def test_locking_empties_the_list_and_the_menu_actions_wait_for_unlock(qtbot, app):
    view = _open_screen(qtbot, app)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert not app.engagements.record_action.isEnabled() and not app.engagements.show_action.isEnabled()
    assert view.detail.text() == ""


def test_an_engagement_pulled_by_sync_appears_in_the_list(qtbot, tmp_path, enrolled):
    app, org, _visit_id, url = enrolled
    view = _open_screen(qtbot, app)
    assert view.model.rowCount() == 0
    other = Laptop(tmp_path / "other", url)  # the same worker's other laptop
    try:
        other.enrol(org, "ann")
        values = engagement_values(org.team_id, person="Woman, late 40s, at court", setting="court")
        engagement_id = engagements.record(other.db, other.actor, values).record_id
        assert other.sync().rejected == 0
    finally:
        other.close()
    qtbot.waitUntil(lambda: not app.sync.worker.syncing, timeout=20_000)
    app.sync.worker.sync_now()
    qtbot.waitUntil(lambda: _ids(view) == [engagement_id], timeout=30_000)
    assert view.model.record(0)["setting"] == "court"


def test_a_new_client_takes_a_name_only_when_the_engagement_recorded_one():
    named = client_prefill(
        {"person": "Mary-Jane O'Neil", "setting": "court", "met_at": "2026-03-02T23:30:00.000Z"}
    )
    assert (named["given_name"], named["family_name"]) == ("Mary-Jane", "O'Neil")
    assert named["referral_date"] == "2026-03-02" and named["consent_to_share"] is False
    described = client_prefill(
        {
            "person": "Man in his 30s",
            "setting": "police_custody",
            "met_at": "2026-07-01T23:30:00.000Z",
            "consent_answer": "given",
        }
    )
    assert "given_name" not in described and "family_name" not in described
    assert described["referral_date"] == "2026-07-02"  # met after midnight in London (BST)
    assert described["consent_to_share"] is True


def test_a_half_written_engagement_and_client_come_back_after_the_lock(qtbot, app):
    view = _open_screen(qtbot, app)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
    engagement = view.model.record(
        next(i for i in range(view.model.rowCount()) if not view.model.record(i)["client_id"])
    )
    app.engagements.record()
    written = open_form(qtbot, app, "engagement")
    type_into(qtbot, field(written, "person"), "Woman at the court cells")
    app.engagements.make_client(engagement)
    client = open_form(qtbot, app, "client")
    type_into(qtbot, field(client, "given_name"), "Sam")
    app.lock()
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock" and not app.forms.open_forms)
    unlock(qtbot, app)
    back = open_form(qtbot, app, "engagement")
    assert back.editors["person"].value() == "Woman at the court cells"
    again = open_form(qtbot, app, "client")
    assert (
        again.windowTitle() == "New client from an engagement"
        and again.context["engagement"]["id"] == engagement["id"]
    )
    assert again.editors["given_name"].value() == "Sam"
