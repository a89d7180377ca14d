"""Screenshots of Settings and what it changes: the dialog (settings.png), Caseload in the dark theme
(theme-dark.png), Caseload and a client's record in high contrast (theme-high-contrast.png,
theme-high-contrast-client.png), and Today at the largest text size on a 1366x768 screen
(text-200-1366x768.png; the script refuses a larger screen). Run under a virtual display:

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots_settings.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, idle, settle, shoot, small_demo, wait_for

from navigator_desktop.app import Navigator
from navigator_desktop.ui import theme
from navigator_desktop.ui.dialogs.settings import Preferences

LAPTOP = (1366, 768)


def look(app: Navigator, prefs: Preferences, screen: str) -> None:
    app.settings.choose(prefs)
    app.window.show_screen(screen)
    idle(app)
    settle(500)


def shoot_all(app: Navigator) -> None:
    app.window.show()
    app.vault_flow.idle_limit.emit(15)  # as an organisation that allows at most 15 minutes
    app.settings.open()
    dialog = app.settings.dialog
    assert dialog is not None
    wait_for(dialog.isVisible)
    shoot(app, "settings", dialog)
    dialog.reject()

    look(app, Preferences(theme="dark"), "caseload")
    shoot(app, "theme-dark")
    look(app, Preferences(theme="high_contrast"), "caseload")
    shoot(app, "theme-high-contrast")
    app.open_client(str(app.caseload_view.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole)))
    wait_for(lambda: app.client_view.record is not None)
    idle(app)
    shoot(app, "theme-high-contrast-client")

    available = QGuiApplication.primaryScreen().availableGeometry()
    print(f"screen {available.width()}x{available.height()}")
    if available.width() > LAPTOP[0] or available.height() > LAPTOP[1]:
        raise SystemExit("run on a 1366x768 screen: xvfb-run -a -s '-screen 0 1366x768x24' ...")
    app.window.resize(*LAPTOP)
    look(app, Preferences(theme="system", text_percent=max(theme.TEXT_SIZES)), "today")
    frame = app.window.frameGeometry()
    print(f"window {frame.width()}x{frame.height()} at 200% text; smallest "
          f"{app.window.minimumSizeHint().width()}x{app.window.minimumSizeHint().height()}")  # fmt: skip
    shoot(app, "text-200-1366x768")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # the choices made here stay out of the real settings
        qt = QApplication.instance() or QApplication(sys.argv)
        app = small_demo(Path(tmp) / "demo")
        try:
            shoot_all(app)
        finally:
            app.shutdown()
        del qt
    return 0


if __name__ == "__main__":
    sys.exit(main())
