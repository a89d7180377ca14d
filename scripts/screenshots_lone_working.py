"""Screenshots of lone working and on call, from a demo vault with visits seeded through the store
at "now": docs/screenshots/safety-briefing.png, visit-in-progress.png, on-call.png and
crisis-sheet.png (the crisis sheet PDF rendered with pdftoppm).

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_lone_working.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, idle, settle, shoot, small_demo, wait_for

from navigator_core import timeutil
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.store import clients, handover, risk, visits


def seed(app: Navigator) -> dict[str, str]:
    """A planned visit of mine to a client with visit restrictions, another of mine, and a visit of
    a colleague's that is overdue with two escalation steps; an urgent note for on call."""
    me = app.signed_in.who
    assert me is not None

    def job(s: Session) -> dict[str, str]:
        now = timeutil.utcnow().replace(second=0, microsecond=0)
        at = lambda **d: timeutil.to_text(now + timedelta(**d))  # noqa: E731
        for open_visit in visits.in_progress_for(s.db, me.user_id):
            visits.check_out(s.db, s.actor, open_visit["id"])
        mine = clients.caseload(s.db, worker_id=me.user_id)
        others = [
            r
            for r in clients.caseload(s.db, team_id=me.team_id)
            if r.client_id not in {m.client_id for m in mine}
        ]
        target = mine[0].client_id
        risk.raise_flag(
            s.db,
            s.actor,
            {
                "client_id": target,
                "category": "visit_two_workers",
                "severity": "high",
                "description": "Threatened a lone female worker at the flat in June.",
                "management_plan": "Visit only with a colleague; meet at the door, "
                "keep the exit clear; leave if he has been drinking.",
                "review_date": "2099-01-01",
            },
        )
        risk.raise_flag(
            s.db,
            s.actor,
            {
                "client_id": target,
                "category": "environment",
                "severity": "medium",
                "description": "Two Staffordshire terriers at the property.",
                "management_plan": "Phone ahead; ask for the dogs to be shut in the "
                "kitchen before you go in.",
                "review_date": "2099-01-01",
            },
        )
        briefing = visits.plan(
            s.db,
            s.actor,
            {
                "client_id": target,
                "place": "Flat 4, 22 Cardigan Road, Leeds",
                "planned_start": at(minutes=5),
                "expected_minutes": 45,
                "call_contact": "Team office 0113 496 0001 (duty: Sam)",
                "buddy_id": me.workers[0][1],
            },
        ).record_id
        running = visits.plan(
            s.db,
            s.actor,
            {
                "client_id": mine[1].client_id,
                "place": "Café Nero, Briggate",
                "planned_start": at(minutes=-52),
                "expected_minutes": 60,
                "call_contact": "Team office 0113 496 0001",
            },
        ).record_id
        visits.start(s.db, s.actor, running, at(minutes=-50))
        colleague = next(w for _n, w in me.workers if w != me.user_id)
        late = visits.plan(
            s.db,
            s.actor,
            {
                "client_id": others[0].client_id,
                "worker_id": colleague,
                "place": "Hostel, 5 Kirkstall Road",
                "planned_start": at(hours=-2),
                "expected_minutes": 60,
                "call_contact": "Buddy 07700 900123",
            },
        ).record_id
        visits.check_in(s.db, s.actor, late, at(hours=-2))
        visits.record_step(
            s.db, s.actor, late, "called_worker", occurred_at=at(minutes=-40), notes="No answer"
        )
        visits.record_step(
            s.db, s.actor, late, "called_buddy", occurred_at=at(minutes=-30), notes="Buddy driving over"
        )
        handover.write(
            s.db,
            s.actor,
            {
                "team_id": me.team_id,
                "client_id": others[0].client_id,
                "priority": "urgent",
                "audience": "on_call",
                "valid_from": at(hours=-3),
                "text": "Recall being considered; if he calls tonight, do not discuss it "
                "and let the key worker know in the morning.",
            },
        )
        return {"briefing": briefing, "running": running, "other": others[0].client_id}

    return app.runner.call(job)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = small_demo(Path(tmp) / "demo")
        ids = seed(app)
        app.today.refresh()
        app.visits.refresh()
        idle(app)

        # The safety briefing, over Today.
        app.visits.start({"id": ids["briefing"]})
        wait_for(lambda: app.visits.briefing is not None and app.visits.briefing.isVisible())
        dialog = app.visits.briefing
        assert dialog is not None
        dialog.resize(760, 700)
        shoot(app, "safety-briefing", dialog)
        dialog.reject()
        idle(app)

        # A visit in progress, ten minutes from its expected end: banner and warning.
        wait_for(lambda: app.visit_banner.isVisible())
        settle(300)
        alert = app.visits.alert
        shoot(app, "visit-in-progress", alert if alert is not None and alert.isVisible() else None)
        if alert is not None:
            alert.close()

        # On call, with a client of a colleague's chosen in the finder.
        app.window.nav["on_call"].trigger()
        app.on_call.refresh()
        idle(app)
        view = app.on_call_view
        view.select_client(ids["other"])
        view.note_table.selectRow(0)
        view.visit_table.selectRow(0)  # the colleague's overdue visit, with its escalation steps
        wait_for(lambda: view.summary is not None)
        idle(app)
        shoot(app, "on-call")

        # The crisis sheet for that client, as a PDF, rendered to PNG.
        pdf = Path(tmp) / "crisis.pdf"
        app.on_call.ask_path = lambda _parent, _name: pdf
        app.on_call.crisis_pdf()
        idle(app)
        subprocess.run(  # noqa: S603 - a fixed command on a file we just wrote
            ["/usr/bin/pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(OUT / "crisis-sheet")],
            check=True,
        )
        print(f"wrote {OUT / 'crisis-sheet.png'}")
        app.shutdown()
    qt.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
