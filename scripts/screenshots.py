"""Takes a PNG of every screen from demo data, for docs/screenshots/ and the README.

Run it through scripts/screenshots.sh, which starts a virtual display. Each screen is shown in a
real window at a laptop-sized resolution and grabbed with QWidget.grab().
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from navigator_desktop import demo
from navigator_desktop.app import Navigator
from navigator_desktop.vault import KdfParams

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1280, 800)


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout_ms: int = 120_000) -> None:
    waited = 0
    while not condition():
        settle(50)
        waited += 50
        if waited > timeout_ms:
            raise TimeoutError("the screen did not get there in time")


def shoot(app: Navigator, name: str) -> None:
    settle()
    path = OUT / f"{name}.png"
    app.window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        # First run: an empty data directory.
        first = Navigator(Path(tmp) / "new", kdf=KdfParams.for_tests())
        first.window.resize(*SIZE)
        first.start()
        wait_for(lambda: first.window.stack.currentWidget() is first.create_view)
        first.create_view.first.setText("kettle harbour lantern")
        shoot(first, "01-first-run")
        first.shutdown()
        first.window.close()

        app = Navigator(Path(tmp) / "demo", demo_mode=True, kdf=KdfParams.for_tests())
        app.window.resize(*SIZE)
        app.start()
        wait_for(lambda: app.unlock_view.button.isEnabled())
        shoot(app, "02-unlock-demo")
        app.unlock_view.passphrase.setText("wrong passphrase here")
        app.unlock_view.button.click()
        wait_for(lambda: app.unlock_view.button.isEnabled() and bool(app.unlock_view.message.text()))
        shoot(app, "03-unlock-wrong-passphrase")
        app.unlock_view.passphrase.setText(demo.DEMO_PASSPHRASE)
        app.unlock_view.button.click()
        wait_for(lambda: app.caseload_model.rowCount() > 0)
        shoot(app, "04-caseload")
        app.shutdown()
    QCoreApplication.processEvents()
    del qt
    return 0


if __name__ == "__main__":
    sys.exit(main())
