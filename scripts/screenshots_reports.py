"""Screenshots of the Reports screen: a navigator's caseload (docs/screenshots/reports.png and
reports-*.png for the other tabs) and the team as a manager sees it (reports-team.png). Run under
a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_reports.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, SIZE, idle, shoot, wait_for

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.session import Session
from navigator_desktop.store import settings
from navigator_desktop.ui.flows.reports import ReportsFlow
from navigator_desktop.vault import KdfParams


def open_app(where: Path) -> tuple[Navigator, ReportsFlow]:
    app = Navigator(where, demo_mode=True, kdf=KdfParams.for_tests())
    app.window.resize(*SIZE)
    flow = app.reports
    app.start()
    wait_for(lambda: app.unlock_view.button.isEnabled())
    app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
    app.unlock_view.button.click()
    wait_for(lambda: app.window.current_screen() == "today")
    idle(app)
    app.window.show_screen("reports")
    wait_for(lambda: flow.view.report is not None)
    idle(app)
    return app, flow


def make_manager(where: Path) -> str:
    """Sign the demo laptop in as the team's manager (the demo vault holds the team's records)."""
    session = Session(where, KdfParams.for_tests())
    session.unlock(demo.DEMO_PASSPHRASE)
    db = session.db
    manager = str(db.scalar("SELECT id FROM users WHERE role = 'manager' ORDER BY display_name LIMIT 1"))
    with db.transaction():
        settings.put(db, settings.CURRENT_USER, manager)
    session.lock()
    return manager


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp) / "demo"
        app, flow = open_app(where)
        tabs = flow.view.tabs
        for index, name in enumerate(
            ("reports", "reports-plans-risk", "reports-outcomes", "reports-equality")
        ):
            tabs.setCurrentIndex(index)
            shoot(app, name)
        report = flow.view.report
        assert report is not None
        print(f"caseload: {len(report.scope.client_ids)} clients, {report.contacts} contacts")
        app.shutdown()
        app.window.close()

        make_manager(where)
        app, flow = open_app(where)
        report = flow.view.report
        assert report is not None and report.scope.kind == "team", "the demo manager should see the team"
        print(f"team: {len(report.scope.client_ids)} clients, {report.contacts} contacts")
        shoot(app, "reports-team")
        flow.view.tabs.setCurrentIndex(3)
        shoot(app, "reports-team-equality")
        app.shutdown()
        app.window.close()
    qt.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
