"""Live sync end to end: two laptops and a real central store on loopback. Laptop B (the app,
unlocked) holds the long-poll; laptop A writes a handover note and syncs; B's Today shows it within
the live window, though no one presses Sync now and the fallback poll is minutes away."""

from __future__ import annotations

import time

from navigator_core import timeutil
from navigator_desktop.store import handover
from tests.e2e.harness import Laptop


def test_bs_screen_shows_as_new_handover_note_without_sync_now(qtbot, tmp_path, enrolled):
    app, org, _visit, url = enrolled
    worker = app.sync.worker
    assert worker.sync_every >= 60 and worker.live is not None
    qtbot.waitUntil(
        lambda: worker.live is not None and worker.live.running and not worker.syncing, timeout=20_000
    )
    org.person("bob")
    a = Laptop(tmp_path / "a", url)
    try:
        a.enrol(org, "bob")
        a.sync()
        values = {"team_id": org.team_id, "text": "Gas engineer at Mill Lane tomorrow 9-11: visit after.",
                  "valid_from": timeutil.now_text(), "priority": "urgent", "audience": "team"}  # fmt: skip
        handover.write(a.db, a.actor, values)
        written = time.monotonic()
        assert a.sync().rejected == 0
    finally:
        a.close()
    today = app.today_view.handover
    qtbot.waitUntil(
        lambda: any("Gas engineer" in str(today.record(r).get("text")) for r in range(today.rowCount())),
        timeout=10_000,
    )
    assert time.monotonic() - written < 10
    assert worker.live.wakes >= 1

    app.lock()  # the long-poll ends with the lock
    qtbot.waitUntil(lambda: app.window.current_screen() == "unlock")
    assert worker.live is None
