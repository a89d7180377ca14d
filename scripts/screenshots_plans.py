"""Screenshots of the support plan: the client's plan tab (goals, steps, outcomes) and the first
page of the support plan PDF, rendered with pdftoppm. Run under a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_plans.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, SIZE, idle, settle, shoot, wait_for

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.documents import exports
from navigator_desktop.store import plans
from navigator_desktop.ui import printing
from navigator_desktop.vault import KdfParams


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = Navigator(Path(tmp) / "demo", demo_mode=True, kdf=KdfParams.for_tests())
        app.window.resize(*SIZE)
        app.start()
        wait_for(lambda: app.unlock_view.button.isEnabled())
        app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
        app.unlock_view.button.click()
        wait_for(lambda: app.window.current_screen() == "today")
        idle(app)

        def score(client_id: str) -> tuple[int, int]:
            plan = app.runner.call(lambda s: plans.plan_for_client(s.db, client_id))
            return (min(len(plan.goals), 4) + min(len(plan.outcomes), 2), len(plan.goals))

        ids = [app.caseload_model.row(i).client_id for i in range(app.caseload_model.rowCount())]
        best = max(ids, key=score)
        app.open_client(best)
        idle(app)
        view = app.client_view
        view.tabs.setCurrentWidget(view.plan)
        goals = view.plan.goals
        with_steps = next(
            (i for i in range(goals.rowCount()) if len(goals.record(i).get("steps") or []) >= 2), 0
        )
        view.plan.goal_table.selectRow(with_steps)
        if view.plan.outcomes.rowCount():
            view.plan.outcome_table.selectRow(0)
        settle(400)
        shoot(app, "support-plan")

        doc = app.runner.call(lambda s: exports.support_plan_document(s.db, s.actor, best))
        pdf = Path(tmp) / "plan.pdf"
        printing.write_pdf(doc.html, pdf, doc.title)
        pdftoppm = shutil.which("pdftoppm") or "pdftoppm"
        first_page = [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*first_page, str(pdf), str(OUT / "support-plan-pdf")], check=True)  # noqa: S603
        app.shutdown()
        app.window.close()
    qt.processEvents()
    print(f"wrote {OUT / 'support-plan.png'} and {OUT / 'support-plan-pdf.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
