"""Screenshots of liaison and diversion: an engagement recorded in police custody (the form filled
in), the Engagements screen, a new client made from an engagement, and the referrals
(partnership) report on the Reports screen, for the demo navigator and for the team's manager.
Run under a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_engagements.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, form_named, idle, settle, shoot, started_demo, wait_for
from screenshots_reports import make_manager

from navigator_desktop.app import Navigator
from navigator_desktop.ui.views.partnership import TITLE


def referrals_report(app: Navigator, name: str) -> None:
    view = app.reports.view
    app.window.show_screen("reports")
    wait_for(lambda: view.partnership is not None)
    view.tabs.setCurrentIndex(next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == TITLE))
    idle(app)
    shoot(app, name)
    report = view.partnership
    assert report is not None
    print(f"{name}: {len(report.referrals)} pathway and agency rows, {report.engagement_count} engagements")


def navigator_shots(where: Path) -> Navigator:
    """As the demo navigator: the form, the list, a client made from it, the report."""
    app = started_demo(where)
    app.engagements.show_action.trigger()
    view = app.engagements_view
    wait_for(lambda: view.model.rowCount() > 0)
    idle(app)
    app.engagements.record_action.trigger()
    form = form_named(app, "engagement")
    form.set_values(
        {
            "person": "Man in his 30s, arrested overnight; first time in custody",
            "setting": "police_custody",
            "place": "Elland Road custody suite",
            "consent_asked": True,
            "consent_answer": "given",
            "needs": ["housing", "mental_health", "substance_use"],
            "offered": "Explained the service; referral to the housing options team agreed; "
            "gave the recovery hub's open-access times and our number.",
        }
    )
    settle()
    shoot(app, "engagement-custody", form)
    form.submit()
    wait_for(lambda: "engagement:new" not in app.forms.open_forms)
    idle(app)
    unlinked = next(i for i in range(view.model.rowCount()) if not view.model.record(i).get("client_id"))
    view.table.selectRow(unlinked)
    settle()
    shoot(app, "engagements")
    view.make_client.click()
    client = form_named(app, "client")
    shoot(app, "engagement-make-client", client)
    client.cancel_button.click()
    idle(app)
    referrals_report(app, "reports-referrals")
    return app


def manager_shots(where: Path) -> Navigator:
    """As the team's manager: the team's report and engagements."""
    make_manager(where)
    app = started_demo(where)
    referrals_report(app, "reports-team-referrals")
    app.engagements.show_action.trigger()
    wait_for(lambda: app.engagements_view.model.rowCount() > 0)
    idle(app)
    shoot(app, "engagements-team")
    return app


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        for shots in (navigator_shots, manager_shots):
            done = shots(Path(tmp) / "demo")
            done.shutdown()
            done.window.close()
            qt.processEvents()  # the closed window's last events, before the next app starts
    return 0


if __name__ == "__main__":
    sys.exit(main())
