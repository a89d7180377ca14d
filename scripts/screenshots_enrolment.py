"""Screenshots of Connect to your organisation: the dialog as it opens after a new vault is made
(enrolment-connect.png) and with a failure said (enrolment-unreachable.png: nothing listens at
the address), over the main window whose status bar says "Not enrolled" and where to connect.
Run under a virtual display:

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_enrolment.py
"""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import OUT, SIZE, idle, shoot, wait_for

from navigator_desktop.app import Navigator
from navigator_desktop.ui.dialogs.enrolment import EnrolmentDialog
from navigator_desktop.ui.widgets.sync_status import NOT_ENROLLED
from navigator_desktop.vault import KdfParams

PASSPHRASE = "screenshot vault for the connect dialog only"  # noqa: S105 - a throwaway vault


def new_vault(where: Path) -> tuple[Navigator, EnrolmentDialog]:
    """A first run: the vault made on the first-run screen, then the connect dialog it offers."""
    app = Navigator(where, kdf=KdfParams.for_tests(), tray=False)
    app.window.resize(*SIZE)
    app.start()
    wait_for(lambda: app.window.current_screen() == "create")
    view = app.create_view
    view.first.setText(PASSPHRASE)
    view.second.setText(PASSPHRASE)
    view.recovery.setChecked(False)
    view.button.click()
    wait_for(lambda: app.enrolment.dialog is not None and app.enrolment.dialog.isVisible())
    wait_for(lambda: app.sync.widget.state.text() == NOT_ENROLLED)
    idle(app)
    dialog = app.enrolment.dialog
    assert dialog is not None
    return app, dialog


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(qt: QApplication) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, dialog = new_vault(Path(tmp) / "new")
        shoot(app, "enrolment-connect", dialog)
        dialog.server.setText(f"https://localhost:{closed_port()}")
        dialog.username.setText("ann.navigator")
        dialog.code.setText("K7QM-2XWD-9PLR")
        dialog.password.setText("a password typed here")
        dialog.connect_button.click()
        wait_for(lambda: dialog.connect_button.isEnabled(), timeout_ms=30_000)
        shoot(app, "enrolment-unreachable", dialog)
        dialog.reject()
        app.shutdown()
    app.window.close()
    qt.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(QApplication.instance() or QApplication(sys.argv)))
