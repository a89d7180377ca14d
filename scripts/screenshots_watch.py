"""Screenshot of a locked on-call laptop told by its narrow watch that a visit in its team went
overdue, taken through the real path: a central store on loopback (SQLite in a temp dir), the
on-call worker's laptop (the app) locked, a navigator's laptop whose visit the store marks overdue.
Under bare Xvfb there is no system tray, so the notification shows as the lock screen says it.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_watch.py

Writes docs/screenshots/lock-on-call-watch.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import OUT, SIZE, idle, shoot, wait_for  # noqa: E402

from navigator_desktop.app import Navigator  # noqa: E402
from navigator_desktop.vault import KdfParams  # noqa: E402
from tests.e2e.harness import PASSPHRASE, Laptop, live_server, sqlite_org, visit_gone_overdue  # noqa: E402


def main(qt: QApplication) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        org = sqlite_org(base / "server.db")
        with live_server(org.app()) as url:
            org.person("olu", "on-call")
            laptop = Laptop(base / "olu", url)
            laptop.enrol(org, "olu")
            laptop.sync()
            laptop.close()
            app = Navigator(base / "olu", kdf=KdfParams.for_tests())
            app.window.resize(*SIZE)
            app.start()
            wait_for(lambda: app.window.current_screen() == "unlock" and app.unlock_view.button.isEnabled())
            app.unlock_view.passphrase.setText(PASSPHRASE)
            app.unlock_view.button.click()
            wait_for(lambda: app.watch.holding, 30_000)
            idle(app)
            app.watch.poll_ms = 300
            app.lock()
            wait_for(lambda: app.watch.counts is not None, 30_000)
            visit_gone_overdue(org, url, base / "priya", username="priya")
            wait_for(lambda: app.notifier.last is not None, 30_000)
            try:
                shoot(app, "lock-on-call-watch")
            finally:
                app.shutdown()
                org.db.dispose()
    return 0


if __name__ == "__main__":
    application = QApplication.instance() or QApplication(sys.argv)
    raise SystemExit(main(application))  # type: ignore[arg-type]
