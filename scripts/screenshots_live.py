"""Screenshots of the alarms that survive the lock, the SOS confirm and a risk changed by sync:
docs/screenshots/lock-visit-in-progress.png, lock-visit-warning.png, sos-confirm.png and
client-risk-changed-by-sync.png. Under bare Xvfb there is no system tray, so the warning shows as
the lock screen says it (the notification itself goes to the tray where there is one).

The risk "changed by sync" is written through the store and announced on the change bus as the
sync's report announces it (tests/desktop/ui/test_pulled_changes.py does it against a real server).

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_live.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, idle, settle, shoot, small_demo, unlock_demo, wait_for

from navigator_core import timeutil
from navigator_desktop.session import Session
from navigator_desktop.store import clients, risk, visits
from navigator_desktop.store.changes import Action, Change, WriteResult


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = small_demo(Path(tmp) / "demo")
        me = app.signed_in.who
        assert me is not None

        def seed(s: Session) -> str:
            now = timeutil.utcnow().replace(second=0, microsecond=0)
            for open_visit in visits.in_progress_for(s.db, me.user_id):
                visits.check_out(s.db, s.actor, open_visit["id"])
            client_id = clients.caseload(s.db, worker_id=me.user_id)[1].client_id
            values = {"client_id": client_id, "place": "Café Nero, Briggate", "expected_minutes": 60,
                      "planned_start": timeutil.to_text(now - timedelta(minutes=40)),
                      "call_contact": "Team office 0113 496 0001"}  # fmt: skip
            visit_id = visits.plan(s.db, s.actor, values).record_id
            visits.start(s.db, s.actor, visit_id, values["planned_start"])
            return visit_id

        app.runner.call(seed)
        app.visits.refresh()
        wait_for(lambda: app.visit_banner.isVisible())
        idle(app)

        # The SOS confirm, from the visit banner's "I need help now".
        app.visit_banner.sos_button.click()
        wait_for(lambda: app.sos.confirm is not None and app.sos.confirm.isVisible())
        shoot(app, "sos-confirm", app.sos.confirm)
        app.sos.confirm.reject()

        # Locked with the visit in progress; then its warning fires while locked.
        app.lock()
        wait_for(lambda: app.window.current_screen() == "unlock")
        idle(app)
        shoot(app, "lock-visit-in-progress")
        due = timeutil.parse(app.visits.active[0]["due_out_at"])
        app.visits.now = lambda: due - timedelta(minutes=10)
        app.visits.tick()
        settle(300)
        shoot(app, "lock-visit-warning")
        app.visits.now = timeutil.utcnow

        # Unlocked again: an open client whose risk changes by sync.
        unlock_demo(app)
        client_id = app.runner.call(lambda s: clients.caseload(s.db, worker_id=me.user_id)[0].client_id)
        app.open_client(client_id)
        wait_for(lambda: app.client_view.record is not None)
        idle(app)

        def raise_flag(s: Session) -> WriteResult:
            values = {"client_id": client_id, "category": "violence_to_others", "severity": "high",
                      "description": "Threatened staff at the door last night (reported by on call).",
                      "management_plan": "Two workers only until reviewed.",
                      "review_date": "2027-01-15"}  # fmt: skip
            return risk.raise_flag(s.db, s.actor, values)

        written = app.runner.call(raise_flag)
        app.bus.publish(
            WriteResult(written.record_id, [Change("risk_flag", written.record_id, client_id, Action.LOADED)])
        )
        wait_for(lambda: app.client_view.sync_note.isVisible())
        idle(app)
        shoot(app, "client-risk-changed-by-sync")
        app.shutdown()
    qt.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
