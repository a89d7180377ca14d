"""Every pulled change reaches the screens: a sync describes what it changed as a local write does,
on the app's change bus, so an open client's risk banner changes at once, with a visible note."""

from __future__ import annotations

from navigator_desktop.store import risk, visits
from navigator_desktop.store.changes import Action
from tests.e2e.harness import Laptop


def test_a_risk_flag_pulled_by_sync_changes_the_open_clients_banner(qtbot, tmp_path, enrolled):
    app, org, visit_id, url = enrolled
    client_id = app.runner.call(lambda s: visits.get(s.db, visit_id))["client_id"]
    app.open_client(client_id)
    qtbot.waitUntil(lambda: app.client_view.record is not None, timeout=20_000)
    assert "Violence" not in app.client_view.banner.label.text()
    assert not app.client_view.sync_note.isVisible()

    # The same navigator's other laptop raises a flag on the client and syncs.
    other = Laptop(tmp_path / "other", url)
    try:
        other.enrol(org, "ann")
        assert other.sync().rejected == 0
        values = {"client_id": client_id, "category": "violence_to_others", "severity": "high",
                  "description": "Threatened staff at the door", "management_plan": "Two workers only",
                  "review_date": "2027-06-01"}  # fmt: skip
        flag_id = risk.raise_flag(other.db, other.actor, values).record_id
        assert other.sync().rejected == 0
    finally:
        other.close()

    published: list[list] = []
    app.bus.changed.connect(published.append)
    qtbot.waitUntil(lambda: not app.sync.worker.syncing, timeout=20_000)  # the sync at unlock is over
    app.sync.worker.sync_now()  # as the timer or the live wake-up does: no one presses anything
    qtbot.waitUntil(lambda: "Violence" in app.client_view.banner.label.text(), timeout=30_000)
    assert app.client_view.sync_note.isVisible()
    assert app.client_view.sync_note.text().startswith("↻ Risk changed by sync at ")
    pulled = [c for changes in published for c in changes if c.record_id == flag_id]
    assert pulled and pulled[0].kind == "risk_flag" and pulled[0].client_id == client_id
    assert pulled[0].action is Action.LOADED

    # Opening another record clears the note; the caseload row has the new risk too.
    app.client.clear()
    assert not app.client_view.sync_note.isVisible()
    model = app.caseload_model
    qtbot.waitUntil(
        lambda: "violence_to_others" in model.row(model.client_ids().index(client_id)).risk_categories
    )


def test_a_large_syncs_summary_refreshes_the_open_client_without_saying_its_risk_changed(qtbot, app):
    """A summary (kind and action, about any client) may not be about the open client: it is read
    again, as it would have been, but the banner's note names only a change to this client."""
    from navigator_desktop.store.changes import ANY_CLIENT, Change, WriteResult
    from tests.desktop.ui.helpers import open_first_client

    open_first_client(qtbot, app)
    refreshed: list[bool] = []
    original = app.client.refresh
    app.client.refresh = lambda: (refreshed.append(True), original())[1]  # type: ignore[method-assign]
    app.bus.publish(WriteResult("", [Change("risk_flag", "", ANY_CLIENT, Action.LOADED)]))
    assert refreshed
    assert not app.client_view.sync_note.isVisible()
